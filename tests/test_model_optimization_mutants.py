"""Near misses of module 02's answers lose points, each with a message that names the mistake; alternative correct
answers (another library, another solver, another order of work) earn full marks; hard-coded answers pass the
public check at most and lose points when graded; an object that claims to equal everything is invalid."""

import math

import numpy as np
import pytest
from scipy.optimize import minimize
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold, TimeSeriesSplit, cross_val_score
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


def clipped_loss(w, X, y, alpha, eps=1e-15):
    """The textbook log-loss on probabilities clipped to [eps, 1 - eps]: each row's loss is capped at -log(eps)."""
    z = X @ w
    p = np.clip(1 / (1 + np.exp(-z)), eps, 1 - eps)
    reg = np.r_[0.0, w[1:]]
    loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)) + alpha / 2 * reg @ reg
    return float(loss), X.T @ (p - y) / len(y) + alpha * reg


def test_q1_clipped_probabilities_are_named_at_every_seed():
    for seed in range(20):
        for eps in (1e-15, 1e-7):
            score = q1.grade(lambda w, X, y, a, eps=eps: clipped_loss(w, X, y, a, eps), hidden=seed)
            assert score.points < q1.points and "clipped probabilities" in str(score.explanation()), (seed, eps)


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
    "clipped probabilities": (lambda w, X, y, a: clipped_loss(w, X, y, a), "clipped probabilities"),
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


def reading(curve, n, alpha, *, C_rule=None, column="validation_accuracy", reverse=False, verdict=None):
    C = C_rule(n, alpha) if C_rule else 1 / (n * alpha)
    best_C = curve.loc[curve[column].idxmax(), "C"]
    if verdict is None and np.isclose(C, best_C):
        verdict = "about right"
    elif verdict is None:
        verdict = "underfits" if (best_C > C) != reverse else "overfits"
    return {"C": C, "best_C": best_C, "verdict": verdict}


def test_q3_alternatives():
    full_marks(q3, reading)

    def with_numpy(curve, n, alpha):  # NumPy types, the last of tied values, other spellings, exact comparisons
        Cs, val = curve["C"].to_numpy(), curve["validation_accuracy"].to_numpy()
        best_C = Cs[np.flatnonzero(val == val.max())[-1]]
        C = np.float64(1) / n / alpha
        if best_C == C:
            return {"C": C, "best_C": best_C, "verdict": "About right"}
        return {"C": C, "best_C": best_C, "verdict": "Under-fitting" if best_C > C else "Overfit"}

    full_marks(q3, with_numpy)
    for seed in range(20):
        assert q3.grade(with_numpy, hidden=seed).points == q3.points, seed


Q3_MUTANTS = {
    "C = 1 / alpha": (lambda c, n, a: reading(c, n, a, C_rule=lambda n, a: 1 / a), "that is 1 / alpha"),
    "C = alpha": (lambda c, n, a: reading(c, n, a, C_rule=lambda n, a: a), "that is alpha itself"),
    "C = n / alpha": (lambda c, n, a: reading(c, n, a, C_rule=lambda n, a: n / a), "multiplies by n"),
    "C with a factor 2": (lambda c, n, a: reading(c, n, a, C_rule=lambda n, a: 1 / (2 * n * a)), "half the"),
    "best training accuracy": (lambda c, n, a: reading(c, n, a, column="train_accuracy"), "*training* accuracy"),
    "verdict reversed": (lambda c, n, a: reading(c, n, a, reverse=True), "runs the wrong way"),
    "always underfits": (lambda c, n, a: reading(c, n, a, verdict="underfits"), "judged together"),
    "always about right": (lambda c, n, a: reading(c, n, a, verdict="about right"), "judged together"),
}


@pytest.mark.parametrize("name", sorted(Q3_MUTANTS))
def test_q3_mutants(name):
    fn, phrase = Q3_MUTANTS[name]
    grade_fails(q3, fn, phrase)
    for seed in range(20):  # every mistake meets a case that separates it, at every seed
        assert q3.grade(fn, hidden=seed).points <= q3.points * 0.5, (name, seed)


def test_q3_smallest_gap_is_not_the_choice():
    """Choosing the C where training and held-out accuracy are closest picks the most penalized model."""

    def smallest_gap(curve, n, alpha):
        gap = curve["train_accuracy"] - curve["validation_accuracy"]
        return reading(curve.assign(score=-gap), n, alpha, column="score")

    assert not q3.check(smallest_gap).passed
    assert q3.grade(smallest_gap, hidden=HIDDEN).points < q3.points


