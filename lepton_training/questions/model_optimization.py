"""Graded questions of module 02, model optimization.

* ``q1`` a function: the penalized mean logistic loss and its gradient, judged against recomputation and
  against a numerical gradient of the learner's own loss (sign flipped, sum instead of mean, penalized
  intercept, unstable logarithm each named). Objective 1.
* ``q2`` a function: gradient descent with a stated stopping rule, returning the weights, the loss history and
  how the run ended (a diverging run reported as converged is named). Objective 2.
* ``q3`` a function, a judgement: scikit-learn's ``C`` for a penalty ``alpha`` on ``n`` rows, the ``C`` a
  validation curve chooses, and whether the model with penalty ``alpha`` under- or overfits; judged on hidden
  curves, one per verdict and a tie (``C = 1 / alpha``, the best training accuracy and a reversed verdict are
  named; the choice and the verdict are judged together, so flipping one tells nothing). Objective 3.
* ``q4`` a function: tune ``C`` by cross-validation on the training comments and report the test accuracy; the
  choice must not move when only the test data change (test data used for tuning is named). Objectives 3, 4.
* ``q5`` a function: the allocation of a training-hours budget that maximizes the weighted skill gain; any
  optimal plan passes, judged by its weighted gain and its feasibility. Objective 5.
* ``q6`` a function: the test log-loss of a tuned model on each forward fold of time-ordered rows, by nested
  cross-validation (shuffled folds, one search on all rows, a choice on the test block, choosing by accuracy, no
  tuning and the sign of ``neg_log_loss`` are named, each on a fixed case). Objective 4.

Expected values are recomputed from the inputs each test gives the learner's function (with the reference code
of :mod:`lepton_training.optimization`); none is stored here. Public checks use inputs generated from seeds other
than the worked examples of the notebook.
"""

from __future__ import annotations

import functools
import math
from typing import Any

from lepton_training.checks import (
    CheckResult,
    check_array,
    check_number,
    describe_type,
    format_number,
    incorrect,
    input_changed,
    invalid,
    passed,
    show_value,
    tolerance_words,
)
from lepton_training.exercises import ExerciseSet, FunctionQuestion, Test
from lepton_training.explanations import unseal

MODULE = "02-model-optimization"

#: The values of C that exercise 4 searches, in this order.
C_GRID: tuple[float, ...] = (0.01, 0.1, 1.0, 10.0, 100.0)

#: The statuses of exercise 2.
STATUSES: tuple[str, ...] = ("converged", "diverged", "max steps")

__all__ = [
    "q1",
    "q2",
    "q3",
    "q4",
    "q5",
    "q6",
    "exercises",
    "progress",
    "C_GRID",
    "VERDICTS",
    "sentiment_split",
    "logistic_data",
    "validation_curve_table",
    "time_ordered_data",
]


# --- shared inputs -------------------------------------------------------------------------------------------------


def logistic_data(n: int, p: int, seed: int, *, intercept: float = 0.0, scale: float = 1.0) -> tuple[Any, Any]:
    """Return a small classification problem: features ``(n, p)`` (no column of ones) and 0/1 labels.

    Parameters
    ----------
    n, p : int
        Rows and features.
    seed : int
        Seed of the generator.
    intercept : float, default 0
        Log-odds of the positive class at zero features (large magnitude: imbalanced labels).
    scale : float, default 1
        Standard deviation of the features.

    Returns
    -------
    X : numpy.ndarray of shape (n, p)
    y : numpy.ndarray of shape (n,), 0 or 1
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    X = rng.normal(0.0, scale, size=(n, p))
    beta = rng.normal(0.0, 1.0, size=p) / scale
    p_true = 1.0 / (1.0 + np.exp(-(intercept + X @ beta)))
    y = (rng.random(n) < p_true).astype(int)
    if y.min() == y.max():  # both classes, always
        y[0] = 1 - y[0]
    return X, y


def _one_thread() -> Any:
    """Limit NumPy's and SciPy's linear algebra to one thread while a test runs.

    The data of these tests are small: several BLAS threads competing for a shared machine's cores made the
    tuning tests ten times slower than one thread does.
    """
    import contextlib

    # Load SciPy's and scikit-learn's libraries first: a limit covers only the libraries already loaded.
    import scipy.optimize  # noqa: F401
    import sklearn.ensemble  # noqa: F401  (gradient boosting's OpenMP runtime)
    import sklearn.linear_model  # noqa: F401

    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # scikit-learn depends on threadpoolctl, but the course does not require it
        return contextlib.nullcontext()
    return threadpool_limits(1)


def _with_ones(X: Any) -> Any:
    import numpy as np

    return np.column_stack([np.ones(len(X)), X])


def sentiment_split(n_comments: int, seed: int, n_train: int) -> tuple[Any, Any]:
    """Survey comments with a ``positive`` label (rating 4 or 5), split into training and test rows.

    Parameters
    ----------
    n_comments : int
        Comments generated by ``detailed_feedback``, the long comments of module 02.
    seed : int
        Seed of ``detailed_feedback``.
    n_train : int
        Rows of the training part (the first ones); the rest is the test part.

    Returns
    -------
    train, test : pandas.DataFrame
        Columns ``comment`` (str) and ``positive`` (int, 1 for a rating of 4 or 5), index from 0.
    """
    from lepton_training.datasets import detailed_feedback

    feedback = detailed_feedback(n_comments, seed=seed)
    frame = feedback.assign(positive=(feedback["rating"] >= 4).astype(int))[["comment", "positive"]]
    return frame.iloc[:n_train].reset_index(drop=True), frame.iloc[n_train:].reset_index(drop=True)


def _unchanged(given: Any, original: Any, what: str) -> CheckResult | None:
    return input_changed(given, original, what, ": compute new values instead of modifying it.")


def _numeric_vector(value: Any, length: int, name: str) -> tuple[Any, CheckResult | None]:
    """Return the value as a float vector of ``length`` numbers, or an invalid result saying why not."""
    import numpy as np
    import pandas as pd

    if isinstance(value, pd.Series):
        value = value.to_numpy()
    if not isinstance(value, (np.ndarray, list, tuple)):
        return None, invalid(f"{name} should be a NumPy array, but it is {describe_type(value)}.")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None, invalid(f"{name} should hold numbers only.")
    if arr.ndim == 2 and 1 in arr.shape:
        arr = arr.ravel()  # a (1, d) row such as scikit-learn's coef_ is the same numbers
    if arr.shape != (length,):
        return None, invalid(f"{name} has shape {np.shape(value)}, but {length} values in a 1-D array are expected.")
    return arr, None


# --- q1: loss and gradient --------------------------------------------------------------------------------------------


def _loss_parts(w: Any, X: Any, y: Any) -> tuple[float, Any, float, Any]:
    """Unpenalized mean loss and gradient, and the penalty's pieces, for the diagnoses of mistakes."""
    import numpy as np

    from lepton_training.optimization import logistic_loss_and_gradient

    data_loss, data_grad = logistic_loss_and_gradient(w, X, y, 0.0)
    rest = np.asarray(w, dtype=float).copy()
    rest[0] = 0.0
    return data_loss, data_grad, float(rest @ rest), rest


def _clipping_message(loss: float, z: Any, y: Any, penalty: float, exact: float) -> str | None:
    """Name clipped probabilities when they explain a loss that is too low on rows scored far from 0.

    ``np.clip(p, eps, 1 - eps)`` caps each row's log-loss at ``-log(eps)``: a row scored ``z = 40`` against its
    label should cost 40, a clipped one costs at most 34.5 (``eps = 1e-15``). Only rows whose scores are that large
    differ, so the loss is too low, never too high.
    """
    import numpy as np

    rows = np.logaddexp(0, z) - y * z
    if loss >= exact or rows.max() < 10:
        return None
    for eps in (1e-15, 1e-12, 1e-10, 1e-9, 1e-8, 1e-7, 1e-6, 1e-5):
        if math.isclose(loss, float(np.minimum(rows, -math.log(eps)).mean()) + penalty, rel_tol=1e-4):
            break
    else:
        if float(np.abs(z).max()) < 30:
            return None
    return (
        f"the loss is too low, by {format_number(exact - loss, 3)}, on data whose scores z = X @ w reach "
        f"{format_number(float(np.abs(z).max()), 3)} in size: it looks like clipped probabilities (np.clip(p, eps, "
        "1 - eps) caps each row's loss at -log(eps), so a confidently wrong row costs less than it should). Compute "
        "log(1 + exp(z)) - y * z with `np.logaddexp(0, z)`: exact and finite for any score."
    )


