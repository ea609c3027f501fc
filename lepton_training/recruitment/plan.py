"""Solve a recruitment LP and read the plan in planner terms.

Sign convention of shadow prices
--------------------------------
HiGHS (through :func:`scipy.optimize.linprog`) reports *marginals*: ``d(fun)/d(b)``, the change of the
minimized objective ``fun = c @ x`` per unit increase of a right-hand side ``b`` as SciPy sees it. The
planner sees something else: a ">= target" row is stored as ``-hire_rate @ x <= -target``, and "maximize hires"
is solved as "minimize minus hires". This module undoes both flips, so every shadow price reads as

    change of the planner's objective per unit increase of the planner's limit

- target (minimum-cost plans): USD per extra expected hire required, >= 0;
- budget (maximum-hires plans): expected hires per extra USD, >= 0;
- capacity of a channel: USD per extra candidate of capacity (<= 0: a saving) in a minimum-cost plan,
  expected hires per extra candidate of capacity (>= 0) in a maximum-hires plan;
- minimum share of a channel: objective change per extra candidate required from that channel beyond its
  share (a cost of diversity: >= 0 in USD, <= 0 in expected hires).

The *reduced cost* of a channel is HiGHS's column dual of the minimization actually solved: how much the
objective gets worse (USD more, or expected hires fewer) per candidate forced into the channel. It is >= 0
for an unused channel, 0 for a channel used below its capacity, and <= 0 for a channel at its capacity.

Shadow prices hold for small changes only: they are slopes of a piecewise-linear value function and stay
valid while the optimal basis does not change. :func:`sensitivity` checks them by re-solving.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from .model import ChannelLP, max_hires_lp, min_cost_lp
from .validation import _is_real, validate_channels

__all__ = ["Quantity", "Plan", "solve_lp", "plan_min_cost", "plan_max_hires", "sensitivity"]

STATUS_TEXT = {
    0: "optimal",
    1: "stopped at a limit",
    2: "infeasible",
    3: "unbounded",
    4: "solver failed",
}

# Relative tolerance for "this constraint is binding" and for comparing objective values: HiGHS's default
# feasibility tolerance is 1e-7, so anything tighter would call rounding noise a violation.
_TOL = 1e-7


@dataclass(frozen=True)
class Quantity:
    """A number with its unit, e.g. ``100,000.00 USD``.

    Attributes
    ----------
    value : float
        The number (NaN when there is no optimal plan).
    unit : str
        Its unit.

    Examples
    --------
    >>> q = Quantity(100000.0, "USD")
    >>> print(q)
    100,000.00 USD
    >>> float(q)
    100000.0
    """

    value: float
    unit: str

    def __float__(self) -> float:
        return float(self.value)

    def __str__(self) -> str:
        return f"{_fmt(self.value)} {self.unit}"


def _fmt(value) -> str:
    """Format a number for people: thousands separators, 2 decimals, small rates with 3 significant digits."""
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if not _is_real(value):
        return str(value)
    value = float(value)
    if math.isnan(value):
        return "n/a"
    if math.isinf(value):
        return "no limit" if value > 0 else "-inf"
    if value == 0:
        return "0.00"  # also turns -0.0 into 0.00
    if abs(value) < 0.01:
        return f"{value:.3g}"
    return f"{value:,.2f}"


@dataclass(frozen=True, eq=False)
class Plan:
    """A solved recruitment plan, readable by a planner.

    Attributes
    ----------
    goal : {"min_cost", "max_hires"}
        What was optimized.
    table : pandas.DataFrame
        One row per decision variable (per channel, or per role, channel and quarter for a multi-period
        plan) with ``candidates`` pursued, ``expected hires``, ``cost`` (USD), ``cost per expected hire``
        (USD) and ``reduced cost`` (see the module docstring for its sign). Numbers are NaN when the solver
        found no optimal plan.
    objective : Quantity
        Total cost in USD, or total expected hires.
    status : str
        ``"optimal"``, ``"infeasible"``, ``"unbounded"``, ``"stopped at a limit"`` or ``"solver failed"``.
    message : str
        Plain-language summary; for an infeasible or unbounded model it names the likely cause.
    shadow_prices : pandas.Series
        Shadow price of each constraint (target, budget, ``capacity[...]``, ``min_share[...]``) in planner
        terms; units in ``constraints["unit"]``. NaN for integer plans, where shadow prices are not defined.
    constraints : pandas.DataFrame
        One row per constraint: ``kind``, ``limit``, ``value`` (the plan's left-hand side, in the limit's
        units), ``slack`` (>= 0 when satisfied), ``binding``, ``shadow price`` and ``unit``.
    binding : tuple of str
        Names of the constraints with (numerically) zero slack.
    integer : bool
        Whether candidates were restricted to whole numbers.
    x : numpy.ndarray
        The solver's vector of candidates (NaN when there is no optimal plan).
    solver_status : int
        SciPy's status code (0 optimal, 1 limit, 2 infeasible, 3 unbounded, 4 other).
    solver_message : str
        SciPy's own message.

    Examples
    --------
    >>> from lepton_training.recruitment import example_channels
    >>> plan = plan_min_cost(example_channels().assign(capacity=[100, 40, 100]), target_hires=50)
    >>> plan.success, plan.binding
    (True, ('target', 'capacity[social media]'))
    >>> round(plan.total_cost), round(plan.expected_hires, 6)
    (115000, 50.0)
    >>> plan.shadow_prices.round(6).to_dict()
    {'target': 2500.0, 'capacity[school]': 0.0, 'capacity[social media]': -250.0, 'capacity[technical forums]': 0.0}
    """

    goal: str
    table: pd.DataFrame
    objective: Quantity
    status: str
    message: str
    shadow_prices: pd.Series
    constraints: pd.DataFrame
    binding: tuple[str, ...]
    integer: bool
    x: np.ndarray = field(repr=False)
    solver_status: int
    solver_message: str

    @property
    def success(self) -> bool:
        """Whether an optimal plan was found."""
        return self.status == "optimal"

    @property
    def total_cost(self) -> float:
        """Total cost of the plan in USD (NaN without a plan)."""
        return float(self.table["cost"].sum(min_count=1))

    @property
    def expected_hires(self) -> float:
        """Total expected hires of the plan (NaN without a plan)."""
        return float(self.table["expected hires"].sum(min_count=1))

    def _title(self) -> str:
        goal = "minimum cost" if self.goal == "min_cost" else "maximum expected hires"
        kind = "integer" if self.integer else "linear"
        return f"Recruitment plan ({goal}, {kind} program): {self.status}"

    def __str__(self) -> str:
        max_rows = 30
        parts = [self._title(), self.message, ""]
        if self.success:
            parts.append(self.table.to_string(index=False, float_format=_fmt, max_rows=max_rows))
            parts.append("")
            parts.append(f"Objective: {self.objective}")
        if len(self.constraints):
            parts.append("")
            parts.append("Constraints:")
            shown = self.constraints.copy()
            shown["binding"] = shown["binding"].map(_fmt)
            parts.append(shown.to_string(float_format=_fmt, max_rows=max_rows))
        return "\n".join(parts)

    def __repr__(self) -> str:
        return f"<Plan {self.goal} {self.status}: objective {self.objective}>"

    def _repr_html_(self) -> str:
        # Plain HTML with no colors of its own, so it stays readable in light and dark themes; to_html
        # escapes cell text (escape=True) and the message is escaped here.
        max_rows = 30
        parts = [
            '<div class="lepton-recruitment-plan">',
            f"<p><strong>{html.escape(self._title())}</strong></p>",
            f"<p>{html.escape(self.message)}</p>",
        ]
        if self.success:
            parts.append(self.table.to_html(index=False, float_format=_fmt, escape=True, max_rows=max_rows, border=0))
            parts.append(f"<p>Objective: <strong>{html.escape(str(self.objective))}</strong></p>")
        if len(self.constraints):
            shown = self.constraints.copy()
            shown["binding"] = shown["binding"].map(_fmt)
            parts.append("<p>Constraints</p>")
            parts.append(shown.to_html(float_format=_fmt, escape=True, max_rows=max_rows, border=0))
        parts.append("</div>")
        return "\n".join(parts)


@dataclass(frozen=True)
class _Outcome:
    """What the solver returned, in the minimization form that was solved."""

    status: int
    message: str
    x: np.ndarray | None
    row_marginals: np.ndarray | None
    upper_marginals: np.ndarray | None
    reduced_costs: np.ndarray | None


def _run_solver(c, A_ub, b_ub, lower, upper, *, integer: bool) -> _Outcome:
    """Minimize ``c @ x`` s.t. ``A_ub @ x <= b_ub``, ``lower <= x <= upper`` with HiGHS.

    `A_ub` may be a dense array or a SciPy sparse array. Integer programs go to :func:`milp`, which
    reports neither marginals nor reduced costs.
    """
    n_rows = A_ub.shape[0]
    if integer:
        constraints = LinearConstraint(A_ub, -np.inf, b_ub) if n_rows else None
        res = milp(c, integrality=np.ones(len(c)), bounds=Bounds(lower, upper), constraints=constraints)
        status, message = int(res.status), str(res.message)
        if status == 4 and "unbounded or infeasible" in message:
            # HiGHS's MIP presolve may stop at "infeasible or unbounded"; the LP relaxation tells which.
            relaxed = _run_solver(c, A_ub, b_ub, lower, upper, integer=False)
            if relaxed.status in (2, 3):
                status = relaxed.status
        # HiGHS accepts 39.9999999 as whole (integrality tolerance); a plan of whole candidates should say 40.
        x = np.round(np.asarray(res.x, dtype=float)) if status == 0 else None
        return _Outcome(status, message, x, None, None, None)

    res = linprog(
        c,
        A_ub=A_ub if n_rows else None,
        b_ub=b_ub if n_rows else None,
        bounds=np.column_stack([lower, upper]),
        method="highs",
    )
    if res.status != 0:
        return _Outcome(int(res.status), str(res.message), None, None, None, None)
    row_marginals = np.asarray(res.ineqlin.marginals, dtype=float) if n_rows else np.zeros(0)
    upper_marginals = np.asarray(res.upper.marginals, dtype=float)
    # HiGHS returns one column dual per variable and SciPy splits it between the bound that is active.
    reduced = np.asarray(res.lower.marginals, dtype=float) + upper_marginals
    return _Outcome(0, str(res.message), np.asarray(res.x, dtype=float), row_marginals, upper_marginals, reduced)


def _constraints_frame(names, kinds, limits, values, slacks, shadow, units, *, tol: float = _TOL) -> pd.DataFrame:
    limits = np.asarray(limits, dtype=float)
    scale = np.maximum(1.0, np.abs(np.where(np.isfinite(limits), limits, 0.0)))
    # Snap rounding noise (1e-16 residuals from the solver) to exact zeros so tables read cleanly.
    values = np.where(np.abs(values) <= 1e-9 * scale, 0.0, values)
    slacks = np.asarray(slacks, dtype=float)
    slacks = np.where(np.abs(slacks) <= 1e-9 * scale, 0.0, slacks)
    binding = np.abs(slacks) <= tol * scale
    return pd.DataFrame(
        {
            "kind": kinds,
            "limit": limits,
            "value": values,
            "slack": slacks,
            "binding": binding,
            "shadow price": shadow,
            "unit": units,
        },
        index=pd.Index(names, name="constraint"),
    )


def _tie_note(lp: ChannelLP, x: np.ndarray, reduced: np.ndarray | None) -> str:
    """Say when other plans may reach the same objective: an idle or full channel with zero reduced cost."""
    if reduced is None:
        return ""
    at_zero = x <= _TOL
    with np.errstate(invalid="ignore"):
        at_capacity = np.isfinite(lp.upper) & (lp.upper - x <= _TOL * np.maximum(1.0, lp.upper))
    # A basic variable always has zero reduced cost; only a non-basic one (at a bound) with zero reduced
    # cost can be moved without changing the objective.
    free = (at_zero | at_capacity) & (np.abs(reduced) <= 1e-9 * np.maximum(1.0, np.abs(lp.c)))
    if not free.any():
        return ""
    names = ", ".join(repr(name) for name in lp.channels["channel"][free])
    return (
        f" Other plans may reach the same objective: channel(s) {names} sit at a bound with zero reduced "
        "cost, so shifting candidates to or from them costs nothing (a tie). Compare objective values, not "
        "plans."
    )


def _max_expected_hires(lp: ChannelLP, *, drop_shares: bool, keep_budget: bool) -> float:
    """Most expected hires the channels' capacities allow (inf if some channel is unlimited)."""
    table = lp.channels.copy()
    if drop_shares:
        table["min_share"] = 0.0
    budget = None
    if keep_budget and "budget" in lp.row_names:
        budget = lp.row_limits[lp.row_names.index("budget")]
    model = max_hires_lp(table, budget)
    out = _run_solver(model.c, model.A_ub, model.b_ub, model.lower, model.upper, integer=False)
    if out.status == 3:
        return math.inf
    return model.planner_objective(out.x) if out.status == 0 else math.nan


