"""Model optimization, the domain code of module 02.

A loss and its gradient, gradient descent, honest model choice on time-ordered data, and the training-hours
allocation model that replaces the source documents' "training efficiency" objective.

=================================  ===========================================================================
``logistic_loss_and_gradient``     mean logistic loss with an optional L2 penalty (intercept not penalized)
``numerical_gradient``             central finite differences, to check a gradient
``gradient_descent``               fixed-step gradient descent on the logistic loss, with its loss history
``fit_penalized``                  the same penalized loss minimized by ``scipy.optimize.minimize``
``alpha_for_C``, ``C_for_alpha``   scikit-learn's ``C`` and the penalty ``alpha`` of the mean loss
``source_objective``               the source documents' ``NKmE / NKmT``, evaluated on allocations
``skill_gain``, ``weighted_gain``  the diminishing-returns gain of training hours per skill
``allocate_training_hours``        the allocation of an hours budget that maximizes the weighted gain
``example_skills``                 the four skills of the source documents' case, with their weights
``selection.nested_time_score``    nested cross-validation with forward folds (module ``selection``)
=================================  ===========================================================================

Heavy libraries (NumPy, SciPy, pandas) are imported inside the functions, not when this package is imported.
"""

from lepton_training.optimization.allocation import (
    allocate_training_hours,
    example_skills,
    skill_gain,
    source_objective,
    weighted_gain,
)
from lepton_training.optimization.descent import gradient_descent
from lepton_training.optimization.loss import (
    C_for_alpha,
    alpha_for_C,
    fit_penalized,
    logistic_loss_and_gradient,
    numerical_gradient,
    sigmoid,
)

__all__ = [
    "sigmoid",
    "logistic_loss_and_gradient",
    "numerical_gradient",
    "fit_penalized",
    "alpha_for_C",
    "C_for_alpha",
    "gradient_descent",
    "source_objective",
    "skill_gain",
    "weighted_gain",
    "allocate_training_hours",
    "example_skills",
]
