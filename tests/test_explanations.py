"""The answer is not on screen: explanations of graded answers open on request after an attempt, for every module.

* every ``qN-explanation`` cell of an instructor notebook is tagged ``explanation`` (so the build removes it) and
  is exactly what ``qN.explain()`` shows (sealed in the package, never as plain text);
* every question with an explanation has its ``qN-explain`` cell in the learner release, and the learner release
  holds no explanation cell and none of the explanation's text;
* between a question's statement and its test cell there are only the question's own cells (answer, check,
  hint, explain, and code cells that belong to it such as a timer), never a markdown cell.
"""

import importlib
import re

import pytest
from conftest import COURSE, SOLUTIONS, cell_source, load_notebook, module_ids

from lepton_training.explanations import EXPLANATION_TAG, seal, sealed_literal, unseal
from lepton_training.manifest import get_module

MODULES = module_ids()


def questions_of(module_id):
    return {q.id: q for q in importlib.import_module(get_module(module_id).questions).exercises}


def explanation_cells(nb):
    return {
        m.group(1): cell
        for cell in nb["cells"]
        if (m := re.fullmatch(r"(q\d+)-explanation", cell.get("id", ""))) and cell["cell_type"] == "markdown"
    }


@pytest.mark.parametrize("module_id", MODULES)
def test_explanations_are_the_instructor_cells_sealed(module_id):
    nb = load_notebook(SOLUTIONS / module_id / f"{module_id}.ipynb")
    questions = questions_of(module_id)
    cells = explanation_cells(nb)
    for qid, cell in cells.items():
        assert EXPLANATION_TAG in cell["metadata"].get("tags", []), f"{qid}-explanation is not tagged explanation"
        text = cell_source(cell)
        q = questions[qid]
        assert q.explanation == text, (
            f"{module_id} {qid}: explain() differs from the notebook's cell; seal it again:\n"
            f"{sealed_literal(text, q.full_id)}"
        )
    for qid, q in questions.items():
        assert not q.explanation or qid in cells, f"{module_id} {qid} has an explanation but no {qid}-explanation cell"
    source = (SOLUTIONS.parent / (get_module(module_id).questions.replace(".", "/") + ".py")).read_text()
    for cell in cells.values():
        first_words = " ".join(cell_source(cell).split()[:6])
        assert first_words not in source, f"{module_id}: an explanation is in the package as plain text"


@pytest.mark.parametrize("module_id", MODULES)
def test_the_learner_release_shows_no_explanation_and_offers_explain(module_id):
    solutions = load_notebook(SOLUTIONS / module_id / f"{module_id}.ipynb")
    course = load_notebook(COURSE / module_id / f"{module_id}.ipynb")
    ids = [cell.get("id") for cell in course["cells"]]
    released = "\n".join(cell_source(c) for c in course["cells"])
    assert not any(EXPLANATION_TAG in c["metadata"].get("tags", []) for c in course["cells"])
    for qid, cell in explanation_cells(solutions).items():
        assert f"{qid}-explain" in ids, f"{module_id}: no {qid}-explain cell for the learner"
        explain = course["cells"][ids.index(f"{qid}-explain")]
        assert re.fullmatch(rf"# {qid}\.explain\(\)  # .+", cell_source(explain).strip())
        assert ids.index(f"{qid}-explain") > ids.index(f"{qid}-check"), "explain() comes after the check"
        for paragraph in re.split(r"\n\s*\n", cell_source(cell)):
            words = " ".join(paragraph.split()[:10])
            if len(words) > 40 and not words.startswith("#"):
                assert words not in released, f"{module_id}: the learner release shows {qid}'s explanation: {words}"


@pytest.mark.parametrize("module_id", MODULES)
def test_nothing_but_the_question_s_own_cells_between_statement_and_test(module_id):
    course = load_notebook(COURSE / module_id / f"{module_id}.ipynb")
    cells = course["cells"]
    ids = [c.get("id", "") for c in cells]
    for qid in questions_of(module_id):
        start, end = ids.index(f"{qid}-statement"), ids.index(f"{qid}-tests")
        between = cells[start + 1 : end]
        for cell in between:
            assert cell["cell_type"] == "code" and cell["id"].startswith(f"{qid}-"), (
                f"{module_id}: {cell['id']} ({cell['cell_type']}) stands between {qid}'s statement and its test"
            )


def test_sealing_round_trips_and_hides_the_text():
    text = "**Why.** B, C and D are true; `A` is *not*."
    blob = seal(text, "demo:q1")
    assert unseal(blob, "demo:q1") == text and "true" not in blob
    import zlib

    with pytest.raises(zlib.error):  # another question's salt cannot open it
        unseal(blob, "demo:q2")
