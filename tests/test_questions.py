"""Continuous-integration expectations of every graded question, read from the same definitions the learner's
checks and the nbgrader test cells use, for every module that has a notebook (a new module is covered without
editing this file):

* the instructor's solution earns full points, and the notebook's test cells agree with the definitions;
* every learning objective of ``course.toml`` is assessed by at least one graded question;
* hints teach and do not answer: no code in a hint, pasted as the answer, passes the check;
* public checks use inputs other than those of the worked examples shown before the exercise;
* a learner who asks for a hint keeps the check result in view (check and hint live in separate cells).
"""

import contextlib
import importlib
import io
import re
import textwrap

import pytest
from conftest import SOLUTIONS, cell_source, load_notebook, module_ids, nbgrader_meta

from lepton_training.grading.cases import reference_answers
from lepton_training.manifest import get_module

MODULES = module_ids()


def exercises_of(module_id):
    name = get_module(module_id).questions
    assert name, f"{module_id}: course.toml names no `questions` module"
    return importlib.import_module(name).exercises


def notebook_of(module_id):
    return load_notebook(SOLUTIONS / module_id / f"{module_id}.ipynb")


def setup_namespace(module_id):
    """What the learner has after running the setup cell only."""
    nb = notebook_of(module_id)
    namespace = {}
    setup = next(c for c in nb["cells"] if c.get("id") == "setup")
    exec(compile(cell_source(setup), f"{module_id}:setup", "exec"), namespace)
    return namespace


def solution_namespace(module_id):
    """Run the instructor notebook's setup and answer cells, as a learner who solved everything would have."""
    return reference_answers(notebook_of(module_id), name=module_id)


def test_every_module_with_a_notebook_has_questions():
    assert MODULES
    for module_id in MODULES:
        assert 3 <= len(exercises_of(module_id).questions) <= 6, "the course standard asks for 3 to 6 exercises"
        assert 3 <= len(get_module(module_id).objectives) <= 5, "the course standard asks for 3 to 5 objectives"


@pytest.mark.parametrize("module_id", MODULES)
def test_test_cells_agree_with_definitions(module_id):
    nb = notebook_of(module_id)
    exercises = exercises_of(module_id)
    graded = {}
    for cell in nb["cells"]:
        meta = nbgrader_meta(cell)
        if meta.get("grade") and cell["cell_type"] == "code":
            source = cell_source(cell)
            calls = set(re.findall(r"\b(q\d+)\.grade\(", source))
            assert len(calls) == 1, f"test cell {meta['grade_id']} should grade exactly one question: {calls}"
            (qid,) = calls
            graded[qid] = meta["points"]
            assert "### BEGIN HIDDEN TESTS" in source, f"{qid}: the test cell has no hidden tests"
            assert re.search(rf"{qid}\.grade\((?:\w+, )?hidden=\d+\)", source), f"{qid}: hidden tests need a seed"
    assert graded == {q.id: q.points for q in exercises}, "points in the notebook differ from the definitions"


@pytest.mark.parametrize("module_id", MODULES)
def test_solutions_earn_full_points(module_id):
    namespace = solution_namespace(module_id)
    for q in exercises_of(module_id):
        answer = namespace[q.answer_name]
        assert q.check(answer).passed, f"{q.id}: {q.check(answer)}"
        for seed in (1, 2, 3):
            score = q.grade(answer, hidden=seed)
            assert score.points == q.points, f"{q.id} seed {seed}: {score.explanation()}"


@pytest.mark.parametrize("module_id", MODULES)
def test_every_objective_is_assessed(module_id):
    objectives = get_module(module_id).objectives
    assessed = set()
    for q in exercises_of(module_id):
        assert q.objectives, f"{q.id} declares no objective it assesses"
        assert set(q.objectives) <= set(range(1, len(objectives) + 1)), f"{q.id}: unknown objective"
        assessed |= set(q.objectives)
    missing = [f"{i}. {objectives[i - 1]}" for i in range(1, len(objectives) + 1) if i not in assessed]
    assert not missing, f"{module_id}: no graded question assesses {missing}"


# Modules whose objectives ask for a reading or a decision, not only a formula (issue 17: 02 reads a penalty and a
# validation curve, 04 defends a threshold and decides whether to ship); any objective that says "decide" counts.
JUDGEMENT_MODULES = {"02-model-optimization", "04-evaluation"} | {
    m for m in MODULES if "decide" in " ".join(get_module(m).objectives).lower()
}


