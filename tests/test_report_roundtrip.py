"""The results report end to end on a real nbgrader course: event records, survey, quizzes, gradebook, browser.

In a temporary course root with module 00, the survey and the two quizzes: nbgrader generate_assignment; learner
notebooks run in a real kernel (nbclient) the way a learner runs them (a wrong answer checked, a hint opened, the
right answer checked; the survey's typed fallback; quiz letters); nbgrader autograde (stock, unsandboxed: the
report reads the gradebook whichever grader filled it); then `build_report` and the page opened in Debian's
Chromium, with every request recorded and any that leaves the machine failing the test.

Proves: the event record travels in the submitted notebook and never changes a score (a learner with the record
turned off gets the same points); the survey's answers and the quiz scores reach the report; the learning gain is
computed from the quizzes; the page loads nothing from outside and reads in light and dark.
Set LEPTON_REPORT_SCREENSHOT=<file.png> to keep the screenshot (docs/images/report.png is made that way).
"""

import json
import os
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    REPO,
    SOLUTIONS,
    cell_source,
    copy_course_root,
    isolated_jupyter_env,
    nbgrader,
    nbgrader_meta,
    playwright_or_skip,
    submit,
)

from lepton_training.exercises import EVENTS_ENV
from lepton_training.questions import orientation

# Its tests share one graded course (a module-scoped fixture): one pytest worker grades it once (`--dist loadgroup`).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("report_roundtrip")]

MODULE = "00-orientation"
ASSIGNMENTS = [MODULE, "99-survey", "quiz-pre", "quiz-post"]


def _code(source, cell_id):
    cell = nbformat.v4.new_code_cell(source, id=cell_id)
    return cell


def _run(nb, cwd, env):
    from nbclient import NotebookClient

    nb = nbformat.reads(json.dumps(nb), as_version=4)  # joins list-of-lines sources
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}).execute(env=env)
    return nb


def _module_notebook(release, solutions):
    """The release with the solutions in, and a learner's detour on q1: a percentage checked, a hint, then the fix."""
    nb = json.loads(json.dumps(release))
    cells = []
    for cell in nb["cells"]:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if grade_id in solutions:
            cell["source"] = solutions[grade_id]
        if grade_id == "q1-answer":
            cells += [
                _code("def completion_rate(enrolled, completed):\n    return 100 * completed / enrolled", "x-wrong"),
                _code("q1.check()", "x-check"),
                _code("q1.hint()", "x-hint"),
            ]
        cells.append(cell)
    nb["cells"] = cells
    return nb


def _with_cell(nb, cell_id, source):
    nb = json.loads(json.dumps(nb))
    for cell in nb["cells"]:
        if cell.get("id") == cell_id or nbgrader_meta(cell).get("grade_id") == cell_id:
            cell["source"] = source
    return nb


@pytest.fixture(scope="module")
def course(tmp_path_factory, matplotlib_config):
    root = copy_course_root(tmp_path_factory.mktemp("course"), ASSIGNMENTS)
    env = isolated_jupyter_env(root.parent, matplotlib_config, event_record=True)
    for name in ASSIGNMENTS:
        done = nbgrader(root, env, "generate_assignment", name, "--force")
        assert done.returncode == 0, done.stderr[-3000:]
    release = {n: json.loads((root / "course" / n / f"{n}.ipynb").read_text()) for n in ASSIGNMENTS}
    source = json.loads((SOLUTIONS / MODULE / f"{MODULE}.ipynb").read_text())
    solutions = {
        nbgrader_meta(c)["grade_id"]: cell_source(c) for c in source["cells"] if nbgrader_meta(c).get("solution")
    }

    # Module 00: ada works with the event record on, bob with it off; both end with the right answers.
    learner_nb = _module_notebook(release[MODULE], solutions)
    work = root / "work"
    work.mkdir()
    ran = {"ada": _run(learner_nb, work, env), "bob": _run(learner_nb, work, {**env, EVENTS_ENV: "0"})}
    for learner, nb in ran.items():
        submit(root, MODULE, learner, nbformat.writes(nb))

    # The survey, through its typed fallback (as on a front end without widgets).
    survey = {
        "ada": '{"00-orientation": 5}, {"00-orientation": "The examples were really helpful and clear."}',
        "bob": '{"00-orientation": 2}, {"course": "The pace was too fast and the exercises were confusing."}',
    }
    for learner, args in survey.items():
        nb = _with_cell(release["99-survey"], "fallback", f"survey.record({args})")
        submit(root, "99-survey", learner, nbformat.writes(_run(nb, work, env)))

    # Quizzes: letters typed in the answer cells; carol takes the pre-course quiz only (a dropout).
    quiz_source = json.loads((SOLUTIONS / "quiz-pre" / "quiz-pre.ipynb").read_text())
    keys = {
        nbgrader_meta(c)["grade_id"]: cell_source(c).splitlines()[1]
        for c in quiz_source["cells"]
        if nbgrader_meta(c).get("solution")
    }
    wrong = {gid: line.split("=")[0] + '= "z"' for gid, line in keys.items()}
    half = {gid: (keys[gid] if i % 2 else wrong[gid]) for i, gid in enumerate(keys)}
    plan = {"quiz-pre": {"ada": wrong, "bob": half, "carol": wrong}, "quiz-post": {"ada": keys, "bob": keys}}
    for name, learners in plan.items():
        for learner, answers in learners.items():
            nb = release[name]
            for gid, line in answers.items():
                nb = _with_cell(nb, gid, line)
            submit(root, name, learner, nb)

    for name in ASSIGNMENTS:
        done = nbgrader(root, env, "autograde", name, "--create")
        assert done.returncode == 0, (name, done.stderr[-3000:])
    return root


