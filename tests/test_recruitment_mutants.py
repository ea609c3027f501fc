"""Near misses of module 05's answers lose points, each with a message that names the mistake; every correct
answer (another library, another order, a tied optimum, an equivalent model) earns full points."""

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from lepton_training.questions.recruitment_lp import (
    ERROR_CODES,
    SEED_CAPACITY,
    greedy_by_candidate_cost,
    practice_channels,
    q1,
    q2,
    q3,
    q4,
    q5,
    q6,
    seed_channels,
)

HIDDEN = 99


def _learners_copy(function):
    """The same code as a learner would write it in a notebook (check() names answers that call the course's)."""
    import inspect
    import textwrap

    namespace = dict(function.__globals__)
    exec(compile(textwrap.dedent(inspect.getsource(function)), "<learner>", "exec"), namespace)
    return namespace[function.__name__]


greedy_by_candidate_cost = _learners_copy(greedy_by_candidate_cost)


def _explained(score):
    return str(score.explanation())


def full(question, fn):
    score = question.grade(fn, hidden=HIDDEN)
    return score.points == question.points


# --- correct answers, written independently of the notebook ------------------------------------------------------


def model(channels, target):
    c = channels["cost"].to_numpy(dtype=float)
    A_ub = -channels["hire_rate"].to_numpy(dtype=float).reshape(1, -1)
    bounds = [(0, cap) for cap in channels["capacity"]]
    return c, A_ub, np.array([-float(target)]), bounds


def cheapest_plan(channels, target):
    c, A_ub, b_ub, bounds = model(channels, target)
    return linprog(c, A_ub=A_ub, b_ub=b_ub, bounds=bounds, method="highs").x


def greedy_plan(channels, target, *, reverse_ties=False):
    """Fill channels in order of cost per expected hire; ties broken by row order, or reversed."""
    ratio = (channels["cost"] / channels["hire_rate"]).to_numpy()
    index = np.arange(len(ratio))
    order = np.lexsort((-index if reverse_ties else index, ratio))
    x = np.zeros(len(ratio))
    remaining = float(target)
    for i in order:
        if remaining <= 0:
            break
        take = min(channels["capacity"].iloc[i], remaining / channels["hire_rate"].iloc[i])
        x[i] = take
        remaining -= take * channels["hire_rate"].iloc[i]
    return x


def midpoint_plan(channels, target):
    """A tied alternative optimum: halfway between the two greedy tie-breaks, so not a vertex when channels tie."""
    return 0.5 * (greedy_plan(channels, target) + greedy_plan(channels, target, reverse_ties=True))


class Result:
    """A stand-in for linprog's result with another plan; `ineqlin` says it came from HiGHS."""

    def __init__(self, x, cost):
        self.status, self.x, self.fun, self.ineqlin = 0, x, float(cost @ x), object()


def repaired(channels, target, budget):
    cost = channels["cost"].to_numpy(dtype=float)
    rate = channels["hire_rate"].to_numpy(dtype=float)
    bounds = [(0, cap) for cap in channels["capacity"]]
    return linprog(cost, A_ub=np.vstack([-rate, cost]), b_ub=[-target, budget], bounds=bounds, method="highs")


def shadow_prices(channels, target):
    c, A_ub, b_ub, bounds = model(channels, target)
    res = linprog(c, A_ub=A_ub, b_ub=b_ub, bounds=bounds, method="highs")
    return float(-res.ineqlin.marginals[0]), pd.Series(-res.upper.marginals, index=channels["channel"])


def whole_plan(channels, target):
    res = milp(
        channels["cost"].to_numpy(float),
        integrality=np.ones(len(channels)),
        bounds=Bounds(0, channels["capacity"].to_numpy(float)),
        constraints=LinearConstraint(channels["hire_rate"].to_numpy(float), target, np.inf),
    )
    return np.round(res.x)


def simulated_safe_plan(channels, goal, confidence, *, draws=10_000, seed=0, step=1.0):
    rng = np.random.default_rng(seed)
    rate = channels["hire_rate"].to_numpy(float)
    target = goal
    while True:
        plan = whole_plan(channels, target)
        hires = rng.binomial(plan.astype(int), rate, size=(draws, len(rate))).sum(axis=1)
        if (hires >= goal).mean() >= confidence:
            return plan
        target += step


# --- q1 -----------------------------------------------------------------------------------------------------------


