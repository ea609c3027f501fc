"""Tests of the recruitment planner (module 05): the seed's case, ties, shadow prices, failures, scale-up."""

from __future__ import annotations

import doctest
import importlib
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from scipy.optimize import linprog

from lepton_training.recruitment import (
    build_multi_period,
    example_channels,
    max_hires_lp,
    min_cost_lp,
    plan_max_hires,
    plan_min_cost,
    sensitivity,
    solve_lp,
)

# Tolerances: HiGHS's feasibility tolerance is 1e-7 (relative); objective values are compared at 1e-6.
FEAS_TOL = 1e-6
REL = 1e-6


def assert_feasible_min_cost(table: pd.DataFrame, target: float, plan) -> None:
    """The plan satisfies every constraint of the minimum-cost model, checked from the inputs alone."""
    x = plan.table["candidates"].to_numpy()
    capacity = table["capacity"].to_numpy() if "capacity" in table else np.full(len(x), np.inf)
    assert (x >= -FEAS_TOL).all()
    assert (x <= capacity + FEAS_TOL).all()
    assert table["hire_rate"].to_numpy() @ x >= target - FEAS_TOL
    assert float(plan.objective) == pytest.approx(table["cost"].to_numpy() @ x, rel=REL)


# --- The seed document's case ------------------------------------------------------------------------


def test_example_channels_are_the_seed_table():
    table = example_channels()
    assert table["channel"].tolist() == ["school", "social media", "technical forums"]
    assert table["cost"].tolist() == [2000, 1000, 1500]
    assert table["hire_rate"].tolist() == [0.8, 0.5, 0.6]
    # The seed's prose calls school recruiting the cheapest; per expected hire it ties for the dearest.
    assert (table["cost"] / table["hire_rate"]).tolist() == pytest.approx([2500, 2000, 2500])


def test_cheapest_plan_without_capacities_is_all_social_media():
    plan = plan_min_cost(example_channels(), target_hires=50)
    assert plan.status == "optimal"
    assert plan.success
    assert plan.table["candidates"].to_numpy() == pytest.approx([0, 100, 0], abs=1e-9)
    assert float(plan.objective) == pytest.approx(100_000)
    assert plan.objective.unit == "USD"
    assert plan.expected_hires == pytest.approx(50)
    assert plan.total_cost == pytest.approx(100_000)
    assert plan.binding == ("target",)
    assert list(plan.table.columns) == [
        "channel",
        "candidates",
        "expected hires",
        "cost",
        "cost per expected hire",
        "reduced cost",
    ]
    # Reduced costs: 2000 - 2000 * 0.8 = 400 for school, 1500 - 2000 * 0.6 = 300 for forums.
    assert plan.table["reduced cost"].to_numpy() == pytest.approx([400, 0, 300], abs=1e-9)


def test_tied_channels_unique_value_feasible_plan():
    # Social media capped: the remaining 30 expected hires cost 2,500 USD each via school or forums alike.
    table = example_channels().assign(capacity=[np.inf, 40, np.inf])
    plan = plan_min_cost(table, target_hires=50)
    assert plan.status == "optimal"
    assert float(plan.objective) == pytest.approx(40 * 1000 + 30 * 2500)
    assert_feasible_min_cost(table, 50, plan)
    # The optimum is not unique: two different plans reach the same value.
    cost = table["cost"].to_numpy()
    assert cost @ np.array([37.5, 40, 0]) == pytest.approx(cost @ np.array([0, 40, 50]))
    assert "tie" in plan.message


def test_integer_plan_is_whole_and_costs_at_least_the_lp_plan():
    table = example_channels().assign(capacity=[np.inf, 40, np.inf])
    for target in (50, 50.3, 51.7):
        relaxed = plan_min_cost(table, target)
        whole = plan_min_cost(table, target, integer=True)
        assert whole.status == "optimal"
        x = whole.table["candidates"].to_numpy()
        assert x == pytest.approx(np.round(x), abs=1e-9)
        assert_feasible_min_cost(table, target, whole)
        assert float(whole.objective) >= float(relaxed.objective) - 1e-6
        assert whole.shadow_prices.isna().all()
        assert "not defined for an integer program" in whole.message
    assert float(plan_min_cost(table, 50.3, integer=True).objective) > float(plan_min_cost(table, 50.3).objective)


