"""Rebuilding the release never destroys a learner's work in course/."""

import json
import shutil
from pathlib import Path

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
def test_rebuild_keeps_work_unless_forced(tmp_path, capsys):
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
    # Through the command: one line for all the kept notebooks, whatever their number.
    from lepton_training.cli import main

    capsys.readouterr()
    assert main(["build", "--root", str(root), MODULE]) == 0
    kept = [line for line in capsys.readouterr().out.splitlines() if line.startswith("Kept")]
    assert kept == [
        f"Kept 1 released notebook(s) that hold work ({MODULE}): the new release of them was not written. "
        "Learners work in work/ (`make lab`); to replace them, run `lepton-training build --force` (a copy goes "
        "to .lepton-backups/ first)."
    ], kept

    result = build(root, [MODULE], force=True)
    ((notebook, reason, copy),) = result.learner_work
    assert copy.read_bytes() == mine, "the forced rebuild did not save the learner's notebook first"
    assert ".lepton-backups" in str(copy)
    assert "(revised)" in released.read_text() and "# mine" not in released.read_text()
    assert learner_work(released) is None


# --- the working copy work/ and `lepton-training update` -------------------------------------------------------


def _cells(path):
    return json.loads(path.read_text())["cells"]


def _release_copy(tmp_path, modules=(MODULE,)):
    course = tmp_path / "course"
    for module in modules:
        shutil.copytree(COURSE / module, course / module)
    return course


def _answer_cell(cells):
    return next(c for c in cells if nbgrader_meta(c).get("grade_id") == "q1-answer")


def test_update_keeps_an_answer_beside_the_new_cell_of_a_corrected_release(tmp_path):
    from lepton_training.build.learner_work import update_work

    course, work = _release_copy(tmp_path), tmp_path / "work"
    first = update_work(course, work)
    assert first.created == [MODULE]
    mine = work / MODULE / f"{MODULE}.ipynb"
    assert mine.read_bytes() == (course / MODULE / f"{MODULE}.ipynb").read_bytes()

    # The learner answers exercise 1, adds a note of their own and runs a cell.
    answer = "def completion_rate(enrolled, completed):\n    return completed / enrolled  # mine\n"
    nb = json.loads(mine.read_text())
    index = next(i for i, c in enumerate(nb["cells"]) if nbgrader_meta(c).get("grade_id") == "q1-answer")
    nb["cells"][index]["source"] = answer
    note = {"cell_type": "markdown", "id": "my-note", "metadata": {}, "source": "My own note."}
    nb["cells"].insert(index + 1, note)
    mine.write_text(json.dumps(nb))

    # A corrected release: a new cell after the answer, a typo fixed in a cell the learner did not touch, and the
    # stub of exercise 1 changed too (the learner's answer must still win).
    released = course / MODULE / f"{MODULE}.ipynb"
    rel = json.loads(released.read_text())
    at = next(i for i, c in enumerate(rel["cells"]) if nbgrader_meta(c).get("grade_id") == "q1-answer")
    rel["cells"].insert(at + 1, {"cell_type": "markdown", "id": "new-tip", "metadata": {}, "source": "A new tip."})
    rel["cells"][at]["source"] = "# YOUR CODE HERE (revised stub)\nraise NotImplementedError()"
    last = rel["cells"][-1]
    last["source"] = "".join(last["source"]) + " (corrected)"
    released.write_text(json.dumps(rel))
    (course / MODULE / "new-data.csv").write_text("a,b\n1,2\n")

    result = update_work(course, work)
    cells = _cells(mine)
    ids = [c["id"] for c in cells]
    assert _answer_cell(cells)["source"] == answer, "the update lost the learner's answer"
    assert ids[ids.index(rel["cells"][at]["id"]) + 1 : ids.index(rel["cells"][at]["id"]) + 3] == ["my-note", "new-tip"]
    assert cells[-1]["source"].endswith("(corrected)"), "a cell the learner did not touch did not get the fix"
    assert (work / MODULE / "new-data.csv").is_file()
    assert result.merged == [f"{MODULE}/{MODULE}.ipynb"] and result.new_cells == 1 and result.kept_cells == 1
    assert list((work / ".lepton-backups").rglob(f"{MODULE}.ipynb")), "no copy was saved before the merge"
    line = result.summary(work)
    assert "\n" not in line and "1 new cell(s) added, your answers kept" in line, line

    # Updating again with nothing new changes nothing.
    before = mine.read_bytes()
    again = update_work(course, work)
    assert mine.read_bytes() == before
    assert again.summary(work) == f"Your working copy {work} is up to date with the release."


def test_update_replaces_untouched_files_and_keeps_deleted_ones_deleted(tmp_path):
    from lepton_training.build.learner_work import update_work

    course, work = _release_copy(tmp_path), tmp_path / "work"
    update_work(course, work)
    released = course / MODULE / f"{MODULE}.ipynb"
    rel = json.loads(released.read_text())
    rel["cells"][0]["source"] = "# Revised title"
    released.write_text(json.dumps(rel))
    result = update_work(course, work)
    assert result.updated == [f"{MODULE}/{MODULE}.ipynb"] and not result.merged
    assert (work / MODULE / f"{MODULE}.ipynb").read_bytes() == released.read_bytes()

    # A file the learner made under a name the release now uses is moved aside, not overwritten.
    (work / MODULE / "notes.md").write_text("my notes")
    (course / MODULE / "notes.md").write_text("release notes")
    result = update_work(course, work)
    ((old, aside),) = result.moved
    assert old == f"{MODULE}/notes.md" and (work / aside).read_text() == "my notes"
    assert (work / MODULE / "notes.md").read_text() == "release notes"


@pytest.mark.slow
def test_lepton_training_update_prints_one_line(tmp_path):
    import subprocess
    import sys

    root = tmp_path / "repo"
    _release_copy(root, [MODULE, "04-evaluation"])
    for name in ("jupyter_config.py",):
        shutil.copy(REPO / name, root / name)
    command = [Path(sys.executable).parent / "lepton-training", "update", "--no-pull", "--root", str(root)]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    assert out == "Updated your working copy work: 2 module(s) copied in (00-orientation, 04-evaluation).\n", out
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    assert out == "Your working copy work is up to date with the release.\n"
