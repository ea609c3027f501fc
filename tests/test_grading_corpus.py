"""The bad-submission corpus: one real `grade` run (nbgrader, the sandbox, the verifier) over hostile submissions.

Submissions are built at test time from the current solutions/ and course/ notebooks, by grade id. Every case
must be graded or reported without stopping the batch, earn nothing it did not earn honestly, and change
nothing outside its own grading copy.
"""

import hashlib
import html
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import (
    COURSE,
    SOLUTIONS,
    cell_source,
    copy_course_root,
    is_ci,
    module_ids,
    nbgrader_meta,
    submit,
    with_answers,
)

from lepton_training.grading.run import grade_module
from lepton_training.grading.sandbox import sandbox_problem
from lepton_training.grading.seeds import test_cells as read_test_cells

pytestmark = pytest.mark.slow

MODULE = "00-orientation"
MARKER = "lepton-corpus-orphan-7c1f"
SECRET = "cohort-2026-test"
#: Stands for the grader's secrets (a gradebook password): it must reach no learner's kernel, notebook or feedback.
GRADER_SECRET = "grader-password-5b2e9"


def sandbox_or_skip():
    problem = sandbox_problem()
    if problem and not is_ci():
        pytest.skip(f"the grading sandbox cannot run here: {problem}")
    assert not problem, problem


def source_and_release(module=MODULE):
    source = json.loads((SOLUTIONS / module / f"{module}.ipynb").read_text())
    release = json.loads((COURSE / module / f"{module}.ipynb").read_text())
    return source, release


def solution_cells(source):
    return {nbgrader_meta(c)["grade_id"]: cell_source(c) for c in source["cells"] if nbgrader_meta(c).get("solution")}