def _explain_failure(lp: ChannelLP, status: int, integer: bool) -> str:
    """Explain an infeasible or unbounded model to a planner: name the likely cause and a fix."""
    if status == 3:
        unlimited = lp.channels.loc[np.isinf(lp.upper), "channel"].tolist()
        if lp.goal == "max_hires" and "budget" not in lp.row_names and unlimited:
            return (
                f"The plan is unbounded: no budget was given and channel(s) "
                f"{', '.join(map(repr, unlimited))} have no capacity, so expected hires can grow without "
                "limit. Give a budget (plan_max_hires(channels, budget=...)) or a finite capacity for "
                "those channels."
            )
        return (
            "The plan is unbounded: the objective can improve without limit. Check that every channel is "
            "limited by a budget or a capacity."
        )
    if status != 2:
        return ""
    target = lp.row_limits[lp.row_names.index("target")]
    reachable = _max_expected_hires(lp, drop_shares=False, keep_budget=False)
    if reachable < target * (1 - _TOL):
        shares = (lp.channels["min_share"] > 0).any()
        without_shares = _max_expected_hires(lp, drop_shares=True, keep_budget=False)
        if shares and without_shares >= target * (1 - _TOL):
            return (
                f"No plan meets the target of {_fmt(target)} expected hires: with the minimum shares, "
                f"the capacities allow at most {_fmt(reachable)} expected hires (without the shares they "
                f"would allow {_fmt(without_shares)}). Lower the minimum shares of the channels with small "
                "capacities, raise their capacities, or lower the target."
            )
        return (
            f"No plan meets the target of {_fmt(target)} expected hires: the channel capacities allow at "
            f"most {_fmt(reachable)} expected hires (sum of capacity x hire rate). Raise a capacity, add a "
            "channel, or lower the target."
        )
    if "budget" in lp.row_names:
        budget = lp.row_limits[lp.row_names.index("budget")]
        within_budget = _max_expected_hires(lp, drop_shares=False, keep_budget=True)
        if within_budget < target * (1 - _TOL):
            return (
                f"No plan meets the target of {_fmt(target)} expected hires within the budget of "
                f"{_fmt(budget)} USD: that budget buys at most {_fmt(within_budget)} expected hires. "
                "Raise the budget or lower the target."
            )
    if integer:
        return (
            f"No whole-candidate plan meets the target of {_fmt(target)} expected hires, although a "
            "fractional plan does: the capacities are too tight once candidates are whole numbers. Raise a "
            "capacity slightly or solve the LP relaxation (integer=False)."
        )
    return "The solver reports the model infeasible; check the capacities, shares, budget and target."


