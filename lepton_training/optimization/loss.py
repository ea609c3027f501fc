"""The logistic loss of a linear model, its gradient, a numerical check, and its minimization with SciPy.

Conventions, shared with module 02's exercises: ``X`` is an ``(n, d)`` array whose **first column is all ones**
(the intercept), ``w`` holds ``d`` weights with the intercept first, ``y`` holds 0 and 1. The loss is the
*mean* over rows, so that its scale does not depend on the number of rows, plus ``alpha / 2`` times the sum of
the squared weights **other than the intercept** (penalizing the intercept would pull the predicted rate
towards one half, whatever the data say).
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "sigmoid",
    "logistic_loss_and_gradient",
    "numerical_gradient",
    "fit_penalized",
    "alpha_for_C",
    "C_for_alpha",
]


def sigmoid(z: Any) -> Any:
    """Return the logistic function ``1 / (1 + exp(-z))``, without overflow for large ``|z|``.

    Parameters
    ----------
    z : array_like

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> float(sigmoid(0.0))
    0.5
    """
    import numpy as np

    z = np.asarray(z, dtype=float)
    # exp(-z) overflows for z << 0; exp(-|z|) never does, and the two branches are the same function.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def logistic_loss_and_gradient(w: Any, X: Any, y: Any, alpha: float = 0.0) -> tuple[float, Any]:
    """Return the mean logistic loss of weights ``w`` and its gradient.

    ``loss = mean(log(1 + exp(z)) - y * z) + alpha / 2 * sum(w[1:] ** 2)`` with ``z = X @ w``; the first form
    of the log-loss is the same as ``-y log p - (1 - y) log(1 - p)`` with ``p = sigmoid(z)``, and stays
    finite when ``p`` rounds to 0 or 1.

    Parameters
    ----------
    w : numpy.ndarray of shape (d,)
        Weights, the intercept first.
    X : numpy.ndarray of shape (n, d)
        Features, the first column all ones.
    y : numpy.ndarray of shape (n,)
        Labels, 0 or 1.
    alpha : float, default 0
        Strength of the L2 penalty on the weights other than the intercept.

    Returns
    -------
    loss : float
    gradient : numpy.ndarray of shape (d,)

    Examples
    --------
    >>> import numpy as np
    >>> loss, grad = logistic_loss_and_gradient(np.zeros(2), np.array([[1.0, 2.0], [1.0, -1.0]]), np.array([1, 0]))
    >>> round(loss, 6), grad.tolist()
    (0.693147, [0.0, -0.75])
    """
    import numpy as np

    w = np.asarray(w, dtype=float)
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    z = X @ w
    n = len(y)
    loss = float(np.mean(np.logaddexp(0.0, z) - y * z))
    gradient = X.T @ (sigmoid(z) - y) / n
    penalized = w.copy()
    penalized[0] = 0.0  # the intercept is not penalized
    loss += 0.5 * alpha * float(penalized @ penalized)
    gradient = gradient + alpha * penalized
    return loss, gradient


def numerical_gradient(f: Any, w: Any, eps: float = 1e-6) -> Any:
    """Approximate the gradient of ``f`` at ``w`` by central differences.

    ``(f(w + eps e_j) - f(w - eps e_j)) / (2 eps)`` for each coordinate ``j``: its error shrinks like
    ``eps**2``, against ``eps`` for a one-sided difference.

    Parameters
    ----------
    f : callable
        Takes ``w`` and returns a float (for a function returning ``(loss, gradient)``, pass
        ``lambda w: fn(w)[0]``).
    w : numpy.ndarray of shape (d,)
    eps : float, default 1e-6

    Returns
    -------
    numpy.ndarray of shape (d,)

    Examples
    --------
    >>> import numpy as np
    >>> numerical_gradient(lambda v: float(v @ v), np.array([1.0, -2.0])).round(6).tolist()
    [2.0, -4.0]
    """
    import numpy as np

    w = np.asarray(w, dtype=float)
    grad = np.zeros_like(w)
    for j in range(len(w)):
        step = np.zeros_like(w)
        step[j] = eps
        grad[j] = (f(w + step) - f(w - step)) / (2 * eps)
    return grad


def alpha_for_C(C: float, n: int) -> float:
    """Return the penalty ``alpha`` of the mean loss that scikit-learn's ``LogisticRegression(C=C)`` applies.

    scikit-learn minimizes ``0.5 * ||w||^2 + C * sum(log-loss)`` (intercept not penalized); dividing by
    ``n * C`` gives ``mean(log-loss) + 1 / (2 n C) * ||w||^2``, so ``alpha = 1 / (n C)``.

    Parameters
    ----------
    C : float
        scikit-learn's inverse regularization strength.
    n : int
        Number of training rows.

    Returns
    -------
    float

    Examples
    --------
    >>> alpha_for_C(1.0, 200)
    0.005
    """
    return 1.0 / (n * C)


def C_for_alpha(alpha: float, n: int) -> float:
    """Return scikit-learn's ``C`` for the penalty ``alpha`` of the mean loss (the inverse of :func:`alpha_for_C`).

    Parameters
    ----------
    alpha : float
    n : int

    Returns
    -------
    float

    Examples
    --------
    >>> C_for_alpha(0.005, 200)
    1.0
    """
    return 1.0 / (n * alpha)


def fit_penalized(X: Any, y: Any, alpha: float, penalize_intercept: bool = False) -> Any:
    """Minimize the penalized mean logistic loss with ``scipy.optimize.minimize`` (L-BFGS-B, exact gradient).

    Parameters
    ----------
    X : numpy.ndarray of shape (n, p)
        Features **without** the column of ones; it is added here.
    y : numpy.ndarray of shape (n,)
        Labels, 0 or 1.
    alpha : float
        Penalty strength, as in :func:`logistic_loss_and_gradient`.
    penalize_intercept : bool, default False
        Penalize the intercept too (a mistake the course's checks recognize; not for real use).

    Returns
    -------
    numpy.ndarray of shape (p + 1,)
        The weights, the intercept first.
    """
    import numpy as np
    from scipy.optimize import minimize

    X1 = np.column_stack([np.ones(len(X)), np.asarray(X, dtype=float)])

    def fun(w: Any) -> tuple[float, Any]:
        loss, grad = logistic_loss_and_gradient(w, X1, y, alpha)
        if penalize_intercept:
            loss += 0.5 * alpha * w[0] ** 2
            grad = grad.copy()
            grad[0] += alpha * w[0]
        return loss, grad

    res = minimize(
        fun,
        np.zeros(X1.shape[1]),
        jac=True,
        method="L-BFGS-B",
        options={"gtol": 1e-11, "ftol": 1e-15, "maxiter": 10_000},
    )
    return res.x