def test_event_record_travels_and_never_changes_a_score(course):
    from nbgrader.api import Gradebook

    from lepton_training.report.events import read_events

    events = read_events(course / "submitted" / "ada" / MODULE / f"{MODULE}.ipynb")
    q1 = [e for e in events if e["q"] == "00-orientation:q1"]
    kinds = [e["e"] if e["e"] == "hint" else e["status"] for e in q1]
    # The percentage was checked (the notebook's own cells may check it once more), then a hint, then the pass.
    assert kinds[0] == "incorrect" and kinds.index("hint") < kinds.index("passed")
    assert q1[0]["verdict"] == "incorrect: this looks like a percentage; return a fraction"
    assert not read_events(course / "submitted" / "bob" / MODULE / f"{MODULE}.ipynb"), "the record was off for bob"
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id="lepton-training") as gb:
        scores = {s.student.id: s.score for s in gb.assignment_submissions(MODULE)}
        quiz = {s.student.id: s.score for s in gb.assignment_submissions("quiz-post")}
    total = orientation.exercises.total_points
    assert scores == {"ada": pytest.approx(total), "bob": pytest.approx(total)}
    assert quiz == {"ada": 18, "bob": 18}


def test_report_reads_gradebook_events_survey_and_quizzes(course, tmp_path):
    from lepton_training.report import build_report

    report = build_report(course, out=tmp_path)
    assert report.modules == [MODULE]
    csv = pd.read_csv(report.csv_path)

    def value(section, module, item, metric):
        rows = csv[(csv.section == section) & (csv.module.fillna("") == module) & (csv["item"].fillna("") == item)]
        return rows.loc[rows.metric == metric, "value"].iloc[0]

    from lepton_training.report.events import read_events

    q1 = [e for e in read_events(course / "submitted" / "ada" / MODULE / f"{MODULE}.ipynb") if e["q"].endswith("q1")]
    # Only checks of ada's own answer are attempts: the notebook's demo cell (`"own": false`) is left out.
    checks = [e["status"] for e in q1 if e["e"] == "check" and e["own"]]
    assert checks == ["incorrect", "passed"]
    assert float(value("events", MODULE, "00-orientation:q1", "attempts_to_pass")) == 2
    assert int(value("events", MODULE, "00-orientation:q1", "other_checks")) == 1
    assert float(value("events", MODULE, "00-orientation:q1", "hint_level")) == 1
    assert float(value("survey", MODULE, "", "mean_rating")) == 3.5
    assert 0 < float(value("survey", "", "sentiment_model", "error_rate")) < 0.5
    assert int(value("learning_gain", MODULE, "", "pairs")) == 2  # carol, without a post-course quiz, is left out
    assert float(value("learning_gain", MODULE, "", "gain")) > 0.5


def test_report_page_in_chromium(course, tmp_path):
    sync_playwright = playwright_or_skip()
    from lepton_training.report import build_report

    # Built here too, so that this test never depends on which test ran before it on which worker.
    page_path = build_report(course, out=tmp_path / "report").html_path
    requests = []
    shot = Path(os.environ.get("LEPTON_REPORT_SCREENSHOT") or tmp_path / "report.png")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            backgrounds = {}
            for scheme in ("light", "dark"):
                page = browser.new_page(color_scheme=scheme, viewport={"width": 1100, "height": 1400})
                page.on("request", lambda request: requests.append(request.url))
                page.goto(page_path.as_uri(), wait_until="load")
                backgrounds[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
                assert page.evaluate("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")
                assert page.locator("h1").inner_text() == "Lepton Training: results report"
                if scheme == "light":
                    shot.parent.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(shot), full_page=False)
                page.close()
        finally:
            browser.close()
    outside = [u for u in requests if not u.startswith(("file:", "data:"))]
    assert not outside, f"the report requested {outside}"
    assert backgrounds["light"] != backgrounds["dark"]
    assert shot.stat().st_size > 10_000
    assert REPO.exists()
