"""Checks for answers to linear programs: feasibility, optimality, objective sense and shadow-price signs.

A linear program can have many optimal plans (channels that cost the same per expected hire tie), so an
answer is never compared with a stored plan vector. Instead, in this order:

1. **Well-formed**: a vector of numbers, one per variable (:func:`as_plan_vector`).
2. **Feasible**: every constraint holds within a tolerance; otherwise the message names each violated
   constraint and by how much, in its own unit (:func:`violations`, :func:`check_feasible`).
3. **Optimal**: the plan's objective equals the optimal value, which is recomputed by solving the model with
   HiGHS; otherwise the message says how far from optimal the plan is, in the objective's unit and as a
   percentage, and whether it looks maximized instead of minimized (:func:`check_optimal`).

A learner's *model* (``c, A_ub, b_ub, bounds`` for :func:`scipy.optimize.linprog`) is checked by solving it
and putting its optimal plan through the same three steps against the reference model
(:func:`check_model`): any equivalent formulation passes (rows scaled, costs in thousands of USD, redundant
rows), and the classic slips get their own message (an objective that maximizes, a ``>=`` row written as
``<=``). A shadow price is checked against the slopes of the optimal value, found by re-solving with the
limit moved a little either way (:func:`shadow_price_interval`, :func:`check_shadow_price`), so every valid
dual value passes, even at a degenerate optimum, and a flipped sign gets its own message.

Every model is in SciPy's form: minimize ``c @ x`` subject to ``A_ub @ x <= b_ub`` and
``lower <= x <= upper``. A planner's ``>= limit`` row is stored negated, and :class:`LinearProgram` remembers
it (``row_flip = -1``) so that messages and shadow prices read in the planner's terms.

SciPy is imported inside the functions, so importing this module stays light.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lepton_training.checks import (
    CheckResult,
    _count,
    _with_advice,
    describe_type,
    format_number,
    incorrect,
    invalid,
    passed,
)

__all__ = [
    "LinearProgram",
    "Solution",
    "Violation",
    "solve",
    "violations",
    "as_plan_vector",
    "parse_linprog_model",
    "objective_direction",
    "check_feasible",
    "check_optimal",
    "check_model",
    "shadow_price_interval",
    "check_shadow_price",
    "format_amount",
    "describe_result",
]

#: Feasibility tolerance: absolute, plus relative to the size of the limit (HiGHS's own is 1e-7).
FEASIBILITY_TOL = 1e-6
#: Relative tolerance on the optimal value (and on a shadow price).
OPTIMALITY_RTOL = 1e-6

STATUS_WORDS = {
    0: "optimal",
    1: "stopped at an iteration or time limit",
    2: "infeasible",
    3: "unbounded",
    4: "numerical difficulties",
}


def format_amount(value: float, unit: str = "") -> str:
    """Format a number for a message: thousands separators, at most 4 significant decimals, then the unit.

    Parameters
    ----------
    value : float
        The number.
    unit : str, optional
        Appended after a space.

    Returns
    -------
    str

    Examples
    --------
    >>> format_amount(2500, "USD")
    '2,500 USD'
    >>> format_amount(12.345678, "expected hires")
    '12.35 expected hires'
    """
    value = float(value)
    if value == int(value) and abs(value) < 1e15:
        text = f"{int(value):,}"
    elif abs(value) >= 100:
        text = f"{value:,.1f}".rstrip("0").rstrip(".")
    elif abs(value) >= 1:
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:.3g}"
    return f"{text} {unit}".strip()


@dataclass(frozen=True, eq=False)
class LinearProgram:
    """A minimization in SciPy's form, with the names and units a planner uses.

    minimize ``c @ x`` subject to ``A_ub @ x <= b_ub`` and ``lower <= x <= upper`` (and ``x`` whole when
    `integer`).

    Parameters
    ----------
    c : array_like, shape (n,)
        Objective coefficients.
    A_ub : array_like, shape (m, n)
        Inequality rows.
    b_ub : array_like, shape (m,)
        Right-hand sides.
    lower, upper : array_like, shape (n,)
        Bounds; ``np.inf`` for no upper bound.
    row_names : sequence of str
        How to name each row in a message, such as ``"the hiring target"``.
    row_units : sequence of str
        Unit of each row's limit, such as ``"expected hires"``.
    row_flip : sequence of {1, -1}
        ``-1`` for a planner's ``>= limit`` row stored negated, ``+1`` for a ``<= limit`` row.
    variable_names : sequence of str
        One name per variable, such as the channel names.
    variable_unit : str
        Unit of the variables, such as ``"candidates"``.
    objective_unit : str
        Unit of the objective, such as ``"USD"``.
    integer : bool
        Whether every variable must be a whole number.

    Examples
    --------
    >>> lp = LinearProgram(c=[2000, 1000], A_ub=[[-0.8, -0.5]], b_ub=[-10], lower=[0, 0], upper=[np.inf, 10],
    ...                    row_names=["the hiring target"], row_units=["expected hires"], row_flip=[-1],
    ...                    variable_names=["school", "social media"])
    >>> lp.limits().tolist()
    [10.0]
    >>> solve(lp).fun
    22500.0
    """

    c: Any
    A_ub: Any
    b_ub: Any
    lower: Any
    upper: Any
    row_names: Sequence[str]
    row_units: Sequence[str]
    row_flip: Sequence[float]
    variable_names: Sequence[str]
    variable_unit: str = "candidates"
    objective_unit: str = "USD"
    integer: bool = False

    def __post_init__(self):
        c = np.asarray(self.c, dtype=float)
        n = len(c)
        A = np.asarray(self.A_ub, dtype=float).reshape(-1, n)
        m = A.shape[0]
        fields = {
            "c": c,
            "A_ub": A,
            "b_ub": np.asarray(self.b_ub, dtype=float).reshape(m),
            "lower": np.broadcast_to(np.asarray(self.lower, dtype=float), (n,)).copy(),
            "upper": np.broadcast_to(np.asarray(self.upper, dtype=float), (n,)).copy(),
            "row_flip": np.asarray(self.row_flip, dtype=float).reshape(m),
            "row_names": tuple(self.row_names),
            "row_units": tuple(self.row_units),
            "variable_names": tuple(str(v) for v in self.variable_names),
        }
        if len(fields["row_names"]) != m or len(fields["row_units"]) != m or len(fields["variable_names"]) != n:
            raise ValueError("row_names and row_units need one entry per row, variable_names one per variable")
        for key, value in fields.items():
            object.__setattr__(self, key, value)

    @property
    def n(self) -> int:
        """Number of variables."""
        return len(self.c)

    def limits(self) -> np.ndarray:
        """Each row's limit as the planner states it (``row_flip * b_ub``)."""
        return self.row_flip * self.b_ub

    def objective(self, x) -> float:
        """Return the objective ``c @ x`` of a plan."""
        return float(self.c @ np.asarray(x, dtype=float))

    def with_limit(self, row: int, limit: float) -> LinearProgram:
        """Return a copy whose row ``row`` has the planner limit ``limit``."""
        b = self.b_ub.copy()
        b[row] = self.row_flip[row] * limit
        return LinearProgram(
            self.c,
            self.A_ub,
            b,
            self.lower,
            self.upper,
            self.row_names,
            self.row_units,
            self.row_flip,
            self.variable_names,
            self.variable_unit,
            self.objective_unit,
            self.integer,
        )


