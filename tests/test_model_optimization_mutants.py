"""Near misses of module 02's answers lose points, each with a message that names the mistake; alternative correct
answers (another library, another solver, another order of work) earn full marks; hard-coded answers pass the
public check at most and lose points when graded; an object that claims to equal everything is invalid."""

import math

import numpy as np
import pytest
from scipy.optimize import minimize
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline

from lepton_training.optimization import skill_gain
from lepton_training.questions.model_optimization import C_GRID, q1, q2, q3, q4, q5, q6

HIDDEN = 99


def grade_fails(question, fn, phrase):
    """The answer loses points, and the explanation names the mistake."""
    score = question.grade(fn, hidden=HIDDEN)
    text = str(score.explanation())
    assert score.points < question.points, text
    assert phrase in text, text
    return score


def full_marks(question, fn):
    score = question.grade(fn, hidden=HIDDEN)
    assert score.points == question.points, score.explanation()


class EqualsEverything:
    def __eq__(self, other):
        return True

    __hash__ = object.__hash__


# --- q1 ------------------------------------------------------------------------------------------------------------


def loss_and_grad(w, X, y, alpha, *, sign=1.0, mean=True, pen_intercept=False, half=True, stable=True, penalty=True):
    z = X @ w
    p = 1 / (1 + np.exp(-z))
    pen = w.copy()
    if not pen_intercept:
        pen[0] = 0.0
    n = len(y) if mean else 1
    if stable:
        data = np.sum(np.logaddexp(0, z) - y * z) / n
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            data = -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)) / n
    factor = (0.5 if half else 1.0) * alpha if penalty else 0.0
    loss = data + factor * np.sum(pen**2)
    grad = sign * X.T @ (p - y) / n + (2 * factor) * pen
    return loss, grad


def q1_reference(w, X, y, alpha):
    return loss_and_grad(w, X, y, alpha)


Q1_MUTANTS = {
    "sign flipped": (lambda w, X, y, a: loss_and_grad(w, X, y, a, sign=-1.0), "sign is flipped"),
    "sum not mean": (lambda w, X, y, a: loss_and_grad(w, X, y, a, mean=False), "not the sum"),
    "intercept penalized": (lambda w, X, y, a: loss_and_grad(w, X, y, a, pen_intercept=True), "intercept"),
    "penalty without 1/2": (lambda w, X, y, a: loss_and_grad(w, X, y, a, half=False), "twice too large"),
    "no penalty": (lambda w, X, y, a: loss_and_grad(w, X, y, a, penalty=False), "penalty is missing"),
    "log of sigmoid": (lambda w, X, y, a: loss_and_grad(w, X, y, a, stable=False), "np.logaddexp"),
    "hard-coded": (lambda w, X, y, a: (0.5, np.zeros(len(w))), "too"),
    "no return": (lambda w, X, y, a: None, "forget a `return`"),
}


@pytest.mark.parametrize("name", sorted(Q1_MUTANTS))
def test_q1_mutants(name):
    fn, phrase = Q1_MUTANTS[name]
    grade_fails(q1, fn, phrase)


def test_q1_gradient_wrong_against_its_own_loss():
    def sloppy(w, X, y, alpha):
        loss, grad = q1_reference(w, X, y, alpha)
        return loss, grad + 0.01

    grade_fails(q1, sloppy, "numerical gradient of your own loss")


def test_q1_alternatives_and_hostile_answers():
    def via_probabilities(w, X, y, alpha):  # the textbook formula, clipped: exact where it matters
        p = np.clip(1 / (1 + np.exp(-(X @ w))), 1e-300, 1 - 1e-16)
        z = X @ w
        loss = np.mean(np.where(y == 1, np.logaddexp(0, -z), np.logaddexp(0, z)))
        reg = np.r_[0.0, w[1:]]
        return float(loss + alpha / 2 * reg @ reg), list(X.T @ (p - y) / len(y) + alpha * reg)

    full_marks(q1, via_probabilities)
    assert q1.grade(lambda w, X, y, a: EqualsEverything(), hidden=HIDDEN).points == 0

    def in_place(w, X, y, alpha):
        w[0] = 0.0
        return q1_reference(w, X, y, alpha)

    grade_fails(q1, in_place, "changed the weights")


# --- q2 ------------------------------------------------------------------------------------------------------------


