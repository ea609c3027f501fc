"""Choosing a decision threshold from the costs of the two kinds of error."""

from __future__ import annotations

from typing import Any

__all__ = ["expected_cost", "cost_optimal_threshold"]


def _labels_scores(y_true: Any, scores: Any) -> tuple[Any, Any]:
    import numpy as np

    y = np.asarray(y_true).astype(bool)
    s = np.asarray(scores, dtype=float)
    if y.shape != s.shape or y.ndim != 1:
        raise ValueError(f"y_true and scores must be 1-D and of the same length, not {y.shape} and {s.shape}")
    return y, s


def expected_cost(y_true: Any, scores: Any, threshold: float, cost_fp: float, cost_fn: float) -> float:
    """Mean cost per case of flagging the cases whose score is at least ``threshold``.

    Parameters
    ----------
    y_true : array_like of {0, 1} or bool
        The true classes, 1 for the positive class.
    scores : array_like of float
        The model's scores for the positive class (higher means more likely positive).
    threshold : float
        Cases with ``score >= threshold`` are predicted positive.
    cost_fp, cost_fn : float
        Cost of one false positive and of one false negative (same unit, such as USD); correct decisions cost 0.

    Returns
    -------
    float
        ``(cost_fp * FP + cost_fn * FN) / n``, in the unit of the costs per case.

    Examples
    --------
    >>> expected_cost([1, 0, 1, 0], [0.9, 0.6, 0.4, 0.1], 0.5, cost_fp=1, cost_fn=5)
    1.5
    """
    y, s = _labels_scores(y_true, scores)
    flagged = s >= threshold
    false_positives = int((flagged & ~y).sum())
    false_negatives = int((~flagged & y).sum())
    return (cost_fp * false_positives + cost_fn * false_negatives) / len(y)


def cost_optimal_threshold(y_true: Any, scores: Any, cost_fp: float, cost_fn: float) -> float:
    """Find the threshold with the lowest expected cost on the given cases.

    Only the distinct scores (and "flag nobody") can change a decision, so they are the candidates; among tied
    candidates the lowest threshold is returned. Choose it on validation data, never on the test data you then
    report the cost on.

    Parameters
    ----------
    y_true, scores, cost_fp, cost_fn
        As for :func:`expected_cost`.

    Returns
    -------
    float
        A threshold to use with ``score >= threshold``; ``inf`` when flagging nobody is cheapest.

    Examples
    --------
    >>> cost_optimal_threshold([1, 0, 1, 0], [0.9, 0.6, 0.4, 0.1], cost_fp=1, cost_fn=5)
    0.4
    """
    import numpy as np

    y, s = _labels_scores(y_true, scores)
    candidates = np.append(np.unique(s), np.inf)
    # Sorted by score, the counts at every candidate come from cumulative sums: O(n log n), not O(n^2).
    order = np.argsort(-s, kind="stable")
    s_sorted, y_sorted = s[order], y[order]
    tp_cum = np.cumsum(y_sorted)
    fp_cum = np.cumsum(~y_sorted)
    # Number of cases with score >= candidate = position after the last equal score in descending order.
    flagged = np.searchsorted(-s_sorted, -candidates, side="right")
    tp = np.where(flagged > 0, tp_cum[np.maximum(flagged - 1, 0)], 0)
    fp = np.where(flagged > 0, fp_cum[np.maximum(flagged - 1, 0)], 0)
    costs = cost_fp * fp + cost_fn * (y.sum() - tp)
    return float(candidates[int(np.argmin(costs))])
