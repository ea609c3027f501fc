"""The course's data sets, generated deterministically from a seed, each documented by a data card.

Heavy libraries (NumPy, pandas) are imported when a data set is built, not when this package is imported.
"""

from lepton_training.datasets.training import TRAINING_SESSIONS_CARD, training_sessions

__all__ = ["training_sessions", "TRAINING_SESSIONS_CARD"]