def descent(
    X,
    y,
    lr,
    n_steps,
    tol,
    *,
    ascent=False,
    no_start=False,
    never_diverges=False,
    converged_always=False,
    loss_rule=False,
    previous_loss=False,
):
    w = np.zeros(X.shape[1])
    loss, grad = q1_reference(w, X, y, 0.0)
    history = [] if no_start else [loss]
    first = loss
    for _ in range(n_steps):
        if (not loss_rule and np.linalg.norm(grad) < tol) or (
            loss_rule and len(history) > 1 and abs(history[-1] - history[-2]) < tol
        ):
            return w, history, "converged"
        w = w + lr * grad if ascent else w - lr * grad
        loss, grad = q1_reference(w, X, y, 0.0)
        history.append(loss)
        if previous_loss:
            first = history[-2]  # the mistake: compares with the loss one step before
        if not never_diverges and (not math.isfinite(loss) or loss > first):
            return w, history, "converged" if converged_always else "diverged"
    return w, history, "converged" if converged_always else "max steps"


Q2_MUTANTS = {
    "ascent": (dict(ascent=True), "w = w - learning_rate * gradient"),
    "no starting loss": (dict(no_start=True), "loss at the starting weights"),
    "never reports divergence": (dict(never_diverges=True), "report 'diverged'"),
    "diverged reported as converged": (dict(converged_always=True), "reports 'converged' on a run that diverged"),
    "stops on the loss change": (dict(loss_rule=True), "not on how much the loss"),
    "diverges above the previous loss": (dict(previous_loss=True), "not with the previous one"),
}


def test_q2_previous_loss_rule_loses_points_at_every_seed():
    def previous(X, y, lr, n, tol):
        return descent(X, y, lr, n, tol, previous_loss=True)

    for seed in range(20):
        score = q2.grade(previous, hidden=seed)
        assert score.points < q2.points, f"seed {seed}"
        assert "not with the previous one" in str(score.explanation()), f"seed {seed}"


def test_q2_the_bouncing_case_is_what_its_description_says():
    from lepton_training.optimization import gradient_descent
    from lepton_training.questions.model_optimization import _rises_below_start

    _, history, status = gradient_descent(*q2.bouncing_case())
    assert status == "max steps" and _rises_below_start(history)


@pytest.mark.parametrize("name", sorted(Q2_MUTANTS))
def test_q2_mutants(name):
    options, phrase = Q2_MUTANTS[name]
    grade_fails(q2, lambda X, y, lr, n, tol: descent(X, y, lr, n, tol, **options), phrase)


def test_q2_public_check_names_a_divergence_reported_as_converged():
    result = q2.check(lambda X, y, lr, n, tol: descent(X, y, lr, n, tol, converged_always=True))
    assert not result.passed and "diverged" in result.message


def test_q2_alternatives():
    def as_arrays(X, y, lr, n_steps, tol):  # history as an array, a while loop, the norm written out
        w, history, status = descent(X, y, lr, n_steps, tol)
        return list(w), np.array(history), status

    full_marks(q2, as_arrays)
    grade_fails(q2, lambda X, y, lr, n, tol: (np.zeros(X.shape[1]), [0.693], "converged"), "")


def test_q2_one_step_is_singular():
    text = str(
        q2.grade(lambda X, y, lr, n, tol: descent(X, y, lr, n, tol, converged_always=True), hidden=HIDDEN).explanation()
    )
    assert "after 1 steps" not in text


# --- q3 ------------------------------------------------------------------------------------------------------------


def minimize_route(X, y, alpha, *, scale=1.0, pen_intercept=False):
    X1 = np.column_stack([np.ones(len(X)), X])
    res = minimize(
        lambda w: loss_and_grad(w, X1, y, alpha * scale, pen_intercept=pen_intercept), np.zeros(X1.shape[1]), jac=True
    )
    return res.x


def sklearn_route(X, y, alpha, C=None):
    model = LogisticRegression(C=C if C is not None else 1 / (len(y) * alpha)).fit(X, y)
    return np.r_[model.intercept_, model.coef_.ravel()]


def test_q3_alternatives():
    full_marks(q3, minimize_route)
    full_marks(q3, sklearn_route)
    full_marks(q3, lambda X, y, a: list(sklearn_route(X, y, a)))  # a list is as good as an array

    def lbfgsb(X, y, alpha):
        X1 = np.column_stack([np.ones(len(X)), X])
        return minimize(q1_reference, np.zeros(X1.shape[1]), args=(X1, y, alpha), jac=True, method="L-BFGS-B").x

    full_marks(q3, lbfgsb)


