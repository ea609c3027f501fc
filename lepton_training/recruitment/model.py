"""Build the recruitment linear program from a table of channels.

The decision variable is ``x[i]``, the number of candidates pursued through channel ``i``. Each candidate
costs ``cost[i]`` USD and brings ``hire_rate[i]`` expected hires. Everything is written in SciPy's form

    minimize ``c @ x``  subject to  ``A_ub @ x <= b_ub``  and  ``lower <= x <= upper``

so that the same arrays feed :func:`scipy.optimize.linprog` and :func:`scipy.optimize.milp`. A planner
thinks in ">= target" and "maximize hires", so the model also records how each row and the objective were
flipped to fit that form; :mod:`lepton_training.recruitment.plan` uses it to turn the solver's marginals back
into planner terms.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .validation import check_amount, validate_channels

__all__ = ["ChannelLP", "min_cost_lp", "max_hires_lp", "example_channels"]


@dataclass(frozen=True, eq=False)
class ChannelLP:
    """A recruitment LP over channels, in SciPy's ``A_ub @ x <= b_ub`` form, with planner bookkeeping.

    Attributes
    ----------
    channels : pandas.DataFrame
        The validated channel table (see :func:`~lepton_training.recruitment.validation.validate_channels`).
    goal : {"min_cost", "max_hires"}
        What the planner asked for.
    c : numpy.ndarray
        Objective coefficients of the minimization that is actually solved: ``cost`` for ``"min_cost"``,
        ``-hire_rate`` for ``"max_hires"`` (maximizing hires is minimizing minus hires).
    A_ub, b_ub : numpy.ndarray
        Inequality rows and right-hand sides.
    lower, upper : numpy.ndarray
        Bounds on candidates per channel: 0 and the capacity (``inf`` for no limit).
    row_names : tuple of str
        One label per row of `A_ub`: ``"target"``, ``"budget"`` or ``"min_share[<channel>]"``.
    row_limits : numpy.ndarray
        Each row's limit as the planner states it: the target in expected hires, the budget in USD, and
        for a minimum-share row the extra candidates required from the channel beyond its share (0).
    row_flip : numpy.ndarray
        ``+1`` if a row is the planner's ``<= limit`` as is, ``-1`` if it is a ``>= limit`` row multiplied
        by -1 (``b_ub = row_flip * row_limits``).
    sense : int
        ``+1`` if the planner minimizes ``c @ x``, ``-1`` if the planner maximizes ``-c @ x``.
    objective_unit : str
        Unit of the planner's objective: ``"USD"`` or ``"expected hires"``.

    Examples
    --------
    >>> lp = max_hires_lp(example_channels(), budget=10_000)
    >>> lp.n_channels, lp.sense, lp.row_units()
    (3, -1, ['expected hires per extra USD'])
    >>> lp.planner_objective([0, 10, 0])  # 10 social-media candidates
    5.0
    """

    channels: pd.DataFrame
    goal: str
    c: np.ndarray
    A_ub: np.ndarray
    b_ub: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    row_names: tuple[str, ...]
    row_limits: np.ndarray
    row_flip: np.ndarray
    sense: int
    objective_unit: str

    @property
    def n_channels(self) -> int:
        """Number of decision variables (one per channel)."""
        return len(self.c)

    def planner_objective(self, x: np.ndarray) -> float:
        """Objective in planner terms (total USD or total expected hires) for candidates `x`."""
        return float(self.sense * (self.c @ x))

    def row_units(self) -> list[str]:
        """Return the unit of each row's shadow price, in planner terms (same order as `row_names`)."""
        per_unit = {
            "target": "extra expected hire",
            "budget": "extra USD",
        }
        units = []
        for name in self.row_names:
            if name.startswith("min_share["):
                channel = name[len("min_share[") : -1]
                units.append(f"{self.objective_unit} per extra candidate required from {channel}")
            else:
                units.append(f"{self.objective_unit} per {per_unit[name]}")
        return units


