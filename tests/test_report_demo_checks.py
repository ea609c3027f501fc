"""Only checks of the learner's own answer are attempts: module 00's demo cells, run in a real kernel, are left out.

Module 00 runs `q1.check(completion_rate_as_percentage)` and `q2.check(colleague_mean_rating)` to show what
feedback looks like. The learner release of module 00, with the answers filled in, is executed in a real kernel
(nbclient) with the event record on, placed in `submitted/`, and the report is built from it: the demo cells'
checks are in the record (`"own": false`), and the report leaves them out of the attempts and the wrong verdicts,
and says how many it left out.
"""

import html
import json

import nbformat
import pandas as pd
import pytest
from conftest import COURSE, SOLUTIONS, cell_source, isolated_jupyter_env, nbgrader_meta, submit

from lepton_training.report import build_report
from lepton_training.report.events import read_events
from lepton_training.report.synthetic import write_synthetic_gradebook

pytestmark = pytest.mark.slow

MODULE = "00-orientation"


def _code(source, cell_id):
    return nbformat.v4.new_code_cell(source, id=cell_id)


def _learner_notebook(detour):
    """The learner release with the solutions in; with `detour`, a percentage checked as q1 before the fix."""
    release = json.loads((COURSE / MODULE / f"{MODULE}.ipynb").read_text())
    source = json.loads((SOLUTIONS / MODULE / f"{MODULE}.ipynb").read_text())
    solutions = {
        nbgrader_meta(c)["grade_id"]: cell_source(c) for c in source["cells"] if nbgrader_meta(c).get("solution")
    }
    cells = []
    for cell in release["cells"]:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if grade_id in solutions:
            cell["source"] = solutions[grade_id]
        if grade_id == "q1-answer" and detour:
            cells += [
                _code("def completion_rate(enrolled, completed):\n    return 100 * completed / enrolled", "x-wrong"),
                _code("q1.check()", "x-check"),
            ]
        cells.append(cell)
        demo = {"s2-feedback-demo": "q1", "q2-colleague": "q2"}.get(cell.get("id"))
        if demo:  # right after a demo cell: it was not an attempt of the learner's (explain() stays closed)
            cells.append(_code(f"print({demo}._attempts)", f"x-attempts-{demo}"))
    release["cells"] = cells
    return nbformat.reads(json.dumps(release), as_version=4)


@pytest.fixture(scope="module")
def cohort(tmp_path_factory, matplotlib_config):
    from nbclient import NotebookClient

    root = tmp_path_factory.mktemp("course")
    env = isolated_jupyter_env(root.parent, matplotlib_config, event_record=True)
    work = root / "work"
    work.mkdir()
    ran = {}
    # Learner names of the synthetic gradebook, so that the report's gradebook and event records agree.
    for learner, detour in (("learner00000", False), ("learner00001", True)):
        nb = _learner_notebook(detour)
        client = NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(work)}})
        client.execute(env=env)
        submit(root, MODULE, learner, nbformat.writes(nb))
        ran[learner] = nb
    url = write_synthetic_gradebook(root / "gradebook.db", learners=3, questions=4, modules=(MODULE,), quizzes=False)
    return root, url, ran


def test_demo_cells_are_recorded_but_are_not_the_learners_attempts(cohort, tmp_path):
    root, url, ran = cohort
    for question in ("q1", "q2"):
        probe = next(c for c in ran["learner00000"].cells if c.get("id") == f"x-attempts-{question}")
        assert probe.outputs[0]["text"].strip() == "0", f"the demo cell of {question} counted as an attempt"

    events = read_events(root / "submitted" / "learner00000" / MODULE / f"{MODULE}.ipynb")
    demo = [e for e in events if e["e"] == "check" and e["own"] is False]
    assert [(e["q"], e["status"]) for e in demo] == [(f"{MODULE}:q1", "incorrect"), (f"{MODULE}:q2", "incorrect")]
    assert demo[0]["verdict"] == "incorrect: this looks like a percentage; return a fraction"
    assert all(e["own"] is True for e in events if e["e"] == "check" and e not in demo)

    report = build_report(root, db_url=url, out=tmp_path, survey=False)
    csv = pd.read_csv(report.csv_path)
    events_csv = csv[csv["section"] == "events"]

    def value(question, metric):
        rows = events_csv[(events_csv["item"] == f"{MODULE}:{question}") & (events_csv["metric"] == metric)]
        return rows["value"].iloc[0]

    # learner00000 passed at the first check of their own answer; learner00001 after one own wrong attempt.
    assert float(value("q1", "attempts_to_pass")) == 1.5
    assert float(value("q2", "attempts_to_pass")) == 1
    assert int(value("q1", "other_checks")) == 2 and int(value("q2", "other_checks")) == 2
    # The percentage mistake is counted once, for learner00001's own attempt; the demo cells' twice are left out.
    assert value("q1", "wrong_verdicts") == "incorrect: this looks like a percentage; return a fraction (1)"
    assert pd.isna(value("q2", "wrong_verdicts"))
    text = html.unescape(report.html_path.read_text(encoding="utf-8"))
    assert "Left out: 4 check(s) of something else than the learner's own answer" in text
    assert "q1 · Completion rate (2), q2 · Mean rating (2)" in text
