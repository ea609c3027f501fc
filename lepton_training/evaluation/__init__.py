"""Evaluating models and the training itself (course module 04); the results report reuses the same functions.

Import it explicitly (``from lepton_training import evaluation``): it pulls in NumPy, pandas and SciPy, which
``import lepton_training`` alone must not.

- :func:`outcome_counts`, :func:`expected_cost`, :func:`cost_optimal_threshold`, :func:`calibrated_threshold`: the
  cost of a decision threshold, counting every outcome (a flagged candidate is interviewed, hired or not), the
  threshold that minimizes it, and the one theory gives for calibrated probabilities.
- :func:`bootstrap_ci`: a bootstrap confidence interval of any statistic (:func:`scipy.stats.bootstrap`
  underneath), for one sample or several paired ones.
- :func:`selection_rates`, :func:`true_positive_rates`, :func:`four_fifths_ratio`,
  :func:`equal_opportunity_difference`, :func:`fairness_audit`: a group fairness audit of a classifier's
  decisions.
- :func:`learning_gain`: the normalized learning gain of a pre/post assessment, per learner or for a class
  (Hake's), and :func:`learning_gain_ci` with its bootstrap confidence interval.
"""

from .fairness import (
    FairnessAudit,
    equal_opportunity_difference,
    fairness_audit,
    four_fifths_ratio,
    selection_rates,
    true_positive_rates,
)
from .gain import learning_gain, learning_gain_ci
from .thresholds import OUTCOMES, calibrated_threshold, cost_optimal_threshold, expected_cost, outcome_counts
from .uncertainty import BootstrapInterval, bootstrap_ci

__all__ = [
    "OUTCOMES",
    "BootstrapInterval",
    "FairnessAudit",
    "bootstrap_ci",
    "calibrated_threshold",
    "cost_optimal_threshold",
    "equal_opportunity_difference",
    "expected_cost",
    "fairness_audit",
    "four_fifths_ratio",
    "learning_gain",
    "learning_gain_ci",
    "outcome_counts",
    "selection_rates",
    "true_positive_rates",
]
