"""`lepton-training report` end to end on a synthetic gradebook: the page, the CSV, the command.

The report on a gradebook graded by nbgrader, with event records, survey answers and quizzes from real
submissions, is tests/test_report_roundtrip.py; the page in a real browser is there too.
"""

import html
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from lepton_training.report import build_report
from lepton_training.report.synthetic import write_synthetic_gradebook


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    url = write_synthetic_gradebook(root / "gradebook.db", learners=120, questions=6, seed=5)
    return root, url


def test_report_on_a_synthetic_gradebook(synthetic):
    root, url = synthetic
    report = build_report(root, db_url=url, out=root / "out")
    assert report.modules == ["00-orientation", "01-data-prep"]
    page = report.html_path.read_text(encoding="utf-8")
    # Self-contained: no script, no link, no source outside the page (figures are data URIs).
    assert "<script" not in page.lower() and "<link" not in page.lower()
    assert not re.search(r"""(src|href)=["'](?!data:|#)""", page)
    assert re.search(r"prefers-color-scheme: dark", page) and "@media print" in page
    text = html.unescape(page)
    for words in ("Cronbach's alpha is", "Learners at risk", "never changes a score", "Learning gain"):
        assert words in text
    csv = pd.read_csv(report.csv_path)
    assert set(csv["section"]) >= {"completion", "items", "reliability", "at_risk", "learning_gain"}
    flags = csv[(csv["metric"] == "flags") & (csv["module"] == "00-orientation")].set_index("item")["value"]
    assert "most learners fail" in flags["q1-tests"] and "negative" in flags["q2-tests"]
    gains = csv[(csv["section"] == "learning_gain") & (csv["metric"] == "gain")]
    assert len(gains) == 2 and (gains["value"].astype(float) > 0).all()


def test_report_command(synthetic, tmp_path):
    root, url = synthetic
    command = str(Path(sys.executable).parent / "lepton-training")
    done = subprocess.run(
        [command, "report", "00-orientation", "--db", url, "--out", str(tmp_path), "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "report.html").is_file() and (tmp_path / "report.csv").is_file()
    wrong = subprocess.run(
        [command, "report", "no-such-module", "--db", url, "--out", str(tmp_path)], capture_output=True, text=True
    )
    assert wrong.returncode == 1 and "not in the gradebook: no-such-module" in wrong.stderr
