"""Unit tests of lepton_training.checks_lp: feasibility with amounts, optimality against the optimal value (ties
accepted), objective sense, equivalent models, shadow prices and their sign convention."""

import doctest
import math

import numpy as np
import pandas as pd
import pytest

from lepton_training import checks_lp
from lepton_training.checks_lp import (
    LinearProgram,
    as_plan_vector,
    check_feasible,
    check_model,
    check_optimal,
    check_shadow_price,
    format_amount,
    objective_direction,
    parse_linprog_model,
    shadow_price_interval,
    solve,
    violations,
)
from lepton_training.questions.recruitment_lp import reference_lp, seed_channels

NAMES = ["school", "social media", "technical forums"]
COST = np.array([2000.0, 1000.0, 1500.0])
HIRE_RATE = np.array([0.8, 0.5, 0.6])


def seed_lp(target=50.0, capacity=(60.0, 40.0, 60.0), budget=None, integer=False):
    return reference_lp(seed_channels(capacity), target, budget=budget, integer=integer)


def model(c=COST, A=None, b=None, bounds=((0, 60), (0, 40), (0, 60))):
    A = -HIRE_RATE.reshape(1, -1) if A is None else A
    b = np.array([-50.0]) if b is None else b
    return (c, A, b, list(bounds))


