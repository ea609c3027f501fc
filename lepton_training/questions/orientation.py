"""Graded questions of module 00, orientation: the course's tools, practised on small tasks.

* ``q1`` a number: the completion rate (a first answer to check; a percentage, a floor division and a rounded
  fraction each get their own message). Objective 2.
* ``q2`` a number: the mean rating, written after reading the feedback on a colleague's function that returns
  NaN (missing ratings leak into the sum). Objectives 2 and 3.
* ``q3`` a DataFrame: participants and hours per team, with ``groupby().agg`` learned from the graded hints.
  Objective 2.
* ``q4`` a bool: whether a notebook is ready to submit, from its execution counts, errors and save state (a
  fresh Restart Kernel and Run All numbers the cells 1, 2, 3, ... from the top). Objectives 1 and 4.

Expected values are recomputed from the inputs each test gives the learner's function; none is stored here.
Public checks run on ``training_sessions(30, seed=11)``, not on the ``training_sessions()`` table the notebook
shows, whose answers a learner could read off the screen.
"""

from __future__ import annotations

import math
from typing import Any

from lepton_training.checks import (
    CheckResult,
    check_frame,
    check_number,
    describe_type,
    incorrect,
    input_changed,
    invalid,
    passed,
)
from lepton_training.exercises import ExerciseSet, FunctionQuestion, Test

MODULE = "00-orientation"

#: The table the public checks of q2 and q3 use (the notebook shows ``training_sessions()``, the default one).
PUBLIC_TABLE = {"n_participants": 30, "seed": 11}
PUBLIC_TABLE_NAME = "training_sessions(30, seed=11)"

__all__ = ["q1", "q2", "q3", "q4", "exercises", "progress", "PUBLIC_TABLE", "PUBLIC_TABLE_NAME"]


def _public_table():
    from lepton_training.datasets import training_sessions

    return training_sessions(**PUBLIC_TABLE)


def _is_nan(value: Any) -> bool:
    try:
        return not isinstance(value, (bool, str)) and math.isnan(float(value))
    except (TypeError, ValueError):
        return False


def _hand_made_table(rows: list[tuple[str, str, float, float]], index: list[int] | None = None):
    """Build a small attendance table from (team, participant, hours, rating) rows, shaped like training_sessions()."""
    import pandas as pd

    frame = pd.DataFrame(
        [
            {
                "session_id": f"S{i + 1:02d}",
                "team": t,
                "participant": p,
                "module": "01-data-prep",
                "hours": h,
                "rating": r,
            }
            for i, (t, p, h, r) in enumerate(rows)
        ],
        columns=["session_id", "team", "participant", "module", "hours", "rating"],
    )
    if index is not None:
        frame.index = index
    return frame


def _call_on_table(fn: Any, table: Any) -> tuple[Any, CheckResult | None]:
    """Call the learner's function on a table; turn a KeyError into feedback that says what was looked up.

    Returns
    -------
    tuple
        The function's result and None, or None and the result to report.
    """
    try:
        return fn(table), None
    except KeyError as exc:
        key = exc.args[0] if exc.args else None
        if isinstance(key, int):
            return None, incorrect(
                f"your code looked up row {key}, but the table has no row with that label (KeyError). The rows of a "
                "table are not always numbered 0, 1, 2, ... (a part of a larger table keeps its labels): work with "
                "whole columns, or use `.iloc` for positions."
            )
        columns = ", ".join(map(str, table.columns))
        return None, incorrect(
            f"your code asked for {key!r}, which the table does not have (KeyError). Its columns are {columns}."
        )


def _unchanged(given: Any, original: Any) -> CheckResult | None:
    """Return an incorrect result when the learner's function modified the table it was given, else None."""
    advice = ". Compute new values instead of modifying `sessions` (no `inplace=True`, no `sessions[...] = ...`)."
    return input_changed(given, original, "table", advice)


# --- q1: a number ------------------------------------------------------------------------------------------------


