"""Exercises: a question is data (id, points, hints) plus the tests that check an answer.

One definition serves three uses, so they cannot drift apart:

* the learner's instant feedback, ``q1.check()`` and ``q1.hint()``;
* the nbgrader test cell, ``q1.grade(answer)`` (the public tests) and, inside the hidden-tests region,
  ``q1.grade(answer, hidden=SEED)`` (the public tests plus tests on inputs drawn from a seed that only the
  instructor's notebook holds);
* the continuous-integration expectations, which read the points and tests from the same objects.

A question subclass says how to validate an answer (:meth:`Question.validate`: type, shape, columns; an
invalid answer is reported before any comparison) and which tests to run (:meth:`Question.public_tests`,
:meth:`Question.hidden_tests`). Each test has a weight, so :meth:`Question.grade` gives partial credit *and*
an explanation at once: its result displays as a number for nbgrader (the text/plain output of a test cell is
read as the points earned) and as an explanation in HTML for the learner's feedback.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import sys
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from lepton_training.checks import CheckResult, incorrect, invalid, passed
from lepton_training.notebook_answers import MISSING, NeedsAnswer, lookup_answer

__all__ = [
    "Test",
    "Question",
    "FunctionQuestion",
    "Score",
    "ExerciseSet",
    "Progress",
    "MISSING",
    "EVENTS_MIME",
    "EVENTS_ENV",
    "record_events",
]


@dataclass(frozen=True)
class Test:
    """One test of an answer.

    Attributes
    ----------
    description : str
        What the test tries, in the learner's words: "on the example from the statement".
    run : callable
        Takes no argument and returns a :class:`~lepton_training.checks.CheckResult`. It calls the learner's
        code, so it may raise; :meth:`Question.run_test` turns any exception into feedback.
    weight : float
        Share of the question's points this test carries, relative to the other tests run with it.
    premise : callable, optional
        Takes no argument and returns True when the inputs are what the description says of them ("where
        model B scores clearly higher"). A hidden case drawn from a seed whose description stays the same at
        every seed needs one: the package tests check it at many seeds, so that no seed makes the
        description false (rule 4 of the authoring guide).
    """

    description: str
    run: Callable[[], CheckResult]
    weight: float = 1.0
    premise: Callable[[], bool] | None = None

    __test__ = False  # not a pytest test class, despite the name


@dataclass(frozen=True)
class TestOutcome:
    """A test together with its result."""

    test: Test
    result: CheckResult


class Score:
    """Points earned on one question, with the explanation of each test.

    Its plain-text form is the number of points alone, because nbgrader reads the text output of a test cell
    as partial credit; its HTML form explains which tests passed and what to fix.

    Parameters
    ----------
    question : Question
        The question graded.
    outcomes : sequence of TestOutcome
        The tests run and their results (empty when the answer was invalid).
    invalid_result : CheckResult, optional
        Why the answer could not be graded at all.
    """

    def __init__(self, question: Question, outcomes: Sequence[TestOutcome], invalid_result: CheckResult | None):
        self.question = question
        self.outcomes = tuple(outcomes)
        self.invalid_result = invalid_result
        total = sum(o.test.weight for o in self.outcomes)
        earned = sum(o.test.weight for o in self.outcomes if o.result.passed)
        fraction = 0.0 if invalid_result is not None or total == 0 else earned / total
        # Rounded so that the number nbgrader parses is stable across platforms.
        self.points = round(question.points * fraction, 4)
        self.max_points = float(question.points)

    @property
    def passed(self) -> bool:
        """True when every test passed."""
        return self.invalid_result is None and all(o.result.passed for o in self.outcomes)

    def __float__(self) -> float:
        return float(self.points)

    def __repr__(self) -> str:
        return repr(float(self.points))

    __str__ = __repr__

    def explanation(self):
        """Return the per-test explanation as a renderable object (HTML with a plain-text form).

        Returns
        -------
        lepton_training.render.Html
        """
        from lepton_training import render

        unit = "point" if self.max_points == 1 else "points"
        heading = f"{self.question.title}: {self.points:g} of {self.max_points:g} {unit}"
        if self.invalid_result is not None:
            return render.feedback("invalid", heading, self.invalid_result.message, self.invalid_result.details)
        # One box with a line per test: a learner scans which tests failed, then reads why.
        lines = []
        for outcome in self.outcomes:
            r = outcome.result
            if r.passed:
                lines.append(" ".join((f"Passed: {outcome.test.description}.", *r.details)))
            else:
                reason = " ".join((r.message, *r.details))
                lines.append(f"Not yet: {outcome.test.description}: {_lower_first(reason)}")
        if self.passed:
            status = "passed"
        elif all(o.result.status == "invalid" for o in self.outcomes):
            status = "invalid"  # e.g. the answer is still the stub: the same word as check() uses
        else:
            status = "incorrect"
        n = len(self.outcomes)
        summary = f"{sum(o.result.passed for o in self.outcomes)} of {n} test{'s' if n != 1 else ''} passed."
        return render.feedback(status, heading, summary, lines)

    def _repr_html_(self) -> str:
        return self.explanation()._repr_html_()


class Question:
    """A graded question. Subclass it and override :meth:`validate`, :meth:`public_tests`, :meth:`hidden_tests`.

    Parameters
    ----------
    id : str
        Short id within the module, such as ``"q1"``; also the nbgrader ``grade_id`` prefix.
    module : str
        The module id, such as ``"00-orientation"``.
    title : str
        A few words naming the task.
    points : float
        Points the nbgrader test cell is worth.
    answer_name : str
        Name of the variable or function the learner defines; ``check()`` looks it up in the notebook.
    hints : sequence of str
        Hints from gentle to explicit; ``hint()`` shows the next one, ``hint(n)`` the n-th. They go from the
        idea, to the method or API, to a skeleton with the decisive parts left blank: no hint is the answer.
    objectives : sequence of int
        The module's learning objectives (1-based, in the order of ``course.toml``) this question assesses;
        the test suite checks that every objective of a module is assessed by at least one question.
    implementations : sequence of str
        Dotted names of the course code that computes this answer (a function, a class, a whole module):
        ``check()`` names an answer that reaches any implementation of its module, and grading withholds
        them (:mod:`lepton_training.implementations`).
    allows : sequence of str
        Dotted names of course functions the statement hands the learner as tools: never withheld at grading,
        even when they answer another exercise of the module.
    judgement : bool, optional
        True when the question grades a reading or a decision with its reason (which ``C`` a curve supports,
        whether to ship a model), not a formula: every module whose objectives ask for judgement has one
        (``tests/test_questions.py``).
    explanation : str, optional
        Why the answer is what it is, in Markdown (paragraphs, lists, bold, italic, code). ``explain()`` shows it
        only after an attempt, so that it never stands on screen before the learner has tried; the instructor's
        notebook holds the same text in a cell tagged ``explanation``, which the learner release leaves out.
    """

    def __init__(
        self,
        *,
        id: str,
        module: str,
        title: str,
        points: float,
        answer_name: str,
        hints: Sequence[str],
        objectives: Sequence[int] = (),
        implementations: Sequence[str] = (),
        allows: Sequence[str] = (),
        judgement: bool = False,
        explanation: str = "",
    ):
        if points <= 0:
            raise ValueError(f"{id}: points must be positive, not {points}")
        if not hints:
            raise ValueError(f"{id}: give at least one hint")
        if any(not isinstance(o, int) or o < 1 for o in objectives):
            raise ValueError(f"{id}: objectives are 1-based objective numbers, not {objectives!r}")
        self.objectives = tuple(objectives)
        self.id = id
        self.module = module
        self.title = title
        self.points = float(points)
        self.answer_name = answer_name
        self.hints = tuple(hints)
        self._hints_shown = 0
        self.implementations = tuple(implementations)
        self.allows = tuple(allows)
        if self.implementations or self.allows:
            from lepton_training.implementations import register

            register(module, self.implementations)
            register(module, self.allows, allowed=True)
        self.judgement = bool(judgement)
        self.explanation = str(explanation).strip("\n")
        self._attempts = 0  # checks of the learner's own written answer this session; explain() waits for one

    #: What ``check()`` adds to a pass about grading, when the question has hidden tests.
    graded_note = "When graded, more tests try other inputs."

    @property
    def full_id(self) -> str:
        """The id unique across the course, ``"<module>:<id>"``; also the salt of hashed answers."""
        return f"{self.module}:{self.id}"

    # --- to override -------------------------------------------------------------------------------------------

    def validate(self, answer: Any) -> CheckResult:
        """Say whether the answer is of the right kind at all (type, shape, signature).

        Parameters
        ----------
        answer : object
            The learner's answer.

        Returns
        -------
        CheckResult
            ``passed`` when the answer can be tested, ``invalid`` with the reason otherwise.
        """
        return passed()

    def public_tests(self, answer: Any) -> list[Test]:
        """Return the tests ``check()`` runs and the visible part of the test cell runs.

        Parameters
        ----------
        answer : object
            The learner's (valid) answer.

        Returns
        -------
        list of Test
        """
        raise NotImplementedError

    @property
    def has_hidden_tests(self) -> bool:
        """True when grading runs tests beyond the public ones (the subclass defines :meth:`hidden_tests`)."""
        return type(self).hidden_tests is not Question.hidden_tests

    def public_inputs(self) -> list[Any]:
        """Return the inputs the public tests give the learner's code (tables, arrays, ...).

        The test suite checks that none of them is an input of a worked example shown before the exercise,
        whose answer is on screen.

        Returns
        -------
        list
            Empty when the answer is a value rather than a function of inputs.
        """
        return []

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        """Return the tests only grading runs, on inputs drawn from ``rng``.

        Parameters
        ----------
        answer : object
            The learner's (valid) answer.
        rng : numpy.random.Generator
            Seeded with the number held in the instructor's hidden-test region.

        Returns
        -------
        list of Test
        """
        return []

    # --- what learners and test cells call ---------------------------------------------------------------------

    def check(self, answer: Any = MISSING) -> CheckResult:
        """Check an answer now and say what is wrong, without revealing the expected answer.

        In a notebook, the attempt's time and verdict are added to the event record (see :data:`record_events`);
        the result is the same either way. Only a check of the learner's own answer (no argument, or the very
        object the notebook variable ``answer_name`` holds) is an attempt: it opens ``explain()``, and the results
        report counts it. A check of anything else (a demo cell's ``q1.check(completion_rate_as_percentage)``) is
        recorded with ``"own": false`` and left out of the attempts.

        Parameters
        ----------
        answer : object, optional
            The answer; by default the notebook variable named ``answer_name``.

        Returns
        -------
        CheckResult
            Displays as a coloured box in a notebook and as text elsewhere.
        """
        own = answer is MISSING or answer is lookup_answer(self.answer_name)
        result = self._check(answer)
        if own and result.reason not in _NOT_ATTEMPTED:
            self._attempts += 1
        if _events_on():
            event = {"e": "check", "status": result.status, "verdict": verdict_code(result), "own": own}
            return _EVENTS.carry(self, result, event)
        return result

    def _check(self, answer: Any) -> CheckResult:
        if answer is MISSING:
            answer = lookup_answer(self.answer_name)
            if answer is MISSING:
                not_defined = invalid(
                    f"`{self.answer_name}` is not defined yet. Run the cell where you define it "
                    "(Shift+Enter), then check again."
                )
                return replace(not_defined, title=self.title, reason="not-defined")
        validity = self._validate_safely(answer)
        if not validity.passed:
            return validity.with_title(self.title)
        reached: list[str] = []
        if isinstance(self, FunctionQuestion):
            from lepton_training.implementations import watching

            answer, reached = watching(self.module, answer, self.implementations)
        outcomes = [self.run_test(t) for t in self.public_tests(answer)]
        if reached:
            return _course_code_used(reached).with_title(self.title)
        failures = [o for o in outcomes if not o.result.passed]
        if not failures:
            passing = "The public check passes" if len(outcomes) == 1 else f"All {len(outcomes)} public checks pass"
            more = f" {self.graded_note}" if self.has_hidden_tests and self.graded_note else ""
            return passed(f"{passing}.{more}").with_title(self.title)
        first = failures[0]
        details = (*first.result.details,)
        if len(failures) == 2:
            details += ("One more public test fails too; fix this one first.",)
        elif len(failures) > 2:
            details += (f"{len(failures) - 1} more public tests fail too; fix this one first.",)
        message = f"{first.test.description}: {_lower_first(first.result.message)}"
        result = replace(first.result, message=message, details=details, title=self.title)
        # The event record names the mistake by the failing test's own message, not by the test's description.
        object.__setattr__(result, "_failed_message", first.result.message)
        return result

    def hint(self, level: int | None = None):
        """Show a hint: the next one on each call, or hint number ``level``.

        Parameters
        ----------
        level : int, optional
            1 for the gentlest hint, up to ``len(hints)`` for the most explicit.

        Returns
        -------
        lepton_training.render.Html
        """
        from lepton_training import render

        if level is None:
            level = min(self._hints_shown + 1, len(self.hints))
        if not isinstance(level, int) or not 1 <= level <= len(self.hints):
            raise ValueError(f"{self.id} has hints 1 to {len(self.hints)}; there is no hint {level!r}.")
        self._hints_shown = max(self._hints_shown, level)
        shown = render.hint(level, len(self.hints), self.hints[level - 1])
        if _events_on():
            return _EVENTS.carry(self, shown, {"e": "hint", "level": level})
        return shown

    def explain(self):
        """Show why the answer is what it is, once the learner has tried the exercise.

        The explanation opens only after at least one ``check()`` of the learner's own written answer (the
        notebook variable ``answer_name``, not a demo cell's example) in this kernel session;
        before that, a short note asks the learner to try first. When it opens, the event record notes it, so
        the results report can say how many learners read it before their first passing check.

        Returns
        -------
        lepton_training.render.Html
        """
        from lepton_training import render

        if not self.explanation:
            return render.feedback(
                "info", self.title, "This exercise has no written explanation: its feedback says what to fix."
            )
        if not self._attempts:
            return render.feedback(
                "info",
                self.title,
                f"Try the exercise first: write your answer, run `{self.id}.check()`, then run this cell again. "
                "The explanation means more once you have your own answer to compare it with, and a wrong first "
                "try is part of learning.",
            )
        shown = render.explanation(self.title, self.explanation)
        if _events_on():
            return _EVENTS.carry(self, shown, {"e": "explain"})
        return shown

    def grade(self, answer: Any = MISSING, *, hidden: int | None = None) -> Score:
        """Grade an answer for nbgrader: public tests, plus hidden tests when a seed is given.

        Parameters
        ----------
        answer : object, optional
            The learner's answer; by default the notebook variable named ``answer_name`` (not defined yet: the
            score says so, and the cell still runs).
        hidden : int, optional
            Seed of the hidden tests' inputs; only the instructor's notebook holds it.

        Returns
        -------
        Score
            The points earned (its text form, which nbgrader reads) and the explanation (its HTML form).
        """
        if answer is MISSING:
            answer = lookup_answer(self.answer_name)
        validity = self._validate_safely(answer)
        if not validity.passed:
            return Score(self, [], validity)
        tests = list(self.public_tests(answer))
        if hidden is not None:
            import numpy as np

            tests += self.hidden_tests(answer, np.random.default_rng(hidden))
        return Score(self, [self.run_test(t) for t in tests], None)

    def needs_answer(self) -> NeedsAnswer:
        """Wrap a cell that runs this question's answer, so that it waits politely while the answer is unwritten.

        Returns
        -------
        NeedsAnswer
            A context manager: ``with q3.needs_answer(): ...`` shows a box naming this exercise instead of the
            stub's ``NotImplementedError`` (see :mod:`lepton_training.notebook_answers`).
        """
        return NeedsAnswer(self.full_id, self.title, self.answer_name)

    # --- machinery ---------------------------------------------------------------------------------------------

    def _validate_safely(self, answer: Any) -> CheckResult:
        if answer is MISSING:
            return replace(
                invalid(
                    f"No answer was given: `{self.answer_name}` is not defined. Write it in the exercise's answer "
                    "cell and run that cell."
                ),
                reason="not-defined",
            )
        try:
            return self.validate(answer)
        except Exception as exc:  # noqa: BLE001 - an odd answer object must not crash the check
            return invalid(f"Your answer could not be inspected: {type(exc).__name__}: {exc}")

    @staticmethod
    def run_test(test: Test) -> TestOutcome:
        """Run one test, turning anything the learner's code raises or prints to stderr into feedback.

        Parameters
        ----------
        test : Test

        Returns
        -------
        TestOutcome
        """
        # Warnings and stderr are captured because nbgrader scores any test cell that writes to stderr as 0.
        err = io.StringIO()
        with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stderr(err):
            warnings.simplefilter("always")
            try:
                result = test.run()
            except NotImplementedError:
                result = replace(
                    invalid(
                        "You have not written this answer yet: replace `raise NotImplementedError()` with your code."
                    ),
                    reason="not-written",
                )
            except Exception as exc:  # noqa: BLE001 - the learner's code may raise anything
                result = incorrect(f"your code raised {type(exc).__name__}: {exc}")
        if not isinstance(result, CheckResult):
            raise TypeError(f"test {test.description!r} returned {type(result).__name__}, not a CheckResult")
        extra = [f"Warning: {w.category.__name__}: {w.message}" for w in caught[:2]]
        if err.getvalue().strip():
            extra.append(f"Your code wrote to stderr: {err.getvalue().strip()[:200]}")
        if extra:
            result = replace(result, details=(*result.details, *extra))
        return TestOutcome(test, result)


def _course_code_used(reached: Sequence[str]) -> CheckResult:
    from lepton_training.implementations import course_code_message

    return replace(invalid(course_code_message(reached)), reason="course-code")


# Results of check() that are not attempts: nothing defined yet, or the stub still raising NotImplementedError.
_NOT_ATTEMPTED = frozenset({"not-defined", "not-written"})


def _lower_first(text: str) -> str:
    # "On the example: The result ..." reads better as "On the example: the result ...".
    return text[:1].lower() + text[1:] if text[:1].isupper() and not text[1:2].isupper() else text


@dataclass(frozen=True)
class ProgressRow:
    """One line of the progress summary."""

    question: str
    title: str
    status: str
    points: float


class Progress:
    """Where a learner stands in a module: each question, whether its public checks pass, the points at stake.

    Parameters
    ----------
    rows : sequence of ProgressRow
    title : str
    """

    def __init__(self, rows: Sequence[ProgressRow], title: str):
        self.rows = tuple(rows)
        self.title = title

    @property
    def points_passed(self) -> float:
        """Points of the questions whose public checks pass."""
        return sum(r.points for r in self.rows if r.status == "passed")

    @property
    def points_total(self) -> float:
        """Points at stake in the module."""
        return sum(r.points for r in self.rows)

    def _render(self):
        from lepton_training import render

        return render.progress(self.rows, title=self.title)

    def _repr_html_(self) -> str:
        return self._render()._repr_html_()

    def __str__(self) -> str:
        return str(self._render())

    __repr__ = __str__


class ExerciseSet:
    """The graded questions of one module, for a learner's progress summary.

    Parameters
    ----------
    module : str
        The module id.
    questions : iterable of Question
    """

    def __init__(self, module: str, questions: Iterable[Question]):
        self.module = module
        self.questions = tuple(questions)
        ids = [q.id for q in self.questions]
        if len(set(ids)) != len(ids):
            raise ValueError(f"{module}: question ids must be unique, got {ids}")

    def __iter__(self):
        return iter(self.questions)

    def __getitem__(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(f"{self.module} has no question {question_id!r}; it has {[q.id for q in self]}.")

    @property
    def total_points(self) -> float:
        """Sum of the questions' points."""
        return sum(q.points for q in self.questions)

    def progress(self) -> Progress:
        """Run every question's public checks on the answers defined so far.

        Returns
        -------
        Progress
            Displays as a table in a notebook and as plain text in a terminal; ``points_passed`` and
            ``points_total`` give the totals.
        """
        rows = []
        for q in self.questions:
            result = q.check()
            if result.reason in _NOT_ATTEMPTED:
                status = "not attempted"
            else:
                status = {"passed": "passed", "incorrect": "not yet", "invalid": "invalid"}[result.status]
            rows.append(ProgressRow(q.id, q.title, status, q.points))
        return Progress(rows, title=f"Progress in {self.module}")