# --- Shadow prices -----------------------------------------------------------------------------------


def test_target_shadow_price_is_2000_and_matches_a_resolve():
    table = example_channels()
    plan = plan_min_cost(table, 50)
    assert plan.shadow_prices["target"] == pytest.approx(2000)
    assert plan.constraints.loc["target", "unit"] == "USD per extra expected hire"
    change = float(plan_min_cost(table, 51).objective) - float(plan.objective)
    assert change == pytest.approx(plan.shadow_prices["target"], rel=REL)


def test_capped_shadow_prices_match_resolves():
    table = example_channels().assign(capacity=[np.inf, 40, np.inf])
    plan = plan_min_cost(table, 50)
    assert plan.shadow_prices["target"] == pytest.approx(2500)
    # One more candidate of social-media capacity replaces 0.5 hires at 2,500 by 0.5 hires at 2,000.
    assert plan.shadow_prices["capacity[social media]"] == pytest.approx(-250)
    assert set(plan.binding) == {"target", "capacity[social media]"}
    wider = plan_min_cost(table.assign(capacity=[np.inf, 41, np.inf]), 50)
    assert float(wider.objective) - float(plan.objective) == pytest.approx(-250)


def test_budget_shadow_price_in_hires_per_usd():
    plan = plan_max_hires(example_channels(), budget=1_000_000)
    assert plan.status == "optimal"
    assert float(plan.objective) == pytest.approx(500)
    assert plan.objective.unit == "expected hires"
    assert plan.shadow_prices["budget"] == pytest.approx(0.5 / 1000)
    assert plan.constraints.loc["budget", "unit"] == "expected hires per extra USD"
    more = plan_max_hires(example_channels(), budget=1_001_000)
    assert float(more.objective) - float(plan.objective) == pytest.approx(1000 * 0.0005)


def test_sensitivity_matches_inside_the_range_and_not_beyond():
    uncapped = sensitivity(example_channels(), target_hires=50, deltas=[-10, -1, 1, 10, 100])
    assert uncapped["matches"].all()
    assert uncapped["same shadow price"].all()
    assert uncapped.attrs["base shadow price"] == pytest.approx(2000)

    capped = example_channels().assign(capacity=[np.inf, 40, np.inf])
    check = sensitivity(capped, target_hires=50, deltas=[-20, 1, 10, -40]).set_index("delta")
    # Above 20 expected hires the marginal hire comes from school or forums (2,500 USD); below, from social media.
    assert check.loc[[-20.0, 1.0, 10.0], "matches"].all()
    assert check.loc[[-20.0, 1.0, 10.0], "same shadow price"].all()
    assert not check.loc[-40.0, "matches"]
    assert not check.loc[-40.0, "same shadow price"]
    # The theorem behind "same shadow price": equal slopes at both ends of a convex piece mean linearity.
    assert (check["same shadow price"] <= check["matches"]).all()


def test_sensitivity_for_budget_and_capacity():
    budget = sensitivity(example_channels(), budget=1_000_000, deltas=[-500_000, 1000])
    assert budget["matches"].all()
    capped = example_channels().assign(capacity=[np.inf, 40, np.inf])
    capacity = sensitivity(capped, target_hires=50, parameter="capacity[social media]", deltas=[-40, 10, 100])
    assert capacity["matches"].tolist() == [True, True, False]
    assert capacity.attrs["unit"] == "USD per extra candidate of capacity"


def test_sensitivity_errors():
    with pytest.raises(ValueError, match="Give target_hires"):
        sensitivity(example_channels())
    with pytest.raises(ValueError, match="parameter must name one of this model's limits: 'target'"):
        sensitivity(example_channels(), target_hires=50, parameter="budget")
    with pytest.raises(ValueError, match="would make target negative"):
        sensitivity(example_channels(), target_hires=50, deltas=[-60])
    with pytest.raises(ValueError, match="non-empty list of finite numbers"):
        sensitivity(example_channels(), target_hires=50, deltas=[])
    with pytest.raises(ValueError, match="no optimal plan"):
        sensitivity(example_channels().assign(capacity=1.0), target_hires=50)


