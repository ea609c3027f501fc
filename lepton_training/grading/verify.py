"""The verifier: in the grader's own process, turn the recorded answers into points and explanations.

For each graded test cell, the question definition the test cell names (the same object ``check()`` uses) grades
a stand-in for the learner's answer: ``q.grade(replayed, hidden=seed)``, with the cohort's seed, which never
entered the sandbox. The stand-in returns, for the arguments a test gives it, the value the learner's function
returned in the sandbox for the same arguments: the records the recorder (:mod:`.recorder`) published as outputs
of that test cell, looked up by digest. A call that was not recorded fails its test; it never crashes the grader.
Nothing the learner's process displayed about points is read: it could not compute any.
"""

from __future__ import annotations

import contextlib
import inspect
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from lepton_training.grading import plain
from lepton_training.grading.recorder import RECORD_MIME
from lepton_training.grading.seeds import TestCell

__all__ = ["CellVerdict", "Verification", "cell_records", "replayed_answer", "verify_notebook", "NotRecorded"]

#: Errors a test cell ends with when it ran out of time (nbclient's timeout, the notebook's deadline).
TIMEOUT_ERRORS = ("CellTimeoutError", "KeyboardInterrupt")
#: The error :mod:`.execute` adds to the cell where grading stopped (the kernel died, the notebook's time ran out).
STOPPED_ERROR = "GradingStopped"
#: The error :mod:`.execute` adds to a cell that could not be run to its end while the kernel lived on.
UNFINISHED_ERROR = "CellNotFinished"
WITHHELD_ERROR = "CourseCodeWithheld"


class NotRecorded(Exception):
    """The learner's function has no recorded result for the arguments a test gives it."""


@dataclass(frozen=True)
class CellVerdict:
    """The verified grade of one test cell.

    Attributes
    ----------
    grade_id : str
    points, max_points : float
        Verified points.
    feedback_html : str
        The explanation for the learner: the public tests in full, the hidden ones as a count.
    """

    grade_id: str
    points: float
    max_points: float
    feedback_html: str


@dataclass
class Verification:
    """Verified grades of one notebook, and the evidence of tampering found on the way."""

    cells: dict[str, CellVerdict] = field(default_factory=dict)
    evidence: list[str] = field(default_factory=list)

    @property
    def points(self) -> float:
        """Sum of the verified points."""
        return round(sum(v.points for v in self.cells.values()), 4)


def cell_records(cell: Any) -> list[dict]:
    """Read the records a test cell published, skipping what is not a record (the learner may publish anything).

    Parameters
    ----------
    cell : dict
        An executed notebook cell.

    Returns
    -------
    list of dict
    """
    records = []
    for output in cell.get("outputs", []) if cell is not None else []:
        entry = (output.get("data") or {}).get(RECORD_MIME) if isinstance(output, dict) else None
        if isinstance(entry, dict) and isinstance(entry.get("question"), str):
            records.append(entry)
    return records


def _learner_exception(name: Any, message: Any) -> BaseException:
    if name == "NotImplementedError":
        return NotImplementedError(str(message))
    safe = name if isinstance(name, str) and re.fullmatch(r"[A-Za-z_]\w{0,60}", name) else "Exception"
    # A class of the same name, so the explanation reads "your code raised ZeroDivisionError: ...".
    return type(safe, (Exception,), {})(str(message))


def _put_back(arg: Any, changed: Any) -> None:
    """Change an argument in place as the learner's function did, or refuse."""
    import numpy as np
    import pandas as pd

    if isinstance(arg, np.ndarray) and isinstance(changed, np.ndarray) and arg.shape == changed.shape:
        arg[...] = changed
    elif isinstance(arg, list) and isinstance(changed, list):
        arg[:] = changed
    elif isinstance(arg, dict) and isinstance(changed, dict):
        arg.clear()
        arg.update(changed)
    elif isinstance(arg, pd.DataFrame) and isinstance(changed, pd.DataFrame) and len(arg) == len(changed):
        arg.drop(columns=[c for c in arg.columns if c not in changed.columns], inplace=True)
        for column in changed.columns:
            arg[column] = changed[column].to_numpy()
        arg.index = changed.index
    elif plain.digest((arg,)) != plain.digest((changed,)):
        raise NotRecorded("your function changed the inputs it was given in a way grading cannot reproduce")