def corpus(root, source, release):
    """Learner id -> what is expected of them. Writes the submissions."""
    cells = read_test_cells(source)
    solutions = solution_cells(source)
    first = next(iter(cells.values()))  # the first graded question: hostile code goes into its answer cell
    first_answer = f"{first.question}-answer"
    full = sum(c.points for c in cells.values())
    assert first_answer in solutions, "answer cells are named qN-answer (docs/authoring.md)"

    def with_first(code, keep_solution=True):
        answers = dict(solutions)
        answers[first_answer] = (solutions[first_answer] + "\n" if keep_solution else "") + code
        return with_answers(release, answers)

    cases = {}

    def case(learner, nb, status, points=None, max_points=None, reason=None, evidence=None):
        if nb is not None:
            submit(root, MODULE, learner, nb)
        cases[learner] = dict(status=status, points=points, max_points=max_points, reason=reason, evidence=evidence)

    not_first = full - first.points
    solutions_path = SOLUTIONS / MODULE / f"{MODULE}.ipynb"
    case("honest", with_answers(release, solutions), "graded", full)
    case("blank", release, "graded", 0)
    case("syntax", with_first("def (:", keep_solution=False), "graded", not_first)
    case("loop", with_first("while True:\n    pass", keep_solution=False), "graded", not_first)
    case("printer", with_first("for _ in range(300):\n    print('x' * 100_000)"), "graded", full)
    case("exits", with_first("import sys\nsys.exit()"), "graded", full)
    # The kernel dies in the first answer cell: what ran before it is graded, and the reason is given.
    case(
        "killer",
        with_first("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"),
        "graded",
        0,
        reason="kernel died",
    )
    tampered = with_answers(release, solutions)
    tampered["cells"] = [c for c in tampered["cells"] if nbgrader_meta(c).get("grade_id") != f"{first.question}-tests"]
    for cell in tampered["cells"]:
        meta = nbgrader_meta(cell)
        if meta.get("grade") and meta.get("grade_id") != f"{first.question}-tests":
            cell["source"] = f"{meta['points']}  # a learner who edited the locked test cell"
        elif meta.get("locked") and not meta.get("grade") and cell["cell_type"] == "markdown":
            cell["source"] = "I edited this statement."
    case("edits-cells", tampered, "flagged", full, evidence="was deleted")
    # Wrong first answer, plus every trick that changes what the learner's own kernel displays: the kernel
    # computes no points, so there is nothing to patch (the grader's own classes are not even in the sandbox).
    wrong = f"def {first.answer_name}(*args):\n    return -12345.0\n"
    patches = (
        "import builtins\n"
        "builtins.AssertionError = type('Quiet', (Exception,), {})\n"
        "get_ipython().display_formatter.formatters['text/plain'].for_type(float, lambda o, p, c: p.text('1e9'))\n"
        "import lepton_training.exercises as ex\n"
        "ex.Score.__repr__ = lambda self: repr(float(self.question.points))\n"
    )
    case("patcher", with_first(wrong + patches, keep_solution=False), "graded", not_first)
    # An oracle: the question's own tests, run on a spy to catch the expected values. There is nothing to run.
    oracle = (
        f"def {first.answer_name}(*args):\n    return ORACLE.get(args, 0.0)\n"
        "ORACLE = {}\n"
        "import importlib\n"
        "for name in ('lepton_training.checks', 'lepton_training.exercises', 'lepton_training.grading.verify'):\n"
        "    try:\n        importlib.import_module(name)\n        print('IMPORTED', name)\n"
        "    except ImportError:\n        pass\n"
        f"from lepton_training.questions.orientation import {first.question} as question\n"
        "def spy(*args):\n    ORACLE[args] = 0.5\n    return 0.5\n"
        f"print(question.grade(spy, hidden=1), question.check(spy), type(question).__name__)\n"
    )
    case("oracle", with_first(oracle, keep_solution=False), "graded", not_first)
    # Forged records: the recorder's encoder made to claim one fixed value for every input. It must guess.
    forger = (
        f"def {first.answer_name}(*args):\n    return -1.0\n"
        "import lepton_training.grading.recorder as recorder, lepton_training.grading.plain as plain\n"
        "recorder._safe_encode = lambda value: plain.encode(0.75)\n"
    )
    case("forger", with_first(forger, keep_solution=False), "graded", None)
    # The grader's environment, the cases and the seeds, hunted and printed; files written to smuggle them out.
    hunter = (
        "import os, glob, json\n"
        "found = {'environ': open('/proc/1/environ', 'rb').read().decode('latin-1')}\n"
        "found['mine'] = dict(os.environ)\n"
        "for path in glob.glob('/run/**', recursive=True) + glob.glob('/tmp/**', recursive=True):\n"
        "    if os.path.isfile(path):\n"
        "        found[path] = open(path, errors='replace').read()[:100000]\n"
        "print(json.dumps(found)[:500000])\n"
        "open('hidden-seeds.txt', 'w').write(json.dumps(found))\n"
        "os.makedirs('loot', exist_ok=True)\nopen('loot/cases.json', 'w').write(json.dumps(found))\n"
    )
    case("hunter", with_first(hunter), "graded", full)
    # Disk: more than the working folder's and /tmp's private space, written where the feedback would copy it.
    filler = (
        "chunk = b'x' * 2**24\n"
        "for target in ('fill.bin', '/tmp/fill.bin'):\n"
        "    try:\n        with open(target, 'wb') as out:\n            for _ in range(40):\n"
        "                out.write(chunk)\n    except OSError as exc:\n        print('stopped:', exc)\n"
    )
    case("filler", with_first(filler), "graded", full)
    # A cell that ignores the interrupt a timeout sends: the cells before it keep their points, and its own test
    # cell says it ran out of time.
    last = list(cells.values())[-1]
    stubborn = dict(solutions)
    stubborn[f"{last.question}-answer"] = (
        solutions[f"{last.question}-answer"] + "\nimport signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        "time.sleep(20)\n"
    )
    case("stubborn", with_answers(release, stubborn), "graded", None)
    anything = (
        "class Anything(float):\n    def __eq__(self, other):\n        return True\n    __hash__ = float.__hash__\n"
        "    def __abs__(self):\n        return 0.0\n    def __sub__(self, other):\n        return Anything(0)\n"
        "    __rsub__ = __sub__\n    __lt__ = __le__ = lambda self, other: True\n"
        f"def {first.answer_name}(*args):\n    return Anything(0.0)\n"
    )
    case("anything", with_first(anything, keep_solution=False), None, not_first)
    link = submit(root, MODULE, "linker", with_answers(release, solutions)) or root / "submitted" / "linker" / MODULE
    os.symlink(solutions_path, link / "helper.ipynb")
    case("linker", None, "not graded", reason="symbolic link")
    case("not-json", "{ this is not a notebook", "not graded", reason="not valid JSON")
    folder = root / "submitted" / "wrong-name" / MODULE
    folder.mkdir(parents=True)
    (folder / "my-work.ipynb").write_text(json.dumps(with_answers(release, solutions)))
    case("wrong-name", None, "not graded", reason=f"no {MODULE}.ipynb")
    reach = (
        "import glob, os\n"
        f"for target in [{str(root / 'gradebook.db')!r}, '../../../gradebook.db', '/work/main/gradebook.db',\n"
        f"               {str(root / 'submitted' / 'honest' / MODULE / (MODULE + '.ipynb'))!r}]:\n"
        "    try:\n        open(target, 'w').write('pwned')\n    except OSError:\n        pass\n"
        "leaked = ''\n"
        f"for path in [{str(solutions_path)!r}, '../../../solutions/{MODULE}/{MODULE}.ipynb']:\n"
        "    try:\n        leaked = open(path).read()\n    except OSError:\n        pass\n"
        "import json\n"
        "if leaked:\n"
        "    for cell in json.loads(leaked)['cells']:\n"
        "        if cell.get('metadata', {}).get('nbgrader', {}).get('solution'):\n"
        "            exec(''.join(cell['source']))\n"
    )
    case("reacher", with_answers(release, {first_answer: reach}), "graded", 0)
    sleeper = f"'import time; time.sleep(600)  # {MARKER}'"
    fork = (
        "import subprocess, sys\n"
        f"subprocess.Popen([sys.executable, '-c', {sleeper}], start_new_session=True)\n"
        "import os\nif os.fork() == 0:\n    os.setsid()\n"
        f"    os.execv(sys.executable, [sys.executable, '-c', {sleeper}])\n"
    )
    case("forker", with_first(fork), "graded", full)
    hog = "hog = []\nwhile True:\n    hog.append(b'x' * 2**27)\n"
    case("hog", with_first(hog), None, None)
    return cases, full


