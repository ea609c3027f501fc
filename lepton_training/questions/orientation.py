"""Graded questions of module 00, orientation: warm-ups that exercise every kind of check.

* ``q1`` a number (tolerance; a percentage instead of a fraction gets its own message);
* ``q2`` an array (shape, element-wise tolerance; the sample standard deviation gets its own message);
* ``q3`` a DataFrame (columns, any row order; counting rows instead of people gets its own message);
* ``q4`` a number checked against a salted hash on the course data, plus recomputation on other data.

Expected values are recomputed from the inputs each test gives the learner's function, or compared by
salted hash; none is stored here in plain text.
"""

from __future__ import annotations

from typing import Any

from lepton_training.checks import (
    CheckResult,
    check_array,
    check_frame,
    check_hashed,
    check_number,
    incorrect,
)
from lepton_training.exercises import ExerciseSet, FunctionQuestion, Test

MODULE = "00-orientation"

__all__ = ["q1", "q2", "q3", "q4", "exercises", "progress"]


# --- q1: a number ------------------------------------------------------------------------------------------------


class CompletionRate(FunctionQuestion):
    """``completion_rate(enrolled, completed)``: the fraction of enrolled learners who completed a module."""

    def _case(self, fn: Any, enrolled: int, completed: int) -> CheckResult:
        value = fn(enrolled, completed)
        expected = completed / enrolled
        result = check_number(value, expected, rtol=1e-9, name=f"completion_rate({enrolled}, {completed})")
        if result.status == "incorrect" and expected > 0 and check_number(value, 100 * expected).passed:
            return incorrect("this looks like a percentage; return a fraction between 0 and 1 instead.")
        if result.status == "incorrect" and check_number(value, completed // enrolled).passed:
            return incorrect("the answer was rounded down to a whole number: `//` is floor division, use `/`.")
        return result

    def public_tests(self, answer: Any) -> list[Test]:
        return [
            Test(
                "On the example from the statement (48 enrolled, 36 completed)",
                lambda: self._case(answer, 48, 36),
            ),
            Test("When everybody completed (20 of 20)", lambda: self._case(answer, 20, 20)),
        ]

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        tests = [Test("When nobody completed (15 enrolled, 0 completed)", lambda: self._case(answer, 15, 0))]
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
    hints=(
        "A rate is a part divided by the whole. Which of the two numbers is the whole?",
        "Python's `/` divides and keeps the fraction; `//` rounds down to a whole number.",
        "The body of the function is one line: `return <part> / <whole>`.",
    ),
)


# --- q2: an array ------------------------------------------------------------------------------------------------


class Standardize(FunctionQuestion):
    """``standardize(scores)``: z-scores of an array, with the population standard deviation."""

    def _case(self, fn: Any, scores: Any) -> CheckResult:
        import numpy as np

        given = np.array(scores, dtype=float)
        original = given.copy()
        value = fn(given)
        if not np.array_equal(given, original):
            return incorrect(
                "your function changed the array it was given. Compute a new array instead of "
                "modifying `scores` in place (avoid `scores -= ...`)."
            )
        expected = (original - original.mean()) / original.std()
        result = check_array(value, expected, rtol=1e-9, atol=1e-9, name="The result")
        if result.status == "incorrect":
            sample = (original - original.mean()) / original.std(ddof=1)
            if check_array(value, sample, rtol=1e-9, atol=1e-9).passed:
                return incorrect(
                    "you divided by the sample standard deviation (ddof=1); use the population standard "
                    "deviation, which is NumPy's default (ddof=0)."
                )
        return result

    def public_tests(self, answer: Any) -> list[Test]:
        return [Test("On the scores from the statement", lambda: self._case(answer, [55.0, 70.0, 85.0, 90.0]))]

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        tests = [Test("On two scores", lambda: self._case(answer, [40.0, 80.0]))]
        for size in (7, 31):
            scores = rng.normal(70, 12, size=size).round(1)
            tests.append(Test(f"On {size} other scores", lambda s=scores: self._case(answer, s)))
        return tests


q2 = Standardize(
    id="q2",
    module=MODULE,
    title="Standardize scores",
    points=2,
    answer_name="standardize",
    parameters=("scores",),
    hints=(
        "A z-score says how many standard deviations a value lies from the mean: (value - mean) / std.",
        "NumPy arrays do arithmetic element by element: `scores - scores.mean()` subtracts the mean from each.",
        "`scores.std()` is the population standard deviation (ddof=0), the one asked for here.",
    ),
)


