"""Allocating a budget of training hours across skills: the source documents' objective and a sound model.

The source documents model training with ``N`` departments of ``K`` employees, ``m`` skills, ``T`` training
hours and an "efficiency" ``E`` (hours per skill), and minimize ``NKmE / NKmT``. The ratio simplifies to
``E / T``: nothing a planner decides (which skills get how many hours) appears in it, so "optimizing" it
cannot prefer one plan to another. :func:`source_objective` evaluates it on allocations to show exactly that.

The sound model chooses the hours ``h_i`` of each skill ``i`` to maximize the weighted skill gain
``sum_i weight_i * max_gain_i * (1 - exp(-h_i / hours_scale_i))`` subject to ``sum_i h_i <= budget`` and
``0 <= h_i <= max_hours_i``. Each skill's gain has diminishing returns (the first hours teach the most), so
the objective is concave and its optimum equalizes the weighted marginal gain of the skills that get hours:
:func:`allocate_training_hours` finds it exactly from those conditions, independent of any solver's path.
"""

from __future__ import annotations

from typing import Any

__all__ = ["source_objective", "skill_gain", "weighted_gain", "allocate_training_hours", "example_skills"]

#: Columns of a skills table (see :func:`example_skills`).
SKILL_COLUMNS = ("skill", "weight", "max_gain", "hours_scale", "max_hours")


def source_objective(allocations: Any, E: float, N: int, K: int) -> Any:
    """Evaluate the source documents' objective ``NKmE / NKmT`` on each allocation of training hours.

    Parameters
    ----------
    allocations : array_like of shape (plans, m)
        Each row a plan: the hours of training per employee on each of the ``m`` skills; its total is ``T``.
    E : float
        The source documents' "efficiency", hours per skill.
    N, K : int
        Departments and employees per department.

    Returns
    -------
    numpy.ndarray of shape (plans,)
        The objective of each plan. It equals ``E / T``: plans with the same total hours get the same value.

    Examples
    --------
    >>> source_objective([[10, 10, 5, 5], [25, 5, 0, 0]], E=1.0, N=3, K=20).round(4).tolist()
    [0.0333, 0.0333]
    """
    import numpy as np

    plans = np.atleast_2d(np.asarray(allocations, dtype=float))
    m = plans.shape[1]
    T = plans.sum(axis=1)
    return N * K * m * E / (N * K * m * T)


def skill_gain(hours: Any, max_gain: Any, hours_scale: Any) -> Any:
    """Return the expected assessment gain of ``hours`` of training on a skill: ``max_gain (1 - exp(-h / s))``.

    Parameters
    ----------
    hours : array_like
        Training hours (h).
    max_gain : array_like
        Gain approached with unlimited hours (assessment points).
    hours_scale : array_like
        Hours after which about 63% of the maximum gain is reached (h).

    Returns
    -------
    numpy.ndarray
        Gain (assessment points).

    Examples
    --------
    >>> round(float(skill_gain(10.0, 30.0, 10.0)), 3)
    18.964
    """
    import numpy as np

    return np.asarray(max_gain, dtype=float) * -np.expm1(
        -np.asarray(hours, dtype=float) / np.asarray(hours_scale, dtype=float)
    )


def weighted_gain(hours: Any, skills: Any) -> float:
    """Return the weighted skill gain of an allocation: the objective of the sound model.

    Parameters
    ----------
    hours : array_like of shape (m,)
        Hours per skill, in the rows' order of ``skills``.
    skills : pandas.DataFrame
        Columns ``weight``, ``max_gain`` (points) and ``hours_scale`` (h), one row per skill.

    Returns
    -------
    float
        Weighted gain (weighted assessment points).
    """
    import numpy as np

    gains = skill_gain(hours, skills["max_gain"].to_numpy(float), skills["hours_scale"].to_numpy(float))
    return float(np.dot(skills["weight"].to_numpy(float), gains))


def allocate_training_hours(skills: Any, budget: float) -> Any:
    """Return the allocation of ``budget`` hours that maximizes :func:`weighted_gain`, from its optimality conditions.

    At the optimum every skill with hours strictly between 0 and its cap has the same weighted marginal gain
    ``lam = weight * max_gain / hours_scale * exp(-h / hours_scale)``, so ``h = hours_scale * log(weight *
    max_gain / (hours_scale * lam))``, clipped to ``[0, max_hours]``. The total hours fall as ``lam`` rises;
    bisection finds the ``lam`` that spends the budget exactly (or every skill is at its cap).

    Parameters
    ----------
    skills : pandas.DataFrame
        Columns ``weight``, ``max_gain`` (points), ``hours_scale`` (h) and ``max_hours`` (h), one row per
        skill; weights and gains positive.
    budget : float
        Hours available in all (h).

    Returns
    -------
    numpy.ndarray of shape (m,)
        Hours per skill, in the rows' order.

    Examples
    --------
    >>> allocate_training_hours(example_skills(), 30.0).round(2).tolist()
    [11.07, 9.17, 4.83, 4.94]
    """
    import numpy as np

    w = skills["weight"].to_numpy(float)
    a = skills["max_gain"].to_numpy(float)
    s = skills["hours_scale"].to_numpy(float)
    cap = skills["max_hours"].to_numpy(float)
    if cap.sum() <= budget:
        return cap.copy()
    slope0 = w * a / s  # marginal gain of the first hour

    def hours(lam: float) -> Any:
        return np.clip(s * np.log(slope0 / lam), 0.0, cap)

    lo, hi = 1e-300, float(slope0.max())  # hours(hi) is all zeros; hours(lo) is every cap
    for _ in range(2000):
        mid = np.sqrt(lo * hi) if hi / lo > 4 else 0.5 * (lo + hi)
        if hours(mid).sum() > budget:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-15 * hi:
            break
    h = hours(hi)
    # Spend the rounding remainder on the skills strictly inside their bounds, so the budget is met exactly.
    free = (h > 0) & (h < cap)
    if free.any():
        h[free] += (budget - h.sum()) * s[free] / s[free].sum()
    return h


def example_skills() -> Any:
    """Return the four skills of the source documents' case with their weights and a diminishing-returns gain.

    The weights are the source documents' (1.5 for model optimization and feature engineering, 1.0 for data
    preparation and model evaluation); the gains and hour scales are the course's assumptions, for
    illustration.

    Returns
    -------
    pandas.DataFrame
        Columns ``skill``, ``weight``, ``max_gain`` (assessment points), ``hours_scale`` (h), ``max_hours`` (h).
    """
    import pandas as pd

    return pd.DataFrame(
        {
            "skill": ["model optimization", "feature engineering", "data preparation", "model evaluation"],
            "weight": [1.5, 1.5, 1.0, 1.0],
            "max_gain": [30.0, 25.0, 20.0, 20.0],
            "hours_scale": [12.0, 8.0, 6.0, 5.0],
            "max_hours": [16.0, 16.0, 16.0, 16.0],
        },
        columns=list(SKILL_COLUMNS),
    )
