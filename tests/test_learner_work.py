"""Rebuilding the release never destroys a learner's work in course/."""

import json
import shutil

import pytest
from conftest import COURSE, REPO, copy_course_root, nbgrader_meta

from lepton_training.build.learner_work import learner_work
from lepton_training.build.release import build

MODULE = "00-orientation"
RELEASED = COURSE / MODULE / f"{MODULE}.ipynb"


def _edit(path, answer=None, run=False):
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        if answer and nbgrader_meta(cell).get("grade_id") == "q1-answer":
            cell["source"] = answer
        if run and cell["cell_type"] == "code":
            cell["execution_count"] = 1
    path.write_text(json.dumps(nb))


def test_clean_release_holds_no_work():
    assert learner_work(RELEASED) is None


def test_edited_answer_is_work(tmp_path):
    copy = tmp_path / "nb.ipynb"
    shutil.copy(RELEASED, copy)
    _edit(copy, answer="def completion_rate(enrolled, completed):\n    return completed / enrolled\n")
    assert "q1-answer" in learner_work(copy)


def test_run_cells_are_work(tmp_path):
    copy = tmp_path / "nb.ipynb"
    shutil.copy(RELEASED, copy)
    _edit(copy, run=True)
    assert "run" in learner_work(copy)


def test_unreadable_notebook_is_kept(tmp_path):
    broken = tmp_path / "nb.ipynb"
    broken.write_text("{ half a notebook")
    assert learner_work(broken) is not None


@pytest.mark.slow
def test_rebuild_keeps_work_unless_forced(tmp_path):
    root = copy_course_root(tmp_path, [MODULE])
    shutil.copytree(REPO / "course" / MODULE, root / "course" / MODULE)
    released = root / "course" / MODULE / f"{MODULE}.ipynb"
    answer = "def completion_rate(enrolled, completed):\n    return completed / enrolled  # mine\n"
    _edit(released, answer=answer)
    mine = released.read_bytes()

    # The instructor changes the source, so the release of this notebook changes.
    source = root / "solutions" / MODULE / f"{MODULE}.ipynb"
    nb = json.loads(source.read_text())
    nb["cells"][-2]["source"] = "## Key points (revised)"
    source.write_text(json.dumps(nb))

    result = build(root, [MODULE])
    assert released.read_bytes() == mine, "a rebuild overwrote the learner's answers"
    ((notebook, reason, copy),) = result.learner_work
    assert notebook == released and "q1-answer" in reason and copy is None

    result = build(root, [MODULE], force=True)
    ((notebook, reason, copy),) = result.learner_work
    assert copy.read_bytes() == mine, "the forced rebuild did not save the learner's notebook first"
    assert ".lepton-backups" in str(copy)
    assert "(revised)" in released.read_text() and "# mine" not in released.read_text()
    assert learner_work(released) is None
