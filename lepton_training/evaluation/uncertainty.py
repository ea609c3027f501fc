"""The uncertainty of a statistic: bootstrap confidence intervals, with SciPy's implementation underneath."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["BootstrapInterval", "bootstrap_ci"]


@dataclass(frozen=True)
class BootstrapInterval:
    """A statistic with its bootstrap confidence interval.

    Attributes
    ----------
    estimate : float
        The statistic on the data as given.
    low, high : float
        The interval's bounds.
    confidence : float
        Its confidence level, such as 0.95.
    standard_error : float
        The standard deviation of the bootstrap distribution.
    n_resamples : int
        How many resamples it was computed from.
    method : str
        ``"percentile"``, ``"basic"`` or ``"BCa"``.
    """

    estimate: float
    low: float
    high: float
    confidence: float
    standard_error: float
    n_resamples: int
    method: str

    def __iter__(self):
        # ``estimate, low, high = bootstrap_ci(...)`` reads naturally.
        return iter((self.estimate, self.low, self.high))

    def __str__(self) -> str:
        return f"{self.estimate:.3g} ({100 * self.confidence:g}% CI {self.low:.3g} to {self.high:.3g})"


def bootstrap_ci(
    values: Any,
    statistic: Callable[..., Any],
    n_resamples: int = 9999,
    confidence: float = 0.95,
    seed: int | None = None,
    *,
    method: str = "percentile",
    vectorized: bool = False,
) -> BootstrapInterval:
    """Bootstrap confidence interval of a statistic, resampling the rows (units) with replacement.

    A thin layer over :func:`scipy.stats.bootstrap`: it accepts one sample or several *paired* samples (the
    pre- and post-scores of the same learners, the labels and predictions of the same candidates), which are
    resampled together so that each resample keeps the pairs intact.

    Parameters
    ----------
    values : array_like or sequence of array_like
        One 1-D sample, or a tuple or list of 1-D samples of equal length, resampled together.
    statistic : callable
        ``statistic(sample)`` or ``statistic(*samples)``, returning a number. With ``vectorized=True`` it must
        also accept an ``axis`` keyword and compute along it (NumPy style), which is much faster.
    n_resamples : int, default 9999
        Number of bootstrap resamples. A few thousand are enough for a 95% interval whose bounds are stable to
        a small fraction of the standard error.
    confidence : float, default 0.95
        Confidence level, between 0 and 1.
    seed : int, optional
        Seed of the resampling, for reproducible bounds.
    method : {"percentile", "basic", "BCa"}, default "percentile"
        How the interval is read off the bootstrap distribution. The percentile interval is the one the course
        teaches; BCa corrects for bias and skew (it needs more computation, and fails on degenerate samples).
    vectorized : bool, default False
        Whether ``statistic`` accepts an ``axis`` keyword.

    Returns
    -------
    BootstrapInterval
        The estimate on the data as given, the bounds, and the bootstrap standard error.

    Raises
    ------
    ValueError
        If the samples are empty or of different lengths, or ``confidence`` is not between 0 and 1.

    Examples
    --------
    >>> ci = bootstrap_ci([3.0, 4.0, 5.0, 6.0, 7.0], lambda x: sum(x) / len(x), n_resamples=2000, seed=1)
    >>> ci.estimate
    5.0
    >>> bool(3.0 < ci.low < 5.0 < ci.high < 7.0)
    True
    """
    import numpy as np
    from scipy import stats

    samples = _samples(values)
    lengths = {len(s) for s in samples}
    if len(lengths) != 1:
        raise ValueError(f"paired samples must have the same length, not {sorted(lengths)}")
    if lengths == {0}:
        raise ValueError("cannot bootstrap an empty sample")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence!r}")
    estimate = float(statistic(*samples))
    result = stats.bootstrap(
        tuple(samples),
        statistic,
        n_resamples=int(n_resamples),
        confidence_level=confidence,
        method=method,
        paired=len(samples) > 1,
        vectorized=vectorized,
        rng=np.random.default_rng(seed),
    )
    return BootstrapInterval(
        estimate=estimate,
        low=float(result.confidence_interval.low),
        high=float(result.confidence_interval.high),
        confidence=float(confidence),
        standard_error=float(result.standard_error),
        n_resamples=int(n_resamples),
        method=method,
    )


def _samples(values: Any) -> list[Any]:
    import numpy as np

    if isinstance(values, (tuple, list)) and values and all(np.ndim(v) == 1 for v in values):
        return [np.asarray(v, dtype=float) for v in values]
    sample = np.asarray(values, dtype=float)
    if sample.ndim != 1:
        raise ValueError(f"values should be one 1-D sample or a sequence of them, not shape {sample.shape}")
    return [sample]
