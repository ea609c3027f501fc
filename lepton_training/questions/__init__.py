"""Graded question definitions, one module of this package per course module.

A notebook imports its module's questions, for example
``from lepton_training.questions.orientation import q1, q2, q3, q4, progress``.
"""
