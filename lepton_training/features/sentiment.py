"""The course's sentiment model: one implementation, taught in modules 03 and 04 and reused by the tools.

:func:`train_sentiment_model` fits TF-IDF of words and word pairs plus logistic regression on the English
comments of ``training_feedback()`` and reports its cross-validated error rate beside it, so that anything
scored with the model (the results report's survey comments, for instance) can state how often it is wrong.
"""

from __future__ import annotations

from typing import Any, NamedTuple

__all__ = ["SentimentModel", "train_sentiment_model", "SENTIMENT_SETTINGS"]

#: The settings of the course's sentiment model (see :func:`lepton_training.features.text.comment_model`).
SENTIMENT_SETTINGS: dict[str, Any] = {"kind": "tfidf", "ngram_range": (1, 2), "C": 10.0}


class SentimentModel(NamedTuple):
    """A fitted sentiment model and how often it is wrong.

    Unpacks as ``pipeline, error_rate = train_sentiment_model()[:2]``.

    Attributes
    ----------
    pipeline : sklearn.pipeline.Pipeline
        Fitted on all the English comments given. ``pipeline.predict_proba(comments)[:, 1]`` is the probability
        that each comment comes with a rating of 4 or 5; ``pipeline.predict(comments)`` says 1 (positive) or 0.
    error_rate : float
        Share of comments misclassified at the 0.5 threshold, estimated by stratified cross-validation on the
        same comments (each comment predicted by a model that did not see it).
    error_rate_sd : float
        Standard deviation of the error rate across folds: how much the estimate itself varies.
    n_comments : int
        The number of English comments it was trained on.
    positive_share : float
        Share of those comments rated 4 or 5; a model that always says "positive" errs on the rest.
    """

    pipeline: Any
    error_rate: float
    error_rate_sd: float
    n_comments: int
    positive_share: float


def train_sentiment_model(feedback: Any = None, seed: int = 2026, *, folds: int = 5) -> SentimentModel:
    """Train the course's sentiment model and estimate its error rate by cross-validation.

    Parameters
    ----------
    feedback : pandas.DataFrame, optional
        Shaped like ``training_feedback()`` (``comment``, ``rating``, ``language``); by default
        ``training_feedback(seed=seed)``. Only its English comments are used: the model's words are English, and a
        Chinese comment would be scored from no known word at all.
    seed : int, default 2026
        Seed of the default data and of the shuffled folds.
    folds : int, default 5
        Folds of the cross-validation.

    Returns
    -------
    SentimentModel
        The pipeline fitted on all the English comments, and its cross-validated error rate.

    Raises
    ------
    ValueError
        If fewer than ``2 * folds`` English comments are given, or they are all of one class.

    Examples
    --------
    >>> result = train_sentiment_model()
    >>> 0.1 < result.error_rate < 0.2
    True
    >>> result.pipeline.predict(["The examples were really helpful."])[0]
    np.int64(1)
    """
    import numpy as np
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    from lepton_training.datasets import training_feedback
    from lepton_training.features.text import comment_model, english_comments, positive

    data = english_comments(training_feedback(seed=seed) if feedback is None else feedback)
    y = positive(data)
    if len(data) < 2 * folds or len(np.unique(y)) < 2:
        raise ValueError(
            f"train_sentiment_model needs at least {2 * folds} English comments with both positive and negative "
            f"ratings; got {len(data)}."
        )
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    accuracy = cross_val_score(comment_model(**SENTIMENT_SETTINGS), data["comment"], y, cv=cv, n_jobs=1)
    pipeline = comment_model(**SENTIMENT_SETTINGS).fit(data["comment"], y)
    return SentimentModel(
        pipeline=pipeline,
        error_rate=float(1 - accuracy.mean()),
        error_rate_sd=float(accuracy.std(ddof=1)),
        n_comments=int(len(data)),
        positive_share=float(y.mean()),
    )
