"""Every notebook runs under nbval in a real kernel: the instructor's with strict output comparison, the
learner release with its answer stubs; and on the learner release every graded test fails as it should."""

import json
import subprocess
import sys

import pytest
from conftest import COURSE, REPO, SOLUTIONS, module_ids

pytestmark = pytest.mark.slow


def run_nbval(notebook, env, *extra):
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--nbval-current-env",
        "--nbval-sanitize-with",
        str(REPO / "tests" / "nbval_sanitize.cfg"),
        *extra,
        str(notebook),
    ]
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"nbval failed on {notebook.relative_to(REPO)}:\n{result.stdout[-6000:]}"
    return result


@pytest.mark.parametrize("module_id", module_ids())
def test_instructor_notebook_outputs_are_reproduced(module_id, jupyter_env):
    run_nbval(SOLUTIONS / module_id / f"{module_id}.ipynb", jupyter_env, "--nbval")


@pytest.mark.parametrize("module_id", module_ids())
def test_learner_notebook_runs_with_its_stubs(module_id, jupyter_env):
    # Outputs are cleared in the release, so only errors count, and none is allowed: no cell is tagged
    # raises-exception, so an unanswered notebook runs from top to bottom as Colab's Run all needs.
    run_nbval(COURSE / module_id / f"{module_id}.ipynb", jupyter_env, "--nbval-lax")


@pytest.mark.parametrize("module_id", module_ids())
def test_learner_notebook_has_no_instructor_content(module_id):
    text = (COURSE / module_id / f"{module_id}.ipynb").read_text(encoding="utf-8")
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "hidden=", '"facilitator"'):
        assert marker not in text, f"{marker!r} leaked into the learner release of {module_id}"
    nb = json.loads(text)
    assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code"), "outputs in release"


def validate(env, *args):
    """Run `lepton-training validate`: nbgrader's validator with an honest exit status and a JSON report.

    (`nbgrader validate` itself exits 0 even when tests fail, nbgrader issue 1908.)
    """
    command = ["lepton-training", "validate", *map(str, args)]
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)


def json_report(result):
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("module_id", module_ids())
def test_every_graded_test_fails_on_the_stubs(module_id, jupyter_env):
    result = validate(jupyter_env, "--invert", "--json", COURSE / module_id / f"{module_id}.ipynb")
    assert json_report(result)["ok"] and result.returncode == 0, json_report(result)


@pytest.mark.parametrize("module_id", module_ids())
def test_instructor_notebook_validates(module_id, jupyter_env):
    result = validate(jupyter_env, "--json", SOLUTIONS / module_id / f"{module_id}.ipynb")
    assert json_report(result)["ok"] and result.returncode == 0, json_report(result)


def test_validate_reports_a_failing_notebook(jupyter_env):
    # The learner release with its stubs is *not* valid the normal way round: exit 1, failures listed.
    result = validate(jupyter_env, COURSE / "00-orientation" / "00-orientation.ipynb")
    assert result.returncode == 1
    assert "NOT OK" in result.stdout and "failed" in result.stdout


@pytest.mark.parametrize("module_id", module_ids())
def test_instructor_notebook_holds_no_run_timestamps_or_event_records(module_id):
    # Stored outputs are compared by nbval; per-cell timestamps would change the file on every run for nothing
    # (jupyter_config.py turns them off for nbconvert --execute).
    nb = json.loads((SOLUTIONS / module_id / f"{module_id}.ipynb").read_text(encoding="utf-8"))
    stamped = [c.get("id") for c in nb["cells"] if "execution" in c.get("metadata", {})]
    assert not stamped, f"cells with run timestamps in {module_id}: {stamped[:5]}"
    from lepton_training.exercises import EVENTS_MIME

    recorded = [c.get("id") for c in nb["cells"] for o in c.get("outputs", []) if EVENTS_MIME in o.get("data", {})]
    assert not recorded, f"event records in {module_id} (execute with LEPTON_EVENT_RECORD=0): {recorded[:5]}"
