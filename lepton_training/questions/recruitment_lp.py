"""Graded questions of module 05, recruitment planning as a linear program.

Every question works on a *channel table*: a DataFrame with one row per recruiting channel and the columns
``channel`` (name), ``cost`` (USD per candidate pursued), ``yield`` (expected hires per candidate pursued) and
``capacity`` (most candidates the channel can supply, ``np.inf`` for no limit). The decision variable is
``x[i]``, the number of candidates pursued through channel ``i``.

* ``q1`` ``cost_per_expected_hire(channels)``: the number that refutes the source document's claim that school
  recruiting is cheapest (a Series; the inverse ratio, the cost per candidate and a product get messages);
* ``q2`` ``formulate(channels, target)``: the minimum-cost model in ``linprog``'s form, checked by solving it
  (equivalent formulations pass; maximizing and a ``>=`` written as ``<=`` get their own message);
* ``q3`` ``cheapest_plan(channels, target)``: *any* optimal plan passes (tied channels); an infeasible plan is
  told which constraint it breaks and by how much, a suboptimal one how far above the optimum it is;
* ``q4`` ``target_shadow_price(channels, target)``: USD per extra expected hire, checked against the slopes of
  the optimal cost found by re-solving (a flipped sign gets a message on SciPy's sign convention);
* ``q5`` ``solve_seed_model(cost, yields, target, budget)``: the source document's code repaired, returning
  HiGHS's result (a deprecated solver, the seed's equality rows, an ignored budget and a missed infeasibility
  are named);
* ``q6`` ``whole_candidate_plan(channels, target)``: the integer plan from ``milp`` (fractional plans, and
  rounding the LP plan up or down, get their own message).

Nothing expected is stored here: every test recomputes the optimum by solving the inputs it gives the
learner's function with HiGHS, and hidden tests use channel tables drawn from the instructor's seed.
"""

from __future__ import annotations

import math
from typing import Any

from lepton_training.checks import CheckResult, check_array, describe_type, incorrect, invalid, passed
from lepton_training.exercises import ExerciseSet, FunctionQuestion, Test

MODULE = "05-recruitment-lp"

__all__ = ["q1", "q2", "q3", "q4", "q5", "q6", "exercises", "progress", "reference_lp", "random_channels"]

TARGET_UNIT = "USD per extra expected hire"

_CHANNEL_NAMES = (
    "school",
    "social media",
    "technical forums",
    "referrals",
    "agency",
    "job boards",
    "meetups",
    "open source",
)


# --- shared: the reference model and the inputs of the tests ----------------------------------------------------


def reference_lp(channels: Any, target: float, *, budget: float | None = None, integer: bool = False):
    """Build the minimum-cost model of a channel table, as the checks see it.

    minimize ``cost @ x`` subject to ``yield @ x >= target``, optionally ``cost @ x <= budget``, and
    ``0 <= x <= capacity``.

    Parameters
    ----------
    channels : pandas.DataFrame
        Columns ``channel``, ``cost``, ``yield`` and optionally ``capacity``.
    target : float
        Expected hires required.
    budget : float, optional
        Spending cap in USD.
    integer : bool, default False
        Whole candidates only.

    Returns
    -------
    lepton_training.checks_lp.LinearProgram
    """
    import numpy as np

    from lepton_training.checks_lp import LinearProgram

    cost = channels["cost"].to_numpy(dtype=float)
    yields = channels["yield"].to_numpy(dtype=float)
    capacity = channels["capacity"].to_numpy(dtype=float) if "capacity" in channels else np.full(len(cost), np.inf)
    rows, limits, names, units, flips = [-yields], [-float(target)], ["the hiring target"], ["expected hires"], [-1]
    if budget is not None:
        rows.append(cost)
        limits.append(float(budget))
        names.append("the budget")
        units.append("USD")
        flips.append(1)
    return LinearProgram(
        c=cost,
        A_ub=np.vstack(rows),
        b_ub=limits,
        lower=np.zeros(len(cost)),
        upper=capacity,
        row_names=names,
        row_units=units,
        row_flip=flips,
        variable_names=[str(name) for name in channels["channel"]],
        integer=integer,
    )