class FunctionQuestion(Question):
    """A question whose answer is a function the learner writes.

    Parameters
    ----------
    parameters : sequence of str
        The parameter names the statement asks for, in order; the learner's function must accept that many
        positional arguments.
    **kwargs
        As for :class:`Question`.
    """

    def __init__(self, *, parameters: Sequence[str], **kwargs: Any):
        super().__init__(**kwargs)
        self.parameters = tuple(parameters)

    def validate(self, answer: Any) -> CheckResult:
        """Accept a function that can be called with the parameters the statement names."""
        import inspect

        from lepton_training.checks import describe_type

        wanted = f"`{self.answer_name}({', '.join(self.parameters)})`"
        if not callable(answer) or isinstance(answer, type):
            return invalid(f"`{self.answer_name}` should be a function {wanted}, but it is {describe_type(answer)}.")
        try:
            inspect.signature(answer).bind(*self.parameters)
        except TypeError:
            return invalid(f"`{self.answer_name}` cannot be called as {wanted}: check its parameters.")
        except ValueError:  # builtins without a signature: let the tests find out
            pass
        return passed()


# --- the event record ----------------------------------------------------------------------------------------------
#
# check(), hint() and explain() record, in the learner's own notebook, when each attempt was made, its verdict, each
# hint level and each explanation opened, so the results report can say how learners got to their answers. A kernel
# cannot write its notebook's metadata, and writing a file per check would be slow and would stay behind in the
# learner's folder. Instead the kernel keeps the record in memory and each check, hint or explanation output carries
# it as one more entry of its MIME bundle (EVENTS_MIME, JSON): JupyterLab, Notebook 7, Colab and nbconvert save every
# entry of an output's bundle in the .ipynb and show only the ones they can render (the HTML box), so the record
# travels with the submitted notebook and nothing changes on screen. Each output carries its question's events of the
# session (and those of earlier kernel sessions found in the saved notebook), so re-running a cell loses nothing; the
# report merges all outputs and drops duplicates by (session, number). The record holds no answer text: a verdict is
# the status and the first words of the mistake message, cut before any value. It never changes a score.