def replayed_answer(question: Any, records: list[dict]) -> Any:
    """Build the stand-in for a learner's answer from the records of one test cell.

    Parameters
    ----------
    question : lepton_training.exercises.Question
    records : list of dict
        The records of this question made while its test cell ran.

    Returns
    -------
    object
        A function that replays the recorded calls, the recorded value, or ``MISSING`` when nothing was
        recorded (the answer then scores as not given).
    """
    from lepton_training.exercises import MISSING

    answers = [r for r in records if r.get("kind") == "answer"]
    if not answers:
        return MISSING
    answer = answers[-1]
    if "function" not in answer:
        try:
            return plain.decode(answer.get("value"))
        except (plain.Unsupported, ValueError, TypeError) as exc:
            return _NotPlain(str(exc) or "a value grading could not read")
    from lepton_training.conditions import active
    from lepton_training.grading.cases import case_key

    calls: dict[str, list[dict]] = defaultdict(list)
    for entry in records:
        if entry.get("kind") == "call" and isinstance(entry.get("digest"), str):
            under = entry.get("under") if isinstance(entry.get("under"), str) else None
            calls[case_key(entry["digest"], under)].append(entry)
    used: dict[str, int] = defaultdict(int)

    def replay(*args: Any) -> Any:
        condition = active()
        key = case_key(plain.digest(args), condition.name if condition is not None else None)
        entries = calls.get(key)
        if not entries:
            raise NotRecorded(
                "grading has no result of your function for these inputs: it did not finish on them in the time "
                "the test cell had, or an earlier error stopped the test cell"
            )
        entry = entries[min(used[key], len(entries) - 1)]
        used[key] += 1
        if condition is not None and entry.get("seen") is not None:
            # What the condition handed the learner's function in the sandbox (the solver's values).
            with contextlib.suppress(plain.Unsupported, ValueError, TypeError):
                condition.seen.extend(plain.decode(entry["seen"]))
        if entry.get("mutated") is not None:
            try:
                changed = plain.decode(entry["mutated"])
                for arg, new in zip(args, changed, strict=True):
                    _put_back(arg, new)
            except (plain.Unsupported, ValueError, TypeError) as exc:
                raise NotRecorded("your function changed its inputs in a way grading cannot reproduce") from exc
        if entry.get("raised"):
            name, message = (list(entry["raised"]) + ["", ""])[:2]
            raise _learner_exception(name, message)
        try:
            return plain.decode(entry.get("result"))
        except plain.Unsupported as exc:
            raise TypeError(
                f"your function returned {exc}, which is not plain data (a number, text, list, dict, NumPy "
                "array or pandas table)"
            ) from None

    replay.__name__ = question.answer_name
    replay.__signature__ = _signature(answer.get("function"))
    return replay


class _NotPlain:
    """Stands for an answer that was not plain data in the sandbox (validation then reports its type)."""

    def __init__(self, what: str):
        self.what = what

    def __repr__(self) -> str:
        return f"<{self.what}>"


def _signature(data: Any) -> inspect.Signature | None:
    if not isinstance(data, list):
        return None
    try:
        parameters = [
            inspect.Parameter(
                str(name), inspect._ParameterKind(int(kind)), default=None if has_default else inspect.Parameter.empty
            )
            for name, kind, has_default in data
        ]
        return inspect.Signature(parameters)
    except (TypeError, ValueError):
        return None


def _feedback_html(question: Any, score: Any, n_public: int, note: str = "") -> str:
    """Explain to the learner: public tests in full; hidden tests as a count, never their inputs."""
    from lepton_training import render

    if note:
        score = _with_note(score, note)
    if score.invalid_result is not None or len(score.outcomes) <= n_public:
        return score._repr_html_()
    public, hidden = score.outcomes[:n_public], score.outcomes[n_public:]
    lines = []
    for outcome in public:
        r = outcome.result
        if r.passed:
            lines.append(f"Passed: {outcome.test.description}.")
        else:
            lines.append(f"Not yet: {outcome.test.description}: {' '.join((r.message, *r.details))}")
    hidden_passed = sum(o.result.passed for o in hidden)
    lines.append(f"Tests on inputs you have not seen: {hidden_passed} of {len(hidden)} passed.")
    unit = "point" if score.max_points == 1 else "points"
    heading = f"{question.title}: {score.points:g} of {score.max_points:g} {unit}"
    if note:
        lines.append(f"Note: {note}.")
    status = "passed" if score.passed else "incorrect"
    n = len(score.outcomes)
    summary = f"{sum(o.result.passed for o in score.outcomes)} of {n} tests passed."
    return render.feedback(status, heading, summary, lines)._repr_html_()