def seed_channels(capacity: Any = None):
    """Return the source document's three channels, with a ``capacity`` column (``np.inf`` by default).

    Parameters
    ----------
    capacity : sequence of float, optional
        Candidates each channel can supply.

    Returns
    -------
    pandas.DataFrame
    """
    import numpy as np
    import pandas as pd

    return pd.DataFrame(
        {
            "channel": ["school", "social media", "technical forums"],
            "cost": [2000.0, 1000.0, 1500.0],
            "yield": [0.8, 0.5, 0.6],
            "capacity": np.full(3, np.inf) if capacity is None else np.asarray(capacity, dtype=float),
        }
    )


#: The module's worked case with capacities: school and forums tie at 2,500 USD per expected hire once
#: social media is full, so the cheapest plan for 50 expected hires is not unique.
SEED_CAPACITY = (60.0, 40.0, 60.0)


def random_channels(rng: Any, *, n: int | None = None, finite: bool = False, tie: bool = False):
    """Draw a channel table for hidden tests.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    n : int, optional
        Number of channels; 3 to 6 by default.
    finite : bool, default False
        Give every channel a finite capacity (otherwise one or two channels have none).
    tie : bool, default False
        Make the two cheapest channels (per expected hire) tie exactly, as school and forums do in the seed.

    Returns
    -------
    pandas.DataFrame
        Columns ``channel``, ``cost``, ``yield``, ``capacity``.
    """
    import numpy as np
    import pandas as pd

    n = int(rng.integers(3, 7)) if n is None else n
    names = list(rng.choice(_CHANNEL_NAMES, size=n, replace=False))
    yields = rng.integers(4, 19, size=n) * 0.05  # 0.20 to 0.90 expected hires per candidate
    cost = rng.integers(8, 61, size=n) * 50.0  # 400 to 3,000 USD per candidate
    capacity = rng.integers(10, 80, size=n).astype(float)
    if not finite:
        capacity[rng.choice(n, size=int(rng.integers(1, 3)), replace=False)] = np.inf
    if tie:
        order = np.argsort(cost / yields, kind="stable")
        first, second = order[0], order[1]
        cost[second] = round(cost[first] / yields[first] * yields[second], 2)
    return pd.DataFrame({"channel": names, "cost": cost, "yield": yields.round(2), "capacity": capacity})


def reachable_hires(channels: Any) -> float:
    """Most expected hires the capacities allow (``inf`` when a channel has no capacity)."""
    return float((channels["capacity"] * channels["yield"]).sum())


def random_target(rng: Any, channels: Any, *, share: tuple[float, float] = (0.3, 0.85)) -> float:
    """Draw a reachable hiring target, in expected hires (one decimal)."""
    reach = reachable_hires(channels)
    if math.isinf(reach):
        return round(float(rng.uniform(15, 120)), 1)
    return round(float(rng.uniform(*share) * reach), 1)


def _describe(channels: Any, target: float) -> str:
    caps = "all capacities finite" if reachable_hires(channels) < math.inf else "some channels without capacity"
    return f"{len(channels)} channels, {caps}, target {target:g} expected hires"


# --- q1: cost per expected hire ----------------------------------------------------------------------------------


