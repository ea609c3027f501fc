"""The course's own implementations of its exercises, and how an answer that calls one is found out.

Learners install the whole package, and the package holds code that computes the answers of some exercises (the
reference cleaning of module 01, the optimizers of module 02, the evaluation routines of module 04, ...). An
answer must be the learner's own work, so:

* each question declares the course code that computes its answer (``Question(implementations=...)``), by
  dotted name: a function or class (``"lepton_training.datasets.talent.clean_talent_pipeline"``) or a whole
  module or package (``"lepton_training.optimization"``: every function and class defined in it); a question
  whose statement hands the learner a course function as a tool says so (``Question(allows=...)``);
* ``check()`` runs the learner's function under a call trace (:func:`watching`) and says at once when it reached
  any of its module's declared implementations, by any route: an alias, a wrapper, ``importlib``, ``getattr``,
  a copied reference (the trace sees the code that runs, not the name it was called by);
* at grading, the sandbox holds a copy of the package in which these implementations are replaced by stubs that
  raise :class:`CourseCodeWithheld` (:mod:`lepton_training.grading.view`), so such an answer earns nothing there.
  An implementation that another exercise of the module allows as a tool cannot be withheld; the recorder then
  traces the calls of the question it answers (weaker: code that switches the trace off escapes it, which is why
  a statement should hand learners a tool only when the exercise cannot do without it).

Copying the source text of an implementation cannot be stopped, and need not be: that is the learner's code.
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "CourseCodeWithheld",
    "WITHHELD_MESSAGE",
    "Implementations",
    "register",
    "implementations_of",
    "watching",
    "withheld",
    "traced",
    "course_code_message",
    "locate",
    "resolve",
]

#: What a withheld implementation says when an answer calls it at grading (the verifier shows it to the learner).
WITHHELD_MESSAGE = (
    "{name} is the course's own implementation of an exercise of this module. An answer must be your own code: "
    "when grading, the course's implementation is not available, and an answer that calls it earns nothing."
)


class CourseCodeWithheld(RuntimeError):
    """Raised at grading by the stand-in of a course implementation that an answer called."""


@dataclass(frozen=True)
class Implementations:
    """Where the course code that answers a module's exercises lives, found without importing it.

    Attributes
    ----------
    names : tuple of str
        Dotted names: :data:`ALWAYS`, then those declared by the module's questions.
    where : dict
        Source file -> ``(qualified name, dotted name)`` pairs: a function or class of that file (its methods and
        nested functions included), or ``("", dotted module name)`` for a module declared whole.
    """

    names: tuple[str, ...]
    where: dict

    def name_of(self, code: Any) -> str | None:
        """Return the dotted name of the implementation ``code`` belongs to, or None."""
        entries = self.where.get(code.co_filename)
        if not entries:
            return None
        qualname = getattr(code, "co_qualname", code.co_name)
        for wanted, dotted in entries:
            if not wanted:
                return f"{dotted}.{qualname}"
            if qualname == wanted or qualname.startswith(wanted + "."):
                return dotted
        return None


#: Course code that checks or computes answers for every module: the question definitions and their checks.
ALWAYS = ("lepton_training.questions", "lepton_training.checks", "lepton_training.checks_lp")

_DECLARED: dict[str, list[str]] = {}
_ALLOWED: dict[str, list[str]] = {}
_RESOLVED: dict[tuple, Implementations] = {}
_LOCK = threading.Lock()


def register(module_id: str, names: Iterable[str], *, allowed: bool = False) -> None:
    """Declare course code that computes answers of a module's exercises (called by ``Question.__init__``).

    Parameters
    ----------
    module_id : str
    names : iterable of str
        Dotted names of functions, classes, modules or packages.
    allowed : bool
        True for the course functions a statement hands the learner as tools (never withheld).
    """
    names = list(names)
    for name in names:
        if not name.startswith("lepton_training.") or not all(part.isidentifier() for part in name.split(".")):
            raise ValueError(f"{module_id}: an implementation is a dotted name under lepton_training, not {name!r}")
    table = _ALLOWED if allowed else _DECLARED
    with _LOCK:
        table.setdefault(module_id, []).extend(n for n in names if n not in table.get(module_id, []))
        for key in [k for k in _RESOLVED if k[0] == module_id]:
            del _RESOLVED[key]


def tools(module_id: str) -> set[str]:
    """Return the dotted names of the course code a module's statements hand learners, and all the code it uses.

    Parameters
    ----------
    module_id : str

    Returns
    -------
    set of str
        Functions and classes of this package reachable from the allowed tools (they cannot be withheld).
    """
    found: set[str] = set()
    todo = [resolve(name) for name in _ALLOWED.get(module_id, ())]
    while todo:
        obj = todo.pop()
        name = f"{getattr(obj, '__module__', '')}.{getattr(obj, '__qualname__', '')}"
        if name in found or not name.startswith("lepton_training."):
            continue
        found.add(name)
        functions = [v for v in vars(obj).values() if inspect.isfunction(v)] if inspect.isclass(obj) else [obj]
        for function in functions:
            function = inspect.unwrap(function)
            if not inspect.isfunction(function):
                continue
            for used in _global_names(function.__code__):
                value = function.__globals__.get(used)
                if inspect.isfunction(value) or inspect.isclass(value):
                    todo.append(value)
    return found


def _global_names(code: Any) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if inspect.iscode(const):
            names |= _global_names(const)
    return names


def declared(module_id: str) -> tuple[str, ...]:
    """Return the dotted names grading withholds for a module: declared, and no tool a statement hands learners."""
    kept = tools(module_id) if _ALLOWED.get(module_id) else set()
    return tuple(n for n in _DECLARED.get(module_id, ()) if n not in kept)


def traced(module_id: str, implementations: Iterable[str]) -> tuple[str, ...]:
    """Return the implementations of one question that grading cannot withhold (a statement's tool uses them)."""
    kept = tools(module_id) if _ALLOWED.get(module_id) else set()
    return tuple(n for n in implementations if n in kept)


def course_code_message(reached: Iterable[str]) -> str:
    """Say, in the learner's words, that an answer reached the course's own implementation.

    Parameters
    ----------
    reached : iterable of str
        Dotted names of the implementations reached.

    Returns
    -------
    str
    """
    shown = ", ".join(f"`{name}`" for name in list(reached)[:3])
    return (
        f"Your function calls {shown}, the course's own implementation of an exercise of this module. Write the "
        "answer with your own code (pandas, NumPy, SciPy, scikit-learn are all fine): when grading, an answer that "
        "calls the course's implementation earns nothing."
    )


def resolve(name: str) -> Any:
    """Import a dotted name: a module, or an attribute of the longest importable module prefix.

    Parameters
    ----------
    name : str

    Returns
    -------
    object
    """
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(name)


_PACKAGE = os.path.dirname(os.path.abspath(__file__))


def _location(name: str) -> tuple[list[str], str]:
    """Return the source files of a dotted name under this package and its qualified name there, without importing.

    ``""`` as the qualified name means the whole module (or every module of a package).
    """
    parts = name.split(".")[1:]
    for cut in range(len(parts), -1, -1):
        base = os.path.join(_PACKAGE, *parts[:cut])
        qualname = ".".join(parts[cut:])
        if cut and os.path.isfile(base + ".py"):
            return [base + ".py"], qualname
        if os.path.isdir(base) and os.path.isfile(os.path.join(base, "__init__.py")):
            if qualname:
                raise ValueError(f"{name}: declare an implementation where it is defined, not where it is re-exported")
            files = [
                os.path.join(dirpath, f)
                for dirpath, dirnames, filenames in os.walk(base)
                for f in filenames
                if f.endswith(".py") and "__pycache__" not in dirpath
            ]
            return sorted(files), ""
    raise ValueError(f"{name} is not code of this package")


def locate(names: Iterable[str]) -> Implementations:
    """Find where the given implementations live (nothing is imported).

    Parameters
    ----------
    names : iterable of str
        Dotted names of functions, classes, modules or packages of this package.

    Returns
    -------
    Implementations
    """
    names = tuple(names)
    where: dict[str, list[tuple[str, str]]] = {}
    for name in names:
        files, qualname = _location(name)
        for path in files:
            module = os.path.relpath(path, os.path.dirname(_PACKAGE))[: -len(".py")].replace(os.sep, ".")
            entry = (qualname, name) if qualname else ("", module.removesuffix(".__init__"))
            # A frame's file name is the path the module was imported by; the resolved path may differ.
            for key in {path, os.path.realpath(path)}:
                where.setdefault(key, []).append(entry)
    return Implementations(names, {k: tuple(v) for k, v in where.items()})


def implementations_of(module_id: str, own: Iterable[str] = ()) -> Implementations:
    """Return where the implementations an answer of a module must not reach live (cached).

    Parameters
    ----------
    module_id : str
    own : iterable of str
        The question's own implementations: they count even when another statement allows them as a tool.

    Returns
    -------
    Implementations
    """
    key = (module_id, tuple(own))
    with _LOCK:
        cached = _RESOLVED.get(key)
    if cached is not None:
        return cached
    withheld = declared(module_id)
    resolved = locate(ALWAYS + withheld + tuple(n for n in key[1] if n not in withheld))
    with _LOCK:
        _RESOLVED[key] = resolved
    return resolved


class _Watch:
    """A call trace, on while the learner's function runs, that notes every course implementation it reaches."""

    def __init__(self, implementations: Implementations):
        self.implementations = implementations
        self.reached: list[str] = []

    def _hook(self, frame: Any, event: str, arg: Any) -> None:
        if event == "call":
            name = self.implementations.name_of(frame.f_code)
            if name is not None and name not in self.reached:
                self.reached.append(name)

    def wrap(self, fn: Callable) -> Callable:
        """Return ``fn`` with the trace on during each call; it behaves exactly as ``fn`` otherwise."""
        import functools

        @functools.wraps(fn)
        def watched(*args: Any, **kwargs: Any) -> Any:
            previous = sys.getprofile()
            sys.setprofile(self._hook)
            try:
                return fn(*args, **kwargs)
            finally:
                sys.setprofile(previous)

        return watched


def watching(module_id: str, fn: Callable, own: Iterable[str] = ()) -> tuple[Callable, list[str]]:
    """Wrap a learner's function so that the course implementations it reaches are noted.

    Parameters
    ----------
    module_id : str
        The module whose declared implementations count.
    fn : callable
        The learner's function.
    own : iterable of str
        The question's own implementations (counted even when another statement allows them).

    Returns
    -------
    tuple
        The wrapped function, and the list (filled as it runs) of the dotted names it reached.

    Examples
    --------
    >>> register("doc-example", ["lepton_training.implementations.declared"])
    >>> watched, reached = watching("doc-example", lambda: declared("nothing"))
    >>> watched()
    ()
    >>> reached
    ['lepton_training.implementations.declared']
    """
    watch = _Watch(implementations_of(module_id, own))
    return watch.wrap(fn), watch.reached


def withheld(name: str) -> Any:
    """Raise :class:`CourseCodeWithheld` for the course implementation ``name`` (the grading stand-ins call it).

    Parameters
    ----------
    name : str
        Dotted name of the implementation.

    Raises
    ------
    CourseCodeWithheld
        Always.
    """
    raise CourseCodeWithheld(WITHHELD_MESSAGE.format(name=f"`{name}`"))
