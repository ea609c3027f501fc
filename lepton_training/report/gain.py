"""The normalized learning gain per module, from the pre- and post-course quizzes in the gradebook.

The quizzes are two nbgrader assignments (``quiz-pre``, ``quiz-post``) whose graded cells are named
``<module>-qN-tests``; a module's score in a quiz is the sum of its cells. The gain and its bootstrap interval come
from :func:`lepton_training.evaluation.learning_gain_ci`, the function module 04 teaches: learners without both
quizzes are left out, which usually flatters the gain (dropouts are rarely random), and the report says so.
"""

from __future__ import annotations

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
        ``max_score``, ``gain``, ``low``, ``high``. Empty when the quizzes are not in the gradebook.
    """
    import numpy as np
    import pandas as pd

    from lepton_training.evaluation import learning_gain_ci

    columns = ["module", "pairs", "pre_mean", "post_mean", "max_score", "gain", "low", "high"]
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
        row = {"module": module, "pairs": int(both.sum()), "max_score": top}
        row.update(dict.fromkeys(("pre_mean", "post_mean", "gain", "low", "high"), np.nan))
        if both.sum() >= 2:
            row["pre_mean"], row["post_mean"] = float(a[both].mean()), float(b[both].mean())
            try:
                resamples = n_resamples or int(np.clip(10_000_000 // both.sum(), 1000, 9999))
                ci = learning_gain_ci(a, b, max_score=top, n_resamples=resamples, seed=seed)
                row.update(gain=ci.estimate, low=ci.low, high=ci.high)
            except ValueError:
                pass  # e.g. every learner already at the maximum before: no room, no gain
        return row

    from concurrent.futures import ThreadPoolExecutor

    # NumPy releases the GIL while it resamples: modules run two at a time on a two-core machine.
    groups = list(cells.groupby(cells["column"].map(module_of_cell), sort=True))
    with ThreadPoolExecutor(max_workers=2) as pool:
        rows = list(pool.map(lambda item: one(*item), groups))
    return pd.DataFrame(rows, columns=columns)