class CostPerExpectedHire(FunctionQuestion):
    """``cost_per_expected_hire(channels)``: USD per expected hire of each channel, as a Series by channel."""

    def _case(self, fn: Any, channels: Any) -> CheckResult:
        import numpy as np
        import pandas as pd

        given = channels.copy()
        value = fn(given)
        if not given.equals(channels):
            return incorrect("your function changed the table it was given; compute a new Series instead.")
        names = [str(c) for c in channels["channel"]]
        cost, yields = channels["cost"].to_numpy(float), channels["yield"].to_numpy(float)
        if isinstance(value, pd.DataFrame):
            return invalid(
                "The result is a DataFrame; return a Series (one number per channel), e.g. by dividing one "
                "column by another after `set_index('channel')`."
            )
        if isinstance(value, pd.Series):
            labels = [str(label) for label in value.index]
            if sorted(labels) != sorted(names):
                return invalid(
                    f"The result's index should be the channel names; it is {labels[:6]}. "
                    "Use `channels.set_index('channel')` before dividing."
                )
            value = value.set_axis(labels).reindex(names).to_numpy()
        elif not isinstance(value, (np.ndarray, list, tuple)):
            return invalid(
                f"The result should be a pandas Series indexed by channel, but it is {describe_type(value)}."
            )
        result = check_array(value, cost / yields, rtol=1e-9, name="The result")
        if result.status != "incorrect":
            return result
        for wrong, why in (
            (yields / cost, "this is expected hires per USD (yield / cost), the inverse of what is asked."),
            (cost, "this is the cost per *candidate*; a candidate is only a fraction of a hire."),
            (cost * yields, "cost times yield is not a cost per hire: how many candidates make one expected hire?"),
        ):
            if check_array(value, wrong, rtol=1e-9).passed:
                return incorrect(why)
        return result

    def public_tests(self, answer: Any) -> list[Test]:
        return [Test("On the source document's three channels", lambda: self._case(answer, seed_channels()))]

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        tables = [random_channels(rng, n=n) for n in (4, 6)]
        return [Test(f"On another table of {len(t)} channels", lambda t=t: self._case(answer, t)) for t in tables] + [
            Test("On a single channel", lambda t=tables[0].iloc[[1]]: self._case(answer, t))
        ]


q1 = CostPerExpectedHire(
    id="q1",
    module=MODULE,
    title="Cost per expected hire",
    points=1,
    answer_name="cost_per_expected_hire",
    parameters=("channels",),
    hints=(
        "One candidate yields `yield` expected hires, so one expected hire needs `1 / yield` candidates.",
        "Cost per expected hire = cost per candidate x candidates per expected hire = `cost / yield`.",
        "`table = channels.set_index('channel')` then `table['cost'] / table['yield']` is a Series by channel.",
    ),
)


# --- q2: formulate -----------------------------------------------------------------------------------------------


class Formulate(FunctionQuestion):
    """``formulate(channels, target)``: ``(c, A_ub, b_ub, bounds)`` of the minimum-cost plan for linprog."""

    def _case(self, fn: Any, channels: Any, target: float) -> CheckResult:
        from lepton_training.checks_lp import check_model

        model = fn(channels.copy(), target)
        return check_model(model, reference_lp(channels, target), name="Your model")

    def public_tests(self, answer: Any) -> list[Test]:
        return [
            Test(
                "On the source document's channels without capacities, target 50 expected hires",
                lambda: self._case(answer, seed_channels(), 50.0),
            ),
            Test(
                "On the same channels with capacities 60, 40 and 60 candidates, target 50",
                lambda: self._case(answer, seed_channels(SEED_CAPACITY), 50.0),
            ),
        ]

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        tests = []
        for finite in (False, True):
            table = random_channels(rng, finite=finite)
            target = random_target(rng, table)
            tests.append(
                Test(
                    f"On another table ({_describe(table, target)})", lambda t=table, g=target: self._case(answer, t, g)
                )
            )
        table = random_channels(rng, finite=True)
        too_many = round(reachable_hires(table) * 1.2, 1)
        tests.append(
            Test(
                f"On a target the capacities cannot reach ({len(table)} channels, target {too_many:g})",
                lambda: self._case(answer, table, too_many),
            )
        )
        return tests


