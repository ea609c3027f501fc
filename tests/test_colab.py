"""Google Colab as it really is: the course installs on a Colab runtime without replacing anything, and every
learner notebook runs there on its own.

For each supported Colab runtime (Python 3.11, and the newest Python on this machine, 3.13 like Colab's newest
runtime) a fresh virtual environment gets the packages that runtime preinstalls, at Colab's versions
(ipywidgets 7.7.1 above all). Then, as on Colab:

1. `pip install --dry-run` of the course wheel lists nothing but the course itself: installing it replaces none
   of Colab's packages (with `ipywidgets>=8.1` it replaced ipywidgets and widgetsnbextension);
2. each learner notebook of `course/` is copied alone into an empty folder and executed by a kernel of that
   environment, with `google.colab` present, so its setup cell really runs `%pip install` (pointed at the
   wheel built from this checkout instead of the release tag, which does not exist yet);
3. no cell fails except the learner's unanswered exercises (cells tagged `raises-exception`, failing with the
   stub's `NotImplementedError` or a `NameError` for the answer not yet defined); every widget renders
   (a widget view in the output) under ipywidgets 7.7.1; nothing is read from the repository checkout (an
   audit hook in the kernel records every file opened); and `pip freeze` afterwards differs from before only
   by the course package.

Slow (about 2 minutes per runtime, mostly pip): PyPI is needed to build the environments. Skipped without the
interpreters or PyPI, except on CI, where that is a failure.
"""

import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from conftest import COURSE, REPO, is_ci
from traitlets.config import Config

pytestmark = pytest.mark.slow

# What Colab's runtimes preinstall (Colab's published runtime snapshots, August 2026; ../shared/STACK_NOTES.md).
COMMON = ["scikit-learn==1.6.1", "matplotlib==3.10.0", "ipywidgets==7.7.1", "widgetsnbextension==3.6.10"]
KERNEL = ["ipykernel==6.17.1", "ipython==7.34.0"]
RUNTIMES = {
    # The oldest runtime Colab still offers.
    "3.11": ["numpy==2.0.2", "pandas==2.2.2", "scipy==1.15.3", *COMMON, *KERNEL],
    # Colab's newest runtime.
    "3.13": ["numpy==2.1.3", "pandas==2.2.3", "scipy==1.16.3", *COMMON, *KERNEL],
}
# The packages Colab must keep as they are.
WATCHED = ("numpy", "pandas", "scipy", "scikit-learn", "matplotlib", "ipywidgets", "widgetsnbextension", "ipykernel")
# Errors a learner sees only in the cells of exercises not answered yet.
STUB_ERRORS = {"NotImplementedError", "NameError"}
CELL_TIMEOUT = 180

# Loaded at kernel start (IPython startup file): pretend to be Colab, and record every file opened under the
# repository checkout.
STARTUP = """
import sys, types
sys.modules.setdefault("google", types.ModuleType("google"))
sys.modules["google.colab"] = types.ModuleType("google.colab")
_REPO = {repo!r}
_LOG = {log!r}
def _lepton_audit(event, args, _repo=_REPO, _log=_LOG):
    if event == "open" and args and isinstance(args[0], (str, bytes)):
        path = args[0].decode(errors="replace") if isinstance(args[0], bytes) else args[0]
        if path.startswith(_repo):
            with open(_log, "a") as out:
                out.write(path + "\\n")
sys.addaudithook(_lepton_audit)
"""


def _fail_or_skip(reason):
    if is_ci():
        pytest.fail(reason)
    pytest.skip(reason)


def _interpreter(version):
    """A working CPython interpreter of this minor version: pyenv's, or on PATH (a pyenv shim may not run)."""
    candidates = [str(p) for p in sorted(Path.home().glob(f".pyenv/versions/{version}.*/bin/python{version}"))[::-1]]
    candidates += [found for found in [shutil.which(f"python{version}")] if found]
    for candidate in candidates:
        probe = subprocess.run([candidate, "-c", "import venv, ensurepip"], capture_output=True, check=False)
        if probe.returncode == 0:
            return candidate
    return None


def _run(cmd, **kwargs):
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if proc.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, cmd))} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc


@pytest.fixture(scope="session")
def course_wheel(tmp_path_factory):
    """The course wheel, built from a copy of the package sources (the checkout is left untouched)."""
    src = tmp_path_factory.mktemp("wheel-src")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    shutil.copytree(REPO / "lepton_training", src / "lepton_training", ignore=shutil.ignore_patterns("__pycache__"))
    dist = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist), str(src)], timeout=300)
    (wheel,) = dist.glob("lepton_training-*.whl")
    return wheel


def _colab_venv(version, folder):
    """A fresh virtual environment with a Colab runtime's packages; its kernelspec folder."""
    python = _interpreter(version)
    if python is None:
        _fail_or_skip(f"no Python {version} here (PATH or ~/.pyenv): cannot mimic that Colab runtime")
    venv = folder / f"colab-{version}"
    _run([python, "-m", "venv", str(venv)], timeout=120)
    try:
        _run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", *RUNTIMES[version]], timeout=900)
    except AssertionError as exc:
        if "No matching distribution" in str(exc) or "Could not fetch" in str(exc):
            _fail_or_skip(f"PyPI does not serve Colab's packages here: {str(exc)[-500:]}")
        raise
    return venv


def _freeze(venv):
    out = _run([venv / "bin" / "python", "-m", "pip", "freeze", "--all"], timeout=120).stdout
    return {re.split(r"==| @ ", line)[0].lower(): line for line in out.splitlines() if "==" in line or " @ " in line}