def test_q3_hard_coded():
    from lepton_training.questions.model_optimization import ReadPenalty

    curve, n, alpha = ReadPenalty.public_cases()[0]
    answer = reading(curve, n, alpha)
    hard_coded = lambda c, n, a: dict(answer)  # noqa: E731
    assert not q3.check(hard_coded).passed
    for seed in range(10):
        assert q3.grade(hard_coded, hidden=seed).points <= q3.points * 0.5, seed


def test_q3_check_does_not_say_which_reading_is_off():
    """With "C" right, every wrong (best_C, verdict) pair gets the same words, but for the two named whole
    misconceptions: flipping the verdict or stepping through the curve's C tells nothing about the other part."""
    from lepton_training.questions.model_optimization import VERDICTS, ReadPenalty

    for curve, n, alpha in ReadPenalty.public_cases():
        right = reading(curve, n, alpha)
        train_best = curve.loc[curve["train_accuracy"].idxmax(), "C"]
        messages = set()
        for best_C in curve["C"]:
            for verdict in VERDICTS:
                answer = {"C": right["C"], "best_C": best_C, "verdict": verdict}
                result = q3._case(lambda c, n, a, answer=answer: answer, curve, n, alpha)
                if (best_C, verdict) == (right["best_C"], right["verdict"]):
                    assert result.passed
                    continue
                assert not result.passed
                named = best_C == train_best or (
                    best_C == right["best_C"] and {verdict, right["verdict"]} == {"underfits", "overfits"}
                )
                if not named:
                    messages.add(result.message)
        assert len(messages) == 1, messages


def test_q3_hidden_cases_are_what_their_descriptions_say():
    from lepton_training.questions.model_optimization import _reading_key

    seen = []

    class Spy:
        def __call__(self, curve, n, alpha):
            seen.append((curve.copy(), n, alpha))
            return reading(curve, n, alpha)

    for seed in range(20):
        seen.clear()
        tests = q3.hidden_tests(Spy(), np.random.default_rng(seed))
        for test in tests:
            assert test.run().passed
        for test, (curve, n, alpha) in zip(tests, seen, strict=True):
            key = _reading_key(curve, n, alpha)
            assert 1 / (n * alpha) in set(curve["C"]), test.description  # exactly, however it is computed
            val = curve["validation_accuracy"]
            assert curve["train_accuracy"].is_monotonic_increasing and (curve["train_accuracy"] >= val).all()
            if "stronger" in test.description:
                assert key["verdict"] == "underfits"
            elif "weaker" in test.description:
                assert key["verdict"] == "overfits"
            elif "tied" in test.description:
                assert len(key["best"]) == 2 and key["verdict"] != "about right"
            else:
                assert key["verdict"] == "about right"


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


def tune_with_folds(train, test, folds):
    search = GridSearchCV(pipe(), {"logisticregression__C": list(C_GRID)}, cv=folds).fit(
        train["comment"], train["positive"]
    )
    return {
        "C": search.best_params_["logisticregression__C"],
        "cv_accuracy": search.best_score_,
        "test_accuracy": search.score(test["comment"], test["positive"]),
    }


def tune_scoring_last(train, test):
    scores = {}
    for C in C_GRID:
        scores[C] = cross_val_score(pipe(C), train["comment"], train["positive"], cv=5).mean()
        model = pipe(C).fit(train["comment"], train["positive"])  # the mistake: the loop's last model is scored
    C = max(scores, key=scores.get)
    return {"C": C, "cv_accuracy": scores[C], "test_accuracy": model.score(test["comment"], test["positive"])}


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
    "plain K-fold": (lambda tr, te: tune_with_folds(tr, te, KFold(5)), "plain `KFold` folds"),
    "the last model fitted is scored": (tune_scoring_last, "the last one fitted in the loop"),
    "shuffled folds": (
        lambda tr, te: tune_with_folds(tr, te, StratifiedKFold(5, shuffle=True, random_state=0)),
        "are yours shuffled",
    ),
    "vectorizer fit on all of train": (lambda tr, te: tune_leaky(tr, te), "fit on all of `train` before"),
}


def tune_leaky(train, test):
    """The vectorizer fit once on every training comment, then only the classifier cross-validated: a leak."""
    vectorizer = TfidfVectorizer().fit(train["comment"])
    X = vectorizer.transform(train["comment"])
    scores = {
        C: cross_val_score(LogisticRegression(C=C, max_iter=1000), X, train["positive"], cv=5).mean() for C in C_GRID
    }
    C = max(scores, key=scores.get)
    model = LogisticRegression(C=C, max_iter=1000).fit(X, train["positive"])
    return {
        "C": C,
        "cv_accuracy": scores[C],
        "test_accuracy": model.score(vectorizer.transform(test["comment"]), test["positive"]),
    }


