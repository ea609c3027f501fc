"""Choosing a decision threshold from the cost of every outcome of a decision.

A threshold splits the cases into four outcomes: true positives (flagged, positive), false positives (flagged,
negative), false negatives (not flagged, positive) and true negatives. Each has a cost, and the correct decisions
are not always free: in screening, a candidate who is flagged is interviewed whether or not they are then hired,
so a true positive costs the interview as much as a false positive does. The costs are therefore given for all
four outcomes, as a mapping with the keys ``"tp"``, ``"fp"``, ``"fn"`` and ``"tn"`` (for example
``{"tp": 800, "fp": 800, "fn": 5000, "tn": 0}`` USD per candidate); leaving one out is an error, so that no
outcome is forgotten by default.

For perfectly calibrated probabilities the best threshold follows from the costs alone (C. Elkan, "The
foundations of cost-sensitive learning", IJCAI 2001): flag a case of probability ``p`` when flagging it costs
less in expectation, ``p * tp + (1 - p) * fp < p * fn + (1 - p) * tn``, that is when ``p`` is above
:func:`calibrated_threshold`. On real scores, search the observed ones (:func:`cost_optimal_threshold`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["OUTCOMES", "outcome_counts", "expected_cost", "cost_optimal_threshold", "calibrated_threshold"]

#: The four outcomes of a decision, in the order of the keys of a cost mapping.
OUTCOMES: tuple[str, ...] = ("tp", "fp", "fn", "tn")


def _labels_scores(y_true: Any, scores: Any) -> tuple[Any, Any]:
    import numpy as np

    y = np.asarray(y_true).astype(bool)
    s = np.asarray(scores, dtype=float)
    if y.shape != s.shape or y.ndim != 1:
        raise ValueError(f"y_true and scores must be 1-D and of the same length, not {y.shape} and {s.shape}")
    return y, s


def _costs(costs: Mapping[str, float]) -> tuple[float, float, float, float]:
    if not isinstance(costs, Mapping):
        raise TypeError(f"costs should be a mapping with the keys {', '.join(OUTCOMES)}, not {type(costs).__name__}")
    missing = [k for k in OUTCOMES if k not in costs]
    if missing:
        raise ValueError(
            f"costs has no {', '.join(repr(k) for k in missing)}: give the cost of every outcome (0 when it is free)"
        )
    return tuple(float(costs[k]) for k in OUTCOMES)  # type: ignore[return-value]


def outcome_counts(y_true: Any, scores: Any, threshold: float) -> dict[str, int]:
    """Count the four outcomes when the cases with ``score >= threshold`` are flagged.

    Parameters
    ----------
    y_true : array_like of {0, 1} or bool
        The true classes, 1 for the positive class.
    scores : array_like of float
        The model's scores for the positive class (higher means more likely positive).
    threshold : float
        Cases with ``score >= threshold`` are flagged (predicted positive).

    Returns
    -------
    dict
        ``{"tp": ..., "fp": ..., "fn": ..., "tn": ...}``, the number of cases in each outcome.

    Examples
    --------
    >>> outcome_counts([1, 0, 1, 0], [0.9, 0.6, 0.4, 0.1], 0.5)
    {'tp': 1, 'fp': 1, 'fn': 1, 'tn': 1}
    """
    y, s = _labels_scores(y_true, scores)
    flagged = s >= threshold
    return {
        "tp": int((flagged & y).sum()),
        "fp": int((flagged & ~y).sum()),
        "fn": int((~flagged & y).sum()),
        "tn": int((~flagged & ~y).sum()),
    }


def expected_cost(y_true: Any, scores: Any, threshold: float, costs: Mapping[str, float]) -> float:
    """Mean cost per case of flagging the cases whose score is at least ``threshold``.

    Parameters
    ----------
    y_true, scores, threshold
        As for :func:`outcome_counts`.
    costs : mapping
        The cost of one case in each outcome, with the keys ``"tp"``, ``"fp"``, ``"fn"``, ``"tn"`` (same unit,
        such as USD; 0 for a free outcome).

    Returns
    -------
    float
        ``(tp * TP + fp * FP + fn * FN + tn * TN) / n``, in the unit of the costs per case.

    Raises
    ------
    ValueError
        If ``costs`` leaves out an outcome.

    Examples
    --------
    An interview (800) for every flagged candidate, hired or not, and 5,000 for a missed hire:

    >>> expected_cost([1, 0, 1, 0], [0.9, 0.6, 0.4, 0.1], 0.5, {"tp": 800, "fp": 800, "fn": 5000, "tn": 0})
    1650.0
    """
    counts = outcome_counts(y_true, scores, threshold)
    per_outcome = _costs(costs)
    total = sum(c * counts[k] for c, k in zip(per_outcome, OUTCOMES, strict=True))
    return total / sum(counts.values())


def cost_optimal_threshold(y_true: Any, scores: Any, costs: Mapping[str, float]) -> float:
    """Find the threshold with the lowest expected cost on the given cases.

    Only the distinct scores (and "flag nobody") can change a decision, so they are the candidates; among tied
    candidates the lowest threshold is returned. Choose it on validation data, never on the test data you then
    report the cost on.

    Parameters
    ----------
    y_true, scores, costs
        As for :func:`expected_cost`.

    Returns
    -------
    float
        A threshold to use with ``score >= threshold``; ``inf`` when flagging nobody is cheapest.

    Examples
    --------
    >>> cost_optimal_threshold([1, 0, 1, 0], [0.9, 0.6, 0.4, 0.1], {"tp": 0, "fp": 1, "fn": 5, "tn": 0})
    0.4
    """
    import numpy as np

    c_tp, c_fp, c_fn, c_tn = _costs(costs)
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
    fn, tn = y.sum() - tp, (~y).sum() - fp
    totals = c_tp * tp + c_fp * fp + c_fn * fn + c_tn * tn
    return float(candidates[int(np.argmin(totals))])


def calibrated_threshold(costs: Mapping[str, float]) -> float:
    """Return the best threshold for perfectly calibrated probabilities, from the costs alone.

    Flagging a case of probability ``p`` costs ``p * tp + (1 - p) * fp`` in expectation, not flagging it
    ``p * fn + (1 - p) * tn``; the two are equal at ``(fp - tn) / ((fp - tn) + (fn - tp))``.

    Parameters
    ----------
    costs : mapping
        As for :func:`expected_cost`; a wrong decision must cost more than the right one
        (``fp > tn`` and ``fn > tp``).

    Returns
    -------
    float
        A probability between 0 and 1.

    Examples
    --------
    An interview costs 800 USD whatever the outcome, a missed hire 5,000: flag from 800 / 5000.

    >>> calibrated_threshold({"tp": 800, "fp": 800, "fn": 5000, "tn": 0})
    0.16
    """
    c_tp, c_fp, c_fn, c_tn = _costs(costs)
    if not (c_fp > c_tn and c_fn > c_tp):
        raise ValueError("a wrong decision should cost more than the right one: fp > tn and fn > tp")
    return (c_fp - c_tn) / ((c_fp - c_tn) + (c_fn - c_tp))
