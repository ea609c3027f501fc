"""Item analysis of a module's questions (classical test theory): difficulty, discrimination, reliability.

For a table of scores, one row per learner who submitted and one column per graded question:

- **difficulty** of a question: the share of its points the learners earned (0: nobody, 1: everybody). Classical
  test theory calls this the item's *p-value*; a high value is an *easy* question.
- **discrimination**: the *corrected item-total correlation*, the Pearson correlation between the question's score
  and the total of the *other* questions (corrected: the question's own points are left out of the total, or it
  would correlate with itself). A question that learners who do well overall also do well on discriminates
  (about 0.3 and above); near 0 it measures something else than the rest (or luck); below 0 its key or tests
  are suspect.
- **Cronbach's alpha** of the module: ``k / (k - 1) * (1 - sum of the questions' variances / variance of the
  total)``, how consistently the questions rank learners (L. J. Cronbach, "Coefficient alpha and the internal
  structure of tests", Psychometrika 16, 1951).

Sample variances (``ddof=1``) throughout, as SPSS, R's ``psych::alpha`` and the textbooks use; alpha itself does
not depend on that choice. The flags' thresholds follow common practice (R. L. Ebel and D. A. Frisbie, *Essentials
of Educational Measurement*, 1991: discrimination below 0.2 is poor).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["ItemAnalysis", "item_analysis", "cronbach_alpha", "alpha_sentence", "FLAGS"]

#: Thresholds of the flags shown to the question's author.
FLAGS = {"hard": 0.30, "easy": 0.95, "weak": 0.20}


@dataclass(frozen=True)
class ItemAnalysis:
    """The item analysis of one module.

    Attributes
    ----------
    items : pandas.DataFrame
        One row per question: ``question``, ``max_score``, ``mean``, ``difficulty``, ``discrimination``,
        ``alpha_if_deleted``, ``share_full`` (learners with all its points), ``share_zero``, ``flags`` (text).
    alpha : float
        Cronbach's alpha of the module (NaN with fewer than two questions or two learners).
    n_learners : int
        Learners whose submission was analysed.
    """

    items: Any
    alpha: float
    n_learners: int


def cronbach_alpha(scores: Any) -> float:
    """Return Cronbach's alpha of a table of scores (rows: learners, columns: questions).

    Parameters
    ----------
    scores : array_like, shape (n_learners, n_questions)
        Points per learner and question, no missing values.

    Returns
    -------
    float
        NaN when it is undefined: fewer than two questions or learners, or a total that does not vary.

    Examples
    --------
    >>> round(cronbach_alpha([[1, 1], [0, 1], [0, 0], [1, 1]]), 3)
    0.667
    """
    import numpy as np

    x = np.asarray(scores, dtype=float)
    if x.ndim != 2 or x.shape[0] < 2 or x.shape[1] < 2:
        return float("nan")
    k = x.shape[1]
    total_var = x.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / total_var))


def _corrected_item_total(x: Any) -> Any:
    """Correlation of each column with the sum of the other columns, vectorized (NaN where one does not vary)."""
    import numpy as np

    rest = x.sum(axis=1, keepdims=True) - x
    xc = x - x.mean(axis=0)
    rc = rest - rest.mean(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = (xc * rc).sum(axis=0) / np.sqrt((xc**2).sum(axis=0) * (rc**2).sum(axis=0))
    return np.where(np.isfinite(r), r, np.nan)


def _alpha_if_deleted(x: Any) -> Any:
    """Alpha of the other questions, for each question left out, from the covariance matrix (no loop over data)."""
    import numpy as np

    k = x.shape[1]
    if k < 3 or x.shape[0] < 2:
        return np.full(k, np.nan)
    cov = np.cov(x, rowvar=False)
    item_var = np.diag(cov)
    total_var = cov.sum()
    # Variance of the total without item j: total - 2 * cov(j, all) + var(j).
    rest_var = total_var - 2 * cov.sum(axis=0) + item_var
    rest_item_var = item_var.sum() - item_var
    with np.errstate(divide="ignore", invalid="ignore"):
        a = (k - 1) / (k - 2) * (1 - rest_item_var / rest_var)
    return np.where(rest_var > 0, a, np.nan)


def _flags(difficulty: float, discrimination: float) -> str:
    import math

    flags = []
    if difficulty < FLAGS["hard"]:
        flags.append("most learners fail it: check the statement and tests, or teach it again")
    elif difficulty > FLAGS["easy"]:
        flags.append("nearly everyone earns it: it cannot tell learners apart")
    if math.isnan(discrimination):
        if difficulty <= FLAGS["easy"]:
            flags.append("everyone scored the same on it")
    elif discrimination < 0:
        flags.append("negative discrimination: strong learners do worse on it; check its tests and key")
    elif discrimination < FLAGS["weak"]:
        flags.append("does not discriminate: it measures something other than the rest of the module")
    return "; ".join(flags)


def item_analysis(scores: Any, max_scores: Any, questions: Any = None) -> ItemAnalysis:
    """Analyse a module's questions from its score table.

    Parameters
    ----------
    scores : array_like or pandas.DataFrame, shape (n_learners, n_questions)
        Points per learner who submitted and per question (a missing grade counts as 0 points).
    max_scores : array_like, shape (n_questions,)
        Each question's maximum.
    questions : sequence of str, optional
        The questions' names; by default the frame's columns or ``q1``, ``q2``, ...

    Returns
    -------
    ItemAnalysis

    Examples
    --------
    >>> result = item_analysis([[1, 1, 1], [1, 0, 1], [0, 0, 1], [1, 1, 0]], [1, 1, 1])
    >>> result.items["difficulty"].tolist()
    [0.75, 0.5, 0.75]
    """
    import numpy as np
    import pandas as pd

    if questions is None:
        questions = list(scores.columns) if isinstance(scores, pd.DataFrame) else None
    x = np.nan_to_num(np.asarray(scores, dtype=float), nan=0.0)
    if x.ndim != 2:
        raise ValueError(f"scores must be a table (learners x questions), not shape {x.shape}")
    m = np.asarray(max_scores, dtype=float)
    if m.shape != (x.shape[1],) or (m <= 0).any():
        raise ValueError("max_scores needs one positive maximum per question")
    questions = list(questions) if questions is not None else [f"q{i + 1}" for i in range(x.shape[1])]
    n = x.shape[0]
    mean = x.mean(axis=0) if n else np.full(x.shape[1], np.nan)
    difficulty = mean / m
    discrimination = _corrected_item_total(x) if n >= 2 else np.full(x.shape[1], np.nan)
    items = pd.DataFrame(
        {
            "question": questions,
            "max_score": m,
            "mean": mean,
            "difficulty": difficulty,
            "discrimination": discrimination,
            "alpha_if_deleted": _alpha_if_deleted(x),
            "share_full": (x >= m - 1e-9).mean(axis=0) if n else np.nan,
            "share_zero": (x <= 1e-9).mean(axis=0) if n else np.nan,
        }
    )
    items["flags"] = [_flags(d, r) for d, r in zip(items["difficulty"], items["discrimination"], strict=True)]
    return ItemAnalysis(items=items, alpha=cronbach_alpha(x), n_learners=int(n))


def alpha_sentence(alpha: float, n_questions: int) -> str:
    """Say in one plain sentence what a module's Cronbach's alpha means.

    Parameters
    ----------
    alpha : float
    n_questions : int

    Returns
    -------
    str

    Examples
    --------
    >>> alpha_sentence(0.82, 5)[:40]
    "Cronbach's alpha is 0.82 (good): the 5 q"
    """
    import math

    if math.isnan(alpha):
        return (
            "Cronbach's alpha cannot be computed: it needs at least two questions and two learners whose totals differ."
        )
    # George and Mallery's (2003) rule of thumb, the one most readers know.
    bands = ((0.9, "excellent"), (0.8, "good"), (0.7, "acceptable"), (0.6, "questionable"), (0.5, "poor"))
    word = next((label for bound, label in bands if alpha >= bound), "unacceptable")
    if alpha >= 0.7:
        meaning = (
            f"the {n_questions} questions rank learners consistently, so the module's total is a dependable "
            "summary of each learner's skill"
        )
    else:
        meaning = (
            f"the {n_questions} questions often disagree about who is strong, so read the total with care and "
            "look at the questions flagged below"
        )
    return (
        f"Cronbach's alpha is {alpha:.2f} ({word}): {meaning}. Alpha grows with the number of questions and says "
        "nothing about whether they measure the right skill."
    )