def test_q1_correct_variants_and_mutants():
    def as_series(channels):
        t = channels.set_index("channel")
        return t["cost"] / t["hire_rate"]

    def reversed_order(channels):
        return as_series(channels).iloc[::-1]

    def with_apply(channels):
        return channels.set_index("channel").apply(lambda row: row["cost"] / row["hire_rate"], axis=1)

    for fn in (as_series, reversed_order, with_apply):
        assert full(q1, fn), _explained(q1.grade(fn, hidden=HIDDEN))

    def inverse(channels):
        t = channels.set_index("channel")
        return t["hire_rate"] / t["cost"]

    def per_candidate(channels):
        return channels.set_index("channel")["cost"]

    def hard_coded(channels):
        return pd.Series([2000.0, 2500.0, 2800.0, 3000.0], index=["referrals", "job boards", "meetups", "agency"])

    assert "inverse" in q1.check(inverse).message
    assert "per *candidate*" in q1.check(per_candidate).message
    assert not q1.check(hard_coded).passed  # the one-row public table catches it
    for fn in (inverse, per_candidate, hard_coded):
        assert not full(q1, fn)


def test_q1_array_is_invalid_as_the_statement_says_and_a_positional_loop_is_named():
    def as_array(channels):
        return (channels["cost"] / channels["hire_rate"]).to_numpy()

    result = q1.check(as_array)
    assert result.status == "invalid" and "Series indexed by channel name" in result.message

    def positional_loop(channels):
        values = {}
        for i in range(len(channels)):
            values[channels.loc[i, "channel"]] = channels.loc[i, "cost"] / channels.loc[i, "hire_rate"]
        return pd.Series(values)

    result = q1.check(positional_loop)
    assert "labelled 2, not 0, 1, 2" in result.message
    assert not full(q1, positional_loop)


# --- q2 -----------------------------------------------------------------------------------------------------------

TRUE_ERRORS = {"B_EQ_SHAPE", "LEGACY_METHOD", "EQUAL_CHANNELS", "AT_MOST_TARGET", "NO_BUDGET"}


def test_q2_set_equality_with_partial_credit_per_code():
    # Grading: the whole set (weight 1) and one test per code (weight 1 each); check() judges the whole set only.
    assert q2.grade(TRUE_ERRORS, hidden=HIDDEN).points == q2.points
    assert q2.grade([c.lower() for c in TRUE_ERRORS], hidden=HIDDEN).points == q2.points  # a list, any case
    four = TRUE_ERRORS - {"NO_BUDGET"}
    assert q2.grade(four, hidden=HIDDEN).points == pytest.approx(q2.points * 9 / 11, abs=1e-4)
    assert "Code NO_BUDGET: left out" in str(q2.grade(four, hidden=HIDDEN).explanation())
    assert "missing" not in q2.check(four).message and "NO_BUDGET" not in q2.check(four).message
    with_distractor = TRUE_ERRORS | {"UNBOUNDED"}
    assert q2.grade(with_distractor, hidden=HIDDEN).points == pytest.approx(q2.points * 9 / 11, abs=1e-4)
    assert q2.check(with_distractor).message == q2.check(four).message
    assert q2.grade(set(ERROR_CODES), hidden=HIDDEN).points == pytest.approx(q2.points * 5 / 11, abs=1e-4)
    assert q2.grade(set(), hidden=HIDDEN).points == pytest.approx(q2.points * 5 / 11, abs=1e-4)
    assert "every code" in q2.check(set(ERROR_CODES)).message


def test_q2_unknown_codes_and_wrong_types_are_invalid():
    assert q2.check({"B_EQ_SHAPE", "TYPO"}).status == "invalid"
    assert "not a code" in q2.check({"TYPO"}).message
    assert q2.check("B_EQ_SHAPE").status == "invalid"
    assert q2.grade({1, 2}).points == 0


def test_q2_truth_is_not_stored_in_plain_text():
    from lepton_training.questions import recruitment_lp

    for name, value in vars(recruitment_lp).items():
        if isinstance(value, (set, frozenset, list, tuple)):
            assert {str(v) for v in value} != TRUE_ERRORS, f"`{name}` holds the answer of q2"
    # The digests say "error" or "fine" only to whoever hashes both words for each code.
    assert all(len(d) == 64 for d in recruitment_lp._CODE_DIGESTS.values())


# --- q3 -----------------------------------------------------------------------------------------------------------


