import sys

import pytest

from lepton_training.checks import check_number, passed
from lepton_training.exercises import MISSING, ExerciseSet, FunctionQuestion, Question, Test, lookup_answer


class Double(FunctionQuestion):
    """double(x) returns 2 * x; two public tests, one hidden test per seed."""

    def public_tests(self, answer):
        return [
            Test("On 1", lambda: check_number(answer(1), 2.0)),
            Test("On 5", lambda: check_number(answer(5), 10.0)),
        ]

    def hidden_tests(self, answer, rng):
        x = float(rng.integers(100, 200))
        return [Test(f"On {x:g}", lambda: check_number(answer(x), 2 * x), weight=2.0)]


@pytest.fixture
def question():
    return Double(
        id="q9",
        module="99-test",
        title="Double it",
        points=4,
        answer_name="double",
        parameters=("x",),
        hints=("Multiply.", "By two.", "`return 2 * x`"),
    )


@pytest.fixture
def notebook_namespace(monkeypatch):
    """Define a variable in the __main__ namespace the question looks answers up in, as a kernel would."""
    namespace = vars(sys.modules["__main__"])
    return lambda name, value: monkeypatch.setitem(namespace, name, value)


def test_question_validates_its_definition():
    with pytest.raises(ValueError, match="points"):
        Double(id="q", module="m", title="t", points=0, answer_name="f", parameters=("x",), hints=("h",))
    with pytest.raises(ValueError, match="hint"):
        Double(id="q", module="m", title="t", points=1, answer_name="f", parameters=("x",), hints=())


def test_check_passes_for_a_correct_answer(question):
    result = question.check(lambda x: 2 * x)
    assert result.passed
    assert "hidden" not in result.message.lower() or "other inputs" in result.message


def test_check_names_the_failing_test(question):
    result = question.check(lambda x: x + 1)
    assert result.status == "incorrect"
    assert result.message.startswith("On 5: ")
    assert result.title == "Double it"


def test_check_reports_invalid_before_incorrect(question):
    assert question.check("2x").status == "invalid"
    result = question.check(lambda x, y: 2 * x)
    assert result.status == "invalid" and "cannot be called as `double(x)`" in result.message


def test_check_of_an_unwritten_stub(question):
    def double(x):
        raise NotImplementedError()

    result = question.check(double)
    assert result.status == "invalid"
    assert "not written" in result.message


def test_check_never_raises_on_learner_exceptions(question):
    result = question.check(lambda x: 1 / 0)
    assert result.status == "incorrect"
    assert "ZeroDivisionError" in result.message


def test_check_looks_up_the_answer_in_the_notebook(question, notebook_namespace):
    assert question.check().status == "invalid"
    assert "not defined yet" in question.check().message
    notebook_namespace("double", lambda x: 2 * x)
    assert question.check().passed


def test_lookup_answer_missing():
    assert lookup_answer("surely_not_defined_anywhere_42") is MISSING


def test_grade_partial_credit_and_explanation(question):
    score = question.grade(lambda x: 2 * x if x < 3 else 0, hidden=1)
    # Public: 1 of 2 tests (weight 1 each), hidden: 0 of 1 (weight 2) -> 1/4 of 4 points.
    assert score.points == 1.0
    assert float(repr(score)) == 1.0  # nbgrader parses the text form as the points earned
    html = score._repr_html_()
    assert "1 of 3 tests passed" in html
    assert "On 1" in html and "On 5" in html


def test_grade_full_and_zero(question):
    assert question.grade(lambda x: 2 * x, hidden=7).points == 4.0
    assert question.grade(lambda x: 2 * x).passed
    invalid = question.grade("not a function", hidden=7)
    assert invalid.points == 0.0 and not invalid.passed
    assert "should be a function" in invalid._repr_html_()


def test_hidden_tests_depend_on_the_seed_only(question):
    seen = []
    question.grade(lambda x: seen.append(x) or 2 * x, hidden=3)
    question.grade(lambda x: seen.append(x) or 2 * x, hidden=3)
    assert seen[:3] == seen[3:]


def test_grade_captures_stderr_and_warnings(question, capsys):
    import warnings

    def noisy(x):
        print("debug", file=sys.stderr)
        warnings.warn("deprecated thing", FutureWarning, stacklevel=1)
        return 2 * x

    score = question.grade(noisy)
    assert score.points == 4.0
    captured = capsys.readouterr()
    assert captured.err == ""  # nbgrader scores any stderr output in a test cell as 0
    assert "FutureWarning" in score._repr_html_()


def test_hints_progress_and_bounds(question):
    assert "Hint 1 of 3" in str(question.hint())
    assert "Hint 2 of 3" in str(question.hint())
    assert "Hint 1 of 3" in str(question.hint(1))
    assert "Hint 3 of 3" in str(question.hint())
    assert "Hint 3 of 3" in str(question.hint())  # stays at the last one
    with pytest.raises(ValueError, match="hints 1 to 3"):
        question.hint(4)


def test_exercise_set_progress(question, notebook_namespace):
    class Constant(Question):
        def public_tests(self, answer):
            return [Test("It is 3", lambda: check_number(answer, 3.0))]

    other = Constant(id="q10", module="99-test", title="Three", points=1, answer_name="three", hints=("3",))
    exercises = ExerciseSet("99-test", [question, other])
    progress = exercises.progress()
    assert [r.status for r in progress.rows] == ["not attempted", "not attempted"]
    notebook_namespace("double", lambda x: 2 * x)
    notebook_namespace("three", "three")
    progress = exercises.progress()
    assert [r.status for r in progress.rows] == ["passed", "invalid"]
    assert progress.points_passed == 4.0 and progress.points_total == 5.0
    text = str(progress)
    assert "q9" in text and "Double it" in text
    assert "q10" in progress._repr_html_()
    assert exercises["q10"] is other
    with pytest.raises(KeyError, match="no question"):
        exercises["q99"]


def test_exercise_set_rejects_duplicate_ids(question):
    with pytest.raises(ValueError, match="unique"):
        ExerciseSet("99-test", [question, question])


def test_test_must_return_a_check_result(question):
    broken = Test("bad", lambda: True)
    with pytest.raises(TypeError, match="CheckResult"):
        Question.run_test(broken)
    assert Question.run_test(Test("ok", passed)).result.passed


def test_progress_counts_unwritten_stubs_as_not_attempted(question, notebook_namespace):
    def double(x):
        raise NotImplementedError()

    notebook_namespace("double", double)
    (row,) = ExerciseSet("99-test", [question]).progress().rows
    assert row.status == "not attempted"
    score = question.grade(double)
    assert "Invalid answer" in str(score.explanation()) and "0 of 2 tests passed" in str(score.explanation())
