"""A grade run that is stopped half-way: killed outright (out of memory, a lost machine) or asked to stop.

Either way every learner is graded or not graded in the gradebook, never half-written; nothing the run started
keeps running; and the next run grades everybody.
"""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from conftest import COURSE, SOLUTIONS, cell_source, copy_course_root, is_ci, nbgrader_meta, submit, with_answers

from lepton_training.grading.sandbox import sandbox_problem

pytestmark = pytest.mark.slow

MODULE = "00-orientation"
LEARNERS = [f"learner{i}" for i in range(5)]
SLOW_SECONDS = 12


@pytest.fixture
def course(tmp_path):
    problem = sandbox_problem()
    if problem:
        if is_ci():
            pytest.fail(f"the grading sandbox cannot run here: {problem}")
        pytest.skip(f"the grading sandbox cannot run here: {problem}")
    root = copy_course_root(tmp_path, [MODULE])
    # A scratch folder of this test's own, so that what the run leaves behind can be found.
    scratch = Path(tempfile.mkdtemp(prefix="lgt-", dir="/tmp"))
    with (root / "jupyter_config.py").open("a") as config:
        config.write(f"\nc.LeptonGrading.scratch_dir = {str(scratch)!r}\n")
    source = json.loads((SOLUTIONS / MODULE / f"{MODULE}.ipynb").read_text())
    release = json.loads((COURSE / MODULE / f"{MODULE}.ipynb").read_text())
    answers = {
        nbgrader_meta(c)["grade_id"]: cell_source(c) for c in source["cells"] if nbgrader_meta(c).get("solution")
    }
    for learner in LEARNERS:
        submit(root, MODULE, learner, with_answers(release, answers))
    # The second learner's notebook takes a while, so the stop lands while its kernel runs (jobs=1, in order).
    first = next(iter(answers))
    slow = dict(answers, **{first: f"import time\ntime.sleep({SLOW_SECONDS})\n" + answers[first]})
    shutil.rmtree(root / "submitted" / LEARNERS[1])
    submit(root, MODULE, LEARNERS[1], with_answers(release, slow))
    yield root, scratch
    shutil.rmtree(scratch, ignore_errors=True)


def start_grading(root, env):
    cli = shutil.which("lepton-training", path=env["PATH"])
    command = [cli, "grade", MODULE, "--root", str(root), "--jobs", "1"]
    return subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_first_learner(proc):
    """Read the progress lines until the first learner is written to the gradebook."""
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if f"] 1/{len(LEARNERS)} " in line:
            return
    pytest.fail("the run ended before its first learner was graded:\n" + "".join(lines)[-3000:])


def processes_mentioning(*paths):
    """Processes whose command line names one of the paths: the run's children, kernels and sandboxes."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (proc / "stat").read_text().split(") ")[-1][:1]
        except OSError:
            continue
        if state != "Z" and any(str(p) in cmdline for p in paths):
            try:
                status = dict(
                    line.split(":\t", 1) for line in (proc / "status").read_text().splitlines() if ":\t" in line
                )
                about = f"state {status.get('State')}, parent {status.get('PPid')}"
            except OSError:
                about = "gone"
            found.append(f"{proc.name} ({about}): {cmdline[:160]}")
    return found


def wait_until_gone(*paths, seconds=5):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = processes_mentioning(*paths)
        if not left:
            return []
        time.sleep(0.5)
    return left


def gradebook_state(root):
    """The module's grade cells, and learner -> (grades written, grades with a score), read with nbgrader's API."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course_id="lepton-training") as gb:
        cells = sum(len(nb.grade_cells) for nb in gb.find_assignment(MODULE).notebooks)
        state = {}
        for submission in gb.assignment_submissions(MODULE):
            grades = [g for nb in submission.notebooks for g in nb.grades]
            state[submission.student.id] = (len(grades), sum(g.auto_score is not None for g in grades))
    return cells, state


def assert_whole(root):
    cells, state = gradebook_state(root)
    half = {learner: counts for learner, counts in state.items() if counts != (cells, cells)}
    assert not half, f"half-written learners (grades written, scored; of {cells}): {half}"
    return state


def regrade_everybody(root, env):
    proc = start_grading(root, env)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, out[-2000:] + err[-3000:]
    state = assert_whole(root)
    assert sorted(state) == LEARNERS, out
    rows = (root / "grades" / f"{MODULE}.csv").read_text().splitlines()
    assert len(rows) == 1 + len(LEARNERS), rows


def test_a_killed_run_leaves_every_learner_graded_or_not_and_nothing_running(course, jupyter_env):
    root, scratch = course
    proc = start_grading(root, jupyter_env)
    try:
        wait_for_first_learner(proc)
        proc.kill()  # as the out-of-memory killer would: no handler runs
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    left = wait_until_gone(root, scratch)
    assert not left, f"still running after the run was killed: {left}"
    # The run's watchdog removed what the run could not.
    assert not any(scratch.iterdir()), list(scratch.iterdir())
    state = assert_whole(root)
    assert 1 <= len(state) < len(LEARNERS), f"the kill did not land half-way: {sorted(state)}"
    regrade_everybody(root, jupyter_env)


def test_a_run_asked_to_stop_stops_its_kernels_and_cleans_up(course, jupyter_env):
    root, scratch = course
    proc = start_grading(root, jupyter_env)
    try:
        wait_for_first_learner(proc)
        proc.send_signal(signal.SIGTERM)  # a Kubernetes Job being stopped, `kill`, a logout
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode != 0
    assert "stopped" in err, err[-2000:]
    left = wait_until_gone(root, scratch)
    assert not left, f"still running after the run was stopped: {left}"
    assert not any(scratch.iterdir()), list(scratch.iterdir())
    state = assert_whole(root)
    assert 1 <= len(state) < len(LEARNERS), sorted(state)
    regrade_everybody(root, jupyter_env)
