"""The pre- and post-course quizzes: three multiple-choice questions per graded module, auto-graded.

The same questions are asked before the course (assignment ``quiz-pre``) and after it (``quiz-post``), so that
the normalized learning gain of each module (:func:`lepton_training.evaluation.learning_gain_ci`) compares like
with like. They live in two small nbgrader assignments of their own (``solutions/quiz-pre/``,
``solutions/quiz-post/``, generated from this file), not in the module notebooks: a quiz must be taken before the
module is opened, and its answers must not be on the module's screen.

Each question's answer is one letter. Expected answers are stored as salted digests only
(:func:`lepton_training.checks.answer_digest`); as its notes say, a digest of one of four letters hides the answer
from a reader, not from a determined learner, which is acceptable for a quiz that changes no grade. The keys are in
the instructor's notebooks.
"""

from __future__ import annotations

from typing import Any

from lepton_training.checks import CheckResult, check_hashed, invalid
from lepton_training.exercises import Question, Test, lookup_answer

__all__ = ["ChoiceQuestion", "QUIZZES", "QUIZ_ASSIGNMENTS", "grade", "quiz_module"]

#: The two assignments that hold the quizzes, in the order they are taken.
QUIZ_ASSIGNMENTS = ("quiz-pre", "quiz-post")
LETTERS = "abcd"


class ChoiceQuestion(Question):
    """A multiple-choice question answered with one letter, ``"a"`` to ``"d"``.

    Parameters
    ----------
    statement : str
        The question.
    options : sequence of str
        The four options, in the order of the letters.
    digest : str
        Salted digest of the right letter.
    **kwargs
        As for :class:`~lepton_training.exercises.Question`.
    """

    def __init__(self, *, statement: str, options: tuple[str, ...], digest: str, **kwargs: Any):
        super().__init__(**kwargs)
        if len(options) != len(LETTERS):
            raise ValueError(f"{self.id}: give {len(LETTERS)} options")
        self.statement = statement
        self.options = tuple(options)
        self.digest = digest

    def validate(self, answer: Any) -> CheckResult:
        """Accept one of the letters, in either case, with spaces around it."""
        if not isinstance(answer, str) or answer.strip().lower() not in LETTERS:
            return invalid(f"Answer with one letter in quotes, such as 'a': one of {', '.join(LETTERS)}.")
        return super().validate(answer)

    def public_tests(self, answer: Any) -> list[Test]:
        """One test: the letter against the stored digest."""
        letter = answer.strip().lower()
        return [
            Test(
                "the letter you chose",
                lambda: check_hashed(letter, self.digest, salt=self.full_id, kind="text", name="Your choice"),
            )
        ]


def _q(statement: str, options: list[str], digest: str) -> tuple:
    return statement, tuple(options), digest


