"""Near misses of module 05's answers lose points, each with its specific message; every optimal plan, tied
alternatives included, earns full points (course standard: accept every correct answer, reject near misses)."""

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from lepton_training.questions.recruitment_lp import (
    SEED_CAPACITY,
    q1,
    q2,
    q3,
    q4,
    q5,
    q6,
    seed_channels,
)

HIDDEN = 99


# --- correct answers, written independently of the notebook ------------------------------------------------------


def formulate(channels, target):
    c = channels["cost"].to_numpy(dtype=float)
    A_ub = -channels["yield"].to_numpy(dtype=float).reshape(1, -1)
    b_ub = np.array([-float(target)])
    bounds = [(0, cap) for cap in channels["capacity"]]
    return c, A_ub, b_ub, bounds


def cheapest_plan(channels, target):
    c, A_ub, b_ub, bounds = formulate(channels, target)
    return linprog(c, A_ub=A_ub, b_ub=b_ub, bounds=bounds, method="highs").x


def greedy_plan(channels, target, *, reverse_ties=False):
    """Fill channels in order of cost per expected hire; ties broken by row order, or reversed."""
    ratio = (channels["cost"] / channels["yield"]).to_numpy()
    index = np.arange(len(ratio))
    order = np.lexsort((-index if reverse_ties else index, ratio))
    x = np.zeros(len(ratio))
    remaining = float(target)
    for i in order:
        if remaining <= 0:
            break
        take = min(channels["capacity"].iloc[i], remaining / channels["yield"].iloc[i])
        x[i] = take
        remaining -= take * channels["yield"].iloc[i]
    return x


def midpoint_plan(channels, target):
    """A tied alternative optimum: halfway between the two greedy tie-breaks, so not a vertex when channels tie."""
    return 0.5 * (greedy_plan(channels, target) + greedy_plan(channels, target, reverse_ties=True))


def shadow_price(channels, target):
    c, A_ub, b_ub, bounds = formulate(channels, target)
    return float(-linprog(c, A_ub=A_ub, b_ub=b_ub, bounds=bounds, method="highs").ineqlin.marginals[0])


def seed_model(cost, yields, target, budget):
    return linprog(cost, A_ub=np.vstack([-yields, cost]), b_ub=[-target, budget], bounds=(0, None), method="highs")


def whole_plan(channels, target):
    res = milp(
        channels["cost"].to_numpy(float),
        integrality=np.ones(len(channels)),
        bounds=Bounds(0, channels["capacity"].to_numpy(float)),
        constraints=LinearConstraint(channels["yield"].to_numpy(float), target, np.inf),
    )
    return np.round(res.x)


def _explained(score):
    return str(score.explanation())


# --- q1 -----------------------------------------------------------------------------------------------------------


def test_q1_correct_variants_and_mutants():
    def as_series(channels):
        t = channels.set_index("channel")
        return t["cost"] / t["yield"]

    def reversed_order(channels):
        return as_series(channels).iloc[::-1]

    def as_array(channels):
        return (channels["cost"] / channels["yield"]).to_numpy()

    for fn in (as_series, reversed_order, as_array):
        assert q1.grade(fn, hidden=HIDDEN).points == q1.points

    def inverse(channels):
        t = channels.set_index("channel")
        return t["yield"] / t["cost"]

    def per_candidate(channels):
        return channels.set_index("channel")["cost"]

    def hard_coded(channels):
        return pd.Series([2500.0, 2000.0, 2500.0], index=["school", "social media", "technical forums"])

    assert "inverse" in q1.check(inverse).message
    assert "per *candidate*" in q1.check(per_candidate).message
    assert q1.check(hard_coded).passed
    for fn in (inverse, per_candidate, hard_coded):
        assert q1.grade(fn, hidden=HIDDEN).points < q1.points


# --- q2 -----------------------------------------------------------------------------------------------------------


def test_q2_equivalent_formulations_pass():
    def in_thousands(channels, target):
        c, A_ub, b_ub, bounds = formulate(channels, target)
        return c / 1000, 10 * A_ub, 10 * b_ub, bounds

    def with_redundant_row(channels, target):
        c, A_ub, b_ub, bounds = formulate(channels, target)
        return c, np.vstack([A_ub, -np.ones(len(c))]), np.append(b_ub, 0.0), bounds

    def none_for_no_capacity(channels, target):
        c, A_ub, b_ub, _ = formulate(channels, target)
        return c, A_ub, b_ub, [(0, None if np.isinf(cap) else cap) for cap in channels["capacity"]]

    for fn in (formulate, in_thousands, with_redundant_row, none_for_no_capacity):
        assert q2.grade(fn, hidden=HIDDEN).points == q2.points, _explained(q2.grade(fn, hidden=HIDDEN))


