"""Gradient descent with a fixed learning rate, recording the loss at every step and saying how the run ended."""

from __future__ import annotations

from typing import Any

__all__ = ["gradient_descent"]

#: The three ways a run ends, as :func:`gradient_descent` reports them.
STATUSES = ("converged", "diverged", "max steps")


def gradient_descent(
    X: Any, y: Any, learning_rate: float, n_steps: int, tol: float = 1e-6, alpha: float = 0.0
) -> tuple[Any, list[float], str]:
    """Minimize the mean logistic loss by gradient descent from all-zero weights.

    The rule, step by step (module 02's exercise states the same one):

    1. start from ``w = 0`` and record the loss there;
    2. at most ``n_steps`` times: compute the gradient at ``w``; if its Euclidean norm is below ``tol``, stop
       with ``"converged"``; otherwise step ``w = w - learning_rate * gradient`` and record the new loss; if
       that loss is not finite or higher than the first recorded loss, stop with ``"diverged"``;
    3. after ``n_steps`` steps without stopping, the status is ``"max steps"``.

    A step on a smooth convex loss with a small enough learning rate never raises the loss, so a loss above
    the starting one means the steps overshoot: the run diverges.

    Parameters
    ----------
    X : numpy.ndarray of shape (n, d)
        Features, the first column all ones.
    y : numpy.ndarray of shape (n,)
        Labels, 0 or 1.
    learning_rate : float
        Step size.
    n_steps : int
        Most steps to take.
    tol : float, default 1e-6
        Gradient norm below which the run has converged.
    alpha : float, default 0
        L2 penalty, as in :func:`~lepton_training.optimization.logistic_loss_and_gradient`.

    Returns
    -------
    w : numpy.ndarray of shape (d,)
        The last weights.
    history : list of float
        The loss at the start and after each step taken (steps taken + 1 values).
    status : {"converged", "diverged", "max steps"}

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, -1.0], [1.0, 0.0], [1.0, 1.0], [1.0, 2.0]])
    >>> w, history, status = gradient_descent(X, np.array([0, 1, 0, 1]), 1.0, 500)
    >>> status, len(history) < 500
    ('converged', True)
    """
    import math

    import numpy as np

    from lepton_training.optimization.loss import logistic_loss_and_gradient

    w = np.zeros(np.asarray(X).shape[1])
    loss, grad = logistic_loss_and_gradient(w, X, y, alpha)
    history = [loss]
    for _ in range(n_steps):
        if np.linalg.norm(grad) < tol:
            return w, history, "converged"
        w = w - learning_rate * grad
        loss, grad = logistic_loss_and_gradient(w, X, y, alpha)
        history.append(loss)
        if not math.isfinite(loss) or loss > history[0]:
            return w, history, "diverged"
    return w, history, "max steps"