class LossAndGradient(FunctionQuestion):
    """``logistic_loss_and_gradient(w, X, y, alpha)``: penalized mean logistic loss and its gradient."""

    RTOL, ATOL = 1e-6, 1e-9

    def _case(self, fn: Any, w: Any, X: Any, y: Any, alpha: float) -> CheckResult:
        import numpy as np

        from lepton_training.optimization import logistic_loss_and_gradient, numerical_gradient

        args = (w.copy(), X.copy(), y.copy())
        value = fn(*args, alpha)
        for given, original, what in zip(args, (w, X, y), ("weights", "features", "labels"), strict=True):
            changed = _unchanged(given, original, what)
            if changed is not None:
                return changed
        if not isinstance(value, (tuple, list)) or len(value) != 2:
            hint = " Did you forget a `return` statement?" if value is None else ""
            return invalid(
                f"Your function should return a pair `(loss, gradient)`, but it returned {describe_type(value)}.{hint}"
            )
        loss, grad = value
        if not isinstance(loss, (int, float, np.floating, np.integer)) or isinstance(loss, bool):
            shape = getattr(loss, "shape", None)
            if shape in {(), (1,)}:
                loss = float(np.asarray(loss).ravel()[0])  # a one-element array is still the number asked for
            else:
                return invalid(f"The loss should be a number, but it is {describe_type(loss)}.")
        grad_arr, bad = _numeric_vector(grad, len(w), "The gradient")
        if bad is not None:
            return bad
        exp_loss, exp_grad = logistic_loss_and_gradient(w, X, y, alpha)
        n = len(y)
        data_loss, data_grad, sq, rest = _loss_parts(w, X, y)
        z = X @ w
        if not math.isfinite(float(loss)) or not np.isfinite(grad_arr).all():
            return incorrect(
                f"your loss or gradient is infinite or NaN when the scores z = X @ w are large (here |z| reaches "
                f"{format_number(float(np.abs(z).max()), 3)}): the sigmoid rounds to exactly 0 or 1 and its log is "
                "minus infinity. Compute log(1 + exp(z)) with `np.logaddexp(0, z)`, which never overflows."
            )
        loss_ok = check_number(
            float(loss),
            exp_loss,
            rtol=self.RTOL,
            atol=self.ATOL,
            name="The loss",
            advice=(
                "It is the mean over the rows of log(1 + exp(z)) - y * z, with z = X @ w, plus alpha / 2 times the "
                "sum of the squared weights w[1:]: compare each part with the statement."
            ),
        )
        if not loss_ok.passed:
            close = lambda target: math.isclose(float(loss), target, rel_tol=self.RTOL, abs_tol=self.ATOL)  # noqa: E731
            if n > 1 and close(n * data_loss + 0.5 * alpha * sq):
                return incorrect("the loss is n times too large: take the mean over the rows, not the sum.")
            if alpha > 0 and close(exp_loss + 0.5 * alpha * w[0] ** 2):
                return incorrect("the penalty includes the intercept w[0]: penalize the other weights only, w[1:].")
            if alpha > 0 and close(data_loss):
                return incorrect("the penalty is missing: add alpha / 2 times the sum of the squared weights w[1:].")
            if alpha > 0 and close(data_loss + alpha * sq):
                return incorrect(
                    "the penalty is twice too large: it is alpha / 2 (not alpha) times the sum of squares."
                )
            if close(-data_loss + 0.5 * alpha * sq):
                return incorrect(
                    "the loss has the wrong sign: the log-loss is minus the log-likelihood, always positive."
                )
            clipped = _clipping_message(float(loss), z, y, 0.5 * alpha * sq, exp_loss)
            if clipped is not None:
                return incorrect(clipped)
            return loss_ok
        grad_ok = check_array(
            grad_arr,
            exp_grad,
            rtol=self.RTOL,
            atol=1e-8,
            name="The gradient",
            advice="It is X.T @ (sigmoid(X @ w) - y) / n, plus alpha * w for every weight but w[0].",
        )
        if grad_ok.passed:
            return passed()
        close_to = lambda target: np.allclose(grad_arr, target, rtol=self.RTOL, atol=1e-8)  # noqa: E731
        if close_to(-exp_grad) or close_to(-data_grad + alpha * rest):
            return incorrect(
                "the gradient points the wrong way (its sign is flipped): the gradient of the mean log-loss is "
                "X.T @ (p - y) / n, with p = sigmoid(X @ w), not (y - p)."
            )
        if n > 1 and close_to(n * data_grad + alpha * rest):
            return incorrect("the gradient is n times too large: divide by the number of rows, as for the mean.")
        if alpha > 0:
            with_intercept = rest.copy()
            with_intercept[0] = w[0]
            if close_to(data_grad + alpha * with_intercept):
                return incorrect("the gradient penalizes the intercept w[0]: its penalty term is 0 for w[0].")
            if close_to(data_grad):
                return incorrect("the gradient has no penalty term: add alpha * w for the weights other than w[0].")
            if close_to(data_grad + 0.5 * alpha * rest) or close_to(data_grad + 2 * alpha * rest):
                return incorrect(
                    "the penalty's gradient is off by a factor 2: the derivative of alpha / 2 * w**2 is alpha * w."
                )
        own = numerical_gradient(lambda v: float(fn(v, X.copy(), y.copy(), alpha)[0]), w, eps=1e-6)
        if not np.allclose(own, grad_arr, rtol=1e-4, atol=1e-6):
            return incorrect(
                "your gradient does not match a numerical gradient of your own loss (central differences), and your "
                "loss is right: the mistake is in the gradient.",
                grad_ok.details,
            )
        return grad_ok

    def _test(
        self, fn: Any, description: str, w: Any, X: Any, y: Any, alpha: float, weight: float = 1.0, premise: Any = None
    ) -> Test:
        return Test(description, lambda: self._case(fn, w, X, y, alpha), weight, premise)

    @staticmethod
    def _public_case(kind: str) -> tuple[Any, Any, Any, float]:
        import numpy as np

        if kind == "penalized":
            X, y = logistic_data(8, 3, seed=202)
            return np.array([0.3, -0.8, 0.5, 1.2]), _with_ones(X), y, 0.1
        # Scores far from 0: a point scored +38 whose label is 0, one scored -38 whose label is 1.
        X = np.array([[1.0, 4.0], [1.0, -4.0], [1.0, 0.5], [1.0, -0.5]])
        return np.array([-2.0, 10.0]), X, np.array([0, 1, 1, 0]), 0.0

    def public_tests(self, answer: Any) -> list[Test]:
        w, X, y, alpha = self._public_case("penalized")
        w2, X2, y2, a2 = self._public_case("large")
        return [
            self._test(answer, "On 8 rows, 3 features and alpha = 0.1", w, X, y, alpha),
            self._test(answer, "On 4 rows whose scores X @ w reach 38 in size, alpha = 0", w2, X2, y2, a2),
        ]

    def public_inputs(self) -> list[Any]:
        return [v for kind in ("penalized", "large") for v in self._public_case(kind)[:3]]

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        import numpy as np

        tests = []
        for k in range(2):
            n, p = int(rng.integers(15, 60)), int(rng.integers(1, 5))
            X, y = logistic_data(n, p, seed=int(rng.integers(1_000_000)))
            w = rng.normal(0, 1.5, p + 1)
            alpha = [0.0, float(rng.uniform(0.01, 1.0))][k]
            tests.append(
                self._test(
                    answer, f"On {n} random rows with {p} features and alpha = {alpha:.3g}", w, _with_ones(X), y, alpha
                )
            )
        # A large intercept and a strong penalty: penalizing w[0] shows; one row: sum and mean agree, shapes matter.
        X, y = logistic_data(20, 2, seed=int(rng.integers(1_000_000)), intercept=2.0)
        tests.append(
            self._test(
                answer,
                "With a large intercept (w[0] = 3) and alpha = 0.5",
                np.array([3.0, 0.5, -0.5]),
                _with_ones(X),
                y,
                0.5,
                premise=lambda X=X: X.shape[1] == 2,  # three weights: the intercept and two features
            )
        )
        tests.append(
            self._test(answer, "On a single row", np.array([0.2, -0.4]), np.array([[1.0, 2.0]]), np.array([1]), 0.2)
        )
        tests.append(
            self._test(
                answer,
                "On scores of size 60 with a penalty",
                np.array([0.0, 30.0]),
                np.array([[1.0, 2.0], [1.0, -2.0]]),
                np.array([0, 1]),
                0.01,
            )
        )
        return tests


q1 = LossAndGradient(
    id="q1",
    module=MODULE,
    title="Logistic loss and gradient",
    points=2,
    answer_name="logistic_loss_and_gradient",
    implementations=(
        "lepton_training.optimization.loss.logistic_loss_and_gradient",
        "lepton_training.optimization.loss.numerical_gradient",
    ),
    parameters=("w", "X", "y", "alpha"),
    objectives=(1,),
    hints=(
        "Work in three lines: the scores z = X @ w, the probabilities p = sigmoid(z), then the mean loss and "
        "the gradient. The penalty is a separate term added to both; leave the intercept w[0] out of it.",
        "`np.logaddexp(0, z)` computes log(1 + exp(z)) without overflow, and the log-loss of one row is "
        "log(1 + exp(z)) - y * z. The gradient of the mean loss is `X.T @ (p - y) / len(y)`. For the penalty, a "
        "copy of `w` with its first entry set to 0 gives the weights that are penalized.",
        "Fill in the blanks:\n\n```python\ndef logistic_loss_and_gradient(w, X, y, alpha):\n"
        "    z = X @ w\n    p = 1 / (1 + np.exp(-z))\n    penalized = w.copy()\n    penalized[____] = 0.0\n"
        "    loss = np.mean(np.logaddexp(0, z) - ____) + alpha / 2 * np.sum(penalized ** 2)\n"
        "    gradient = X.T @ (____) / len(y) + alpha * ____\n    return loss, gradient\n```",
    ),
)


# --- q2: gradient descent ---------------------------------------------------------------------------------------------


def _status(X: Any, y: Any, lr: float, n_steps: int, tol: float) -> str:
    """How the stated procedure's run ends on these inputs: what a test's description may promise of it."""
    from lepton_training.optimization import gradient_descent

    return gradient_descent(X, y, lr, n_steps, tol)[2]


def _rises_below_start(history: Any) -> bool:
    """Say whether a loss history goes up from one step to the next somewhere, yet never above its first value."""
    import numpy as np

    h = np.asarray(history, dtype=float)
    return bool(np.all(np.isfinite(h)) and np.any(np.diff(h) > 0) and np.all(h[1:] <= h[0]))


