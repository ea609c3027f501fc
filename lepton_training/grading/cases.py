"""The inputs each graded function is called with, computed by the grader before any learner's kernel starts.

The sandbox must not hold anything that can compute an expected answer, and so no seed either: it gets the
inputs. They are found by running each question's own tests (public and hidden, with the cohort's seed) in the
grader's process on two stand-ins of the learner's function, which write down the arguments they are given:

* the instructor's solution (from ``solutions/``), so that a test which calls the function again only when an
  earlier result was right still has every input it may give;
* a function that returns nothing, so that a test that stops early for a wrong answer has its inputs too.

The verifier later runs the same tests on the learner's recorded results; a test that gives an input that is in
neither set fails with a message saying so (``tests/test_grading_cases.py`` checks that the inputs of every
module's tests do not depend on anything but the seed).
"""

from __future__ import annotations

import contextlib
import inspect
import io
import json
from pathlib import Path
from typing import Any

from lepton_training.grading import plain

__all__ = ["reference_answers", "compute_cases", "write_cases", "case_key"]


def case_key(digest: str, condition: str | None) -> str:
    """Name one case: the digest of its arguments, and the condition the function is called under (if any)."""
    return digest if not condition else f"{digest}|{condition}"


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def reference_answers(source_nb: dict, name: str = "solution") -> dict[str, Any]:
    """Run the instructor notebook's setup and answer cells, as a learner who solved everything would have.

    Parameters
    ----------
    source_nb : dict
        The instructor's notebook, as JSON data.
    name : str
        A name for the cells in tracebacks.

    Returns
    -------
    dict
        The notebook's namespace after those cells: the learner's answers by name.
    """
    namespace: dict[str, Any] = {"__name__": "__lepton_reference__"}
    for cell in source_nb.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") == "code" and (cell.get("id") == "setup" or meta.get("solution")):
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(_source(cell), f"{name}:{cell.get('id')}", "exec"), namespace)  # noqa: S102
    return namespace


class _Spy:
    """Stands for the learner's function in the grader: notes each distinct input, answers as ``fn`` does."""

    def __init__(self, fn: Any, signature: inspect.Signature | None, seen: dict[str, Any], problems: list[str]):
        self.fn = fn
        self.seen = seen
        self.problems = problems
        self.__signature__ = signature

    def __call__(self, *args: Any) -> Any:
        from lepton_training.conditions import active

        condition = active()
        name = condition.name if condition is not None else None
        key = case_key(plain.digest(args), name)
        if key not in self.seen:
            encoded = plain.encode(tuple(args))
            if "unsupported" in json.dumps(encoded):
                self.problems.append(f"an input that is not plain data ({json.dumps(encoded)[:200]})")
            self.seen[key] = {"args": encoded, "under": name}
        return None if self.fn is None else self.fn(*args)


def _signature(question: Any, fn: Any) -> inspect.Signature | None:
    if fn is not None:
        with contextlib.suppress(TypeError, ValueError):
            return inspect.signature(fn)
    return inspect.Signature(
        [inspect.Parameter(p, inspect.Parameter.POSITIONAL_OR_KEYWORD) for p in getattr(question, "parameters", ())]
    )


def compute_cases(questions: Any, cells: dict, seeds: dict[str, int | None], answers: dict[str, Any]) -> dict:
    """Return, per question, the encoded argument tuples its tests give the learner's function.

    Parameters
    ----------
    questions : module or namespace
        The module's question definitions.
    cells : dict
        The instructor notebook's test cells (:func:`.seeds.test_cells`).
    seeds : dict
        Grade id -> the cohort's hidden seed of that cell (or None).
    answers : dict
        The instructor's answers by name (:func:`reference_answers`).

    Returns
    -------
    dict
        ``"<module>:<id>"`` -> list of cases in the order first met: ``{"args": <encoded argument tuple>,
        "under": <condition name or None>}`` (:mod:`lepton_training.conditions`).

    Raises
    ------
    ValueError
        When a test gives the learner's function an input that cannot cross the sandbox's wall.
    """
    from lepton_training.exercises import FunctionQuestion

    cases: dict[str, list] = {}
    for grade_id, spec in cells.items():
        question = getattr(questions, spec.question, None)
        if not isinstance(question, FunctionQuestion):
            continue
        seen: dict[str, Any] = {}
        problems: list[str] = []
        for fn in (answers.get(question.answer_name), None):
            spy = _Spy(fn, _signature(question, fn), seen, problems)
            question.grade(spy, hidden=seeds.get(grade_id))
        if problems:
            raise ValueError(f"{question.full_id}: a test gives the learner's function {problems[0]}")
        known = {
            case_key(plain.digest(tuple(plain.decode(c["args"]))), c["under"]) for c in cases.get(question.full_id, [])
        }
        new = [c for key, c in seen.items() if key not in known]
        cases.setdefault(question.full_id, []).extend(new)
    return cases


def write_cases(cases: dict, path: str | Path) -> Path:
    """Write the cases as JSON, read-only, for the sandbox.

    Parameters
    ----------
    cases : dict
        As :func:`compute_cases` returns.
    path : path-like

    Returns
    -------
    pathlib.Path
    """
    path = Path(path)
    path.write_text(json.dumps(cases, allow_nan=False), encoding="utf-8")
    path.chmod(0o444)
    return path