class CompletionRate(FunctionQuestion):
    """``completion_rate(enrolled, completed)``: the fraction of enrolled learners who completed a module."""

    def _case(self, fn: Any, enrolled: int, completed: int) -> CheckResult:
        value = fn(enrolled, completed)
        expected = completed / enrolled
        result = check_number(
            value,
            expected,
            rtol=1e-9,
            name=f"completion_rate({enrolled}, {completed})",
            advice="It is the number who completed divided by the number enrolled: a fraction between 0 and 1.",
        )
        if result.status != "incorrect":
            return result
        if expected > 0 and check_number(value, 100 * expected).passed:
            return incorrect("this looks like a percentage; return a fraction between 0 and 1 instead.")
        if check_number(value, completed // enrolled).passed:
            return incorrect("the answer was rounded down to a whole number: `//` is floor division, use `/`.")
        if any(check_number(value, round(expected, digits)).passed for digits in range(1, 5)):
            return incorrect("the fraction was rounded. Return it exactly as the division gives it, without `round`.")
        if expected < 1 and check_number(value, 1 - expected).passed:
            return incorrect(
                "this is the drop-out rate, the share who did not complete; the completion rate is the share who "
                "completed: completed / enrolled."
            )
        if completed and expected != 1 and check_number(value, enrolled / completed).passed:
            return incorrect("the division is upside down: enrolled / completed. Divide completed by enrolled.")
        return result

    def public_tests(self, answer: Any) -> list[Test]:
        return [
            Test("On the example from the statement (48 enrolled, 36 completed)", lambda: self._case(answer, 48, 36)),
            Test("When everybody completed (20 of 20)", lambda: self._case(answer, 20, 20)),
        ]

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        tests = [
            Test("When nobody completed (15 enrolled, 0 completed)", lambda: self._case(answer, 15, 0)),
            # A third has no short decimal form: a rounded answer shows here.
            Test("When one in three completed (3 enrolled, 1 completed)", lambda: self._case(answer, 3, 1)),
        ]
        for _ in range(3):
            enrolled = int(rng.integers(2, 500))
            completed = int(rng.integers(1, enrolled))
            tests.append(
                Test(
                    f"On other numbers ({enrolled} enrolled, {completed} completed)",
                    lambda e=enrolled, c=completed: self._case(answer, e, c),
                )
            )
        return tests


q1 = CompletionRate(
    id="q1",
    module=MODULE,
    title="Completion rate",
    points=1,
    answer_name="completion_rate",
    parameters=("enrolled", "completed"),
    objectives=(2,),
    hints=(
        "A rate is a part divided by the whole. Which of the two numbers is the whole?",
        "Python's `/` divides and keeps the fraction; `//` rounds down to a whole number.",
        "The body of the function is one line; fill in the blanks: `return ____ / ____`.",
    ),
)


# --- q2: a number, fixed from the feedback on a colleague's function --------------------------------------------


class MeanRating(FunctionQuestion):
    """``mean_rating(sessions)``: the mean post-session rating, leaving missing ratings out."""

    def _case(self, fn: Any, sessions: Any) -> CheckResult:
        given = sessions.copy()
        value, failed = _call_on_table(fn, given)
        if failed is not None:
            return failed
        changed = _unchanged(given, sessions)
        if changed is not None:
            return changed
        ratings = sessions["rating"]
        if _is_nan(value) and ratings.notna().any():
            return incorrect(
                "the mean is NaN, not a number: some ratings are missing (NaN), and a sum that includes a missing "
                "value is missing too. Leave the missing ratings out of the mean."
            )
        result = check_number(
            value,
            float(ratings.mean()),
            rtol=1e-9,
            name="The mean rating",
            advice="It is the sum of the ratings given divided by how many were given, the missing ones left out.",
        )
        if result.status != "incorrect":
            return result
        if check_number(value, float(ratings.fillna(0).mean()), rtol=1e-9).passed:
            return incorrect(
                "missing ratings were counted as 0. A learner who skipped the survey gave no rating at all: "
                "leave missing values out of the mean."
            )
        if check_number(value, float(ratings.median()), rtol=1e-9).passed:
            return incorrect("this is the median, the middle rating; the mean is asked for.")
        return result

    def public_tests(self, answer: Any) -> list[Test]:
        return [Test(f"On the table {PUBLIC_TABLE_NAME}", lambda: self._case(answer, _public_table()))]

    def public_inputs(self) -> list[Any]:
        return [_public_table()]

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        from lepton_training.datasets import training_sessions

        seed = int(rng.integers(1_000, 1_000_000))
        # Ratings 5, 4, 2, 5 and two missing: mean 4, median 4.5, missing-as-zero 2.67; rows numbered 10, 20, ...
        # as in a part of a larger table, so a loop over positions 0, 1, 2 ... with .loc fails.
        fixed = _hand_made_table(
            [
                ("Sales", "P001", 1.0, 5.0),
                ("Sales", "P002", 1.0, float("nan")),
                ("People", "P003", 0.5, 4.0),
                ("People", "P004", 1.0, float("nan")),
                ("Research", "P005", 1.0, 2.0),
                ("Research", "P006", 0.75, 5.0),
            ],
            index=[10, 20, 30, 40, 50, 60],
        )
        return [
            Test(
                f"On another attendance table (training_sessions(40, seed={seed}))",
                lambda: self._case(answer, training_sessions(40, seed=seed)),
            ),
            Test("On six rows, two of them without a rating, numbered 10 to 60", lambda: self._case(answer, fixed)),
        ]


q2 = MeanRating(
    id="q2",
    module=MODULE,
    title="Mean rating",
    points=1,
    answer_name="mean_rating",
    parameters=("sessions",),
    objectives=(2, 3),
    hints=(
        "Read the colleague's feedback again: which values make the sum NaN, and what should happen to them?",
        "`sessions['rating']` selects the column as a pandas Series. A Series' `.mean()` leaves missing values "
        "out by default; a NumPy array's `.sum()` does not, and `fillna(0)` would count them as 0.",
        "Fill in the blank: `return float(sessions['rating'].____())`.",
    ),
)


# --- q3: a DataFrame ---------------------------------------------------------------------------------------------


def _what_participants_counts(value: Any, sessions: Any) -> str | None:
    """Name what a wrong ``participants`` column counts instead of people: rows, or distinct values of a column."""

    def same(participants: Any) -> bool:
        table = sessions.groupby("team", as_index=False).agg(participants=participants, total_hours=("hours", "sum"))
        return check_frame(value, table, key=["team"]).passed

    others = [c for c in sessions.columns if c not in ("team", "participant", "hours")]
    for column in others:
        if same((column, "nunique")) and not same(("participant", "size")):
            return f"distinct `{column}` values (sessions), not people"
    if same(("participant", "size")):
        return "rows (one per session attended), not people"
    return None


class HoursPerTeam(FunctionQuestion):
    """``hours_per_team(sessions)``: per team, the number of distinct participants and the total hours."""

    columns = ("team", "participants", "total_hours")

    def _case(self, fn: Any, sessions: Any) -> CheckResult:
        given = sessions.copy()
        value, failed = _call_on_table(fn, given)
        if failed is not None:
            return failed
        changed = _unchanged(given, sessions)
        if changed is not None:
            return changed
        expected = (
            sessions.groupby("team", as_index=False)
            .agg(participants=("participant", "nunique"), total_hours=("hours", "sum"))
            .loc[:, list(self.columns)]
        )
        result = check_frame(
            value,
            expected,
            key=["team"],
            rtol=1e-9,
            name="The result",
            advice={
                "participants": "It is how many different people of the team attended at least one session.",
                "total_hours": "It is the sum of `hours` over every row of the team: every session counts.",
            },
        )
        if result.status != "incorrect":
            return result
        if "participants" in result.message:
            counted = _what_participants_counts(value, sessions)
            if counted is not None:
                return incorrect(
                    f"`participants` counts {counted}, but a learner who attended several sessions has several "
                    "rows. Count each participant once per team (the number of distinct participants)."
                )
        if "total_hours" in result.message:
            mean_hours = sessions.groupby("team", as_index=False).agg(
                participants=("participant", "nunique"), total_hours=("hours", "mean")
            )
            if check_frame(value, mean_hours, key=["team"]).passed:
                return incorrect(
                    "`total_hours` is the mean per row; the hours attended in all (their sum) is asked for."
                )
            first_rows = sessions.drop_duplicates("participant").groupby("team", as_index=False)["hours"].sum()
            once = expected.drop(columns="total_hours").merge(first_rows.rename(columns={"hours": "total_hours"}))
            if len(once) == len(expected) and check_frame(value, once, key=["team"]).passed:
                return incorrect(
                    "`total_hours` counts one session per person: rows were dropped (one per participant) before "
                    "the hours were summed. Count each person once for `participants`, but sum the hours of every "
                    "session."
                )
        return result

    def public_tests(self, answer: Any) -> list[Test]:
        return [Test(f"On the table {PUBLIC_TABLE_NAME}", lambda: self._case(answer, _public_table()))]

    def public_inputs(self) -> list[Any]:
        return [_public_table()]

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        from lepton_training.datasets import training_sessions

        seed = int(rng.integers(1_000, 1_000_000))
        # P001 attended three modules, P002 one: two people in Sales, not four; a team of one row; rows numbered
        # from 5, as in a part of a larger table.
        fixed = _hand_made_table(
            [
                ("Sales", "P001", 1.25, 4.0),
                ("Sales", "P001", 1.5, 5.0),
                ("Sales", "P001", 0.75, float("nan")),
                ("Sales", "P002", 1.0, 3.0),
                ("People", "P003", 0.5, 4.0),
            ],
            index=[5, 6, 7, 8, 9],
        )
        return [
            Test(
                f"On another attendance table (training_sessions(25, seed={seed}))",
                lambda: self._case(answer, training_sessions(25, seed=seed)),
            ),
            Test(
                "On a table with a single learner",
                lambda: self._case(answer, training_sessions(1, seed=seed)),
                premise=lambda: training_sessions(1, seed=seed)["participant"].nunique() == 1,
            ),
            Test("On five rows where one learner attended three modules", lambda: self._case(answer, fixed)),
        ]


q3 = HoursPerTeam(
    id="q3",
    module=MODULE,
    title="Hours per team",
    points=2,
    answer_name="hours_per_team",
    parameters=("sessions",),
    objectives=(2,),
    hints=(
        "Group the rows by team, then summarize each group with two numbers: how many different people, and "
        "how many hours in all.",
        "`sessions.groupby('team').agg(...)` computes several summaries of each group at once. Inside `agg`, "
        "`name=(column, function)` makes a column called `name`; the function `'nunique'` counts distinct "
        "values and `'sum'` adds them up. `.reset_index()` turns `team` from the index back into a column.",
        "Fill in the blanks (one line, the whole body of the function): "
        "`return sessions.groupby('team').agg(participants=('participant', '____'), "
        "total_hours=('____', 'sum')).____()`",
    ),
)


# --- q4: a bool: ready to submit? --------------------------------------------------------------------------------


def _show_counts(counts: list[int | None]) -> str:
    return "[" + ", ".join(str(c) for c in counts) + "]"


class ReadyToSubmit(FunctionQuestion):
    """``ready_to_submit(counts, errors, saved)``: whether the notebook is what the grader will see.

    Ready means saved, no cell showing an error, and execution counts 1, 2, ..., n from the top: the counts a
    Restart Kernel and Run All gives.
    """

    @staticmethod
    def _verdict(fn: Any, counts: list[int | None], errors: int, saved: bool) -> tuple[bool | None, CheckResult]:
        """Call the function; return its verdict, or None and why the value is not a verdict."""
        import numpy as np

        value = fn(list(counts), errors, saved)
        if not isinstance(value, (bool, np.bool_)):
            hint = " Did you forget a `return` statement?" if value is None else ""
            return None, invalid(
                f"`ready_to_submit` should return True or False, but it returned {describe_type(value)}.{hint}"
            )
        return bool(value), passed()

    def _case(self, fn: Any, counts: list[int | None], errors: int, saved: bool, why: str) -> CheckResult:
        ready = saved and errors == 0 and list(counts) == list(range(1, len(counts) + 1))
        verdict, problem = self._verdict(fn, counts, errors, saved)
        if verdict is None:
            return problem
        if verdict != ready and ready:
            return incorrect(
                "your function says this notebook is not ready, but it is: saved, no error, and counted 1, 2, 3, ... "
                "from the top, as a Restart Kernel and Run All leaves it."
            )
        if verdict != ready:
            return incorrect(f"your function says this notebook is ready, but {why}")
        if ready:
            return passed()
        # A notebook that is not ready is judged together with the same notebook after Restart Kernel and Run All,
        # saved: most notebooks tried are not ready, and "never ready" must not earn their points.
        fresh = list(range(1, len(counts) + 1))
        verdict, problem = self._verdict(fn, fresh, 0, True)
        if verdict is None:
            return problem
        if not verdict:
            return incorrect(
                "your function says this notebook is not ready, which is right, but it says so of the same notebook "
                f"after Restart Kernel and Run All too (counts {_show_counts(fresh)}, no error, saved), and that one "
                "is ready."
            )
        return passed()

    def _test(self, fn: Any, counts: list[int | None], errors: int, saved: bool, why: str = "", weight: float = 1.0):
        error_words = "no error" if errors == 0 else f"{errors} error{'s' if errors != 1 else ''}"
        described = f"counts {_show_counts(counts)}, {error_words}, {'saved' if saved else 'not saved'}"
        return Test(f"On a notebook with {described}", lambda: self._case(fn, counts, errors, saved, why), weight)

    # Why a notebook is not ready, for each way it can fall short.
    _NOT_RUN = "a cell has not run: the grader runs it, and you have not seen what it does."
    _ORDER = "its cells ran in another order than top to bottom, which is the order the grader runs them in."
    _NO_RESTART = (
        "its counts do not start at 1 or skip a number: other code ran in this kernel too (a cell run twice, a "
        "cell since deleted), and the grader's fresh kernel will not have what it left behind."
    )
    _ERRORS = "a cell shows an error: the grader gets the same error, and the cells that depend on it fail too."
    _UNSAVED = "it has unsaved changes: the grader reads the saved file, without them."

    def public_tests(self, answer: Any) -> list[Test]:
        return [
            self._test(answer, [1, 2, 3, 4, 5, 6], 0, True),
            self._test(answer, [1, 2, None, 3], 0, True, self._NOT_RUN),
            self._test(answer, [1, 2, 3, None], 0, True, self._NOT_RUN),
            self._test(answer, [1, 3, 2, 4], 0, True, self._ORDER),
            self._test(answer, [5, 6, 7, 8], 0, True, self._NO_RESTART),
            self._test(answer, [1, 2, 4, 5], 0, True, self._NO_RESTART),
            self._test(answer, [1, 2, 3, 4], 1, True, self._ERRORS),
            self._test(answer, [1, 2, 3, 4, 5], 0, False, self._UNSAVED),
        ]

    def public_inputs(self) -> list[Any]:
        return [
            [1, 2, 3, 4, 5, 6],
            [1, 2, None, 3],
            [1, 2, 3, None],
            [1, 3, 2, 4],
            [5, 6, 7, 8],
            [1, 2, 4, 5],
            [1, 2, 3, 4],
            [1, 2, 3, 4, 5],
        ]

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        tests = [
            # Fixed cases: in order but with a gap at the end (sorted, yet not a fresh run), a single cell, and a
            # run that stopped at an error (JupyterLab's Run All stops there: the cells below keep no count).
            self._test(answer, [1, 2, 3, 5], 0, True, self._NO_RESTART),
            self._test(answer, [1], 0, True),
            self._test(answer, [2], 0, True, self._NO_RESTART),
            self._test(answer, [1, 2, 3, None, None], 1, True, self._ERRORS),
            self._test(answer, [None, None, None], 0, True, self._NOT_RUN),
            # Unrun cells at either end, not only in the middle as on screen: a rule that checks only the cells
            # that ran, or stops at the first gap, passes them.
            self._test(answer, [1, 2, 3, 4, 5, None], 0, True, self._NOT_RUN),
            self._test(answer, [None, 1, 2], 0, True, self._NOT_RUN),
            self._test(answer, [3, 1, 2], 0, False, self._ORDER),
        ]
        n = int(rng.integers(6, 15))
        fresh = list(range(1, n + 1))
        swapped = list(fresh)
        i = int(rng.integers(0, n - 1))
        swapped[i], swapped[i + 1] = swapped[i + 1], swapped[i]
        shift = int(rng.integers(1, 20))
        shifted = [c + shift for c in fresh]
        skipped = list(fresh)
        skipped[int(rng.integers(0, n))] = None
        tests += [
            self._test(answer, fresh, 0, True),
            self._test(answer, swapped, 0, True, self._ORDER),
            self._test(answer, shifted, 0, True, self._NO_RESTART),
            self._test(answer, skipped, 0, True, self._NOT_RUN),
            self._test(answer, fresh, int(rng.integers(1, 4)), True, self._ERRORS),
            self._test(answer, fresh, 0, False, self._UNSAVED),
        ]
        return tests


q4 = ReadyToSubmit(
    id="q4",
    module=MODULE,
    title="Ready to submit?",
    points=2,
    answer_name="ready_to_submit",
    parameters=("counts", "errors", "saved"),
    objectives=(1, 4),
    hints=(
        "The grader restarts the kernel and runs every cell from the top. Your notebook is ready when it looks "
        "exactly like that run, has no error and is saved. What counts does that run put beside the cells?",
        "After a restart the kernel counts from 1 again, so a fresh run from the top gives `[1, 2, 3, ..., n]`. "
        "`list(range(1, n + 1))` builds that list, `==` compares two lists element by element, and `and` "
        "combines conditions.",
        "Fill in the blanks (one line, the whole body of the function): "
        "`return counts == list(range(____, ____)) and errors == ____ and ____`",
    ),
)

exercises = ExerciseSet(MODULE, [q1, q2, q3, q4])


def progress():
    """Show which questions of this module pass their public checks, and the points at stake.

    Returns
    -------
    lepton_training.exercises.Progress
    """
    return exercises.progress()