def test_min_share_forces_diversity_and_prices_it():
    table = example_channels().assign(min_share=[0.2, 0.2, 0.2])
    plan = plan_min_cost(table, 50)
    x = plan.table["candidates"].to_numpy()
    assert (x >= 0.2 * x.sum() - FEAS_TOL).all()
    assert float(plan.objective) > 100_000
    assert plan.shadow_prices["min_share[school]"] > 0  # diversity costs money
    assert "min_share[school]" in plan.binding


# --- Infeasible and unbounded models ------------------------------------------------------------------


def test_infeasible_capacities_named_in_message():
    plan = plan_min_cost(example_channels().assign(capacity=10.0), target_hires=50)
    assert plan.status == "infeasible"
    assert not plan.success
    assert plan.solver_status == 2
    assert "capacities allow at most 19.00 expected hires" in plan.message
    assert "target of 50.00" in plan.message
    assert np.isnan(float(plan.objective))
    assert plan.table["candidates"].isna().all()
    assert "infeasible" in str(plan)


def test_infeasible_min_shares_named_in_message():
    table = example_channels().assign(capacity=[10, 100, 10], min_share=[0.3, 0, 0.3])
    plan = plan_min_cost(table, 50)
    assert plan.status == "infeasible"
    assert "with the minimum shares" in plan.message
    assert "20.67" in plan.message


def test_infeasible_budget_named_in_message():
    plan = plan_min_cost(example_channels(), 50, budget=50_000)
    assert plan.status == "infeasible"
    assert "budget of 50,000.00 USD" in plan.message
    assert "at most 25.00 expected hires" in plan.message
    assert plan_min_cost(example_channels(), 50, budget=1_000_000).status == "optimal"


def test_infeasible_only_in_whole_candidates():
    table = pd.DataFrame({"channel": ["referrals"], "cost": [500.0], "hire_rate": [1.0], "capacity": [10.5]})
    assert plan_min_cost(table, 10.4).status == "optimal"
    plan = plan_min_cost(table, 10.4, integer=True)
    assert plan.status == "infeasible"
    assert "No whole-candidate plan" in plan.message


@pytest.mark.parametrize("integer", [False, True])
def test_unbounded_names_the_unlimited_channels(integer):
    table = example_channels().assign(capacity=[10, np.inf, 30])
    plan = plan_max_hires(table, budget=None, integer=integer)
    assert plan.status == "unbounded"
    assert plan.solver_status == 3
    assert "'social media'" in plan.message
    assert "'school'" not in plan.message
    assert "Give a budget" in plan.message


def test_no_budget_with_capacities_fills_every_channel():
    plan = plan_max_hires(example_channels().assign(capacity=[10, 20, 30]), budget=None)
    assert float(plan.objective) == pytest.approx(8 + 10 + 18)
    assert plan.shadow_prices["capacity[school]"] == pytest.approx(0.8)


# --- Validation at the boundary ------------------------------------------------------------------------


def _seed(**changes) -> pd.DataFrame:
    table = example_channels()
    for column, values in changes.items():
        table[column] = values
    return table


