"""The course's data sets, generated deterministically from a seed, each documented by a data card.

========================  ==========================================================  =========================
generator                 what it is                                                  card
========================  ==========================================================  =========================
``training_sessions``     attendance and ratings of live sessions (module 00)         ``TRAINING_SESSIONS_CARD``
``talent_pipeline``       raw, messy hiring-pipeline export (module 01)               ``TALENT_PIPELINE_CARD``
``clean_talent_pipeline`` its reference cleaning (modules 02 to 04)                   ``TALENT_PIPELINE_CARD``
``training_feedback``     free-text survey comments with ratings (modules 01, 03)     ``TRAINING_FEEDBACK_CARD``
``training_participants`` hours and pre/post assessment scores (module 04)            ``TRAINING_PARTICIPANTS_CARD``
``detailed_feedback``     long survey comments with ratings, a large vocabulary (02)  ``DETAILED_FEEDBACK_CARD``
========================  ==========================================================  =========================

Heavy libraries (NumPy, pandas) are imported when a data set is built, not when this package is imported.
"""

from lepton_training.datasets.card import Column, DataCard, Quirk
from lepton_training.datasets.feedback import TRAINING_FEEDBACK_CARD, sentiment_lexicon, training_feedback
from lepton_training.datasets.participants import TRAINING_PARTICIPANTS_CARD, training_participants
from lepton_training.datasets.reviews import DETAILED_FEEDBACK_CARD, detailed_feedback
from lepton_training.datasets.talent import (
    CHANNELS,
    CLEAN_TALENT_COLUMNS,
    EXCHANGE_RATES_TO_USD,
    OUTCOMES,
    TALENT_PIPELINE_CARD,
    canonical_channel,
    clean_talent_pipeline,
    parse_date,
    parse_salary_usd,
    parse_yes_no,
    talent_pipeline,
)
from lepton_training.datasets.training import TRAINING_SESSIONS_CARD, training_sessions

__all__ = [
    "training_sessions",
    "TRAINING_SESSIONS_CARD",
    "talent_pipeline",
    "clean_talent_pipeline",
    "canonical_channel",
    "parse_date",
    "parse_salary_usd",
    "parse_yes_no",
    "TALENT_PIPELINE_CARD",
    "EXCHANGE_RATES_TO_USD",
    "CHANNELS",
    "OUTCOMES",
    "CLEAN_TALENT_COLUMNS",
    "training_feedback",
    "sentiment_lexicon",
    "TRAINING_FEEDBACK_CARD",
    "training_participants",
    "TRAINING_PARTICIPANTS_CARD",
    "detailed_feedback",
    "DETAILED_FEEDBACK_CARD",
    "DataCard",
    "Column",
    "Quirk",
]