@pytest.mark.parametrize("module_id", sorted(JUDGEMENT_MODULES))
def test_modules_that_ask_for_judgement_grade_one(module_id):
    judged = [q.id for q in exercises_of(module_id) if q.judgement]
    assert judged, f"{module_id}: no question grades a reading or a decision (Question(judgement=True))"


@pytest.mark.parametrize("module_id", MODULES)
def test_hints_are_graded(module_id):
    for q in exercises_of(module_id):
        assert len(q.hints) >= 2, f"{q.id} needs at least two hints, gentle then explicit"
        assert len(set(q.hints)) == len(q.hints)


# --- hints teach; they do not answer ----------------------------------------------------------------------------


def hint_code(text):
    """The pieces of code in a hint: fenced blocks, each inline span, and all inline spans as one program."""
    blocks = re.findall(r"```(?:python)?\n(.*?)```", text, flags=re.S)
    inline = re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", text, flags=re.S))
    pieces = [textwrap.dedent(b) for b in blocks] + inline
    if len(inline) > 1:
        pieces.append("\n".join(inline))
    return pieces


def as_answer(question, code):
    """The ways a learner could paste a piece of hint code into the answer cell."""
    yield code
    params = ", ".join(getattr(question, "parameters", ()))
    body = textwrap.indent(code, "    ")
    if hasattr(question, "parameters"):
        yield f"def {question.answer_name}({params}):\n{body}\n"
        if "\n" not in code.strip():
            yield f"def {question.answer_name}({params}):\n    return {code.strip()}\n"
    else:
        yield f"{question.answer_name} = {code}"


@pytest.mark.parametrize("module_id", MODULES)
def test_no_hint_passes_as_the_answer(module_id):
    base = setup_namespace(module_id)
    for q in exercises_of(module_id):
        for level, text in enumerate(q.hints, start=1):
            for piece in hint_code(text):
                for source in as_answer(q, piece):
                    namespace = dict(base)
                    namespace.pop(q.answer_name, None)
                    try:
                        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                            exec(compile(source, f"{q.id}-hint{level}", "exec"), namespace)
                    except Exception:  # noqa: BLE001 - a skeleton with blanks does not even run: good
                        continue
                    if q.answer_name not in namespace:
                        continue
                    assert not q.check(namespace[q.answer_name]).passed, (
                        f"{module_id} {q.id}: hint {level}, pasted as the answer, passes the check:\n{source}"
                    )


# --- public checks use other inputs than the worked examples ------------------------------------------------------


def _comparable(value):
    import numpy as np
    import pandas as pd

    if isinstance(value, (pd.DataFrame, pd.Series)):
        return len(value) > 1
    return isinstance(value, np.ndarray) and value.size > 1


def _same_data(a, b):
    import numpy as np
    import pandas as pd

    if isinstance(a, (pd.DataFrame, pd.Series)) and isinstance(b, (pd.DataFrame, pd.Series)):
        if type(a) is not type(b) or a.shape != b.shape:
            return False
        return a.reset_index(drop=True).equals(b.reset_index(drop=True))
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        return a.shape == b.shape and np.array_equal(a, b)
    return False


def shown_before_each_exercise(module_id):
    """Question id -> the data values (tables, arrays) that cells before its statement defined."""
    import matplotlib

    # In this process only: an MPLBACKEND set in os.environ would reach the notebooks that other tests run.
    matplotlib.use("Agg")
    nb = notebook_of(module_id)
    namespace, shown, result = {}, [], {}
    for cell in nb["cells"]:
        meta = nbgrader_meta(cell)
        match = re.fullmatch(r"(q\d+)-statement", meta.get("grade_id", ""))
        if match:
            result[match.group(1)] = list(shown)
        if cell["cell_type"] != "code" or meta.get("grade"):
            continue
        before = {k: id(v) for k, v in namespace.items()}
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            exec(compile(cell_source(cell), f"{module_id}:{cell['id']}", "exec"), namespace)
        for name, value in namespace.items():
            if before.get(name) != id(value) and _comparable(value):
                shown.append((cell["id"], name, value))
    return result