def orphans():
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and MARKER.encode() in (proc / "cmdline").read_bytes():
                found.append(proc.name)
        except OSError:
            pass
    return found


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    sandbox_or_skip()
    os.environ["LEPTON_CORPUS_GRADER_SECRET"] = GRADER_SECRET
    root = copy_course_root(tmp_path_factory.mktemp("course"), [MODULE])
    # A cohort secret and short limits, so the hostile cases cost seconds.
    with (root / "jupyter_config.py").open("a") as config:
        config.write(
            f"\nc.LeptonGrading.cohort_secret = {SECRET!r}\nc.Execute.timeout = 8\n"
            "c.LeptonGrading.notebook_timeout = 60\nc.LeptonGrading.memory_mb = 1024\n"
        )
    source, release = source_and_release()
    cases, full = corpus(root, source, release)
    honest_file = root / "submitted" / "honest" / MODULE / f"{MODULE}.ipynb"
    before = hashlib.sha256(honest_file.read_bytes()).hexdigest()
    run = grade_module(root, MODULE, jobs=2, progress=False)
    return dict(root=root, run=run, cases=cases, full=full, honest_before=before, source=source)


def test_every_submission_is_graded_or_reported_with_a_reason(graded):
    results = {r.learner: r for r in graded["run"].results}
    assert set(results) == set(graded["cases"]), graded["run"].summary()
    for learner, expected in graded["cases"].items():
        result = results[learner]
        if expected["status"]:
            assert result.status == expected["status"], (learner, result)
        if expected["points"] is not None and result.status != "not graded":
            assert result.points == pytest.approx(expected["points"]), (learner, result)
        if expected["reason"]:
            assert expected["reason"] in result.reason, (learner, result.reason)
        if expected["evidence"]:
            assert any(expected["evidence"] in e for e in result.evidence), (learner, result.evidence)
        if result.status == "not graded":
            assert result.reason, learner


