"""Did the training work? The normalized learning gain of a pre/post assessment, and its uncertainty.

Hake's normalized gain (R. R. Hake, "Interactive-engagement versus traditional methods", American Journal of
Physics 66, 64, 1998) measures a gain as a share of the room there was to improve::

    <g> = (mean post - mean pre) / (max score - mean pre)

computed from the *class averages*. It is 0 when nothing was learned, 1 when everyone reached the maximum, and
negative when scores fell. Dividing by the room left makes classes that start high and low comparable: a class
that moves from 80 to 90 and one that moves from 40 to 70 both close half of the gap (0.5).

The per-learner gain ``g_i = (post_i - pre_i) / (max - pre_i)`` is a different number: its mean gives each
learner the same weight, and it is undefined for a learner who already had the maximum before (no room to
improve). Here such a learner gets NaN and is left out of a per-learner mean; the class gain needs no such rule,
as long as the class's mean pre-score is below the maximum.

Learners without both scores (dropouts who missed the final assessment) are left out of both: a gain compares
the same people before and after. Say so when reporting it, because dropouts are rarely random (those who
attended less drop out more), and leaving them out usually flatters the gain.
"""

from __future__ import annotations

from typing import Any

from .uncertainty import BootstrapInterval, bootstrap_ci

__all__ = ["learning_gain", "learning_gain_ci"]


def _paired(pre: Any, post: Any) -> tuple[Any, Any]:
    import numpy as np

    pre = np.asarray(pre, dtype=float)
    post = np.asarray(post, dtype=float)
    if pre.shape != post.shape or pre.ndim != 1:
        raise ValueError(f"pre and post must be 1-D and of the same length, not {pre.shape} and {post.shape}")
    both = ~(np.isnan(pre) | np.isnan(post))
    return pre[both], post[both]


def _class_gain(pre: Any, post: Any, max_score: float, axis: int = -1) -> Any:
    import numpy as np

    mean_pre = np.mean(pre, axis=axis)
    room = max_score - mean_pre
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(room > 0, (np.mean(post, axis=axis) - mean_pre) / np.where(room > 0, room, 1.0), np.nan)


def learning_gain(pre: Any, post: Any, *, max_score: float = 100.0, per_learner: bool = False) -> Any:
    """Compute the normalized learning gain: the share of the possible improvement that was achieved.

    Parameters
    ----------
    pre, post : array_like
        Each learner's score before and after, in the same order (points, 0 to ``max_score``); NaN where a
        score is missing. Learners without both scores are left out (see the module docstring).
    max_score : float, default 100
        The assessment's maximum.
    per_learner : bool, default False
        False: the class gain, Hake's ``(mean post - mean pre) / (max - mean pre)`` over the learners with both
        scores. True: each learner's ``(post - pre) / (max - pre)``, NaN for a learner without both scores or
        already at the maximum before.

    Returns
    -------
    float or numpy.ndarray
        The class gain (NaN when no learner has both scores, or their mean pre-score is the maximum), or an
        array of per-learner gains of the same length as ``pre``.

    Examples
    --------
    >>> learning_gain([40, 80], [70, 90])
    0.5
    >>> learning_gain([40, 80, 100, 50], [70, 90, 100, float("nan")], per_learner=True).round(2).tolist()
    [0.5, 0.5, nan, nan]
    """
    import numpy as np

    if per_learner:
        pre_all = np.asarray(pre, dtype=float)
        post_all = np.asarray(post, dtype=float)
        if pre_all.shape != post_all.shape or pre_all.ndim != 1:
            raise ValueError(f"pre and post must be 1-D and of the same length, not {pre_all.shape}, {post_all.shape}")
        room = max_score - pre_all
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(room > 0, (post_all - pre_all) / np.where(room > 0, room, 1.0), np.nan)
    pre_both, post_both = _paired(pre, post)
    if len(pre_both) == 0:
        return float("nan")
    return float(_class_gain(pre_both, post_both, max_score))


def learning_gain_ci(
    pre: Any,
    post: Any,
    *,
    max_score: float = 100.0,
    n_resamples: int = 9999,
    confidence: float = 0.95,
    seed: int | None = None,
    method: str = "percentile",
) -> BootstrapInterval:
    """Compute the class's normalized learning gain with a bootstrap confidence interval.

    Learners (pairs of scores) are resampled with replacement and the class gain of :func:`learning_gain`
    recomputed on each resample; learners without both scores are left out first.

    Parameters
    ----------
    pre, post : array_like
        As for :func:`learning_gain`.
    max_score : float, default 100
        The assessment's maximum.
    n_resamples, confidence, seed, method
        As for :func:`~lepton_training.evaluation.bootstrap_ci`.

    Returns
    -------
    BootstrapInterval

    Raises
    ------
    ValueError
        If fewer than two learners have both scores.

    Examples
    --------
    >>> ci = learning_gain_ci([40, 50, 60, 70, 45, 55], [70, 60, 80, 85, 60, 75], n_resamples=2000, seed=1)
    >>> round(ci.estimate, 3), bool(ci.low < ci.estimate < ci.high)
    (0.393, True)
    """
    pre_both, post_both = _paired(pre, post)
    if len(pre_both) < 2:
        raise ValueError("a confidence interval needs at least two learners with both scores")

    def statistic(pre_sample: Any, post_sample: Any, axis: int = -1) -> Any:
        return _class_gain(pre_sample, post_sample, max_score, axis=axis)

    return bootstrap_ci(
        (pre_both, post_both),
        statistic,
        n_resamples=n_resamples,
        confidence=confidence,
        seed=seed,
        method=method,
        vectorized=True,
    )