q2 = Formulate(
    id="q2",
    module=MODULE,
    title="Formulate the plan",
    points=2,
    answer_name="formulate",
    parameters=("channels", "target"),
    hints=(
        "`linprog` minimizes `c @ x` subject to `A_ub @ x <= b_ub` and bounds on each `x[i]`. What is `x[i]` "
        "here, what does one unit of it cost, and which requirement is an at-least?",
        "The target says `yield @ x >= target`. `linprog` only takes at-most rows: multiply both sides by -1.",
        "`c = cost`, `A_ub = [-yield]` (one row), `b_ub = [-target]`, "
        "`bounds = [(0, cap) for cap in channels['capacity']]` (np.inf means no upper bound).",
    ),
)


# --- q3: the cheapest plan ---------------------------------------------------------------------------------------


class CheapestPlan(FunctionQuestion):
    """``cheapest_plan(channels, target)``: candidates per channel of a cheapest plan; any optimal plan passes."""

    def _case(self, fn: Any, channels: Any, target: float) -> CheckResult:
        from lepton_training.checks_lp import check_optimal

        plan = fn(channels.copy(), target)
        return check_optimal(plan, reference_lp(channels, target), name="Your plan")

    def public_tests(self, answer: Any) -> list[Test]:
        return [
            Test(
                "On the source document's channels with capacities 60, 40 and 60, target 50 (several plans tie)",
                lambda: self._case(answer, seed_channels(SEED_CAPACITY), 50.0),
            )
        ]

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        tests = [Test("Without capacities, target 50", lambda: self._case(answer, seed_channels(), 50.0))]
        for finite, tie in ((False, False), (True, True), (True, False)):
            table = random_channels(rng, finite=finite, tie=tie)
            target = random_target(rng, table)
            label = "two channels tie" if tie else _describe(table, target)
            tests.append(Test(f"On another table ({label})", lambda t=table, g=target: self._case(answer, t, g)))
        return tests


q3 = CheapestPlan(
    id="q3",
    module=MODULE,
    title="The cheapest plan",
    points=2,
    answer_name="cheapest_plan",
    parameters=("channels", "target"),
    hints=(
        "Solve your model from exercise 2 with `linprog(..., method='highs')` and check `res.status` first.",
        "`res = linprog(c, A_ub=A_ub, b_ub=b_ub, bounds=bounds, method='highs')`, then return `res.x`.",
    ),
)


# --- q4: the shadow price of the target --------------------------------------------------------------------------


class TargetShadowPrice(FunctionQuestion):
    """``target_shadow_price(channels, target)``: marginal cost of one more expected hire, USD, from HiGHS."""

    def _case(self, fn: Any, channels: Any, target: float) -> CheckResult:
        from lepton_training.checks_lp import check_shadow_price, shadow_price_interval

        lp = reference_lp(channels, target)
        value = fn(channels.copy(), target)
        result = check_shadow_price(value, lp, 0, unit=TARGET_UNIT, name="Your shadow price")
        if result.status == "incorrect" and "sign" not in result.message:
            cheapest = float((channels["cost"] / channels["yield"]).min())
            low, high = shadow_price_interval(lp, 0)
            if math.isclose(float(value), cheapest, rel_tol=1e-6) and not low - 1e-6 <= cheapest <= high + 1e-6:
                return incorrect(
                    "that is the cheapest channel's cost per expected hire. When that channel is at its "
                    "capacity, the next hire comes from another channel: read the marginal from the solver."
                )
        return result

    def public_tests(self, answer: Any) -> list[Test]:
        return [
            Test(
                "On the source document's channels without capacities, target 50",
                lambda: self._case(answer, seed_channels(), 50.0),
            ),
            Test(
                "With capacities 60, 40 and 60, target 50",
                lambda: self._case(answer, seed_channels(SEED_CAPACITY), 50.0),
            ),
        ]

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        tests = []
        for finite in (False, True, True):
            table = random_channels(rng, finite=finite)
            target = random_target(rng, table, share=(0.4, 0.9))
            tests.append(
                Test(
                    f"On another table ({_describe(table, target)})", lambda t=table, g=target: self._case(answer, t, g)
                )
            )
        return tests


