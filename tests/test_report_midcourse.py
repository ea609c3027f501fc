"""The report mid-course: with two of six modules graded, it covers the graded ones and names the others (on the
page, in the CSV and in the command's output), instead of counting every learner at risk and drawing empty
histograms."""

import html
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from lepton_training.report import build_report
from lepton_training.report.synthetic import write_synthetic_gradebook

GRADED = ("00-orientation", "01-data-prep")
NOT_YET = ("02-model-optimization", "03-feature-engineering", "04-evaluation", "05-recruitment-lp")
COMMAND = str(Path(sys.executable).parent / "lepton-training")


@pytest.fixture(scope="module")
def midcourse(tmp_path_factory):
    """Every module registered at build, two of six graded: the gradebook of a course in its second week."""
    root = tmp_path_factory.mktemp("midcourse")
    url = write_synthetic_gradebook(
        root / "gradebook.db", learners=60, questions=4, seed=3, ungraded=NOT_YET, quizzes=False
    )
    return root, url


def test_a_mid_course_report_covers_the_graded_modules_and_names_the_others(midcourse, tmp_path):
    root, url = midcourse
    report = build_report(root, db_url=url, out=tmp_path, survey=False, events=False)
    assert report.modules == list(GRADED) and report.left_out == list(NOT_YET)
    # Not every learner at risk: a module nobody could submit yet no longer counts as 0 for all.
    risk = report.sections["risk"]
    assert 0 < len(risk) < 60  # before: all 60, each missing four modules
    assert not any(m in text for m in NOT_YET for text in risk["missing_modules"])
    assert set(report.sections["shares"]) == set(GRADED)  # no empty histogram
    page = html.unescape(report.html_path.read_text(encoding="utf-8"))
    assert f"Left out: {', '.join(NOT_YET)}, registered in the gradebook but with no grades yet" in page
    csv = pd.read_csv(report.csv_path)
    left = csv[csv["metric"] == "left_out"]
    assert list(left["module"]) == list(NOT_YET)
    assert "left out, no grades yet: " + ", ".join(NOT_YET) in report.summary()

    # Asked for by name, a module is reported even without grades: the instructor chose it.
    chosen = build_report(root, ["00-orientation"], db_url=url, out=tmp_path / "one", survey=False, events=False)
    assert chosen.modules == ["00-orientation"] and chosen.left_out == []


def test_the_command_says_which_modules_it_left_out(midcourse, tmp_path):
    root, url = midcourse
    done = subprocess.run(
        [COMMAND, "report", "--db", url, "--out", str(tmp_path), "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Report on 2 module(s) (00-orientation, 01-data-prep)" in done.stdout
    assert "left out, no grades yet: " + ", ".join(NOT_YET) in done.stdout