def test_q3_equivalent_models_and_tied_plans_pass():
    def equality_target(channels, target, budget):
        cost = channels["cost"].to_numpy(dtype=float)
        rate = channels["hire_rate"].to_numpy(dtype=float)
        bounds = [(0, cap) for cap in channels["capacity"]]
        return linprog(cost, A_ub=[cost], b_ub=[budget], A_eq=[rate], b_eq=[target], bounds=bounds)

    def both_rows_for_the_target(channels, target, budget):
        cost = channels["cost"].to_numpy(dtype=float)
        rate = channels["hire_rate"].to_numpy(dtype=float)
        bounds = [(0, cap) for cap in channels["capacity"]]
        A_ub = np.vstack([-rate, rate, cost])  # at least and at most the target: an equality in two rows
        return linprog(cost, A_ub=A_ub, b_ub=[-target, target, budget], bounds=bounds, method="highs")

    def scaled_rows(channels, target, budget):
        cost = channels["cost"].to_numpy(dtype=float)
        rate = channels["hire_rate"].to_numpy(dtype=float)
        bounds = [(0, None if np.isinf(c) else c) for c in channels["capacity"]]
        return linprog(
            cost, A_ub=np.vstack([-10 * rate, cost / 1000]), b_ub=[-10 * target, budget / 1000], bounds=bounds
        )

    def tied_alternative(channels, target, budget):
        res = repaired(channels, target, budget)
        if res.status != 0:
            return res
        res.x = midpoint_plan(channels, target)
        res.fun = float(channels["cost"].to_numpy() @ res.x)
        return res

    for fn in (repaired, equality_target, both_rows_for_the_target, scaled_rows, tied_alternative):
        assert full(q3, fn), _explained(q3.grade(fn, hidden=HIDDEN))
    table = seed_channels(SEED_CAPACITY)
    assert not np.allclose(tied_alternative(table, 50, 1e6).x, repaired(table, 50, 1e6).x)


def test_q3_missing_budget_is_caught_by_the_public_check():
    def no_budget(channels, target, budget):
        c, A_ub, b_ub, bounds = model(channels, target)
        return linprog(c, A_ub=A_ub, b_ub=b_ub, bounds=bounds, method="highs")

    result = q3.check(no_budget)
    assert "is the budget a row of your model?" in result.message
    assert "an OptimizeResult (status 0, optimal)" in result.message
    assert "The budget is exceeded by 6,000 USD." in result.details
    assert not full(q3, no_budget)


def test_q3_source_mistakes_are_named():
    def legacy_simplex(channels, target, budget):
        cost = channels["cost"].to_numpy(dtype=float)
        rate = channels["hire_rate"].to_numpy(dtype=float)
        bounds = [(0, cap) for cap in channels["capacity"]]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return linprog(cost, A_ub=np.vstack([-rate, cost]), b_ub=[-target, budget], bounds=bounds, method="simplex")

    def source_equalities(channels, target, budget):
        cost = channels["cost"].to_numpy(dtype=float)
        rate = channels["hire_rate"].to_numpy(dtype=float)
        n = len(cost)
        return linprog(
            cost, A_ub=np.vstack([-rate, cost]), b_ub=[-target, budget], A_eq=np.eye(n), b_eq=np.full(n, 20.0)
        )

    def at_most_target(channels, target, budget):
        cost = channels["cost"].to_numpy(dtype=float)
        rate = channels["hire_rate"].to_numpy(dtype=float)
        bounds = [(0, cap) for cap in channels["capacity"]]
        return linprog(cost, A_ub=np.vstack([rate, cost]), b_ub=[target, budget], bounds=bounds)

    def costs_in_thousands(channels, target, budget):
        cost = channels["cost"].to_numpy(dtype=float) / 1000
        rate = channels["hire_rate"].to_numpy(dtype=float)
        bounds = [(0, cap) for cap in channels["capacity"]]
        return linprog(cost, A_ub=np.vstack([-rate, cost]), b_ub=[-target, budget / 1000], bounds=bounds)

    def just_the_plan(channels, target, budget):
        return repaired(channels, target, budget).x

    def greedy_by_candidate(channels, target, budget):
        x = greedy_by_candidate_cost(channels, target)
        cost = channels["cost"].to_numpy(dtype=float)
        return Result(x, cost) if cost @ x <= budget else repaired(channels, target, budget)

    assert "did not come from HiGHS" in _explained(q3.grade(legacy_simplex, hidden=HIDDEN))
    assert "equality rows" in q3.check(source_equalities).message
    assert "the hiring target is missed" in str(q3.check(at_most_target)).lower()
    assert "costs in thousands of USD?" in q3.check(costs_in_thousands).message
    assert "return `res` itself, not `res.x`" in q3.check(just_the_plan).message
    assert "cheapest per *candidate*" in q3.check(greedy_by_candidate).message
    for fn in (
        legacy_simplex,
        source_equalities,
        at_most_target,
        costs_in_thousands,
        just_the_plan,
        greedy_by_candidate,
    ):
        assert not full(q3, fn)