def _with_note(score: Any, note: str) -> Any:
    """Return the score with the note on why the cell did not finish added to its invalid reason (if any)."""
    from dataclasses import replace

    if score.invalid_result is None:
        return score
    invalid = replace(score.invalid_result, details=(*score.invalid_result.details, f"Note: {note}."))
    return type(score)(score.question, score.outcomes, invalid)


def _stop_reason(cell: Any) -> str:
    """Say why a test cell did not finish (out of time, or grading stopped before it), or return ''."""
    if cell is None:
        return "this test cell is missing from the graded notebook"
    if cell.get("execution_count") is None:
        return "grading stopped before this test cell ran"
    for output in cell.get("outputs", []):
        if output.get("output_type") != "error":
            continue
        if output.get("ename") == STOPPED_ERROR:
            return f"grading stopped at this test cell: {str(output.get('evalue', ''))[:200]}"
        if output.get("ename") == UNFINISHED_ERROR:
            return f"this test cell could not be run to its end: {str(output.get('evalue', ''))[:200]}"
        if output.get("ename") in TIMEOUT_ERRORS:
            return "this test cell ran out of time: the inputs your function finished on are graded, the others fail"
    return ""


def _called_course_code(question: Any, records: list[dict]) -> list[str]:
    """Return the course implementations the answer reached at grading (withheld, or traced), if any."""
    for entry in records:
        if entry.get("kind") != "call":
            continue
        raised = entry.get("raised")
        if isinstance(raised, list) and raised[:1] == [WITHHELD_ERROR]:
            found = re.findall(r"`([\w.]+)`", str(raised[1:2]))
            return found[:1] or ["the course's own implementation"]
        reached = entry.get("course_code")
        if isinstance(reached, list) and reached:
            return [str(r)[:120] for r in reached[:3]]
    return []


def verify_notebook(
    questions: Any,
    cells: dict[str, TestCell],
    executed_nb: Any,
    seeds: dict[str, int | None],
) -> Verification:
    """Grade every test cell of an executed notebook from its records, in this (the grader's) process.

    Parameters
    ----------
    questions : module
        The module's question definitions (``lepton_training.questions.<topic>``).
    cells : dict
        The instructor notebook's test cells, by grade id (:func:`.seeds.test_cells`).
    executed_nb : nbformat.NotebookNode
        The notebook nbgrader executed in the sandbox (its test cells restored from the source).
    seeds : dict
        Grade id -> the cohort's hidden seed (:func:`.seeds.cohort_seeds`).

    Returns
    -------
    Verification
        The verified points and feedback of each cell; as evidence for the instructor, the answers that called
        the course's own implementation.
    """
    result = Verification()
    executed = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in executed_nb.cells}
    for grade_id, spec in cells.items():
        question = getattr(questions, spec.question)
        cell = executed.get(grade_id)
        mine = [r for r in cell_records(cell) if r.get("question") == question.full_id]
        answer = replayed_answer(question, mine)
        used = _called_course_code(question, mine)
        if used:
            # An answer that reached the course's implementation earns nothing, whatever it returned.
            from lepton_training.checks import invalid
            from lepton_training.exercises import Score
            from lepton_training.implementations import course_code_message

            score = Score(question, [], invalid(course_code_message(used)))
            result.evidence.append(f"{question.id}: the answer called the course's own implementation ({used[0]})")
        else:
            score = question.grade(answer, hidden=seeds.get(grade_id))
        n_public = len(question.public_tests(answer)) if score.invalid_result is None else 0
        points = min(float(score.points), spec.points)
        note = _stop_reason(cell) if points < spec.points else ""
        result.cells[grade_id] = CellVerdict(
            grade_id, points, spec.points, _feedback_html(question, score, n_public, note)
        )
    return result
