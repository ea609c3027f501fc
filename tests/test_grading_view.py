"""What the grading sandbox holds: inputs and a recorder, nothing that computes, checks or looks up an answer.

No kernel here: the view of the package is built and imported in a plain Python process (with the view first on
its path, as the sandbox binds it over the installed package), the cases are computed as a grading run computes
them, and ``check()`` is tried with answers that call the course's own implementations.
"""

import ast
import importlib
import inspect
import json
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest
from conftest import SOLUTIONS, load_notebook, module_ids

from lepton_training.conditions import active
from lepton_training.exercises import FunctionQuestion
from lepton_training.grading import plain
from lepton_training.grading.cases import case_key, compute_cases, reference_answers
from lepton_training.grading.seeds import cohort_seeds, questions_of, test_cells
from lepton_training.grading.view import build_view
from lepton_training.implementations import declared, implementations_of

MODULES = module_ids()
GRADED = [m for m in MODULES if m not in ("99-survey",)]


def _view(tmp_path, module_id):
    return build_view(module_id, tmp_path / "view")


def _run_in_view(view, code):
    """Run ``code`` in a fresh Python whose ``lepton_training`` is the view (and nothing else of the package)."""
    # The installed package is reachable through its editable finder: hide it, as the sandbox's bind does.
    prelude = textwrap.dedent(
        f"""
        import sys
        sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in type(f).__name__.lower()
                            and "editable" not in getattr(f, "__name__", "").lower()]
        sys.path.insert(0, {str(view.parent)!r})
        import lepton_training
        assert lepton_training.__file__.startswith({str(view)!r}), lepton_training.__file__
        """
    )
    return subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)], capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("module_id", GRADED)
def test_the_view_holds_no_question_definition_check_or_key(tmp_path, module_id):
    view = _view(tmp_path, module_id)
    files = {p.relative_to(view).as_posix(): p.read_text(encoding="utf-8") for p in view.rglob("*.py")}
    assert not list(view.rglob("__pycache__")), "bytecode would carry withheld code"
    for absent in ("checks.py", "checks_lp.py", "exercises.py", "cli.py", "grading/verify.py", "grading/cases.py"):
        assert absent not in files
    assert not any(name.startswith(("report/", "build/", "site/", "facilitation/")) for name in files)
    for name, text in files.items():
        if name.startswith("questions/"):
            tree = ast.parse(text)
            assert not [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)], f"{name} defines a class"
            assert "digest" not in text and "hidden_tests" not in text and "import numpy" not in text, name
            assert not any(
                len(s.value) == 64 for s in ast.walk(tree) if isinstance(s, ast.Constant) and isinstance(s.value, str)
            ), f"{name} holds a digest"


def _with_implementations():
    return [m for m in GRADED if not m.startswith("quiz") and questions_of(m) and declared(m)]


@pytest.mark.parametrize("module_id", _with_implementations())
def test_the_view_withholds_the_course_implementations_of_the_module(tmp_path, module_id):
    view = _view(tmp_path, module_id)
    names = list(declared(module_id))
    code = f"""
        import importlib, json
        from lepton_training.implementations import CourseCodeWithheld
        results = {{}}
        for name in {names!r}:
            module, _, attr = name.rpartition(".")
            try:
                obj = importlib.import_module(name)
                targets = [getattr(obj, a) for a in getattr(obj, "__all__", [])]
                targets = [t for t in targets if callable(t) and getattr(t, "__module__", "").startswith(name)]
            except ImportError:
                targets = [getattr(importlib.import_module(module), attr)]
            for target in targets:
                try:
                    target()
                    results[name] = "ran"
                except CourseCodeWithheld:
                    results.setdefault(name, "withheld")
                except Exception as exc:
                    results[name] = type(exc).__name__
        print(json.dumps(results))
    """
    done = _run_in_view(view, code)
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout.strip().splitlines()[-1])
    assert results and set(results.values()) == {"withheld"}, results


