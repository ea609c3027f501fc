"""The sample report in one command (issue 22, item 6), the survey section's comments in every language with the
model's measured error and no unmarked misread example (item 3), and the learning gain's bootstrap by counts
(speed item) against the interval module 04 teaches."""

import html
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

COMMAND = str(Path(sys.executable).parent / "lepton-training")


def _quotes(page):
    return [html.unescape(q) for q in re.findall(r"<blockquote>(.*?)</blockquote>", page, flags=re.S)]


def test_report_demo_writes_a_sample_report(tmp_path):
    out = tmp_path / "sample" / "report.html"
    done = subprocess.run([COMMAND, "report", "--demo", str(out)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "synthetic cohort" in done.stdout and str(out) in done.stdout
    assert "Warning" not in done.stderr and "Traceback" not in done.stderr
    page = out.read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert "Demo: a synthetic cohort" in text  # says it is not a real cohort
    from lepton_training.manifest import load_course

    graded = [m.id for m in load_course().modules if m.questions]
    for module in graded:
        assert module in text
    for words in ("Cronbach's alpha", "Learners at risk", "Learning gain", "The training survey", "wrong on"):
        assert words in text
    # Chinese comments appear on the page and in the CSV beside it.
    quotes = _quotes(page)
    assert any(re.search(r"[\u4e00-\u9fff]", q) for q in quotes)
    csv = pd.read_csv(out.with_suffix(".csv"), keep_default_na=False)
    comments = csv[(csv["section"] == "survey_comments") & (csv["metric"] == "comment")]["value"]
    assert len(comments) and comments.str.contains(r"[\u4e00-\u9fff]").any()
    languages = set(csv[(csv["section"] == "survey_comments") & (csv["metric"] == "language")]["value"])
    assert {"en", "zh", "mixed"} <= languages
    error_zh = csv[(csv["section"] == "survey") & (csv["metric"] == "error_rate_zh")]["value"]
    assert 0 <= float(error_zh.iloc[0]) < 0.5
    # The command refuses a mix of --demo and a real cohort's options.
    mixed = subprocess.run(
        [COMMAND, "report", "--demo", str(out), "00-orientation"], capture_output=True, text=True, timeout=60
    )
    assert mixed.returncode == 1 and "--demo" in mixed.stderr


class _Backwards:
    """A model that reads every comment the wrong way round, confidently: the page must mark what it shows."""

    def __init__(self, truth):
        self.truth = truth
        self.error = {g: (0, 0) for g in ("all", "en", "zh", "mixed", "negation", "sarcasm")}

    def predict_proba(self, texts):
        return np.array([0.02 if self.truth[t] == "positive" else 0.98 for t in texts])

    def error_rate(self, group="all"):
        return 1.0

    def describe(self):
        return "backwards"


def test_a_misread_example_is_marked_on_the_page(tmp_path):
    from lepton_training.report import page
    from lepton_training.report.build import Report
    from lepton_training.report.survey import score_comments

    truth = {
        "Too fast, I was lost after the first hour.": "negative",
        "Clear and friendly, the hints helped a lot.": "positive",
        "Colab kept disconnecting and crashed twice.": "negative",
        "节奏太快了，完全跟不上。": "negative",
        "老师讲得很清楚，练习很有用。": "positive",
    }
    comments = pd.DataFrame({"learner": list("abcde"), "module": "00-orientation", "comment": list(truth)})
    for model, marked in ((None, False), (_Backwards(truth), True)):
        scored, about = score_comments(comments, model)
        report = Report(modules=["00-orientation"])
        report.sections = {"ratings": pd.DataFrame(columns=["learner", "module", "rating"])}
        report.sections.update(comments=scored, about_model=about)
        quotes = _quotes(page._survey(report))
        assert quotes and any(re.search(r"[\u4e00-\u9fff]", q) for q in quotes)
        for quote in quotes:
            comment = next(c for c in truth if quote.startswith(c))
            shown = re.search(r"read as (\w+)", quote).group(1)
            if marked:  # every label shown is wrong, and every one says it may be
                assert shown != truth[comment] and "may be wrong" in quote
            elif "may be wrong" not in quote:  # the report's own model: unmarked labels are right
                assert shown == truth[comment], quote


def test_gain_interval_by_counts_matches_the_taught_bootstrap():
    from lepton_training.evaluation import learning_gain, learning_gain_ci
    from lepton_training.report.gain import gain_interval

    rng = np.random.default_rng(4)
    pre = rng.integers(0, 4, 400).astype(float)
    post = np.minimum(3, pre + rng.integers(0, 3, 400)).astype(float)
    pre[:20], post[20:30] = np.nan, np.nan
    ours = gain_interval(pre, post, 3.0, seed=1)
    taught = learning_gain_ci(pre, post, max_score=3.0, n_resamples=9999, seed=1)
    assert ours.estimate == pytest.approx(learning_gain(pre, post, max_score=3.0))
    # The same bootstrap distribution: bounds agree to Monte Carlo error (a small share of the standard error).
    assert ours.low == pytest.approx(taught.low, abs=0.15 * taught.standard_error)
    assert ours.high == pytest.approx(taught.high, abs=0.15 * taught.standard_error)
    assert ours.standard_error == pytest.approx(taught.standard_error, rel=0.05)
    # Continuous scores (as many distinct pairs as learners) work the same way.
    cont = gain_interval(rng.uniform(0, 50, 50), rng.uniform(30, 100, 50), 100.0, seed=2)
    assert cont.low < cont.estimate < cont.high
    # Nobody with room to improve in some resamples: no interval, as SciPy's.
    top = gain_interval(np.array([3.0, 3.0, 2.0]), np.array([3.0, 3.0, 3.0]), 3.0, n_resamples=2000)
    assert np.isnan(top.low) and np.isnan(top.high)
    with pytest.raises(ValueError, match="at least two"):
        gain_interval([1.0, np.nan], [2.0, 3.0], 3.0)
