"""A year's recruitment plan as one sparse LP: roles x channels x quarters.

Variable ``x[r, c, q]`` is the number of candidates pursued for role ``r`` through channel ``c`` in quarter
``q``, stored at position ``(r * C + c) * Q + q``. The constraints are

- hires: for every role and quarter, ``sum_c hire_rate[r, c, q] * x[r, c, q] >= target[r, q]``;
- capacity: for every channel and quarter with a finite capacity, ``sum_r x[r, c, q] <= capacity[c, q]``
  (the channel's reach is shared by all roles);
- budget: ``sum_{r, c} cost[r, c, q] * x[r, c, q] <= budget[q]`` per quarter, or one row for the year;

and the objective is the total cost. Every variable appears in exactly one hires row, at most one capacity
row and one budget row, so the matrix has at most ``3 * n`` non-zeros: it is assembled directly as COO
triplets from index arrays (no dense matrix, no Python loop over variables) and stored as CSR.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from .plan import Plan, Quantity, _constraints_frame, _fmt, _plan, _run_solver

__all__ = ["MultiPeriodLP", "build_multi_period"]


def _as_array(value, name: str, shapes: dict[tuple[int, ...], str], unit: str) -> np.ndarray:
    """Convert to a float array whose shape is one of `shapes` (shape -> description), or raise."""
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be an array of numbers ({unit}); got {type(value).__name__}.") from error
    if array.shape not in shapes:
        allowed = "; ".join(f"{shape} for {what}" for shape, what in shapes.items())
        raise ValueError(f"{name} has shape {array.shape}; expected one of: {allowed}.")
    if np.isnan(array).any():
        raise ValueError(f"{name} contains NaN; give a number ({unit}) everywhere.")
    return array


def _labels(labels, default_prefix: str, size: int, name: str) -> tuple[str, ...]:
    if labels is None:
        return tuple(f"{default_prefix}{i + 1}" for i in range(size))
    labels = tuple(str(label) for label in labels)
    if len(labels) != size:
        raise ValueError(f"{name} has {len(labels)} labels but the data has {size}.")
    if len(set(labels)) != size:
        raise ValueError(f"{name} labels must be unique.")
    return labels


@dataclass(frozen=True, eq=False)
class MultiPeriodLP:
    """The sparse LP of a multi-role, multi-channel, multi-quarter recruitment plan.

    Minimize ``c @ x`` subject to ``A_ub @ x <= b_ub`` and ``x >= 0``. Rows come in three blocks, in this
    order: ``n_hires_rows`` hires rows (role-major, ``r * Q + q``, stored negated because they are ``>=``),
    ``n_capacity_rows`` capacity rows (channel-major, finite capacities only), ``n_budget_rows`` budget rows.

    Attributes
    ----------
    c : numpy.ndarray
        Cost of each variable, USD per candidate.
    A_ub : scipy.sparse.csr_array
        Constraint matrix, shape ``(n_hires_rows + n_capacity_rows + n_budget_rows, R * C * Q)``.
    b_ub : numpy.ndarray
        Right-hand sides.
    hire_rates : numpy.ndarray
        Expected hires per candidate, per variable.
    roles, channels, quarters : tuple of str
        Labels of the three axes.
    capacity_cells : numpy.ndarray
        Flat ``c * Q + q`` index of each capacity row.
    budget_period : {"quarter", "year", None}
        Whether the budget is per quarter, for the whole year, or absent.

    Examples
    --------
    >>> model = build_multi_period(cost=[2000, 1000], hire_rates=[0.8, 0.5], target=[[10, 20]],
    ...                            capacity=[np.inf, 10], budget=100_000, roles=["ML engineer"])
    >>> model.shape, model.n_hires_rows, model.n_capacity_rows, model.n_budget_rows
    ((5, 4), 2, 2, 1)
    >>> for label in model.row_labels():
    ...     print(label)
    hires[ML engineer, Q1]
    hires[ML engineer, Q2]
    capacity[channel 2, Q1]
    capacity[channel 2, Q2]
    budget[year]
    >>> model.variable_index()[1]
    ('ML engineer', 'channel 1', 'Q2')
    """

    c: np.ndarray
    A_ub: sparse.csr_array
    b_ub: np.ndarray
    hire_rates: np.ndarray
    roles: tuple[str, ...]
    channels: tuple[str, ...]
    quarters: tuple[str, ...]
    capacity_cells: np.ndarray
    budget_period: str | None

    @property
    def n_hires_rows(self) -> int:
        """Number of hires rows (roles x quarters)."""
        return len(self.roles) * len(self.quarters)

    @property
    def n_capacity_rows(self) -> int:
        """Number of capacity rows (channel-quarters with a finite capacity)."""
        return len(self.capacity_cells)

    @property
    def n_budget_rows(self) -> int:
        """Number of budget rows (quarters, 1 for a yearly budget, 0 without budget)."""
        return self.A_ub.shape[0] - self.n_hires_rows - self.n_capacity_rows

    @property
    def shape(self) -> tuple[int, int]:
        """``(constraints, variables)``."""
        return self.A_ub.shape

    def variable_index(self) -> pd.MultiIndex:
        """Labels of the variables, in order: a (role, channel, quarter) MultiIndex."""
        return pd.MultiIndex.from_product(
            [self.roles, self.channels, self.quarters], names=["role", "channel", "quarter"]
        )

    def row_labels(self) -> list[str]:
        """One readable label per row, e.g. ``"hires[ML engineer, Q1]"``."""
        n_q = len(self.quarters)
        labels = [f"hires[{role}, {quarter}]" for role in self.roles for quarter in self.quarters]
        labels += [f"capacity[{self.channels[k // n_q]}, {self.quarters[k % n_q]}]" for k in self.capacity_cells]
        if self.budget_period == "quarter":
            labels += [f"budget[{quarter}]" for quarter in self.quarters]
        elif self.budget_period == "year":
            labels.append("budget[year]")
        return labels

    def _diagnose(self) -> str:
        """Name the first quarter whose targets cannot be met, from two quick necessary conditions."""
        n_r, n_c, n_q = len(self.roles), len(self.channels), len(self.quarters)
        hire_rates = self.hire_rates.reshape(n_r, n_c, n_q)
        cost = self.c.reshape(n_r, n_c, n_q)
        targets = -self.b_ub[: self.n_hires_rows].reshape(n_r, n_q)
        capacity = np.full(n_c * n_q, np.inf)
        capacity[self.capacity_cells] = self.b_ub[self.n_hires_rows : self.n_hires_rows + self.n_capacity_rows]
        capacity = capacity.reshape(n_c, n_q)
        # Upper bound on the hires a quarter's capacities can deliver: every slot filled by the best role.
        reach = (capacity * hire_rates.max(axis=0)).sum(axis=0)
        demand = targets.sum(axis=0)
        short = np.flatnonzero(demand > reach * (1 + 1e-9))
        if len(short):
            q = short[0]
            return (
                f"No plan meets the hiring targets: in {self.quarters[q]} the roles need {_fmt(demand[q])} "
                f"expected hires but the channel capacities can deliver at most {_fmt(reach[q])}. Raise "
                "capacities in that quarter or move targets to another quarter."
            )
        # Lower bound on a quarter's cost: each role's target at its cheapest cost per expected hire.
        floor = (targets * (cost / hire_rates).min(axis=1)).sum(axis=0)
        budget = self.b_ub[self.n_hires_rows + self.n_capacity_rows :]
        if self.budget_period == "quarter":
            over = np.flatnonzero(floor > budget * (1 + 1e-9))
            if len(over):
                q = over[0]
                return (
                    f"No plan meets the hiring targets: in {self.quarters[q]} even the cheapest channels "
                    f"cost at least {_fmt(floor[q])} USD, above that quarter's budget of {_fmt(budget[q])} "
                    "USD. Raise the budget or lower the targets."
                )
        elif self.budget_period == "year" and floor.sum() > budget[0] * (1 + 1e-9):
            return (
                f"No plan meets the hiring targets: even the cheapest channels cost at least "
                f"{_fmt(floor.sum())} USD, above the yearly budget of {_fmt(budget[0])} USD."
            )
        return (
            "No plan meets the hiring targets: capacities shared between roles, together with the budget, "
            "are too tight. Raise capacities or the budget, or lower targets."
        )

    def solve(self, *, integer: bool = False) -> Plan:
        """Solve with HiGHS and return the plan (one table row per role, channel and quarter).

        Parameters
        ----------
        integer : bool, default False
            Pursue whole candidates (:func:`scipy.optimize.milp`); much slower on large plans.

        Returns
        -------
        Plan
            ``plan.table`` has columns role, channel, quarter, candidates, expected hires, cost, cost per
            expected hire and reduced cost; shadow prices are in USD per extra expected hire (hires rows),
            USD per extra candidate of capacity and USD per extra USD of budget.

        Examples
        --------
        >>> model = build_multi_period(cost=[2000, 1000], hire_rates=[0.8, 0.5], target=[[10, 20]],
        ...                            capacity=[[100, 100], [10, 10]])
        >>> plan = model.solve()
        >>> print(plan.objective)
        70,000.00 USD
        """
        n = len(self.c)
        outcome = _run_solver(self.c, self.A_ub, self.b_ub, np.zeros(n), np.full(n, np.inf), integer=integer)
        solved = outcome.status == 0
        x = outcome.x if solved else np.full(n, np.nan)
        n_h = self.n_hires_rows
        flip = np.ones(len(self.b_ub))
        flip[:n_h] = -1.0  # hires rows are ">= target", stored negated
        kinds = np.array(["hires"] * n_h + ["capacity"] * self.n_capacity_rows + ["budget"] * self.n_budget_rows)
        units = np.where(
            kinds == "hires",
            "USD per extra expected hire",
            np.where(kinds == "capacity", "USD per extra candidate of capacity", "USD per extra USD of budget"),
        )
        lhs = self.A_ub @ x
        shadow = flip * outcome.row_marginals if (solved and not integer) else np.full(len(flip), np.nan)
        constraints = _constraints_frame(
            self.row_labels(), kinds, flip * self.b_ub, flip * lhs, self.b_ub - lhs, shadow, units
        )
        binding = tuple(constraints.index[constraints["binding"]]) if solved else ()

        n_c, n_q = len(self.channels), len(self.quarters)
        var = np.arange(n)
        table = pd.DataFrame(
            {
                "role": pd.Categorical.from_codes(var // (n_c * n_q), self.roles),
                "channel": pd.Categorical.from_codes((var // n_q) % n_c, self.channels),
                "quarter": pd.Categorical.from_codes(var % n_q, self.quarters),
                "candidates": x,
                "expected hires": self.hire_rates * x,
                "cost": self.c * x,
                "cost per expected hire": self.c / self.hire_rates,
                "reduced cost": outcome.reduced_costs if (solved and not integer) else np.full(n, np.nan),
            }
        )
        size = f"{len(self.roles)} roles x {n_c} channels x {n_q} quarters"
        if solved:
            objective = float(self.c @ x)
            message = (
                f"Optimal {'whole-candidate ' if integer else ''}plan for {size}: pursue "
                f"{_fmt(float(x.sum()))} candidates for {_fmt(float(self.hire_rates @ x))} expected hires at "
                f"{_fmt(objective)} USD; {len(binding)} of {len(constraints)} constraints binding."
            )
        else:
            objective = math.nan
            message = self._diagnose() if outcome.status == 2 else outcome.message
        return _plan("min_cost", table, Quantity(objective, "USD"), message, constraints, binding, outcome, x, integer)


def build_multi_period(
    cost,
    hire_rates,
    target,
    *,
    capacity=None,
    budget=None,
    roles=None,
    channels=None,
    quarters=None,
) -> MultiPeriodLP:
    """Build the sparse minimum-cost LP for many roles, channels and quarters.

    Parameters
    ----------
    cost : array_like
        USD per candidate pursued, > 0: shape ``(C,)`` (per channel), ``(R, C)`` (per role and channel)
        or ``(R, C, Q)``.
    hire_rates : array_like
        Expected hires per candidate pursued, in (0, 1]; same shapes as `cost`.
    target : array_like, shape (R, Q)
        Expected hires required per role and quarter, >= 0. It fixes the number of roles ``R`` and
        quarters ``Q``.
    capacity : array_like, optional
        Most candidates a channel can supply per quarter, shared by all roles, >= 0 (``np.inf`` for no
        limit): shape ``(C,)`` (same every quarter) or ``(C, Q)``. ``None`` (default): no capacity rows.
    budget : float or array_like, optional
        USD: a scalar is a budget for the whole year (one row), shape ``(Q,)`` a budget per quarter.
        ``None`` (default): no budget rows.
    roles, channels, quarters : sequence of str, optional
        Labels; default ``role 1..R``, ``channel 1..C``, ``Q1..Q``.

    Returns
    -------
    MultiPeriodLP
        The model, ready for ``.solve()`` or for :func:`scipy.optimize.linprog` directly.

    Raises
    ------
    TypeError, ValueError
        If an input has the wrong shape or a value out of range.

    Examples
    --------
    >>> model = build_multi_period(cost=[2000, 1000, 1500], hire_rates=[0.8, 0.5, 0.6],
    ...                            target=[[10, 10, 10, 10], [5, 5, 5, 5]],
    ...                            capacity=[100, 20, 100], budget=[60_000] * 4)
    >>> model.shape  # 2*4 hires rows + 3*4 capacity rows + 4 budget rows, 2*3*4 variables
    (24, 24)
    >>> model.A_ub.nnz
    72
    """
    try:
        target = np.asarray(target, dtype=float)
    except (TypeError, ValueError) as error:
        raise TypeError("target must be an array of numbers (expected hires per role and quarter).") from error
    if target.ndim != 2:
        raise ValueError(f"target must have shape (roles, quarters); got shape {target.shape}.")
    n_r, n_q = target.shape
    cost_shape = np.shape(cost)  # the shape alone fixes C; the values are checked by _as_array below
    if len(cost_shape) not in (1, 2, 3):
        raise ValueError(f"cost must have shape (C,), (R, C) or (R, C, Q); got shape {cost_shape}.")
    n_c = cost_shape[0] if len(cost_shape) == 1 else cost_shape[1]
    if n_r == 0 or n_q == 0 or n_c == 0:
        raise ValueError("Need at least one role, one channel and one quarter.")
    per = {(n_c,): "per channel", (n_r, n_c): "per role and channel", (n_r, n_c, n_q): "per role, channel, quarter"}
    target = _as_array(target, "target", {(n_r, n_q): "per role and quarter"}, "expected hires")
    cost = _as_array(cost, "cost", per, "USD per candidate")
    hire_rates = _as_array(hire_rates, "hire_rates", per, "expected hires per candidate")
    if not np.isfinite(cost).all() or (cost <= 0).any():
        raise ValueError("cost must be finite and > 0 (USD per candidate pursued).")
    if ((hire_rates <= 0) | (hire_rates > 1)).any():
        raise ValueError("hire_rates must be in (0, 1] (expected hires per candidate); write 80% as 0.8.")
    if not np.isfinite(target).all() or (target < 0).any():
        raise ValueError("target must be finite and >= 0 (expected hires per role and quarter).")

    def per_variable(values: np.ndarray) -> np.ndarray:
        # Broadcast (C,) / (R, C) / (R, C, Q) to one value per variable in (r, c, q) order.
        if values.ndim == 1:
            values = values[None, :, None]
        elif values.ndim == 2:
            values = values[:, :, None]
        return np.broadcast_to(values, (n_r, n_c, n_q)).ravel()

    c = per_variable(cost).copy()
    y = per_variable(hire_rates).copy()

    n = n_r * n_c * n_q
    var = np.arange(n)
    role_idx = var // (n_c * n_q)
    quarter_idx = var % n_q
    cell = var // n_q % n_c * n_q + quarter_idx  # channel-quarter cell c * Q + q

    # Hires block: variable (r, c, q) has coefficient -hire_rate in row r * Q + q.
    rows = [role_idx * n_q + quarter_idx]
    cols = [var]
    data = [-y]
    b_parts = [-target.ravel()]
    offset = n_r * n_q

    capacity_cells = np.zeros(0, dtype=np.int64)
    if capacity is not None:
        cap = _as_array(
            capacity, "capacity", {(n_c,): "per channel", (n_c, n_q): "per channel and quarter"}, "candidates"
        )
        if (cap < 0).any():
            raise ValueError("capacity must be >= 0 (candidates per channel and quarter; np.inf for no limit).")
        cap = np.broadcast_to(cap.reshape(n_c, -1), (n_c, n_q)).ravel()
        finite = np.isfinite(cap)
        capacity_cells = np.flatnonzero(finite)
        # Map each channel-quarter cell to its compact row number; cells without a limit get no row.
        row_of_cell = np.cumsum(finite) - 1
        keep = finite[cell]
        rows.append(offset + row_of_cell[cell[keep]])
        cols.append(var[keep])
        data.append(np.ones(int(keep.sum())))
        b_parts.append(cap[finite])
        offset += len(capacity_cells)

    budget_period = None
    if budget is not None:
        spend = np.asarray(budget, dtype=float)
        if spend.ndim == 0:
            budget_period, spend = "year", spend.reshape(1)
            rows.append(np.full(n, offset))
        elif spend.shape == (n_q,):
            budget_period = "quarter"
            rows.append(offset + quarter_idx)
        else:
            raise ValueError(
                f"budget must be a scalar (yearly) or have shape ({n_q},) (per quarter); got {spend.shape}."
            )
        if np.isnan(spend).any() or (spend < 0).any():
            raise ValueError("budget must be >= 0 USD (np.inf for no limit).")
        cols.append(var)
        data.append(c)
        b_parts.append(spend)
        offset += len(spend)

    A_ub = sparse.coo_array(
        (np.concatenate(data), (np.concatenate(rows), np.concatenate(cols))), shape=(offset, n)
    ).tocsr()
    return MultiPeriodLP(
        c=c,
        A_ub=A_ub,
        b_ub=np.concatenate(b_parts),
        hire_rates=y,
        roles=_labels(roles, "role ", n_r, "roles"),
        channels=_labels(channels, "channel ", n_c, "channels"),
        quarters=_labels(quarters, "Q", n_q, "quarters"),
        capacity_cells=capacity_cells,
        budget_period=budget_period,
    )