VALIDATION_CASES = [
    ({"channels": {"channel": ["a"]}}, TypeError, r"channels must be a pandas DataFrame"),
    ({"channels": example_channels().drop(columns="hire_rate")}, ValueError, r"missing the column\(s\) 'hire_rate'"),
    (
        {"channels": example_channels().drop(columns=["cost", "hire_rate"])},
        ValueError,
        r"missing the column\(s\) 'cost', 'hire_rate'\. Expected columns: channel, cost, hire_rate",
    ),
    ({"channels": example_channels().iloc[:0]}, ValueError, r"has no rows"),
    ({"channels": _seed(cost=[2000, 0, 1500])}, ValueError, r"'cost' must be > 0 .* for 'social media'"),
    ({"channels": _seed(cost=[-5, 1000, 1500])}, ValueError, r"'cost' must be > 0 .* for 'school'"),
    ({"channels": _seed(cost=[np.inf, 1000, 1500])}, ValueError, r"'cost' must be finite"),
    ({"channels": _seed(**{"hire_rate": [0.8, 0.0, 0.6]})}, ValueError, r"'hire_rate' must be in \(0, 1\]"),
    ({"channels": _seed(**{"hire_rate": [80, 50, 60]})}, ValueError, r"should be written 0\.8"),
    ({"channels": _seed(capacity=[10, -1, 10])}, ValueError, r"'capacity' must be >= 0 .*'social media'"),
    (
        {"channels": _seed(channel=["school", "school", "forums"])},
        ValueError,
        r"Channel names must be unique; repeated: 'school'",
    ),
    (
        {"channels": _seed(cost=["2,000", 1000, 1500])},
        TypeError,
        r"'cost' must hold numbers, but 1 channel\(s\) hold other values \('school': '2,000'\)",
    ),
    ({"channels": _seed(capacity=[True, False, True])}, TypeError, r"'capacity' must hold numbers, not True/False"),
    ({"channels": _seed(min_share=[0.5, 0.4, 0.3])}, ValueError, r"'min_share' sums to 1\.2 > 1"),
    ({"channels": _seed(min_share=[20, 0, 0])}, ValueError, r"'min_share' must be in \[0, 1\]"),
    ({"channels": _seed(cost=[2000, np.nan, 1500])}, ValueError, r"'cost' has missing values \(NaN\) .*'social media'"),
    ({"channels": _seed(capacity=[10, np.nan, 10])}, ValueError, r"Use np\.inf for a channel without a capacity"),
    ({"channels": _seed(min_share=[0.1, None, 0.1])}, ValueError, r"Use 0 for a channel without a minimum share"),
    ({"channels": _seed(channel=["school", None, "forums"])}, ValueError, r"missing names \(NaN\) in row\(s\) \[1\]"),
    ({"channels": _seed(channel=["school", 7, "forums"])}, TypeError, r"'channel' must hold text; found 7"),
    ({"channels": _seed(channel=["school", "  ", "forums"])}, ValueError, r"empty names in row\(s\) \[1\]"),
    ({"target_hires": -1}, ValueError, r"target_hires must be >= 0 \(expected hires\)"),
    ({"target_hires": np.nan}, ValueError, r"target_hires is NaN"),
    ({"target_hires": "50"}, TypeError, r"target_hires must be a number"),
    ({"target_hires": np.inf}, ValueError, r"target_hires must be finite"),
    ({"budget": -100}, ValueError, r"budget must be >= 0 \(USD\)"),
    ({"integer": "yes"}, TypeError, r"integer must be True or False"),
]


@pytest.mark.parametrize(("kwargs", "error", "message"), VALIDATION_CASES)
def test_validation_messages(kwargs, error, message):
    arguments = {"channels": example_channels(), "target_hires": 50} | kwargs
    with pytest.raises(error, match=message):
        plan_min_cost(**arguments)


def test_validation_for_max_hires():
    with pytest.raises(TypeError, match=r"budget must be a number \(USD\) or None for no limit"):
        plan_max_hires(example_channels(), budget="a lot")
    with pytest.raises(ValueError, match="missing the column"):
        plan_max_hires(pd.DataFrame({"channel": ["a"], "cost": [1.0]}), budget=10)


def test_extra_columns_and_index_are_ignored():
    table = example_channels().assign(note=["campus", "x", "y"]).set_index(pd.Index([10, 20, 30]))
    plan = plan_min_cost(table, 50)
    assert float(plan.objective) == pytest.approx(100_000)


# --- The model and its display ------------------------------------------------------------------------


def test_model_arrays_and_sign_conventions():
    lp = min_cost_lp(example_channels().assign(min_share=[0.1, 0, 0]), 50, budget=200_000)
    assert lp.row_names == ("target", "budget", "min_share[school]")
    assert lp.A_ub.tolist() == [[-0.8, -0.5, -0.6], [2000, 1000, 1500], [0.1 - 1, 0.1, 0.1]]
    assert lp.b_ub.tolist() == [-50, 200_000, 0]
    assert lp.row_flip.tolist() == [-1, 1, -1]
    hires = max_hires_lp(example_channels(), 1000)
    assert hires.sense == -1
    assert hires.c.tolist() == [-0.8, -0.5, -0.6]
    assert solve_lp(hires).objective.value == pytest.approx(0.5)