def test_docstring_examples_run():
    result = doctest.testmod(checks_lp, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 10 and result.failed == 0


def test_linear_program_validates_its_labels():
    with pytest.raises(ValueError, match="one entry per row"):
        LinearProgram(COST, [-HIRE_RATE], [-50], 0, np.inf, [], [], [-1], NAMES)


def test_format_amount():
    assert format_amount(115000, "USD") == "115,000 USD"
    assert format_amount(0.1, "expected hires") == "0.1 expected hires"
    assert format_amount(1234.5678) == "1,234.6"


# --- solve and violations -----------------------------------------------------------------------------------------


def test_solve_lp_milp_and_statuses():
    lp = seed_lp()
    best = solve(lp)
    assert best.optimal and best.fun == pytest.approx(115_000)
    assert best.marginals[0] == pytest.approx(-2500)  # SciPy's sign for the stored (negated) target row
    assert solve(lp, maximize=True).fun == pytest.approx(2000 * 60 + 1000 * 40 + 1500 * 60)
    whole = solve(seed_lp(target=57.7, integer=True))
    assert whole.optimal and whole.marginals is None
    assert whole.fun == pytest.approx(134_500)
    assert np.allclose(whole.x, np.round(whole.x))
    assert solve(seed_lp(target=150)).status == 2
    assert solve(seed_lp(target=150, integer=True)).status == 2
    unbounded = LinearProgram(-COST, [-HIRE_RATE], [-50], 0, np.inf, ["t"], ["h"], [-1], NAMES)
    assert solve(unbounded).status == 3


def test_violations_name_each_constraint_with_amount_and_unit():
    lp = seed_lp(budget=100_000)
    found = violations(lp, [-1.0, 50.0, 0.0])
    texts = [v.text for v in found]
    assert texts == [
        "the hiring target is missed by 25.8 expected hires",
        "'school' is negative (-1 candidates)",
        "'social media' is 10 candidates above its upper bound (capacity)",
    ]
    assert [(v.kind, v.index) for v in found] == [("row", 0), ("lower", 0), ("upper", 1)]
    assert found[0].amount == pytest.approx(25.8)
    over_budget = violations(lp, [60.0, 40.0, 60.0])
    assert [v.text for v in over_budget] == ["the budget is exceeded by 150,000 USD"]


def test_violations_tolerate_rounding_noise_only():
    lp = seed_lp()
    x = solve(lp).x
    assert violations(lp, x - 1e-9) == []
    assert violations(lp, x * (1 - 1e-4)) != []


# --- plans --------------------------------------------------------------------------------------------------------


def test_as_plan_vector_accepts_arrays_lists_and_series_in_any_order():
    lp = seed_lp()
    assert as_plan_vector([1, 2, 3], lp).tolist() == [1.0, 2.0, 3.0]
    series = pd.Series([3.0, 1.0, 2.0], index=["technical forums", "school", "social media"])
    assert as_plan_vector(series, lp).tolist() == [1.0, 2.0, 3.0]


@pytest.mark.parametrize(
    ("value", "phrase"),
    [
        (None, "should be a NumPy array of 3 numbers"),
        ("37.5, 40, 0", "should be a NumPy array"),
        ([1, 2], "shape (2,)"),
        ([[1, 2, 3]], "shape (1, 3)"),
        ([True, False, True], "should hold numbers"),
        ([np.nan, 1, 1], "NaN or infinite"),
        (pd.Series([1.0, 2.0, 3.0], index=["a", "b", "c"]), "index should be the 3 channel names"),
    ],
)
def test_as_plan_vector_rejects_malformed_plans(value, phrase):
    result = as_plan_vector(value, seed_lp())
    assert result.status == "invalid"
    assert phrase in result.message


def test_as_plan_vector_recognizes_a_solver_result():
    class Result:
        x = np.zeros(3)
        status = 0

    assert "return its plan, `res.x`" in as_plan_vector(Result(), seed_lp()).message


def test_a_solver_result_is_described_with_the_right_article_and_its_status():
    from scipy.optimize import linprog

    res = linprog([1.0], A_ub=[[-1.0]], b_ub=[-1.0], bounds=[(0, 0.5)])
    assert checks_lp.describe_result(res) == "an OptimizeResult (status 2, infeasible)"
    assert "an OptimizeResult (status 2, infeasible): return its plan" in as_plan_vector(res, seed_lp()).message


def test_an_object_that_equals_everything_is_invalid():
    class Liar:
        def __eq__(self, other):
            return True

        __hash__ = object.__hash__

    assert check_optimal(Liar(), seed_lp()).status == "invalid"
    assert check_shadow_price(Liar(), seed_lp(), 0, unit="USD").status == "invalid"


def test_every_tied_optimum_passes():
    lp = seed_lp()
    for plan in ([37.5, 40, 0], [0, 40, 50], [18.75, 40, 25], [10, 40, 50 - 10 * 0.8 / 0.6]):
        assert check_optimal(plan, lp).passed, plan


def test_infeasible_plan_says_which_constraint_and_by_how_much():
    result = check_feasible([0.0, 100.0, 0.0], seed_lp())
    assert result.status == "incorrect"
    assert result.message == (
        "Your plan is infeasible: 'social media' is 60 candidates above its upper bound (capacity)."
    )
    assert result.details == ()
    result = check_optimal([30.0, 40.0, 0.0], seed_lp())
    assert result.message == "Your plan is infeasible: the hiring target is missed by 6 expected hires."
    result = check_feasible([30.0, 100.0, -5.0], seed_lp())
    assert result.message.startswith("Your plan is infeasible: ")
    assert result.message.endswith(", and 1 other constraint broken:")
    assert result.details == ("'technical forums' is negative (-5 candidates).",)


def test_feasible_but_suboptimal_plan_says_how_far():
    result = check_optimal([40.0, 40.0, 0.0], seed_lp(capacity=(100, 40, 100)))
    assert result.message == "Your plan is feasible but costs 5,000 USD (4.3%) more than the optimum."


def test_most_expensive_plan_is_recognized_as_maximized():
    result = check_optimal([60.0, 40.0, 60.0], seed_lp())
    assert "*most* expensive plan" in result.message


def test_integer_programs_require_whole_numbers():
    lp = seed_lp(target=57.7, integer=True)
    fractional = check_optimal([2.125, 40, 60], lp)
    assert "not in whole candidates" in fractional.message
    assert fractional.details == ("'school': 2.125",)
    assert check_optimal([3, 40, 59], lp).passed
    assert check_optimal([2, 40, 59.9999999], lp).status == "incorrect"  # misses the target, whole or not
    assert "more than the optimum" in check_optimal([3, 40, 60], lp).message


def test_check_optimal_on_a_model_without_optimum_is_invalid():
    result = check_optimal([60, 40, 60], seed_lp(target=150))
    assert result.status == "incorrect"  # the plan is infeasible before anything else
    result = check_optimal([60, 40, 60], seed_lp(target=104.0))
    assert result.passed


# --- models -------------------------------------------------------------------------------------------------------


def test_objective_direction():
    assert objective_direction(COST / 1000, COST) == "same"
    assert objective_direction(-COST, COST) == "opposite"
    assert objective_direction(HIRE_RATE, COST) == "other"
    assert objective_direction([0, 0, 0], COST) == "other"
    assert objective_direction([1, 2], COST) == "other"


def test_parse_linprog_model_bounds_forms():
    n = 3
    for bounds in ((0, None), [(0, None)] * 3, np.array([[0, np.inf]] * 3), None, [[0, 60], [0, 40], [0, 60]]):
        parsed = parse_linprog_model((COST, [-HIRE_RATE], [-50], bounds), n)
        assert not hasattr(parsed, "status"), bounds
    _, A, b, lower, upper = parse_linprog_model((COST, -HIRE_RATE, -50, (0, None)), n)
    assert A.shape == (1, 3) and b.shape == (1,)
    assert lower.tolist() == [0, 0, 0] and upper.tolist() == [math.inf] * 3


@pytest.mark.parametrize(
    ("bad", "phrase"),
    [
        ((COST, [-HIRE_RATE], [-50]), "tuple of four items"),
        ("model", "tuple of four items"),
        ((COST[:2], [-HIRE_RATE], [-50], None), "`c` has shape (2,)"),
        ((COST, [[-0.8, -0.5]], [-50], None), "needs one row per constraint and 3 columns"),
        ((COST, [-HIRE_RATE], [-50, -50], None), "one limit per row"),
        ((COST, [-HIRE_RATE], [-50], [(0, None)] * 2), "`bounds` should be one `(low, high)` pair"),
        ((COST, [-HIRE_RATE], [-50], [(0, "60")] * 3), "`bounds` should be"),
        ((["a", "b", "c"], [-HIRE_RATE], [-50], None), "arrays of numbers"),
        (([np.nan, 1, 1], [-HIRE_RATE], [-50], None), "finite numbers"),
    ],
)
def test_parse_linprog_model_rejects_malformed_models(bad, phrase):
    result = parse_linprog_model(bad, 3)
    assert result.status == "invalid"
    assert phrase in result.message


def test_equivalent_models_pass():
    ref = seed_lp()
    assert check_model(model(), ref).passed
    assert check_model(model(c=COST / 1000, A=-10 * HIRE_RATE.reshape(1, -1), b=np.array([-500.0])), ref).passed
    redundant = model(A=np.vstack([-HIRE_RATE, -np.ones(3)]), b=np.array([-50.0, 0.0]))
    assert check_model(redundant, ref).passed
    as_rows = model(
        A=np.vstack([-HIRE_RATE, np.eye(3)]), b=np.array([-50.0, 60, 40, 60]), bounds=[(0, None)] * 3
    )  # capacities as rows instead of bounds
    assert check_model(as_rows, ref).passed


def test_a_target_written_as_an_equality_is_judged_by_the_plan_it_gives():
    ref = seed_lp()
    both_ways = model(A=np.vstack([-HIRE_RATE, HIRE_RATE]), b=np.array([-50.0, 50.0]))  # at least and at most 50
    assert check_model(both_ways, ref).passed
    # Infeasible whichever way the target is written: still right.
    assert check_model(
        model(A=np.vstack([-HIRE_RATE, HIRE_RATE]), b=np.array([-150.0, 150.0])), seed_lp(target=150)
    ).passed


def test_maximizing_model_gets_its_message():
    result = check_model(model(c=-COST), seed_lp())
    assert result.status == "incorrect"
    assert "maximizes the total cost instead of minimizing it" in result.message


def test_at_most_instead_of_at_least_gets_its_message():
    result = check_model(model(A=HIRE_RATE.reshape(1, -1), b=np.array([50.0])), seed_lp())
    assert 'writes the hiring target (at least 50 expected hires) as "at most"' in result.message
    scaled = check_model(model(A=10 * HIRE_RATE.reshape(1, -1), b=np.array([500.0])), seed_lp())
    assert '"at most"' in scaled.message


def test_missing_capacity_names_the_channel():
    result = check_model(model(bounds=[(0, None)] * 3), seed_lp())
    assert result.message == (
        "The optimal plan of your model is infeasible: 'social media' is 60 candidates above its upper bound "
        "(capacity)."
    )


def test_unbounded_and_infeasible_learner_models():
    no_bounds = [(0, None)] * 3
    unbounded = check_model(model(A=np.zeros((1, 3)), b=np.array([0.0]), c=COST - 3000, bounds=no_bounds), seed_lp())
    assert "is unbounded" in unbounded.message
    infeasible = check_model(model(A=np.vstack([-HIRE_RATE, HIRE_RATE]), b=np.array([-50.0, 40.0])), seed_lp())
    assert "is infeasible (no plan satisfies all its constraints)" in infeasible.message


def test_infeasible_reference_accepts_only_infeasible_models():
    ref = seed_lp(target=150)
    assert check_model(model(b=np.array([-150.0])), ref).passed
    result = check_model(model(b=np.array([-150.0]), bounds=[(0, None)] * 3), ref)
    assert "no plan can satisfy every constraint" in result.message
    assert any("above its upper bound" in d for d in result.details)


def test_wrong_objective_gets_a_nudge():
    result = check_model(model(c=HIRE_RATE), seed_lp())
    assert result.status == "incorrect"
    assert "Is `c` the cost of one candidate" in result.message


# --- shadow prices ------------------------------------------------------------------------------------------------


def test_shadow_price_interval_matches_highs_and_re_solving():
    lp = seed_lp()
    low, high = shadow_price_interval(lp, 0)
    assert low == pytest.approx(2500) and high == pytest.approx(2500)
    assert -solve(lp).marginals[0] == pytest.approx(2500)
    # At a breakpoint (20 expected hires fill social media exactly) the slopes differ: 2,000 below, 2,500 above.
    low, high = shadow_price_interval(seed_lp(target=20.0), 0)
    assert low == pytest.approx(2000, rel=1e-6) and high == pytest.approx(2500, rel=1e-6)
    # At the edge of feasibility the right slope is infinite.
    assert shadow_price_interval(seed_lp(target=104.0), 0)[1] == math.inf
    # A budget row (at most) that binds: the cost cannot fall below the budget... its slope is 0 when slack.
    assert shadow_price_interval(seed_lp(budget=500_000), 1) == pytest.approx((0.0, 0.0))
    with pytest.raises(ValueError, match="no optimal plan"):
        shadow_price_interval(seed_lp(target=150), 0)


def test_check_shadow_price_accepts_every_valid_dual_value():
    at_breakpoint = seed_lp(target=20.0)
    for value in (2000.0, 2250.0, 2500.0):
        assert check_shadow_price(value, at_breakpoint, 0, unit="USD per extra expected hire").passed
    assert not check_shadow_price(2600.0, at_breakpoint, 0, unit="USD per extra expected hire").passed


def test_check_shadow_price_messages():
    lp = seed_lp()
    unit = "USD per extra expected hire"
    wrong_sign = check_shadow_price(-2500.0, lp, 0, unit=unit)
    assert "wrong sign" in wrong_sign.message and unit in wrong_sign.message
    assert check_shadow_price(2000.0, lp, 0, unit=unit).message == f"Your shadow price ({unit}) is too low."
    assert check_shadow_price(3000, lp, 0, unit=unit).message == f"Your shadow price ({unit}) is too high."
    assert check_shadow_price(np.float64(2500), lp, 0, unit=unit).passed
    assert check_shadow_price("2500", lp, 0, unit=unit).status == "invalid"
    assert check_shadow_price(np.inf, lp, 0, unit=unit).status == "invalid"
    assert check_shadow_price(True, lp, 0, unit=unit).status == "invalid"
