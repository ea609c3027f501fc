"""Shared helpers of the test suite: where things are, and reading notebooks."""

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = REPO / "solutions"
COURSE = REPO / "course"


def module_ids():
    """Modules that have a source notebook, in course order."""
    return sorted(p.name for p in SOLUTIONS.iterdir() if (p / f"{p.name}.ipynb").exists())


def load_notebook(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def cell_source(cell):
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def nbgrader_meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def is_ci():
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture
def jupyter_env(tmp_path):
    """Environment for Jupyter subprocesses that writes nothing into the home directory."""
    env = dict(os.environ)
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "MPLCONFIGDIR"):
        folder = tmp_path / name.lower()
        folder.mkdir()
        env[name] = str(folder)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    # The environment's own commands (nbgrader, jupyter, lepton-training) first, activated or not.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.pop("JUPYTER_CONFIG_PATH", None)
    return env


def copy_course_root(destination, modules):
    """A course root for nbgrader: the configuration and the given modules' sources."""
    for name in ("jupyter_config.py", "nbgrader_config.py"):
        shutil.copy(REPO / name, destination / name)
    for module in modules:
        shutil.copytree(SOLUTIONS / module, destination / "solutions" / module)
    return destination
