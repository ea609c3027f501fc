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


# Where SciPy's HiGHS solvers get their raw result: milp and linprog(method="highs") both call the
# ``_highs_wrapper`` bound in these modules, whatever name the learner imported the solver under.
_HIGHS_MODULES = ("scipy.optimize._milp", "scipy.optimize._linprog_highs")


def _patch_highs(seen: list) -> list[tuple[Any, str, Any]]:
    """Make SciPy's HiGHS wrapper return values a hair below whole numbers; return what to restore.

    Patching the wrapper where SciPy's own code looks it up reaches every way of calling the solver: ``milp``,
    ``linprog``, an alias such as ``from scipy.optimize import milp as solve_milp``, or ``optimize.milp``.
    """
    import importlib

    import numpy as np

    patched = []
    for module_name in _HIGHS_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:  # another SciPy lays its modules out differently: the fallback below covers it
            continue
        original = getattr(module, "_highs_wrapper", None)
        if original is None:
            continue

        def wrapper_hair_below(*a: Any, _original: Any = original, **k: Any) -> Any:
            raw = _original(*a, **k)
            x = raw.get("x") if isinstance(raw, dict) else None
            if x is not None:
                x = np.asarray(x, dtype=float)
                raw["x"] = np.where(x > 0.5, x - 1e-8, x)
                seen.append(raw["x"])
            return raw

        patched.append((module, "_highs_wrapper", original))
        module._highs_wrapper = wrapper_hair_below
    return patched


def _patch_solver_functions(seen: list) -> list[tuple[Any, str, Any]]:
    """Fallback where SciPy has no HiGHS wrapper to patch: replace ``milp`` and ``linprog`` in ``scipy.optimize``.

    It reaches ``optimize.milp(...)`` and imports made inside the learner's function, not a name bound before.
    """
    import scipy.optimize as optimize

    patched = []
    for name in ("milp", "linprog"):
        solver = getattr(optimize, name)

        def solver_hair_below(*a: Any, _solver: Any = solver, **k: Any) -> Any:
            result = _hair_below(_solver(*a, **k))
            seen.append(result.x)
            return result

        patched.append((optimize, name, solver))
        setattr(optimize, name, solver_hair_below)
    return patched


@contextlib.contextmanager
def _solvers_hair_below(condition: Condition) -> Iterator[None]:
    """SciPy's ``milp`` and ``linprog`` return values such as 66.99999999 for 67, however they are called."""
    patched = _patch_highs(condition.seen) or _patch_solver_functions(condition.seen)
    try:
        yield
    finally:
        for target, name, original in reversed(patched):
            setattr(target, name, original)


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