def test_q2_maximize_instead_of_minimize():
    def maximizes(channels, target):
        c, A_ub, b_ub, bounds = formulate(channels, target)
        return -c, A_ub, b_ub, bounds

    assert "maximizes the total cost" in q2.check(maximizes).message
    assert q2.grade(maximizes, hidden=HIDDEN).points == 0


def test_q2_at_most_instead_of_at_least():
    def at_most(channels, target):
        c, A_ub, b_ub, bounds = formulate(channels, target)
        return c, -A_ub, -b_ub, bounds

    message = q2.check(at_most).message
    assert 'the hiring target (at least 50 expected hires) as "at most"' in message
    assert q2.grade(at_most, hidden=HIDDEN).points == 0


def test_q2_missing_capacity_and_hard_coded():
    def no_capacity(channels, target):
        c, A_ub, b_ub, _ = formulate(channels, target)
        return c, A_ub, b_ub, (0, None)

    def hard_coded(channels, target):
        return formulate(seed_channels(), 50.0)

    result = q2.check(no_capacity)
    assert "is infeasible" in result.message
    assert any("above its upper bound (capacity)" in d for d in result.details)
    assert q2.grade(no_capacity, hidden=HIDDEN).points < q2.points
    assert q2.grade(hard_coded, hidden=HIDDEN).points < q2.points


def test_q2_wrong_objective():
    def hires_as_objective(channels, target):
        c, A_ub, b_ub, bounds = formulate(channels, target)
        return channels["yield"].to_numpy(float), A_ub, b_ub, bounds

    assert "Is `c` the cost" in q2.check(hires_as_objective).message


def test_q2_wrong_shapes_are_invalid():
    def three_items(channels, target):
        return formulate(channels, target)[:3]

    def b_eq_style(channels, target):
        c, A_ub, _, bounds = formulate(channels, target)
        return c, A_ub, np.array([-target, -target]), bounds

    assert q2.check(three_items).status == "invalid"
    assert "one limit per row" in q2.check(b_eq_style).message


# --- q3 -----------------------------------------------------------------------------------------------------------


def test_q3_tied_alternative_optimum_gets_full_points():
    table = seed_channels(SEED_CAPACITY)
    highs, alternative = cheapest_plan(table, 50.0), midpoint_plan(table, 50.0)
    assert not np.allclose(highs, alternative), "the alternative must be a different optimal plan"
    assert float(table["cost"] @ highs) == pytest.approx(float(table["cost"] @ alternative))
    for fn in (cheapest_plan, greedy_plan, midpoint_plan):
        assert q3.grade(fn, hidden=HIDDEN).points == q3.points, _explained(q3.grade(fn, hidden=HIDDEN))
    # A plan given as a Series by channel, in any order, is accepted too.
    as_series = lambda ch, t: pd.Series(midpoint_plan(ch, t), index=ch["channel"]).iloc[::-1]  # noqa: E731
    assert q3.grade(as_series, hidden=HIDDEN).points == q3.points


def test_q3_infeasible_plan_names_constraint_and_amount():
    def ignores_capacity(channels, target):
        ratio = (channels["cost"] / channels["yield"]).to_numpy()
        x = np.zeros(len(ratio))
        best = int(np.argmin(ratio))
        x[best] = target / channels["yield"].iloc[best]
        return x

    result = q3.check(ignores_capacity)
    assert "your plan is infeasible: it breaks 1 constraint(s)" in result.message
    assert "'social media' is 60 candidates above its upper bound (capacity)." in result.details

    def short(channels, target):
        return 0.9 * cheapest_plan(channels, target)

    result = q3.check(short)
    assert "The hiring target is missed by 5 expected hires." in result.details
    for fn in (ignores_capacity, short):
        assert q3.grade(fn, hidden=HIDDEN).points < q3.points


def test_q3_suboptimal_plan_says_how_far():
    def all_school(channels, target):
        x = np.zeros(len(channels))
        x[0] = min(channels["capacity"].iloc[0], target / channels["yield"].iloc[0])
        x[1] = max(0.0, (target - 0.8 * x[0]) / channels["yield"].iloc[1])
        return x

    # 60 school candidates (48 expected hires) + 4 social media: 124,000 USD against 115,000 USD at best.
    assert q3.check(all_school).message.endswith(
        "your plan is feasible but costs 9,000 USD (7.8%) more than the optimum."
    )
    assert q3.grade(all_school, hidden=HIDDEN).points < q3.points


