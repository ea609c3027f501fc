"""Benchmark: which sentiment analyser reads real training comments best, on the held-out labelled set.

Measures, in one run and on the same comments (``lepton_training/report/data/sentiment_eval.csv``: realistic
training-feedback comments written for the purpose, English, Chinese and mixed, with negation and sarcasm, never
used in training), the error rate overall, per language, on negations and on sarcasm, of:

- ``course model``: the course's own model (``lepton_training.features.train_sentiment_model``, modules 03 and
  04), trained on the course's generated comments; every comment given to it as the report used to;
- ``VADER``: ``vaderSentiment`` (positive when the compound score is above 0; Chinese has no VADER words);
- ``SnowNLP``: ``snownlp`` (trained on Chinese product reviews);
- ``VADER (en) + SnowNLP (zh, mixed)``: routed by script;
- ``report model``: ``lepton_training.report.sentiment.comment_model`` (trained on
  ``sentiment_train.csv``, the report's and ``lepton-training sentiment``'s);
- ``VADER (en) + report model (zh, mixed)``: routed by script;
- ``report model, trained on the course's comments too``: the same pipeline with the 3,000 generated comments
  added to its training set.

VADER and SnowNLP are not dependencies of the course: they are measured when installed
(``.venv/bin/pip install vaderSentiment snownlp``) and said to be missing otherwise. The time to label every
comment (after training, wall and CPU, median of ``--runs``) is reported beside each error.

    .venv/bin/python bench/bench_sentiment.py [--runs 3] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

GROUPS = ("all", "en", "zh", "mixed", "negation", "sarcasm")


def _vader() -> Callable[[list[str]], Any]:
    import numpy as np
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyser = SentimentIntensityAnalyzer()
    # compound in [-1, 1]; 0 (no polarity word) reads as negative: in feedback a plain statement is a report of
    # something that happened, more often a complaint than praise.
    return lambda texts: np.array([(analyser.polarity_scores(t)["compound"] + 1) / 2 - 1e-9 for t in texts])


def _snownlp() -> Callable[[list[str]], Any]:
    import numpy as np
    from snownlp import SnowNLP

    return lambda texts: np.array([SnowNLP(t).sentiments for t in texts])


def _course() -> Callable[[list[str]], Any]:
    from lepton_training.features.sentiment import train_sentiment_model

    pipeline = train_sentiment_model().pipeline
    return lambda texts: pipeline.predict_proba(texts)[:, 1]


def _report() -> Callable[[list[str]], Any]:
    from lepton_training.report.sentiment import comment_model

    return comment_model().predict_proba


def _report_plus_course() -> Callable[[list[str]], Any]:
    import pandas as pd

    from lepton_training.datasets import training_feedback
    from lepton_training.report.sentiment import _pipeline, labelled_comments

    train, generated = labelled_comments("train"), training_feedback()
    texts = pd.concat([train["text"], generated["comment"]], ignore_index=True)
    labels = pd.concat([train["label"] == "positive", generated["rating"] >= 4], ignore_index=True).astype(int)
    pipeline = _pipeline().fit(texts, labels)
    return lambda t: pipeline.predict_proba(t)[:, 1]


def _routed(english: Callable, other: Callable) -> Callable[[list[str]], Any]:
    import numpy as np

    from lepton_training.report.sentiment import script

    def score(texts: list[str]) -> Any:
        is_en = np.array([script(t) == "en" for t in texts])
        out = np.full(len(texts), np.nan)
        if is_en.any():
            out[is_en] = english([t for t, e in zip(texts, is_en, strict=True) if e])
        if (~is_en).any():
            out[~is_en] = other([t for t, e in zip(texts, is_en, strict=True) if not e])
        return out

    return score


def analysers() -> dict[str, Callable[[], Callable[[list[str]], Any]]]:
    """Name -> a function that trains or loads the analyser and returns its scorer (texts -> P(positive))."""
    return {
        "course model (generated comments)": _course,
        "VADER": _vader,
        "SnowNLP": _snownlp,
        "VADER (en) + SnowNLP (zh, mixed)": lambda: _routed(_vader(), _snownlp()),
        "report model": _report,
        "VADER (en) + report model (zh, mixed)": lambda: _routed(_vader(), _report()),
        "report model, trained on the course's comments too": _report_plus_course,
    }


def run(runs: int = 3) -> dict:
    """Measure every analyser on the held-out set; return ``{"n": ..., "results": [...]}``."""
    import numpy as np

    from lepton_training.report.sentiment import labelled_comments, measure

    held_out = labelled_comments("eval")
    texts = list(held_out["text"])
    results = []
    for name, make in analysers().items():
        row: dict[str, Any] = {"name": name}
        try:
            wall, cpu = time.perf_counter(), time.process_time()
            scorer = make()
            row["setup_s"], row["setup_cpu_s"] = time.perf_counter() - wall, time.process_time() - cpu
        except ImportError as exc:
            row["missing"] = f"not installed ({exc.name})"
            results.append(row)
            continue
        walls, cpus = [], []
        for _ in range(runs):
            wall, cpu = time.perf_counter(), time.process_time()
            scores = scorer(texts)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        row["errors"] = measure(scores, held_out)
        truth = (held_out["label"] == "positive").to_numpy()
        row["wrong"] = (np.isnan(scores) | ((scores >= 0.5) != truth)).astype(int).tolist()
        row["label_s"], row["label_cpu_s"] = walls, cpus
        results.append(row)
    return {"n": len(texts), "runs": runs, "results": results}


def better_than(data: dict, name: str = "report model") -> list[tuple[str, int, int, float]]:
    """Analysers that get significantly more comments right than ``name`` on the same comments.

    A two-sided exact sign test (McNemar's) on the comments where the two disagree: ``(other, only it right,
    only name right, p)`` for each analyser with p < 0.05 and more comments right.
    """
    from scipy.stats import binomtest

    rows = {r["name"]: r for r in data["results"] if "wrong" in r}
    mine = rows[name]["wrong"]
    found = []
    for other, row in rows.items():
        only_other = sum(1 for a, b in zip(mine, row["wrong"], strict=True) if a and not b)
        only_mine = sum(1 for a, b in zip(mine, row["wrong"], strict=True) if b and not a)
        if only_other + only_mine and only_other > only_mine:
            p = binomtest(only_other, only_other + only_mine).pvalue
            if p < 0.05:
                found.append((other, only_other, only_mine, p))
    return found


def table(data: dict) -> list[str]:
    """The results as Markdown table lines (error rates in percent, errors/comments)."""
    head = ["analyser", *(f"{g} error" for g in GROUPS), f"label {data['n']} comments: wall, CPU"]
    lines = ["| " + " | ".join(head) + " |", "| --- |" + " ---: |" * (len(head) - 1)]
    for row in data["results"]:
        if "missing" in row:
            lines.append(f"| {row['name']} | " + " | ".join([row["missing"]] + [""] * (len(head) - 2)) + " |")
            continue
        cells = []
        for g in GROUPS:
            wrong, n = row["errors"][g]
            cells.append(f"{wrong / n:.1%} ({wrong}/{n})" if n else "–")
        wall, cpu = statistics.median(row["label_s"]), statistics.median(row["label_cpu_s"])
        cells.append(f"{wall * 1e3:.0f} ms, {cpu * 1e3:.0f} ms")
        lines.append(f"| {row['name']} | " + " | ".join(cells) + " |")
    return lines


def main() -> None:
    """Measure, print the table, optionally write JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed labelling runs per analyser")
    parser.add_argument("--json", default=None, help="also write the results to this JSON file")
    args = parser.parse_args()
    data = run(args.runs)
    print("\n".join(table(data)))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1)


if __name__ == "__main__":
    main()