@dataclass(frozen=True)
class Solution:
    """What HiGHS returned: SciPy's status code, the plan, the optimal value and the row marginals.

    ``marginals`` are ``d fun / d b_ub`` as SciPy reports them for the stored rows (``None`` for integer
    programs, which have none).
    """

    status: int
    x: np.ndarray | None
    fun: float
    marginals: np.ndarray | None

    @property
    def optimal(self) -> bool:
        """Whether an optimal plan was found."""
        return self.status == 0


def solve(lp: LinearProgram, *, maximize: bool = False) -> Solution:
    """Solve a program with HiGHS: :func:`scipy.optimize.linprog`, or :func:`scipy.optimize.milp` if integer.

    Parameters
    ----------
    lp : LinearProgram
        The program.
    maximize : bool, default False
        Maximize ``c @ x`` instead (used to recognize a plan that maximizes when it should minimize).

    Returns
    -------
    Solution
        ``fun`` is ``c @ x`` at the optimum (NaN without one), whatever the direction.
    """
    from scipy.optimize import Bounds, LinearConstraint, linprog, milp

    sign = -1.0 if maximize else 1.0
    m = len(lp.b_ub)
    if lp.integer:
        constraints = LinearConstraint(lp.A_ub, -np.inf, lp.b_ub) if m else None
        res = milp(sign * lp.c, integrality=np.ones(lp.n), bounds=Bounds(lp.lower, lp.upper), constraints=constraints)
        status = int(res.status)
        if status == 4 and "unbounded" in str(res.message).lower():  # "infeasible or unbounded": ask the LP
            relaxed = solve(
                LinearProgram(**{**_fields(lp), "integer": False}),
                maximize=maximize,
            )
            status = relaxed.status if relaxed.status in (2, 3) else status
        if status != 0:
            return Solution(status, None, math.nan, None)
        x = np.asarray(res.x, dtype=float)
        return Solution(0, x, float(lp.c @ x), None)
    res = linprog(
        sign * lp.c,
        A_ub=lp.A_ub if m else None,
        b_ub=lp.b_ub if m else None,
        bounds=np.column_stack([lp.lower, lp.upper]),
        method="highs",
    )
    if res.status != 0:
        return Solution(int(res.status), None, math.nan, None)
    x = np.asarray(res.x, dtype=float)
    marginals = sign * np.asarray(res.ineqlin.marginals, dtype=float) if m else np.zeros(0)
    return Solution(0, x, float(lp.c @ x), marginals)


