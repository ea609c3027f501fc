"""Set questions: the answer is a set of labels (true statements, leaking columns, errors), checked as a whole.

A check that counts ("2 of the 6 statements are misjudged") or passes one test per item is an oracle: flipping
one item at a time and watching the count finds the key in a handful of tries, without learning anything. So
the public check of a set question says only whether the *whole* set is right. It may name a misconception, but
only for a whole known wrong answer (stored as a salted digest, like the key), and only where following that
message still leaves the learner at least two items away from the key: a learner who flips items one at a
time gets no signal that one flip is better than another. Grading, which the learner sees only afterwards, may
judge each item and give a share of the points for each (the question's hidden tests).

``tests/test_set_questions.py`` runs a flipping search against every set question of the course.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from lepton_training.checks import CheckResult, answer_digest, incorrect, passed
from lepton_training.exercises import Question, Test

__all__ = ["Misconception", "set_digest", "LabelSetQuestion"]


def set_digest(labels: Iterable[str], salt: str) -> str:
    """Return the salted digest of a whole set of labels, whatever their order.

    Parameters
    ----------
    labels : iterable of str
        The labels, as the question normalizes them.
    salt : str
        The question's full id.

    Returns
    -------
    str

    Examples
    --------
    >>> set_digest({"B", "A"}, "demo:q1") == set_digest(["A", "B"], "demo:q1")
    True
    """
    return answer_digest(",".join(sorted(labels)), salt)


@dataclass(frozen=True)
class Misconception:
    """A whole wrong answer that many learners give, and what the check says to it.

    Attributes
    ----------
    digest : str
        :func:`set_digest` of the wrong answer, salted with the question's full id.
    message : str
        What the check says, in the learner's words; it names the idea that is wrong, not the items.
    corrects : int
        How many of the answer's wrong items a reader of the message can put right from it. The set
        questions' test requires that the answer stays at least two flips from the key after that.
    """

    digest: str
    message: str
    corrects: int = 0


class LabelSetQuestion(Question):
    """A question answered with a set of labels, whose public check judges the whole set only.

    Subclasses define :meth:`validate`, :meth:`chosen` (the answer's labels, normalized), :meth:`key` (the
    labels of the right answer, read from salted digests) and :meth:`hidden_tests` (per-item credit at
    grading).

    Parameters
    ----------
    labels : sequence of str
        Every label a learner may choose.
    advice : str
        What the check says to a wrong answer that is no known misconception: how to think about each item,
        with no count and nothing about any one item.
    misconceptions : sequence of Misconception, optional
    whole_weight : float, default 1
        Weight of the whole-set test beside the hidden tests' weights at grading.
    **kwargs
        As for :class:`~lepton_training.exercises.Question`.
    """

    graded_note = "When graded, each item of the set earns its share of the points."

    def __init__(
        self,
        *,
        labels: Sequence[str],
        advice: str,
        misconceptions: Sequence[Misconception] = (),
        whole_weight: float = 1.0,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.labels = tuple(labels)
        self.advice = advice
        self.misconceptions = tuple(misconceptions)
        self.whole_weight = whole_weight

    def chosen(self, answer: Any) -> set[str]:
        """Return the labels of a (valid) answer, normalized as the key stores them."""
        raise NotImplementedError

    def key(self) -> set[str]:
        """Return the labels of the right answer."""
        raise NotImplementedError

    def misconception(self, chosen: set[str]) -> Misconception | None:
        """Return the known misconception this whole answer is, if any."""
        digest = set_digest(chosen, self.full_id)
        return next((m for m in self.misconceptions if m.digest == digest), None)

    def public_tests(self, answer: Any) -> list[Test]:
        """One test of the whole set: right, a named misconception, or the general advice; never a count."""
        chosen = self.chosen(answer)

        def whole() -> CheckResult:
            if chosen == self.key():
                return passed()
            known = self.misconception(chosen)
            return incorrect(known.message if known is not None else self.advice)

        return [Test("Your set", whole, weight=self.whole_weight)]
