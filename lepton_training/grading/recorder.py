"""The recorder: inside the grading sandbox, run the learner's answers on the grader's inputs and write them down.

This is what the test cells of a notebook call at grading. The sandbox holds a copy of the package in which
every question module is a stand-in built from :class:`RecordedQuestion` (:mod:`.view`): ``q1.grade(answer)``
does not test anything. It calls the learner's function on each input the grader computed beforehand (the file
named by :data:`CASES_ENV`: public and hidden inputs, never a seed and never an expected value), or takes the
learner's value, and publishes what came back as one output of the test cell (MIME type :data:`RECORD_MIME`),
as plain data (:mod:`.plain`). The grader reads those outputs from the executed notebook and computes the points
in its own process (:mod:`.verify`).

Nothing here is trusted: the learner's code runs in the same process and may publish anything. But the sandbox
holds nothing that can compute, check or look up an expected answer, so a forged record must guess, and what it
claims is judged like any answer.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import os
from typing import Any

from lepton_training.conditions import under
from lepton_training.grading import plain
from lepton_training.notebook_answers import MISSING, NeedsAnswer, lookup_answer

__all__ = ["CASES_ENV", "RECORD_MIME", "RecordedQuestion", "signature_data", "not_while_grading"]

#: Environment variable naming the JSON file of the inputs each question's function is called with.
CASES_ENV = "LEPTON_GRADING_CASES"
#: MIME type of a record in a test cell's outputs.
RECORD_MIME = "application/vnd.lepton-training.record+json"

_cases: dict | None = None
_recorded: set = set()


def _load_cases() -> dict:
    global _cases
    if _cases is None:
        path = os.environ.get(CASES_ENV, "")
        try:
            with open(path, encoding="utf-8") as handle:
                _cases = json.load(handle)
        except (OSError, ValueError):
            _cases = {}
    return _cases


def _cell() -> int | None:
    try:
        from IPython import get_ipython

        shell = get_ipython()
        # While a cell runs, IPython's counter already holds the next cell's number.
        return int(shell.execution_count) - 1 if shell is not None else None
    except Exception:  # noqa: BLE001 - outside IPython there is no cell
        return None


def _publish(entry: dict) -> None:
    """Publish one record as an output of the running cell (plain data, JSON)."""
    try:
        from IPython.display import publish_display_data

        publish_display_data({RECORD_MIME: json.loads(json.dumps(entry, allow_nan=False))})
    except ImportError:  # outside IPython: nowhere to publish to
        pass


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


def _traced_call(fn: Any, args: tuple, codes: Any, reached: list[str]) -> Any:
    """Call ``fn`` with a trace that notes the course implementations it reaches (see ``traced`` below)."""
    import sys

    def hook(frame: Any, event: str, arg: Any) -> None:
        name = codes.name_of(frame.f_code) if event == "call" else None
        if name is not None and name not in reached:
            reached.append(name)

    previous = sys.getprofile()
    sys.setprofile(hook)
    try:
        return fn(*args)
    finally:
        if sys.getprofile() is not hook:
            reached.append("(the trace was switched off)")
        sys.setprofile(previous)


def _call(question: str, fn: Any, case: Any, codes: Any) -> None:
    """Call the learner's function on one case (under its condition, if any) and publish what happened."""
    try:
        args = tuple(plain.decode(case["args"]))
        condition = case.get("under")
        entry: dict[str, Any] = {"kind": "call", "question": question, "digest": plain.digest(args)}
    except Exception:  # noqa: BLE001 - a case the grader wrote is always readable; never break the cell over it
        return
    if condition:
        entry["under"] = condition
    reached: list[str] = []
    try:
        with under(condition) if condition else contextlib.nullcontext() as state:
            try:
                value = _traced_call(fn, args, codes, reached) if codes else fn(*args)
            finally:
                if state is not None:
                    entry["seen"] = _safe_encode(list(state.seen))
    except BaseException as exc:  # noqa: BLE001 - the learner's code may raise anything, SystemExit included
        entry["raised"] = [type(exc).__name__, str(exc)[:500]]
        if reached:
            entry["course_code"] = reached
        _publish(entry)
        if isinstance(exc, KeyboardInterrupt):
            raise  # a timeout's interrupt ends the cell: the cases recorded so far are kept
        return
    if reached:
        entry["course_code"] = reached
    entry["result"] = _safe_encode(value)
    try:
        if plain.digest(args) != entry["digest"]:
            entry["mutated"] = _safe_encode(tuple(args))
    except Exception:  # noqa: BLE001
        entry["mutated"] = {"unsupported": "arguments changed beyond reading"}
    _publish(entry)