def _fields(lp: LinearProgram) -> dict[str, Any]:
    return {
        name: getattr(lp, name)
        for name in (
            "c",
            "A_ub",
            "b_ub",
            "lower",
            "upper",
            "row_names",
            "row_units",
            "row_flip",
            "variable_names",
            "variable_unit",
            "objective_unit",
            "integer",
        )
    }


def describe_result(value: Any) -> str:
    """Describe a solver result in a message: "an OptimizeResult (status 2, infeasible)".

    Parameters
    ----------
    value : object
        What ``linprog`` or ``milp`` returned, or an object with a ``status``.

    Returns
    -------
    str
    """
    kind = type(value).__name__
    article = "an" if kind[:1].lower() in "aeiou" else "a"
    status = getattr(value, "status", None)
    try:
        code = int(status)
    except (TypeError, ValueError):
        return f"{article} {kind}"
    return f"{article} {kind} (status {code}, {STATUS_WORDS.get(code, 'other')})"


# --- feasibility -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Violation:
    """One constraint a plan breaks.

    Attributes
    ----------
    kind : {"row", "lower", "upper"}
        A constraint row, or a variable's lower or upper bound.
    index : int
        Row or variable index.
    amount : float
        By how much it is broken (> 0), in `unit`.
    unit : str
        Unit of the amount.
    text : str
        The sentence a learner reads.
    """

    kind: str
    index: int
    amount: float
    unit: str
    text: str

    @property
    def sentence(self) -> str:
        """The text as a sentence of its own: capitalized, with its full stop."""
        return self.text[:1].upper() + self.text[1:] + "."


def _tolerance(limit: float) -> float:
    return FEASIBILITY_TOL * (1.0 + (abs(limit) if math.isfinite(limit) else 0.0))


def violations(lp: LinearProgram, x) -> list[Violation]:
    """List the constraints a plan breaks, each with the amount in its own unit.

    Parameters
    ----------
    lp : LinearProgram
        The model the plan should satisfy.
    x : array_like, shape (n,)
        The plan.

    Returns
    -------
    list of Violation
        Empty when the plan is feasible within :data:`FEASIBILITY_TOL` (absolute plus relative).

    Examples
    --------
    >>> lp = LinearProgram(c=[2000, 1000], A_ub=[[-0.8, -0.5]], b_ub=[-10], lower=[0, 0], upper=[np.inf, 10],
    ...                    row_names=["the hiring target"], row_units=["expected hires"], row_flip=[-1],
    ...                    variable_names=["school", "social media"])
    >>> [v.text for v in violations(lp, [0, 12])]  # doctest: +NORMALIZE_WHITESPACE
    ['the hiring target is missed by 4 expected hires',
     "'social media' is 2 candidates above its upper bound (capacity)"]
    """
    x = np.asarray(x, dtype=float)
    found: list[Violation] = []
    excess = lp.A_ub @ x - lp.b_ub
    for i, amount in enumerate(excess):
        if amount > _tolerance(lp.b_ub[i]):
            verb = "is missed by" if lp.row_flip[i] < 0 else "is exceeded by"
            text = f"{lp.row_names[i]} {verb} {format_amount(amount, lp.row_units[i])}"
            found.append(Violation("row", i, float(amount), lp.row_units[i], text))
    for j in range(lp.n):
        name = lp.variable_names[j]
        below = lp.lower[j] - x[j]
        if below > _tolerance(lp.lower[j]):
            what = "is negative" if lp.lower[j] == 0 else "is below its lower bound"
            text = f"{name!r} {what} ({format_amount(x[j], lp.variable_unit)})"
            found.append(Violation("lower", j, float(below), lp.variable_unit, text))
        above = x[j] - lp.upper[j]
        if math.isfinite(lp.upper[j]) and above > _tolerance(lp.upper[j]):
            text = f"{name!r} is {format_amount(above, lp.variable_unit)} above its upper bound (capacity)"
            found.append(Violation("upper", j, float(above), lp.variable_unit, text))
    return found