def test_the_view_keeps_the_data_and_withholds_the_course_model(tmp_path):
    # Module 03's last exercise measures feature groups itself (issue 17): no statement hands out the course's
    # model any more, so the model is withheld like every implementation, and the data stay.
    view = _view(tmp_path, "03-feature-engineering")
    code = """
        from lepton_training.datasets import clean_talent_pipeline
        from lepton_training.features import FEATURE_GROUPS, talent_model, group_values
        from lepton_training.implementations import CourseCodeWithheld
        assert len(clean_talent_pipeline()) > 100 and "numeric" in FEATURE_GROUPS
        for fn in (talent_model, group_values):
            try:
                fn()
            except CourseCodeWithheld as exc:
                print("withheld:", exc)
        from lepton_training.questions.feature_engineering import q4, progress
        print(type(q4).__name__, q4.traced)
    """
    done = _run_in_view(view, code)
    assert done.returncode == 0, done.stderr
    assert "withheld: `lepton_training.features.tabular.group_values`" in done.stdout
    assert "withheld: `lepton_training.features.tabular.talent_model`" in done.stdout
    assert "RecordedQuestion ()" in done.stdout


def test_the_reference_cleaning_is_withheld_in_module_01_only(tmp_path):
    for module_id, expected in (("01-data-prep", "withheld"), ("02-model-optimization", "ran")):
        view = build_view(module_id, tmp_path / module_id)
        done = _run_in_view(
            view,
            """
            from lepton_training.datasets import clean_talent_pipeline
            from lepton_training.implementations import CourseCodeWithheld
            try:
                clean_talent_pipeline()
                print("ran")
            except CourseCodeWithheld:
                print("withheld")
            """,
        )
        assert done.stdout.split() == [expected], done.stderr


def _cases(module_id, secret="cohort"):
    source = load_notebook(SOLUTIONS / module_id / f"{module_id}.ipynb")
    cells = test_cells(source)
    seeds = cohort_seeds(module_id, cells, secret)
    return compute_cases(questions_of(module_id), cells, seeds, reference_answers(source)), cells, seeds


@pytest.mark.parametrize("module_id", [m for m in GRADED if not m.startswith("quiz")])
def test_cases_cross_the_wall_and_hold_every_input_a_test_gives(module_id):
    """Each input round-trips with the same digest, and no answer leads a test to an input outside the cases."""
    cases, cells, seeds = _cases(module_id)
    questions = questions_of(module_id)
    for grade_id, spec in cells.items():
        question = getattr(questions, spec.question)
        if not isinstance(question, FunctionQuestion):
            assert question.full_id not in cases
            continue
        known = set()
        for case in cases[question.full_id]:
            encoded = case["args"]
            args = tuple(plain.decode(json.loads(json.dumps(encoded))))
            assert plain.encode(args) == encoded
            known.add(case_key(plain.digest(args), case["under"]))
        # Answers that are wrong in several ways: each must only meet inputs the sandbox was given.
        for wrong in (lambda *a: 0, lambda *a: "x", lambda *a: np.full(3, np.nan), _raises):
            given = []

            def spy(*args, wrong=wrong, given=given):
                condition = active()
                given.append(case_key(plain.digest(args), condition.name if condition else None))
                return wrong(*args)

            spy.__signature__ = inspect.Signature(
                [inspect.Parameter(p, inspect.Parameter.POSITIONAL_OR_KEYWORD) for p in question.parameters]
            )
            question.grade(spy, hidden=seeds[grade_id])
            assert set(given) <= known, f"{grade_id}: a test gives an input the grader did not compute"


def _raises(*args):
    raise ValueError("wrong")


def test_cases_hold_inputs_never_the_seeds():
    cases, cells, seeds = _cases("00-orientation", secret="a-secret")
    text = json.dumps(cases)
    for seed in seeds.values():
        assert f"hidden={seed}" not in text
    assert cases != _cases("00-orientation", secret="another")[0], "the cohort's seed decides the hidden inputs"


