"""Participants of Lepton Training: hours attended and assessment scores before and after the course."""

from __future__ import annotations

from typing import Any

from lepton_training.datasets.card import Column, DataCard, Quirk

__all__ = ["training_participants", "TRAINING_PARTICIPANTS_CARD"]

DEFAULT_SEED = 2026

# The teams of training_sessions: one name per thing across the course.
_TEAMS = ("Research", "Platform", "Product", "Sales", "People")
_TEAM_WEIGHTS = (0.3, 0.25, 0.2, 0.15, 0.1)
_TEAM_GAIN = (0.45, 0.42, 0.36, 0.28, 0.3)  # mean normalized gain at 16 hours
_TEAM_PRE = (64.0, 60.0, 52.0, 42.0, 45.0)  # mean pre-score
_LEVELS = ("junior", "mid", "senior")
_LEVEL_WEIGHTS = (0.35, 0.45, 0.2)
_LEVEL_PRE = (-6.0, 0.0, 8.0)
_MAX_HOURS = 24.0  # the six live modules together

_RATES = {"dropouts": 0.08}

TRAINING_PARTICIPANTS_CARD = DataCard(
    name="training_participants",
    summary=(
        "One row per employee enrolled in Lepton Training: their team and level, the hours of live sessions they "
        "attended, and their score on the same 100-point assessment before and after the course. Module 04 "
        "estimates the learning gain from it, with the normalized gain (post - pre) / (100 - pre) and a bootstrap "
        "confidence interval. Synthetic: generated from a seed by "
        "`lepton_training.datasets.training_participants`; no real person is in it."
    ),
    columns=(
        Column("employee_id", "str", "", 'anonymized employee id, such as "E0042"; one row per employee'),
        Column("team", "str", "", "the employee's team: Research, Platform, Product, Sales or People"),
        Column("level", "str", "", "role level: junior, mid or senior"),
        Column(
            "hours_attended",
            "float",
            "h",
            "hours of live sessions attended (h), to the quarter hour, 0 to 24",
        ),
        Column(
            "pre_score",
            "float",
            "points",
            "assessment score before the course (points), 0 to 95 in whole points (so the normalized gain is "
            "always defined)",
        ),
        Column(
            "post_score",
            "float",
            "points",
            "the same assessment after the course (points), 0 to 100 in whole points; NaN when the employee "
            "dropped out before the final assessment",
        ),
    ),
    generation=(
        "Pre-scores depend on team and level. Each employee's normalized gain is drawn around a team mean "
        "(Research 0.45 down to Sales 0.28 at 16 hours) that grows with the hours attended (about +0.02 per "
        "hour), with noise; post = pre + gain x (100 - pre), plus a few points of test-retest noise, clipped to "
        "0 to 100 and rounded. Dropouts are chosen at random, more often among those who attended few hours."
    ),
    quirks=(
        Quirk(
            "dropouts",
            "post_score missing: the employee did not take the final assessment. Dropouts attended fewer hours on "
            "average, so dropping them biases the mean gain upwards (missing at random given hours, not "
            "completely at random).",
            _RATES["dropouts"],
        ),
        Quirk(
            "ceiling_effect",
            "Some post-scores reach the maximum of 100 (about 2% of those present), and employees with high "
            "pre-scores have little room to improve: compare normalized gains, not raw differences.",
        ),
        Quirk(
            "negative_gains",
            "About 3% of those present score lower after than before (test-retest noise), so some normalized "
            "gains are negative.",
        ),
    ),
    not_for=(
        "Evaluating real employees, teams or instructors: it is synthetic. Not evidence that the course works: "
        "there is no control group, so the gain is not a causal effect of the training."
    ),
)
"""The data card of :func:`training_participants`."""


def training_participants(n: int = 400, seed: int = DEFAULT_SEED) -> Any:
    """Generate the participants table described by :data:`TRAINING_PARTICIPANTS_CARD`.

    Parameters
    ----------
    n : int, default 400
        Number of employees (at least 50).
    seed : int, default 2026
        Seed of the generator: the same seed gives the same table, byte for byte, on every machine.

    Returns
    -------
    pandas.DataFrame
        Columns ``employee_id``, ``team``, ``level``, ``hours_attended``, ``pre_score``, ``post_score``.

    Examples
    --------
    >>> df = training_participants(60, seed=1)
    >>> list(df.columns)
    ['employee_id', 'team', 'level', 'hours_attended', 'pre_score', 'post_score']
    >>> bool(df["pre_score"].max() <= 95)
    True
    """
    import numpy as np
    import pandas as pd

    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 50:
        raise ValueError(f"n must be an integer of at least 50, not {n!r}")
    rng = np.random.default_rng(seed)
    team = rng.choice(len(_TEAMS), size=n, p=_TEAM_WEIGHTS)
    level = rng.choice(len(_LEVELS), size=n, p=_LEVEL_WEIGHTS)
    hours = np.clip(np.round(rng.beta(4, 1.6, n) * _MAX_HOURS * 4) / 4, 0, _MAX_HOURS)
    pre = np.clip(np.round(np.asarray(_TEAM_PRE)[team] + np.asarray(_LEVEL_PRE)[level] + rng.normal(0, 16, n)), 0, 95)
    gain = np.asarray(_TEAM_GAIN)[team] + 0.02 * (hours - 16) + rng.normal(0, 0.15, n)
    post = np.clip(np.round(pre + gain * (100 - pre) + rng.normal(0, 5, n)), 0, 100)

    # Dropouts: fewer hours, more likely to miss the final assessment.
    weights = (_MAX_HOURS + 2 - hours) ** 2
    dropped = rng.choice(n, size=round(_RATES["dropouts"] * n), replace=False, p=weights / weights.sum())
    post[dropped] = np.nan

    return pd.DataFrame(
        {
            "employee_id": [f"E{k + 1:04d}" for k in range(n)],
            "team": np.asarray(_TEAMS, dtype=object)[team],
            "level": np.asarray(_LEVELS, dtype=object)[level],
            "hours_attended": hours,
            "pre_score": pre,
            "post_score": post,
        }
    ).copy(deep=True)