def _optimal_message(lp: ChannelLP, x: np.ndarray, binding, outcome: _Outcome, integer: bool) -> str:
    cost = float(lp.channels["cost"].to_numpy() @ x)
    hires = float(lp.channels["hire_rate"].to_numpy() @ x)
    kind = "whole-candidate plan" if integer else "plan"
    text = (
        f"Optimal {kind}: pursue {_fmt(float(x.sum()))} candidates for {_fmt(hires)} expected hires at a "
        f"total cost of {_fmt(cost)} USD."
    )
    text += f" Binding constraints: {', '.join(binding)}." if binding else " No constraint is binding."
    if integer:
        text += (
            " Shadow prices and reduced costs are not defined for an integer program (shown as NaN); "
            "solve with integer=False to read them from the LP relaxation."
        )
    else:
        text += _tie_note(lp, x, outcome.reduced_costs)
    return text


def solve_lp(lp: ChannelLP, *, integer: bool = False) -> Plan:
    """Solve a channel LP with HiGHS and read the plan in planner terms.

    Parameters
    ----------
    lp : ChannelLP
        A model from :func:`~lepton_training.recruitment.model.min_cost_lp` or
        :func:`~lepton_training.recruitment.model.max_hires_lp`.
    integer : bool, default False
        Pursue whole candidates: solve with :func:`scipy.optimize.milp` instead of
        ``scipy.optimize.linprog(method="highs")``.

    Returns
    -------
    Plan
        The plan; check ``plan.status`` (or ``plan.success``) before using the numbers.

    Examples
    --------
    >>> from lepton_training.recruitment.model import example_channels, min_cost_lp
    >>> plan = solve_lp(min_cost_lp(example_channels(), target_hires=50))
    >>> plan.status, plan.table["candidates"].round(2).tolist()
    ('optimal', [0.0, 100.0, 0.0])
    """
    if not isinstance(integer, bool | np.bool_):
        raise TypeError(f"integer must be True or False; got {integer!r}.")
    outcome = _run_solver(lp.c, lp.A_ub, lp.b_ub, lp.lower, lp.upper, integer=bool(integer))
    table = lp.channels
    cost, rate = table["cost"].to_numpy(), table["hire_rate"].to_numpy()
    finite_cap = np.isfinite(lp.upper)
    cap_names = [f"capacity[{name}]" for name in table["channel"][finite_cap]]
    names = list(lp.row_names) + cap_names
    kinds = [name.split("[")[0] for name in lp.row_names] + ["capacity"] * len(cap_names)
    limits = np.concatenate([lp.row_limits, lp.upper[finite_cap]])
    units = lp.row_units() + [f"{lp.objective_unit} per extra candidate of capacity"] * len(cap_names)

    solved = outcome.status == 0
    x = outcome.x if solved else np.full(lp.n_channels, np.nan)
    if solved and not integer:
        # Planner shadow price = sense * flip * HiGHS marginal (see the module docstring).
        shadow = np.concatenate(
            [lp.sense * lp.row_flip * outcome.row_marginals, lp.sense * outcome.upper_marginals[finite_cap]]
        )
        reduced = outcome.reduced_costs
    else:
        shadow = np.full(len(names), np.nan)
        reduced = np.full(lp.n_channels, np.nan)
    row_values = lp.row_flip * (lp.A_ub @ x) if len(lp.row_names) else np.zeros(0)
    values = np.concatenate([row_values, x[finite_cap]])
    slacks = np.concatenate(
        [lp.b_ub - lp.A_ub @ x if len(lp.row_names) else np.zeros(0), limits[len(lp.row_names) :] - x[finite_cap]]
    )
    constraints = _constraints_frame(names, kinds, limits, values, slacks, shadow, units)
    binding = tuple(constraints.index[constraints["binding"]]) if solved else ()

    plan_table = pd.DataFrame(
        {
            "channel": table["channel"],
            "candidates": x,
            "expected hires": rate * x,
            "cost": cost * x,
            "cost per expected hire": cost / rate,
            "reduced cost": reduced,
        }
    )
    if solved:
        message = _optimal_message(lp, x, binding, outcome, bool(integer))
        objective = lp.planner_objective(x)
    else:
        message = _explain_failure(lp, outcome.status, bool(integer)) or outcome.message
        objective = math.nan
    return _plan(
        lp.goal, plan_table, Quantity(objective, lp.objective_unit), message, constraints, binding, outcome, x, integer
    )