def test_q3_result_that_is_not_a_result_is_an_optimize_result_in_words():
    result = q3.check(lambda channels, target, budget: {"plan": 1})
    assert result.status == "invalid" and "an OptimizeResult with `status`" in result.message


# --- q4 -----------------------------------------------------------------------------------------------------------


def test_q4_correct_and_alternative_answers():
    def by_resolving(channels, target):
        def cost_at(table, t):
            return float(table["cost"].to_numpy() @ cheapest_plan(table, t))

        hire_price = cost_at(channels, target + 1e-3) / 1e-3 - cost_at(channels, target) / 1e-3
        values = {}
        for i, name in enumerate(channels["channel"]):
            if np.isinf(channels["capacity"].iloc[i]):
                values[name] = 0.0
                continue
            more = channels.copy()
            more.loc[more.index[i], "capacity"] += 1e-3
            values[name] = (cost_at(channels, target) - cost_at(more, target)) / 1e-3
        return hire_price, pd.Series(values).iloc[::-1]

    for fn in (shadow_prices, by_resolving):
        assert full(q4, fn), _explained(q4.grade(fn, hidden=HIDDEN))


def test_q4_mistakes_are_named():
    def raw_marginals(channels, target):
        price, values = shadow_prices(channels, target)
        return -price, -values

    def average_cost(channels, target):
        x = cheapest_plan(channels, target)
        return float(channels["cost"].to_numpy() @ x) / target, shadow_prices(channels, target)[1]

    def in_thousands(channels, target):
        price, values = shadow_prices(channels, target)
        return price / 1000, values

    def reduced_costs(channels, target):
        price, _ = shadow_prices(channels, target)
        cost, rate = channels["cost"].to_numpy(), channels["hire_rate"].to_numpy()
        return price, pd.Series(price * rate - cost, index=channels["channel"])

    def per_hire(channels, target):
        price, values = shadow_prices(channels, target)
        per = values / channels.set_index("channel")["hire_rate"]
        return price, per

    def as_array(channels, target):
        price, values = shadow_prices(channels, target)
        return price, values.to_numpy()

    assert "wrong sign" in q4.check(raw_marginals).message
    assert "*average* cost per expected hire" in q4.check(average_cost).message
    assert "1,000 times too small" in q4.check(in_thousands).message
    assert "reduced costs of every channel" in _explained(q4.grade(reduced_costs))
    assert "per extra *candidate*" in _explained(q4.grade(per_hire))
    assert q4.check(as_array).status == "invalid"
    for fn in (raw_marginals, average_cost, in_thousands, reduced_costs, per_hire, as_array):
        assert not full(q4, fn)

    def hard_coded(channels, target):
        return 2500.0, pd.Series([300.0, 0.0, 0.0, 0.0], index=["referrals", "job boards", "meetups", "agency"])

    assert not full(q4, hard_coded)


# --- q5 -----------------------------------------------------------------------------------------------------------


def test_q5_alternatives_pass_and_mutants_fail():
    def reversed_order(channels, target):
        return whole_plan(channels.iloc[::-1].reset_index(drop=True), target)[::-1]

    def unrounded(channels, target):
        res = milp(
            channels["cost"].to_numpy(float),
            integrality=np.ones(len(channels)),
            bounds=Bounds(0, channels["capacity"].to_numpy(float)),
            constraints=LinearConstraint(channels["hire_rate"].to_numpy(float), target, np.inf),
        )
        return res.x

    for fn in (whole_plan, reversed_order, unrounded):
        assert full(q5, fn), _explained(q5.grade(fn, hidden=HIDDEN))

    def truncated(channels, target):
        return unrounded(channels, target).astype(int)

    def lp_plan(channels, target):
        return cheapest_plan(channels, target)

    def rounded_up(channels, target):
        return np.ceil(cheapest_plan(channels, target) - 1e-9)

    def rounded_down(channels, target):
        return np.floor(cheapest_plan(channels, target) + 1e-9)

    assert "looks truncated" in q5.check(truncated).message
    assert "not in whole candidates" in q5.check(lp_plan).message
    assert "rounded down" in q5.check(rounded_down).message
    assert "rounded up" in _explained(q5.grade(rounded_up, hidden=HIDDEN))
    for fn in (truncated, lp_plan, rounded_up, rounded_down):
        assert not full(q5, fn)


