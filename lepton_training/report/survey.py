"""The training survey's answers, read from the submitted survey notebooks, and the comments' sentiment.

Comments, English, Chinese or both, are scored with the report's sentiment model
(:func:`lepton_training.report.sentiment.comment_model`), whose error measured on labelled comments kept apart from
its training is reported beside every number it produces.
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
    "pace": ("pace", "fast", "slow", "rushed", "speed", "节奏", "太快", "太慢", "跟不上"),
    "examples": ("example", "examples", "例子", "案例"),
    "exercises": ("exercise", "exercises", "hands-on", "lab", "labs", "practice", "练习", "实操", "题目"),
    "instructor": ("instructor", "facilitator", "teacher", "explanation", "explained", "老师", "讲师", "讲解"),
    "setup and notebooks": ("colab", "setup", "notebook", "notebooks", "install", "jupyter", "环境", "笔记本", "安装"),
    "slides": ("slide", "slides", "幻灯片", "课件", "讲义"),
    "length": ("length", "long", "short", "time", "hours", "时间", "太长"),
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
    text = comment.lower()
    words = set(re.findall(r"[a-z][a-z-]*", text))
    found = [
        theme
        for theme, keys in THEMES.items()
        if words.intersection(keys) or any(not k.isascii() and k in text for k in keys)
    ]
    return found or ["other"]


def score_comments(comments: Any, model: Any = None) -> tuple[Any, dict]:
    """Score the comments' sentiment with the report's model and assign themes.

    Parameters
    ----------
    comments : pandas.DataFrame
        As returned by :func:`collect_survey`.
    model : CommentSentiment, optional
        Default: :func:`lepton_training.report.sentiment.comment_model` (trained once per process, about a
        second).

    Returns
    -------
    scored : pandas.DataFrame
        The comments with ``language`` (``en``, ``zh``, ``mixed`` or ``other``), ``positive`` (probability),
        ``label`` (``positive``/``negative``), ``sure`` (True when the model is confident and the word rules
        agree with it: such an example can be shown as it is) and ``themes``.
    about_model : dict
        ``error_rate`` (measured on the held-out labelled comments), ``errors`` per group (``all``, ``en``,
        ``zh``, ``mixed``, ``negation``, ``sarcasm``: errors and comments) and ``described`` (one sentence).
    """
    from lepton_training.report.sentiment import agrees_with_rules, comment_model, script

    model = model or comment_model()
    scored = comments.copy()
    scored["language"] = [script(c) for c in scored["comment"]]
    scored["themes"] = [_theme(c) for c in scored["comment"]]
    scored["positive"] = model.predict_proba(scored["comment"])
    scored["label"] = ["" if p != p else "positive" if p >= 0.5 else "negative" for p in scored["positive"]]
    scored["sure"] = agrees_with_rules(scored["comment"], scored["positive"])
    return scored, {"error_rate": model.error_rate(), "errors": dict(model.error), "described": model.describe()}