SHORTCUTS = [
    (
        "01-data-prep",
        "q3",
        "from lepton_training.datasets import clean_talent_pipeline as c\ndef clean(raw):\n    return c(raw)",
    ),
    (
        "01-data-prep",
        "q5",
        "from lepton_training.questions.data_prep import reference_tokens\ntokenize = reference_tokens",
    ),
    (
        "01-data-prep",
        "q5",
        "import importlib\nfeatures = importlib.import_module('lepton_training.features')\n"
        "def tokenize(comment):\n    return getattr(features, 'tokenize')(comment)",
    ),
    (
        "02-model-optimization",
        "q1",
        "from lepton_training import optimization as o\n"
        "def logistic_loss_and_gradient(w, X, y, alpha):\n    return o.logistic_loss_and_gradient(w, X, y, alpha)",
    ),
    (
        "02-model-optimization",
        "q2",
        "import lepton_training.optimization.descent as d\nf = d.gradient_descent\n"
        "def gradient_descent(X, y, learning_rate, n_steps, tol):\n    return f(X, y, learning_rate, n_steps, tol)",
    ),
    ("03-feature-engineering", "q1", "from lepton_training.features import skill_indicators"),
    (
        "03-feature-engineering",
        "q4",
        "from lepton_training.features import talent_model\n"
        "def fit_and_score(train, test):\n    m = talent_model().fit(train, train['outcome'] == 'hired')\n"
        "    return m.predict_proba(test)[:, 1]",
    ),
    ("04-evaluation", "q2", "from lepton_training.evaluation import cost_optimal_threshold as best_threshold"),
    (
        "05-recruitment-lp",
        "q3",
        "from lepton_training.recruitment import plan_min_cost\n"
        "def repaired_plan(channels, target, budget):\n    return plan_min_cost(channels, target, budget=budget)",
    ),
]


@pytest.mark.parametrize(("module_id", "qid", "code"), SHORTCUTS)
def test_check_names_an_answer_that_calls_the_course_implementation(module_id, qid, code):
    question = getattr(questions_of(module_id), qid)
    namespace = {}
    exec(code, namespace)
    answer = namespace[question.answer_name]
    result = question.check(answer)
    assert not result.passed
    assert "the course's own implementation" in result.message, result.message


@pytest.mark.parametrize("module_id", [m for m in GRADED if not m.startswith("quiz")])
def test_every_course_implementation_a_module_declares_exists(module_id):
    questions_of(module_id)
    resolved = implementations_of(module_id)
    assert resolved.where
    for name in declared(module_id):
        module, _, attr = name.rpartition(".")
        try:
            importlib.import_module(name)
        except ImportError:
            assert hasattr(importlib.import_module(module), attr), name


@pytest.mark.parametrize(
    "value",
    [
        pd.Timestamp("2026-01-02 03:04:05.123456789"),
        pd.Timestamp("2026-01-02", tz="Europe/Paris"),
        pd.NaT,
        pd.NA,
        pd.Timedelta("3D"),
        pd.Index(["a", "b"]),
        pd.DatetimeIndex(["2026-01-01", None]),
        pd.DataFrame({"a": [1, None, 3], "s": ["x", None, "z"]}).convert_dtypes(),
        pd.DataFrame({"t": pd.to_datetime(["2026-01-01", "2026-02-01"]).tz_localize("UTC"), "c": ["u", "v"]}),
    ],
)
def test_values_a_learner_may_return_round_trip(value):
    """pandas' nullable types, time stamps with a zone and indexes cross the wall unchanged (issue 23)."""
    encoded = json.loads(json.dumps(plain.encode(value)))
    assert "unsupported" not in json.dumps(encoded)
    back = plain.decode(encoded)
    assert plain.encode(back) == encoded
    if hasattr(value, "equals"):
        assert value.equals(back)
    else:
        assert back is value or back == value


def test_an_answer_with_nullable_dtypes_is_judged_the_same_after_crossing_the_wall():
    """01 q2's solution, returned with pandas' nullable dtypes (`.convert_dtypes()`), keeps its full marks."""
    source = load_notebook(SOLUTIONS / "01-data-prep" / "01-data-prep.ipynb")
    answers = reference_answers(source)
    question = questions_of("01-data-prep").q2
    standardize = answers[question.answer_name]

    def nullable(raw):
        return standardize(raw).convert_dtypes()

    def across_the_wall(raw):
        return plain.decode(json.loads(json.dumps(plain.encode(nullable(raw)))))

    direct = question.grade(nullable, hidden=5)
    crossed = question.grade(across_the_wall, hidden=5)
    assert crossed.points == direct.points == question.points, crossed.explanation()