TRUNCATED_UNDER_ANY_NAME = {
    "an alias": "from scipy.optimize import milp as solve_milp\nsolver = solve_milp\n",
    "the module": "import scipy.optimize as so\ndef solver(*a, **k):\n    return so.milp(*a, **k)\n",
    "a private path": "from scipy.optimize._milp import milp as solver\n",
    "an import inside the function": "def solver(*a, **k):\n"
    "    from scipy.optimize import milp as m\n    return m(*a, **k)\n",
}


@pytest.mark.parametrize("how", sorted(TRUNCATED_UNDER_ANY_NAME))
def test_q5_truncation_is_caught_whatever_name_the_solver_has(how):
    # Rule 2 of the authoring guide: a fixed case works whatever name the learner imported the solver under.
    source = TRUNCATED_UNDER_ANY_NAME[how] + (
        "import numpy as np\n"
        "from scipy.optimize import Bounds, LinearConstraint\n"
        "def whole_candidate_plan(channels, target):\n"
        "    res = solver(channels['cost'].to_numpy(float), integrality=np.ones(len(channels)),\n"
        "                 bounds=Bounds(0, channels['capacity'].to_numpy(float)),\n"
        "                 constraints=LinearConstraint(channels['hire_rate'].to_numpy(float), target, np.inf))\n"
        "    return res.x.astype(int)\n"
    )
    namespace = {}
    exec(compile(source, f"q5-{how}", "exec"), namespace)
    truncated = namespace["whole_candidate_plan"]
    assert "looks truncated" in q5.check(truncated).message
    for seed in range(5):
        score = q5.grade(truncated, hidden=seed)
        assert score.points < q5.points, f"seed {seed}: {_explained(score)}"
        assert _explained(score).count("looks truncated") >= 2, "the public and the hidden fixed case both name it"


def test_q5_truncation_through_linprog_with_integrality_is_caught():
    def truncated(channels, target):
        c, A_ub, b_ub, bounds = model(channels, target)
        res = linprog(c, A_ub=A_ub, b_ub=b_ub, bounds=bounds, integrality=np.ones(len(c)), method="highs")
        return res.x.astype(int)

    assert "looks truncated" in q5.check(truncated).message
    assert not full(q5, truncated)


def test_q5_truncation_case_restores_the_solvers():
    import scipy.optimize
    from scipy.optimize import _linprog_highs, _milp

    wrappers = (_milp._highs_wrapper, _linprog_highs._highs_wrapper)
    q5.grade(whole_plan, hidden=HIDDEN)
    assert scipy.optimize.milp is milp and globals()["milp"] is milp
    assert (_milp._highs_wrapper, _linprog_highs._highs_wrapper) == wrappers


# --- q6 -----------------------------------------------------------------------------------------------------------


def test_q6_any_seed_and_simulation_size_pass():
    variants = [
        lambda ch, g, c: simulated_safe_plan(ch, g, c),
        lambda ch, g, c: simulated_safe_plan(ch, g, c, draws=50_000, seed=123),
        lambda ch, g, c: simulated_safe_plan(ch, g, c, seed=7, step=0.5),
    ]
    for fn in variants:
        assert full(q6, fn), _explained(q6.grade(fn, hidden=HIDDEN))


def test_q6_mistakes_are_named():
    def plan_for_the_mean(channels, goal, confidence):
        return whole_plan(channels, goal)

    def everything(channels, goal, confidence):
        cap = channels["capacity"].to_numpy(float)
        return np.where(np.isinf(cap), 200.0, cap)

    def fractional(channels, goal, confidence):
        return cheapest_plan(channels, goal + 7.3)

    assert "only about half the time" in q6.check(plan_for_the_mean).message
    assert "more than the cheapest plan" in q6.check(everything).message
    assert "not in whole candidates" in q6.check(fractional).message
    for fn in (plan_for_the_mean, everything, fractional):
        assert not full(q6, fn)

    table = practice_channels()

    def hard_coded(channels, goal, confidence):
        return simulated_safe_plan(table, 30, 0.9)

    assert q6.check(hard_coded).passed
    assert not full(q6, hard_coded)


