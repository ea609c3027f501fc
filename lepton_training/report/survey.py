"""The training survey's answers, read from the submitted survey notebooks, and the comments' sentiment.

Comments are scored with the course's one sentiment model (:func:`lepton_training.features.train_sentiment_model`,
taught in modules 03 and 04, trained on the training-feedback data set), whose cross-validated error rate is
reported beside every number it produces. It reads English only; other comments are listed, not scored.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

__all__ = ["SURVEY_MODULE", "THEMES", "read_survey", "collect_survey", "score_comments"]

#: The survey's folder and nbgrader assignment.
SURVEY_MODULE = "99-survey"

#: Themes of comments, by the words that name them (the aspects the training-feedback data set knows).
THEMES = {
    "pace": ("pace", "fast", "slow", "rushed", "speed"),
    "examples": ("example", "examples"),
    "exercises": ("exercise", "exercises", "hands-on", "lab", "labs", "practice"),
    "instructor": ("instructor", "facilitator", "teacher", "explanation", "explained"),
    "setup and notebooks": ("colab", "setup", "notebook", "notebooks", "install", "jupyter"),
    "slides": ("slide", "slides"),
    "length": ("length", "long", "short", "time", "hours"),
}


def read_survey(notebook: str | Path | dict) -> dict | None:
    """Return the latest survey answers saved in one notebook, or None."""
    from lepton_training.widgets.survey import SURVEY_MIME

    if not isinstance(notebook, dict):
        try:
            notebook = json.loads(Path(notebook).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
    found = []
    for cell in notebook.get("cells", []) if isinstance(notebook, dict) else []:
        for output in cell.get("outputs", []) or [] if isinstance(cell, dict) else []:
            data = output.get("data") if isinstance(output, dict) else None
            payload = data.get(SURVEY_MIME) if isinstance(data, dict) else None
            if isinstance(payload, dict) and isinstance(payload.get("ratings", {}), dict):
                found.append(payload)
    return max(found, key=lambda p: str(p.get("saved", ""))) if found else None


def collect_survey(root: str | Path) -> tuple[Any, Any]:
    """Read every learner's submitted survey.

    Parameters
    ----------
    root : path-like
        The course root (``submitted/<learner>/99-survey/``).

    Returns
    -------
    ratings : pandas.DataFrame
        ``learner``, ``module``, ``rating`` (1 to 5).
    comments : pandas.DataFrame
        ``learner``, ``module`` (or ``"course"``), ``comment``.
    """
    import pandas as pd

    ratings, comments = [], []
    folder = Path(root) / "submitted"
    for learner_dir in sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []:
        for path in sorted((learner_dir / SURVEY_MODULE).glob("*.ipynb")):
            payload = None if path.is_symlink() else read_survey(path)
            if not payload:
                continue
            for module, rating in payload.get("ratings", {}).items():
                if isinstance(rating, int) and not isinstance(rating, bool) and 1 <= rating <= 5:
                    ratings.append({"learner": learner_dir.name, "module": str(module), "rating": rating})
            for module, comment in (payload.get("comments") or {}).items():
                if isinstance(comment, str) and comment.strip():
                    comments.append({"learner": learner_dir.name, "module": str(module), "comment": comment[:2000]})
    return (
        pd.DataFrame(ratings, columns=["learner", "module", "rating"]),
        pd.DataFrame(comments, columns=["learner", "module", "comment"]),
    )


def _theme(comment: str) -> list[str]:
    words = set(re.findall(r"[a-z][a-z-]*", comment.lower()))
    return [theme for theme, keys in THEMES.items() if words.intersection(keys)] or ["other"]


def _english(comment: str) -> bool:
    letters = [c for c in comment if c.isalpha()]
    return bool(letters) and sum(c.isascii() for c in letters) / len(letters) > 0.9


def score_comments(comments: Any, model: Any = None) -> tuple[Any, dict]:
    """Score the comments' sentiment with the course's model and assign themes.

    Parameters
    ----------
    comments : pandas.DataFrame
        As returned by :func:`collect_survey`.
    model : SentimentModel, optional
        Default: ``train_sentiment_model()`` (a few seconds).

    Returns
    -------
    scored : pandas.DataFrame
        The comments with ``english``, ``positive`` (probability, NaN when not English) and ``themes``.
    about_model : dict
        ``error_rate``, ``error_rate_sd``, ``n_comments`` of the model, or ``{"unavailable": reason}``.
    """
    import numpy as np

    scored = comments.copy()
    scored["english"] = [_english(c) for c in scored["comment"]]
    scored["themes"] = [_theme(c) for c in scored["comment"]]
    scored["positive"] = np.nan
    if model is None:
        try:
            from lepton_training.features.sentiment import train_sentiment_model
        except ImportError as exc:  # the course's model is not in this installation
            return scored, {"unavailable": f"the course's sentiment model could not be loaded ({exc})"}
        model = train_sentiment_model()
    english = scored["english"].to_numpy()
    if english.any():
        scored.loc[english, "positive"] = model.pipeline.predict_proba(scored.loc[english, "comment"])[:, 1]
    return scored, {
        "error_rate": float(model.error_rate),
        "error_rate_sd": float(model.error_rate_sd),
        "n_comments": int(model.n_comments),
    }
