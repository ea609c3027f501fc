"""Near misses of module 00's answers lose points, each with a message that names the mistake; alternative correct
answers earn full marks; hard-coded answers pass the check at most; and the data the module shows keeps the
promises of its data card (course standard: mutate your own solution and watch a test fail)."""

import statistics

import numpy as np
import pandas as pd
import pytest

from lepton_training.datasets import TRAINING_SESSIONS_CARD, training_sessions
from lepton_training.manifest import load_course
from lepton_training.questions.orientation import PUBLIC_TABLE, q1, q2, q3, q4

HIDDEN = 99

# Words a learner should never read in feedback (course standard: messages in the learner's words).
JARGON = ("check(s)", "column(s) differ", "relative tolerance", "1e-09", "np.float64", "np.int64", "finite number")


def explanation(question, answer):
    """The graded explanation of an answer, as plain text, after making sure it is in the learner's words."""
    text = str(question.grade(answer, hidden=HIDDEN).explanation())
    for word in JARGON:
        assert word not in text, f"{question.id}: {word!r} in feedback:\n{text}"
    return text


def assert_loses_points(question, answer, phrase):
    """The answer loses points when graded, and the explanation names the mistake with ``phrase``."""
    score = question.grade(answer, hidden=HIDDEN)
    assert score.points < question.points, f"{question.id}: a near miss earned full marks"
    text = explanation(question, answer)
    assert phrase.lower() in text.lower(), f"{question.id}: {phrase!r} not in:\n{text}"


def assert_full_marks(question, answer):
    score = question.grade(answer, hidden=HIDDEN)
    assert score.points == question.points, score.explanation()
    assert question.check(answer).passed


class EqualsEverything:
    """An object that claims to equal anything: it must be invalid, never correct."""

    def __eq__(self, other):
        return True

    __hash__ = object.__hash__

    def __bool__(self):
        return True

    def __float__(self):
        return 0.75


# --- q1: completion rate -------------------------------------------------------------------------------------------

