"""The report in words: questions by their titles, verdicts without words given some, a missing or zero-width
gain interval explained, and no SciPy warning on the command's output."""

import html
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd

from lepton_training.report import build_report
from lepton_training.report.page import question_label, verdict_words
from lepton_training.report.synthetic import write_synthetic_gradebook

COMMAND = str(Path(sys.executable).parent / "lepton-training")


def test_items_are_named_by_their_question_titles(tmp_path):
    url = write_synthetic_gradebook(tmp_path / "gradebook.db", learners=40, questions=4, seed=3, quizzes=False)
    report = build_report(tmp_path, db_url=url, out=tmp_path / "out", survey=False, events=False)
    page = html.unescape(report.html_path.read_text(encoding="utf-8"))
    assert "<td>q2 · Mean rating</td>" in page and "<td>q1 · Audit a raw extract</td>" in page
    assert "<td>q2-tests</td>" not in page
    csv = pd.read_csv(report.csv_path)
    titles = csv[(csv["metric"] == "title") & (csv["module"] == "00-orientation")].set_index("item")["value"]
    assert titles["q1-tests"] == "q1 · Completion rate"
    # Beyond the course's questions (a synthetic fifth), and for an event's question id.
    assert question_label("00-orientation", "q9-tests") == "q9-tests"
    assert question_label("00-orientation", "00-orientation:q4") == "q4 · Ready to submit?"
    assert question_label("no-such-module", "q1-tests") == "q1-tests"


def test_verdicts_without_words_are_given_words():
    words = verdict_words("incorrect: this looks like a percentage; return a fraction (5); incorrect: (3)")
    assert words == (
        "incorrect: this looks like a percentage; return a fraction (5); "
        "incorrect, with a message that begins with a value (not recorded) (3)"
    )
    assert verdict_words("") == ""


def _quiz_scores(url, assignment, score):
    path = url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        conn.execute(
            "UPDATE grade SET auto_score = ? WHERE notebook_id IN (SELECT sn.id FROM submitted_notebook sn "
            "JOIN submitted_assignment sa ON sn.assignment_id = sa.id JOIN assignment a ON sa.assignment_id = a.id "
            "WHERE a.name = ?)",
            (score, assignment),
        )


def test_a_missing_interval_says_why_and_scipy_warns_nothing(tmp_path):
    # Every learner had every point before the course: no room to improve, which SciPy meets with a warning.
    url = write_synthetic_gradebook(tmp_path / "gradebook.db", learners=30, questions=4, seed=1)
    _quiz_scores(url, "quiz-pre", 1.0)
    _quiz_scores(url, "quiz-post", 1.0)
    done = subprocess.run(
        [COMMAND, "report", "--db", url, "--out", str(tmp_path / "out"), "--root", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stderr and "Warning" not in done.stdout, done.stderr
    page = html.unescape((tmp_path / "out" / "report.html").read_text(encoding="utf-8"))
    assert "– to –" not in page
    assert "no room to improve: the " in page and " learners with both quizzes had every point before" in page
    csv = pd.read_csv(tmp_path / "out" / "report.csv")
    notes = csv[(csv["section"] == "learning_gain") & (csv["metric"] == "note")]["value"]
    assert len(notes) == 2 and notes.str.startswith("no room to improve").all()


def test_too_few_learners_with_both_quizzes_is_said(tmp_path):
    url = write_synthetic_gradebook(tmp_path / "gradebook.db", learners=1, questions=4, seed=2)
    report = build_report(tmp_path, db_url=url, out=tmp_path / "out", survey=False, events=False)
    page = html.unescape(report.html_path.read_text(encoding="utf-8"))
    assert "– to –" not in page
    assert "too few learners with both quizzes (1; an interval needs at least 2)" in page