@pytest.mark.parametrize("module_id", MODULES)
def test_public_checks_use_new_inputs(module_id):
    import matplotlib.pyplot as plt

    try:
        shown = shown_before_each_exercise(module_id)
    finally:
        plt.close("all")
    for q in exercises_of(module_id):
        for value in q.public_inputs():
            for cell_id, name, example in shown.get(q.id, []):
                assert not _same_data(value, example), (
                    f"{module_id} {q.id}: a public check uses `{name}` from cell {cell_id!r}, a worked example "
                    "shown before the exercise; use other inputs"
                )


# --- feedback and hints both stay visible ------------------------------------------------------------------------


@pytest.mark.parametrize("module_id", MODULES)
def test_check_and_hint_live_in_separate_cells(module_id):
    for cell in notebook_of(module_id)["cells"]:
        source = cell_source(cell)
        if cell["cell_type"] == "code" and re.search(r"\bq\d+\.check\(", source):
            assert not re.search(r"\bq\d+\.hint\(", source), (
                f"{module_id} cell {cell['id']}: a hint in the check cell hides the check's result (only a cell's "
                "last expression is shown); give the hint its own cell"
            )


# --- rules of issue 19: hidden tests are unseen, balanced, and independent of the learner's names -------------------


def _recorded_hidden_calls(question, fn, seed):
    """Grade ``fn`` on the hidden tests of one seed; return the argument tuples the tests gave it."""
    import numpy as np

    calls = []

    def recorder(*args):
        calls.append(args)
        return fn(*args)

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        for test in question.hidden_tests(recorder, np.random.default_rng(seed)):
            question.run_test(test)
    return calls


def _function_questions(module_id):
    namespace = solution_namespace(module_id)
    for q in exercises_of(module_id):
        fn = namespace[q.answer_name]
        if hasattr(q, "parameters") and callable(fn):
            yield q, fn


@pytest.mark.parametrize("module_id", MODULES)
def test_no_hidden_case_equals_a_case_on_screen(module_id):
    # Rule 3: a pasted worked example (its table, its arrays) must earn nothing on the hidden tests.
    import matplotlib.pyplot as plt

    try:
        shown = shown_before_each_exercise(module_id)
    finally:
        plt.close("all")
    for q, fn in _function_questions(module_id):
        for seed in (1, 2):
            for args in _recorded_hidden_calls(q, fn, seed):
                for value in args:
                    for cell_id, name, example in shown.get(q.id, []):
                        assert not _same_data(value, example), (
                            f"{module_id} {q.id}: a hidden test gives the learner `{name}` of cell {cell_id!r}, a "
                            "case shown on screen; use other inputs"
                        )


def _constant_of(question, fn):
    """The solution's own answer to the first public case: a learner who pasted the answer on screen."""
    calls = []

    def recorder(*args):
        calls.append(args)
        return fn(*args)

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        for test in question.public_tests(recorder):
            question.run_test(test)
    if not calls:
        return None
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return fn(*calls[0])


@pytest.mark.parametrize("module_id", MODULES)
def test_a_constant_answer_earns_little_on_the_hidden_tests(module_id):
    # Rule 3: hidden tests are balanced, so that one answer returned whatever the inputs earns little of them.
    import numpy as np

    for q, fn in _function_questions(module_id):
        for seed in (1, 2):
            value = _constant_of(q, fn)
            if value is None:
                continue

            def constant(*args, value=value):
                return value

            tests = q.hidden_tests(constant, np.random.default_rng(seed))
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                outcomes = [q.run_test(t) for t in tests]
            earned = sum(o.test.weight for o in outcomes if o.result.passed)
            total = sum(o.test.weight for o in outcomes)
            assert earned <= 0.5 * total, (
                f"{module_id} {q.id} seed {seed}: a constant answer earns {earned:g} of {total:g} hidden weight"
            )


def test_fixed_cases_do_not_depend_on_the_learners_names():
    # Rule 2: a question that changes what a solver returns patches it where it lives (SciPy's own modules), never
    # a name in the learner's namespace, which an alias (`from scipy.optimize import milp as solve_milp`) escapes.
    from pathlib import Path

    import lepton_training.questions as questions

    for path in Path(questions.__file__).parent.glob("*.py"):
        assert "__globals__" not in path.read_text(), f"{path.name} reads or patches the learner's names"