# --- q3: a DataFrame ---------------------------------------------------------------------------------------------


class HoursPerTeam(FunctionQuestion):
    """``hours_per_team(sessions)``: per team, the number of distinct participants and the total hours."""

    columns = ("team", "participants", "total_hours")

    def _case(self, fn: Any, sessions: Any) -> CheckResult:
        given = sessions.copy()
        value = fn(given)
        expected = (
            sessions.groupby("team", as_index=False)
            .agg(participants=("participant", "nunique"), total_hours=("hours", "sum"))
            .loc[:, list(self.columns)]
        )
        result = check_frame(value, expected, key=["team"], rtol=1e-9, name="The result")
        if result.status == "incorrect" and "participants" in result.message:
            by_rows = sessions.groupby("team", as_index=False).agg(
                participants=("participant", "size"), total_hours=("hours", "sum")
            )
            if check_frame(value, by_rows, key=["team"]).passed:
                return incorrect(
                    "`participants` counts rows, but a learner who attended several modules has several "
                    "rows. Count each participant once per team.",
                )
        return result

    def public_tests(self, answer: Any) -> list[Test]:
        from lepton_training.datasets import training_sessions

        return [Test("On the course's training_sessions() table", lambda: self._case(answer, training_sessions()))]

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        from lepton_training.datasets import training_sessions

        seed = int(rng.integers(1_000, 1_000_000))
        return [
            Test("On another attendance table", lambda: self._case(answer, training_sessions(25, seed=seed))),
            Test(
                "On a table with a single learner",
                lambda: self._case(answer, training_sessions(1, seed=seed)),
            ),
        ]


q3 = HoursPerTeam(
    id="q3",
    module=MODULE,
    title="Hours per team",
    points=2,
    answer_name="hours_per_team",
    parameters=("sessions",),
    hints=(
        "Group the rows by team, then summarise each group: one number for people, one for hours.",
        "`DataFrame.groupby('team').agg(...)` can compute several summaries at once; `nunique` counts distinct values.",
        "Named aggregation keeps the column names you want: `.agg(participants=('participant', 'nunique'), "
        "total_hours=('hours', 'sum'))`. Then `.reset_index()` turns `team` back into a column.",
    ),
)


# --- q4: a hashed value, plus recomputation on other data --------------------------------------------------------


class MeanRating(FunctionQuestion):
    """``mean_rating(sessions)``: the mean post-session rating, ignoring missing ratings."""

    # Salted digests (see lepton_training.checks.answer_digest) of the answer on training_sessions(), and of the
    # answer a common mistake gives (missing ratings counted as 0), so that mistake gets a specific message.
    _digest = "a98679d56421c1f1081a9bd65b86da78a88540939ca06472e0db461d9473d7ef"
    _digest_missing_as_zero = "c79611df8287e9222bbee003e1233f1213c6407cf039dcc0c963ddf4367d46f6"

    def _public(self, fn: Any) -> CheckResult:
        from lepton_training.datasets import training_sessions

        value = fn(training_sessions())
        result = check_hashed(value, self._digest, salt=self.full_id, kind="number", decimals=4, name="The result")
        if (
            result.status == "incorrect"
            and check_hashed(value, self._digest_missing_as_zero, salt=self.full_id, kind="number", decimals=4).passed
        ):
            return incorrect(
                "missing ratings were counted as 0. A learner who skipped the survey gave no rating at all: "
                "leave missing values out of the mean."
            )
        return result

    def _recomputed(self, fn: Any, sessions: Any) -> CheckResult:
        return check_number(fn(sessions.copy()), float(sessions["rating"].mean()), rtol=1e-9, name="The result")

    def public_tests(self, answer: Any) -> list[Test]:
        return [Test("On the course's training_sessions() table", lambda: self._public(answer))]

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        from lepton_training.datasets import training_sessions

        seed = int(rng.integers(1_000, 1_000_000))
        return [Test("On another attendance table", lambda: self._recomputed(answer, training_sessions(40, seed)))]


q4 = MeanRating(
    id="q4",
    module=MODULE,
    title="Mean rating",
    points=1,
    answer_name="mean_rating",
    parameters=("sessions",),
    hints=(
        "Select the `rating` column, then take its mean.",
        "pandas leaves missing values (NaN) out of `.mean()` by default; `fillna(0)` would count them as 0.",
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
