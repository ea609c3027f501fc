"""Instructor side of grading, on top of nbgrader: validating notebooks with an honest exit status."""