Q3_MUTANTS = {
    "C = 1 / alpha": (lambda X, y, a: sklearn_route(X, y, a, C=1 / a), "C = 1 / (n * alpha), not 1 / alpha"),
    "alpha times n": (lambda X, y, a: minimize_route(X, y, a, scale=len(y)), "times stronger"),
    "intercept penalized": (lambda X, y, a: minimize_route(X, y, a, pen_intercept=True), "penalize the intercept"),
    "no penalty": (lambda X, y, a: minimize_route(X, y, a, scale=0.0), "without any penalty"),
    "intercept last": (lambda X, y, a: np.roll(minimize_route(X, y, a), -1), "intercept should come first"),
    "intercept missing": (lambda X, y, a: minimize_route(X, y, a)[1:], "intercept is missing"),
    "sklearn default C": (lambda X, y, a: sklearn_route(X, y, a, C=1.0), "not the minimizer"),
}


@pytest.mark.parametrize("name", sorted(Q3_MUTANTS))
def test_q3_mutants(name):
    fn, phrase = Q3_MUTANTS[name]
    grade_fails(q3, fn, phrase)


def test_q3_hard_coded():
    from lepton_training.questions.model_optimization import logistic_data

    X, y = logistic_data(150, 3, seed=404, intercept=-1.0)
    answer = minimize_route(X, y, 0.05)
    hard_coded = lambda X, y, a: answer.copy()  # noqa: E731
    assert q3.check(hard_coded).passed
    assert q3.grade(hard_coded, hidden=HIDDEN).points < q3.points


# --- q4 ------------------------------------------------------------------------------------------------------------


def pipe(C=1.0):
    return make_pipeline(TfidfVectorizer(), LogisticRegression(C=C, max_iter=1000))


def tune_reference(train, test):
    search = GridSearchCV(pipe(), {"logisticregression__C": list(C_GRID)}, cv=5).fit(
        train["comment"], train["positive"]
    )
    return {
        "C": search.best_params_["logisticregression__C"],
        "cv_accuracy": search.best_score_,
        "test_accuracy": search.score(test["comment"], test["positive"]),
    }


def tune_by_hand(train, test):  # a loop over C with cross_val_score, ties to the larger C
    scores = {C: cross_val_score(pipe(C), train["comment"], train["positive"], cv=5).mean() for C in C_GRID}
    best = max(scores.values())
    C = max(c for c, s in scores.items() if math.isclose(s, best, abs_tol=1e-12))
    model = pipe(C).fit(train["comment"], train["positive"])
    return {
        "C": C,
        "cv_accuracy": scores[C],
        "test_accuracy": float((model.predict(test["comment"]) == test["positive"]).mean()),
    }


def tune_on(train, test, choose):
    scores = {}
    for C in C_GRID:
        model = pipe(C).fit(train["comment"], train["positive"])
        scores[C] = choose(model, train, test)
    C = max(scores, key=scores.get)
    model = pipe(C).fit(train["comment"], train["positive"])
    cv = cross_val_score(pipe(C), train["comment"], train["positive"], cv=5).mean()
    return {"C": C, "cv_accuracy": cv, "test_accuracy": model.score(test["comment"], test["positive"])}


def test_q4_alternatives():
    full_marks(q4, tune_reference)
    full_marks(q4, tune_by_hand)


Q4_MUTANTS = {
    "tuned on the test data": (
        lambda tr, te: tune_on(tr, te, lambda m, tr, te: m.score(te["comment"], te["positive"])),
        "test data were used for tuning",
    ),
    "tuned on the training accuracy": (
        lambda tr, te: tune_on(tr, te, lambda m, tr, te: m.score(tr["comment"], tr["positive"])),
        "overfits",
    ),
    "cv score reported as the test score": (
        lambda tr, te: {**tune_reference(tr, te), "test_accuracy": tune_reference(tr, te)["cv_accuracy"]},
        "`test_accuracy` is the cross-validated accuracy",
    ),
    "test score reported as the cv score": (
        lambda tr, te: {**tune_reference(tr, te), "cv_accuracy": tune_reference(tr, te)["test_accuracy"]},
        "`cv_accuracy` is the accuracy on the test data",
    ),
    "C outside the grid": (lambda tr, te: {**tune_reference(tr, te), "C": 3.0}, "not one of the values searched"),
}


@pytest.mark.parametrize("name", sorted(Q4_MUTANTS))
def test_q4_mutants(name):
    fn, phrase = Q4_MUTANTS[name]
    grade_fails(q4, fn, phrase)


def test_q4_hard_coded():
    from lepton_training.questions.model_optimization import sentiment_split

    public = tune_reference(*sentiment_split(450, 31, 200))
    hard_coded = lambda tr, te: dict(public)  # noqa: E731
    assert q4.grade(hard_coded, hidden=HIDDEN).points < q4.points


