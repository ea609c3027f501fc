"""A real nbgrader round trip of module 05 in a temporary course root: release, five submissions, one autograde.

A correct submission; one that returns *other* correct answers (tied optimal plans, another solver call, another
seed and simulation size); one with the common mistakes (a distractor code, a missing budget row, raw marginals,
a truncated integer plan, a plan for the goal in expectation); one that hard-codes the public examples' answers;
and a blank one. The expected scores come from the question definitions, evaluated here in-process on each
submission's answers with the seeds of the instructor's hidden tests.
"""

import json

import pytest
from conftest import (
    cell_source,
    copy_course_root,
    expected_points,
    nbgrader,
    nbgrader_meta,
    submit,
    with_answers,
)

from lepton_training.questions import recruitment_lp

pytestmark = pytest.mark.slow

MODULE = "05-recruitment-lp"
IMPORTS = "from scipy.optimize import Bounds, LinearConstraint, linprog, milp\n"

# Other correct answers: a list of codes in lower case, an equality target, re-solved prices, a reversed milp.
ALTERNATIVES = {
    "q1-answer": "def cost_per_expected_hire(channels):\n"
    "    return pd.Series(channels['cost'].to_numpy() / channels['hire_rate'].to_numpy(),\n"
    "                     index=channels['channel']).iloc[::-1]\n",
    "q2-answer": "errors = ['no_budget', 'at_most_target', 'equal_channels', 'legacy_method', 'b_eq_shape']\n",
    "q3-answer": """
def repaired_plan(channels, target, budget):
    cost = channels["cost"].to_numpy(dtype=float)
    rate = channels["hire_rate"].to_numpy(dtype=float)
    bounds = [(0, cap) for cap in channels["capacity"]]
    res = linprog(cost, A_ub=[cost], b_ub=[budget], A_eq=[rate], b_eq=[target], bounds=bounds)
    if res.status == 0:  # another optimal plan where channels tie: the same cost, halfway to the other order
        flipped = linprog(cost[::-1], A_ub=[cost[::-1]], b_ub=[budget], A_eq=[rate[::-1]], b_eq=[target],
                          bounds=bounds[::-1])
        res.x = 0.5 * (res.x + flipped.x[::-1])
        res.fun = float(cost @ res.x)
    return res
""",
    "q4-answer": """
def shadow_prices(channels, target):
    def cost_at(table, t):
        bounds = [(0, cap) for cap in table["capacity"]]
        return linprog(table["cost"], A_ub=[-table["hire_rate"]], b_ub=[-t], bounds=bounds).fun

    base, step = cost_at(channels, target), 1e-3
    values = {}
    for i, name in enumerate(channels["channel"]):
        more = channels.copy()
        more.loc[more.index[i], "capacity"] += step
        values[name] = 0.0 if np.isinf(more["capacity"].iloc[i]) else (base - cost_at(more, target)) / step
    return (cost_at(channels, target + step) - base) / step, pd.Series(values)
""",
    "q5-answer": """
def whole_candidate_plan(channels, target):
    reversed_table = channels.iloc[::-1]
    res = milp(
        reversed_table["cost"].to_numpy(dtype=float),
        integrality=np.ones(len(channels)),
        bounds=Bounds(0, reversed_table["capacity"].to_numpy(dtype=float)),
        constraints=LinearConstraint(reversed_table["hire_rate"].to_numpy(dtype=float), target, np.inf),
    )
    return np.rint(res.x)[::-1]
""",
    "q6-answer": """
def safe_plan(channels, goal, confidence):
    sim = np.random.default_rng(2024)
    rate = channels["hire_rate"].to_numpy(dtype=float)
    target = goal
    while True:
        plan = whole_candidate_plan(channels, target)
        hires = sim.binomial(plan.astype(int), rate, size=(50_000, len(rate))).sum(axis=1)
        if (hires >= goal).mean() >= confidence:
            return plan
        target += 0.5
""",
}