def as_plan_vector(value: Any, lp: LinearProgram, *, name: str = "Your plan") -> np.ndarray | CheckResult:
    """Read a learner's plan as a float vector in the model's variable order, or say why it cannot be read.

    Parameters
    ----------
    value : object
        A NumPy array, list or tuple in variable order, or a pandas Series indexed by the variable names
        (any order).
    lp : LinearProgram
        Gives the number and names of the variables.
    name : str
        How to call the plan in a message.

    Returns
    -------
    numpy.ndarray or CheckResult
        The vector, or an ``invalid`` result.

    Examples
    --------
    >>> lp = LinearProgram(c=[1, 1], A_ub=np.zeros((0, 2)), b_ub=[], lower=0, upper=np.inf, row_names=[],
    ...                    row_units=[], row_flip=[], variable_names=["a", "b"])
    >>> as_plan_vector([1, 2], lp).tolist()
    [1.0, 2.0]
    >>> as_plan_vector([1, 2, 3], lp).status
    'invalid'
    """
    import pandas as pd

    if isinstance(value, pd.Series):
        labels = [str(label) for label in value.index]
        if sorted(labels) != sorted(lp.variable_names) or len(set(labels)) != len(labels):
            return invalid(
                f"{name} is a Series whose index should be the {lp.n} channel names "
                f"({', '.join(map(repr, lp.variable_names))}); it is {labels[:6]}."
            )
        value = value.set_axis(labels).reindex(list(lp.variable_names)).to_numpy()
    if not isinstance(value, (np.ndarray, list, tuple)):
        if hasattr(value, "x") and hasattr(value, "status"):
            return invalid(
                f"{name} should be a NumPy array of {lp.n} numbers, but it is {describe_result(value)}: return "
                "its plan, `res.x`."
            )
        return invalid(f"{name} should be a NumPy array of {lp.n} numbers, but it is {describe_type(value)}.")
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        return invalid(f"{name} cannot be read as an array of numbers.")
    if arr.dtype == object or arr.dtype == bool or not np.issubdtype(arr.dtype, np.number):
        return invalid(f"{name} should hold numbers, but its elements are of type {arr.dtype}.")
    if arr.shape != (lp.n,):
        return invalid(f"{name} has shape {arr.shape}, but one number per channel, shape ({lp.n},), is expected.")
    arr = arr.astype(float)
    if not np.isfinite(arr).all():
        return invalid(
            f"{name} holds NaN or infinite values: did the solver fail? Check the result's `status` before "
            "using its `x`."
        )
    return arr


def check_feasible(x, lp: LinearProgram, *, name: str = "Your plan") -> CheckResult:
    """Check that a plan satisfies every constraint; name each one it breaks and by how much.

    Parameters
    ----------
    x : array_like or pandas.Series
        The plan (see :func:`as_plan_vector`).
    lp : LinearProgram
        The model.
    name : str
        How to call the plan in a message.

    Returns
    -------
    CheckResult
        ``incorrect`` lists the violated constraints with amounts; for an integer model, fractional values
        are named first.
    """
    vector = as_plan_vector(x, lp, name=name)
    if isinstance(vector, CheckResult):
        return vector
    if lp.integer:
        fractional = np.flatnonzero(np.abs(vector - np.round(vector)) > 1e-6)
        if len(fractional):
            shown = [f"{lp.variable_names[j]!r}: {vector[j]:g}" for j in fractional[:3]]
            return incorrect(
                f"{name} is not in whole {lp.variable_unit}: {_count(len(fractional), 'value')} "
                f"{'has' if len(fractional) == 1 else 'have'} a fractional part.",
                shown,
            )
    broken = violations(lp, vector)
    if broken:
        # The message names the first broken constraint; the details list the others.
        others = len(broken) - 1
        return incorrect(
            f"{name} is infeasible: {broken[0].text}"
            + (f", and {_count(others, 'other constraint')} broken:" if others else "."),
            [v.sentence for v in broken[1:4]],
        )
    return passed()


