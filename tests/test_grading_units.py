"""Grading's parts without kernels: plain data across the sandbox wall, replay, seeds, collect, submission checks."""

import json
import os
import subprocess
import time

import numpy as np
import pandas as pd
import pytest
from conftest import COURSE, SOLUTIONS, load_notebook, module_ids

from lepton_training.exercises import MISSING
from lepton_training.grading import plain
from lepton_training.grading.collect import collect
from lepton_training.grading.seeds import cohort_seed, questions_of, test_cells
from lepton_training.grading.submissions import submission_problem
from lepton_training.grading.verify import replayed_answer


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        3,
        2**70,
        0.1,
        float("nan"),
        "é",
        [1, (2, 3)],
        {"a": {1, 2}, (1, 2): [None]},
        np.float64(1.5),
        np.arange(6).reshape(2, 3) / 7,
        np.array(["a", "bc"]),
        pd.Series([1.0, 2.0], index=["x", "y"], name="s"),
        pd.DataFrame({"team": ["a", "b"], "n": [1, 2], "h": [0.5, np.nan]}),
    ],
)
def test_plain_data_round_trips_through_json(value):
    data = json.loads(json.dumps(plain.encode(value)))
    back = plain.decode(data)
    if isinstance(value, pd.DataFrame):
        pd.testing.assert_frame_equal(back, value, check_dtype=False)
    elif isinstance(value, pd.Series):
        pd.testing.assert_series_equal(back, value, check_dtype=False)
    elif isinstance(value, np.ndarray):
        np.testing.assert_array_equal(back, value)
    elif isinstance(value, float) and value != value:
        assert back != back
    else:
        assert back == value and type(back) is type(value)


def test_objects_that_claim_anything_are_not_plain_data():
    class Anything(float):
        def __eq__(self, other):
            return True

        __hash__ = float.__hash__

    for value in (Anything(1.0), object(), np.array([object()]), [Anything(0)]):
        with pytest.raises(plain.Unsupported):
            plain.decode(json.loads(json.dumps(plain.encode(value))))


def test_digest_is_stable_and_sensitive():
    frame = pd.DataFrame({"a": [1.0, 2.0]})
    assert plain.digest((frame, 3)) == plain.digest((frame.copy(), 3))
    assert plain.digest((frame, 3)) != plain.digest((frame * 1.000001, 3))


def _records(question, calls, signature):
    records = [{"kind": "answer", "question": question.full_id, "function": signature}]
    for args, result in calls:
        records.append({"kind": "call", "question": question.full_id, "digest": plain.digest(args), "result": result})
    return records


def test_replay_returns_recorded_values_and_a_missing_record_fails_the_test_not_the_grader():
    question = questions_of("00-orientation").q1
    n = len(question.parameters)
    signature = [[p, 1, False] for p in question.parameters]
    answer = replayed_answer(question, _records(question, [((1,) * n, 42)], signature))
    assert answer(*(1,) * n) == 42
    with pytest.raises(Exception, match="no result"):
        answer(*(2,) * n)
    score = question.grade(answer, hidden=1)
    assert score.points == 0
    assert question.grade(replayed_answer(question, []), hidden=1).points == 0
    assert replayed_answer(question, []) is MISSING


@pytest.mark.parametrize("module_id", module_ids())
def test_every_graded_test_cell_names_a_question_of_its_module(module_id):
    source = load_notebook(SOLUTIONS / module_id / f"{module_id}.ipynb")
    cells = test_cells(source)
    questions = questions_of(module_id)
    assert cells, f"{module_id} has no graded test cell calling <question>.grade(...)"
    for cell in cells.values():
        question = getattr(questions, cell.question)
        assert cell.answer_name in (question.answer_name, ""), "a test cell grades the answer by its name, or by lookup"
        assert question.points == cell.points
        assert cell.seed is not None, f"{cell.grade_id} has no hidden tests"


def test_cohort_seeds_differ_per_secret_and_default_to_the_notebook():
    assert cohort_seed("00-orientation:q1", 52117, "") == 52117
    a = cohort_seed("00-orientation:q1", 52117, "cohort-a")
    assert a == cohort_seed("00-orientation:q1", 52117, "cohort-a")
    assert a != cohort_seed("00-orientation:q1", 52117, "cohort-b")
    assert a != cohort_seed("00-orientation:q2", 52117, "cohort-a")


def test_submission_with_a_link_or_a_wrong_file_is_refused_with_the_reason(tmp_path):
    module = "00-orientation"
    folder = tmp_path / module
    folder.mkdir()
    (folder / "mine.ipynb").write_text("{}")
    assert "no 00-orientation.ipynb" in submission_problem(folder, module)
    os.symlink(SOLUTIONS / module / f"{module}.ipynb", folder / f"{module}.ipynb")
    assert "symbolic link" in submission_problem(folder, module)
    (folder / f"{module}.ipynb").unlink()
    (folder / f"{module}.ipynb").write_text("{ not json")
    assert "not valid JSON" in submission_problem(folder, module)
    os.mkfifo(folder / "pipe")
    assert "not a regular file" in submission_problem(folder, module)