#: MIME type of the event record carried by the outputs of ``check()``, ``hint()`` and ``explain()``.
EVENTS_MIME = "application/vnd.lepton-training.events+json"
#: Environment variable that turns the event record off when set to ``0``, ``off``, ``false`` or ``no``.
EVENTS_ENV = "LEPTON_EVENT_RECORD"
#: The module-level switch: ``None`` (default) records in a notebook kernel unless :data:`EVENTS_ENV` says off;
#: ``False`` never records; ``True`` always records, even outside a kernel (for tests).
record_events: bool | None = None

_MAX_EVENTS = 200  # per question: a learner clicking check() in a loop must not grow the notebook without bound
_OFF = {"0", "off", "false", "no"}
# Cut a mistake message before anything that may be a value of the learner's: digits, quotes, brackets.
_VALUE_START = re.compile(r"[0-9`'\"(\[{<=]")
_CODE_NAME = re.compile(r"`[A-Za-z_][A-Za-z_.]*`")


def _events_on() -> bool:
    if record_events is not None:
        return bool(record_events)
    if os.environ.get(EVENTS_ENV, "").strip().lower() in _OFF:
        return False
    if os.environ.get("NBGRADER_EXECUTION"):  # nbgrader validate or autograde: not the learner's work session
        return False
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and getattr(shell, "kernel", None) is not None