def test_q3_maximized_plan_and_hard_coded_plan():
    def most_expensive(channels, target):
        c, A_ub, b_ub, bounds = formulate(channels, target)
        return linprog(-c, A_ub=A_ub, b_ub=b_ub, bounds=bounds, method="highs").x

    assert "most* expensive plan" in q3.check(most_expensive).message
    assert q3.grade(most_expensive, hidden=HIDDEN).points < q3.points

    def hard_coded(channels, target):
        return np.array([37.5, 40.0, 0.0])

    assert q3.check(hard_coded).passed
    assert q3.grade(hard_coded, hidden=HIDDEN).points < q3.points

    def solver_result(channels, target):
        c, A_ub, b_ub, bounds = formulate(channels, target)
        return linprog(c, A_ub=A_ub, b_ub=b_ub, bounds=bounds, method="highs")

    assert "return its plan, `res.x`" in q3.check(solver_result).message


# --- q4 -----------------------------------------------------------------------------------------------------------


def test_q4_sign_convention_and_cheapest_ratio():
    assert q4.grade(shadow_price, hidden=HIDDEN).points == q4.points

    def raw_marginal(channels, target):
        return -shadow_price(channels, target)

    assert "wrong sign" in q4.check(raw_marginal).message
    assert q4.grade(raw_marginal, hidden=HIDDEN).points == 0

    def cheapest_ratio(channels, target):
        return float((channels["cost"] / channels["yield"]).min())

    assert "cheapest channel's cost per expected hire" in str(q4.grade(cheapest_ratio).explanation())
    assert q4.grade(cheapest_ratio, hidden=HIDDEN).points < q4.points

    def hard_coded(channels, target):
        return 2000.0

    assert q4.grade(hard_coded, hidden=HIDDEN).points < q4.points

    def as_array(channels, target):
        return np.array([shadow_price(channels, target)])

    assert q4.check(as_array).status == "invalid"


# --- q5 -----------------------------------------------------------------------------------------------------------


def test_q5_mutants():
    import warnings

    assert q5.grade(seed_model, hidden=HIDDEN).points == q5.points

    def legacy_simplex(cost, yields, target, budget):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return linprog(cost, A_ub=np.vstack([-yields, cost]), b_ub=[-target, budget], method="simplex")

    def seed_equalities(cost, yields, target, budget):
        n = len(cost)
        return linprog(
            cost, A_ub=-yields.reshape(1, -1), b_ub=[-target], A_eq=np.eye(n), b_eq=np.full(n, 50.0), method="highs"
        )

    def no_budget(cost, yields, target, budget):
        return linprog(cost, A_ub=-yields.reshape(1, -1), b_ub=[-target], method="highs")

    def just_the_plan(cost, yields, target, budget):
        return seed_model(cost, yields, target, budget).x

    assert "did not come from HiGHS" in q5.check(legacy_simplex).message
    assert "same number of candidates" in q5.check(seed_equalities).message
    assert q5.check(no_budget).passed  # the budget does not bind on the source's numbers...
    assert "is the budget a constraint" in _explained(q5.grade(no_budget, hidden=HIDDEN))  # ...but it can
    assert q5.check(just_the_plan).status == "invalid"
    for fn in (legacy_simplex, seed_equalities, no_budget, just_the_plan):
        assert q5.grade(fn, hidden=HIDDEN).points < q5.points


# --- q6 -----------------------------------------------------------------------------------------------------------


def test_q6_mutants():
    assert q6.grade(whole_plan, hidden=HIDDEN).points == q6.points

    def lp_plan(channels, target):
        return cheapest_plan(channels, target)

    def rounded_up(channels, target):
        return np.ceil(cheapest_plan(channels, target) - 1e-9)

    def rounded_down(channels, target):
        return np.floor(cheapest_plan(channels, target) + 1e-9)

    assert "not in whole candidates" in q6.check(lp_plan).message
    assert "rounded up" in q6.check(rounded_up).message
    assert "rounded down" in q6.check(rounded_down).message
    for fn in (lp_plan, rounded_up, rounded_down):
        assert q6.grade(fn, hidden=HIDDEN).points < q6.points
