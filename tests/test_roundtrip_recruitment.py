"""A real nbgrader round trip of module 05 in a temporary course root: release, four submissions, autograde.

A correct submission, one that returns *other* optimal plans (tied channels), one that hard-codes the public
examples' answers and a blank one. The expected scores come from the question definitions, evaluated here
in-process on each submission's answers with the seeds of the instructor's hidden tests.
"""

import inspect
import json

import numpy as np
import pytest
import test_recruitment_mutants as mutants
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

# Other optimal answers: plans that differ from what HiGHS returns wherever channels tie.
TIED_ALTERNATIVES = {
    # Halfway between two greedy plans that break ties in opposite orders: optimal, and not a vertex.
    "q3-answer": inspect.getsource(mutants.greedy_plan)
    + "\n\n"
    + inspect.getsource(mutants.midpoint_plan)
    + "\n\ncheapest_plan = midpoint_plan\n",
    "q6-answer": """
def whole_candidate_plan(channels, target):
    reversed_table = channels.iloc[::-1]
    res = milp(
        reversed_table["cost"].to_numpy(dtype=float),
        integrality=np.ones(len(channels)),
        bounds=Bounds(0, reversed_table["capacity"].to_numpy(dtype=float)),
        constraints=LinearConstraint(reversed_table["yield"].to_numpy(dtype=float), target, np.inf),
    )
    return np.round(res.x)[::-1]
""",
}

# Answer cells of a learner who hard-coded the public examples' answers.
HARD_CODED = {
    "q1-answer": "def cost_per_expected_hire(channels):\n"
    "    return pd.Series([2500.0, 2000.0, 2500.0], index=['school', 'social media', 'technical forums'])\n",
    "q2-answer": "def formulate(channels, target):\n"
    "    return np.array([2000.0, 1000.0, 1500.0]), np.array([[-0.8, -0.5, -0.6]]), np.array([-50.0]), "
    "[(0, 60), (0, 40), (0, 60)]\n",
    "q3-answer": "def cheapest_plan(channels, target):\n    return np.array([0.0, 40.0, 50.0])\n",
    "q4-answer": "def target_shadow_price(channels, target):\n    return 2500.0\n",
    "q5-answer": "def solve_seed_model(cost, yields, target, budget):\n"
    "    return linprog([2000, 1000, 1500], A_ub=[[-0.8, -0.5, -0.6]], b_ub=[-50], method='highs')\n",
    "q6-answer": "def whole_candidate_plan(channels, target):\n    return np.array([3.0, 40.0, 59.0])\n",
}


def _namespace(source, answers):
    namespace = {}
    exec(cell_source(next(c for c in source["cells"] if c.get("id") == "setup")), namespace)
    for code in answers.values():
        exec(code, namespace)
    return namespace


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
    tied = {**solutions, **TIED_ALTERNATIVES}

    # The tied submission really returns another plan than the solution on the public tied example.
    reference, alternative = _namespace(source, solutions), _namespace(source, tied)
    table = recruitment_lp.seed_channels(recruitment_lp.SEED_CAPACITY)
    ours, theirs = reference["cheapest_plan"](table, 50.0), alternative["cheapest_plan"](table, 50.0)
    assert not np.allclose(ours, theirs)
    assert float(table["cost"] @ ours) == pytest.approx(float(table["cost"] @ theirs))

    total = recruitment_lp.exercises.total_points
    assert expected_points(tied, source, recruitment_lp.exercises) == pytest.approx(total)
    hard_coded_points = expected_points(HARD_CODED, source, recruitment_lp.exercises)
    assert 0 < hard_coded_points < total / 2

    submit(root, MODULE, "alice", with_answers(release, solutions))  # correct
    submit(root, MODULE, "tia", with_answers(release, tied))  # other optimal plans where channels tie
    submit(root, MODULE, "carol", with_answers(release, HARD_CODED))  # hard-coded answers
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
    assert scores["carol"] == pytest.approx(hard_coded_points, abs=1e-3)
    assert scores["bob"] == 0