def _plan(goal, table, objective, message, constraints, binding, outcome: _Outcome, x, integer) -> Plan:
    """Assemble a Plan from a solved (or failed) model; shared by the one-table and multi-period planners."""
    return Plan(
        goal=goal,
        table=table,
        objective=objective,
        status=STATUS_TEXT.get(outcome.status, "solver failed"),
        message=message,
        shadow_prices=constraints["shadow price"].rename("shadow price"),
        constraints=constraints,
        binding=binding,
        integer=bool(integer),
        x=x,
        solver_status=outcome.status,
        solver_message=outcome.message,
    )


def plan_min_cost(channels, target_hires, *, budget=None, integer: bool = False) -> Plan:
    """Find the cheapest plan that reaches a number of expected hires.

    Solves: minimize ``sum(cost * x)`` over candidates ``x`` per channel, subject to
    ``sum(hire_rate * x) >= target_hires``, ``0 <= x <= capacity``, each channel's minimum share of all
    candidates, and optionally ``sum(cost * x) <= budget``.

    Parameters
    ----------
    channels : pandas.DataFrame
        Columns ``channel`` (str), ``cost`` (USD per candidate pursued, > 0), ``hire_rate`` (expected hires
        per candidate, in (0, 1]) and optionally ``capacity`` (max candidates, ``np.inf`` for none) and
        ``min_share`` (minimum share of all candidates, summing to at most 1).
    target_hires : float
        Expected hires to reach, >= 0.
    budget : float, optional
        Spending cap in USD; a budget too small for the target makes the model infeasible.
    integer : bool, default False
        Pursue whole candidates (:func:`scipy.optimize.milp`). An integer plan costs at least as much as
        the LP plan and has no shadow prices.

    Returns
    -------
    Plan
        ``plan.objective`` is the total cost in USD; ``plan.shadow_prices["target"]`` is the marginal cost
        of one more expected hire, in USD. An infeasible target gives ``plan.status == "infeasible"`` and a
        message naming the cause, not an exception.

    Raises
    ------
    TypeError, ValueError
        If the inputs are invalid; the message says which column or argument and how to fix it.

    See Also
    --------
    plan_max_hires : the other objective.
    sensitivity : re-solve for perturbed limits to check the shadow prices.

    Examples
    --------
    >>> from lepton_training.recruitment import example_channels
    >>> plan = plan_min_cost(example_channels(), target_hires=50)
    >>> print(plan.objective)
    100,000.00 USD
    >>> float(plan.shadow_prices["target"])
    2000.0
    """
    return solve_lp(min_cost_lp(channels, target_hires, budget=budget), integer=integer)