def test_str_and_html_escape_channel_names():
    table = example_channels()
    table.loc[1, "channel"] = "<b>social</b> & co"
    plan = plan_min_cost(table, 50)
    html = plan._repr_html_()
    assert "&lt;b&gt;social&lt;/b&gt; &amp; co" in html
    assert "<b>social</b>" not in html
    assert "100,000.00" in html
    text = str(plan)
    assert "Objective: 100,000.00 USD" in text
    assert "2,000.00" in text
    assert "USD per extra expected hire" in text
    assert repr(plan) == "<Plan min_cost optimal: objective 100,000.00 USD>"


# --- Scale-up: the multi-period sparse builder ----------------------------------------------------------


def _small_instance(seed: int = 7, budget_kind: str = "quarter"):
    rng = np.random.default_rng(seed)
    n_r, n_c, n_q = 3, 4, 4
    cost = rng.uniform(500, 3000, size=(n_r, n_c))
    hire_rates = rng.uniform(0.2, 0.9, size=(n_r, n_c))
    target = rng.integers(1, 8, size=(n_r, n_q)).astype(float)
    capacity = np.full((n_c, n_q), 12.0)
    capacity[1, 2] = np.inf  # a channel-quarter without a limit gets no row
    budget = np.full(n_q, 150_000.0) if budget_kind == "quarter" else 600_000.0
    return cost, hire_rates, target, capacity, budget


def _dense_reference(cost, hire_rates, target, capacity, budget):
    """The same matrix built the slow, obvious way, to check the vectorized builder against."""
    n_r, n_c = cost.shape
    n_q = target.shape[1]
    col = {(r, c, q): (r * n_c + c) * n_q + q for r in range(n_r) for c in range(n_c) for q in range(n_q)}
    rows, rhs = [], []
    for r in range(n_r):
        for q in range(n_q):
            row = np.zeros(len(col))
            for c in range(n_c):
                row[col[r, c, q]] = -hire_rates[r, c]
            rows.append(row)
            rhs.append(-target[r, q])
    for c in range(n_c):
        for q in range(n_q):
            if np.isfinite(capacity[c, q]):
                row = np.zeros(len(col))
                for r in range(n_r):
                    row[col[r, c, q]] = 1
                rows.append(row)
                rhs.append(capacity[c, q])
    for q in range(n_q):
        row = np.zeros(len(col))
        for r in range(n_r):
            for c in range(n_c):
                row[col[r, c, q]] = cost[r, c]
        rows.append(row)
        rhs.append(budget[q])
    return np.array(rows), np.array(rhs)


def test_multi_period_matrix_shape_and_entries():
    cost, hire_rates, target, capacity, budget = _small_instance()
    model = build_multi_period(cost, hire_rates, target, capacity=capacity, budget=budget)
    n_r, n_c, n_q = 3, 4, 4
    n = n_r * n_c * n_q
    assert model.shape == (n_r * n_q + (n_c * n_q - 1) + n_q, n)
    assert sparse.issparse(model.A_ub)
    assert model.A_ub.format == "csr"
    assert model.A_ub.nnz == n + (n - n_r) + n
    assert (model.n_hires_rows, model.n_capacity_rows, model.n_budget_rows) == (12, 15, 4)
    dense, rhs = _dense_reference(cost, hire_rates, target, capacity, budget)
    np.testing.assert_allclose(model.A_ub.toarray(), dense)
    np.testing.assert_allclose(model.b_ub, rhs)
    assert len(model.row_labels()) == model.shape[0]
    assert model.row_labels()[0] == "hires[role 1, Q1]"
    assert model.variable_index()[5] == ("role 1", "channel 2", "Q2")