def test_nobody_earns_what_they_did_not_earn(graded):
    full = graded["full"]
    honest_extras = ("printer", "exits", "edits-cells", "forker", "hunter", "filler", "stubborn")
    for result in graded["run"].results:
        if result.learner != "honest" and result.learner not in honest_extras:
            assert result.points < full, result
    stubborn = next(r for r in graded["run"].results if r.learner == "stubborn")
    last = list(read_test_cells(graded["source"]).values())[-1]
    assert stubborn.points >= full - last.points, "cells that finished before the stubborn one lost points"
    log = _outputs(graded["root"] / "grading-log" / MODULE / "stubborn.ipynb")
    assert "CellTimeoutError" in log
    forger = next(r for r in graded["run"].results if r.learner == "forger")
    first = next(iter(read_test_cells(graded["source"]).values()))
    assert forger.points < full - first.points + first.points / 2, "a forged record earned more than a guess"


def _outputs(path):
    """Everything a notebook's cells printed or displayed, as text."""
    texts = []
    for cell in json.loads(path.read_text())["cells"]:
        for output in cell.get("outputs", []):
            text = output.get("text", "")
            texts.append(("".join(text) if isinstance(text, list) else text) + json.dumps(output.get("data", {})))
            texts.append(f"{output.get('ename', '')}: {output.get('evalue', '')}")
    return "\n".join(texts)


def test_nothing_of_the_grader_reaches_a_learner(graded):
    """No secret of the grader's environment, no seed, no hidden input in any learner's feedback or graded folder."""
    root = graded["root"]
    seeds = [str(c.seed) for c in read_test_cells(graded["source"]).values()]
    for folder in ("feedback", "autograded"):
        for path in (root / folder).rglob("*"):
            if path.is_file():
                text = path.read_text(errors="replace")
                assert GRADER_SECRET not in text, path
                assert "LEPTON_GRADEBOOK" not in text and "cohort-2026-test" not in text, path
    for learner in ("hunter", "filler", "honest"):
        feedback = root / "feedback" / learner / MODULE
        names = sorted(p.name for p in feedback.iterdir())
        assert names == [f"{MODULE}.html", "timestamp.txt"], names
        graded_folder = root / "autograded" / learner / MODULE
        assert sorted(p.name for p in graded_folder.iterdir()) == [f"{MODULE}.ipynb", "timestamp.txt"]
        assert sum(p.stat().st_size for p in graded_folder.rglob("*")) < 2_000_000
    # What the grading kernel printed never reaches the feedback, and the cases hold no seed to find.
    hunter = (root / "feedback" / "hunter" / MODULE / f"{MODULE}.html").read_text()
    assert "/proc/1/environ" not in hunter or "environ" not in hunter.split("/proc/1/environ", 1)[1][:200]
    assert '"mine"' not in hunter and "completion_rate" in hunter
    oracle = _outputs(root / "grading-log" / MODULE / "oracle.ipynb")
    assert "IMPORTED" not in oracle and "RecordedQuestion" in oracle, oracle[:2000]
    # The grading kernel's own view of the hunt, kept for the instructor: bubblewrap's environment is empty.
    hunt = _outputs(root / "grading-log" / MODULE / "hunter.ipynb")
    assert '"environ": ""' in hunt and GRADER_SECRET not in hunt and "LEPTON_CORPUS" not in hunt, hunt[:2000]
    # Native libraries get one thread per kernel: with kernels graded in parallel, more only spin (issue 19).
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        assert f'"{name}": "1"' in hunt, f"{name} is not pinned to 1 in the grading kernel"
    for seed in seeds:
        assert f"hidden={seed}" not in hunter


