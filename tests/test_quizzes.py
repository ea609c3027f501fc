"""The pre- and post-course quizzes: three auto-graded questions per module, the same before and after.

Their real nbgrader round trip, and the learning gain the report computes from them, are in
tests/test_report_roundtrip.py.
"""

import pytest
from conftest import COURSE, SOLUTIONS, cell_source, load_notebook, nbgrader_meta

from lepton_training.manifest import load_course
from lepton_training.questions.quizzes import QUIZ_ASSIGNMENTS, QUIZZES


def answers_of(source_nb):
    """The instructor's keys: answer variable -> letter."""
    namespace = {}
    for cell in source_nb["cells"]:
        if nbgrader_meta(cell).get("solution"):
            exec(cell_source(cell), namespace)
    return {k: v for k, v in namespace.items() if k.startswith("answer_")}


def test_every_graded_module_has_three_questions():
    assert list(QUIZZES) == [m.id for m in load_course().modules]
    assert all(len(questions) == 3 for questions in QUIZZES.values())


@pytest.mark.parametrize("name", QUIZ_ASSIGNMENTS)
def test_quiz_notebooks_grade_every_question_and_hide_the_keys(name):
    source = load_notebook(SOLUTIONS / name / f"{name}.ipynb")
    release = load_notebook(COURSE / name / f"{name}.ipynb")
    tests = [nbgrader_meta(c) for c in source["cells"] if nbgrader_meta(c).get("grade")]
    assert [t["grade_id"] for t in tests] == [f"{m}-{q.id}-tests" for m, qs in QUIZZES.items() for q in qs]
    assert all(t["points"] == 1 for t in tests)
    keys = answers_of(source)
    for questions in QUIZZES.values():
        for q in questions:
            assert q.grade(keys[q.answer_name]).points == 1, f"the key of {q.full_id} is wrong"
            assert q.grade("z").points == 0 and q.grade(None).points == 0
    answer_cells = [cell_source(c) for c in release["cells"] if nbgrader_meta(c).get("solution")]
    assert len(answer_cells) == len(tests)
    # The release holds the stub only (its top-level `raise NotImplementedError()` dropped so that Run all goes on).
    assert all(s.strip() == "# YOUR CODE HERE" and "answer_" not in s for s in answer_cells), "no key released"
    # Pre and post ask the same questions.
    other = QUIZ_ASSIGNMENTS[1 - QUIZ_ASSIGNMENTS.index(name)]
    assert keys == answers_of(load_notebook(SOLUTIONS / other / f"{other}.ipynb"))