def plan_max_hires(channels, budget, *, integer: bool = False) -> Plan:
    """Find the plan with the most expected hires within a budget.

    Solves: maximize ``sum(hire_rate * x)`` subject to ``sum(cost * x) <= budget``, ``0 <= x <= capacity``
    and each channel's minimum share of all candidates.

    Parameters
    ----------
    channels : pandas.DataFrame
        Channel table, as for :func:`plan_min_cost`.
    budget : float or None
        Spending cap in USD, >= 0. ``None`` means no budget: the capacities alone limit the plan, and the
        plan is unbounded if a channel has no capacity.
    integer : bool, default False
        Pursue whole candidates (:func:`scipy.optimize.milp`).

    Returns
    -------
    Plan
        ``plan.objective`` is in expected hires; ``plan.shadow_prices["budget"]`` is in expected hires per
        extra USD.

    Raises
    ------
    TypeError, ValueError
        If the inputs are invalid.

    Examples
    --------
    >>> from lepton_training.recruitment import example_channels
    >>> plan = plan_max_hires(example_channels(), budget=1_000_000)
    >>> print(plan.objective)
    500.00 expected hires
    >>> float(plan.shadow_prices["budget"])
    0.0005
    """
    return solve_lp(max_hires_lp(channels, budget), integer=integer)