def test_the_gradebook_holds_verified_scores_and_nothing_for_unreadable_submissions(graded):
    from nbgrader.api import Gradebook

    root = graded["root"]
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course_id="lepton-training") as gb:
        scores = {s.student.id: s.score for s in gb.assignment_submissions(MODULE)}
    for result in graded["run"].results:
        if result.status == "not graded":
            assert result.learner not in scores, f"{result.learner} was not graded but has a row"
        else:
            assert scores[result.learner] == pytest.approx(result.points)


def test_hostile_code_changed_nothing_outside_its_copy(graded):
    root = graded["root"]
    honest_file = root / "submitted" / "honest" / MODULE / f"{MODULE}.ipynb"
    assert hashlib.sha256(honest_file.read_bytes()).hexdigest() == graded["honest_before"]
    assert b"pwned" not in (root / "gradebook.db").read_bytes()
    assert not orphans(), "a process forked by a submission outlived its kernel"
    assert not any(p.is_symlink() for p in (root / "autograded").rglob("*"))


def test_feedback_hides_hidden_tests_their_inputs_and_the_seeds(graded):
    root = graded["root"]
    page = (root / "feedback" / "honest" / MODULE / f"{MODULE}.html").read_text()
    text = html.unescape(re.sub(r"<[^>]+>", "", page))  # code is syntax-highlighted into many spans
    assert "BEGIN HIDDEN TESTS" not in text
    assert not re.search(r"\.grade\((?:\w+, )?hidden=\d+", text), "hidden test seeds leaked into the feedback"
    assert "Tests on inputs you have not seen" in page
    for cell in read_test_cells(graded["source"]).values():
        assert f"hidden={cell.seed}" not in text
    # The cohort's seeds, not the notebook's, ran in the sandbox; and the honest learner still earned everything.
    executed = json.loads((root / "autograded" / "honest" / MODULE / f"{MODULE}.ipynb").read_text())
    test_sources = "".join(cell_source(c) for c in executed["cells"] if nbgrader_meta(c).get("grade"))
    assert all(f"hidden={c.seed})" not in test_sources for c in read_test_cells(graded["source"]).values())
    lines = (root / "grades" / f"{MODULE}.csv").read_text().splitlines()
    assert lines[0].startswith("learner,name,module,status,raw_score,late_penalty,score,max_score")
    full = graded["full"]
    assert any(line.startswith(f"honest,honest,{MODULE},graded,{full},0.0,{full},") for line in lines)


def released_modules():
    """The graded modules other than 00 with a source and a learner release."""
    return [
        m
        for m in module_ids()
        if m != MODULE and (SOLUTIONS / m / f"{m}.ipynb").is_file() and (COURSE / m / f"{m}.ipynb").is_file()
    ]


def test_grade_refuses_an_assignment_it_cannot_verify(tmp_path):
    # The survey has no questions to verify (and no points).
    from lepton_training.grading.run import GradingError

    root = copy_course_root(tmp_path, ["99-survey"])
    with pytest.raises(GradingError, match="no questions to verify"):
        grade_module(root, "99-survey", progress=False)


def _quiz_answers(letters):
    """Answer cells of quiz-pre choosing, per grade id, the letter ``letters(grade_id, right_letter)`` gives."""
    source, _ = source_and_release("quiz-pre")
    answers = {}
    for grade_id, code in solution_cells(source).items():
        right = re.search(r'= "([a-d])"', code).group(1)
        chosen = f"= {letters(grade_id, right)!r}"
        answers[grade_id] = re.sub(r'= "[a-d]"', lambda _, chosen=chosen: chosen, code)
    return answers