def _learner_notebooks():
    return sorted(p for p in COURSE.glob("*/*.ipynb") if p.parent.name == p.stem)


def _with_setup_cell_from(nb, pip_spec):
    """The notebook whose Colab setup cell installs ``pip_spec`` (the local wheel) instead of the release tag."""
    from lepton_training.build.preprocessors import AddColabSetupCell

    config = Config()
    config.AddColabSetupCell.pip_spec = pip_spec
    config.AddColabSetupCell.pip_options = ""
    config.AddColabSetupCell.token_secret = ""
    before = [c for c in nb.cells if "colab-setup" in c.metadata.get("tags", [])]
    assert len(before) == 1, "the learner notebook has no Colab setup cell"
    nb, _ = AddColabSetupCell(config=config).preprocess(nb, {})
    return nb


def _execute(nb, folder, kernel_dir):
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    km = KernelManager(kernel_name="colab", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernel_dir)]))
    client = NotebookClient(
        nb, km=km, timeout=CELL_TIMEOUT, allow_errors=True, resources={"metadata": {"path": str(folder)}}
    )
    client.execute()
    return nb


def _problems(nb):
    """Errors outside the learner's unanswered exercises, and stderr output, cell by cell."""
    problems = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tags = cell.metadata.get("tags", [])
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                if "raises-exception" in tags and out.ename in STUB_ERRORS:
                    continue
                problems.append(f"{cell.get('id')}: {out.ename}: {out.evalue[:300]}")
            elif out.output_type == "stream" and out.name == "stderr" and "colab-setup" not in tags:
                problems.append(f"{cell.get('id')}: stderr: {out.text[:300]}")
    return problems


def _widget_cells(nb):
    """(cells that create widgets, cells that show a widget view)."""
    makes = [c.get("id") for c in nb.cells if c.cell_type == "code" and re.search(r"(?<![\w.])widgets\.\w", c.source)]
    shows = [
        c.get("id")
        for c in nb.cells
        if any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in c.get("outputs", []))
    ]
    return makes, shows


@pytest.mark.parametrize("version", sorted(RUNTIMES))
def test_course_installs_on_colab_and_every_notebook_runs_alone(version, course_wheel, tmp_path):
    notebooks = _learner_notebooks()
    assert notebooks, "no learner notebook under course/"
    started = time.monotonic()
    venv = _colab_venv(version, tmp_path)
    built = time.monotonic() - started
    python = venv / "bin" / "python"

    # 1. Installing the course would replace nothing Colab has: pip's own report of what it would install.
    report = tmp_path / "dry-run.json"
    _run([python, "-m", "pip", "install", "--quiet", "--dry-run", "--report", report, course_wheel], timeout=300)
    would_install = {i["metadata"]["name"]: i["metadata"]["version"] for i in json.loads(report.read_text())["install"]}
    assert would_install == {"lepton-training": course_wheel.name.split("-")[1]}, would_install
    before = _freeze(venv)

    # A kernel of the Colab environment that believes it runs on Colab and logs any read of the checkout.
    kernels = tmp_path / "kernels"
    ipython_dir = tmp_path / "ipython"
    (ipython_dir / "profile_default" / "startup").mkdir(parents=True)
    opened = tmp_path / "opened-in-checkout.log"
    startup = STARTUP.format(repo=str(REPO) + "/", log=str(opened))
    (ipython_dir / "profile_default" / "startup" / "00-colab.py").write_text(startup)
    spec = {
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": f"Colab-like Python {version}",
        "language": "python",
        "env": {
            "IPYTHONDIR": str(ipython_dir),
            "MPLCONFIGDIR": str(tmp_path / "matplotlib"),
            "PYTHONNOUSERSITE": "1",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            "PYTHONPATH": "",
        },
    }
    (kernels / "colab").mkdir(parents=True)
    (kernels / "colab" / "kernel.json").write_text(json.dumps(spec))

    # 2. Each learner notebook alone in an empty folder; its setup cell installs the course (the first time).
    failures, timings = {}, {}
    for path in notebooks:
        folder = tmp_path / "work" / path.stem
        folder.mkdir(parents=True)
        nb = _with_setup_cell_from(nbformat.read(path, as_version=4), f"lepton-training @ {course_wheel.as_uri()}")
        t0 = time.monotonic()
        nb = _execute(nb, folder, kernels)
        timings[path.stem] = round(time.monotonic() - t0, 1)
        problems = _problems(nb)
        makes, shows = _widget_cells(nb)
        missing = [cell for cell in makes if cell not in shows]
        if missing:
            problems.append(f"widgets not rendered under ipywidgets 7.7.1 in cells {missing}")
        if problems:
            failures[path.stem] = problems
    print(f"Python {version}: environment {built:.0f} s; notebooks (s): {timings}")
    assert not failures, json.dumps(failures, indent=1)

    # 3. Nothing read from the checkout; only the course package added.
    reads = sorted(set(opened.read_text().splitlines())) if opened.exists() else []
    assert not reads, f"the notebooks read files of the repository checkout: {reads[:20]}"
    after = _freeze(venv)
    added = sorted(set(after) - set(before))
    changed = sorted(name for name in set(before) & set(after) if before[name] != after[name])
    assert added == ["lepton-training"] and not changed, f"added {added}, changed {changed}"
    for name in WATCHED:
        assert after[name] == before[name], name
