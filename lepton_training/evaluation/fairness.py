"""A group fairness audit of a classifier's decisions: selection rates, the four-fifths ratio, equal opportunity.

What the numbers mean, and what they do not:

- The **selection rate** of a group is the share of its members the model selects (predicts positive). The
  **four-fifths ratio** is the lowest group's selection rate divided by the highest's. The US Uniform Guidelines
  on Employee Selection Procedures (1978) treat a ratio below 0.8 as evidence of *adverse impact* that calls for
  a closer look: a rule of thumb for when to investigate, not a verdict. It ignores the candidates' qualifications
  and, on small groups, moves a lot by chance.
- The **equal-opportunity difference** is the largest gap between groups in the true positive rate (recall):
  among the candidates who are in fact positive, how often each group is selected. It uses the labels, so it is
  only as fair as they are: labels that come from past, possibly biased, decisions carry that bias into the
  audit.
- When the base rates of the groups differ, no classifier short of a perfect one equalizes all such measures
  at once; choosing which one matters is a decision about the use of the model, not a statistical fact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "FairnessAudit",
    "selection_rates",
    "true_positive_rates",
    "four_fifths_ratio",
    "equal_opportunity_difference",
    "fairness_audit",
]


def _frame(y_pred: Any, group: Any, y_true: Any = None) -> Any:
    import numpy as np
    import pandas as pd

    columns = {"y_pred": np.asarray(y_pred).astype(bool), "group": np.asarray(group)}
    if y_true is not None:
        columns["y_true"] = np.asarray(y_true).astype(bool)
    lengths = {len(v) for v in columns.values()}
    if len(lengths) != 1:
        raise ValueError(f"the arrays must have the same length, not {sorted(lengths)}")
    return pd.DataFrame(columns)


def selection_rates(y_pred: Any, group: Any) -> Any:
    """Share of each group that the model selects (predicts positive).

    Parameters
    ----------
    y_pred : array_like of {0, 1} or bool
        The model's decisions, 1 for selected.
    group : array_like
        Each case's group label.

    Returns
    -------
    pandas.Series
        Selection rate per group, indexed by group label (sorted).

    Examples
    --------
    >>> selection_rates([1, 0, 1, 1, 0, 0], ["A", "A", "A", "B", "B", "B"]).round(3).to_dict()
    {'A': 0.667, 'B': 0.333}
    """
    frame = _frame(y_pred, group)
    return frame.groupby("group")["y_pred"].mean().rename("selection_rate")


def true_positive_rates(y_true: Any, y_pred: Any, group: Any) -> Any:
    """Recall per group: among the cases that are in fact positive, the share the model selects.

    Parameters
    ----------
    y_true : array_like of {0, 1} or bool
        The true classes.
    y_pred : array_like of {0, 1} or bool
        The model's decisions.
    group : array_like
        Each case's group label.

    Returns
    -------
    pandas.Series
        True positive rate per group (NaN for a group without positive cases), indexed by group label.

    Examples
    --------
    >>> true_positive_rates([1, 1, 0, 1, 1, 0], [1, 0, 0, 1, 1, 1], list("AAABBB")).to_dict()
    {'A': 0.5, 'B': 1.0}
    """
    frame = _frame(y_pred, group, y_true)
    rates = frame[frame["y_true"]].groupby("group")["y_pred"].mean()
    return rates.reindex(sorted(frame["group"].unique())).rename("true_positive_rate")


def four_fifths_ratio(rates: Any) -> float:
    """Return the lowest selection rate divided by the highest (1 means equal rates).

    Parameters
    ----------
    rates : pandas.Series, dict or array_like
        Selection rate per group, as :func:`selection_rates` returns.

    Returns
    -------
    float
        Between 0 and 1; below 0.8 the four-fifths rule flags adverse impact. NaN when no group is selected.

    Examples
    --------
    >>> four_fifths_ratio({"A": 0.5, "B": 0.3})
    0.6
    """
    import numpy as np

    values = np.asarray(list(rates.values()) if isinstance(rates, dict) else rates, dtype=float)
    highest = values.max()
    return float(values.min() / highest) if highest > 0 else float("nan")


def equal_opportunity_difference(y_true: Any, y_pred: Any, group: Any) -> float:
    """Largest gap between groups in the true positive rate (0 means equal opportunity).

    Parameters
    ----------
    y_true, y_pred, group
        As for :func:`true_positive_rates`.

    Returns
    -------
    float
        Highest minus lowest true positive rate across the groups that have positive cases.

    Examples
    --------
    >>> equal_opportunity_difference([1, 1, 0, 1, 1, 0], [1, 0, 0, 1, 1, 1], list("AAABBB"))
    0.5
    """
    rates = true_positive_rates(y_true, y_pred, group).dropna()
    return float(rates.max() - rates.min())


@dataclass(frozen=True)
class FairnessAudit:
    """The result of :func:`fairness_audit`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per group: ``group``, ``n`` (cases), ``positives`` (cases in fact positive), ``selection_rate``,
        ``true_positive_rate``.
    four_fifths_ratio : float
        Lowest selection rate over the highest.
    equal_opportunity_difference : float
        Highest minus lowest true positive rate.
    """

    table: Any
    four_fifths_ratio: float
    equal_opportunity_difference: float

    @property
    def flagged(self) -> bool:
        """True when the four-fifths rule flags adverse impact (ratio below 0.8): a reason to investigate."""
        return self.four_fifths_ratio < 0.8


def fairness_audit(y_true: Any, y_pred: Any, group: Any) -> FairnessAudit:
    """Audit a classifier's decisions for group fairness.

    Parameters
    ----------
    y_true : array_like of {0, 1} or bool
        The true classes (for a hiring model: whether the candidate was hired).
    y_pred : array_like of {0, 1} or bool
        The model's decisions (selected or not).
    group : array_like
        Each case's group label (a protected attribute, or a stand-in for one).

    Returns
    -------
    FairnessAudit

    Examples
    --------
    >>> audit = fairness_audit([1, 1, 0, 1, 1, 0], [1, 0, 0, 1, 1, 1], list("AAABBB"))
    >>> round(audit.four_fifths_ratio, 3), audit.equal_opportunity_difference, audit.flagged
    (0.333, 0.5, True)
    """
    frame = _frame(y_pred, group, y_true)
    table = frame.groupby("group").agg(
        n=("y_pred", "size"), positives=("y_true", "sum"), selection_rate=("y_pred", "mean")
    )
    table["true_positive_rate"] = true_positive_rates(y_true, y_pred, group)
    table = table.reset_index()
    return FairnessAudit(
        table=table,
        four_fifths_ratio=four_fifths_ratio(table["selection_rate"]),
        equal_opportunity_difference=equal_opportunity_difference(y_true, y_pred, group),
    )