def _with_capacity(channels: pd.DataFrame, channel: str, capacity: float) -> pd.DataFrame:
    table = channels.copy()
    table.loc[table["channel"] == channel, "capacity"] = capacity
    return table


def sensitivity(channels, *, target_hires=None, budget=None, parameter=None, deltas=(-10, -1, 1, 10)):
    """Check a shadow price by re-solving the LP with its limit moved by each of `deltas`.

    A shadow price is the slope of the optimal objective as a function of one limit. Over a range where
    the optimal basis does not change that function is linear, so the re-solved change must equal
    ``shadow price * delta``; beyond that range it bends and the prediction fails. Because the optimal cost
    is convex in each limit (and the optimal hires concave), if the re-solved shadow price at the new limit
    equals the base one, the whole interval lies on one linear piece and the prediction is exact.

    Parameters
    ----------
    channels : pandas.DataFrame
        Channel table, as for :func:`plan_min_cost`.
    target_hires : float, optional
        Give it for a minimum-cost plan (with `budget` as an optional cap).
    budget : float, optional
        Without `target_hires`: a maximum-hires plan within this budget.
    parameter : str, optional
        The limit to move: ``"target"`` (default for minimum-cost plans), ``"budget"`` (default for
        maximum-hires plans) or ``"capacity[<channel>]"`` for a channel with a finite capacity.
    deltas : iterable of float, default (-10, -1, 1, 10)
        Changes of the limit, in its own units (expected hires, USD or candidates).

    Returns
    -------
    pandas.DataFrame
        One row per delta: ``delta``, the new ``limit``, ``status``, ``objective``, ``change`` (re-solved
        minus base objective), ``predicted change`` (base shadow price x delta), ``shadow price`` at the
        new limit, ``same shadow price`` (True inside the linear range) and ``matches`` (change equals the
        prediction within a relative 1e-6). ``df.attrs`` holds the base objective, shadow price and unit.

    Raises
    ------
    ValueError
        If neither `target_hires` nor `budget` is given, `parameter` is unknown, or a delta makes the limit
        negative.

    Examples
    --------
    >>> from lepton_training.recruitment import example_channels
    >>> table = example_channels().assign(capacity=[1000, 40, 1000])
    >>> check = sensitivity(table, target_hires=50, deltas=[1, 10, -40])
    >>> print(check[["delta", "change", "predicted change", "same shadow price"]].to_string(index=False))
     delta   change  predicted change  same shadow price
       1.0   2500.0            2500.0               True
      10.0  25000.0           25000.0               True
     -40.0 -95000.0         -100000.0              False
    """
    if target_hires is None and budget is None:
        raise ValueError("Give target_hires (minimum-cost plan) or budget (maximum-hires plan).")
    goal = "min_cost" if target_hires is not None else "max_hires"
    if parameter is None:
        parameter = "target" if goal == "min_cost" else "budget"
    if isinstance(deltas, str) or not isinstance(deltas, Iterable):
        raise TypeError(f"deltas must be a list of numbers; got {deltas!r}.")
    deltas = list(deltas)
    if not deltas or not all(_is_real(d) and math.isfinite(d) for d in deltas):
        raise ValueError(f"deltas must be a non-empty list of finite numbers; got {deltas!r}.")

    def solve(target, cap_budget, table) -> Plan:
        if goal == "min_cost":
            return plan_min_cost(table, target, budget=cap_budget)
        return plan_max_hires(table, cap_budget)

    base = solve(target_hires, budget, channels)
    if not base.success:
        raise ValueError(f"The base model has no optimal plan, so there is no shadow price: {base.message}")
    movable = [name for name in base.shadow_prices.index if not name.startswith("min_share[")]
    if parameter not in movable:
        raise ValueError(
            f"parameter must name one of this model's limits: {', '.join(map(repr, movable))}; got "
            f"{parameter!r}. Capacities count only for channels with a finite capacity."
        )
    base_limit = float(base.constraints.loc[parameter, "limit"])
    price = float(base.shadow_prices[parameter])
    base_value = float(base.objective)
    rows = []
    for delta in deltas:
        limit = base_limit + delta
        if limit < 0:
            raise ValueError(f"delta {delta:g} would make {parameter} negative ({limit:g}); use a smaller delta.")
        target, cap_budget, table = target_hires, budget, channels
        if parameter == "target":
            target = limit
        elif parameter == "budget":
            cap_budget = limit
        else:
            table = _with_capacity(validate_channels(channels), parameter[len("capacity[") : -1], limit)
        plan = solve(target, cap_budget, table)
        change = float(plan.objective) - base_value
        predicted = price * delta
        scale = max(1.0, abs(base_value), abs(predicted))
        new_price = float(plan.shadow_prices[parameter]) if plan.success else math.nan
        rows.append(
            {
                "delta": float(delta),
                "limit": limit,
                "status": plan.status,
                "objective": float(plan.objective),
                "change": change,
                "predicted change": predicted,
                "shadow price": new_price,
                "same shadow price": bool(abs(new_price - price) <= 1e-6 * max(1.0, abs(price))),
                "matches": bool(abs(change - predicted) <= 1e-6 * scale),
            }
        )
    result = pd.DataFrame(rows)
    result.attrs.update(
        {
            "parameter": parameter,
            "base limit": base_limit,
            "base objective": base_value,
            "base shadow price": price,
            "unit": str(base.constraints.loc[parameter, "unit"]),
        }
    )
    return result