def test_multi_period_solution_satisfies_every_constraint():
    cost, hire_rates, target, capacity, budget = _small_instance()
    model = build_multi_period(cost, hire_rates, target, capacity=capacity, budget=budget)
    plan = model.solve()
    assert plan.status == "optimal"
    x = plan.x
    assert (x >= -FEAS_TOL).all()
    assert (model.A_ub @ x <= model.b_ub + FEAS_TOL * np.maximum(1, np.abs(model.b_ub))).all()
    assert float(plan.objective) == pytest.approx(model.c @ x, rel=REL)
    # Per role and quarter, the plan's expected hires reach the target.
    hires = plan.table.groupby(["role", "quarter"], observed=True)["expected hires"].sum().to_numpy()
    assert (hires >= target.ravel() - FEAS_TOL).all()
    # The same LP solved densely by linprog has the same optimal value.
    dense, rhs = _dense_reference(cost, hire_rates, target, capacity, budget)
    reference = linprog(model.c, A_ub=dense, b_ub=rhs, bounds=(0, None), method="highs")
    assert float(plan.objective) == pytest.approx(reference.fun, rel=REL)
    assert (plan.constraints.loc[plan.constraints["kind"] == "hires", "shadow price"] > 0).all()


def test_multi_period_yearly_budget_integer_and_infeasible():
    cost, hire_rates, target, capacity, _ = _small_instance(budget_kind="year")
    model = build_multi_period(cost, hire_rates, target, capacity=capacity, budget=600_000.0)
    assert model.n_budget_rows == 1
    assert model.row_labels()[-1] == "budget[year]"
    lp_plan = model.solve()
    whole = model.solve(integer=True)
    assert whole.status == "optimal"
    assert np.allclose(whole.x, np.round(whole.x))
    assert (model.A_ub @ whole.x <= model.b_ub + FEAS_TOL).all()
    assert float(whole.objective) >= float(lp_plan.objective) - 1e-6

    tight = build_multi_period(cost, hire_rates, target * 100, capacity=capacity)
    plan = tight.solve()
    assert plan.status == "infeasible"
    assert "in Q1 the roles need" in plan.message

    poor = build_multi_period(cost, hire_rates, target, budget=np.full(4, 10.0))
    assert "above that quarter's budget" in poor.solve().message


def test_multi_period_per_channel_inputs_and_labels():
    model = build_multi_period(
        cost=[2000, 1000, 1500],
        hire_rates=[0.8, 0.5, 0.6],
        target=[[10, 20]],
        roles=["ML engineer"],
        channels=["school", "social media", "technical forums"],
        quarters=["H1", "H2"],
    )
    assert model.shape == (2, 6)
    plan = model.solve()
    assert float(plan.objective) == pytest.approx(30 * 2000)
    assert set(plan.table.loc[plan.table["candidates"] > 0, "channel"]) == {"social media"}
    assert plan.binding == ("hires[ML engineer, H1]", "hires[ML engineer, H2]")


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"target": [1, 2, 3]}, ValueError, r"target must have shape \(roles, quarters\)"),
        ({"cost": [1000, 2000]}, ValueError, r"hire_rates has shape \(3,\); expected one of"),
        ({"cost": [0, 1000, 1500]}, ValueError, r"cost must be finite and > 0"),
        ({"hire_rates": [0.8, 1.5, 0.6]}, ValueError, r"hire_rates must be in \(0, 1\]"),
        ({"target": [[1, -2]]}, ValueError, r"target must be finite and >= 0"),
        ({"capacity": [10, -1, 10]}, ValueError, r"capacity must be >= 0"),
        ({"capacity": [[10, 10, 10]]}, ValueError, r"capacity has shape \(1, 3\)"),
        ({"budget": [1, 2, 3]}, ValueError, r"budget must be a scalar \(yearly\) or have shape \(2,\)"),
        ({"budget": -5}, ValueError, r"budget must be >= 0"),
        ({"cost": [1000, np.nan, 1500]}, ValueError, r"cost contains NaN"),
        ({"roles": ["a", "b"]}, ValueError, r"roles has 2 labels but the data has 1"),
        ({"cost": ["a", "b", "c"]}, TypeError, r"cost must be an array of numbers"),
    ],
)
def test_multi_period_validation(kwargs, error, message):
    arguments = {"cost": [2000, 1000, 1500], "hire_rates": [0.8, 0.5, 0.6], "target": [[10, 20]]} | kwargs
    with pytest.raises(error, match=message):
        build_multi_period(**arguments)


# --- The seed document's original code, for the "spot the error" exercise -------------------------------


