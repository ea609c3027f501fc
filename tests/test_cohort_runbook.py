"""docs/cohort.md followed end to end: every shell block run in order, in a fresh course folder, with a mixed cohort.

The cohort: a JupyterHub learner who submits through nbgrader's exchange (the hub's own learner configuration), and
Colab uploads: an answered notebook saved by Colab (no cell ids, a figure), a macOS (NFD) name with spaces and an
accent, two uploads by one learner (the second one late), a file that is not JSON, a nameless "Copy of" file;
and a learner of the roster who submits nothing. Real nbgrader, real kernels in the grading sandbox.
"""

import csv
import json
import re
import shutil
import subprocess
import unicodedata

import pytest
from conftest import COURSE, REPO, SOLUTIONS, copy_course_root, isolated_jupyter_env

MODULE = "00-orientation"
RUNBOOK = REPO / "docs" / "cohort.md"
BLOCK = re.compile(r"^```(\w+)(?: +(\S+))?\n(.*?)^```", re.MULTILINE | re.DOTALL)

pytestmark = pytest.mark.slow


def runbook_blocks():
    """(language, file name or None, text) of every fenced block of the runbook, in order."""
    return [(m.group(1), m.group(2), m.group(3)) for m in BLOCK.finditer(RUNBOOK.read_text(encoding="utf-8"))]


def _colab_answered():
    """The release answered with the instructor's code and its outputs, saved as Colab saves it: no cell ids."""
    release = json.loads((COURSE / MODULE / f"{MODULE}.ipynb").read_text(encoding="utf-8"))
    source = json.loads((SOLUTIONS / MODULE / f"{MODULE}.ipynb").read_text(encoding="utf-8"))
    by_id = {c.get("id"): c for c in source["cells"]}
    for cell in release["cells"]:
        mine = by_id.get(cell.get("id"))
        if mine is not None and cell["cell_type"] == "code":
            if cell["metadata"].get("nbgrader", {}).get("solution"):
                cell["source"] = mine["source"]
            cell["outputs"], cell["execution_count"] = mine.get("outputs", []), mine.get("execution_count")
    for cell in release["cells"]:
        cell.pop("id", None)
    release["nbformat_minor"] = 0
    assert any("image/png" in o.get("data", {}) for c in release["cells"] for o in c.get("outputs", []))
    return json.dumps(release)


def _uploads(root):
    folder = root / "uploads"
    folder.mkdir()
    release = (COURSE / MODULE / f"{MODULE}.ipynb").read_text(encoding="utf-8")
    (folder / f"alice_{MODULE}.ipynb").write_text(_colab_answered(), encoding="utf-8")
    (folder / unicodedata.normalize("NFD", f"Ingrid Müller_{MODULE}.ipynb")).write_text(release, encoding="utf-8")
    (folder / f"bob_{MODULE}.ipynb").write_text(release, encoding="utf-8")
    (folder / f"bob_{MODULE} (1).ipynb").write_text(_colab_answered(), encoding="utf-8")
    (folder / f"carla_{MODULE}.ipynb").write_text('{"cells": [', encoding="utf-8")
    (folder / f"Copy of {MODULE}.ipynb").write_text(release, encoding="utf-8")


