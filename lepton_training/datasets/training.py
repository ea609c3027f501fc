"""Lepton AI's internal training programme: who attended which module, for how long, and how they rated it."""

from __future__ import annotations

import math
from typing import Any

from lepton_training.datasets.card import Column, DataCard, Quirk

__all__ = ["training_sessions", "TRAINING_SESSIONS_CARD"]

TRAINING_SESSIONS_CARD = DataCard(
    name="training_sessions",
    summary=(
        "One row per attendance of a learner at a live module of Lepton Training: the internal applied-AI course.\n"
        "Synthetic: generated from a seed by `lepton_training.datasets.training_sessions`, with the shape and the "
        "quirks of the real attendance export. No real person is in it."
    ),
    columns=(
        Column("session_id", "str", "", 'id of the live session, such as "S07"'),
        Column("team", "str", "", "the learner's team: Research, Platform, Product, Sales or People"),
        Column(
            "participant",
            "str",
            "",
            'anonymised learner id, such as "P023"; a learner appears once per module attended',
        ),
        Column("module", "str", "", 'module id from the course manifest, such as "01-data-prep"'),
        Column("hours", "float", "h", "hours attended (h), to the quarter hour; at most the module's planned length"),
        Column(
            "rating",
            "float",
            "",
            "post-session rating from 1 (poor) to 5 (excellent); missing (NaN) when the learner skipped the survey",
        ),
    ),
    # Stated in the summary; left empty so that the printed card stays the one module 00 shows.
    generation="",
    quirks=(
        Quirk(
            "missing_and_skewed_ratings",
            "About 1 rating in 10 is missing. Ratings are skewed towards 4 and 5, as satisfaction surveys are.",
        ),
        Quirk("partial_attendance", "Some learners attended part of a session only (fewer hours than planned)."),
    ),
)
"""The data card of :func:`training_sessions`."""

_TEAMS = ("Research", "Platform", "Product", "Sales", "People")
_TEAM_WEIGHTS = (0.3, 0.25, 0.2, 0.15, 0.1)


def training_sessions(n_participants: int = 60, seed: int = 7) -> Any:
    """Generate the training-attendance table described by :data:`TRAINING_SESSIONS_CARD`.

    Parameters
    ----------
    n_participants : int, default 60
        How many learners; each attends between one and all modules.
    seed : int, default 7
        Seed of the generator: the same seed gives the same table on every machine.

    Returns
    -------
    pandas.DataFrame
        Columns ``session_id``, ``team``, ``participant``, ``module``, ``hours``, ``rating``.

    Examples
    --------
    >>> df = training_sessions(n_participants=5, seed=1)
    >>> list(df.columns)
    ['session_id', 'team', 'participant', 'module', 'hours', 'rating']
    """
    import numpy as np
    import pandas as pd

    from lepton_training.manifest import load_course

    if n_participants < 1:
        raise ValueError(f"n_participants must be at least 1, not {n_participants}")
    modules = load_course().modules
    rng = np.random.default_rng(seed)
    rows = []
    for p in range(n_participants):
        participant = f"P{p + 1:03d}"
        team = _TEAMS[rng.choice(len(_TEAMS), p=_TEAM_WEIGHTS)]
        n_modules = int(rng.integers(1, len(modules) + 1))
        for m_index in sorted(rng.choice(len(modules), size=n_modules, replace=False)):
            module = modules[int(m_index)]
            planned = module.total_minutes / 60
            attended = planned if rng.random() < 0.8 else planned * rng.uniform(0.4, 0.9)
            rating = float(rng.choice([1, 2, 3, 4, 5], p=[0.03, 0.07, 0.2, 0.4, 0.3]))
            rows.append(
                {
                    "session_id": f"S{int(m_index) * 3 + int(rng.integers(1, 4)):02d}",
                    "team": team,
                    "participant": participant,
                    "module": module.id,
                    # Rounded *down* to the quarter hour, so that hours never exceed the planned length (an
                    # 85-minute module rounded to the nearest quarter would give 1.5 h); at least one quarter.
                    "hours": max(0.25, math.floor(attended * 4 + 1e-9) / 4),
                    "rating": rating if rng.random() > 0.1 else np.nan,
                }
            )
    return pd.DataFrame(rows, columns=["session_id", "team", "participant", "module", "hours", "rating"])