class GradientDescent(FunctionQuestion):
    """``gradient_descent(X, y, learning_rate, n_steps, tol)``: weights, loss history and how the run ended."""

    def _case(self, fn: Any, X: Any, y: Any, lr: float, n_steps: int, tol: float) -> CheckResult:

        from lepton_training.optimization import gradient_descent

        args = (X.copy(), y.copy())
        value = fn(*args, lr, n_steps, tol)
        for given, original, what in zip(args, (X, y), ("features", "labels"), strict=True):
            changed = _unchanged(given, original, what)
            if changed is not None:
                return changed
        if not isinstance(value, (tuple, list)) or len(value) != 3:
            hint = " Did you forget a `return` statement?" if value is None else ""
            return invalid(
                "Your function should return a triple `(w, history, status)`, but it returned "
                f"{describe_type(value)}.{hint}"
            )
        w, history, status = value
        w_arr, bad = _numeric_vector(w, X.shape[1], "The weights `w`")
        if bad is not None:
            return bad
        hist, bad = _numeric_vector(history, len(history) if hasattr(history, "__len__") else -1, "The history")
        if bad is not None:
            return bad
        if not isinstance(status, str):
            return invalid(
                f"The status should be one of the texts {', '.join(map(repr, STATUSES))}, not {describe_type(status)}."
            )
        if status not in STATUSES:
            return invalid(f"The status {status!r} is not one of {', '.join(map(repr, STATUSES))}.")
        exp_w, exp_hist, exp_status = gradient_descent(X, y, lr, n_steps, tol)
        steps = len(exp_hist) - 1
        after = f"after {steps} step{'s' if steps != 1 else ''}"
        if len(hist) and not math.isclose(hist[0], exp_hist[0], rel_tol=1e-6, abs_tol=1e-9):
            return incorrect(
                "the first value of the history is not the loss at the starting weights (all zeros, where the loss "
                f"is log 2 = {format_number(exp_hist[0], 4)}): record the loss before the first step. If it differs, "
                "check exercise 1 first."
            )
        if len(hist) > 1 and hist[1] > hist[0] and exp_hist[1] <= exp_hist[0]:
            return incorrect(
                "the loss rises on the first step, where it should fall: step against the gradient, "
                "w = w - learning_rate * gradient."
            )
        if status != exp_status:
            if exp_status == "diverged" and status == "converged":
                return incorrect(
                    f"your function reports 'converged' on a run that diverged: {after} the loss rose "
                    "above its starting value. A learning rate that makes the loss go up is too large; report that "
                    "run as 'diverged'."
                )
            if exp_status == "diverged":
                return incorrect(
                    f"the loss rose above its starting value {after}, but your function reports "
                    f"{status!r}: stop there and report 'diverged'."
                )
            if exp_status == "converged":
                return incorrect(
                    f"the gradient's norm falls below tol = {tol:g} {after}, but your function reports "
                    f"{status!r}: test the gradient's norm, np.linalg.norm(gradient) < tol, before each step."
                )
            if status == "converged":
                return incorrect(
                    f"your function reports 'converged', but after all {n_steps} steps the gradient's norm is still "
                    "above tol: report 'max steps'. (The rule is on the gradient's norm, not on how much the loss "
                    "changes.)"
                )
            if status == "diverged" and _rises_below_start(exp_hist):
                return incorrect(
                    "your function reports 'diverged', but the loss never rises above its starting value (the loss "
                    "at all-zero weights): it only goes up from one step to the next now and then. The rule compares "
                    "each loss with the first one in the history, not with the previous one."
                )
            return incorrect(
                f"your function reports {status!r}, but this run neither diverges nor converges: 'max steps'."
            )
        if len(hist) != len(exp_hist):
            if len(hist) == len(exp_hist) - 1:
                return incorrect(
                    "the history has one value too few: it starts with the loss at the starting weights, then "
                    "one value "
                    "per step."
                )
            side = "early" if len(hist) < len(exp_hist) else "late"
            return incorrect(
                f"the history has {len(hist)} values, but the stated rule stops {after} "
                f"({steps + 1} values): "
                f"your run stops too {side}. Stop when the gradient's norm falls below tol (not on how much the loss "
                "changes), or when the loss rises above its starting value."
            )
        hist_ok = check_array(hist, exp_hist, rtol=1e-6, atol=1e-9, name="The history")
        if not hist_ok.passed:
            return incorrect("the losses in the history differ from those of the stated steps.", hist_ok.details)
        w_ok = check_array(w_arr, exp_w, rtol=1e-6, atol=1e-8, name="The weights")
        if not w_ok.passed:
            return incorrect("the final weights differ: return the weights after the last step taken.", w_ok.details)
        return passed()

    def _test(
        self, fn: Any, description: str, X: Any, y: Any, lr: float, n_steps: int, tol: float, premise: Any = None
    ) -> Test:
        return Test(description, lambda: self._case(fn, X, y, lr, n_steps, tol), premise=premise)

    @staticmethod
    def _public_data() -> tuple[Any, Any]:
        X, y = logistic_data(120, 2, seed=303)
        return _with_ones(X), y

    def public_tests(self, answer: Any) -> list[Test]:
        X, y = self._public_data()
        return [
            self._test(answer, "With learning rate 2 on standardized features (120 rows)", X, y, 2.0, 1000, 1e-5),
            self._test(answer, "With learning rate 25 on the same rows", X, y, 25.0, 1000, 1e-5),
        ]

    def public_inputs(self) -> list[Any]:
        return list(self._public_data())

    @staticmethod
    def bouncing_case() -> tuple[Any, Any, float, int, float]:
        """Return the fixed case where the loss rises from one step to the next but never above its start.

        It separates the stated divergence rule (a loss above the *first* one) from a loss above the *previous*
        one, whatever the seed: the data are fixed (not the notebook's), and at learning rate 8 the loss bounces
        for all 300 steps, always below log 2.

        Returns
        -------
        tuple
            ``(X, y, learning_rate, n_steps, tol)``.
        """
        X, y = logistic_data(100, 1, seed=4102)
        return _with_ones(X), y, 8.0, 300, 1e-6

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        bouncing = self.bouncing_case()
        X, y = logistic_data(int(rng.integers(60, 200)), int(rng.integers(1, 4)), seed=int(rng.integers(1_000_000)))
        X = _with_ones(X)
        lr = float(rng.uniform(0.5, 3.0))
        # A feature in the thousands (like a salary): any usual learning rate overshoots at once.
        Xu, yu = logistic_data(80, 1, seed=int(rng.integers(1_000_000)), scale=1000.0)
        Xu = _with_ones(Xu + 5000.0)
        return [
            self._test(answer, f"With learning rate {lr:.3g} on other rows", X, y, lr, 2000, 1e-6),
            self._test(
                answer,
                "With only 5 steps allowed",
                X,
                y,
                lr,
                5,
                1e-6,
                # Only a run that has not converged after 5 steps tests the step limit.
                premise=lambda: _status(X, y, lr, 5, 1e-6) == "max steps",
            ),
            self._test(
                answer,
                # Described by its numbers: at most seeds the run diverges, at some it does not.
                f"With learning rate 22 on the same {len(X)} rows",
                X,
                y,
                22.0,
                500,
                1e-6,
            ),
            self._test(
                answer,
                "With learning rate 8 on 100 other rows, where the loss goes up from one step to the next but never "
                "above its starting value",
                *bouncing,
            ),
            self._test(
                answer,
                "With a feature in the thousands and learning rate 0.01",
                Xu,
                yu,
                0.01,
                200,
                1e-6,
                premise=lambda: bool((abs(Xu[:, 1]) >= 1000).all()),
            ),
        ]


q2 = GradientDescent(
    id="q2",
    module=MODULE,
    title="Gradient descent",
    points=2,
    answer_name="gradient_descent",
    implementations=("lepton_training.optimization.descent.gradient_descent",),
    parameters=("X", "y", "learning_rate", "n_steps", "tol"),
    objectives=(2,),
    hints=(
        "Keep three things as you go: the weights, the list of losses, and the status. Each pass of the loop first "
        "tests for convergence, then steps, then tests for divergence, in the order of the statement.",
        "Call your `logistic_loss_and_gradient(w, X, y, 0.0)` for the loss and gradient at `w`; "
        "`np.linalg.norm(gradient)` is the gradient's size; `math.isfinite(loss)` is False for inf and NaN; a "
        "`return` inside the loop stops it early.",
        "Fill in the blanks:\n\n```python\ndef gradient_descent(X, y, learning_rate, n_steps, tol):\n"
        "    w = np.zeros(X.shape[1])\n    loss, gradient = logistic_loss_and_gradient(w, X, y, 0.0)\n"
        "    history = [loss]\n    for _ in range(n_steps):\n        if ____:\n"
        '            return w, history, "converged"\n'
        "        w = ____\n        loss, gradient = logistic_loss_and_gradient(w, X, y, 0.0)\n"
        "        history.append(loss)\n        if not math.isfinite(loss) or ____:\n"
        '            return w, history, "diverged"\n    return w, history, "max steps"\n```',
    ),
)


# --- q3: read a penalty and a validation curve ----------------------------------------------------------------------

#: The verdicts of exercise 3, and the spellings accepted for each (lower case, no spaces, hyphens or underscores).
VERDICTS: tuple[str, ...] = ("underfits", "overfits", "about right")
_VERDICT_SPELLINGS = {
    "underfits": "underfits",
    "underfit": "underfits",
    "underfitting": "underfits",
    "overfits": "overfits",
    "overfit": "overfits",
    "overfitting": "overfits",
    "aboutright": "about right",
}


