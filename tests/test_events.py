"""The event record of check() and hint(): what it keeps, what it never keeps, how it is turned off and read back.

The real round trip (a learner notebook run in a kernel, submitted, graded by nbgrader, read by the report) is in
tests/test_report_roundtrip.py.
"""

import json
import sys

import pytest
from IPython.core.interactiveshell import InteractiveShell

from lepton_training import exercises
from lepton_training.exercises import EVENTS_MIME
from lepton_training.questions import orientation
from lepton_training.report.events import read_events, summarize_events


@pytest.fixture
def recording(monkeypatch):
    monkeypatch.setattr(exercises, "record_events", True)
    monkeypatch.setattr(exercises, "_EVENTS", exercises._EventLog())
    return exercises._EVENTS


def bundle(shown):
    data, _ = InteractiveShell.instance().display_formatter.format(shown)
    return data


@pytest.fixture
def own(monkeypatch):
    """Check an answer as the learner's own: defined under the question's ``answer_name``, then ``qN.check()``."""

    def check(question, answer):
        monkeypatch.setattr(sys.modules["__main__"], question.answer_name, answer, raising=False)
        return question.check()

    return check


def test_check_and_hint_outputs_carry_the_record_and_display_as_before(recording, own):
    wrong = own(orientation.q1, lambda enrolled, completed: 100 * completed / enrolled)
    data = bundle(wrong)
    assert {"text/html", "text/plain", EVENTS_MIME} <= data.keys()
    plain = orientation.q1.check.__wrapped__ if hasattr(orientation.q1.check, "__wrapped__") else None
    assert plain is None  # check() itself is not replaced: the same object, the same result
    assert wrong.status == "incorrect" and not wrong.passed
    orientation.q1.hint()
    right = own(orientation.q1, lambda enrolled, completed: completed / enrolled)
    events = bundle(right)[EVENTS_MIME]["events"]
    assert [e["e"] for e in events] == ["check", "hint", "check"]
    assert all(e["own"] is True for e in events if e["e"] == "check")
    assert events[0]["verdict"].startswith("incorrect: ") and events[2]["verdict"] == "passed"
    assert events[1]["level"] == 1
    assert all(e["q"] == "00-orientation:q1" and e["s"] == recording.session for e in events)
    # Another question's outputs carry only its own events.
    other = orientation.q2.check(lambda sessions: 3.0)
    assert {e["q"] for e in bundle(other)[EVENTS_MIME]["events"]} == {"00-orientation:q2"}


def test_no_answer_text_in_the_record(recording):
    secret = "SECRET-ANSWER-TEXT 12345"

    def answer(enrolled, completed):
        raise ValueError(secret)

    shown = orientation.q1.check(answer)
    text = json.dumps(bundle(shown)[EVENTS_MIME])
    assert "SECRET" not in text and "12345" not in text
    assert exercises.verdict_code(exercises.incorrect("The mean is 3.87 'x'")) == "incorrect: The mean is"


def test_off_by_switch_or_environment(monkeypatch):
    monkeypatch.setattr(exercises, "record_events", False)
    assert EVENTS_MIME not in bundle(orientation.q1.check(lambda e, c: c / e))
    monkeypatch.setattr(exercises, "record_events", None)
    # Outside a kernel the record is off by default; inside one, the environment variable turns it off.
    assert not exercises._events_on()
    monkeypatch.setenv(exercises.EVENTS_ENV, "off")
    assert not exercises._events_on()


def test_earlier_sessions_are_carried_forward_and_merged(recording, tmp_path, monkeypatch, own):
    earlier = {
        "s": "old",
        "n": 1,
        "q": "00-orientation:q1",
        "t": "2026-11-01T09:00:00Z",
        "e": "check",
        "status": "incorrect",
        "verdict": "incorrect: this looks like a percentage",
    }
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "outputs": [
                    {"output_type": "execute_result", "data": {EVENTS_MIME: {"version": 1, "events": [earlier]}}}
                ],
            }
        ]
    }
    path = tmp_path / "00-orientation.ipynb"
    path.write_text(json.dumps(nb))
    monkeypatch.setenv("JPY_SESSION_NAME", str(path))
    shown = own(orientation.q1, lambda e, c: c / e)
    events = bundle(shown)[EVENTS_MIME]["events"]
    assert [e["s"] for e in events] == ["old", recording.session]
    # Read back: two outputs carrying overlapping records give each event once.
    saved = {
        "cells": [
            {"outputs": [{"data": {EVENTS_MIME: {"events": events}}}]},
            {"outputs": [{"data": {EVENTS_MIME: {"events": events[:1]}}}]},
            {"outputs": [{"data": 3}]},
        ]
    }
    merged = read_events(saved)
    assert [e["s"] for e in merged] == ["old", recording.session]
    import pandas as pd

    frame = pd.DataFrame([{**e, "learner": "ada"} for e in merged])
    frame["t"] = pd.to_datetime(frame["t"], utc=True)
    summary = summarize_events(frame).iloc[0]
    assert summary["attempts_to_pass"] == 2 and summary["passed_in_check"] == 1
    assert "percentage" in summary["wrong_verdicts"]


