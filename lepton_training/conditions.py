"""Conditions a test calls a learner's function under, by name: a solver that answers 65.99999999 for 66.

A question's test sometimes needs the learner's function to meet a particular world, not only particular inputs:
module 05 checks that a whole-candidate plan survives a solver whose values sit a hair below whole numbers (a
truncating ``astype(int)`` turns 65.99999999 into 65). At grading the learner's function runs in the sandbox and
the test in the grader's process, so such a condition is part of a case, like its inputs: the test enters it by
name (:func:`under`), the grader writes the name into the case, and the sandbox's recorder calls the function
under the same condition and records what the condition saw. Nothing here computes or checks an answer.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Condition", "under", "active", "CONDITIONS"]


@dataclass
class Condition:
    """A condition in force: its name, and what it saw (the solver values it handed out)."""

    name: str
    seen: list = field(default_factory=list)


_STACK: list[Condition] = []


def active() -> Condition | None:
    """Return the condition in force, or None."""
    return _STACK[-1] if _STACK else None


def _hair_below(result: Any) -> Any:
    """Return a solver result whose positive values sit a hair below whole numbers, as HiGHS sometimes gives."""
    import numpy as np

    x = getattr(result, "x", None)
    if x is not None:
        x = np.asarray(x, dtype=float)
        result.x = np.where(x > 0.5, x - 1e-8, x)
    return result


@contextlib.contextmanager
def _solvers_hair_below(condition: Condition) -> Iterator[None]:
    """SciPy's ``milp`` and ``linprog`` return values such as 66.99999999 for 67, however they are called.

    The solvers are replaced in ``scipy.optimize`` and wherever a module of the running program holds them under
    any name (a notebook's ``from scipy.optimize import milp as solve_milp`` binds the name in its namespace).
    """
    import sys

    import scipy.optimize as optimize

    originals = {name: getattr(optimize, name) for name in ("milp", "linprog")}

    def wrap(solver: Any) -> Any:
        def solver_hair_below(*a: Any, **k: Any) -> Any:
            result = _hair_below(solver(*a, **k))
            condition.seen.append(getattr(result, "x", None))
            return result

        return solver_hair_below

    wrapped = {id(solver): wrap(solver) for solver in originals.values()}
    replaced: list[tuple[dict, str, Any]] = []
    namespaces = [vars(m) for m in list(sys.modules.values()) if m is not None and hasattr(m, "__dict__")]
    try:
        import IPython

        shell = IPython.get_ipython()
        if shell is not None:
            namespaces.append(shell.user_ns)
    except ImportError:
        pass
    for namespace in namespaces:
        for key, value in list(namespace.items()):
            if id(value) in wrapped and any(value is s for s in originals.values()):
                replaced.append((namespace, key, value))
                namespace[key] = wrapped[id(value)]
    try:
        yield
    finally:
        for namespace, key, value in replaced:
            namespace[key] = value


#: Name -> context manager factory taking the :class:`Condition`.
CONDITIONS = {"solvers-hair-below": _solvers_hair_below}


@contextlib.contextmanager
def under(name: str) -> Iterator[Condition]:
    """Enter a named condition for the duration of a test's call of the learner's function.

    Parameters
    ----------
    name : str
        One of :data:`CONDITIONS`.

    Yields
    ------
    Condition
        Its ``seen`` list collects what the condition handed out.
    """
    condition = Condition(name)
    with CONDITIONS[name](condition):
        _STACK.append(condition)
        try:
            yield condition
        finally:
            _STACK.pop()
