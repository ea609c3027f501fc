"""Lepton Training: Lepton AI's applied-AI course toolkit.

Sub-modules, each imported on its own so that ``import lepton_training`` stays light (no pandas,
scikit-learn or matplotlib until a feature needs them):

``render``      HTML building blocks of the course (headers, callouts, feedback, agenda).
``checks``      comparisons of answers with what is expected, with specific feedback.
``exercises``   questions with checks, hints and nbgrader grading; a learner's progress summary.
``questions``   the graded questions of each module.
``datasets``    the course's data sets and their data cards.
``manifest``    the course manifest: modules, objectives, minutes.
``build``       building the learner release with nbgrader.
``cli``         the ``lepton-training`` command.
"""

__version__ = "0.1.0"