def _share_rows(table: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """Rows ``min_share[i] * sum(x) - x[i] <= 0`` for the channels with a positive minimum share.

    Written this way (rather than ``x[i] >= s * total``) so that each row is linear with a zero right-hand
    side; its planner limit is "extra candidates required from channel i beyond its share", 0 by default.
    """
    share = table["min_share"].to_numpy()
    with_share = np.flatnonzero(share > 0)
    n = len(table)
    rows = np.tile(share[with_share, None], (1, n))
    rows[np.arange(len(with_share)), with_share] -= 1.0
    names = [f"min_share[{table['channel'].iloc[i]}]" for i in with_share]
    return rows, names


def _assemble(
    table: pd.DataFrame,
    goal: str,
    c: np.ndarray,
    first_rows: list[tuple[str, np.ndarray, float, int]],
    sense: int,
    objective_unit: str,
) -> ChannelLP:
    share_rows, share_names = _share_rows(table)
    n = len(table)
    rows = [row for _, row, _, _ in first_rows] + list(share_rows)
    names = [name for name, _, _, _ in first_rows] + share_names
    limits = np.array([limit for _, _, limit, _ in first_rows] + [0.0] * len(share_names), dtype=float)
    flip = np.array([f for _, _, _, f in first_rows] + [-1] * len(share_names), dtype=float)
    A_ub = np.vstack(rows) if rows else np.zeros((0, n))
    return ChannelLP(
        channels=table,
        goal=goal,
        c=np.asarray(c, dtype=float),
        A_ub=A_ub,
        b_ub=flip * limits,
        lower=np.zeros(n),
        upper=table["capacity"].to_numpy(dtype=float),
        row_names=tuple(names),
        row_limits=limits,
        row_flip=flip,
        sense=sense,
        objective_unit=objective_unit,
    )


def min_cost_lp(channels, target_hires, *, budget=None) -> ChannelLP:
    """Formulate "reach the hiring target at the lowest cost" as an LP.

    minimize ``cost @ x`` subject to ``hire_rate @ x >= target_hires``, optionally ``cost @ x <= budget``,
    the minimum shares, and ``0 <= x <= capacity``.

    Parameters
    ----------
    channels : pandas.DataFrame
        Channel table; see :func:`~lepton_training.recruitment.validation.validate_channels`.
    target_hires : float
        Expected hires required, >= 0.
    budget : float, optional
        Spending cap in USD; ``None`` (default) for none.

    Returns
    -------
    ChannelLP
        The model; the target row is stored negated (``-hire_rate @ x <= -target``).

    Examples
    --------
    >>> lp = min_cost_lp(example_channels(), target_hires=50)
    >>> lp.row_names, lp.A_ub.tolist(), lp.b_ub.tolist()
    (('target',), [[-0.8, -0.5, -0.6]], [-50.0])
    """
    table = validate_channels(channels)
    target = check_amount(target_hires, "target_hires", unit="expected hires")
    cost = table["cost"].to_numpy()
    rows = [("target", -table["hire_rate"].to_numpy(), target, -1)]
    budget = check_amount(budget, "budget", allow_none=True, unit="USD")
    if budget is not None:
        rows.append(("budget", cost, budget, 1))
    return _assemble(table, "min_cost", cost, rows, sense=1, objective_unit="USD")


def max_hires_lp(channels, budget) -> ChannelLP:
    """Formulate "get the most expected hires within the budget" as an LP.

    maximize ``hire_rate @ x`` subject to ``cost @ x <= budget``, the minimum shares and
    ``0 <= x <= capacity``; solved as minimize ``-hire_rate @ x``.

    Parameters
    ----------
    channels : pandas.DataFrame
        Channel table; see :func:`~lepton_training.recruitment.validation.validate_channels`.
    budget : float or None
        Spending cap in USD, >= 0. ``None`` (or ``np.inf``) means no budget: only the capacities limit
        the plan, and if some channel has no capacity the LP is unbounded.

    Returns
    -------
    ChannelLP
        The model.

    Examples
    --------
    >>> lp = max_hires_lp(example_channels(), budget=1_000_000)
    >>> lp.c.tolist(), lp.row_names
    ([-0.8, -0.5, -0.6], ('budget',))
    """
    table = validate_channels(channels)
    budget = check_amount(budget, "budget", allow_none=True, unit="USD")
    rows = [] if budget is None else [("budget", table["cost"].to_numpy(), budget, 1)]
    return _assemble(
        table, "max_hires", -table["hire_rate"].to_numpy(), rows, sense=-1, objective_unit="expected hires"
    )


def example_channels() -> pd.DataFrame:
    """Return the three channels of the source documents (the recruitment document, section 4.3) as a table.

    School recruiting costs 2,000 USD per candidate pursued and brings 0.8 expected hires per candidate;
    social media 1,000 USD and 0.5; technical forums 1,500 USD and 0.6. The source's prose claims school
    recruiting is cheapest; its own numbers say otherwise (cost per expected hire 2,500 / 2,000 / 2,500).

    Returns
    -------
    pandas.DataFrame
        Columns ``channel``, ``cost`` (USD per candidate) and ``hire_rate`` (expected hires per candidate).

    Examples
    --------
    >>> table = example_channels()
    >>> (table["cost"] / table["hire_rate"]).tolist()
    [2500.0, 2000.0, 2500.0]
    """
    return pd.DataFrame(
        {
            "channel": ["school", "social media", "technical forums"],
            "cost": [2000.0, 1000.0, 1500.0],
            "hire_rate": [0.8, 0.5, 0.6],
        }
    )