def _first_words(text: str, limit: int = 8) -> str:
    raised = re.match(r"your code raised (\w+)", text)
    if raised:  # an exception's own message may quote the learner's data: keep its type only
        return raised.group(0)
    # A name in backticks (`missing_share`) is the course's code, not a value: kept, with its backticks.
    text = _CODE_NAME.sub(lambda m: m.group(0).replace("`", "\x00"), text)
    words = _VALUE_START.split(text, 1)[0].split()[:limit]
    return " ".join(words).rstrip(" :,;.-").replace("\x00", "`")


def verdict_code(result: CheckResult) -> str:
    """Return the short, answer-free code of a check's verdict, as the event record keeps it.

    Parameters
    ----------
    result : CheckResult

    Returns
    -------
    str
        ``"passed"``; ``"<status>: <reason>"`` when the result has a machine-readable reason (``"invalid:
        not-written"``); otherwise ``"<status>: <first words of the mistake message>"``, cut before any digit,
        quote or bracket, so that no value of the learner's answer is kept (when that leaves no word, the first
        words of the message with the failing test's description before it).

    Examples
    --------
    >>> from lepton_training.checks import incorrect
    >>> verdict_code(incorrect("The mean is NaN: there are missing ratings (3 of 40)."))
    'incorrect: The mean is NaN: there are missing ratings'
    """
    if result.passed:
        return "passed"
    if result.reason:
        return f"{result.status}: {result.reason}"
    words = _first_words(getattr(result, "_failed_message", result.message))
    if not words:  # the mistake message begins with a value: name the failing test by its description instead
        words = _first_words(result.message)
    return f"{result.status}: {words}"


