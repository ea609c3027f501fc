"""The domain code of module 02: the loss and its gradient, gradient descent, the match with SciPy and
scikit-learn, and the training-hours allocation (the source documents' objective and the sound model)."""

import numpy as np
import pytest
from scipy.optimize import minimize
from sklearn.linear_model import LogisticRegression

from lepton_training.optimization import (
    C_for_alpha,
    allocate_training_hours,
    alpha_for_C,
    example_skills,
    fit_penalized,
    gradient_descent,
    logistic_loss_and_gradient,
    numerical_gradient,
    sigmoid,
    skill_gain,
    source_objective,
    weighted_gain,
)
from lepton_training.questions.model_optimization import logistic_data


def data(n=200, p=3, seed=0, intercept=0.0):
    X, y = logistic_data(n, p, seed=seed, intercept=intercept)
    return X, np.column_stack([np.ones(n), X]), y


def test_sigmoid_is_stable_and_symmetric():
    z = np.array([-800.0, -30.0, 0.0, 30.0, 800.0])
    s = sigmoid(z)
    assert np.isfinite(s).all()
    np.testing.assert_allclose(s + sigmoid(-z), 1.0)


@pytest.mark.parametrize("alpha", [0.0, 0.3])
def test_gradient_matches_central_differences(alpha):
    _, X1, y = data()
    w = np.random.default_rng(1).normal(size=X1.shape[1])
    loss, grad = logistic_loss_and_gradient(w, X1, y, alpha)
    numeric = numerical_gradient(lambda v: logistic_loss_and_gradient(v, X1, y, alpha)[0], w)
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-9)


def test_loss_is_the_textbook_log_loss_and_finite_for_large_scores():
    _, X1, y = data(50)
    w = np.array([0.2, -0.5, 0.3, 0.1])
    p = sigmoid(X1 @ w)
    textbook = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert logistic_loss_and_gradient(w, X1, y)[0] == pytest.approx(textbook, rel=1e-12)
    loss, grad = logistic_loss_and_gradient(np.array([0.0, 400.0]), np.array([[1.0, 2.0]]), np.array([0]))
    assert loss == pytest.approx(800.0) and np.isfinite(grad).all()


def test_the_intercept_is_not_penalized():
    _, X1, y = data()
    w = np.array([5.0, 0.0, 0.0, 0.0])
    assert logistic_loss_and_gradient(w, X1, y, 10.0)[0] == logistic_loss_and_gradient(w, X1, y, 0.0)[0]


def test_gradient_descent_statuses():
    _, X1, y = data()
    w, history, status = gradient_descent(X1, y, 2.0, 5000, 1e-6)
    assert status == "converged" and np.all(np.diff(history) <= 1e-15)
    assert np.linalg.norm(logistic_loss_and_gradient(w, X1, y)[1]) < 1e-6
    w, history, status = gradient_descent(X1, y, 60.0, 5000, 1e-6)
    assert status == "diverged" and history[-1] > history[0]
    w, history, status = gradient_descent(X1, y, 0.1, 7, 1e-6)
    assert status == "max steps" and len(history) == 8


def test_gradient_descent_agrees_with_minimize_and_sklearn():
    X, X1, y = data(300, 2, seed=3)
    alpha = 0.02
    w_gd, _, status = gradient_descent(X1, y, 3.0, 20_000, 1e-9, alpha=alpha)
    assert status == "converged"
    w_min = fit_penalized(X, y, alpha)
    model = LogisticRegression(C=C_for_alpha(alpha, len(y)), tol=1e-10, max_iter=10_000).fit(X, y)
    w_sk = np.r_[model.intercept_, model.coef_.ravel()]
    np.testing.assert_allclose(w_gd, w_min, atol=1e-7)
    np.testing.assert_allclose(w_sk, w_min, atol=1e-6)


def test_C_and_alpha_are_inverse():
    assert alpha_for_C(C_for_alpha(0.01, 250), 250) == pytest.approx(0.01)


def test_source_objective_is_constant_in_the_allocation():
    rng = np.random.default_rng(0)
    plans = rng.dirichlet(np.ones(4), size=10) * 30
    values = source_objective(plans, E=1.0, N=20, K=1)
    np.testing.assert_allclose(values, 1 / 30)


