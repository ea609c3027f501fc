"""The gradebook side of grading: the instructor's due date survives a run, late rules apply, the CSV says both."""

import csv
import datetime

import pytest
from nbgrader.api import Gradebook
from traitlets.config import Config

from lepton_training.grading.gradebook import (
    copy_assignment,
    export_csv,
    late_penalty_plugin,
    record_submission,
    use_in_process_alembic,
)

COURSE_ID = "lepton-training"
MODULE = "00-orientation"
DUE = datetime.datetime(2026, 12, 1, 17, 0)


@pytest.fixture
def gradebooks(tmp_path):
    """A template gradebook as generate_assignment leaves it (no due date) and the instructor's real one."""
    use_in_process_alembic()  # as `grade` does: no `alembic` command needed on PATH
    template, real = f"sqlite:///{tmp_path / 'template.db'}", f"sqlite:///{tmp_path / 'real.db'}"
    with Gradebook(template, course_id=COURSE_ID) as gb:
        gb.add_assignment(MODULE)
        gb.add_notebook(MODULE, MODULE)
        for name in ("q1", "q2"):
            gb.add_grade_cell(name, MODULE, MODULE, max_score=2, cell_type="code")
    with Gradebook(real, course_id=COURSE_ID) as gb:
        gb.add_assignment(MODULE, duedate=DUE)  # `nbgrader db assignment add --duedate`
    copy_assignment(template, real, COURSE_ID, MODULE)
    return real


def penalty(method):
    config = Config()
    config.LateSubmissionPlugin.penalty_method = method
    return late_penalty_plugin(config)


def submission_of(url, learner):
    with Gradebook(url, course_id=COURSE_ID) as gb:
        submission = gb.find_submission(MODULE, learner)
        return submission.score, submission.late_submission_penalty


def test_a_run_keeps_the_instructors_due_date(gradebooks):
    with Gradebook(gradebooks, course_id=COURSE_ID) as gb:
        assignment = gb.find_assignment(MODULE)
        assert assignment.duedate == DUE
        assert assignment.max_score == 4


@pytest.mark.parametrize(
    ("submitted", "method", "expected"),
    [
        ("2026-12-01 16:59:00 UTC", "zero", 0.0),  # on time: no penalty
        ("2026-12-01 17:30:00 UTC", "zero", 3.0),  # late, rule "zero": the whole score
        ("2026-12-01 17:30:00 UTC", "none", 0.0),  # late, no rule
    ],
)
def test_late_penalties_follow_the_course_rule_and_the_due_date(gradebooks, submitted, method, expected):
    record_submission(
        gradebooks, COURSE_ID, MODULE, "ada", {"q1": 2.0, "q2": 1.0}, {}, submitted, late_penalty=penalty(method)
    )
    assert submission_of(gradebooks, "ada") == (3.0, expected)


def test_an_extension_moves_the_due_date_and_a_regrade_recomputes_the_penalty(gradebooks):
    late = "2026-12-01 18:00:00 UTC"
    record_submission(
        gradebooks, COURSE_ID, MODULE, "ada", {"q1": 2.0, "q2": 2.0}, {}, late, late_penalty=penalty("zero")
    )
    assert submission_of(gradebooks, "ada") == (4.0, 4.0)
    with Gradebook(gradebooks, course_id=COURSE_ID) as gb:
        gb.grant_extension(MODULE, "ada", hours=2)
    record_submission(
        gradebooks, COURSE_ID, MODULE, "ada", {"q1": 2.0, "q2": 2.0}, {}, late, late_penalty=penalty("zero")
    )
    assert submission_of(gradebooks, "ada") == (4.0, 0.0)


def test_the_csv_shows_raw_score_penalty_and_score(gradebooks, tmp_path):
    record_submission(
        gradebooks,
        COURSE_ID,
        MODULE,
        "ada",
        {"q1": 2.0, "q2": 1.0},
        {},
        "2026-12-02 09:00:00 UTC",
        late_penalty=penalty("zero"),
    )
    record_submission(
        gradebooks,
        COURSE_ID,
        MODULE,
        "bob",
        {"q1": 1.0, "q2": 0.0},
        {},
        "2026-11-30 09:00:00 UTC",
        late_penalty=penalty("zero"),
    )
    path = tmp_path / "grades.csv"
    assert export_csv(gradebooks, COURSE_ID, MODULE, path) == 2
    rows = {r["learner"]: r for r in csv.DictReader(path.open())}
    assert (rows["ada"]["raw_score"], rows["ada"]["late_penalty"], rows["ada"]["score"]) == ("3.0", "3.0", "0.0")
    assert (rows["bob"]["raw_score"], rows["bob"]["late_penalty"], rows["bob"]["score"]) == ("1.0", "0.0", "1.0")
    assert rows["ada"]["max_score"] == "4.0"