def test_quizzes_are_verified_like_modules(tmp_path):
    """Another spelling of the right letter earns it; a wrong letter does not; a forged check earns nothing."""
    sandbox_or_skip()
    root = copy_course_root(tmp_path, ["quiz-pre"])
    _, release = source_and_release("quiz-pre")
    wrong = {"a": "b", "b": "c", "c": "d", "d": "a"}
    honest = _quiz_answers(lambda grade_id, right: f" {right.upper()} ")
    half = _quiz_answers(lambda grade_id, right: right if grade_id.startswith(("00", "01", "02")) else wrong[right])
    forged = _quiz_answers(lambda grade_id, right: wrong[right])
    first = next(iter(forged))
    # The quiz's own check function, replaced by one that passes everything.
    forged[first] = (
        "import lepton_training.questions.quizzes as quizzes\nfrom lepton_training.checks import passed\n"
        "quizzes.check_hashed = lambda *args, **kwargs: passed('right')\n" + forged[first]
    )
    for learner, answers in (("honest", honest), ("half", half), ("forged", forged)):
        submit(root, "quiz-pre", learner, with_answers(release, answers))
    run = grade_module(root, "quiz-pre", jobs=2, progress=False, feedback=False)
    results = {r.learner: r for r in run.results}
    full = len(honest)
    assert (results["honest"].status, results["honest"].points, results["honest"].max_points) == ("graded", full, full)
    assert (results["half"].status, results["half"].points) == ("graded", full / 2)
    assert (results["forged"].status, results["forged"].points) == ("graded", 0)


def test_quiz_keys_cannot_be_found_by_trying_letters_at_grading(tmp_path):
    """The sandbox holds no key: trying every letter through the quiz's own grade() learns nothing."""
    sandbox_or_skip()
    root = copy_course_root(tmp_path, ["quiz-pre"])
    _, release = source_and_release("quiz-pre")
    brute = _quiz_answers(lambda grade_id, right: "a")
    first = next(iter(brute))
    brute[first] = (
        "from lepton_training.questions.quizzes import grade\n"
        "found = {}\n"
        "for letter in 'abcd':\n"
        f"    answer_{first[:2]}_q1 = letter\n"
        f"    found[letter] = repr(grade({first[: -len('-q1-answer')]!r}, 'q1'))\n"
        "outcomes = set(found.values())\n"
        f"answer_{first[:2]}_q1 = 'a' if len(outcomes) == 1 else max(found, key=lambda k: found[k])\n"
        "print(outcomes)\n"
    )
    submit(root, "quiz-pre", "brute", with_answers(release, brute))
    run = grade_module(root, "quiz-pre", jobs=1, progress=False, feedback=False)
    executed = (root / "grading-log" / "quiz-pre" / "brute.ipynb").read_text()
    assert "{'Answer recorded for grading.'}" in executed, "the four letters gave different outcomes"
    (result,) = run.results
    assert result.status == "graded"


def test_a_run_that_cannot_grade_writes_nothing(tmp_path, monkeypatch):
    """A kernel that cannot import the course package: the instructor's notebook is checked first, nobody is hurt."""
    sandbox_or_skip()
    from nbgrader.api import Gradebook

    from lepton_training.grading import run as run_module
    from lepton_training.grading import view

    root = copy_course_root(tmp_path, [MODULE])
    source, release = source_and_release()
    submit(root, MODULE, "learner", with_answers(release, solution_cells(source)))
    first = grade_module(root, MODULE, jobs=1, progress=False, feedback=False)
    assert first.results[0].points == sum(c.points for c in read_test_cells(source).values())
    before = (root / "autograded" / "learner" / MODULE / f"{MODULE}.ipynb").read_bytes()

    build_view = view.build_view

    def broken_view(module_id, destination):
        package = build_view(module_id, destination)
        shutil.rmtree(package / "questions")
        return package

    monkeypatch.setattr(view, "build_view", broken_view)
    with pytest.raises(run_module.GradingError, match="instructor's own notebook earns 0 of"):
        grade_module(root, MODULE, jobs=1, progress=False, feedback=False)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course_id="lepton-training") as gb:
        scores = {s.student.id: s.score for s in gb.assignment_submissions(MODULE)}
    assert scores == {"learner": first.results[0].points}
    assert (root / "autograded" / "learner" / MODULE / f"{MODULE}.ipynb").read_bytes() == before