# --- q5 ------------------------------------------------------------------------------------------------------------


def audit(allocations, E, N, K, *, constant=None, flip=False):
    m = allocations.shape[1]
    T = allocations.sum(axis=1)
    values = T / E if flip else N * K * m * E / (N * K * m * T)
    same = bool(np.allclose(values, values[0])) if constant is None else constant
    return {"values": values, "constant": same}


def test_q5():
    full_marks(q5, audit)
    full_marks(q5, lambda a, E, N, K: {"values": list(E / a.sum(axis=1)), "constant": bool(np.ptp(a.sum(axis=1)) == 0)})
    grade_fails(q5, lambda a, E, N, K: audit(a, E, N, K, flip=True), "upside down")
    grade_fails(q5, lambda a, E, N, K: audit(a, E, N, K, constant=True), "yet 'constant' says True")
    grade_fails(q5, lambda a, E, N, K: audit(a, E, N, K, constant=False), "yet 'constant' says False")
    grade_fails(q5, lambda a, E, N, K: {"values": np.full(len(a), 1 / 30), "constant": True}, "")
    assert q5.grade(lambda a, E, N, K: EqualsEverything(), hidden=HIDDEN).points == 0


# --- q6 ------------------------------------------------------------------------------------------------------------


def allocate(skills, budget, *, sign=-1.0, ineq=None, bounds=True, linear=False):
    w, a = skills["weight"].to_numpy(), skills["max_gain"].to_numpy()
    s, cap = skills["hours_scale"].to_numpy(), skills["max_hours"].to_numpy()

    def objective(h):
        gain = w * a * h / s if linear else w * skill_gain(h, a, s)
        return sign * float(np.sum(gain))

    fun = ineq or (lambda h: budget - h.sum())
    res = minimize(
        objective,
        np.minimum(cap, budget / len(cap)),
        method="SLSQP",
        bounds=list(zip(0 * cap, cap, strict=True)) if bounds else None,
        constraints=[{"type": "ineq", "fun": fun}],
    )
    return res.x


def test_q6_alternatives():
    full_marks(q6, allocate)

    def trust_constr(skills, budget):
        from scipy.optimize import Bounds, LinearConstraint

        w, a = skills["weight"].to_numpy(), skills["max_gain"].to_numpy()
        s, cap = skills["hours_scale"].to_numpy(), skills["max_hours"].to_numpy()
        res = minimize(
            lambda h: -np.sum(w * a * (1 - np.exp(-h / s))),
            np.zeros(len(cap)),
            jac=lambda h: -w * a / s * np.exp(-h / s),
            method="trust-constr",
            bounds=Bounds(0 * cap, cap),
            constraints=[LinearConstraint(np.ones((1, len(cap))), -np.inf, budget)],
            options={"gtol": 1e-10, "xtol": 1e-12},
        )
        return np.clip(res.x, 0, cap)

    full_marks(q6, trust_constr)


Q6_MUTANTS = {
    "maximizes nothing (minimize the gain)": (dict(sign=1.0), "minimize minus the weighted gain"),
    "constraint written backwards": (dict(ineq=None, bounds=True), None),
    "linear gains": (dict(linear=True), "diminishing returns"),
    "no bounds": (dict(bounds=False), "max_hours"),
}


@pytest.mark.parametrize("name", ["maximizes nothing (minimize the gain)", "linear gains"])
def test_q6_mutants(name):
    options, phrase = Q6_MUTANTS[name]
    grade_fails(q6, lambda sk, b: allocate(sk, b, **options), phrase)


def test_q6_constraint_mistakes():
    backwards = lambda sk, b: allocate(sk, b, ineq=lambda h: h.sum() - b)  # noqa: E731
    grade_fails(q6, backwards, "'ineq' constraint means fun(hours) >= 0")
    grade_fails(q6, lambda sk, b: allocate(sk, b, bounds=False), "")
    grade_fails(q6, lambda sk, b: -allocate(sk, b), "cannot be negative")
    assert q6.grade(lambda sk, b: EqualsEverything(), hidden=HIDDEN).points == 0


def test_q6_hard_coded():
    from lepton_training.questions.model_optimization import q6 as question

    public = allocate(question._public_skills(), 20.0)
    hard_coded = lambda sk, b: public.copy()  # noqa: E731
    assert q6.check(hard_coded).passed
    assert q6.grade(hard_coded, hidden=HIDDEN).points < q6.points
