"""The cohort's gradebook: every learner of the roster in the CSV, lateness, one export for all modules, safe data."""

import csv
import datetime
import subprocess

import pytest
from conftest import REPO, copy_course_root
from nbgrader.api import Gradebook

from lepton_training.cli import main
from lepton_training.grading.gradebook import (
    CSV_COLUMNS,
    copy_assignment,
    export_all,
    export_csv,
    late_penalty_plugin,
    record_submission,
    use_in_process_alembic,
)
from lepton_training.grading.validate import load_course_config

COURSE_ID = "lepton-training"
DUE = datetime.datetime(2026, 12, 1, 17, 0)


@pytest.fixture
def gradebook(tmp_path):
    """Two modules, three learners of the roster; ada submits both (one late), bob one, cy nothing."""
    use_in_process_alembic()
    template, real = f"sqlite:///{tmp_path / 'template.db'}", f"sqlite:///{tmp_path / 'real.db'}"
    with Gradebook(template, course_id=COURSE_ID) as gb:
        for module in ("00-orientation", "01-data-prep"):
            gb.add_assignment(module)
            gb.add_notebook(module, module)
            for name in ("q1-tests", "q2-tests"):
                gb.add_grade_cell(name, module, module, max_score=2, cell_type="code")
    with Gradebook(real, course_id=COURSE_ID) as gb:
        gb.add_assignment("00-orientation", duedate=DUE)
        # `nbgrader db student import roster.csv`
        gb.update_or_create_student("ada", first_name="Ada", last_name="Lovelace", email="ada@example.com")
        gb.update_or_create_student("bob", first_name="Bob", last_name="Stone")
        gb.update_or_create_student("cy", first_name="Cy", last_name="Young")
    for module in ("00-orientation", "01-data-prep"):
        copy_assignment(template, real, COURSE_ID, module)
    # The course's own late rule, from jupyter_config.py.
    rule = late_penalty_plugin(load_course_config(REPO))
    scores = {"q1-tests": 2.0, "q2-tests": 1.0}
    record_submission(
        real, COURSE_ID, "00-orientation", "ada", scores, {}, "2026-12-01 18:30:00 UTC", late_penalty=rule
    )
    record_submission(
        real, COURSE_ID, "00-orientation", "bob", scores, {}, "2026-12-01 09:00:00 UTC", late_penalty=rule
    )
    record_submission(real, COURSE_ID, "01-data-prep", "ada", scores, {}, "2026-12-02 09:00:00 UTC", late_penalty=rule)
    return real


def test_every_learner_of_the_roster_has_a_row_with_lateness_and_questions(gradebook, tmp_path):
    path = tmp_path / "00.csv"
    assert export_csv(gradebook, COURSE_ID, "00-orientation", path) == 3
    with path.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == CSV_COLUMNS + ["q1-tests", "q2-tests"]
        rows = {r["learner"]: r for r in reader}
    ada, bob, cy = rows["ada"], rows["bob"], rows["cy"]
    assert (ada["name"], ada["status"], ada["late"], ada["hours_late"]) == ("Ada Lovelace", "graded", "True", "1.5")
    # The course's late rule is "none": a late submission keeps its points, and is marked late.
    assert (ada["raw_score"], ada["late_penalty"], ada["score"]) == ("3.0", "0.0", "3.0")
    assert (ada["q1-tests"], ada["q2-tests"]) == ("2.0", "1.0")
    assert (bob["late"], bob["hours_late"]) == ("False", "0")
    assert (cy["name"], cy["status"], cy["score"], cy["q1-tests"]) == ("Cy Young", "missing", "", "")


def test_one_export_spans_every_module(gradebook, tmp_path):
    path = tmp_path / "all.csv"
    assert export_all(gradebook, COURSE_ID, path) == 6
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    status = {(r["learner"], r["module"]): r["status"] for r in rows}
    assert status == {
        ("ada", "00-orientation"): "graded",
        ("bob", "00-orientation"): "graded",
        ("cy", "00-orientation"): "missing",
        ("ada", "01-data-prep"): "graded",
        ("bob", "01-data-prep"): "missing",
        ("cy", "01-data-prep"): "missing",
    }


def test_the_late_rule_is_explicit_in_the_course_configuration():
    config = load_course_config(REPO)
    assert config.LateSubmissionPlugin.penalty_method == "none"
    assert "c.LateSubmissionPlugin.penalty_method" in (REPO / "docs" / "cohort.md").read_text(encoding="utf-8")


def test_grade_without_submissions_says_so_and_fails(tmp_path, capsys):
    root = tmp_path / "root"
    root.mkdir()
    copy_course_root(root, ["00-orientation"])
    status = main(["grade", "00-orientation", "--root", str(root)])
    err = capsys.readouterr().err
    assert status == 1
    assert err.startswith(
        f"lepton-training: error: nothing to grade: no submission of 00-orientation in {root / 'submitted'} "
    )
    assert "lepton-training collect 00-orientation --from <upload folder>" in err


def test_make_clean_keeps_the_gradebook_and_clean_gradebook_asks(tmp_path):
    (tmp_path / "gradebook.db").write_text("grades")
    makefile = str(REPO / "Makefile")
    dry = subprocess.run(["make", "-n", "-f", makefile, "clean"], cwd=tmp_path, capture_output=True, text=True)
    assert dry.returncode == 0 and "gradebook" not in dry.stdout
    refused = subprocess.run(
        ["make", "-s", "-f", makefile, "clean-gradebook"], cwd=tmp_path, input="yes\n", capture_output=True, text=True
    )
    assert refused.returncode != 0 and "Kept gradebook.db." in refused.stdout
    assert (tmp_path / "gradebook.db").is_file()
    agreed = subprocess.run(
        ["make", "-s", "-f", makefile, "clean-gradebook"],
        cwd=tmp_path,
        input="delete grades\n",
        capture_output=True,
        text=True,
    )
    assert agreed.returncode == 0 and not (tmp_path / "gradebook.db").exists()


@pytest.mark.parametrize(
    "path",
    [
        "gradebook.db",
        "grades/00-orientation.csv",
        "grades/all-modules.csv",
        "reports/report.html",
        "submitted/alice/00-orientation/00-orientation.ipynb",
        "autograded/alice/00-orientation/00-orientation.ipynb",
        "feedback/alice/00-orientation/00-orientation.html",
        "grading-log/00-orientation/alice.ipynb",
        "outbox/00-orientation/mail-merge.csv",
        "outbox/00-orientation.zip",
        "uploads/alice_00-orientation.ipynb",
        "roster.csv",
        "backups/gradebook-20261205.db",
        ".lepton-backups/submitted/alice/00-orientation-1/00-orientation.ipynb",
    ],
)
def test_nothing_of_a_cohort_can_be_committed(path):
    done = subprocess.run(["git", "check-ignore", "--no-index", "-q", path], cwd=REPO)
    assert done.returncode == 0, f"{path} is not ignored: a commit could publish it"


def test_grade_names_the_closest_module_of_a_typo(tmp_path, capsys):
    root = tmp_path / "root"
    root.mkdir()
    copy_course_root(root, ["01-data-prep"])
    assert main(["grade", "01-dataprep", "--root", str(root)]) == 1
    assert capsys.readouterr().err == (
        "lepton-training: error: there is no module '01-dataprep': did you mean 01-data-prep? "
        "The modules are 01-data-prep.\n"
    )