def test_allocation_is_optimal_feasible_and_matches_a_solver():
    skills = example_skills()
    h = allocate_training_hours(skills, 30.0)
    assert h.sum() == pytest.approx(30.0) and (h >= 0).all() and (h <= skills["max_hours"]).all()
    res = minimize(
        lambda x: -weighted_gain(x, skills),
        np.full(4, 7.5),
        method="SLSQP",
        bounds=[(0, 16)] * 4,
        constraints=[{"type": "ineq", "fun": lambda x: 30 - x.sum()}],
    )
    assert weighted_gain(h, skills) >= -res.fun - 1e-9
    # Equal weighted marginal gains where the hours are interior.
    slope = skills["weight"] * skills["max_gain"] / skills["hours_scale"] * np.exp(-h / skills["hours_scale"])
    np.testing.assert_allclose(slope, slope.iloc[0], rtol=1e-8)


def test_allocation_with_caps_and_zero_hours():
    import pandas as pd

    skills = pd.DataFrame(
        {
            "skill": ["a", "b", "c"],
            "weight": [3.0, 1.0, 0.05],
            "max_gain": [40.0, 20.0, 10.0],
            "hours_scale": [20.0, 5.0, 2.0],
            "max_hours": [6.0, 16.0, 16.0],
        }
    )
    h = allocate_training_hours(skills, 15.0)
    assert h[0] == pytest.approx(6.0) and h[2] == pytest.approx(0.0) and h.sum() == pytest.approx(15.0)
    np.testing.assert_allclose(allocate_training_hours(skills, 100.0), skills["max_hours"])
    assert skill_gain(0.0, 10.0, 3.0) == 0.0


def test_questions_module_imports_no_heavy_library():
    import subprocess
    import sys

    code = (
        "import sys; import lepton_training.questions.model_optimization, lepton_training.optimization; "
        "print(sorted(m for m in ('numpy', 'pandas', 'sklearn', 'scipy', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


# --- module 02's data and model choice --------------------------------------------------------------------------


def test_detailed_feedback_is_deterministic_and_matches_its_card():
    from lepton_training.datasets import DETAILED_FEEDBACK_CARD, detailed_feedback
    from lepton_training.datasets.reviews import _detailed

    first, again, other = detailed_feedback(300), detailed_feedback(300), detailed_feedback(300, seed=1)
    assert first.to_csv() == again.to_csv() != other.to_csv()
    assert list(first.columns) == [c.name for c in DETAILED_FEEDBACK_CARD.columns]
    assert first["rating"].between(1, 5).all() and first["comment"].str.len().gt(40).all()
    hidden = _detailed(3000, 2026)
    assert abs(hidden["_noisy"].mean() - 0.10) < 0.02  # the card's label-noise rate
    positive = hidden["rating"] >= 4
    assert ((hidden["_polarity"] > 0) == positive).mean() == pytest.approx(0.90, abs=0.02)
    with pytest.raises(ValueError, match="at least 100"):
        detailed_feedback(50)


def test_detailed_feedback_shows_a_real_optimum_and_overfit():
    """The figures module 02 quotes: the held-out accuracy peaks at a middle C and falls well beyond the fold
    spread at a weak penalty, while the training accuracy nears 100% (what `training_feedback` could not show)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.model_selection import validation_curve
    from sklearn.pipeline import make_pipeline

    from lepton_training.datasets import detailed_feedback

    feedback = detailed_feedback(800, seed=5)
    Cs = np.array([0.01, 1.0, 3.0, 10.0, 1000.0])
    train, val = validation_curve(
        make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000)),
        feedback["comment"],
        (feedback["rating"] >= 4).astype(int),
        param_name="logisticregression__C",
        param_range=Cs,
        cv=5,
    )
    mean = val.mean(axis=1)
    top = int(mean.argmax())
    assert 0 < top < len(Cs) - 1
    assert mean[top] - mean[-1] > 0.04 and (val[top] > val[-1]).all()  # the fall shows in every fold
    assert train.mean(axis=1)[-1] > 0.97 and mean[0] == pytest.approx(train.mean(axis=1)[0], abs=0.02)


def test_nested_time_score_tunes_inside_forward_folds():
    from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from lepton_training.optimization.selection import nested_time_score, shortcut_scores
    from lepton_training.questions.model_optimization import time_ordered_data

    X, y = time_ordered_data(200, 3, seed=11)
    model, grid = make_pipeline(StandardScaler(), LogisticRegression()), {"logisticregression__C": [0.01, 1.0]}
    scores = nested_time_score(model, grid, X, y)
    search = GridSearchCV(model, grid, cv=TimeSeriesSplit(3), scoring="neg_log_loss")
    np.testing.assert_allclose(scores, -cross_val_score(search, X, y, cv=TimeSeriesSplit(4), scoring="neg_log_loss"))
    shortcuts = shortcut_scores(model, grid, X, y)
    np.testing.assert_allclose(shortcuts["sign"], -scores)
    assert (shortcuts["chosen on test"] <= scores + 1e-12).all()  # choosing on the test block flatters
