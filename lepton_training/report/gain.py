"""The normalized learning gain per module, from the pre- and post-course quizzes in the gradebook.

The quizzes are two nbgrader assignments (``quiz-pre``, ``quiz-post``) whose graded cells are named
``<module>-qN-tests``; a module's score in a quiz is the sum of its cells. The gain and its bootstrap interval come
from :func:`lepton_training.evaluation.learning_gain_ci`, the function module 04 teaches: learners without both
quizzes are left out, which usually flatters the gain (dropouts are rarely random), and the report says so.
"""

from __future__ import annotations

import warnings
from typing import Any

__all__ = ["module_of_cell", "learning_gains"]


def module_of_cell(cell: str) -> str:
    """Return the module a quiz cell belongs to: ``"00-orientation-q2-tests"`` -> ``"00-orientation"``."""
    return cell.rsplit("-q", 1)[0]


def learning_gains(tables: Any, seed: int = 0, n_resamples: int | None = None) -> Any:
    """Compute each module's class gain with its 95% bootstrap interval.

    Parameters
    ----------
    tables : GradebookTables
        The gradebook, with ``quiz-pre`` and ``quiz-post`` among its assignments.
    seed : int
        Of the bootstrap.
    n_resamples : int, optional
        Default: about ten million resampled learners in all, between 1,000 and 9,999 resamples (a large class's
        interval is narrow and stable with fewer resamples, and each costs as much as the class is large).

    Returns
    -------
    pandas.DataFrame
        One row per module: ``module``, ``pairs`` (learners with both quizzes), ``pre_mean``, ``post_mean``,
        ``max_score``, ``gain``, ``low``, ``high``, and ``note``: why the gain or its interval is missing or has no
        width, in words (empty when there is nothing to say). Empty when the quizzes are not in the gradebook.
    """
    import numpy as np
    import pandas as pd

    from lepton_training.evaluation import learning_gain_ci

    columns = ["module", "pairs", "pre_mean", "post_mean", "max_score", "gain", "low", "high", "note"]
    if "quiz-pre" not in tables.scores or "quiz-post" not in tables.scores:
        return pd.DataFrame(columns=columns)
    pre, post = tables.scores["quiz-pre"], tables.scores["quiz-post"]
    cells = tables.cells[tables.cells["assignment"] == "quiz-pre"]
    learners = pre.index.union(post.index)
    pre_all, post_all = pre.reindex(learners), post.reindex(learners)

    def one(module: str, group: Any) -> dict:
        cols = list(group["column"])
        top = float(group["max_score"].sum())
        a = pre_all.reindex(columns=cols).sum(axis=1, min_count=1).to_numpy()
        b = post_all.reindex(columns=cols).sum(axis=1, min_count=1).to_numpy()
        both = ~(np.isnan(a) | np.isnan(b))
        pairs = int(both.sum())
        row = {"module": module, "pairs": pairs, "max_score": top, "note": ""}
        row.update(dict.fromkeys(("pre_mean", "post_mean", "gain", "low", "high"), np.nan))
        if pairs < 2:
            row["note"] = f"too few learners with both quizzes ({pairs}; an interval needs at least 2)"
            return row
        row["pre_mean"], row["post_mean"] = float(a[both].mean()), float(b[both].mean())
        try:
            resamples = n_resamples or int(np.clip(10_000_000 // pairs, 1000, 9999))
            ci = learning_gain_ci(a, b, max_score=top, n_resamples=resamples, seed=seed)
            row.update(gain=ci.estimate, low=ci.low, high=ci.high)
        except ValueError:
            pass
        row["note"] = _note(row, top)
        return row

    from concurrent.futures import ThreadPoolExecutor

    # NumPy releases the GIL while it resamples: modules run two at a time on a two-core machine.
    groups = list(cells.groupby(cells["column"].map(module_of_cell), sort=True))
    # SciPy warns (DegenerateDataWarning) when the resampled gains cannot give an interval, for example when
    # every learner already had every point before; each such case is said in words in the row's note instead.
    # The filter is set around the whole pool: the warnings filters are shared by the threads.
    from scipy.stats import DegenerateDataWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        with ThreadPoolExecutor(max_workers=2) as pool:
            rows = list(pool.map(lambda item: one(*item), groups))
    return pd.DataFrame(rows, columns=columns)


def _note(row: dict, top: float) -> str:
    """Why a computed gain or its interval is missing or has no width, in words; empty when it is fine."""
    import math

    pairs, gain, low, high = row["pairs"], row["gain"], row["low"], row["high"]
    if math.isnan(gain):
        if row["pre_mean"] >= top:
            return f"no room to improve: the {pairs} learners with both quizzes had every point before"
        return "the gain cannot be computed from these scores"
    if math.isnan(low) or math.isnan(high):
        return (
            f"no interval: in some resamples of the {pairs} learners nobody had room to improve, so the resampled "
            "gains cannot give one"
        )
    if low == high:
        return (
            f"every resample of the {pairs} learners gives the same gain, so the interval has no width: too few "
            "or too alike learners to say how uncertain the gain is"
        )
    return ""