def test_q4_messages_keep_the_case_of_C_and_never_claim_test_tuning_without_proof():
    for name in ("plain K-fold", "tuned on the training accuracy", "shuffled folds", "vectorizer fit on all of train"):
        fn, _ = Q4_MUTANTS[name]
        text = str(q4.grade(fn, hidden=HIDDEN).explanation())
        assert "test data were used" not in text and "c = " not in text, (name, text)
        assert name == "tuned on the training accuracy" or "on the very rows it was trained on" not in text, text
        assert name == "plain K-fold" or "plain `KFold` folds" not in text, text


def test_q4_separating_case_is_what_its_description_says():
    from lepton_training.questions.model_optimization import _tuning_case

    train, test, _, tuning = _tuning_case(*q4.separating_case())
    k = int(np.argmax(tuning.cv))
    assert (tuning.cv >= tuning.cv.max() - 1e-12).sum() == 1
    plain = tuning.best_with_plain_folds()
    assert k not in plain and not plain & set(np.flatnonzero(tuning.train_accuracy == tuning.train_accuracy.max()))
    assert tuning.train_accuracy[k] < tuning.train_accuracy.max()
    accuracy = tuning.test_accuracy(test)
    assert accuracy[-1] != accuracy[k] and accuracy[k] != tuning.cv[k] and k != len(C_GRID) - 1


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


def test_q5_alternatives():
    full_marks(q5, allocate)

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

    full_marks(q5, trust_constr)

    def trust_constr_from_the_hint(skills, budget):  # default tolerances, the hint's even split as the start
        w, a = skills["weight"].to_numpy(), skills["max_gain"].to_numpy()
        s, cap = skills["hours_scale"].to_numpy(), skills["max_hours"].to_numpy()
        res = minimize(
            lambda h: -np.sum(w * a * (1 - np.exp(-h / s))),
            np.minimum(cap, budget / len(cap)),
            method="trust-constr",
            bounds=list(zip(0 * cap, cap, strict=True)),
            constraints=[{"type": "ineq", "fun": lambda h: budget - h.sum()}],
        )
        return res.x

    for seed in range(5):
        score = q5.grade(trust_constr_from_the_hint, hidden=seed)
        assert score.points == q5.points, score.explanation()


Q5_MUTANTS = {
    "maximizes nothing (minimize the gain)": (dict(sign=1.0), "minimize minus the weighted gain"),
    "constraint written backwards": (dict(ineq=None, bounds=True), None),
    "linear gains": (dict(linear=True), "diminishing returns"),
    "no bounds": (dict(bounds=False), "max_hours"),
}


@pytest.mark.parametrize("name", ["maximizes nothing (minimize the gain)", "linear gains"])
def test_q5_mutants(name):
    options, phrase = Q5_MUTANTS[name]
    grade_fails(q5, lambda sk, b: allocate(sk, b, **options), phrase)


def test_q5_linear_gains_fail_on_the_fixed_cases_at_every_seed():
    for seed in range(20):
        score = q5.grade(lambda sk, b: allocate(sk, b, linear=True), hidden=seed)
        assert score.points < q5.points and "diminishing returns" in str(score.explanation()), seed


def test_q5_a_correct_plan_that_happens_to_fill_skills_in_order_is_not_called_linear():
    text = str(q5.grade(allocate, hidden=HIDDEN).explanation())
    assert "diminishing returns" not in text


def test_q5_constraint_mistakes():
    backwards = lambda sk, b: allocate(sk, b, ineq=lambda h: h.sum() - b)  # noqa: E731
    grade_fails(q5, backwards, "'ineq' constraint means fun(hours) >= 0")
    grade_fails(q5, lambda sk, b: allocate(sk, b, bounds=False), "")
    grade_fails(q5, lambda sk, b: -allocate(sk, b), "cannot be negative")
    assert q5.grade(lambda sk, b: EqualsEverything(), hidden=HIDDEN).points == 0


def test_q5_hard_coded():
    from lepton_training.questions.model_optimization import q5 as question

    public = allocate(question._public_skills(), 20.0)
    hard_coded = lambda sk, b: public.copy()  # noqa: E731
    assert q5.check(hard_coded).passed
    assert q5.grade(hard_coded, hidden=HIDDEN).points < q5.points


# --- q6 ------------------------------------------------------------------------------------------------------------