def validation_curve_table(seed: int, *, peak: int, tie: bool = False, start: int = -3) -> Any:
    """Return a validation curve as cross-validation reports it: mean accuracy on training and held-out folds per ``C``.

    Parameters
    ----------
    seed : int
        Seed of the generator.
    peak : int
        Position (0-based) of the ``C`` where the held-out accuracy is highest; 1 to 5, so that weaker and
        stronger penalties both exist.
    tie : bool, default False
        If true, the ``C`` after the peak has exactly the same held-out accuracy as the peak.
    start : int, default -3
        The first ``C`` is ``10 ** start``; seven values, one per power of 10.

    Returns
    -------
    pandas.DataFrame
        Columns ``C``, ``train_accuracy`` and ``validation_accuracy``, one row per ``C`` in increasing order.
        The training accuracy rises with ``C``; the held-out accuracy rises to ``peak`` and falls after it.
    """
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    m = 7
    floor = rng.uniform(0.55, 0.68)  # the share of the majority class: what a model squeezed flat scores
    val = np.empty(m)
    gap = np.empty(m)
    val[0], gap[0] = floor, rng.uniform(0.0, 0.01)
    for i in range(1, m):
        if i <= peak:
            val[i] = val[i - 1] + rng.uniform(0.02, 0.06)
            gap[i] = gap[i - 1] + rng.uniform(0.005, 0.02)
        else:
            drop = rng.uniform(0.015, 0.04)
            val[i] = val[i - 1] - drop
            gap[i] = gap[i - 1] + drop + rng.uniform(0.015, 0.04)  # the training accuracy still rises
    if tie:  # the next C scores as well on held-out folds; the training accuracy still rises after it
        step = val[peak] - val[peak + 1]
        val[peak + 1] = val[peak]
        gap[peak + 2 :] += step
    train = val + gap
    top = train.max()
    if top > 0.99:  # an affine squeeze keeps every order and tie
        factor = (0.99 - floor) / (top - floor)
        val, train = floor + (val - floor) * factor, floor + (train - floor) * factor
    return pd.DataFrame(
        {
            "C": 10.0 ** np.arange(start, start + m),
            "train_accuracy": np.round(train, 3),
            "validation_accuracy": np.round(val, 3),
        }
    )


def _reading_key(curve: Any, n: int, alpha: float) -> dict[str, Any]:
    """Return the expected reading: C for alpha, the C values with the best held-out accuracy, and the verdict."""
    import numpy as np

    C = 1.0 / (n * alpha)
    Cs = curve["C"].to_numpy(dtype=float)
    val = curve["validation_accuracy"].to_numpy(dtype=float)
    best = Cs[val == val.max()]
    if best.min() * (1 - 1e-9) > C:
        verdict = "underfits"
    elif best.max() * (1 + 1e-9) < C:
        verdict = "overfits"
    else:
        verdict = "about right"
    train_best = float(Cs[np.argmax(curve["train_accuracy"].to_numpy())])
    return {"C": C, "best": {float(c) for c in best}, "verdict": verdict, "train_best": train_best}


def _as_number(value: Any) -> float | None:
    import numpy as np

    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "iuf":
        return float(value.ravel()[0])
    return None


