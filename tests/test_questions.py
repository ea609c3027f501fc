"""Continuous-integration expectations of every graded question, read from the same definitions the learner's
checks and the nbgrader test cells use: the instructor's solution earns full points, near misses lose points,
and the notebook's test cells agree with the question definitions."""

import importlib
import re

import pytest
from conftest import SOLUTIONS, cell_source, load_notebook, module_ids, nbgrader_meta

# Course module id -> the package module that defines its questions.
QUESTION_MODULES = {
    "00-orientation": "lepton_training.questions.orientation",
    "05-recruitment-lp": "lepton_training.questions.recruitment_lp",
}


def exercises_of(module_id):
    return importlib.import_module(QUESTION_MODULES[module_id]).exercises


def solution_namespace(module_id):
    """Run the instructor notebook's setup and answer cells, as a learner who solved everything would have."""
    nb = load_notebook(SOLUTIONS / module_id / f"{module_id}.ipynb")
    namespace = {}
    for cell in nb["cells"]:
        meta = nbgrader_meta(cell)
        if cell["cell_type"] == "code" and (cell["id"] == "setup" or meta.get("solution")):
            exec(compile(cell_source(cell), f"{module_id}:{cell['id']}", "exec"), namespace)
    return namespace


def test_every_module_with_a_notebook_has_questions():
    for module_id in module_ids():
        assert module_id in QUESTION_MODULES, f"{module_id} has a notebook but no question definitions"
        assert 3 <= len(exercises_of(module_id).questions) <= 6, "the course standard asks for 3 to 6 exercises"


@pytest.mark.parametrize("module_id", sorted(QUESTION_MODULES))
def test_test_cells_agree_with_definitions(module_id):
    nb = load_notebook(SOLUTIONS / module_id / f"{module_id}.ipynb")
    exercises = exercises_of(module_id)
    graded = {}
    for cell in nb["cells"]:
        meta = nbgrader_meta(cell)
        if meta.get("grade") and cell["cell_type"] == "code":
            source = cell_source(cell)
            calls = set(re.findall(r"\b(q\d+)\.grade\(", source))
            assert len(calls) == 1, f"test cell {meta['grade_id']} should grade exactly one question: {calls}"
            (qid,) = calls
            graded[qid] = meta["points"]
            assert "### BEGIN HIDDEN TESTS" in source, f"{qid}: the test cell has no hidden tests"
            assert re.search(rf"{qid}\.grade\(\w+, hidden=\d+\)", source), f"{qid}: hidden tests need a seed"
    assert graded == {q.id: q.points for q in exercises}, "points in the notebook differ from the definitions"


@pytest.mark.parametrize("module_id", sorted(QUESTION_MODULES))
def test_solutions_earn_full_points(module_id):
    namespace = solution_namespace(module_id)
    for q in exercises_of(module_id):
        answer = namespace[q.answer_name]
        assert q.check(answer).passed, f"{q.id}: {q.check(answer)}"
        for seed in (1, 2, 3):
            score = q.grade(answer, hidden=seed)
            assert score.points == q.points, f"{q.id} seed {seed}: {score.explanation()}"


@pytest.mark.parametrize("module_id", sorted(QUESTION_MODULES))
def test_hints_are_graded(module_id):
    for q in exercises_of(module_id):
        assert len(q.hints) >= 2, f"{q.id} needs at least two hints, gentle then explicit"
        assert len(set(q.hints)) == len(q.hints)