def check_optimal(x, lp: LinearProgram, *, name: str = "Your plan", reference: Solution | None = None) -> CheckResult:
    """Check that a plan is feasible and optimal (any optimal plan passes: ties are accepted).

    Optimality is judged on the objective value: the plan's ``c @ x`` must equal the optimal value, found by
    solving `lp` with HiGHS, within a relative :data:`OPTIMALITY_RTOL`.

    Parameters
    ----------
    x : array_like or pandas.Series
        The plan.
    lp : LinearProgram
        The model (minimized).
    name : str
        How to call the plan in a message.
    reference : Solution, optional
        The model's solution if already computed.

    Returns
    -------
    CheckResult
        ``incorrect`` for an infeasible plan (which constraints, by how much) or a feasible plan that is not
        optimal (how far above the optimum, in the objective's unit and in percent; a plan that reaches the
        *maximum* gets a message about the direction of optimization).

    Examples
    --------
    >>> lp = LinearProgram(c=[2000, 1500], A_ub=[[-0.8, -0.6]], b_ub=[-12], lower=0, upper=np.inf,
    ...                    row_names=["the hiring target"], row_units=["expected hires"], row_flip=[-1],
    ...                    variable_names=["school", "forums"])
    >>> check_optimal([15, 0], lp).passed, check_optimal([0, 20], lp).passed  # a tie: both cost 30,000 USD
    (True, True)
    >>> print(check_optimal([20, 0], lp).message)
    Your plan is feasible but costs 10,000 USD (33.3%) more than the optimum.
    """
    feasible = check_feasible(x, lp, name=name)
    if not feasible.passed:
        return feasible
    vector = as_plan_vector(x, lp, name=name)
    best = solve(lp) if reference is None else reference
    if not best.optimal:
        return invalid(f"The model itself has no optimal plan ({STATUS_WORDS.get(best.status, 'solver failed')}).")
    value = lp.objective(vector)
    gap = value - best.fun
    scale = max(1.0, abs(best.fun))
    if gap <= OPTIMALITY_RTOL * scale:
        return passed()
    worst = solve(lp, maximize=True)
    if worst.optimal and abs(value - worst.fun) <= OPTIMALITY_RTOL * max(1.0, abs(worst.fun)) and gap > 0:
        return incorrect(
            f"{name} is feasible but it is the *most* expensive plan, not the cheapest: it looks maximized. "
            "`linprog` always minimizes `c @ x`; pass the costs themselves, not their negatives."
        )
    percent = f" ({100 * gap / abs(best.fun):.1f}%)" if best.fun else ""
    return incorrect(
        f"{name} is feasible but costs {format_amount(gap, lp.objective_unit)}{percent} more than the optimum."
    )


# --- models ------------------------------------------------------------------------------------------------------


def objective_direction(c, reference_c) -> str:
    """Compare a learner's objective with the reference: the same direction, the opposite, or another.

    Parameters
    ----------
    c, reference_c : array_like, shape (n,)
        Objective coefficients.

    Returns
    -------
    {"same", "opposite", "other"}
        ``"same"`` if ``c`` is a positive multiple of `reference_c` (costs in thousands of USD are fine),
        ``"opposite"`` if a negative multiple (maximizes what should be minimized), ``"other"`` otherwise.

    Examples
    --------
    >>> objective_direction([2, 1], [2000, 1000]), objective_direction([-2000, -1000], [2000, 1000])
    ('same', 'opposite')
    >>> objective_direction([0.8, 0.5], [2000, 1000])
    'other'
    """
    c = np.asarray(c, dtype=float)
    ref = np.asarray(reference_c, dtype=float)
    norm_c, norm_ref = np.linalg.norm(c), np.linalg.norm(ref)
    if norm_c == 0 or norm_ref == 0 or c.shape != ref.shape:
        return "other"
    cosine = float(c @ ref) / (norm_c * norm_ref)
    if cosine > 1 - 1e-9:
        return "same"
    if cosine < -1 + 1e-9:
        return "opposite"
    return "other"


