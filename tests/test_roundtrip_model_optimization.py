"""Module 02 through a real nbgrader round trip: release, submissions (correct, alternative-correct, common
mistakes, hard-coded, blank), one autograde call, the gradebook's scores against the question definitions."""

import json

import pytest
from conftest import cell_source, copy_course_root, expected_points, nbgrader, nbgrader_meta, submit, with_answers

from lepton_training.questions import model_optimization

pytestmark = pytest.mark.slow

MODULE = "02-model-optimization"

# Another library or another solver for every answer that allows one.
ALTERNATIVE = {
    "q1-answer": "def logistic_loss_and_gradient(w, X, y, alpha):\n"
    "    z = X @ w\n"
    "    reg = np.r_[0.0, w[1:]]\n"
    "    loss = np.where(y == 1, np.logaddexp(0, -z), np.logaddexp(0, z)).mean() + 0.5 * alpha * reg @ reg\n"
    "    p = np.exp(-np.logaddexp(0, -z))\n"
    "    return loss, X.T @ (p - y) / len(y) + alpha * reg\n",
    "q3-answer": "def read_penalty(curve, n, alpha):\n"
    "    Cs, val = curve['C'].to_numpy(), curve['validation_accuracy'].to_numpy()\n"
    "    best_C = Cs[np.flatnonzero(val == val.max())[-1]]\n"
    "    C = 1 / n / alpha\n"
    "    verdict = 'About right' if C == best_C else ('Under-fits' if C < best_C else 'Overfits')\n"
    "    return {'C': C, 'best_C': best_C, 'verdict': verdict}\n",
    "q4-answer": "from sklearn.feature_extraction.text import TfidfVectorizer\n"
    "from sklearn.linear_model import LogisticRegression\n"
    "from sklearn.model_selection import cross_val_score\n"
    "from sklearn.pipeline import make_pipeline\n\n"
    "C_GRID = [0.01, 0.1, 1, 10, 100]\n\n"
    "def tune_c(train, test):\n"
    "    def pipe(C):\n"
    "        return make_pipeline(TfidfVectorizer(), LogisticRegression(C=C, max_iter=1000))\n"
    "    scores = {C: cross_val_score(pipe(C), train['comment'], train['positive'], cv=5).mean() for C in C_GRID}\n"
    "    C = max(scores, key=scores.get)\n"
    "    model = pipe(C).fit(train['comment'], train['positive'])\n"
    "    return {'C': C, 'cv_accuracy': scores[C], 'test_accuracy': model.score(test['comment'], test['positive'])}\n",
    "q6-answer": "from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score\n\n"
    "def nested_time_score(model, grid, X, y):\n"
    "    search = GridSearchCV(model, grid, cv=TimeSeriesSplit(n_splits=3), scoring='neg_log_loss')\n"
    "    return -cross_val_score(search, X, y, cv=TimeSeriesSplit(n_splits=4), scoring='neg_log_loss')\n",
}

# The common mistakes the checks name: sign flipped, divergence reported as converged, C = 1 / alpha with the C of
# the best training accuracy and a reversed verdict, C tuned on
# the test data, the budget constraint written backwards, one search on all rows reported as a
# nested score.
MISTAKES = {
    "q1-answer": "def logistic_loss_and_gradient(w, X, y, alpha):\n"
    "    z = X @ w\n"
    "    p = 1 / (1 + np.exp(-z))\n"
    "    reg = np.r_[0.0, w[1:]]\n"
    "    return np.mean(np.logaddexp(0, z) - y * z) + alpha / 2 * reg @ reg, X.T @ (y - p) / len(y) + alpha * reg\n",
    "q3-answer": "def read_penalty(curve, n, alpha):\n"
    "    C = 1 / alpha\n"
    "    best_C = curve.loc[curve['train_accuracy'].idxmax(), 'C']\n"
    "    return {'C': C, 'best_C': best_C, 'verdict': 'overfits' if C < best_C else 'underfits'}\n",
    "q6-answer": "from sklearn.model_selection import GridSearchCV, TimeSeriesSplit\n\n"
    "def nested_time_score(model, grid, X, y):\n"
    "    search = GridSearchCV(model, grid, cv=TimeSeriesSplit(n_splits=4), scoring='neg_log_loss').fit(X, y)\n"
    "    return -np.array([search.cv_results_[f'split{k}_test_score'][search.best_index_] for k in range(4)])\n",
}

HARD_CODED = {
    "q5-answer": "def allocate_hours(skills, budget):\n    return np.array([3.6, 4.9, 11.5])\n",
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
    submissions = {
        "alice": solutions,
        "bob": {},
        "carol": {**solutions, **ALTERNATIVE},
        "dave": {**solutions, **MISTAKES},
        "erin": {**solutions, **HARD_CODED},
    }
    for student, answers in submissions.items():
        submit(root, MODULE, student, with_answers(release, answers) if answers else release)

    graded = nbgrader(root, jupyter_env, "autograde", MODULE, "--create")
    log = graded.stdout + graded.stderr

    from nbgrader.api import Gradebook

    exercises = model_optimization.exercises
    total = exercises.total_points
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course_id="lepton-training") as gb:
        scores = {s.student.id: s.score for s in gb.assignment_submissions(MODULE)}
        assert gb.find_assignment(MODULE).max_score == total

    assert scores["alice"] == pytest.approx(total), log[-3000:]
    assert scores["bob"] == 0
    assert scores["carol"] == pytest.approx(total), log[-3000:]
    for student in ("dave", "erin"):
        expected = expected_points(submissions[student], source, exercises)
        assert scores[student] == pytest.approx(expected, abs=1e-3), (student, log[-3000:])
        assert 0 < scores[student] < total
