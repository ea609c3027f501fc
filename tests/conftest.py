"""Shared helpers of the test suite: where things are, and reading notebooks."""

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from lepton_training.exercises import EVENTS_ENV

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = REPO / "solutions"
COURSE = REPO / "course"


def module_ids():
    """The graded modules of course.toml that have a source notebook, in course order.

    Other folders of solutions/ (the survey 99-survey, the quizzes quiz-pre and quiz-post) are not graded modules:
    they have no objectives in course.toml, and their own tests (tests/test_survey.py, tests/test_quizzes.py).
    """
    from lepton_training.manifest import load_course

    graded = {m.id for m in load_course().modules}
    return sorted(p.name for p in SOLUTIONS.iterdir() if p.name in graded and (p / f"{p.name}.ipynb").exists())


def load_notebook(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def cell_source(cell):
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def nbgrader_meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def is_ci():
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def matplotlib_config(tmp_path_factory):
    """A matplotlib config folder whose font cache is already built.

    Matplotlib builds its font cache on first import in a fresh config folder and, when that takes over 5 s (a
    loaded machine), writes "Matplotlib is building the font cache" to stderr: a notebook's first plotting
    cell then differs from its stored output. Built once per test session, outside any notebook.
    """
    import subprocess

    folder = tmp_path_factory.mktemp("matplotlib")
    env = {**os.environ, "MPLCONFIGDIR": str(folder)}
    subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], env=env, check=True, timeout=300)
    return folder


def isolated_jupyter_env(folder, matplotlib_config, *, event_record=False):
    """Return an environment for Jupyter subprocesses that writes nothing into the home directory.

    ``folder`` receives the Jupyter and IPython folders. With ``event_record`` the learner's event record of
    ``check()`` and ``hint()`` is on, as in a learner's session, and no gradebook or nbgrader setting leaks in.
    """
    env = dict(os.environ)
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        path = folder / name.lower()
        path.mkdir(exist_ok=True)
        env[name] = str(path)
    env["MPLCONFIGDIR"] = str(matplotlib_config)
    # The environment's own commands (nbgrader, jupyter, lepton-training) first, activated or not.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.pop("JUPYTER_CONFIG_PATH", None)
    if event_record:
        for name in ("LEPTON_GRADEBOOK_URL", EVENTS_ENV, "NBGRADER_EXECUTION"):
            env.pop(name, None)
    else:
        # The learner's event record (timestamps, session ids) would make every run's check() outputs differ from
        # the stored ones; solutions/ are executed with it off too (docs/authoring.md).
        env[EVENTS_ENV] = "0"
        env["JUPYTER_PLATFORM_DIRS"] = "1"
    return env


@pytest.fixture
def jupyter_env(tmp_path, matplotlib_config):
    """Environment for Jupyter subprocesses that writes nothing into the home directory."""
    return isolated_jupyter_env(tmp_path, matplotlib_config)


def copy_course_root(destination, modules):
    """A course root for nbgrader: the configuration and the given modules' sources."""
    for name in ("jupyter_config.py", "nbgrader_config.py"):
        shutil.copy(REPO / name, destination / name)
    for module in modules:
        shutil.copytree(SOLUTIONS / module, destination / "solutions" / module)
    return destination


# --- nbgrader round trips (tests/test_roundtrip*.py) --------------------------------------------------------------


def nbgrader(root, env, *args):
    """Run an nbgrader command in a course root."""
    import subprocess

    command = ["nbgrader", *args, f"--CourseDirectory.root={root}"]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=900)


def hidden_seeds(source_nb):
    """Question id -> seed of its hidden tests, read from the instructor notebook's test cells."""
    import re

    seeds = {}
    for cell in source_nb["cells"]:
        match = re.search(r"\b(q\d+)\.grade\((?:\w+, )?hidden=(\d+)\)", cell_source(cell))
        if match:
            seeds[match.group(1)] = int(match.group(2))
    return seeds


def with_answers(release_nb, answers):
    """A copy of the learner release whose answer cells (by grade id) hold the given sources."""
    nb = json.loads(json.dumps(release_nb))
    for cell in nb["cells"]:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if grade_id in answers:
            cell["source"] = answers[grade_id]
    return nb


def expected_points(answers, source_nb, exercises):
    """Grade the answers with the question definitions directly, as the test cells will."""
    namespace = {}
    setup = next(c for c in source_nb["cells"] if c.get("id") == "setup")
    exec(cell_source(setup), namespace)
    for code in answers.values():
        exec(code, namespace)
    seeds = hidden_seeds(source_nb)
    return sum(q.grade(namespace[q.answer_name], hidden=seeds[q.id]).points for q in exercises)


def submit(root, module, student, nb_json):
    """Place a submission where nbgrader autograde looks for it."""
    folder = root / "submitted" / student / module
    folder.mkdir(parents=True)
    (folder / f"{module}.ipynb").write_text(nb_json if isinstance(nb_json, str) else json.dumps(nb_json))
    (folder / "timestamp.txt").write_text("2026-11-23 09:00:00.000000 UTC")


# --- real Chromium (tests/test_browser*.py, tests/test_report_roundtrip.py) --------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
# Debian's Chromium as root, headless, with nothing that calls home (the machine's network is closed).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def playwright_or_skip():
    """Return Playwright's `sync_playwright`, or skip (fail on CI) when it or Chromium is missing."""
    reasons = []
    if not CHROMIUM.exists():
        reasons.append(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
        reasons.append("the playwright package is missing (pip install playwright, or the `test` extra)")
    if reasons:
        reason = "browser test needs Chromium and Playwright: " + "; ".join(reasons)
        if is_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    return sync_playwright


def free_port():
    """A TCP port on loopback that nothing listens on now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