def parse_linprog_model(model: Any, n: int, *, name: str = "Your model") -> tuple | CheckResult:
    """Read a learner's ``(c, A_ub, b_ub, bounds)`` as arrays, or say why it cannot be read.

    Parameters
    ----------
    model : object
        A tuple ``(c, A_ub, b_ub, bounds)`` in :func:`scipy.optimize.linprog`'s convention; `bounds` is one
        ``(low, high)`` pair for all variables or one pair per variable, ``None`` meaning no bound.
    n : int
        Number of variables expected.
    name : str
        How to call the model in a message.

    Returns
    -------
    tuple of (numpy.ndarray, numpy.ndarray, numpy.ndarray, numpy.ndarray, numpy.ndarray) or CheckResult
        ``(c, A_ub, b_ub, lower, upper)``, or an ``invalid`` result.

    Examples
    --------
    >>> c, A, b, lo, hi = parse_linprog_model(([1, 2], [[-1, -1]], [-3], [(0, None), (0, 5)]), 2)
    >>> A.shape, lo.tolist(), hi.tolist()
    ((1, 2), [0.0, 0.0], [inf, 5.0])
    """
    if not isinstance(model, (tuple, list)) or len(model) != 4:
        return invalid(
            f"{name} should be a tuple of four items `(c, A_ub, b_ub, bounds)`, but it is {describe_type(model)}."
        )
    c, A_ub, b_ub, bounds = model
    try:
        c = np.asarray(c, dtype=float)
        A_ub = np.asarray(A_ub, dtype=float)
        b_ub = np.asarray(b_ub, dtype=float)
    except (TypeError, ValueError):
        return invalid(f"{name}: `c`, `A_ub` and `b_ub` should be arrays of numbers.")
    if c.shape != (n,):
        return invalid(f"{name}: `c` has shape {c.shape}, but one coefficient per channel, shape ({n},), is expected.")
    if A_ub.ndim == 1 and A_ub.size == n:
        A_ub = A_ub.reshape(1, n)
    if A_ub.ndim != 2 or A_ub.shape[1] != n:
        return invalid(f"{name}: `A_ub` has shape {A_ub.shape}; it needs one row per constraint and {n} columns.")
    b_ub = b_ub.reshape(-1)
    if b_ub.shape != (A_ub.shape[0],):
        return invalid(
            f"{name}: `A_ub` has {_count(A_ub.shape[0], 'row')} but `b_ub` has {_count(b_ub.size, 'value')}: one "
            "limit per row."
        )
    if not (np.isfinite(c).all() and np.isfinite(A_ub).all() and not np.isnan(b_ub).any()):
        return invalid(f"{name}: `c`, `A_ub` and `b_ub` must hold finite numbers.")
    pairs = _bounds_pairs(bounds, n)
    if pairs is None:
        return invalid(
            f"{name}: `bounds` should be one `(low, high)` pair, or a list of {n} pairs (one per channel); "
            f"use None or np.inf for no upper bound. It is {describe_type(bounds)}."
        )
    lower, upper = pairs
    return c, A_ub, b_ub, lower, upper


def _bounds_pairs(bounds: Any, n: int) -> tuple[np.ndarray, np.ndarray] | None:
    def number(v, default):
        if v is None:
            return default
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
            raise TypeError
        return float(v)

    try:
        if bounds is None:
            return np.zeros(n), np.full(n, np.inf)
        seq = list(bounds.tolist() if isinstance(bounds, np.ndarray) else bounds)
        if len(seq) == 2 and not isinstance(seq[0], (list, tuple)):
            seq = [tuple(seq)] * n
        if len(seq) != n or any(len(pair) != 2 for pair in seq):
            return None
        lower = np.array([number(lo, -np.inf) for lo, _ in seq])
        upper = np.array([number(hi, np.inf) for _, hi in seq])
    except (TypeError, ValueError):
        return None
    return lower, upper


