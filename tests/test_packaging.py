"""Packaging: pip and conda list the same dependencies, the package imports lightly, the manifest and the
notebooks agree."""

import subprocess
import sys
import tomllib

import yaml
from conftest import REPO, SOLUTIONS, cell_source, load_notebook, module_ids
from packaging.requirements import Requirement

from lepton_training import __version__
from lepton_training.manifest import get_module, load_course


def _pyproject():
    return tomllib.loads((REPO / "pyproject.toml").read_text())


def _normalise(name):
    return name.lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = _pyproject()["project"]
    pip_side = {}
    for spec in project["dependencies"] + [d for extra in project["optional-dependencies"].values() for d in extra]:
        req = Requirement(spec)
        pip_side[_normalise(req.name)] = str(req.specifier)
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    conda_side = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):  # the pip: section installs this package itself
            continue
        req = Requirement(dep)
        if req.name in {"python", "pip"}:
            continue
        conda_side[_normalise(req.name)] = str(req.specifier)
    missing_in_conda = sorted(set(pip_side) - set(conda_side))
    missing_in_pip = sorted(set(conda_side) - set(pip_side))
    assert not missing_in_conda, f"in pyproject.toml but not environment.yml: {missing_in_conda}"
    assert not missing_in_pip, f"in environment.yml but not pyproject.toml: {missing_in_pip}"
    differing = {n: (pip_side[n], conda_side[n]) for n in pip_side if pip_side[n] != conda_side[n]}
    assert not differing, f"version ranges differ (pyproject, environment.yml): {differing}"


def test_learner_dependencies_are_light():
    # What Colab learners install: no Jupyter server, no nbgrader, no test tools.
    base = {_normalise(Requirement(d).name) for d in _pyproject()["project"]["dependencies"]}
    assert not base & {"jupyterlab", "nbgrader", "pytest", "nbval", "ruff", "notebook"}


def test_version_matches_pyproject():
    assert __version__ == _pyproject()["project"]["version"]


def test_import_is_light():
    code = (
        "import sys, lepton_training, lepton_training.checks, lepton_training.exercises, "
        "lepton_training.manifest, lepton_training.render, lepton_training.questions.orientation\n"
        "heavy = {'numpy', 'pandas', 'sklearn', 'matplotlib', 'scipy', 'nbgrader', 'IPython'}\n"
        "print(sorted(heavy & {name.split('.')[0] for name in sys.modules}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", f"imported at start-up: {out}"


def test_manifest_lists_every_module_in_order():
    ids = [m.id for m in load_course().modules]
    assert ids == sorted(ids)
    assert ids[0] == "00-orientation" and ids[-1] == "05-recruitment-lp"
    for module in load_course().modules:
        assert 3 <= len(module.objectives) <= 5, module.id
        assert module.teaching_minutes > 0 and module.exercise_minutes > 0


def test_notebook_titles_come_from_the_manifest():
    for module_id in module_ids():
        nb = load_notebook(SOLUTIONS / module_id / f"{module_id}.ipynb")
        titles = [c for c in nb["cells"] if "module-title" in c.get("metadata", {}).get("tags", [])]
        assert len(titles) == 1, f"{module_id}: exactly one markdown cell tagged module-title"
        assert cell_source(titles[0]).strip() == f"# {get_module(module_id).title}"
        assert nb["metadata"]["lepton_training"]["module"] == module_id


def test_every_notebook_cell_has_slide_metadata():
    for module_id in module_ids():
        nb = load_notebook(SOLUTIONS / module_id / f"{module_id}.ipynb")
        missing = [c["id"] for c in nb["cells"] if "slide_type" not in c["metadata"].get("slideshow", {})]
        assert not missing, f"{module_id}: cells without slide metadata: {missing}"
        notes = [c for c in nb["cells"] if "facilitator" in c["metadata"].get("tags", [])]
        assert notes, f"{module_id} has no facilitator notes"
        assert all(c["metadata"]["slideshow"]["slide_type"] == "notes" for c in notes)
