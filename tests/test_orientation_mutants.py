"""Near misses of module 00's answers must lose points, each with a specific message (course standard: mutate
your own solution and watch a test fail)."""

import numpy as np
import pytest

from lepton_training.questions.orientation import q1, q2, q3, q4

HIDDEN = 99


def _hours_per_team(sessions, count="nunique"):
    summary = sessions.groupby("team").agg(participants=("participant", count), total_hours=("hours", "sum"))
    return summary.reset_index()


Q1_MUTANTS = {
    "percentage": (lambda e, c: 100 * c / e, "percentage"),
    "floor division": (lambda e, c: c // e, "floor division"),
    "swapped": (lambda e, c: e / c if c else 0.0, "too high"),
    "hard-coded": (lambda e, c: 0.75, "too high"),
    "string": (lambda e, c: f"{c / e:.0%}", "should be a number"),
    "no return": (lambda e, c: None, "forget a `return`"),
}


@pytest.mark.parametrize("name", sorted(Q1_MUTANTS))
def test_q1_mutants(name):
    fn, phrase = Q1_MUTANTS[name]
    score = q1.grade(fn, hidden=HIDDEN)
    assert score.points < q1.points
    assert phrase in str(score.explanation())


def test_q2_mutants():
    def sample_std(scores):
        return (scores - scores.mean()) / scores.std(ddof=1)

    def in_place(scores):
        scores -= scores.mean()
        return scores / scores.std()

    def hard_coded(scores):
        return np.array([-1.52127, -0.46808, 0.58511, 1.40425])

    def no_centering(scores):
        return scores / scores.std()

    def as_list(scores):
        return list((scores - scores.mean()) / scores.std())

    assert "sample standard deviation" in q2.check(sample_std).message
    assert "changed the array" in q2.check(in_place).message
    for fn in (sample_std, in_place, hard_coded, no_centering):
        assert q2.grade(fn, hidden=HIDDEN).points < q2.points
    # A list of the right numbers is an acceptable array-like answer.
    assert q2.grade(as_list, hidden=HIDDEN).points == q2.points


def test_q3_mutants():
    from lepton_training.datasets import training_sessions

    def index_not_reset(sessions):
        return _hours_per_team(sessions).set_index("team")

    def counting_rows(sessions):
        return _hours_per_team(sessions, count="size")

    def hard_coded(sessions):
        return _hours_per_team(training_sessions())

    def mean_hours(sessions):
        out = _hours_per_team(sessions)
        out["total_hours"] = sessions.groupby("team")["hours"].mean().to_numpy()
        return out

    def reordered(sessions):
        return _hours_per_team(sessions).sort_values("total_hours")[["total_hours", "participants", "team"]]

    assert "reset_index" in q3.check(index_not_reset).message
    assert "counts rows" in q3.check(counting_rows).message
    assert q3.check(hard_coded).passed  # right on the public table...
    assert q3.grade(hard_coded, hidden=HIDDEN).points < q3.points  # ...caught by the hidden tests
    for fn in (index_not_reset, counting_rows, mean_hours):
        assert q3.grade(fn, hidden=HIDDEN).points < q3.points
    assert q3.grade(reordered, hidden=HIDDEN).points == q3.points  # row and column order were not asked for


def test_q4_mutants():
    def missing_as_zero(sessions):
        return float(sessions["rating"].fillna(0).mean())

    def median(sessions):
        return float(sessions["rating"].median())

    def hard_coded(sessions):
        return 3.917073

    assert "counted as 0" in q4.check(missing_as_zero).message
    assert q4.check(hard_coded).passed
    for fn in (missing_as_zero, median, hard_coded):
        assert q4.grade(fn, hidden=HIDDEN).points < q4.points