def check_model(model: Any, reference: LinearProgram, *, name: str = "Your model") -> CheckResult:
    """Check a learner's linprog model against the reference by solving both with HiGHS.

    The learner's model passes when it has the same status as the reference (optimal, or infeasible) and its
    optimal plan is feasible and optimal in the reference model: any equivalent formulation passes. Its
    optimal plan is never compared with a stored plan.

    Parameters
    ----------
    model : tuple
        ``(c, A_ub, b_ub, bounds)`` (see :func:`parse_linprog_model`).
    reference : LinearProgram
        The correct model on the same inputs.
    name : str
        How to call the model in a message.

    Returns
    -------
    CheckResult
        Specific messages for an objective that maximizes, a ``>=`` row written as ``<=``, a model that is
        unbounded or infeasible when it should not be, and an optimal plan that breaks a constraint (which,
        by how much) or costs more than the optimum.

    Examples
    --------
    >>> ref = LinearProgram(c=[2000, 1000], A_ub=[[-0.8, -0.5]], b_ub=[-10], lower=0, upper=[np.inf, 10],
    ...                     row_names=["the hiring target"], row_units=["expected hires"], row_flip=[-1],
    ...                     variable_names=["school", "social media"])
    >>> check_model(([2, 1], [[-8, -5]], [-100], [(0, None), (0, 10)]), ref).passed  # scaled: equivalent
    True
    >>> print(check_model(([2000, 1000], [[0.8, 0.5]], [10], [(0, None), (0, 10)]), ref).message)
    ... # doctest: +ELLIPSIS
    Your model writes the hiring target (at least 10 expected hires) as "at most": ...
    """
    parsed = parse_linprog_model(model, reference.n, name=name)
    if isinstance(parsed, CheckResult):
        return parsed
    c, A_ub, b_ub, lower, upper = parsed
    learner = LinearProgram(
        c,
        A_ub,
        b_ub,
        lower,
        upper,
        [f"row {i}" for i in range(len(b_ub))],
        [""] * len(b_ub),
        [1] * len(b_ub),
        reference.variable_names,
        reference.variable_unit,
        reference.objective_unit,
        reference.integer,
    )
    mine, best = solve(learner), solve(reference)
    # Judge the plan the model gives first: an equivalent model (a target written as an equality, a scaled or
    # redundant row) passes whatever its shape. The shape is read only to name the mistake of a wrong model.
    if best.optimal and mine.optimal:
        result = check_optimal(mine.x, reference, name=f"The optimal plan of {name.lower()}", reference=best)
        if result.passed:
            return passed()
    elif not best.optimal and not mine.optimal:
        return passed()
    direction = objective_direction(c, reference.c)
    if direction == "opposite":
        return incorrect(
            f"{name} maximizes the total cost instead of minimizing it: `linprog` always minimizes `c @ x`, so "
            "`c` should hold the costs themselves (negate an objective only when you want to maximize it)."
        )
    flipped = _flipped_rows(A_ub, b_ub, reference)
    if flipped:
        i = flipped[0]
        limit = format_amount(reference.limits()[i], reference.row_units[i])
        return incorrect(
            f'{name} writes {reference.row_names[i]} (at least {limit}) as "at most": `linprog` reads every row '
            "of `A_ub @ x <= b_ub` as at most, so multiply both sides of an at-least row by -1."
        )
    if not best.optimal:
        broken = violations(reference, mine.x)
        return incorrect(
            f"{name} finds a plan, but no plan can satisfy every constraint of this problem: a constraint is "
            "missing or too loose.",
            [v.sentence for v in broken[:3]],
        )
    if mine.status == 3:
        return incorrect(
            f"{name} is unbounded (the solver can lower `c @ x` without limit): an objective or a constraint "
            "has the wrong sign, or a constraint is missing."
        )
    if mine.status == 2:
        return incorrect(
            f"{name} is infeasible (no plan satisfies all its constraints), yet plans that meet every "
            "requirement exist: a constraint is too tight or the wrong way round."
        )
    if not mine.optimal:
        return incorrect(
            f"The solver could not solve {name.lower() if name.startswith('Your') else name} (status {mine.status})."
        )
    if direction == "other" and "*most*" not in result.message:
        return incorrect(
            f"{result.message} Is `c` the cost of one candidate in each channel, in channel order?", result.details
        )
    return result


def _flipped_rows(A_ub: np.ndarray, b_ub: np.ndarray, reference: LinearProgram) -> list[int]:
    """Find the reference ``>=`` rows that the learner wrote as ``<=`` (same row and limit, not negated)."""
    found = []
    for i in np.flatnonzero(reference.row_flip < 0):
        target_row = -reference.A_ub[i]
        target_b = -reference.b_ub[i]
        for row, b in zip(A_ub, b_ub, strict=True):
            k = _positive_ratio(row, target_row)
            if k is not None and math.isclose(b, k * target_b, rel_tol=1e-9, abs_tol=1e-9) and target_b != 0:
                found.append(int(i))
                break
    return found


def _positive_ratio(row: np.ndarray, target: np.ndarray) -> float | None:
    norm = float(target @ target)
    if norm == 0:
        return None
    k = float(row @ target) / norm
    if k <= 0 or not np.allclose(row, k * target, rtol=1e-9, atol=1e-12):
        return None
    return k


# --- shadow prices -----------------------------------------------------------------------------------------------