def _carrier(cls: type) -> type:
    carrier = _CARRIERS.get(cls)
    if carrier is None:

        def _repr_mimebundle_(self: Any, include: Any = None, exclude: Any = None) -> dict:
            # IPython fills in text/html and text/plain from the other _repr_ methods: only the record is added.
            return {EVENTS_MIME: self._lepton_events}

        carrier = type(cls.__name__, (cls,), {"_repr_mimebundle_": _repr_mimebundle_, "__module__": cls.__module__})
        _CARRIERS[cls] = carrier
    return carrier


_CARRIERS: dict[type, type] = {}


class _EventLog:
    """The kernel's record of this session's checks and hints, kept in memory."""

    def __init__(self) -> None:
        import uuid

        self.session = uuid.uuid4().hex[:12]
        self.count = 0
        self.events: dict[str, list[dict]] = {}
        self.earlier: dict[str, list[dict]] | None = None

    def _load_earlier(self) -> dict[str, list[dict]]:
        """Events of earlier kernel sessions, read once from the saved notebook when the kernel knows its path."""
        found: dict[str, list[dict]] = {}
        path = os.environ.get("JPY_SESSION_NAME", "")
        try:
            if not path.endswith(".ipynb") or not os.path.isfile(path) or os.path.getsize(path) > 50_000_000:
                return found
            with open(path, encoding="utf-8") as handle:
                nb = json.load(handle)
            seen = set()
            for cell in nb.get("cells", []):
                for output in cell.get("outputs", []) or []:
                    record = (output.get("data") or {}).get(EVENTS_MIME) or {}
                    for event in record.get("events", []) if isinstance(record, dict) else []:
                        key = (event.get("s"), event.get("n"))
                        if isinstance(event, dict) and event.get("s") != self.session and key not in seen:
                            seen.add(key)
                            found.setdefault(str(event.get("q")), []).append(event)
        except (OSError, ValueError, AttributeError, TypeError):
            return {}  # an unreadable notebook only means the earlier sessions are not carried forward
        return found

    def carry(self, question: Question, shown: Any, event: dict) -> Any:
        """Add ``event`` to the record and return ``shown`` carrying its question's events."""
        if self.earlier is None:
            self.earlier = self._load_earlier()
        self.count += 1
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        mine = self.events.setdefault(question.full_id, [])
        mine.append({"s": self.session, "n": self.count, "q": question.full_id, "t": stamp, **event})
        del mine[:-_MAX_EVENTS]
        events = (self.earlier.get(question.full_id, []) + mine)[-_MAX_EVENTS:]
        new = object.__new__(_carrier(type(shown)))
        new.__dict__.update(shown.__dict__)
        object.__setattr__(new, "_lepton_events", {"version": 1, "events": events})
        return new


_EVENTS = _EventLog()