def _seed_original_code(b_eq=None, method="simplex", flip_inequality=False):
    """The recruitment LP of 000_e001d94c99683f10.txt, section 5.2, as written (comments translated).

    The keyword arguments let a test repair one mistake at a time; with the defaults it is the original.
    """

    # Define the optimization problem
    def objective(x):
        return np.sum(x * np.array([2000, 1000, 1500]))

    def constraints(x):
        return np.array(
            [np.sum(x * np.array([0.8, 0.5, 0.6])) - 50, np.sum(x * np.array([2000, 1000, 1500])) - 1000000]
        )

    # Build the linear programming model
    c = np.array([2000, 1000, 1500])
    A_ub = np.array([[0.8, 0.5, 0.6]])
    b_ub = np.array([50])
    A_eq = np.eye(3)
    b_eq = np.array([50]) if b_eq is None else b_eq
    bounds = [(0, None)] * 3
    if flip_inequality:  # the repair: "at least 50 expected hires" is -0.8 x1 - 0.5 x2 - 0.6 x3 <= -50
        A_ub, b_ub = -A_ub, -b_ub

    # Solve the linear programming problem
    res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=bounds, method=method)

    # Print the optimal solution (the original prints these three lines)
    # print(f"Optimal recruitment plan: {res.x}")
    # print(f"Minimum cost: {res.fun}")
    # print(f"Maximum value: {np.sum(res.x * np.array([0.8, 0.5, 0.6]))}")
    return res


B_EQ_MESSAGE = (
    r"Invalid input for linprog: b_eq must be a 1-D array; b_eq must not have more than one non-singleton "
    r"dimension and the number of rows in A_eq must equal the number of values in b_eq"
)


def test_seed_code_as_written_fails_on_current_scipy():
    # On SciPy versions that still know method='simplex' the first error is b_eq's length; on versions that
    # removed it, the unknown method is rejected first. Either way: a ValueError, never a plan.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(ValueError, match=B_EQ_MESSAGE + r"|Unknown solver 'simplex'"):
            _seed_original_code()


def test_seed_code_b_eq_has_one_value_for_three_equality_rows():
    # Independent of the method: HiGHS rejects it too.
    with pytest.raises(ValueError, match=B_EQ_MESSAGE):
        _seed_original_code(method="highs")


def test_seed_code_method_simplex_is_gone_or_deprecated():
    # COURSE_STANDARD.md says method='simplex' no longer exists. In SciPy 1.17.1 (this venv) it is still
    # accepted but deprecated (its warning still says "will be removed in SciPy 1.11.0"); once removed,
    # linprog raises ValueError("Unknown solver 'simplex'"). Accept exactly those two outcomes.
    rejected = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            _seed_original_code(b_eq=np.full(3, 50))
        except ValueError as error:
            rejected = str(error)
    if rejected is not None:
        assert rejected == "Unknown solver 'simplex'"
    else:
        messages = [str(w.message) for w in caught if issubclass(w.category, DeprecationWarning)]
        assert any("`method='simplex'` is deprecated" in m and "HiGHS" in m for m in messages), messages


def test_seed_code_model_is_wrong_even_once_it_runs():
    # With b_eq repaired and HiGHS: the identity equalities force 50 candidates per channel, i.e. 95 expected
    # hires, but the inequality caps expected hires at 50: infeasible.
    res = _seed_original_code(b_eq=np.full(3, 50), method="highs")
    assert res.status == 2
    # With the inequality turned into "at least 50" as well, it runs but the equalities still fix the plan:
    # 50 candidates per channel, 225,000 USD, against 100,000 USD for the real optimum.
    res = _seed_original_code(b_eq=np.full(3, 50), method="highs", flip_inequality=True)
    assert res.status == 0
    assert res.x == pytest.approx([50, 50, 50])
    assert res.fun == pytest.approx(225_000)
    assert float(plan_min_cost(example_channels(), 50).objective) == pytest.approx(100_000)


# --- Packaging and documentation ------------------------------------------------------------------------


def test_import_lepton_training_stays_light():
    code = "import sys, lepton_training; print(sorted(m for m in ('scipy', 'pandas') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("module", ["validation", "model", "plan", "multi_period"])
def test_docstring_examples_run(module):
    mod = importlib.import_module(f"lepton_training.recruitment.{module}")
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