#: Answers that call the course's own implementation, by module: answer cell -> code. They must earn nothing.
SHORTCUTS = {
    "02-model-optimization": {
        "q1-answer": "from lepton_training import optimization as o\n"
        "def logistic_loss_and_gradient(w, X, y, alpha):\n    return o.logistic_loss_and_gradient(w, X, y, alpha)\n",
        "q2-answer": "import importlib\nf = getattr(importlib.import_module('lepton_training.optimization'), "
        "'gradient_descent')\ndef gradient_descent(X, y, learning_rate, n_steps, tol):\n"
        "    return f(X, y, learning_rate, n_steps, tol)\n",
    },
    # Not a shortcut but the mistake a fixed case exists for: truncating a solver's 65.99999999 (05 q5). The
    # sandbox calls the function under the same solver condition as the test does, so it still loses points.
    "05-recruitment-lp": {
        "q5-answer": "from scipy.optimize import Bounds, LinearConstraint, milp as solve_milp\n"
        "def whole_candidate_plan(channels, target):\n"
        "    cost = channels['cost'].to_numpy(dtype=float)\n"
        "    rate = channels['hire_rate'].to_numpy(dtype=float)\n"
        "    res = solve_milp(cost, integrality=np.ones(len(cost)),\n"
        "                     bounds=Bounds(0, channels['capacity'].to_numpy(dtype=float)),\n"
        "                     constraints=LinearConstraint(rate, target, np.inf))\n"
        "    return res.x.astype(int)\n",
    },
    "03-feature-engineering": {
        "q4-answer": "from lepton_training.features import talent_model\n"
        "def fit_and_score(train, test):\n    model = talent_model().fit(train, train['outcome'] == 'hired')\n"
        "    return model.predict_proba(test)[:, 1]\n",
    },
}


@pytest.mark.parametrize("module_id", released_modules())
def test_other_modules_grade_their_solutions_in_full(tmp_path, module_id):
    """The solution earns every point; an answer that calls the course's implementation earns nothing, flagged."""
    sandbox_or_skip()
    root = copy_course_root(tmp_path, [module_id])
    source, release = source_and_release(module_id)
    submit(root, module_id, "honest", with_answers(release, solution_cells(source)))
    shortcuts = SHORTCUTS.get(module_id, {})
    if shortcuts:
        submit(root, module_id, "shortcut", with_answers(release, {**solution_cells(source), **shortcuts}))
    run = grade_module(root, module_id, jobs=1, progress=False, feedback=False)
    cells = read_test_cells(source)
    full = sum(c.points for c in cells.values())
    results = {r.learner: r for r in run.results}
    assert results["honest"].status == "graded", run.summary()
    assert results["honest"].points == pytest.approx(full)
    if module_id == "05-recruitment-lp":
        mistake = results["shortcut"]
        q5 = cells["q5-tests"].points
        assert full - q5 < mistake.points < full, run.summary()
        assert not mistake.evidence, mistake.evidence
    elif shortcuts:
        lost = sum(cells[a.replace("-answer", "-tests")].points for a in shortcuts)
        shortcut = results["shortcut"]
        assert shortcut.status == "flagged", run.summary()
        # A later answer built on a shortcut (02's q3 uses the learner's q1) cannot run without it either.
        assert shortcut.points <= full - lost + 1e-9, run.summary()
        assert all("course's own implementation" in e for e in shortcut.evidence), shortcut.evidence
        flagged = {e.split(":")[0] for e in shortcut.evidence}
        assert {a.split("-")[0] for a in shortcuts} <= flagged, shortcut.evidence
    shutil.rmtree(tmp_path, ignore_errors=True)
