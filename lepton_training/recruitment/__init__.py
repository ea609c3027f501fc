"""Recruitment planning as a linear program (course module 05).

Import it explicitly (``from lepton_training import recruitment``): it pulls in SciPy and pandas, which
``import lepton_training`` alone must not.

- :func:`plan_min_cost`, :func:`plan_max_hires`: solve a plan over a table of channels and read it
  (:class:`Plan`: table, objective, status and message, shadow prices, binding constraints).
- :func:`sensitivity`: re-solve with a limit moved, to check a shadow price.
- :func:`min_cost_lp`, :func:`max_hires_lp`, :func:`solve_lp`: the same in two steps, to look at the model.
- :func:`build_multi_period`: the sparse LP of many roles x channels x quarters.
- :func:`validate_channels`, :func:`example_channels`: input checks and the table of the source documents.
"""

from .model import ChannelLP, example_channels, max_hires_lp, min_cost_lp
from .multi_period import MultiPeriodLP, build_multi_period
from .plan import Plan, Quantity, plan_max_hires, plan_min_cost, sensitivity, solve_lp
from .validation import validate_channels

__all__ = [
    "ChannelLP",
    "MultiPeriodLP",
    "Plan",
    "Quantity",
    "build_multi_period",
    "example_channels",
    "max_hires_lp",
    "min_cost_lp",
    "plan_max_hires",
    "plan_min_cost",
    "sensitivity",
    "solve_lp",
    "validate_channels",
]
