"""The verifier: in the grader's own process, turn the recorded answers into points and explanations.

For each graded test cell, the question definition the test cell calls (the same object ``check()`` and the
test cell use) grades a stand-in for the learner's answer: ``q.grade(replayed, hidden=seed)``. The stand-in
returns, for the arguments a test gives it, the value the learner's function returned in the sandbox for the
same arguments (looked up by digest in the records, :mod:`.record`). A call that was not recorded fails its
test; it never crashes the grader. Nothing the learner's process computed about *points* is used: the number
the test cell displayed is only compared with the verified one, and a notebook that displayed more than its
answers earn is flagged as tampered, with the evidence.
"""

from __future__ import annotations

import inspect
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lepton_training.grading import plain
from lepton_training.grading.seeds import TestCell, cohort_seed

__all__ = ["CellVerdict", "Verification", "load_records", "replayed_answer", "verify_notebook", "NotRecorded"]

#: Records beyond this size are not read: a learner's process may write anything into the file.
MAX_RECORD_BYTES = 64 * 2**20


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
    displayed : float or None
        What nbgrader would have read from the cell's output in the sandbox.
    feedback_html : str
        The explanation for the learner: the public tests in full, the hidden ones as a count.
    """

    grade_id: str
    points: float
    max_points: float
    displayed: float | None
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


def load_records(path: str | Path) -> list[dict]:
    """Read the recorder's file, skipping what is not a record (the learner may have written anything).

    Parameters
    ----------
    path : path-like

    Returns
    -------
    list of dict
    """
    path = Path(path)
    if not path.is_file() or path.is_symlink():
        return []
    records = []
    with path.open("rb") as handle:
        data = handle.read(MAX_RECORD_BYTES)
    for line in data.decode("utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
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
            return _NotPlain(str(exc))
    calls: dict[str, list[dict]] = defaultdict(list)
    for entry in records:
        if entry.get("kind") == "call" and isinstance(entry.get("digest"), str):
            calls[entry["digest"]].append(entry)
    used: dict[str, int] = defaultdict(int)

    def replay(*args: Any) -> Any:
        key = plain.digest(args)
        entries = calls.get(key)
        if not entries:
            raise NotRecorded("grading found no result of your function for these inputs (did it finish?)")
        entry = entries[min(used[key], len(entries) - 1)]
        used[key] += 1
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


def _feedback_html(question: Any, score: Any, n_public: int) -> str:
    """Explain to the learner: public tests in full; hidden tests as a count, never their inputs."""
    from lepton_training import render

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
    status = "passed" if score.passed else "incorrect"
    n = len(score.outcomes)
    summary = f"{sum(o.result.passed for o in score.outcomes)} of {n} tests passed."
    return render.feedback(status, heading, summary, lines)._repr_html_()


def _displayed(cell: Any) -> tuple[float | None, bool]:
    """Return what nbgrader reads from the cell's outputs, and whether the cell ended in an error."""
    from nbgrader.utils import determine_grade

    errored = any(o.get("output_type") == "error" for o in cell.get("outputs", []))
    try:
        return determine_grade(cell)[0], errored
    except Exception:  # noqa: BLE001 - outputs written by the learner's kernel may be malformed
        return None, errored


def verify_notebook(
    module_id: str,
    questions: Any,
    cells: dict[str, TestCell],
    executed_nb: Any,
    records: list[dict],
    secret: str = "",
) -> Verification:
    """Grade every test cell of an executed notebook from the records, in this (the grader's) process.

    Parameters
    ----------
    module_id : str
    questions : module
        The module's question definitions (``lepton_training.questions.<topic>``).
    cells : dict
        The instructor notebook's test cells, by grade id (:func:`.seeds.test_cells`).
    executed_nb : nbformat.NotebookNode
        The notebook nbgrader executed in the sandbox (its test cells restored from the source).
    records : list of dict
        The recorder's records (:func:`load_records`).
    secret : str
        The cohort secret the hidden seeds were derived with.

    Returns
    -------
    Verification
    """
    result = Verification()
    executed = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in executed_nb.cells}
    for grade_id, spec in cells.items():
        question = getattr(questions, spec.question)
        cell = executed.get(grade_id)
        count = cell.get("execution_count") if cell is not None else None
        mine = [r for r in records if r.get("question") == question.full_id and r.get("cell") == count]
        answer = replayed_answer(question, mine) if count is not None else replayed_answer(question, [])
        seed = None if spec.seed is None else cohort_seed(question.full_id, spec.seed, secret)
        score = question.grade(answer, hidden=seed)
        n_public = len(question.public_tests(answer)) if score.invalid_result is None else 0
        points = min(float(score.points), spec.points)
        displayed, errored = _displayed(cell) if cell is not None else (None, True)
        if displayed is not None and (displayed > points + 1e-3 or (not errored and abs(displayed - points) > 1e-3)):
            result.evidence.append(
                f"{grade_id}: the notebook displayed {displayed:g} point(s), its verified answers earn {points:g}"
            )
        result.cells[grade_id] = CellVerdict(
            grade_id, points, spec.points, displayed, _feedback_html(question, score, n_public)
        )
    return result