# Rule 5: a message names the quantity and what it is in words. Each module's mutant tests assert the phrase that
# names each common mistake; this test covers the mistakes nobody named, where a fallback message speaks.
_UNNAMED_MESSAGES = (
    (re.compile(r"\(\.\.\.\)\[['\"]\w+['\"]\]`? is too (low|high)"), "a bare key path, too low or too high"),
    (re.compile(r"^[^.]*\bis too (low|high)\.$"), "only 'is too low' or 'is too high'"),
    (re.compile(r"^([^.]*: )?\d+ of \d+ values? differs?\.$"), "only a count of differing values"),
    (re.compile(r"\(s\)"), "a '(s)' plural"),
    (re.compile(r"np\.(float|int|bool)\w*\("), "a NumPy repr instead of a number"),
)


def _off(value):
    """The answer with every number a little off: what an unnamed mistake in a formula returns."""
    import numpy as np
    import pandas as pd

    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float, np.number)):
        return float(value) * 1.05 + 0.01
    if isinstance(value, (np.ndarray, pd.Series)) and np.issubdtype(value.dtype, np.number):
        return value * 1.05 + 0.01
    if type(value) is dict:
        return {k: _off(v) for k, v in value.items()}
    if type(value) is tuple:
        return tuple(_off(v) for v in value)
    return value


@pytest.mark.parametrize("module_id", MODULES)
def test_messages_of_unnamed_mistakes_say_what_the_quantity_is(module_id):
    import numpy as np

    seen = 0
    for q, fn in _function_questions(module_id):
        wrong = {"numbers a little off": lambda *args, fn=fn: _off(fn(*args))}
        value = _constant_of(q, fn)
        if value is not None:
            wrong["the same answer for every input"] = lambda *args, value=value: value
        for kind, answer in wrong.items():
            tests = list(q.public_tests(answer)) + list(q.hidden_tests(answer, np.random.default_rng(1)))
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                outcomes = [q.run_test(t) for t in tests]
            for o in outcomes:
                if o.result.passed:
                    continue
                seen += 1
                message = str(o.result.message).strip()
                for pattern, what in _UNNAMED_MESSAGES:
                    assert not pattern.search(message), (
                        f"{module_id} {q.id}, {kind}, {o.test.description!r}: the message is {what}: {message!r}. "
                        "Name the quantity in words and say what it is (`advice=` of check_number/check_array)."
                    )
    assert seen, f"{module_id}: no wrong answer failed a test, so no message was read"


# Rule 4: a hidden test's description is true of its inputs at every seed.
class _Stop(Exception):
    """Raised by the recording answer: the inputs are known, the rest of the test need not run."""


def _first_inputs(question, seed):
    """Each hidden test's description with a digest of the inputs of its first call to the answer."""
    import hashlib
    import pickle

    import numpy as np

    seen = []

    def record(*args):
        seen.append(hashlib.sha256(pickle.dumps(args)).hexdigest())
        raise _Stop

    found = []
    for test in question.hidden_tests(record, np.random.default_rng(seed)):
        before = len(seen)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            question.run_test(test)
        found.append((test, seen[before] if len(seen) > before else None))
    return found


@pytest.mark.parametrize("module_id", MODULES)
def test_a_hidden_description_is_true_at_every_seed(module_id):
    # A description that stays the same while the inputs change with the seed promises something of every draw:
    # such a test carries a premise (exercises.Test.premise), and the premise holds at 20 seeds.
    import numpy as np

    for q, fn in _function_questions(module_id):
        by_seed = [_first_inputs(q, seed) for seed in range(4)]
        inputs = {}
        for found in by_seed:
            for test, digest in found:
                inputs.setdefault(test.description, []).append((test, digest))
        for description, runs in inputs.items():
            digests = {d for _, d in runs}
            if len(runs) == 4 and len(digests) > 1 and None not in digests:
                assert runs[0][0].premise is not None, (
                    f"{module_id} {q.id}: the hidden test {description!r} keeps its description while its inputs "
                    "change with the seed; give it a premise that says what the description promises"
                )
        for seed in range(20):
            for test in q.hidden_tests(fn, np.random.default_rng(seed)):
                if test.premise is not None:
                    assert test.premise(), (
                        f"{module_id} {q.id} seed {seed}: the description {test.description!r} is false of the "
                        "inputs drawn at this seed"
                    )