_DATA = {
    "00-orientation": (
        _q(
            "Your notebook behaves strangely after you ran cells out of order. What do you do first?",
            [
                "Save it and close the browser tab",
                "Restart the kernel and run all cells from the top",
                "Delete the cells that misbehave",
                "Reinstall Python",
            ],
            "198ed276c283b30b7a7298550eae04a68578861304c039f6db478fc2ef59ed42",
        ),
        _q(
            "What does `q1.check()` do?",
            [
                "Submits your notebook for grading",
                "Shows the expected answer",
                "Checks your answer now and says what to fix, without giving the answer away",
                "Resets your answer to the stub",
            ],
            "2151635f5fdcfb56e1202ffa5a34c5dc719de06d7646c8dce73182b90b802752",
        ),
        _q(
            "When is a notebook ready to submit?",
            [
                "It runs from top to bottom after a kernel restart without errors, and it is saved",
                "Every cell shows some output",
                "All hints have been opened",
                "It was exported to HTML",
            ],
            "27bd46f6299482d4daf706b211fef043fa6c586465589a23febb66ee0fec1c8e",
        ),
    ),
    "01-data-prep": (
        _q(
            "A column of dates mixes `2026-03-05` and `05/03/2026`. What do you do?",
            [
                "Drop the rows in the second format",
                "Sort the column as text",
                "Keep both as strings",
                "Parse each documented format explicitly into one date type",
            ],
            "52491b97750380d9dfe3ca94c58535cf5fe885f43b9ddfed0d9aeac42c460338",
        ),
        _q(
            "You fill missing salaries with the column mean before fitting a model. What happens?",
            [
                "Nothing: the model is unchanged",
                "The filled column varies less than the real one and the model can be biased; a missing-value "
                "indicator, or a fill learned on training rows, is safer",
                "scikit-learn requires it, so nothing can go wrong",
                "Duplicates are removed",
            ],
            "dfdc3c03ba31fa85e69c9a57a5b136ea0e4171196e161ea75ad471d7fb047023",
        ),
        _q(
            'Deduplicating candidates "by a stated rule" means:',
            [
                "Deciding which columns identify a candidate and which record to keep, and logging what was removed",
                "Dropping rows only when every column is equal",
                "Keeping the first row of the file",
                "Removing every row with a missing value",
            ],
            "62eceed6e68217f010ef939f552cf1e5dcc47f8c24419b4b0c90933f5dcf00fa",
        ),
    ),
    "02-model-optimization": (
        _q(
            "The loss grows at every step of gradient descent. The most likely cause:",
            ["Too few features", "The learning rate is too large", "The features were scaled", "The loss is convex"],
            "63e87c3e71bda7deb0e30436b015539ffca4669d1a820d74a730b234f0a8d28a",
        ),
        _q(
            "In scikit-learn's `LogisticRegression`, a smaller `C` means:",
            ["Weaker regularization", "More iterations", "Stronger regularization", "No intercept"],
            "9c7f5b8c6c5fd259f87b6802fa5bc08ff970bb9f32151fd6de2a455ee2d6a5f0",
        ),
        _q(
            "You tune a hyper-parameter and report a test score. Which is sound?",
            [
                "Tune on the test set, then report the test score",
                "Tune by cross-validation on the training data, then score the test set once",
                "Report the best cross-validation score as the test score",
                "Tune on all the data, then split",
            ],
            "c3ea5525cd9ea90009733cabc36d5ac0666637079aa7e8f32deda27976fd5365",
        ),
    ),
    "03-feature-engineering": (
        _q(
            "Predicting whether an applicant is hired, which column leaks the outcome?",
            ["Years of experience", "The application channel", "The date an offer was made", "The list of skills"],
            "b937475276cb726d0bd51a29306aa0b7a9cc222a7026f5e8addd7fee3ef70686",
        ),
        _q(
            "Why keep scaling and encoding inside a scikit-learn `Pipeline`?",
            [
                "It runs faster",
                "So they are fit on the training rows of each fold only",
                "Plots need it",
                "It removes rare categories",
            ],
            "379ff696d37b15da270ab5b0895c142a25b8a94d2b45af9b984606dfe7b7a013",
        ),
        _q(
            "TF-IDF gives a word a high weight in a comment when the word is:",
            [
                "Frequent in this comment and rare across the other comments",
                "Frequent in every comment",
                "Long",
                "A negation",
            ],
            "37d2dcdb85a6abcfb20e770547ec204db87a531cb0e124115b7de4c2867aeb1a",
        ),
    ),
    "04-evaluation": (
        _q(
            "Recall of the positive class is:",
            ["TP / (TP + FP)", "(TP + TN) / n", "TN / (TN + FP)", "TP / (TP + FN)"],
            "ef9f93e39b2c23fb152e2b1508596211fe85c0a928360654379a4df3e29f4c41",
        ),
        _q(
            "A 95% bootstrap confidence interval of a metric is obtained by:",
            [
                "Resampling the rows with replacement, recomputing the metric, and reading the 2.5th and 97.5th "
                "percentiles",
                "Adding two standard deviations of the data",
                "Running the model 95 times",
                "Splitting the data into 95 folds",
            ],
            "ab8a324483f2b3dbb859e40ff4df6bf4010a414e5d5f70f1bfc10321ccb078de",
        ),
        _q(
            "A class averages 40 of 100 before the course and 70 after. Its normalized learning gain is:",
            ["0.3", "0.5", "0.75", "0.43"],
            "167381ed1440d1a9ef8b977e6dbffc94dcd1654ad3dc97b1c1b746213123dffc",
        ),
    ),
    "05-recruitment-lp": (
        _q(
            "The shadow price of a constraint tells you:",
            [
                "How much the optimal objective changes per unit of the constraint's right-hand side",
                "The cost of one variable",
                "Whether the plan is integer",
                "The number of iterations",
            ],
            "04e81f01e60381bd8813b069c0a95e9a87faa6ea83046182071fa3f52874d019",
        ),
        _q(
            "The optimum of the LP relaxation of an integer hiring plan:",
            [
                "Is always integer",
                "Bounds what the integer plan can achieve",
                "Is always infeasible",
                "Equals the integer optimum",
            ],
            "833e9eef4b39aee3a2f4bd0db5a91aa5bf1b873eee61ff6ba64f4608a7333b76",
        ),
        _q(
            "A linear program is unbounded when:",
            [
                "No plan satisfies the constraints",
                "The objective can improve without limit",
                "It has more constraints than variables",
                "A shadow price is zero",
            ],
            "85c1ae95a8b00772a34c46ec3400b5405e2aea5926b9427b54fa20bda4894ec1",
        ),
    ),
}


def quiz_module(module: str) -> str:
    """Return the ``Question.module`` of a module's quiz questions, such as ``"quiz-00-orientation"``."""
    return f"quiz-{module}"


def _build() -> dict[str, tuple[ChoiceQuestion, ...]]:
    quizzes = {}
    for module, questions in _DATA.items():
        quizzes[module] = tuple(
            ChoiceQuestion(
                id=f"q{i}",
                module=quiz_module(module),
                title=f"{module}, question {i}",
                points=1,
                answer_name=f"answer_{module[:2]}_q{i}",
                hints=("Pick the option you think is right; the quiz is there to measure, not to grade you.",),
                statement=statement,
                options=options,
                digest=digest,
            )
            for i, (statement, options, digest) in enumerate(questions, start=1)
        )
    return quizzes


#: Module id -> its quiz questions.
QUIZZES: dict[str, tuple[ChoiceQuestion, ...]] = _build()


def grade(module: str, question: str) -> Any:
    """Grade the notebook's answer to one quiz question (the quiz's test cells call this).

    Parameters
    ----------
    module : str
        The module id, such as ``"00-orientation"``.
    question : str
        ``"q1"``, ``"q2"`` or ``"q3"``.

    Returns
    -------
    lepton_training.exercises.Score
        1 point or 0; an answer not given yet scores 0 without an error.
    """
    q = next(q for q in QUIZZES[module] if q.id == question)
    return q.grade(lookup_answer(q.answer_name))