def nested(model, grid, X, y, *, outer=None, inner=None, scoring="neg_log_loss", sign=1.0):
    from sklearn.metrics import log_loss
    from sklearn.model_selection import TimeSeriesSplit

    scores = []
    for train, test in (outer or TimeSeriesSplit(n_splits=4)).split(X, y):
        search = GridSearchCV(model, grid, cv=inner or TimeSeriesSplit(n_splits=3), scoring=scoring)
        search.fit(X[train], y[train])
        scores.append(sign * log_loss(y[test], search.predict_proba(X[test])[:, 1], labels=[0, 1]))
    return np.array(scores)


def nested_one_line(model, grid, X, y):
    from sklearn.model_selection import TimeSeriesSplit

    search = GridSearchCV(model, grid, cv=TimeSeriesSplit(n_splits=3), scoring="neg_log_loss")
    return -cross_val_score(search, X, y, cv=TimeSeriesSplit(n_splits=4), scoring="neg_log_loss")


def not_nested(model, grid, X, y):
    from sklearn.model_selection import TimeSeriesSplit

    search = GridSearchCV(model, grid, cv=TimeSeriesSplit(n_splits=4), scoring="neg_log_loss").fit(X, y)
    return -np.array([search.cv_results_[f"split{k}_test_score"][search.best_index_] for k in range(4)])


def chosen_on_test(model, grid, X, y):
    from sklearn.base import clone
    from sklearn.metrics import log_loss
    from sklearn.model_selection import ParameterGrid, TimeSeriesSplit

    scores = []
    for train, test in TimeSeriesSplit(n_splits=4).split(X):
        fits = [clone(model).set_params(**p).fit(X[train], y[train]) for p in ParameterGrid(grid)]
        scores.append(min(log_loss(y[test], m.predict_proba(X[test])[:, 1], labels=[0, 1]) for m in fits))
    return np.array(scores)


def untuned(model, grid, X, y):
    from sklearn.model_selection import TimeSeriesSplit

    return -cross_val_score(model, X, y, cv=TimeSeriesSplit(n_splits=4), scoring="neg_log_loss")


Q6_MUTANTS = {
    "stratified outer folds": (
        lambda m, g, X, y: nested(m, g, X, y, outer=StratifiedKFold(4)),
        "outer folds are not in time order",
    ),
    "stratified inner folds": (
        lambda m, g, X, y: nested(m, g, X, y, inner=StratifiedKFold(5)),
        "inner search's folds are not forward",
    ),
    "stratified inner folds, cv=3": (
        lambda m, g, X, y: nested(m, g, X, y, inner=StratifiedKFold(3)),
        "inner search's folds are not forward",
    ),
    "chosen by accuracy": (lambda m, g, X, y: nested(m, g, X, y, scoring="accuracy"), "chose by accuracy"),
    "not nested": (not_nested, "one search run on all the rows"),
    "chosen on the test block": (chosen_on_test, "chosen on the test block"),
    "untuned": (untuned, "grid was not searched"),
    "neg_log_loss as it comes": (lambda m, g, X, y: nested(m, g, X, y, sign=-1.0), "'neg_log_loss' is minus"),
    "five outer folds": (
        lambda m, g, X, y: nested(m, g, X, y, outer=TimeSeriesSplit()),
        "makes 5 splits by default",
    ),
}


def test_q6_alternatives():
    full_marks(q6, nested)
    full_marks(q6, nested_one_line)


@pytest.mark.parametrize("name", sorted(Q6_MUTANTS))
def test_q6_mutants(name):
    fn, phrase = Q6_MUTANTS[name]
    grade_fails(q6, fn, phrase)


def test_q6_the_fixed_case_names_every_shortcut_at_every_seed():
    """Each shortcut fails the fixed case with its own message, whatever the seed draws for the other cases."""
    from lepton_training.questions.model_optimization import NestedTimeScore

    model, grid, X, y = NestedTimeScore.logistic_case(NestedTimeScore.SEPARATING_SEED)
    for name, (fn, phrase) in Q6_MUTANTS.items():
        result = q6._case(fn, model, grid, X, y, nested(model, grid, X, y))
        assert not result.passed and phrase in result.message, (name, result.message)
    for seed in range(20):  # the fixed case is drawn at every seed
        assert any("every shortcut" in t.description for t in q6.hidden_tests(nested, np.random.default_rng(seed)))


def test_q6_hard_coded_and_constant():
    public = nested(*q6.logistic_case(4242))
    hard_coded = lambda m, g, X, y: public.copy()  # noqa: E731
    assert q6.check(hard_coded).passed
    assert q6.grade(hard_coded, hidden=HIDDEN).points < 1
    assert q6.grade(lambda m, g, X, y: np.full(4, 0.5), hidden=HIDDEN).points == 0
    assert q6.grade(lambda m, g, X, y: EqualsEverything(), hidden=HIDDEN).points == 0