def test_explain_opens_after_an_attempt_and_is_recorded(recording, own, monkeypatch):
    from lepton_training.questions import data_prep

    q4 = data_prep.q4
    monkeypatch.setattr(q4, "_attempts", 0)
    before = q4.explain()
    assert "Try the exercise first" in str(before) and "B, C and D" not in str(before)
    assert EVENTS_MIME not in bundle(before)  # asking too early is not an opening
    q4.check({"A"})  # a check of something else than the learner's answer (a demo) is not their attempt
    assert "Try the exercise first" in str(q4.explain())
    own(q4, "not a set")  # an invalid answer of the learner's is still an attempt: they wrote something
    shown = q4.explain()
    data = bundle(shown)
    assert "B, C and D are true" in str(shown) and "Explanation" in data["text/html"]
    assert [e["e"] for e in data[EVENTS_MIME]["events"]][-1] == "explain"


def test_the_summary_counts_explanations_opened_before_a_pass():
    import pandas as pd

    def event(learner, n, kind, status=None):
        return {
            "learner": learner,
            "s": "k",
            "n": n,
            "q": "01-data-prep:q4",
            "t": "2026-01-01T10:00:00Z",
            "e": kind,
            "status": status,
            "verdict": status,
            "level": None,
        }

    events = pd.DataFrame(
        [
            event("ana", 1, "check", "incorrect"),
            event("ana", 2, "explain"),
            event("ana", 3, "check", "passed"),
            event("ben", 1, "check", "passed"),
            event("ben", 2, "explain"),
            event("cai", 1, "check", "incorrect"),
            event("cai", 2, "explain"),
            event("dee", 1, "check", "incorrect"),
        ]
    )
    events["t"] = pd.to_datetime(events["t"], utc=True)
    row = summarize_events(events).iloc[0]
    assert row["explained"] == 3 and row["explained_before_pass"] == 2  # ana and cai; ben read it after passing


def test_only_checks_of_the_learners_own_answer_are_attempts(recording, own, monkeypatch):
    q1 = orientation.q1
    monkeypatch.setattr(q1, "_attempts", 0)

    def percentage(enrolled, completed):
        return 100 * completed / enrolled

    def rate(enrolled, completed):
        return completed / enrolled

    demo = q1.check(percentage)  # what module 00's demo cell does, before the learner writes anything
    assert demo.status == "incorrect" and q1._attempts == 0
    own(q1, rate)
    same = q1.check(rate)  # the very object the notebook variable holds: the learner's own answer
    events = [e for e in bundle(same)[EVENTS_MIME]["events"] if e["e"] == "check"]
    assert [e["own"] for e in events] == [False, True, True] and q1._attempts == 2
    assert events[0]["verdict"] == "incorrect: this looks like a percentage; return a fraction"
    import pandas as pd

    frame = pd.DataFrame([{**e, "learner": "ada"} for e in events])
    frame["t"] = pd.to_datetime(frame["t"], utc=True)
    row = summarize_events(frame).iloc[0]
    assert row["attempts_to_pass"] == 1 and row["wrong_verdicts"] == "" and row["other_checks"] == 1
    # A record written before ``own`` existed counts as the learner's.
    old = frame.drop(columns=["own"])
    assert summarize_events(old).iloc[0]["attempts_to_pass"] == 2


def test_a_verdict_whose_message_begins_with_a_value_still_has_words(recording, own):
    from lepton_training.checks import incorrect
    from lepton_training.questions import data_prep

    # A name in backticks is the course's code, kept: data_prep q1's percentage mistake.
    def audit(raw):
        rows = [
            {
                "column": str(c),
                "dtype": str(raw[c].dtype),
                "missing_share": 100 * float(raw[c].isna().mean()),
                "n_distinct": int(raw[c].nunique()),
            }
            for c in raw.columns
        ]
        import pandas as pd

        return pd.DataFrame(rows)

    shown = own(data_prep.q1, audit)
    verdict = bundle(shown)[EVENTS_MIME]["events"][-1]["verdict"]
    assert verdict == "incorrect: `missing_share` is a percentage; give a share between"
    # A message that begins with a number: the failing test's description names where it failed.
    result = incorrect("On the example: 3 of 40 values differ.")
    object.__setattr__(result, "_failed_message", "3 of 40 values differ.")
    assert exercises.verdict_code(result) == "incorrect: On the example"
    assert exercises.verdict_code(incorrect("`x` is 'secret'")) == "incorrect: `x` is"
    assert exercises.verdict_code(incorrect("`a b` is 'secret'")) == "incorrect: "