def _verdict(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    squeezed = "".join(ch for ch in value.lower() if ch.isalpha())
    return _VERDICT_SPELLINGS.get(squeezed)


def _same_C(x: float, y: float) -> bool:
    return math.isclose(x, y, rel_tol=1e-6)


def _penalty_for(rng: Any, C: float) -> tuple[int, float]:
    """Return ``n`` rows and the ``alpha`` whose matching ``C`` is exactly ``C``, however the learner computes it.

    ``1 / (n * alpha)``, ``1 / n / alpha`` and ``(1 / alpha) / n`` round differently; a learner who compares the
    result with the curve's ``C`` by ``==`` or ``<`` must meet the same number the statement promises.
    """
    for _ in range(200):
        n = int(rng.integers(150, 3000))
        alpha = 1.0 / (n * C)
        if all(value == C for value in (1 / (n * alpha), 1 / n / alpha, 1 / (alpha * n), (1 / alpha) / n)):
            return n, alpha
    return n, alpha  # pragma: no cover - about half of all n qualify


class ReadPenalty(FunctionQuestion):
    """``read_penalty(curve, n, alpha)``: ``C`` for a penalty, the ``C`` a curve chooses, and a verdict on the fit."""

    RTOL = 1e-6

    def _result(self, value: Any) -> tuple[dict | None, CheckResult | None]:
        if not isinstance(value, dict):
            hint = " Did you forget a `return` statement?" if value is None else ""
            return None, invalid(
                'Your function should return a dict with the keys "C", "best_C" and "verdict", but it returned '
                f"{describe_type(value)}.{hint}"
            )
        missing = [key for key in ("C", "best_C", "verdict") if key not in value]
        if missing:
            return None, invalid(
                "Your dict has no " + " or ".join(f'"{key}"' for key in missing) + ' key: return "C", "best_C" and '
                '"verdict".'
            )
        C, best = _as_number(value["C"]), _as_number(value["best_C"])
        if C is None or best is None:
            name = '"C"' if C is None else '"best_C"'
            return None, invalid(f"{name} should be a number, but it is {describe_type(value[name.strip(chr(34))])}.")
        if not (math.isfinite(C) and math.isfinite(best)):
            return None, invalid('"C" and "best_C" should be finite numbers.')
        verdict = _verdict(value["verdict"])
        if verdict is None:
            return None, invalid(
                '"verdict" should be one of "underfits", "overfits" or "about right", but it is '
                f"{show_value(value['verdict'])}."
            )
        return {"C": C, "best_C": best, "verdict": verdict}, None

    def _case(self, fn: Any, curve: Any, n: int, alpha: float) -> CheckResult:
        given = curve.copy()
        value = fn(given, n, alpha)
        changed = _unchanged(given, curve, "curve")
        if changed is not None:
            return changed
        answer, bad = self._result(value)
        if bad is not None:
            return bad
        key = _reading_key(curve, n, alpha)
        C, expected = answer["C"], key["C"]
        if not _same_C(C, expected):
            wrong = {
                "1/alpha": (
                    1 / alpha,
                    "that is 1 / alpha: scikit-learn's C multiplies the *summed* loss over all "
                    f"n = {n:,} rows, so the matching value is C = 1 / (n * alpha).",
                ),
                "alpha": (
                    alpha,
                    "that is alpha itself: C is not the penalty but its inverse, and it multiplies the "
                    "summed loss, so C = 1 / (n * alpha).",
                ),
                "n*alpha": (n * alpha, "that is n * alpha: C is the inverse of that, C = 1 / (n * alpha)."),
                "n/alpha": (n / alpha, "that multiplies by n where it should divide: C = 1 / (n * alpha)."),
                "half": (
                    expected / 2,
                    "that is half the matching value: the penalty is alpha / 2 times the sum of "
                    "squares and scikit-learn's is 0.5 times the sum of squares, so no factor 2 appears: "
                    "C = 1 / (n * alpha).",
                ),
                "double": (
                    2 * expected,
                    "that is twice the matching value: both penalties carry the same 1/2, so C = 1 / (n * alpha).",
                ),
            }
            for target, message in wrong.values():
                if _same_C(C, target):
                    return incorrect(f'"C" is {format_number(C)}, but {message}')
            return incorrect(
                f'"C" is {format_number(C)}, not the C that gives the penalty alpha = {format_number(alpha)} on '
                f"n = {n:,} rows. Write scikit-learn's objective divided by n * C next to exercise 1's loss.",
                (f"Accepted: {tolerance_words(self.RTOL)}.",),
            )
        best_ok = any(_same_C(answer["best_C"], c) for c in key["best"])
        verdict_ok = answer["verdict"] == key["verdict"]
        if best_ok and verdict_ok:
            return passed()
        # The two readings are judged together, so that flipping one at a time tells nothing. A whole reading
        # that matches a known misconception is named.
        flipped = {"underfits": "overfits", "overfits": "underfits"}.get(key["verdict"])
        if _same_C(answer["best_C"], key["train_best"]) and not best_ok:
            return incorrect(
                "you chose the C with the highest *training* accuracy. Training accuracy keeps rising as the "
                "penalty weakens, because the model fits the training rows' noise too; choose where the held-out "
                "accuracy is highest."
            )
        if best_ok and answer["verdict"] == flipped:
            return incorrect(
                "your verdict runs the wrong way: in scikit-learn a small C is a strong penalty (C = 1 / (n * "
                "alpha)), so a C smaller than the one you chose squeezes the weights too much, and a larger one "
                "leaves them free to fit noise."
            )
        return incorrect(
            '"C" is right, but the reading of the curve is not, yet: "best_C" and "verdict" are judged together. '
            "Which column tells how the model does on comments it did not see, and which side of your choice "
            "holds the stronger penalties?"
        )

    def _test(self, fn: Any, description: str, curve: Any, n: int, alpha: float, weight: float = 1.0) -> Test:
        return Test(description, lambda: self._case(fn, curve, n, alpha), weight)

    @staticmethod
    def public_cases() -> list[tuple[Any, int, float]]:
        """Return the public check's inputs: two curves, one penalty too strong, one too weak."""
        first = validation_curve_table(3101, peak=3)
        second = validation_curve_table(3102, peak=2, start=-2)
        return [(first, 500, 1 / (500 * 0.01)), (second, 1200, 1 / (1200 * 100.0))]

    def public_tests(self, answer: Any) -> list[Test]:
        (c1, n1, a1), (c2, n2, a2) = self.public_cases()
        return [
            self._test(
                answer, f"On a curve of 7 values of C, n = {n1:,} rows and alpha = {format_number(a1)}", c1, n1, a1
            ),
            self._test(answer, f"On another curve, n = {n2:,} rows and alpha = {format_number(a2)}", c2, n2, a2),
        ]

    def public_inputs(self) -> list[Any]:
        return [case[0] for case in self.public_cases()]

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        tests = []
        # One case per verdict, at every seed (a reversed or constant verdict fails two of them), then a tie.
        for kind in ("underfits", "overfits", "about right", "tie"):
            peak = int(rng.integers(2, 5))
            start = int(rng.integers(-4, -1))
            curve = validation_curve_table(int(rng.integers(1_000_000)), peak=peak, tie=kind == "tie", start=start)
            if kind == "underfits":
                k = int(rng.integers(0, peak))
            elif kind == "overfits":
                k = int(rng.integers(peak + 1, 7))
            elif kind == "about right":
                k = peak
            else:  # either tied C may be chosen; the penalty sits well away from both
                k = int(rng.choice([i for i in range(7) if i < peak or i > peak + 1]))
            n, alpha = _penalty_for(rng, float(curve["C"].iloc[k]))
            words = {
                "underfits": "a penalty stronger than the best one",
                "overfits": "a penalty weaker than the best one",
                "about right": "the penalty of the best C",
                "tie": "two values of C tied for the best held-out accuracy",
            }[kind]
            tests.append(
                self._test(answer, f"On a curve with {words}, n = {n:,} and alpha = {alpha:.3g}", curve, n, alpha)
            )
        return tests


_EXPLANATION_Q3 = (
    "cSeU6h7JklnPFQTVMAEZQY5kbZVvA3uwX7J0woC54fBstG/FgzL7AtsNrUVPlfTB9Q2yWorxU7MBMTAq/essPmsqaZzsl/9CQxVV"
    "CfB3KjRCuzrpkGucDVudFd+WR9AXbywHVmHpYDt3ThwSY9ulGGwsY32DVCMDJ6IdSWTfqBoSwEt+UXMbouSpmqvCIzx8ptCsOtdz"
    "AdUnhDMmdhfey8qcXJqLpAksB2KQZdHZPdaDFtgTxWKrfIBjeB4y7bnorUrN7NufJXxc5v1qHYZCkCWdFo1aNtoL4+81x2q9uPGD"
    "vLWqQVWTzSceP7fnvZHQF7NmHt8vZ/eg1RRVpRqIO1uhuBpnwTNUbF2i18i9L0WGd4o88Wt5cjGe5BNYQbj6j3ZGWesxCmxRem05"
    "qWclgdGzteVJDxvON5SHc/R/ZaVf1YZhIuitWx2Xe3KylgvyFoQncqK6xpKMrJ0mSFi305I3a3GN5iCo87mqYiGo1P5MHmnT+9bz"
    "DIeDtLPz1qB6YPKc/J4x5m2PiLXEN2MQfYUyNy1s8anVBPtmwodvTOFcypRBDThXSVKgBSnockfRFKoFs+GIh1R4Upimo1f/YHUQ"
    "T3XxsLX1T4ZquyOVHr198AGEg0s0WCwxdb+pHYhizQSWfEFsTztKY5/KCr+DIHzpBDIPr8an9zdvc31AzKu/HK67l6174G+oTf/h"
    "o0bD1FCuwwEzmrDEhE3TLKVBX7oH5xYJPwa9XnsYHI/c72J1U2VrbbBI39EJNixEnoNq/ioP5LlH90TjnofT3NKpTWQij7+Ik0J+"
    "p7wK60g5QVpQ0LpdDMvMPYZUj9XOLu1+XmHnjdGk8bLCELL8UnRybu3D0Z9WiI1JSXFZh6hKexE6S2tlc+mlW4oIyD4wcsLR9PpJ"
    "HPZL73lVknWgMr0BQwlS3ftj8fa+HAcIR81JMdM0y5k/GGZEIoUMAywTbayVzDxypnBBukie9DDIs3dSki+GhPyB8fU="
)


q3 = ReadPenalty(
    id="q3",
    module=MODULE,
    title="Read the penalty and the validation curve",
    points=2,
    judgement=True,
    answer_name="read_penalty",
    implementations=(
        "lepton_training.optimization.loss.alpha_for_C",
        "lepton_training.optimization.loss.C_for_alpha",
    ),
    parameters=("curve", "n", "alpha"),
    objectives=(3,),
    hints=(
        "Three readings. The first is a translation: write scikit-learn's objective, divide it by n * C, and "
        "compare it with exercise 1's loss. The second asks which column of `curve` says how the model does on "
        "comments it was not trained on. The third asks where alpha's C sits: on the side of stronger penalties "
        "than your choice, or weaker ones?",
        "Section 4 found alpha = 1 / (n * C); solve it for C. For the best C, find the row with the highest "
        "accuracy on the held-out folds (`idxmax` on the right column). A small C is a strong penalty.",
        "Fill in the blanks:\n\n```python\ndef read_penalty(curve, n, alpha):\n"
        "    C = ____\n"
        '    best_C = curve.loc[curve[____].idxmax(), "C"]\n'
        "    if C < best_C:\n"
        "        verdict = ____\n"
        "    elif C > best_C:\n"
        "        verdict = ____\n"
        "    else:\n"
        '        verdict = "about right"\n'
        '    return {"C": C, "best_C": best_C, "verdict": verdict}\n```',
    ),
    explanation=unseal(_EXPLANATION_Q3, f"{MODULE}:q3"),
)


# --- q4: tuning C by cross-validation -------------------------------------------------------------------------------


def _pipeline(C: float) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(TfidfVectorizer(), LogisticRegression(C=C, max_iter=1000))


class _Tuning:
    """Reference quantities of one training set: cross-validated, training and per-row test correctness."""

    def __init__(self, train: Any):
        import numpy as np
        from sklearn.model_selection import cross_val_score

        self.train = train
        X, y = train["comment"], train["positive"]
        self.cv = np.array([cross_val_score(_pipeline(C), X, y, cv=5).mean() for C in C_GRID])
        self.models = [_pipeline(C).fit(X, y) for C in C_GRID]
        self.train_accuracy = np.array([m.score(X, y) for m in self.models])

    def correct(self, test: Any) -> Any:
        import numpy as np

        return np.array([m.predict(test["comment"]) == test["positive"].to_numpy() for m in self.models])

    def test_accuracy(self, test: Any) -> Any:
        return self.correct(test).mean(axis=1)

    @functools.cached_property
    def plain_cv(self) -> Any:
        """Mean accuracy of each C when the folds are plain ``KFold(5)``, not stratified."""
        import numpy as np
        from sklearn.model_selection import KFold, cross_val_score

        X, y = self.train["comment"], self.train["positive"]
        return np.array([cross_val_score(_pipeline(C), X, y, cv=KFold(5)).mean() for C in C_GRID])

    @functools.cached_property
    def leaky_cv(self) -> Any:
        """Mean accuracy of each C when the vectorizer is fit on all of ``train`` before the folds are cut."""
        import numpy as np
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import cross_val_score

        X = TfidfVectorizer().fit_transform(self.train["comment"])
        y = self.train["positive"]
        return np.array([cross_val_score(LogisticRegression(C=C, max_iter=1000), X, y, cv=5).mean() for C in C_GRID])

    def best_with_plain_folds(self) -> set[int]:
        """Positions in ``C_GRID`` of the best C when the folds are plain ``KFold(5)``, not stratified."""
        import numpy as np

        cv = self.plain_cv
        return {int(k) for k in np.flatnonzero(cv >= cv.max() - 1e-12)}


def _grid_index(C: Any) -> int | None:
    if isinstance(C, bool) or not isinstance(C, (int, float)) and type(C).__module__ != "numpy":
        return None
    try:
        value = float(C)
    except (TypeError, ValueError):
        return None
    for k, c in enumerate(C_GRID):
        if math.isclose(value, c, rel_tol=1e-9):
            return k
    return None


def _favoring(tuning: _Tuning, pool: Any, avoid: int) -> Any:
    """Rows of ``pool`` on which a C other than ``avoid`` is strictly the most accurate (None if there are none).

    The rows that C classifies right: its accuracy there is 1, and every C that errs on one of them scores less.
    """
    import numpy as np

    correct = tuning.correct(pool)
    for k in np.argsort(-tuning.cv):
        if k == avoid:
            continue
        rows = np.flatnonzero(correct[k])
        acc = correct[:, rows].mean(axis=1)
        if len(rows) and (acc < acc[k]).sum() == len(C_GRID) - 1:
            return pool.iloc[rows].reset_index(drop=True)
    return None


@functools.lru_cache(maxsize=4)
def _tuning_case(n_comments: int, seed: int, n_train: int) -> tuple[Any, Any, Any, _Tuning]:
    """Return the training rows, the test rows, a second test set and the reference tuning of one q4 case.

    Cached: the public case is checked by ``q4.check()``, by the test cell and by ``progress()``, and its 25
    cross-validation fits need not run three times. The learner's function always gets fresh copies.
    """
    train, pool = sentiment_split(n_comments, seed, n_train)
    tuning = _Tuning(train)
    half = len(pool) // 2
    test = pool.iloc[:half].reset_index(drop=True)
    # A second test set on which another C looks best: a learner who tunes on test data changes the choice.
    other = _favoring(tuning, pool.iloc[half:].reset_index(drop=True), int(tuning.cv.argmax()))
    if other is None:
        other = pool.iloc[half:].reset_index(drop=True)
    return train, test, other, tuning


_LEAKY_VECTORIZER = (
    "when the TfidfVectorizer is fit on all of `train` before cross-validation: each fold's "
    "held-out comments then shaped the vocabulary and the IDF weights, a leak that flatters the scores. Put the "
    "vectorizer in the pipeline, `make_pipeline(TfidfVectorizer(), LogisticRegression(...))`, so that each fold "
    "fits its own."
)


class TuneC(FunctionQuestion):
    """``tune_c(train, test)``: choose C by 5-fold cross-validation on train, report the refit model's test accuracy."""

    KEYS = ("C", "cv_accuracy", "test_accuracy")
    # Accuracies are ratios of whole counts computed by the same pipeline: only rounding differences are allowed.
    ATOL = 1e-9

    def _result(self, value: Any) -> tuple[dict | None, CheckResult | None]:
        if not isinstance(value, dict):
            hint = " Did you forget a `return` statement?" if value is None else ""
            return None, invalid(f"Your function should return a dict, but it returned {describe_type(value)}.{hint}")
        missing = [k for k in self.KEYS if k not in value]
        if missing:
            return None, invalid(
                f"The dict is missing the key(s) {', '.join(map(repr, missing))}; expected keys: "
                f"{', '.join(map(repr, self.KEYS))}."
            )
        k = _grid_index(value["C"])
        if k is None:
            grid = ", ".join(format_number(c) for c in C_GRID)
            return None, invalid(
                f"The chosen C, {describe_type(value['C'])}, is not one of the values searched: {grid}."
            )
        for key in ("cv_accuracy", "test_accuracy"):
            v = value[key]
            if isinstance(v, bool) or not isinstance(v, (int, float)) and type(v).__module__ != "numpy":
                return None, invalid(f"`{key}` should be a number, but it is {describe_type(v)}.")
            if not 0 <= float(v) <= 1:
                return None, invalid(
                    f"`{key}` should be an accuracy between 0 and 1, but it is {format_number(float(v))}."
                )
        return {"k": k, "cv": float(value["cv_accuracy"]), "test": float(value["test_accuracy"])}, None

    def _case(self, fn: Any, train: Any, test: Any, other_test: Any, tuning: _Tuning) -> CheckResult:

        given = (train.copy(), test.copy())
        first, bad = self._result(fn(*given))
        if bad is not None:
            return bad
        for frame, original, what in zip(given, (train, test), ("training table", "test table"), strict=True):
            changed = _unchanged(frame, original, what)
            if changed is not None:
                return changed
        k = first["k"]
        best = float(tuning.cv.max())
        test_acc = tuning.test_accuracy(test)
        chosen = format_number(C_GRID[k])
        second, bad = self._result(fn(train.copy(), other_test.copy()))
        if bad is not None:
            return bad
        if second["k"] != k:
            return incorrect(
                f"your choice of C changed (from {chosen} to {format_number(C_GRID[second['k']])}) when only the test "
                "data changed: the test data were used for tuning. The test data may only score the final model."
            )
        reported = first["cv"]

        def reports(value: Any) -> bool:
            return math.isclose(reported, float(value), abs_tol=self.ATOL)

        if tuning.cv[k] < best - self.ATOL:
            # The reported `cv_accuracy` says how the choice was made: each message needs its own evidence.
            if k in tuning.best_with_plain_folds() and reports(tuning.plain_cv[k]):
                return incorrect(
                    f"you chose C = {chosen}, the best in 5-fold cross-validation with plain `KFold` folds. The "
                    "statement asks for the default stratified folds (`cv=5`, each fold keeps the share of positive "
                    "comments), which choose another C on these comments."
                )
            if tuning.leaky_cv[k] >= tuning.leaky_cv.max() - self.ATOL and reports(tuning.leaky_cv[k]):
                return incorrect(f"you chose C = {chosen}, the best {_LEAKY_VECTORIZER}")
            stated = reports(tuning.cv[k]) or reports(tuning.train_accuracy[k])
            if tuning.train_accuracy[k] >= tuning.train_accuracy.max() - self.ATOL and stated:
                return incorrect(
                    f"you chose C = {chosen}, the value with the best accuracy on the very rows it was trained on. "
                    "That accuracy keeps rising as the penalty weakens (the model memorizes the training rows, it "
                    "overfits); choose C by the cross-validated accuracy instead."
                )
            if not stated and not reports(test_acc[k]):
                return incorrect(
                    f"you chose C = {chosen}, and your `cv_accuracy` for it is not what the stated folds give: "
                    "your folds differ from `cv=5`'s (shuffled folds, another splitter or another number of "
                    "folds?). `cv=5` means the default stratified folds, cut in order, and here they choose "
                    "another C."
                )
            return incorrect(
                f"you chose C = {chosen}, which does not have the best 5-fold cross-validated accuracy on the "
                "training data (the default stratified folds, `cv=5`)."
            )
        cv_ok = reports(tuning.cv[k])
        if not cv_ok and reports(tuning.leaky_cv[k]):
            return incorrect(f"your C is right, but your `cv_accuracy` is the folds' mean accuracy {_LEAKY_VECTORIZER}")
        if not cv_ok:
            if math.isclose(first["cv"], float(test_acc[k]), abs_tol=self.ATOL):
                return incorrect(
                    "`cv_accuracy` is the accuracy on the test data; it should be the mean accuracy over the 5 folds."
                )
            if math.isclose(first["cv"], float(tuning.train_accuracy[k]), abs_tol=self.ATOL):
                return incorrect(
                    "`cv_accuracy` is the accuracy on the training rows themselves; it should be the mean accuracy "
                    "over the 5 held-out folds."
                )
            return incorrect(
                f"`cv_accuracy` is not the mean 5-fold cross-validated accuracy of C = {chosen} with the stated "
                "folds: are yours shuffled, or cut otherwise than `cv=5` (the default stratified folds, in order)?"
            )
        if not math.isclose(first["test"], float(test_acc[k]), abs_tol=self.ATOL):
            last = len(C_GRID) - 1
            if k != last and math.isclose(first["test"], float(test_acc[last]), abs_tol=self.ATOL):
                return incorrect(
                    f"`test_accuracy` is the test accuracy of the model with C = {format_number(C_GRID[last])}, the "
                    f"last one fitted in the loop, not of the chosen C = {chosen}. Refit the model with the chosen C "
                    "on all the training rows, then score it on the test rows."
                )
            if math.isclose(first["test"], float(tuning.cv[k]), abs_tol=self.ATOL):
                return incorrect(
                    "`test_accuracy` is the cross-validated accuracy. Refit the chosen model on all the training rows "
                    "and score it on the test rows."
                )
            return incorrect(
                "`test_accuracy` is not the accuracy on the test rows of the model refit on all the training rows "
                f"with C = {chosen}."
            )
        return passed()

    def _split_case(self, fn: Any, n_comments: int, seed: int, n_train: int) -> CheckResult:
        with _one_thread():
            return self._split_case_now(fn, n_comments, seed, n_train)

    def _split_case_now(self, fn: Any, n_comments: int, seed: int, n_train: int) -> CheckResult:
        return self._case(fn, *_tuning_case(n_comments, seed, n_train))

    def public_tests(self, answer: Any) -> list[Test]:
        return [
            Test(
                "On 200 training comments (detailed_feedback(450, seed=31))",
                lambda: self._split_case(answer, 450, 31, 200),
            )
        ]

    def public_inputs(self) -> list[Any]:
        return list(sentiment_split(450, 31, 200))

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        seed = int(rng.integers(1_000, 1_000_000))
        fixed = self.separating_case()
        return [
            Test(f"On 180 other training comments (seed {seed})", lambda: self._split_case(answer, 400, seed, 180)),
            Test(
                "On 180 training comments where cross-validation, plain K-fold and training accuracy choose three "
                "different values of C",
                lambda: self._split_case(answer, *fixed),
            ),
        ]

    @staticmethod
    def separating_case() -> tuple[int, int, int]:
        """Return ``(n_comments, seed, n_train)`` of the fixed case that separates every named mistake at any seed.

        On these comments the stratified 5-fold search chooses C = 10, plain ``KFold`` folds choose 1, the
        training accuracy is highest at 100, and the test accuracy of the C = 100 model (the last one a loop fits)
        differs from both the chosen model's and the cross-validated accuracy.
        """
        return 400, 7, 180


q4 = TuneC(
    id="q4",
    module=MODULE,
    title="Tune C, then test once",
    points=2,
    answer_name="tune_c",
    implementations=(
        "lepton_training.optimization.loss.alpha_for_C",
        "lepton_training.optimization.loss.C_for_alpha",
    ),
    parameters=("train", "test"),
    objectives=(3, 4),
    hints=(
        "Two separate jobs: choosing C uses the training table only (5-fold cross-validation), and the test table "
        "is used once, at the very end, to score the model refit with the chosen C.",
        "`GridSearchCV(make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000)), "
        "{'logisticregression__C': list(C_GRID)}, cv=5)` cross-validates every C; after `.fit` on the training "
        "columns, `.best_params_`, `.best_score_` and `.score(...)` (which uses the model refit on all the "
        "training rows) give the three numbers.",
        "Fill in the blanks:\n\n```python\ndef tune_c(train, test):\n"
        "    pipe = make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000))\n"
        '    search = GridSearchCV(pipe, {"logisticregression__C": list(C_GRID)}, cv=5)\n'
        '    search.fit(____["comment"], ____["positive"])\n    return {\n'
        '        "C": search.best_params_["logisticregression__C"],\n        "cv_accuracy": ____,\n'
        '        "test_accuracy": search.score(____["comment"], ____["positive"]),\n    }\n```',
    ),
)


# --- q5: the sound model: allocate the hours ----------------------------------------------------------------------


class AllocateHours(FunctionQuestion):
    """``allocate_hours(skills, budget)``: hours per skill maximizing the weighted gain within budget and caps."""

    #: A plan may exceed a bound by a millionth of an hour (solvers' rounding, far below anything a planner sees).
    FEASIBILITY = 1e-6
    #: A plan's weighted gain may fall short of the best by 0.01%. SciPy's SLSQP and COBYLA stop within 1e-12 of
    #: it; trust-constr with its default tolerances, started from the hint's even split, stops up to about 0.005%
    #: short (its barrier keeps every hour a little inside the bounds), and a method the hint suggests must pass.
    #: Every mistake named below costs more than 1%, a hundred times the tolerance; no planner can see 0.01%.
    RTOL = 1e-4

    def _case(self, fn: Any, skills: Any, budget: float) -> CheckResult:
        import numpy as np

        from lepton_training.optimization import allocate_training_hours, weighted_gain

        given = skills.copy()
        value = fn(given, budget)
        changed = _unchanged(given, skills, "skills table")
        if changed is not None:
            return changed
        hours, bad = _numeric_vector(value, len(skills), "The plan")
        if bad is not None:
            return bad
        if not np.isfinite(hours).all():
            return invalid("The plan holds infinite or NaN hours.")
        names = skills["skill"].tolist()
        cap = skills["max_hours"].to_numpy(float)
        tol = self.FEASIBILITY
        if (hours < -tol).any():
            i = int(np.argmin(hours))
            return incorrect(
                f"{names[i]!r} gets {format_number(hours[i], 4)} hours: hours cannot be negative (give bounds)."
            )
        if (hours > cap + tol).any():
            i = int(np.argmax(hours - cap))
            return incorrect(
                f"{names[i]!r} gets {format_number(hours[i], 4)} hours, above its max_hours of "
                f"{format_number(cap[i])}: "
                "give each skill the bounds (0, max_hours)."
            )
        if hours.sum() > budget + tol:
            return incorrect(
                f"the plan uses {format_number(hours.sum(), 5)} hours, more than the budget of "
                f"{format_number(budget)}. "
                "In SciPy an 'ineq' constraint means fun(hours) >= 0: write it as budget - hours.sum()."
            )
        best_plan = allocate_training_hours(skills, budget)
        best = weighted_gain(best_plan, skills)
        got = weighted_gain(hours, skills)
        if got >= best * (1 - self.RTOL):
            return passed()
        if got <= 0.05 * best:
            return incorrect(
                "the plan gains almost nothing: `minimize` finds a minimum, so minimize minus the weighted gain to "
                "maximize it."
            )
        slope = (skills["weight"] * skills["max_gain"] / skills["hours_scale"]).to_numpy(float)
        linear = np.zeros(len(skills))
        left = budget
        for i in np.argsort(-slope):
            linear[i] = min(cap[i], left)
            left -= linear[i]
        if np.allclose(hours, linear, atol=1e-3) and weighted_gain(linear, skills) < best * (1 - self.RTOL):
            return incorrect(
                "the plan fills skills one after the other, as if every hour were worth as much as the first. Gains "
                "have diminishing returns: use skill_gain's formula, max_gain * (1 - exp(-hours / hours_scale))."
            )
        shortfall = 100 * (1 - got / best)
        return incorrect(
            f"the plan is feasible but its weighted gain is {format_number(shortfall, 2)}% below the best possible: "
            "check the objective (weights times gains) and that the solver reports success.",
            (f"Plans within {format_number(100 * self.RTOL)}% of the best weighted gain are accepted.",),
        )

    def _test(self, fn: Any, description: str, skills: Any, budget: float) -> Test:
        return Test(description, lambda: self._run(fn, skills, budget))

    def _run(self, fn: Any, skills: Any, budget: float) -> CheckResult:
        with _one_thread():
            return self._case(fn, skills, budget)

    @staticmethod
    def _skills(rows: list[tuple[str, float, float, float, float]]) -> Any:
        import pandas as pd

        return pd.DataFrame(rows, columns=["skill", "weight", "max_gain", "hours_scale", "max_hours"])

    def _public_skills(self) -> Any:
        return self._skills(
            [
                ("prompt design", 1.0, 18.0, 4.0, 12.0),
                ("SQL", 0.5, 25.0, 10.0, 12.0),
                ("deep learning", 1.5, 35.0, 15.0, 12.0),
            ]
        )

    def public_tests(self, answer: Any) -> list[Test]:
        return [self._test(answer, "On three skills and a budget of 20 hours", self._public_skills(), 20.0)]

    def public_inputs(self) -> list[Any]:
        return [self._public_skills()]

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        m = int(rng.integers(3, 7))
        rows = [
            (
                f"skill {i + 1}",
                float(rng.choice([0.5, 1.0, 1.5, 2.0])),
                float(rng.uniform(10, 40)),
                float(rng.uniform(3, 15)),
                float(rng.integers(6, 20)),
            )
            for i in range(m)
        ]
        random_skills = self._skills(rows)
        budget = float(rng.uniform(0.3, 0.8) * sum(r[4] for r in rows))
        # A heavily weighted skill that hits its cap; a light one that gets no hours at all.
        capped = self._skills(
            [
                ("research methods", 3.0, 40.0, 20.0, 6.0),
                ("statistics", 1.0, 20.0, 5.0, 16.0),
                ("slides", 0.05, 10.0, 2.0, 16.0),
            ]
        )
        # Three skills of similar value per hour: the best plan spreads the hours, filling one after another does not.
        spread = self._skills(
            [
                ("ethics", 1.0, 30.0, 10.0, 20.0),
                ("SQL", 1.0, 25.0, 6.0, 20.0),
                ("git", 0.5, 20.0, 4.0, 20.0),
            ]
        )
        return [
            self._test(answer, f"On {m} random skills and a budget of {budget:.1f} hours", random_skills, budget),
            self._test(answer, "With three skills of similar value per hour and 24 hours to spread", spread, 24.0),
            self._test(answer, "With a capped skill and one worth no hours, 15 hours", capped, 15.0),
            self._test(answer, "With a budget larger than all the caps together", capped, 60.0),
        ]


q5 = AllocateHours(
    id="q5",
    module=MODULE,
    title="Allocate the training hours",
    points=2,
    answer_name="allocate_hours",
    implementations=("lepton_training.optimization.allocation.allocate_training_hours",),
    parameters=("skills", "budget"),
    objectives=(5,),
    hints=(
        "The decision is the vector of hours, one per skill. Write the weighted gain as a function of it, then "
        "hand minus that function to a solver with the budget as a constraint and each skill's range as bounds.",
        "`minimize(fun, x0, method='SLSQP', bounds=..., constraints=[{'type': 'ineq', 'fun': ...}])`: an 'ineq' "
        "constraint means fun(x) >= 0. Start from a feasible plan, such as the budget split evenly within the caps.",
        "Fill in the blanks:\n\n```python\ndef allocate_hours(skills, budget):\n"
        '    w, a = skills["weight"].to_numpy(), skills["max_gain"].to_numpy()\n'
        '    s, cap = skills["hours_scale"].to_numpy(), skills["max_hours"].to_numpy()\n'
        "    def minus_gain(h):\n        return ____\n"
        "    start = np.minimum(cap, budget / len(cap))\n"
        '    res = minimize(minus_gain, start, method="SLSQP", bounds=list(zip(0 * cap, cap)),\n'
        '                   constraints=[{"type": "ineq", "fun": lambda h: ____}])\n    return res.x\n```',
    ),
)

# --- q6: an honest score for a tuned model, on later data ----------------------------------------------------------


def time_ordered_data(n: int, p: int, seed: int, *, drift: float = 1.0) -> tuple[Any, Any]:
    """Return features and 0/1 labels in time order, whose relationship drifts from the first row to the last.

    Parameters
    ----------
    n, p : int
        Rows and features.
    seed : int
        Seed of the generator.
    drift : float, default 1
        How far each weight moves between the first and the last row (in units of the weights' spread).

    Returns
    -------
    X : numpy.ndarray of shape (n, p)
    y : numpy.ndarray of shape (n,), 0 or 1, with about 70% ones
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    X = rng.normal(0.0, 1.0, size=(n, p))
    start, move = rng.normal(0.0, 0.8, p), rng.normal(0.0, drift, p)
    t = np.linspace(0.0, 1.0, n)[:, None]
    z = 0.9 + np.sum(X * (start + t * move), axis=1)
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-z))).astype(int)
    return X, y


#: What each shortcut of exercise 6 gets wrong, in words (the keys of ``selection.shortcut_scores``).
_SHORTCUTS = {
    "sign": (
        "the scores are negative: scikit-learn's 'neg_log_loss' is minus the log-loss (so that higher is better "
        "for every scorer). Report the log-loss itself, a positive number, lower is better."
    ),
    "shuffled outer": (
        "the outer folds are not in time order: `cv=4` gives stratified folds, which test on rows from every "
        "period, so the model is scored on the past after learning from the future. `TimeSeriesSplit(n_splits=4)` "
        "always tests on rows later than those it trains on."
    ),
    "shuffled inner": (
        "the inner search's folds are not forward in time (a number as GridSearchCV's `cv`, such as `cv=5`, gives "
        "stratified folds): the hyper-parameters were chosen by predicting the past from the future. Give the "
        "search `cv=TimeSeriesSplit(n_splits=3)`."
    ),
    "accuracy inner": (
        "the inner search chose by accuracy, GridSearchCV's default for a classifier; the statement asks it to "
        "choose by the score you report, `scoring='neg_log_loss'`."
    ),
    "not nested": (
        "these are the fold scores of one search run on all the rows: each test block helped choose the "
        "hyper-parameters it is then scored with, so the score is optimistic. Tune inside each outer fold, on its "
        "training rows only (nested cross-validation)."
    ),
    "chosen on test": (
        "each fold's score is the best test log-loss over the grid: the hyper-parameters were chosen on the test "
        "block itself. Choose them on the fold's training rows (the inner search), then score once."
    ),
    "untuned": (
        "the grid was not searched: these are the scores of the model with its default hyper-parameters. Choose "
        "the hyper-parameters with GridSearchCV on each outer fold's training rows."
    ),
}
# `cv=3` and `cv=5` are the same mistake: a number as `cv` gives stratified folds.
_SHORTCUTS["shuffled inner, 3 folds"] = _SHORTCUTS["shuffled inner"]


@functools.lru_cache(maxsize=8)
def _nested_reference(case: str, seed: int) -> Any:
    """Return the procedure's fold scores for one of q6's cases (cached: the public case runs three times)."""
    from lepton_training.optimization.selection import nested_time_score

    model, grid, X, y = getattr(NestedTimeScore, case)(seed)
    return nested_time_score(model, grid, X, y)


class NestedTimeScore(FunctionQuestion):
    """``nested_time_score(model, grid, X, y)``: the test log-loss of a tuned model on each forward fold."""

    RTOL, ATOL = 1e-6, 1e-9

    def _case(self, fn: Any, model: Any, grid: dict, X: Any, y: Any, expected: Any) -> CheckResult:
        import copy

        import numpy as np
        from sklearn.base import clone

        from lepton_training.optimization.selection import OUTER_SPLITS, shortcut_scores

        given = (clone(model), copy.deepcopy(grid), X.copy(), y.copy())
        value = fn(*given)
        for arr, original, what in zip(given[2:], (X, y), ("features", "labels"), strict=True):
            changed = _unchanged(arr, original, what)
            if changed is not None:
                return changed
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return invalid(
                f"Your function returned one number; return the {OUTER_SPLITS} fold scores (a NumPy array), so that "
                "their spread shows too."
            )
        if value is None:
            return invalid("Your function returned None. Did you forget a `return` statement?")
        arr = np.asarray(value, dtype=float) if isinstance(value, (np.ndarray, list, tuple)) else None
        if arr is None or arr.ndim != 1:
            return invalid(
                f"Your function should return a 1-D NumPy array of {OUTER_SPLITS} scores, but it returned "
                f"{describe_type(value)}."
            )
        if len(arr) != OUTER_SPLITS:
            hint = " `TimeSeriesSplit()` makes 5 splits by default." if len(arr) == 5 else ""
            return invalid(
                f"Your function returned {len(arr)} scores; the statement asks for one per outer fold, "
                f"{OUTER_SPLITS} (`TimeSeriesSplit(n_splits={OUTER_SPLITS})`).{hint}"
            )
        result = check_array(arr, expected, rtol=self.RTOL, atol=self.ATOL, name="The fold scores")
        if result.passed:
            return passed()
        if not np.isfinite(arr).all():
            return incorrect("some scores are infinite or NaN: score with `predict_proba` and `log_loss`.")
        for name, scores in shortcut_scores(model, grid, X, y).items():
            if np.allclose(arr, scores, rtol=self.RTOL, atol=self.ATOL):
                return incorrect(_SHORTCUTS[name])
        if np.allclose(arr, expected[::-1], rtol=self.RTOL, atol=self.ATOL):
            return incorrect("the scores are in reverse order: give them in time order, the earliest test block first.")
        return incorrect(
            "the fold scores differ from the stated procedure: forward outer folds (TimeSeriesSplit(n_splits=4)), "
            "an inner GridSearchCV with cv=TimeSeriesSplit(n_splits=3) and scoring='neg_log_loss' on each outer "
            "fold's training rows, then the log-loss of the refit search on the fold's test rows.",
            result.details,
        )

    def _test(self, fn: Any, description: str, make: Any, seed: int, weight: float = 1.0, premise: Any = None) -> Test:
        def run() -> CheckResult:
            with _one_thread():
                model, grid, X, y = make(seed)
                return self._case(fn, model, grid, X, y, _nested_reference(make.__name__, seed))

        # The description names the model, its grid and the number of rows: ``premise(model, grid, X, y)``.
        return Test(description, run, weight, premise and (lambda: premise(*make(seed))))

    @staticmethod
    def logistic_case(seed: int, n: int = 240) -> tuple[Any, dict, Any, Any]:
        """Return a standardized logistic regression with a grid of four C, on drifting time-ordered rows."""
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        X, y = time_ordered_data(n, 4, seed)
        model = make_pipeline(StandardScaler(), LogisticRegression())
        return model, {"logisticregression__C": [0.01, 0.1, 1.0, 10.0]}, X, y

    @staticmethod
    def boosting_case(seed: int) -> tuple[Any, dict, Any, Any]:
        """Return a small gradient boosting model with two depths, on drifting time-ordered rows."""
        from sklearn.ensemble import HistGradientBoostingClassifier

        X, y = time_ordered_data(200, 3, seed)
        return HistGradientBoostingClassifier(max_iter=20, random_state=0), {"max_depth": [1, 3]}, X, y

    @staticmethod
    def baseline_case(seed: int) -> tuple[Any, dict, Any, Any]:
        """Return the baseline, a DummyClassifier that predicts the training rows' share of ones, nothing to tune."""
        from sklearn.dummy import DummyClassifier

        X, y = time_ordered_data(160, 2, seed)
        return DummyClassifier(strategy="prior"), {}, X, y

    #: The seed of the fixed case on which every shortcut of ``_SHORTCUTS`` gives other scores than the procedure.
    SEPARATING_SEED = 1

    def public_tests(self, answer: Any) -> list[Test]:
        return [
            self._test(
                answer,
                "A logistic regression with four values of C, on 240 time-ordered rows",
                self.logistic_case,
                4242,
            )
        ]

    def public_inputs(self) -> list[Any]:
        return list(self.logistic_case(4242)[2:])

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        seeds = [int(rng.integers(1_000, 1_000_000)) for _ in range(3)]
        return [
            self._test(
                answer,
                "A logistic regression on 240 rows whose link to the label drifts, where every shortcut (shuffled "
                "folds, one search on all rows, a choice on the test block, accuracy, no tuning) scores otherwise",
                self.logistic_case,
                self.SEPARATING_SEED,
                2.0,
            ),
            self._test(
                answer,
                "A logistic regression on 240 other time-ordered rows",
                self.logistic_case,
                seeds[0],
                premise=lambda model, grid, X, y: type(model[-1]).__name__ == "LogisticRegression" and len(X) == 240,
            ),
            self._test(
                answer,
                "Gradient boosting with two depths, on 200 rows",
                self.boosting_case,
                seeds[1],
                premise=lambda model, grid, X, y: (
                    "GradientBoosting" in type(model).__name__ and len(grid["max_depth"]) == 2 and len(X) == 200
                ),
            ),
            self._test(
                answer,
                "The baseline, a DummyClassifier with nothing to tune, on 160 rows",
                self.baseline_case,
                seeds[2],
                premise=lambda model, grid, X, y: (
                    type(model).__name__ == "DummyClassifier" and not grid and len(X) == 160
                ),
            ),
        ]


q6 = NestedTimeScore(
    id="q6",
    module=MODULE,
    title="An honest score on later data",
    points=3,
    answer_name="nested_time_score",
    implementations=(
        "lepton_training.optimization.selection.nested_time_score",
        "lepton_training.optimization.selection.shortcut_scores",
    ),
    parameters=("model", "grid", "X", "y"),
    objectives=(4,),
    hints=(
        "Two loops, one inside the other. The outer loop only measures: TimeSeriesSplit(n_splits=4) gives, for "
        "each fold, earlier rows to learn from and the next block to score. The inner loop only chooses: a "
        "GridSearchCV fitted on the outer fold's earlier rows, with forward folds of its own.",
        "`GridSearchCV(model, grid, cv=TimeSeriesSplit(n_splits=3), scoring='neg_log_loss')` is the inner loop; "
        "after `.fit(X[train], y[train])` it refits the best values on all of those rows, and its "
        "`.predict_proba(X[test])[:, 1]` gives the probabilities that `log_loss(y[test], ...)` scores. The whole "
        "thing is also one line: `cross_val_score(search, X, y, cv=TimeSeriesSplit(n_splits=4), "
        "scoring='neg_log_loss')`, with the sign flipped.",
        "Fill in the blanks:\n\n```python\ndef nested_time_score(model, grid, X, y):\n"
        "    scores = []\n    for train, test in TimeSeriesSplit(n_splits=____).split(X):\n"
        '        search = GridSearchCV(model, grid, cv=TimeSeriesSplit(n_splits=____), scoring="neg_log_loss")\n'
        "        search.fit(X[____], y[____])\n"
        "        scores.append(log_loss(y[test], search.predict_proba(X[____])[:, 1]))\n"
        "    return np.array(scores)\n```",
    ),
)

#: The source documents' objective once graded as a 1-point formula exercise is now tried in the notebook without
#: a grade, so that the module keeps the course standard's 6 graded exercises with q6 (nested, forward
#: validation). The allocation and the nested score, once q6 and q7, were renumbered q5 and q6 so that each
#: exercise's number matches its heading ("Exercise 5" calls ``q5.check()``).
exercises = ExerciseSet(MODULE, [q1, q2, q3, q4, q5, q6])


def progress():
    """Show which questions of this module pass their public checks, and the points at stake.

    Returns
    -------
    lepton_training.exercises.Progress
    """
    return exercises.progress()