q4 = TargetShadowPrice(
    id="q4",
    module=MODULE,
    title="Shadow price of the target",
    points=2,
    answer_name="target_shadow_price",
    parameters=("channels", "target"),
    hints=(
        "HiGHS reports one marginal per row of `A_ub` in `res.ineqlin.marginals`: the change of `res.fun` per "
        "unit increase of that row's `b_ub`.",
        "Your target row is stored as `-yield @ x <= -target`: one more expected hire *lowers* its `b_ub` by 1.",
        "Return `-res.ineqlin.marginals[0]` (if the target is your first row), as a float.",
    ),
)


# --- q5: the source document's code, repaired --------------------------------------------------------------------


class SeedModel(FunctionQuestion):
    """``solve_seed_model(cost, yields, target, budget)``: the seed's linprog call, repaired; returns the result."""

    def _case(self, fn: Any, cost: Any, yields: Any, target: float, budget: float) -> CheckResult:
        import numpy as np
        import pandas as pd

        from lepton_training.checks_lp import STATUS_WORDS, check_optimal, solve

        table = pd.DataFrame({"channel": [f"channel {i + 1}" for i in range(len(cost))], "cost": cost, "yield": yields})
        lp = reference_lp(table, target, budget=budget)
        res = fn(np.array(cost, dtype=float), np.array(yields, dtype=float), target, budget)
        if not all(hasattr(res, attr) for attr in ("status", "x", "fun")):
            return invalid(
                f"The result should be what `linprog` returns (with `status`, `x` and `fun`), but it is "
                f"{describe_type(res)}. Return `res` itself."
            )
        if not hasattr(res, "ineqlin"):
            return incorrect(
                "this result did not come from HiGHS (it has no `ineqlin` marginals): `method='simplex'` is "
                "deprecated and newer SciPy versions may remove it. Use `method='highs'`, the default."
            )
        best = solve(lp)
        status = int(res.status)
        if not best.optimal:
            if status == 2:
                return passed()
            return incorrect(
                f"no plan reaches the target within this budget, but your result reports status {status} "
                f"({STATUS_WORDS.get(status, 'other')}): is the budget a constraint of your model?"
            )
        if status != 0:
            return incorrect(
                f"your result reports status {status} ({STATUS_WORDS.get(status, 'other')}), yet plans within "
                "the budget exist. The seed's equality rows, or an at-least row written as at-most, can do that."
            )
        x = np.asarray(res.x, dtype=float)
        if len(x) > 1 and np.allclose(x, x[0]) and x[0] > 0:
            verdict = check_optimal(x, lp, reference=best)
            if not verdict.passed:
                return incorrect(
                    "every channel gets the same number of candidates: that is what the seed's equality rows "
                    "(`A_eq = np.eye(3)` with `b_eq`) force. Does the problem ask for them?"
                )
        verdict = check_optimal(x, lp, name="Your result's plan", reference=best)
        if not verdict.passed:
            return verdict
        if not math.isclose(float(res.fun), lp.objective(x), rel_tol=1e-6, abs_tol=1e-6):
            return incorrect("`res.fun` is not the plan's total cost in USD: is `c` the cost per candidate, unscaled?")
        return passed()

    def public_tests(self, answer: Any) -> list[Test]:
        return [
            Test(
                "On the source document's numbers (target 50, budget 1,000,000 USD)",
                lambda: self._case(answer, [2000, 1000, 1500], [0.8, 0.5, 0.6], 50.0, 1_000_000.0),
            )
        ]

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        table = random_channels(rng, n=4)
        target = round(float(rng.uniform(20, 90)), 1)
        cost, yields = table["cost"].tolist(), table["yield"].tolist()
        floor = target * min(c / y for c, y in zip(cost, yields, strict=True))
        rich, poor = round(floor * 1.5, -2), round(floor * 0.8, -2)
        return [
            Test(f"On four other channels (target {target:g})", lambda: self._case(answer, cost, yields, target, rich)),
            Test(
                "On a budget too small for the target (the result must say infeasible)",
                lambda: self._case(answer, cost, yields, target, poor),
            ),
            Test(
                "On the source's channels with a budget that is just enough (target 50, budget 100,000 USD)",
                lambda: self._case(answer, [2000, 1000, 1500], [0.8, 0.5, 0.6], 50.0, 100_000.0),
            ),
        ]


