"""Instructor side of grading, on top of nbgrader.

The path of a learner's notebook, one module each (read them in this order):
``cases`` and ``view`` (once per run: the inputs of every test, and the package as the sandbox sees it, with
nothing that can compute an answer) → ``submissions`` (what may be graded) → ``run`` (nbgrader autograde per
learner, in parallel) → ``seeds`` (the cohort's hidden seeds, kept out of the sandbox) → ``execute`` and
``sandbox`` (the confined kernel) → ``recorder`` (answers published as ``plain`` data, inside the sandbox) →
``verify`` (points computed outside it) → ``gradebook`` (one transaction per learner, the CSV exports) →
``feedback`` (offline pages titled by question; delivered to hub learners and to an outbox). Also ``collect``
(uploaded notebooks into ``submitted/``) and ``validate`` (nbgrader's validator
with an honest exit status). Nothing here is imported by ``import lepton_training``.
"""