def test_objects_that_claim_to_equal_everything_are_invalid():
    class Anything:
        def __eq__(self, other):
            return True

        __hash__ = object.__hash__

    for question in (q1, q3, q5, q6):
        assert question.grade(lambda *args: Anything(), hidden=HIDDEN).points == 0
    assert q2.grade(Anything()).points == 0
    assert q4.grade(lambda *args: (Anything(), Anything()), hidden=HIDDEN).points == 0


# --- messages that name the mistake (issue 19) --------------------------------------------------------------------


def test_q1_rounded_to_cents_is_a_tiny_rounding_difference():
    def cents(channels):
        return (channels.set_index("channel")["cost"] / channels.set_index("channel")["hire_rate"]).round(2)

    assert full(q1, cents), _explained(q1.grade(cents, hidden=HIDDEN))

    def dollars_off(channels):
        return channels.set_index("channel")["cost"] / channels.set_index("channel")["hire_rate"] + 1.0

    assert not full(q1, dollars_off)


def test_q3_raising_when_no_plan_exists_says_the_statement_asks_for_the_result():
    def raises(channels, target, budget):
        res = repaired(channels, target, budget)
        if res.status != 0:
            raise ValueError("no feasible plan")
        return res

    message = q3.check(raises).message
    assert "The statement asks for the result anyway" in message and "status" in message
    assert not full(q3, raises)


def test_q3_a_milp_result_is_named_as_milp_not_as_the_simplex_method():
    def continuous_milp(channels, target, budget):
        cost = channels["cost"].to_numpy(float)
        rate = channels["hire_rate"].to_numpy(float)
        return milp(
            cost,
            integrality=np.zeros(len(cost)),
            bounds=Bounds(0, channels["capacity"].to_numpy(float)),
            constraints=LinearConstraint(np.vstack([rate, cost]), [target, -np.inf], [np.inf, budget]),
        )

    message = q3.check(continuous_milp).message
    assert "comes from `milp`" in message and "simplex" not in message


def test_q5_an_equality_target_is_named():
    def exact(channels, target):
        res = milp(
            channels["cost"].to_numpy(float),
            integrality=np.ones(len(channels)),
            bounds=Bounds(0, channels["capacity"].to_numpy(float)),
            constraints=LinearConstraint(channels["hire_rate"].to_numpy(float), target, target),
        )
        return np.round(res.x)

    explained = _explained(q5.grade(exact, hidden=HIDDEN))
    # Where an exact whole plan exists it is named as an equality; where none exists, milp's x is None and the
    # message says why, instead of a bare TypeError.
    assert "equality" in explained
    assert not full(q5, exact)


def test_q5_a_greedy_whole_plan_is_named_as_greedy_and_as_rounding_up():
    def greedy_whole(channels, target):
        return np.ceil(greedy_plan(channels, target) - 1e-9)

    explained = _explained(q5.grade(greedy_whole, hidden=HIDDEN))
    assert "cheapest per expected hire first" in explained
    assert not full(q5, greedy_whole)


def test_q3_a_missing_capacity_is_named_where_the_budget_cannot_be_met():
    # The budget is in the model; the capacities are not: the plan it returns exceeds a capacity, not the budget.
    def no_capacity(channels, target, budget):
        cost = channels["cost"].to_numpy(dtype=float)
        rate = channels["hire_rate"].to_numpy(dtype=float)
        return linprog(cost, A_ub=np.vstack([-rate, cost]), b_ub=[-target, budget], bounds=[(0, None)] * len(cost))

    text = _explained(q3.grade(no_capacity, hidden=HIDDEN))
    assert "is each channel's capacity a bound of your model" in text
    assert "is the budget a row of your model" not in text


def test_q5_the_lp_plan_rounded_up_is_never_called_the_sources_fallacy():
    # Where the cheapest channels per candidate are also the cheapest per hire, both orders give the same plan, and
    # only the rounding tells this answer apart.
    def rounded_up(channels, target):
        cost = channels["cost"].to_numpy(dtype=float)
        rate = channels["hire_rate"].to_numpy(dtype=float)
        bounds = list(zip([0] * len(cost), channels["capacity"], strict=True))
        return np.ceil(linprog(cost, A_ub=[-rate], b_ub=[-target], bounds=bounds, method="highs").x - 1e-9)

    for seed in (HIDDEN, 1, 2):
        text = _explained(q5.grade(rounded_up, hidden=seed))
        assert "LP plan rounded up" in text
        assert "cheapest per *candidate*" not in text, seed
