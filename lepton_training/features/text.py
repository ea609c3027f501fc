"""Text features of the training-feedback comments: bag of words, n-grams, TF-IDF and a lexicon score.

A vectorizer learns its vocabulary (and TF-IDF its document frequencies) in ``fit``; inside a
:class:`~sklearn.pipeline.Pipeline` that happens on the training rows only, so a comment's features never depend
on which other comments are scored with it.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

__all__ = [
    "NEGATIONS",
    "english_comments",
    "positive",
    "tokenize",
    "lexicon_scores",
    "LexiconScore",
    "comment_model",
    "cv_comment_auc",
]

#: Words that flip the sentiment of the words after them ("not helpful", "never boring").
NEGATIONS = frozenset({"not", "no", "never", "didn't", "wasn't", "weren't", "isn't", "don't", "nothing"})

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def english_comments(feedback: pd.DataFrame) -> pd.DataFrame:
    """Return the English rows of a table shaped like ``training_feedback()``, index 0 to n-1.

    The course's English models use these only: a whitespace tokenizer sees a Chinese sentence as one or two long
    words (see the data card).
    """
    return feedback[feedback["language"] == "en"].reset_index(drop=True)


def positive(feedback: pd.DataFrame) -> np.ndarray:
    """Return the target of the sentiment model: 1 for a rating of 4 or 5, else 0."""
    return (feedback["rating"] >= 4).to_numpy().astype(int)


def tokenize(text: Any) -> list[str]:
    """Lowercase words of a comment, apostrophes kept (``"wasn't"``); an empty list for a missing value.

    Examples
    --------
    >>> tokenize("The pace wasn't clear. Thanks!")
    ['the', 'pace', "wasn't", 'clear', 'thanks']
    """
    if not isinstance(text, str):
        return []
    return _WORD.findall(text.lower())


def lexicon_scores(comments: Any, lexicon: dict[str, float] | None = None, *, negation: bool = False) -> np.ndarray:
    """Sum of the lexicon scores of each comment's words.

    Parameters
    ----------
    comments : iterable of str
    lexicon : dict, optional
        Word -> score; ``sentiment_lexicon()`` by default.
    negation : bool, default False
        When True, a word within three words after a negation (:data:`NEGATIONS`) counts with the opposite sign,
        so "not helpful" scores below zero and "never boring" above.

    Returns
    -------
    numpy.ndarray of float
        One score per comment.

    Examples
    --------
    >>> lexicon_scores(["Not helpful at all."], {"helpful": 1.0}, negation=True)
    array([-1.])
    """
    if lexicon is None:
        from lepton_training.datasets import sentiment_lexicon

        lexicon = sentiment_lexicon()
    scores = []
    for text in comments:
        total, flip_left = 0.0, 0
        for word in tokenize(text):
            if negation and word in NEGATIONS:
                flip_left = 3
                continue
            value = lexicon.get(word, 0.0)
            total += -value if flip_left > 0 else value
            flip_left = max(flip_left - 1, 0)
        scores.append(total)
    return np.asarray(scores, dtype=float)


class LexiconScore(TransformerMixin, BaseEstimator):
    """Scikit-learn transformer: one column, the lexicon score of each comment (:func:`lexicon_scores`).

    Parameters
    ----------
    lexicon : dict, optional
        ``sentiment_lexicon()`` by default.
    negation : bool, default False
        Flip the words after a negation.
    """

    def __init__(self, lexicon: dict[str, float] | None = None, negation: bool = False):
        self.lexicon = lexicon
        self.negation = negation

    def fit(self, X: Any, y: Any = None) -> LexiconScore:  # noqa: N803 - scikit-learn's names
        """Learn nothing: the lexicon is given."""
        self.n_features_in_ = 1
        return self

    def transform(self, X: Any) -> np.ndarray:  # noqa: N803
        """Return the lexicon score of each comment, as an array of shape (n, 1)."""
        return lexicon_scores(np.asarray(X, dtype=object).ravel(), self.lexicon, negation=self.negation)[:, None]

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Return the name of the one feature."""
        return np.array(["lexicon_score"], dtype=object)


def comment_model(
    kind: str = "tfidf",
    *,
    ngram_range: tuple[int, int] = (1, 2),
    max_features: int | None = None,
    lexicon: bool = False,
    negation: bool = False,
    C: float = 10.0,  # noqa: N803 - scikit-learn's name
) -> Pipeline:
    """Build a sentiment model of comments: text features, then logistic regression.

    Parameters
    ----------
    kind : {"tfidf", "counts", "binary", "lexicon"}
        TF-IDF weights, word counts, 0/1 presence, or the lexicon score alone.
    ngram_range : tuple of int, default (1, 2)
        Single words (1, 1), or words and pairs of adjacent words (1, 2), ...
    max_features : int, optional
        Keep only the most frequent terms of the training comments.
    lexicon : bool, default False
        Add the lexicon score as one more feature (for the text kinds).
    negation : bool, default False
        Whether the lexicon score flips words after a negation.
    C : float, default 10.0
        Inverse regularization strength.

    Returns
    -------
    sklearn.pipeline.Pipeline
        Unfitted; takes a sequence of comments, ``predict_proba(comments)[:, 1]`` is the probability of a
        positive rating.
    """
    if kind == "lexicon":
        return make_pipeline(LexiconScore(negation=negation), StandardScaler(), LogisticRegression(C=C))
    if kind not in {"tfidf", "counts", "binary"}:
        raise ValueError(f"Unknown kind {kind!r}: use 'tfidf', 'counts', 'binary' or 'lexicon'.")
    vectorizer_class = TfidfVectorizer if kind == "tfidf" else CountVectorizer
    options = {"binary": True} if kind == "binary" else {}
    # Negations such as "wasn't" are whole tokens, so that the bigram "wasn't clear" exists.
    vectorizer = vectorizer_class(
        ngram_range=ngram_range, max_features=max_features, tokenizer=tokenize, token_pattern=None, **options
    )
    features: Any = vectorizer
    if lexicon:
        features = FeatureUnion(
            [("words", vectorizer), ("lexicon", make_pipeline(LexiconScore(negation=negation), StandardScaler()))]
        )
    return Pipeline([("features", features), ("model", LogisticRegression(C=C, max_iter=2000))])


def cv_comment_auc(model: Any, feedback: pd.DataFrame, *, folds: int = 5, seed: int = 0) -> np.ndarray:
    """Cross-validated ROC AUC of a comment model on a feedback table's comments, one value per fold.

    Parameters
    ----------
    model : estimator
        Takes comments, refit on each fold's training part.
    feedback : pandas.DataFrame
        With ``comment`` and ``rating``; filter English comments first (:func:`english_comments`).
    folds, seed : int
        Stratified folds, shuffled with ``seed``.

    Returns
    -------
    numpy.ndarray
    """
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    return cross_val_score(model, feedback["comment"], positive(feedback), cv=cv, scoring="roc_auc", n_jobs=1)
