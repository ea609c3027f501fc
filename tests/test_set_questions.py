"""No search by flipping: a set question's public check cannot be used to find its key one item at a time.

Every question of the course whose answer is a set of labels (a :class:`~lepton_training.label_sets.
LabelSetQuestion`: 01 q5 true statements, 03 q3 leaking columns, 05 q2 spot the errors, and any new one) is
attacked by a script a learner could write: start from an answer, try every one-item flip with ``check()``,
follow any feedback that improves (a smaller count) or is new, and, when the feedback names a misconception, put
right as many items as the misconception entry says its message lets a reader put right (the worst case: the
script is told which). The script is first shown to solve a counting check from every start (it is not a straw
man); against the course's checks it must never reach the key from an answer two or more flips away.
"""

import itertools
import random
import re

import pytest
from conftest import module_ids

from lepton_training.label_sets import LabelSetQuestion
from lepton_training.manifest import get_module


def set_questions():
    import importlib

    found = []
    for module_id in module_ids():
        exercises = importlib.import_module(get_module(module_id).questions).exercises
        found += [q for q in exercises if isinstance(q, LabelSetQuestion)]
    return found


SET_QUESTIONS = set_questions()
IDS = [q.full_id for q in SET_QUESTIONS]


def test_the_course_set_questions_are_all_covered():
    assert {"01-data-prep:q4", "03-feature-engineering:q3", "05-recruitment-lp:q2"} <= set(IDS)


def starts(question, sample=400, seed=0):
    """Every answer for a small set of labels; otherwise all within 3 flips of the key, none, all, and a sample."""
    labels = question.labels
    if len(labels) <= 10:
        return [frozenset(c) for r in range(len(labels) + 1) for c in itertools.combinations(labels, r)]
    key = frozenset(question.key())
    near = {key ^ frozenset(c) for r in range(4) for c in itertools.combinations(labels, r)}
    rng = random.Random(seed)
    far = {frozenset(x for x in labels if rng.random() < 0.5) for _ in range(sample)}
    return sorted(near | far | {frozenset(), frozenset(labels)}, key=sorted)


class Feedback:
    """What a script reads from ``check()``: passed, and the message; cached per answer."""

    def __init__(self, check):
        self.check = check
        self.cache = {}

    def __call__(self, answer):
        if answer not in self.cache:
            self.cache[answer] = self.check(answer)
        return self.cache[answer]


def counts(message):
    return tuple(int(x) for x in re.findall(r"\d+", message))


def flip_search(feedback, labels, start, key, corrects, budget):
    """A learner's flipping script; True when it reaches the key.

    ``corrects(message)`` says how many wrong items a message lets the reader put right; the script is then told
    which (the worst case for the check).
    """
    current, seen = frozenset(start), set()
    for _ in range(budget):
        passed, message = feedback(current)
        if passed:
            return True
        seen.add(message)
        neighbours = [current ^ {label} for label in labels]
        if any(feedback(n)[0] for n in neighbours):
            return True
        better = [n for n in neighbours if counts(feedback(n)[1]) and counts(feedback(n)[1]) < counts(message)]
        new = [n for n in neighbours if feedback(n)[1] not in seen]
        fixable = sorted(current ^ key)[: corrects(message)]
        if better:
            current = min(better, key=lambda n: counts(feedback(n)[1]))
        elif new:
            current = new[0]
        elif fixable:
            current = current ^ set(fixable)
        else:
            return False  # no signal left: the script can only guess
    return False


def course_feedback(question):
    def check(answer):
        result = question.check(set(answer))
        assert result.status != "invalid", result.message
        return result.passed, result.message

    return Feedback(check)


def corrects_of(question):
    by_message = {}
    for m in question.misconceptions:
        # Messages are shown after the check's own prefix; match on the message's text.
        by_message[m.message] = m.corrects
    return lambda message: max((n for text, n in by_message.items() if text in message), default=0)


def distance(a, b):
    return len(set(a) ^ set(b))


@pytest.mark.parametrize("question", SET_QUESTIONS, ids=IDS)
def test_the_script_solves_a_counting_check(question):
    """The old kind of check ("k of the n are misjudged") falls to the script from every start."""
    key = frozenset(question.key())

    def counting(answer):
        k = distance(answer, key)
        return k == 0, f"{k} of the {len(question.labels)} items are misjudged."

    feedback = Feedback(counting)
    budget = 2 * len(question.labels)
    for start in starts(question):
        assert flip_search(feedback, question.labels, start, key, lambda m: 0, budget), sorted(start)


@pytest.mark.parametrize("question", SET_QUESTIONS, ids=IDS)
def test_flipping_does_not_find_the_key(question):
    key = frozenset(question.key())
    feedback = course_feedback(question)
    budget = 2 * len(question.labels)
    found = [
        sorted(start)
        for start in starts(question)
        if distance(start, key) >= 2
        and flip_search(feedback, question.labels, start, key, corrects_of(question), budget)
    ]
    assert not found, f"{question.full_id}: a flipping script finds the key from {found[:3]}"


@pytest.mark.parametrize("question", SET_QUESTIONS, ids=IDS)
def test_the_check_says_one_fixed_text_and_names_no_item(question):
    key = frozenset(question.key())
    feedback = course_feedback(question)
    messages = {feedback(s)[1] for s in starts(question) if s != key}
    fixed = [question.advice] + [m.message for m in question.misconceptions]
    for message in messages:
        # Each message is one of the question's fixed texts: nothing in it depends on the answer but its pattern.
        assert any(message.endswith(text) for text in fixed), f"{message!r} is not one of the fixed messages"
        named = [label for label in question.labels if len(label) > 1 and label in message]
        assert not named, f"{message!r} names {named}"
    # Near the key the check says the same as far from it: one generic message for all but the known patterns.
    neighbours = {feedback(key ^ {label})[1] for label in question.labels}
    assert len(neighbours) == 1, neighbours


@pytest.mark.parametrize("question", SET_QUESTIONS, ids=IDS)
def test_misconceptions_are_whole_answers_two_flips_from_the_key_once_followed(question):
    key = frozenset(question.key())
    matched = set()
    for answer in starts(question):
        known = question.misconception(set(answer))
        if known is not None:
            matched.add(known.digest)
            assert distance(answer, key) - known.corrects >= 2, (sorted(answer), known.message)
            assert known.message in question.check(set(answer)).message
    assert matched == {m.digest for m in question.misconceptions}, "a misconception matches no answer"


@pytest.mark.parametrize("question", SET_QUESTIONS, ids=IDS)
def test_grading_still_gives_credit_per_item(question):
    key = set(question.key())
    assert question.grade(key, hidden=1).points == question.points
    one_off = key ^ {next(label for label in question.labels if label not in key)}
    assert 0 < question.grade(one_off, hidden=1).points < question.points
    assert question.grade(one_off).points == 0  # the visible test cell judges the whole set, as check() does