def test_collect_imports_reports_and_keeps_earlier_submissions(tmp_path):
    module = "00-orientation"
    release = (COURSE / module / f"{module}.ipynb").read_text()
    shared, root = tmp_path / "shared", tmp_path / "root"
    shared.mkdir()
    (shared / f"alice_{module}.ipynb").write_text(release)
    (shared / f"Copy of bob-{module} (1).ipynb").write_text(release)
    (shared / f"{module}.ipynb").write_text(release)  # whose?
    (shared / "carol.ipynb").write_text("{ not a notebook")
    (shared / "notes.txt").write_text("hello")
    os.symlink(SOLUTIONS / module / f"{module}.ipynb", shared / f"dave_{module}.ipynb")
    (shared / "erin").mkdir()
    (shared / "erin" / "anything.ipynb").write_text(release)
    (shared / "erin" / "again.ipynb").write_text(release)

    result = collect(shared, root, module)
    assert sorted(learner for learner, _, _ in result.imported) == ["alice", "bob", "erin"]
    reasons = {path.name: reason for path, reason in result.reported}
    assert "carries no learner name" in reasons[f"{module}.ipynb"]
    assert "not valid JSON" in reasons["carol.ipynb"]
    assert "not a notebook" in reasons["notes.txt"]
    assert "symbolic link" in reasons[f"dave_{module}.ipynb"]
    # Two uploads of one learner: the newer is the submission, the other is backed up (tests/test_collect.py).
    assert len(result.superseded) == 1 and "more than one" in result.summary()
    assert (root / "submitted" / "alice" / module / f"{module}.ipynb").read_text() == release
    assert (root / "submitted" / "alice" / module / "timestamp.txt").is_file()

    # Unchanged files are left alone; without a roster, nobody's submission is replaced by a file named after them.
    again = collect(shared, root, module)
    assert not again.imported and not again.replaced and len(again.unchanged) == 3
    (shared / f"alice_{module}.ipynb").write_text(release.replace("NotImplementedError", "ValueError"))
    again = collect(shared, root, module)
    assert not again.replaced
    assert any("without a roster" in r for p, r in again.reported if p.name == f"alice_{module}.ipynb")
    assert (root / "submitted" / "alice" / module / f"{module}.ipynb").read_text() == release

    roster = tmp_path / "roster.csv"
    roster.write_text("id,email,name\nalice,alice@example.com,Alice\nbob,,Bob\n")
    with_roster = collect(shared, root, module, roster)
    assert len(with_roster.replaced) == 1 and "alice" in str(with_roster.replaced[0][0])
    backups = list((root / ".lepton-backups" / "submitted" / "alice").iterdir())
    assert len(backups) == 1 and (backups[0] / f"{module}.ipynb").read_text() == release
    assert "time of this collect" in with_roster.summary()

    fresh = collect(shared, tmp_path / "root2", module, roster)
    assert sorted(learner for learner, _, _ in fresh.imported) == ["alice", "bob"]  # erin is not rostered
    assert any("no learner of the roster" in r for _, r in fresh.reported)


def test_collect_never_takes_the_submission_time_from_a_file_a_learner_can_touch(tmp_path):
    module = "00-orientation"
    release = (COURSE / module / f"{module}.ipynb").read_text()
    shared, root = tmp_path / "shared", tmp_path / "root"
    shared.mkdir()
    upload = shared / f"alice_{module}.ipynb"
    upload.write_text(release)
    os.utime(upload, (946684800, 946684800))  # touch -d 2000-01-01: "submitted long before the deadline"
    collect(shared, root, module)
    stamp = (root / "submitted" / "alice" / module / "timestamp.txt").read_text()
    assert not stamp.startswith("2000"), "the file's modification time was trusted"

    times = tmp_path / "times.csv"
    times.write_text("learner,submitted_at\nalice,2026-12-01T18:30:00+01:00\n")
    roster = tmp_path / "roster.csv"
    roster.write_text("id\nalice\n")
    from_file = collect(shared, tmp_path / "root2", module, roster, times)
    assert (
        (tmp_path / "root2" / "submitted" / "alice" / module / "timestamp.txt")
        .read_text()
        .startswith("2026-12-01 17:30:00")
    )
    assert str(times) in from_file.summary()
    # An older upload never replaces a newer submission.
    upload.write_text(release.replace("NotImplementedError", "ValueError"))
    times.write_text("learner,submitted_at\nalice,2026-11-30T09:00:00Z\n")
    older = collect(shared, tmp_path / "root2", module, roster, times)
    assert not older.imported and any("newer" in r for _, r in older.reported)
    missing = tmp_path / "none.csv"
    missing.write_text("learner,submitted_at\n")
    assert any(
        "no submission time" in r for _, r in collect(shared, tmp_path / "root3", module, roster, missing).reported
    )
    with pytest.raises(ValueError, match="not a time"):
        collect(shared, tmp_path / "root4", module, roster, _bad_times(tmp_path))


def _bad_times(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("learner,submitted_at\nalice,yesterday\n")
    return path


def _watched(tmp_path):
    from lepton_training.grading.watchdog import start_watchdog

    scratch = tmp_path / "lg-watched"
    (scratch / "work").mkdir(parents=True)
    # A stray process of the run: it works in the scratch folder, like a kernel whose grader died.
    stray = subprocess.Popen(["sleep", "600"], cwd=scratch / "work", start_new_session=True)
    return scratch, stray, start_watchdog(scratch, "lepton-grading/lg-watched")


def _gone(proc, seconds=10):
    try:
        proc.wait(timeout=seconds)
        return True
    except subprocess.TimeoutExpired:
        return False


def test_the_watchdog_ends_what_a_dead_run_left_and_removes_its_scratch(tmp_path):
    scratch, stray, pipe = _watched(tmp_path)
    os.close(pipe)  # the run died: no "done"
    assert _gone(stray), "the stray process is still running"
    for _ in range(100):
        if not scratch.exists():
            break
        time.sleep(0.05)
    assert not scratch.exists()


def test_the_watchdog_leaves_a_run_that_ended_normally_alone(tmp_path):
    from lepton_training.grading.watchdog import DONE

    scratch, stray, pipe = _watched(tmp_path)
    os.write(pipe, DONE)
    os.close(pipe)
    try:
        assert not _gone(stray, seconds=1.5)
        assert scratch.is_dir()
    finally:
        stray.kill()
        stray.wait()
