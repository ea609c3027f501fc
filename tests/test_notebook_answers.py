"""A cell that runs an unwritten answer waits with a box naming the exercise; every other error is shown."""

import pytest

from lepton_training.checks import passed
from lepton_training.exercises import FunctionQuestion, Question, Test
from lepton_training.notebook_answers import MISSING, NeedsAnswer, lookup_answer


class Squares(FunctionQuestion):
    def public_tests(self, answer):
        return [Test("On 3", lambda: passed() if answer(3) == 9 else passed())]


def make_question(answer_name="square"):
    return Squares(
        id="q9",
        module="demo-needs",
        title="Exercise 9: squares",
        points=1,
        answer_name=answer_name,
        hints=("Multiply.",),
        parameters=("x",),
    )


def stub(x):
    raise NotImplementedError()


def test_an_unwritten_function_shows_a_box_and_the_cell_runs_on(capsys):
    q = make_question()
    with q.needs_answer():
        stub(3)
    out = capsys.readouterr().out
    assert "Exercise 9: squares" in out and "not written yet" in out


def test_a_later_cell_that_uses_a_waiting_cells_result_waits_too(capsys):
    q = make_question()
    with q.needs_answer():
        stub(3)
    with q.needs_answer():
        print(result_of_the_waiting_cell)  # noqa: F821 - never defined: the earlier cell waited
    assert capsys.readouterr().out.count("not written yet") == 2


def test_the_answer_not_defined_waits():
    q = make_question(answer_name="not_defined_anywhere_here")
    with q.needs_answer():
        not_defined_anywhere_here(3)  # noqa: F821


def test_other_errors_of_an_answered_exercise_are_the_learners_to_see(monkeypatch):
    import __main__

    monkeypatch.setattr(__main__, "answer_that_exists", lambda x: x, raising=False)
    box = NeedsAnswer("demo:q1", "Exercise 1", "answer_that_exists")
    with pytest.raises(ZeroDivisionError), box:
        print(1 / 0)
    with pytest.raises(NameError), box:
        print(some_other_name)  # noqa: F821


def test_grade_without_an_argument_looks_the_answer_up_and_never_raises():
    q = Question(id="q8", module="demo-needs", title="A value", points=1, answer_name="no_such_answer", hints=("h",))
    assert lookup_answer("no_such_answer") is MISSING
    score = q.grade()
    assert score.points == 0
    assert "`no_such_answer` is not defined" in str(score.explanation())