# The common mistakes, one per exercise.
MISTAKES = {
    "q1-answer": "def cost_per_expected_hire(channels):\n"
    "    table = channels.set_index('channel')\n    return table['hire_rate'] / table['cost']\n",
    "q2-answer": "errors = {'B_EQ_SHAPE', 'LEGACY_METHOD', 'EQUAL_CHANNELS', 'AT_MOST_TARGET', 'UNBOUNDED'}\n",
    "q3-answer": """
def repaired_plan(channels, target, budget):
    bounds = [(0, cap) for cap in channels["capacity"]]
    return linprog(channels["cost"], A_ub=[-channels["hire_rate"]], b_ub=[-target], bounds=bounds)
""",
    "q4-answer": """
def shadow_prices(channels, target):
    bounds = [(0, cap) for cap in channels["capacity"]]
    res = linprog(channels["cost"], A_ub=[-channels["hire_rate"]], b_ub=[-target], bounds=bounds)
    return res.ineqlin.marginals[0], pd.Series(res.upper.marginals, index=channels["channel"])
""",
    "q5-answer": """
def whole_candidate_plan(channels, target):
    res = milp(
        channels["cost"].to_numpy(dtype=float),
        integrality=np.ones(len(channels)),
        bounds=Bounds(0, channels["capacity"].to_numpy(dtype=float)),
        constraints=LinearConstraint(channels["hire_rate"].to_numpy(dtype=float), target, np.inf),
    )
    return res.x.astype(int)
""",
    "q6-answer": "def safe_plan(channels, goal, confidence):\n    return whole_candidate_plan(channels, goal)\n",
}

# Answer cells of a learner who hard-coded the public examples' answers.
HARD_CODED = {
    "q1-answer": "def cost_per_expected_hire(channels):\n"
    "    return pd.Series([2000.0, 2500.0, 2800.0, 3000.0], index=['referrals', 'job boards', 'meetups', 'agency'])\n",
    "q3-answer": "def repaired_plan(channels, target, budget):\n"
    "    return linprog([1200, 500, 1400, 2700], A_ub=[[-0.6, -0.2, -0.5, -0.9], [1200, 500, 1400, 2700]],\n"
    "                   b_ub=[-30, budget], bounds=[(0, 30), (0, 120), (0, 60), (0, None)])\n",
    "q4-answer": "def shadow_prices(channels, target):\n"
    "    return 2500.0, pd.Series([300.0, 0.0, 0.0, 0.0], index=['referrals', 'job boards', 'meetups', 'agency'])\n",
    "q5-answer": "def whole_candidate_plan(channels, target):\n    return np.array([30.0, 70.0, 0.0, 0.0])\n",
    "q6-answer": "def safe_plan(channels, goal, confidence):\n    return np.array([30.0, 120.0, 0.0, 0.0])\n",
}


def test_release_submit_autograde(tmp_path, jupyter_env):
    root = copy_course_root(tmp_path, [MODULE])
    jupyter_env.pop("LEPTON_GRADEBOOK_URL", None)

    generated = nbgrader(root, jupyter_env, "generate_assignment", MODULE, "--force")
    assert generated.returncode == 0, generated.stderr[-3000:]
    release = json.loads((root / "course" / MODULE / f"{MODULE}.ipynb").read_text())
    source = json.loads((root / "solutions" / MODULE / f"{MODULE}.ipynb").read_text())

    solutions = {
        nbgrader_meta(c)["grade_id"]: cell_source(c) for c in source["cells"] if nbgrader_meta(c).get("solution")
    }

    def replacing(answers):
        # A replaced answer cell loses the import line the release keeps above the function: put it back.
        return {**solutions, **{grade_id: IMPORTS + code for grade_id, code in answers.items()}}

    alternatives, mistakes = replacing(ALTERNATIVES), replacing(MISTAKES)
    hard_coded = replacing(HARD_CODED)  # the correct answers wherever nothing was hard-coded

    exercises = recruitment_lp.exercises
    total = exercises.total_points
    assert expected_points(solutions, source, exercises) == pytest.approx(total)
    assert expected_points(alternatives, source, exercises) == pytest.approx(total)
    mistaken_points = expected_points(mistakes, source, exercises)
    assert mistaken_points < total / 2
    hard_coded_points = expected_points(hard_coded, source, exercises)
    assert hard_coded_points < total - 3

    submit(root, MODULE, "alice", with_answers(release, solutions))  # correct
    submit(root, MODULE, "tia", with_answers(release, alternatives))  # other correct answers
    submit(root, MODULE, "mo", with_answers(release, mistakes))  # common mistakes
    submit(root, MODULE, "carol", with_answers(release, hard_coded))  # hard-coded answers
    submit(root, MODULE, "bob", release)  # blank

    graded = nbgrader(root, jupyter_env, "autograde", MODULE, "--create")
    log = graded.stdout + graded.stderr

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course_id="lepton-training") as gb:
        scores = {s.student.id: s.score for s in gb.assignment_submissions(MODULE)}
        max_score = gb.find_assignment(MODULE).max_score

    assert max_score == total
    assert scores["alice"] == pytest.approx(total), log[-3000:]
    assert scores["tia"] == pytest.approx(total), log[-3000:]
    assert scores["mo"] == pytest.approx(mistaken_points, abs=1e-3), log[-3000:]
    assert scores["carol"] == pytest.approx(hard_coded_points, abs=1e-3), log[-3000:]
    assert scores["bob"] == 0