def _hub_learner_submits(root, env, exchange):
    """hubann fetches and submits in their own home with the hub's learner configuration (deploy/jupyter/learner)."""
    home = root.parent / "home" / "hubann"
    home.mkdir(parents=True)
    learner = {
        **env,
        "HOME": str(home),
        "JUPYTER_CONFIG_PATH": str(REPO / "deploy" / "jupyter" / "learner"),
        "JUPYTERHUB_USER": "hubann",
        "LEPTON_EXCHANGE": str(exchange),
    }
    for command in (["nbgrader", "fetch_assignment", MODULE], ["nbgrader", "submit", MODULE]):
        done = subprocess.run(command, cwd=home, env=learner, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture
def cohort_root(tmp_path, matplotlib_config):
    root = tmp_path / "course-root"
    root.mkdir()
    copy_course_root(root, [MODULE])
    shutil.copytree(COURSE / MODULE, root / "course" / MODULE)
    exchange = tmp_path / "exchange"
    exchange.mkdir(mode=0o1777)
    # The instructor's side of the hub: nbgrader's exchange (deploy/jupyter/instructor sets the same setting).
    hub_config = tmp_path / "hub-config"
    hub_config.mkdir()
    (hub_config / "jupyter_config.py").write_text(
        "c = get_config()\nc.Exchange.root = "
        + repr(str(exchange))
        + "\nc.CourseDirectory.course_id = 'lepton-training'\n"
    )
    env = isolated_jupyter_env(tmp_path, matplotlib_config)
    env["JUPYTER_CONFIG_PATH"] = str(hub_config)
    env.pop("LEPTON_GRADEBOOK_URL", None)
    return root, env, exchange


def test_the_runbook_runs_end_to_end_with_a_mixed_cohort(cohort_root):
    root, env, exchange = cohort_root
    outputs = {}
    for language, name, text in runbook_blocks():
        if name:
            (root / name).write_text(text, encoding="utf-8")
            continue
        if language != "sh":
            continue
        for line in text.splitlines():
            command = line.split("  #")[0].strip()
            if not command:
                continue
            if command.startswith("nbgrader collect"):
                _hub_learner_submits(root, env, exchange)
            if command.startswith("lepton-training collect"):
                _uploads(root)
            done = subprocess.run(
                ["bash", "-c", command], cwd=root, env=env, capture_output=True, text=True, timeout=1200
            )
            expected = 1 if "# exits 1" in line else 0
            assert done.returncode == expected, f"{command}\n{done.stdout}\n{done.stderr}"
            outputs.setdefault(command.split(" --")[0], done.stdout + done.stderr)

    collected = outputs["lepton-training collect 00-orientation"]
    assert f"the file name 'Copy of {MODULE}.ipynb' carries no learner name: learners must name" in collected
    assert "carla_00-orientation.ipynb is not a notebook: it is not valid JSON" in collected
    assert f"bob_{MODULE} (1).ipynb is the submission, the newer by the upload times of the times file" in collected
    assert "Submission times: uploads.csv." in collected
    assert (root / "submitted" / "hubann" / MODULE / "submission_secret.txt").is_file()  # through the exchange

    graded = outputs["lepton-training grade 00-orientation"]
    assert "Preparing" in graded and "writing the feedback pages" in graded

    rows = {r["learner"]: r for r in csv.DictReader((root / "grades" / f"{MODULE}.csv").open(encoding="utf-8"))}
    assert set(rows) == {"hubann", "alice", "ingrid", "bob", "carla", "dave"}
    assert (rows["dave"]["status"], rows["dave"]["name"]) == ("missing", "Dave Okafor")
    assert rows["carla"]["status"] == "missing"
    # bob's second upload came 1.5 h after the due date; his 1-hour extension leaves him 0.5 h late.
    assert rows["bob"]["late"] == "True" and rows["bob"]["hours_late"] == "0.5"
    assert rows["alice"]["late"] == "False" and float(rows["alice"]["score"]) > 0
    assert {"q1-tests", "q2-tests", "q3-tests", "q4-tests"} <= set(rows["alice"])
    every = list(csv.DictReader((root / "grades" / "all-modules.csv").open(encoding="utf-8")))
    assert len([r for r in every if r["module"] == MODULE]) == 6

    page = (root / "feedback" / "alice" / MODULE / f"{MODULE}.html").read_text(encoding="utf-8")
    assert "<img" in page, "the learner's figure is not in the feedback"
    assert not re.search(r"<script[^>]*src=[\"']?(https?:)?//", page)
    assert ">Test cell</a>" not in page and ">q2 · Mean rating</a>" in page
    for folder in ("feedback", "grading-log"):
        for path in (root / folder).rglob("*"):
            if path.is_file():
                assert "Fontconfig" not in path.read_text(encoding="utf-8", errors="replace"), path

    delivered = outputs["lepton-training feedback 00-orientation"]
    assert "Released through the hub's exchange to 1 learner(s) (hubann)" in delivered
    assert list((exchange / "lepton-training" / "feedback").glob("*.html"))
    mail = list(csv.DictReader((root / "outbox" / MODULE / "mail-merge.csv").open(encoding="utf-8")))
    assert {(r["learner"], r["email"]) for r in mail} == {
        ("alice", "alice@example.com"),
        ("ingrid", "ingrid@example.com"),
        ("bob", "bob@example.com"),
    }
    assert all((root / "outbox" / MODULE / r["file"]).is_file() for r in mail)
    assert (root / "outbox" / f"{MODULE}.zip").is_file()

    report = (root / "reports" / "report.html").read_text(encoding="utf-8")
    # Learners of the roster who submitted nothing are at risk, by name.
    risk = report[report.index('id="risk"') :]
    assert "Dave Okafor (dave)" in risk and "Carla Diaz (carla)" in risk
    assert list((root / "backups").glob("gradebook-*.db")) and list((root / "backups").glob("cohort-*.tar.gz"))

    # Nothing of the cohort can be committed: every file it made is ignored by the repository's .gitignore.
    course_files = {"jupyter_config.py", "nbgrader_config.py", "solutions", "course"}
    made = [
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and p.relative_to(root).parts[0] not in course_files
    ]
    assert "gradebook.db" in made and "roster.csv" in made
    check = subprocess.run(
        ["git", "check-ignore", "--no-index", "--stdin", "-v", "-n"],
        cwd=REPO,
        input="\n".join(made),
        capture_output=True,
        text=True,
    )
    not_ignored = [line.split("\t")[1] for line in check.stdout.splitlines() if line.startswith("::")]
    assert not not_ignored, f"a commit could publish: {not_ignored}"
