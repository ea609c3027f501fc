"""Choosing a model honestly on time-ordered data: nested cross-validation with folds that look forward in time.

A model that will score future candidates must be judged on rows that come *after* the rows it learned from,
and a hyper-parameter chosen with a score makes that score optimistic. :func:`nested_time_score` does both: for
each forward fold of ``TimeSeriesSplit`` it tunes the hyper-parameters on the fold's earlier rows only (an inner
forward search), then measures the tuned model's log-loss on the fold's later rows. The other functions compute
the usual shortcuts, so that module 02's grader can name them.
"""

from __future__ import annotations

from typing import Any

__all__ = ["OUTER_SPLITS", "INNER_SPLITS", "nested_time_score", "shortcut_scores"]

#: Forward folds of the outer loop (the score) and of the inner search (the choice).
OUTER_SPLITS, INNER_SPLITS = 4, 3


def _search(model: Any, grid: dict, inner: Any, scoring: str = "neg_log_loss") -> Any:
    from sklearn.model_selection import GridSearchCV

    return GridSearchCV(model, grid, cv=inner, scoring=scoring)


def _test_log_loss(fitted: Any, X: Any, y: Any) -> float:
    from sklearn.metrics import log_loss

    return float(log_loss(y, fitted.predict_proba(X)[:, 1], labels=[0, 1]))


def _nested(model: Any, grid: dict, X: Any, y: Any, outer: Any, inner: Any, scoring: str) -> Any:
    import numpy as np

    scores = []
    for train, test in outer.split(X, y):
        search = _search(model, grid, inner, scoring).fit(X[train], y[train])
        scores.append(_test_log_loss(search, X[test], y[test]))
    return np.array(scores)


def nested_time_score(model: Any, grid: dict, X: Any, y: Any) -> Any:
    """Return the log-loss of a tuned model on each forward fold of time-ordered rows (nested cross-validation).

    For each of the ``OUTER_SPLITS`` folds of ``TimeSeriesSplit`` (train on the earlier rows, test on the next
    block), ``GridSearchCV(model, grid, cv=TimeSeriesSplit(INNER_SPLITS), scoring="neg_log_loss")`` chooses the
    hyper-parameters on the fold's training rows only; the refit best model's mean log-loss on the fold's test
    rows is that fold's score.

    Parameters
    ----------
    model : scikit-learn classifier
        Any estimator with ``predict_proba``.
    grid : dict
        ``GridSearchCV``'s ``param_grid``; ``{}`` when there is nothing to tune.
    X : numpy.ndarray of shape (n, p)
        Features, rows in time order (oldest first).
    y : numpy.ndarray of shape (n,)
        0/1 labels.

    Returns
    -------
    numpy.ndarray of shape (OUTER_SPLITS,)
        The test log-losses in time order (lower is better).
    """
    from sklearn.model_selection import TimeSeriesSplit

    return _nested(model, grid, X, y, TimeSeriesSplit(OUTER_SPLITS), TimeSeriesSplit(INNER_SPLITS), "neg_log_loss")


def shortcut_scores(model: Any, grid: dict, X: Any, y: Any) -> dict[str, Any]:
    """Return what the usual shortcuts of :func:`nested_time_score` report, by name.

    ``"shuffled outer"``: stratified 4-fold outer folds (``cv=4``) instead of forward ones; ``"shuffled inner"``,
    ``"shuffled inner, 3 folds"``: the inner search with ``cv=5`` or ``cv=3`` (stratified folds, not
    forward); ``"not nested"``: one search on all rows with
    forward folds, reporting the chosen values' own fold scores; ``"chosen on test"``: each fold's best test
    log-loss over the grid; ``"untuned"``: the model's default hyper-parameters; ``"accuracy inner"``: the inner
    search choosing by accuracy; ``"sign"``: the scores as scikit-learn's ``neg_log_loss`` reports them.

    Parameters
    ----------
    model, grid, X, y
        As for :func:`nested_time_score`.

    Returns
    -------
    dict of str to numpy.ndarray
    """
    import numpy as np
    from sklearn.base import clone
    from sklearn.model_selection import ParameterGrid, StratifiedKFold, TimeSeriesSplit

    outer, inner = TimeSeriesSplit(OUTER_SPLITS), TimeSeriesSplit(INNER_SPLITS)
    reference = nested_time_score(model, grid, X, y)
    found = {
        "sign": -reference,
        "shuffled outer": _nested(model, grid, X, y, StratifiedKFold(OUTER_SPLITS), inner, "neg_log_loss"),
        "shuffled inner": _nested(model, grid, X, y, outer, StratifiedKFold(5), "neg_log_loss"),
        "shuffled inner, 3 folds": _nested(model, grid, X, y, outer, StratifiedKFold(3), "neg_log_loss"),
        "accuracy inner": _nested(model, grid, X, y, outer, inner, "accuracy"),
    }
    once = _search(model, grid, outer).fit(X, y)
    best = once.best_index_
    found["not nested"] = -np.array([once.cv_results_[f"split{k}_test_score"][best] for k in range(OUTER_SPLITS)])
    on_test, untuned = [], []
    for train, test in outer.split(X, y):
        losses = [
            _test_log_loss(clone(model).set_params(**params).fit(X[train], y[train]), X[test], y[test])
            for params in ParameterGrid(grid)
        ]
        on_test.append(min(losses))
        untuned.append(_test_log_loss(clone(model).fit(X[train], y[train]), X[test], y[test]))
    found["chosen on test"] = np.array(on_test)
    found["untuned"] = np.array(untuned)
    return found
