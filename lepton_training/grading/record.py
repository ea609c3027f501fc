"""The recorder: inside the sandboxed grading kernel, write down what the learner's answers are and return.

Loaded by the grading kernel's start-up (``IPKernelApp.exec_lines``, set by :mod:`.sandbox`), never by a
learner's notebook. :func:`install` wraps :meth:`lepton_training.exercises.Question.grade` so that when a test
cell grades an answer, every call the tests make to the learner's function is written to
``.lepton-answers.jsonl`` in the kernel's working folder: a digest of the arguments, the return value as plain
data (:mod:`.plain`), the exception it raised, and the arguments again when the function changed them.

Nothing here is trusted. The learner's code runs in the same process and may rewrite or delete the file; the
verifier (:mod:`.verify`) recomputes every test in the grader's own process from the recorded values, so a
forged record can only claim what some code of the learner's returned for the grader's own inputs, and a
missing or mangled record fails the test.
"""

from __future__ import annotations

import functools
import inspect
import json
import os
from typing import Any

from lepton_training.grading import plain

__all__ = ["RECORD_FILE", "install", "signature_data"]

#: Name of the record file, in the kernel's working folder.
RECORD_FILE = ".lepton-answers.jsonl"

# Absolute, fixed at start-up: a learner's os.chdir() must not send the records elsewhere.
_path = RECORD_FILE


def _cell() -> int | None:
    # The execution count lets the verifier keep the records of the test cell itself, not of a call a learner's
    # own cell made earlier or later.
    try:
        from IPython import get_ipython

        shell = get_ipython()
        # While a cell runs, IPython's counter already holds the next cell's number.
        return int(shell.execution_count) - 1 if shell is not None else None
    except Exception:  # noqa: BLE001 - outside IPython there is no cell
        return None


def _write(entry: dict) -> None:
    line = json.dumps(entry, sort_keys=True, allow_nan=False)
    # Appended and flushed at once, so a kernel killed later keeps what was recorded before.
    with open(_path, "a", encoding="utf-8") as out:
        out.write(line + "\n")


def signature_data(fn: Any) -> list | None:
    """Describe a function's parameters as plain data, so the verifier can give its stand-in the same signature.

    Parameters
    ----------
    fn : callable

    Returns
    -------
    list or None
        ``[name, kind, has_default]`` per parameter, or None when Python cannot tell (some builtins).
    """
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return None
    return [[p.name, int(p.kind), p.default is not inspect.Parameter.empty] for p in parameters]


def _safe_encode(value: Any) -> Any:
    try:
        return plain.encode(value)
    except Exception as exc:  # noqa: BLE001 - a hostile value may raise anything while being inspected
        return {"unsupported": f"a value that could not be read ({type(exc).__name__})"}


def _recording(question: Any, fn: Any) -> Any:
    """Wrap the learner's function so that each call is recorded, and behaves exactly as before."""

    @functools.wraps(fn)
    def recorded(*args: Any) -> Any:
        entry = {"kind": "call", "question": question.full_id, "cell": _cell()}
        try:
            entry["digest"] = plain.digest(args)
        except Exception:  # noqa: BLE001 - arguments come from the course's tests; never break a test over this
            return fn(*args)
        try:
            value = fn(*args)
        except BaseException as exc:
            entry["raised"] = [type(exc).__name__, str(exc)[:500]]
            _write(entry)
            raise
        entry["result"] = _safe_encode(value)
        try:
            if plain.digest(args) != entry["digest"]:
                entry["mutated"] = _safe_encode(tuple(args))
        except Exception:  # noqa: BLE001
            entry["mutated"] = {"unsupported": "arguments changed beyond reading"}
        _write(entry)
        return value

    return recorded


def install() -> None:
    """Make :meth:`Question.grade` record the answers it grades (called once, at kernel start-up)."""
    global _path
    from lepton_training.exercises import FunctionQuestion, Question

    _path = os.path.abspath(RECORD_FILE)
    original = Question.grade

    def grade(self: Any, answer: Any, *, hidden: int | None = None) -> Any:
        entry: dict[str, Any] = {"kind": "answer", "question": self.full_id, "cell": _cell(), "hidden": hidden}
        if isinstance(self, FunctionQuestion) and callable(answer) and not isinstance(answer, type):
            entry["function"] = signature_data(answer)
            answer = _recording(self, answer)
        else:
            entry["value"] = _safe_encode(answer)
        _write(entry)
        return original(self, answer, hidden=hidden)

    grade.__doc__ = original.__doc__
    Question.grade = grade
    # Start from an empty file: only this run's records count.
    if os.path.exists(_path):
        os.remove(_path)
