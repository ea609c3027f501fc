"""Which question each test cell grades, with which hidden seed; and the per-cohort seeds.

Today the seeds of hidden tests are written in the instructor notebook's test cells
(``score = q1.grade(completion_rate, hidden=52117)``), so they are read from there, as ``tests/conftest.py``
does. With a cohort secret in the grading configuration, the seed actually used is
``HMAC-SHA256(secret, "<question full id>:<notebook seed>")``: different for every cohort, reproducible by the
grader, and unknown to learners who saw another cohort's feedback. It never enters the sandbox: the grader
computes the inputs the hidden tests give (:mod:`.cases`), :class:`StripHiddenSeeds` takes the seeds out of the
test cells nbgrader executes, and the verifier grades with the cohort's seed in the grader's own process.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib
import re
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from nbgrader.preprocessors import NbGraderPreprocessor

__all__ = ["TestCell", "test_cells", "cohort_seed", "cohort_seeds", "questions_of", "quiz_key", "StripHiddenSeeds"]

# A question's test cell: q1.grade(answer), q1.grade(answer, hidden=52117), or for an answer that is a value (which
# may not be defined yet in an unanswered notebook) q5.grade() and q5.grade(hidden=83011).
_GRADE = re.compile(r"\b(\w+)\.grade\(\s*(\w*)\s*(?:,?\s*hidden\s*=\s*(\d+)\s*)?\)")
# A quiz's test cell: grade("00-orientation", "q1") (lepton_training.questions.quizzes.grade).
_QUIZ_GRADE = re.compile(r"(?<![\w.])grade\(\s*[\"']([\w-]+)[\"']\s*,\s*[\"'](q\d+)[\"']\s*\)")
_HIDDEN = re.compile(r"(\.grade\(\s*(?:\w+\s*,\s*)?hidden\s*=\s*)(\d+)")


@dataclass(frozen=True)
class TestCell:
    """A graded test cell of the instructor's notebook.

    Attributes
    ----------
    grade_id : str
    question : str
        The question's variable name in the notebook, such as ``"q1"`` (a quiz: :func:`quiz_key`).
    answer_name : str
        The learner's function or variable the cell grades.
    seed : int or None
        The hidden tests' seed written in the notebook.
    points : float
    """

    grade_id: str
    question: str
    answer_name: str
    seed: int | None
    points: float

    __test__ = False  # not a pytest class


def _source(cell: Any) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def test_cells(source_nb: dict) -> dict[str, TestCell]:
    """Read the graded test cells of an instructor notebook.

    Parameters
    ----------
    source_nb : dict
        The notebook as JSON data.

    Returns
    -------
    dict
        grade id -> :class:`TestCell`, for the code cells with points that call ``<question>.grade(...)``.
    """
    cells = {}
    for cell in source_nb.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") != "code" or not meta.get("grade"):
            continue
        calls = _GRADE.findall(_source(cell))
        if not calls:
            quiz = _QUIZ_GRADE.search(_source(cell))
            if quiz:
                question = quiz_key(quiz.group(1), quiz.group(2))
                cells[meta["grade_id"]] = TestCell(meta["grade_id"], question, "", None, float(meta.get("points", 0)))
            continue
        question, answer_name = calls[0][0], calls[0][1]
        seeds = [int(s) for q, _, s in calls if s and q == question]
        cells[meta["grade_id"]] = TestCell(
            meta["grade_id"], question, answer_name, seeds[-1] if seeds else None, float(meta.get("points", 0))
        )
    return cells


def questions_of(module_id: str) -> Any:
    """Import the question definitions of a module (``questions`` in ``course.toml``), or of a quiz.

    Parameters
    ----------
    module_id : str

    Returns
    -------
    module
    """
    from lepton_training.manifest import get_module
    from lepton_training.questions.quizzes import QUIZ_ASSIGNMENTS, QUIZZES

    if module_id in QUIZ_ASSIGNMENTS:
        # Both quizzes ask every module's questions; a test cell names one by module and id (quiz_key).
        return SimpleNamespace(**{quiz_key(m, q.id): q for m, questions in QUIZZES.items() for q in questions})
    name = get_module(module_id).questions
    if not name:
        raise LookupError(f"{module_id} declares no question module in course.toml")
    return importlib.import_module(name)


def quiz_key(module_id: str, question_id: str) -> str:
    """Name a quiz question in :func:`questions_of`'s namespace of a quiz, such as ``"00-orientation/q1"``."""
    return f"{module_id}/{question_id}"


def cohort_seed(full_id: str, seed: int, secret: str) -> int:
    """Return the seed a cohort's hidden tests use.

    Parameters
    ----------
    full_id : str
        The question's ``"<module>:<id>"``.
    seed : int
        The seed written in the instructor's notebook.
    secret : str
        The cohort's secret; empty keeps ``seed``.

    Returns
    -------
    int
    """
    if not secret:
        return seed
    mac = hmac.new(secret.encode("utf-8"), f"{full_id}:{seed}".encode(), hashlib.sha256).digest()
    return int.from_bytes(mac[:4], "big")


class StripHiddenSeeds(NbGraderPreprocessor):
    """Take the hidden tests' seeds out of the test cells nbgrader is about to execute in the sandbox.

    Runs after nbgrader's ``OverwriteCells``, which restores every test cell from the instructor's source. The
    sandbox needs no seed: the grader gives it the inputs (:mod:`.cases`) and computes the expected values itself.
    ``q1.grade(answer, hidden=52117)`` becomes ``q1.grade(answer, hidden=True)``.
    """

    def preprocess_cell(self, cell: Any, resources: Any, index: int) -> tuple[Any, Any]:
        """Replace ``hidden=<seed>`` in a graded test cell by ``hidden=True``."""
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade"):
            cell.source = _HIDDEN.sub(lambda m: m.group(1) + "True", cell.source)
        return cell, resources


def cohort_seeds(module_id: str, cells: dict[str, TestCell], secret: str) -> dict[str, int | None]:
    """Return the seed each test cell's hidden tests use for this cohort.

    Parameters
    ----------
    module_id : str
    cells : dict
        The instructor notebook's test cells (:func:`test_cells`).
    secret : str
        The cohort secret.

    Returns
    -------
    dict
        Grade id -> seed, or None for a cell without hidden tests.
    """
    questions = questions_of(module_id)
    seeds: dict[str, int | None] = {}
    for grade_id, spec in cells.items():
        question = getattr(questions, spec.question)
        seeds[grade_id] = None if spec.seed is None else cohort_seed(question.full_id, spec.seed, secret)
    return seeds


test_cells.__test__ = False  # not a pytest test, despite the name