q5 = SeedModel(
    id="q5",
    module=MODULE,
    title="Repair the source's code",
    points=2,
    answer_name="solve_seed_model",
    parameters=("cost", "yields", "target", "budget"),
    hints=(
        "Go through the seed's call argument by argument: which lines say what the problem asks (at least "
        "`target` expected hires, at most `budget` USD), and which say something else?",
        "Drop `A_eq`/`b_eq` (they fix every channel to the same number), turn the hires row into an at-least "
        "row by negating it, add the budget row `cost @ x <= budget`, and use `method='highs'`.",
        "`linprog(cost, A_ub=np.vstack([-yields, cost]), b_ub=[-target, budget], bounds=(0, None), method='highs')`.",
    ),
)


# --- q6: whole candidates ----------------------------------------------------------------------------------------


class WholeCandidatePlan(FunctionQuestion):
    """``whole_candidate_plan(channels, target)``: the cheapest plan in whole candidates, from milp."""

    def _case(self, fn: Any, channels: Any, target: float) -> CheckResult:
        import numpy as np

        from lepton_training.checks_lp import as_plan_vector, check_optimal, solve

        lp = reference_lp(channels, target, integer=True)
        plan = fn(channels.copy(), target)
        result = check_optimal(plan, lp, name="Your plan")
        if result.passed or result.status == "invalid":
            return result
        x = as_plan_vector(plan, lp)
        relaxed = solve(reference_lp(channels, target))
        if isinstance(x, np.ndarray) and relaxed.optimal and not np.allclose(relaxed.x, np.round(relaxed.x)):
            if np.allclose(x, np.ceil(relaxed.x - 1e-9)):
                return incorrect(
                    "this is the LP plan rounded up: it is feasible, but rounding is not optimizing. Another "
                    "whole-candidate plan is cheaper; let `milp` search for it.",
                    result.details,
                )
            if np.allclose(x, np.floor(relaxed.x + 1e-9)):
                return incorrect("this is the LP plan rounded down, which misses the target.", result.details)
        return result

    def public_tests(self, answer: Any) -> list[Test]:
        return [
            Test(
                "With capacities 60, 40 and 60, target 57.7 expected hires",
                lambda: self._case(answer, seed_channels(SEED_CAPACITY), 57.7),
            )
        ]

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        tests = [
            Test(
                "With capacities 60, 40 and 60, target 50",
                lambda: self._case(answer, seed_channels(SEED_CAPACITY), 50.0),
            )
        ]
        for finite in (True, False):
            table = random_channels(rng, finite=finite)
            target = random_target(rng, table)
            tests.append(
                Test(
                    f"On another table ({_describe(table, target)})", lambda t=table, g=target: self._case(answer, t, g)
                )
            )
        return tests


q6 = WholeCandidatePlan(
    id="q6",
    module=MODULE,
    title="Whole candidates",
    points=2,
    answer_name="whole_candidate_plan",
    parameters=("channels", "target"),
    hints=(
        "`milp` takes the same cost vector, plus `integrality` (1 for a whole-number variable), `bounds` "
        "(a `Bounds` object) and `constraints` (a `LinearConstraint`).",
        "The target is `LinearConstraint(yields, target, np.inf)`: `milp` accepts lower and upper limits, so no "
        "negation is needed.",
        "`milp(cost, integrality=np.ones(n), bounds=Bounds(0, capacity), constraints=LinearConstraint(...))`; "
        "return `np.round(res.x)` after checking `res.status == 0`.",
    ),
)

exercises = ExerciseSet(MODULE, [q1, q2, q3, q4, q5, q6])


def progress():
    """Show which questions of this module pass their public checks, and the points at stake.

    Returns
    -------
    lepton_training.exercises.Progress
    """
    return exercises.progress()