Q1_MUTANTS = {
    "percentage": (lambda e, c: 100 * c / e, "percentage"),
    "floor division": (lambda e, c: c // e, "floor division"),
    "rounded": (lambda e, c: round(c / e, 2), "rounded"),
    "swapped": (lambda e, c: e / c if c else 0.0, "upside down"),
    "drop-out rate": (lambda e, c: (e - c) / e, "drop-out rate"),
    "hard-coded": (lambda e, c: 0.75, "too high"),
    "string": (lambda e, c: f"{c / e:.0%}", "should be a number"),
    "no return": (lambda e, c: None, "forget a `return`"),
    "equals everything": (lambda e, c: EqualsEverything(), "should be a number"),
}


@pytest.mark.parametrize("name", sorted(Q1_MUTANTS))
def test_q1_mutants(name):
    fn, phrase = Q1_MUTANTS[name]
    assert_loses_points(q1, fn, phrase)


def test_q1_alternatives():
    assert_full_marks(q1, lambda e, c: c / e)
    assert_full_marks(q1, lambda e, c: float(np.float64(c) / np.int64(e)))
    assert_full_marks(q1, lambda e, c: np.divide(c, e))  # a NumPy number is a number


# --- q2: mean rating, after the colleague's feedback ---------------------------------------------------------------


def colleague_mean_rating(sessions):
    """The function the notebook shows: a NumPy sum over all rows, missing ratings included."""
    ratings = sessions["rating"].to_numpy()
    return ratings.sum() / len(ratings)


def test_q2_the_colleague_is_told_about_nan_and_missing_ratings():
    result = q2.check(colleague_mean_rating)
    assert result.status == "incorrect"
    assert "the mean is NaN, not a number: some ratings are missing" in result.message
    assert not any(word in str(result) for word in JARGON)


def test_q2_mutants():
    def returns_nan(sessions):
        return np.nan

    def missing_as_zero(sessions):
        return float(sessions["rating"].fillna(0).mean())

    def nan_to_num(sessions):
        ratings = np.nan_to_num(sessions["rating"].to_numpy())
        return ratings.sum() / len(ratings)

    def median(sessions):
        return float(sessions["rating"].median())

    def in_place(sessions):
        sessions.dropna(subset=["rating"], inplace=True)
        return float(sessions["rating"].mean())

    def positional_loop(sessions):
        ratings = [sessions.loc[i, "rating"] for i in range(len(sessions))]
        ratings = [r for r in ratings if not np.isnan(r)]
        return sum(ratings) / len(ratings)

    def as_frame(sessions):
        return sessions[["rating"]].mean()

    assert_loses_points(q2, colleague_mean_rating, "NaN")
    assert_loses_points(q2, returns_nan, "some ratings are missing")
    assert_loses_points(q2, missing_as_zero, "counted as 0")
    assert_loses_points(q2, nan_to_num, "counted as 0")
    assert_loses_points(q2, median, "median")
    assert_loses_points(q2, in_place, "changed the table")
    assert_loses_points(q2, positional_loop, "KeyError")  # rows numbered 10, 20, ... in a hidden test
    assert_loses_points(q2, as_frame, "should be a number")
    assert q2.check(positional_loop).passed  # the public table is numbered 0, 1, 2, ...: only grading finds it
    assert q2.check(lambda s: EqualsEverything()).status == "invalid"


def test_q2_hard_coded_passes_the_check_only():
    value = float(training_sessions(**PUBLIC_TABLE)["rating"].mean())
    assert q2.check(lambda sessions: value).passed
    assert q2.grade(lambda sessions: value, hidden=HIDDEN).points < q2.points


def test_q2_alternatives():
    assert_full_marks(q2, lambda s: float(np.nanmean(s["rating"].to_numpy())))
    assert_full_marks(q2, lambda s: s["rating"].dropna().mean())  # a NumPy float is a number
    assert_full_marks(q2, lambda s: statistics.mean(r for r in s["rating"] if r == r))  # NaN != NaN
    assert_full_marks(q2, lambda s: s["rating"].sum() / s["rating"].count())  # pandas' sum skips NaN


# --- q3: hours per team --------------------------------------------------------------------------------------------


def _hours_per_team(sessions, count="nunique", hours="sum"):
    summary = sessions.groupby("team").agg(participants=("participant", count), total_hours=("hours", hours))
    return summary.reset_index()


def test_q3_mutants():
    def index_not_reset(sessions):
        return _hours_per_team(sessions).set_index("team")

    def counting_rows(sessions):
        return _hours_per_team(sessions, count="size")

    def counting_non_missing(sessions):
        return _hours_per_team(sessions, count="count")

    def mean_hours(sessions):
        return _hours_per_team(sessions, hours="mean")

    def counting_sessions(sessions):
        return sessions.groupby("team", as_index=False).agg(
            participants=("session_id", "nunique"), total_hours=("hours", "sum")
        )

    def in_place(sessions):
        sessions.drop_duplicates(subset=["team", "participant"], inplace=True)
        return _hours_per_team(sessions)

    assert "reset_index" in q3.check(index_not_reset).message
    assert "counts rows" in q3.check(counting_rows).message
    assert "the mean per row" in q3.check(mean_hours).message
    assert_loses_points(q3, index_not_reset, "reset_index")
    assert_loses_points(q3, counting_rows, "counts rows")
    assert_loses_points(q3, counting_non_missing, "counts rows")
    assert_loses_points(q3, mean_hours, "mean per row")
    assert "distinct `session_id` values (sessions), not people" in q3.check(counting_sessions).message
    assert_loses_points(q3, counting_sessions, "not people")
    assert_loses_points(q3, in_place, "changed the table")

    def one_row_per_person(sessions):
        # Drops the repeated people first, so that `participants` is right and `total_hours` loses sessions.
        return _hours_per_team(sessions.drop_duplicates("participant"), count="size")

    assert "counts one session per person" in q3.check(one_row_per_person).message
    assert_loses_points(q3, one_row_per_person, "counts one session per person")


def test_q3_hard_coded_passes_the_check_only():
    answer = _hours_per_team(training_sessions(**PUBLIC_TABLE))
    assert q3.check(lambda sessions: answer.copy()).passed
    assert q3.grade(lambda sessions: answer.copy(), hidden=HIDDEN).points < q3.points


def test_q3_alternatives():
    def reordered(sessions):
        return _hours_per_team(sessions).sort_values("total_hours")[["total_hours", "participants", "team"]]

    def with_dictionaries(sessions):
        people, hours = {}, {}
        for team, participant, h in zip(sessions["team"], sessions["participant"], sessions["hours"], strict=True):
            people.setdefault(team, set()).add(participant)
            hours[team] = hours.get(team, 0.0) + h
        return pd.DataFrame(
            {
                "team": list(people),
                "participants": [len(p) for p in people.values()],
                "total_hours": list(hours.values()),
            }
        )

    def two_groupbys(sessions):
        by_team = sessions.groupby("team", as_index=False)
        return (
            by_team["participant"]
            .nunique()
            .rename(columns={"participant": "participants"})
            .merge(by_team["hours"].sum().rename(columns={"hours": "total_hours"}))
        )

    for answer in (reordered, with_dictionaries, two_groupbys):
        assert_full_marks(q3, answer)


# --- q4: ready to submit? ------------------------------------------------------------------------------------------


def _fresh(counts):
    return counts == list(range(1, len(counts) + 1))


def _ran_first(counts):
    ran = [c for c in counts if c is not None]
    return counts[: len(ran)] == list(range(1, len(ran) + 1))


Q4_MUTANTS = {
    # Only that every cell ran: a notebook run out of order passes.
    "every cell ran": (lambda c, e, s: None not in c and e == 0 and s, "another order"),
    # Only that the counts go up: a notebook run after other code passes.
    "counts go up": (
        lambda c, e, s: None not in c and c == sorted(c) and e == 0 and s,
        "do not start at 1 or skip a number",
    ),
    # Starts at 1 and goes up: a skipped count (a cell run twice) passes.
    "starts at 1": (
        lambda c, e, s: None not in c and c[0] == 1 and c == sorted(c) and e == 0 and s,
        "skip a number",
    ),
    # Checks only the cells that ran, and that they come first: unrun cells at the end pass.
    "unrun at the end": (lambda c, e, s: _ran_first(c) and e == 0 and s, "has not run"),
    # Leaves unrun cells out before comparing: unrun cells anywhere pass.
    "skips unrun cells": (lambda c, e, s: _fresh([x for x in c if x is not None]) and e == 0 and s, "has not run"),
    "ignores errors": (lambda c, e, s: _fresh(c) and s, "shows an error"),
    "ignores saving": (lambda c, e, s: _fresh(c) and e == 0, "unsaved changes"),
    "flipped saved": (lambda c, e, s: _fresh(c) and e == 0 and not s, "unsaved changes"),
    "always ready": (lambda c, e, s: True, "ready, but"),
    "never ready": (lambda c, e, s: False, "that one is ready"),
    "a word": (lambda c, e, s: "yes" if _fresh(c) else "no", "True or False"),
    "no return": (lambda c, e, s: None, "forget a `return`"),
    "equals everything": (lambda c, e, s: EqualsEverything(), "True or False"),
}


@pytest.mark.parametrize("name", sorted(Q4_MUTANTS))
def test_q4_mutants(name):
    fn, phrase = Q4_MUTANTS[name]
    assert not q4.check(fn).passed, "the public check catches the common mistakes too"
    assert_loses_points(q4, fn, phrase)


def test_q4_hard_coded_passes_the_check_only():
    # A learner who answers the public cases by a lookup table, without a rule.
    # The public notebooks that are ready, and each not-ready one run afresh.
    public = {(1, 2, 3, 4, 5, 6): True, (1, 2, 3, 4): True, (1, 2, 3, 4, 5): True}

    def lookup(counts, errors, saved):
        return public.get(tuple(counts), False) and errors == 0 and saved

    assert q4.check(lookup).passed
    assert q4.grade(lookup, hidden=HIDDEN).points < q4.points


@pytest.mark.parametrize("name", ["unrun at the end", "never ready", "always ready"])
def test_q4_mistakes_lose_points_at_every_seed(name):
    fn, phrase = Q4_MUTANTS[name]
    for seed in range(30):
        score = q4.grade(fn, hidden=seed)
        assert score.points < q4.points, f"seed {seed}"
        assert phrase in str(score.explanation()), f"seed {seed}"


@pytest.mark.parametrize("constant", [True, False])
def test_q4_a_constant_answer_earns_little(constant):
    # 16 of 19 tests once expected "not ready", so `return False` earned 1.68 of 2.
    for seed in range(10):
        assert q4.grade(lambda c, e, s: constant, hidden=seed).points <= 0.25 * q4.points


def test_q4_alternatives():
    def with_enumerate(counts, errors, saved):
        return all(count == i + 1 for i, count in enumerate(counts)) and errors == 0 and saved is True

    def with_numpy(counts, errors, saved):
        return (
            bool(saved) and not errors and np.array_equal(np.array(counts, dtype=object), np.arange(1, len(counts) + 1))
        )

    def numpy_bool(counts, errors, saved):
        return np.bool_(_fresh(counts) and errors == 0 and saved)

    def sorts_its_input(counts, errors, saved):
        ran = [c for c in counts if c is not None]
        ran.sort()  # sorting a copy is fine; the tests give each call its own list anyway
        return (
            len(ran) == len(counts) and ran == counts and ran == list(range(1, len(ran) + 1)) and not errors and saved
        )

    for answer in (with_enumerate, with_numpy, numpy_bool, sorts_its_input):
        assert_full_marks(q4, answer)


def test_q4_tells_why_a_notebook_is_not_ready():
    text = explanation(q4, Q4_MUTANTS["always ready"][0])
    for reason in ("has not run", "another order", "skip a number", "shows an error", "unsaved changes"):
        assert reason in text, reason


# --- the data module 00 shows keeps its data card's promises -------------------------------------------------------


@pytest.mark.parametrize("seed", [7, 11, 2026])
def test_hours_are_quarter_hours_within_every_modules_planned_length(seed):
    # The card says hours are "to the quarter hour; at most the module's planned length", whatever
    # minutes course.toml gives each module (an 85-minute module once rounded to 1.5 h).
    planned = {m.id: m.total_minutes / 60 for m in load_course().modules}
    sessions = training_sessions(300, seed=seed)
    assert set(sessions["module"]) == set(planned), "every module appears in a large table"
    over = sessions[sessions["hours"] > sessions["module"].map(planned) + 1e-9]
    assert over.empty, f"hours above the planned length:\n{over}"
    quarters = sessions["hours"] * 4
    assert np.allclose(quarters, quarters.round()) and (sessions["hours"] > 0).all()
    card = " ".join(str(TRAINING_SESSIONS_CARD).split())  # whatever the line breaks of the printed card
    assert "to the quarter hour; at most the module's planned length" in card


def test_the_public_table_has_what_the_mistakes_need():
    # Missing ratings (the colleague's NaN, missing-as-zero), learners with several rows (counting rows), and a
    # table other than the one the notebook shows.
    table = training_sessions(**PUBLIC_TABLE)
    assert table["rating"].isna().any()
    assert table.duplicated(subset=["participant"]).any()
    assert not table.equals(training_sessions())
