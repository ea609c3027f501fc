"""The one configuration (jupyter_config.py) takes effect in nbgrader, jupyter nbconvert and jupyter lab."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbformat
import pytest
from traitlets.config.loader import PyFileConfigLoader

from lepton_training.build.preprocessors import release_preprocessors
from lepton_training.cli import loader_text, main

REPO = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "source" / "demo"


def repo_config():
    """jupyter_config.py as traitlets loads it (the file is free of side effects, so loading it is safe)."""
    return PyFileConfigLoader("jupyter_config.py", path=str(REPO)).load_config()


@pytest.fixture
def env(tmp_path):
    """Environment for Jupyter subprocesses that writes nothing to the home directory."""
    home = tmp_path / "jupyter-home"
    values = dict(os.environ)
    values.pop("LEPTON_GRADEBOOK_URL", None)
    values.pop("JUPYTER_CONFIG_PATH", None)
    values.update(
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        IPYTHONDIR=str(home / "ipython"),
        # The environment's scripts (jupyter, nbgrader, alembic) need not be on PATH when pytest runs.
        PATH=os.pathsep.join([sysconfig.get_path("scripts"), os.environ.get("PATH", "")]),
    )
    return values


def script(name: str) -> str:
    return str(Path(sysconfig.get_path("scripts")) / name)


def show_config(args: list[str], env: dict[str, str], cwd: Path) -> dict:
    proc = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, check=False, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    # jupyter lab logs on stderr; the JSON is all of stdout.
    return json.loads(proc.stdout)


def test_release_chain_in_config_is_release_preprocessors():
    assert list(repo_config().GenerateAssignment.preprocessors) == release_preprocessors()


def test_config_declares_course_layout():
    config = repo_config()
    assert config.CourseDirectory.source_directory == "solutions"
    assert config.CourseDirectory.release_directory == "course"
    assert config.CourseDirectory.root == str(REPO)


@pytest.mark.slow
def test_nbgrader_in_a_copy_of_the_repo_uses_solutions_and_course(tmp_path, env):
    root = tmp_path / "repo"
    root.mkdir()
    for name in ("jupyter_config.py", "nbgrader_config.py"):
        shutil.copy(REPO / name, root / name)
    shutil.copytree(FIXTURE, root / "solutions" / "demo")

    # Plain nbgrader, as an instructor types it: no root, directory or preprocessor options.
    proc = subprocess.run(
        [script("nbgrader"), "generate_assignment", "demo"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    release = root / "course" / "demo" / "demo.ipynb"
    assert release.is_file()
    assert (root / "gradebook.db").is_file()
    nb = nbformat.read(release, as_version=4)
    # The course's preprocessors ran: they come only from jupyter_config.py.
    assert not any("facilitator" in c.metadata.get("tags", []) for c in nb.cells)
    assert any("colab-setup" in c.metadata.get("tags", []) for c in nb.cells)


def expected_values():
    config = repo_config()
    return {
        ("ExecutePreprocessor", "timeout"): config.ExecutePreprocessor.timeout,
        ("Execute", "timeout"): config.Execute.timeout,
        ("CourseDirectory", "course_id"): config.CourseDirectory.course_id,
    }


def assert_repo_config(shown: dict) -> None:
    for (section, name), value in expected_values().items():
        assert shown.get(section, {}).get(name) == value, (section, name)


@pytest.mark.slow
def test_nbconvert_and_lab_read_the_config_through_jupyter_config_path(tmp_path, env):
    env = {**env, "JUPYTER_CONFIG_PATH": str(REPO)}
    assert_repo_config(show_config([script("jupyter"), "nbconvert", "--show-config-json"], env, tmp_path))
    lab = [script("jupyter"), "lab", "--show-config-json", "--no-browser"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        lab.append("--allow-root")
    assert_repo_config(show_config(lab, env, tmp_path))


@pytest.mark.slow
def test_setup_loader_makes_nbconvert_read_the_repo_config(tmp_path, env):
    prefix = tmp_path / "prefix"
    assert main(["setup", "--prefix", str(prefix), "--root", str(REPO)]) == 0
    config_dir = prefix / "etc" / "jupyter"
    # A temporary prefix is not this interpreter's sys.prefix, so point Jupyter at its config folder; in a real
    # environment <sys.prefix>/etc/jupyter is already on the config path.
    env = {**env, "JUPYTER_CONFIG_PATH": str(config_dir)}
    assert_repo_config(show_config([script("jupyter"), "nbconvert", "--show-config-json"], env, tmp_path))


def test_default_prefix_config_folder_is_on_jupyters_config_path():
    from jupyter_core.paths import jupyter_config_path

    assert str(Path(sys.prefix) / "etc" / "jupyter") in jupyter_config_path()


def test_setup_writes_a_two_line_loader_and_is_idempotent(tmp_path, capsys):
    prefix = tmp_path / "prefix"
    assert main(["setup", "--prefix", str(prefix), "--root", str(REPO)]) == 0
    target = prefix / "etc" / "jupyter" / "jupyter_config.py"
    text = target.read_text()
    assert text == loader_text(REPO / "jupyter_config.py")
    assert len(text.splitlines()) == 2
    assert f"load_subconfig({str(REPO / 'jupyter_config.py')!r})" in text
    assert main(["setup", "--prefix", str(prefix), "--root", str(REPO)]) == 0
    assert "Already set up" in capsys.readouterr().out


def test_setup_refuses_to_overwrite_another_config_without_force(tmp_path, capsys):
    target = tmp_path / "prefix" / "etc" / "jupyter" / "jupyter_config.py"
    target.parent.mkdir(parents=True)
    target.write_text("c.ServerApp.port = 9999\n")

    assert main(["setup", "--prefix", str(tmp_path / "prefix"), "--root", str(REPO)]) == 1
    err = capsys.readouterr().err
    assert "already exists" in err
    assert "--force" in err
    assert target.read_text() == "c.ServerApp.port = 9999\n"

    assert main(["setup", "--prefix", str(tmp_path / "prefix"), "--root", str(REPO), "--force"]) == 0
    assert target.read_text() == loader_text(REPO / "jupyter_config.py")


def test_setup_needs_a_repo_config(tmp_path, capsys):
    assert main(["setup", "--prefix", str(tmp_path / "p"), "--root", str(tmp_path)]) == 1
    assert "no jupyter_config.py" in capsys.readouterr().err
    assert not (tmp_path / "p").exists()


def test_help_is_fast_and_imports_nothing_heavy():
    code = (
        "import sys; from lepton_training import cli; "
        "print(sorted(m for m in sys.modules if m.startswith(('nbgrader', 'nbformat', 'nbconvert'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    proc = subprocess.run([script("lepton-training"), "--help"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0
    assert "build" in proc.stdout
    assert "setup" in proc.stdout


@pytest.mark.slow
def test_nbgrader_recognizes_every_option_of_the_config(tmp_path, env):
    # traitlets only logs an option it does not know ("Config option allow_errors not recognized by Execute"),
    # and only when the class is used: run the commands that use them (release, autograde) and read the log.
    root = tmp_path / "repo"
    root.mkdir()
    for name in ("jupyter_config.py", "nbgrader_config.py"):
        shutil.copy(REPO / name, root / name)
    shutil.copytree(FIXTURE, root / "solutions" / "demo")
    logs = []
    for args in (["generate_assignment", "demo"], None, ["autograde", "demo"]):
        if args is None:  # a submission of the release, for autograde
            folder = root / "submitted" / "someone" / "demo"
            folder.mkdir(parents=True)
            shutil.copy(root / "course" / "demo" / "demo.ipynb", folder / "demo.ipynb")
            continue
        proc = subprocess.run(
            [script("nbgrader"), *args], cwd=root, env=env, capture_output=True, text=True, check=False, timeout=300
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
        logs.append(proc.stdout + proc.stderr)
    unrecognized = [line for log in logs for line in log.splitlines() if "not recognized" in line]
    assert not unrecognized, unrecognized


def test_grading_settings_of_the_config_are_known_traits():
    from lepton_training.grading.settings import LeptonGrading

    config = repo_config()
    known = LeptonGrading.class_trait_names(config=True)
    assert set(config.LeptonGrading) <= set(known), set(config.LeptonGrading) - set(known)
    assert LeptonGrading(config=config).cohort_secret == os.environ.get("LEPTON_COHORT_SECRET", "")