class _Recorded:
    """What a test cell shows at grading: the points are computed by the grader, not here."""

    def __repr__(self) -> str:
        return "Answer recorded for grading."

    def _repr_html_(self) -> str:
        return "<p>Answer recorded for grading.</p>"


class _NotWhileGrading:
    def __init__(self, what: str):
        self.what = what

    def __repr__(self) -> str:
        return f"{self.what} does nothing while the notebook is being graded."


def not_while_grading(what: str) -> Any:
    """Return the note a learner's tool (``check``, ``hint``, ``progress``) shows when called during grading."""
    return _NotWhileGrading(what)


class RecordedQuestion:
    """The grading stand-in of a question: it records answers and computes nothing.

    Parameters
    ----------
    module, id, title, answer_name : str
        As the question definition has them.
    function : bool
        True when the answer is a function the grader calls on its own inputs.
    traced : tuple of str
        Implementations of this question that another statement of the module hands learners as a tool, so
        they are in the sandbox: calls of the learner's function are traced, and reaching one is recorded.
    """

    def __init__(self, *, module: str, id: str, title: str, answer_name: str, function: bool, traced: tuple = ()):
        self.module = module
        self.id = id
        self.title = title
        self.answer_name = answer_name
        self.function = function
        self.traced = tuple(traced)

    @property
    def full_id(self) -> str:
        """``"<module>:<id>"``, as the question definition has it."""
        return f"{self.module}:{self.id}"

    def grade(self, answer: Any = MISSING, *, hidden: Any = None) -> _Recorded:
        """Record the answer (once per cell): a function is called on every case the grader gave for it.

        With no argument the answer is the notebook variable ``answer_name``; when it is not defined nothing is
        recorded, and the grader scores the question as not answered.
        """
        if answer is MISSING:
            answer = lookup_answer(self.answer_name)
            if answer is MISSING:
                return _Recorded()
        key = (_cell(), self.full_id)
        if key in _recorded:
            return _Recorded()
        _recorded.add(key)
        if self.function and callable(answer) and not isinstance(answer, type):
            _publish({"kind": "answer", "question": self.full_id, "function": signature_data(answer)})
            codes = self._codes()
            for case in _load_cases().get(self.full_id, []):
                _call(self.full_id, answer, case, codes)
        else:
            _publish({"kind": "answer", "question": self.full_id, "value": _safe_encode(answer)})
        return _Recorded()

    def _codes(self) -> Any:
        from lepton_training.implementations import locate

        return locate(self.traced) if self.traced else None

    def needs_answer(self) -> NeedsAnswer:
        """Return the same waiting box as the question's: a cell that runs an unwritten answer shows it, runs on."""
        return NeedsAnswer(self.full_id, self.title, self.answer_name)

    def check(self, *args: Any, **kwargs: Any) -> Any:
        """Do nothing while grading."""
        return not_while_grading(f"{self.id}.check()")

    def hint(self, *args: Any, **kwargs: Any) -> Any:
        """Do nothing while grading."""
        return not_while_grading(f"{self.id}.hint()")

    def explain(self, *args: Any, **kwargs: Any) -> Any:
        """Do nothing while grading."""
        return not_while_grading(f"{self.id}.explain()")


def lookup(name: str) -> Any:
    """Return the notebook variable ``name``, or None when it is not defined (a quiz answer not given)."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        return None
    return None if shell is None else shell.user_ns.get(name)
