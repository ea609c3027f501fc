"""Instructor side of grading, on top of nbgrader.

The path of a learner's notebook, one module each (read them in this order):
``submissions`` (what may be graded) → ``run`` (nbgrader autograde per learner, in parallel) → ``seeds`` (the
cohort's hidden seeds) → ``execute`` and ``sandbox`` (the confined kernel) → ``record`` (answers written down as
``plain`` data, inside the sandbox) → ``verify`` (points computed outside it) → ``gradebook`` (one transaction
per learner). Also ``collect`` (uploaded notebooks into ``submitted/``) and ``validate`` (nbgrader's validator
with an honest exit status). Nothing here is imported by ``import lepton_training``.
"""
