"""The report's sentiment model (issue 22, items 3 and 5): its labelled sets kept apart, its error measured on the
held-out one, the issue's misread examples read right, and ``lepton-training sentiment`` on CSV, text and stdin.

The comparison with the course's model, VADER and SnowNLP is ``bench/bench_sentiment.py`` (figures in
bench/RESULTS.md); these tests assert no figure beyond a sanity bound.
"""

import io
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lepton_training.report.sentiment import (
    agrees_with_rules,
    comment_model,
    labelled_comments,
    measure,
    read_comments,
    script,
)

COMMAND = str(Path(sys.executable).parent / "lepton-training")


def _norm(text):
    return re.sub(r"\W+", "", unicodedata.normalize("NFKC", text).lower())


def test_the_labelled_sets_are_realistic_varied_and_kept_apart():
    train, held_out = labelled_comments("train"), labelled_comments("eval")
    assert len(held_out) >= 150 and len(train) >= 150
    for table in (train, held_out):
        assert set(table["label"]) == {"positive", "negative"}
        assert set(table["language"]) == {"en", "zh", "mixed"}
        # Each language has both labels, and negation and sarcasm are represented.
        assert table.groupby("language")["label"].nunique().eq(2).all()
        assert table["negation"].sum() >= 30 and table["sarcasm"].sum() >= 15
        # The language column says what the text is written in.
        assert [script(t) for t in table["text"]] == list(table["language"])
        assert table["text"].is_unique
    # No evaluation comment is in the training set, even with other punctuation or case.
    assert not {_norm(t) for t in train["text"]} & {_norm(t) for t in held_out["text"]}
    # Written by hand, not from the course's generated comments.
    from lepton_training.datasets import training_feedback

    generated = {_norm(t) for t in training_feedback()["comment"]}
    assert not generated & {_norm(t) for t in pd.concat([train["text"], held_out["text"]])}


def test_the_model_is_measured_on_the_held_out_set_and_reads_the_issues_examples_right():
    model = comment_model()
    held_out = labelled_comments("eval")
    assert model.error == measure(model.predict_proba(held_out["text"]), held_out)
    assert set(model.error) == {"all", "en", "zh", "mixed", "negation", "sarcasm"}
    assert model.error["all"][1] == len(held_out) and model.error_rate() < 0.3
    assert "English" in model.describe() and "Chinese" in model.describe()
    labels = model.label(
        [
            "Too fast, I was lost after the first hour.",
            "Clear and friendly, the hints helped a lot.",
            "Colab kept disconnecting.",
            "节奏太快了，完全跟不上。",
            "老师讲得很清楚，谢谢！",
            "",
        ]
    )
    assert list(labels.columns) == ["text", "label", "score"]
    assert labels["label"].tolist() == ["negative", "positive", "negative", "negative", "positive", ""]
    assert np.isnan(labels["score"].iloc[-1])


def test_measure_counts_an_unscored_comment_as_an_error():
    table = pd.DataFrame(
        {
            "text": ["a", "b", "c"],
            "label": ["positive", "negative", "positive"],
            "language": ["en", "zh", "zh"],
            "negation": [0, 1, 0],
            "sarcasm": [0, 0, 1],
        }
    )
    errors = measure([0.9, np.nan, 0.2], table)
    assert errors["all"] == (2, 3) and errors["en"] == (0, 1) and errors["zh"] == (2, 2)
    assert errors["mixed"] == (0, 0) and errors["sarcasm"] == (1, 1)


def test_an_example_is_sure_only_when_the_model_is_confident_and_the_rules_agree():
    texts = [
        "Clear and friendly, the hints helped a lot.",  # positive words
        "Colab kept disconnecting and crashed.",  # negative words
        "Great, another install problem.",  # sarcasm: praise, then a problem
        "The session was on Tuesday.",  # no polarity word
    ]
    assert agrees_with_rules(texts, [0.95, 0.05, 0.05, 0.95]).tolist() == [True, True, True, False]
    # A confident model that reads them the other way is not sure: the page marks such an example.
    assert agrees_with_rules(texts, [0.05, 0.95, 0.95, 0.05]).tolist() == [False, False, False, False]
    assert agrees_with_rules(texts, [0.6, 0.4, 0.4, 0.6]).tolist() == [False, False, False, False]


def test_read_comments_csv_text_and_errors(tmp_path, monkeypatch):
    csv_file = tmp_path / "c.csv"
    csv_file.write_text('id,text\n1,"Too fast, I was lost."\n2,节奏太快了\n3,NA\n', encoding="utf-8-sig")
    assert read_comments(csv_file) == ["Too fast, I was lost.", "节奏太快了", "NA"]
    lines = tmp_path / "comments.txt"
    lines.write_text("Too fast, I was lost.\n\n节奏太快了\n", encoding="utf-8")
    assert read_comments(lines) == ["Too fast, I was lost.", "节奏太快了"]
    with pytest.raises(FileNotFoundError, match="no such file"):
        read_comments(tmp_path / "missing.csv")
    (tmp_path / "bad.csv").write_text("comment,rating\nGood,5\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no 'text' column .*comment, rating"):
        read_comments(tmp_path / "bad.csv")
    (tmp_path / "latin1.txt").write_bytes("très bien".encode("latin-1"))
    with pytest.raises(ValueError, match="not UTF-8"):
        read_comments(tmp_path / "latin1.txt")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"text\nGood job\n")))
    assert read_comments("-") == ["Good job"]


def test_sentiment_command_labels_with_the_reports_model(tmp_path):
    comments = ["Too fast, I was lost after the first hour.", "老师讲得很清楚，谢谢！", "Hints 很到位, never stuck."]
    source = tmp_path / "comments.csv"
    pd.DataFrame({"learner": ["a", "b", "c"], "text": comments}).to_csv(source, index=False)
    done = subprocess.run([COMMAND, "sentiment", str(source)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    out = pd.read_csv(io.StringIO(done.stdout), keep_default_na=False)
    assert list(out.columns) == ["text", "label", "score"] and out["text"].tolist() == comments
    assert out["label"].tolist() == ["negative", "positive", "positive"]
    expected = comment_model().predict_proba(comments)
    assert np.allclose(out["score"].astype(float), expected, atol=1e-4)
    assert "wrong on" in done.stderr and "Chinese" in done.stderr
    # One comment a line, from standard input.
    piped = subprocess.run(
        [COMMAND, "sentiment", "-"], input="\n".join(comments), capture_output=True, text=True, timeout=300
    )
    assert piped.returncode == 0 and pd.read_csv(io.StringIO(piped.stdout))["text"].tolist() == comments
    # Clear errors.
    missing = subprocess.run([COMMAND, "sentiment", str(tmp_path / "nope.csv")], capture_output=True, text=True)
    assert missing.returncode == 1 and "no such file" in missing.stderr and not missing.stdout
    (tmp_path / "bad.csv").write_text("comment\nGood\n", encoding="utf-8")
    bad = subprocess.run([COMMAND, "sentiment", str(tmp_path / "bad.csv")], capture_output=True, text=True)
    assert bad.returncode == 1 and "no 'text' column" in bad.stderr and "Traceback" not in bad.stderr