def shadow_price_interval(lp: LinearProgram, row: int, *, step: float | None = None) -> tuple[float, float]:
    """Find the left and right slopes of the optimal value as a function of one row's planner limit.

    The optimal value of a minimization is convex and piecewise linear in a limit, so every valid shadow
    price (every optimal dual value) lies between its left and right slopes; the two coincide except at a
    breakpoint (a degenerate optimum). They are found by re-solving with the limit moved by ``step`` either
    way: exact whenever no other breakpoint lies within ``step``.

    Parameters
    ----------
    lp : LinearProgram
        The model, with an optimal plan.
    row : int
        The row whose limit moves.
    step : float, optional
        Default ``1e-4 * max(1, |limit|)``.

    Returns
    -------
    tuple of float
        ``(left, right)``: change of the optimal objective per unit increase of the planner's limit, just
        below and just above the current limit (``inf`` where moving the limit makes the model infeasible).

    Examples
    --------
    >>> lp = LinearProgram(c=[2000, 1000], A_ub=[[-0.8, -0.5]], b_ub=[-10], lower=0, upper=[np.inf, 10],
    ...                    row_names=["the hiring target"], row_units=["expected hires"], row_flip=[-1],
    ...                    variable_names=["school", "social media"])
    >>> [round(s, 6) for s in shadow_price_interval(lp, 0)]
    [2500.0, 2500.0]
    """
    limit = float(lp.limits()[row])
    h = 1e-4 * max(1.0, abs(limit)) if step is None else float(step)
    base = solve(lp)
    if not base.optimal:
        raise ValueError("the model has no optimal plan, so it has no shadow prices")

    def value(new_limit: float) -> float:
        moved = solve(lp.with_limit(row, new_limit))
        return moved.fun if moved.optimal else math.inf

    up = value(limit + h)
    right = (up - base.fun) / h if math.isfinite(up) else math.inf
    if lp.row_flip[row] < 0 and limit - h < 0:
        left = right  # a target cannot go below 0: only the right slope exists
    else:
        down = value(limit - h)
        left = (base.fun - down) / h if math.isfinite(down) else -math.inf
    return (min(left, right), max(left, right))


def check_shadow_price(
    value: Any,
    lp: LinearProgram,
    row: int,
    *,
    unit: str,
    name: str = "Your shadow price",
    advice: str = "",
) -> CheckResult:
    """Check a shadow price in planner terms: the change of the optimal objective per unit more of a limit.

    Parameters
    ----------
    value : object
        The learner's number.
    lp : LinearProgram
        The model.
    row : int
        The row (constraint) the shadow price belongs to.
    unit : str
        Its unit, such as ``"USD per extra expected hire"``.
    name : str
        How to call the answer in a message.
    advice : str
        What the shadow price means in the planner's words, added to a "too high" or "too low" message.

    Returns
    -------
    CheckResult
        ``passed`` for any value between the left and right slopes (see :func:`shadow_price_interval`);
        a value of the right size with the wrong sign gets a message about SciPy's sign convention.

    Examples
    --------
    >>> lp = LinearProgram(c=[2000, 1000], A_ub=[[-0.8, -0.5]], b_ub=[-10], lower=0, upper=[np.inf, 10],
    ...                    row_names=["the hiring target"], row_units=["expected hires"], row_flip=[-1],
    ...                    variable_names=["school", "social media"])
    >>> check_shadow_price(2500.0, lp, 0, unit="USD per extra expected hire").passed
    True
    >>> "sign" in check_shadow_price(-2500.0, lp, 0, unit="USD per extra expected hire").message
    True
    """
    from lepton_training.checks import _is_real_number

    if not _is_real_number(value):
        return invalid(f"{name} should be a number ({unit}), but it is {describe_type(value)}.")
    value = float(value)
    if not math.isfinite(value):
        return invalid(f"{name} is {format_number(value)}: a shadow price of an optimal plan is a finite number.")
    low, high = shadow_price_interval(lp, row)
    scale = max(1.0, abs(low), abs(high))
    tol = 1e-4 * scale

    def inside(v: float) -> bool:
        return low - tol <= v <= high + tol

    if inside(value):
        return passed()
    if value != 0 and inside(-value):
        return incorrect(
            f"{name} has the wrong sign. HiGHS's marginal is the change of `res.fun` per unit increase of "
            "`b_ub` for the row *as stored*; an at-least row is stored negated, so one more unit of the "
            f"planner's limit moves `b_ub` down by one. Express it in {unit}."
        )
    direction = "too high" if value > high else "too low"
    return incorrect(_with_advice(f"{name} ({unit}) is {direction}.", advice))
