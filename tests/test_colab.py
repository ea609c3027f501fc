"""Google Colab as it really is: the course installs on a Colab runtime without replacing anything, and every
learner notebook runs there on its own.

For each supported Colab runtime (Python 3.11, and the newest Python on this machine, 3.13 like Colab's newest
runtime) a fresh virtual environment gets the packages that runtime preinstalls, at Colab's versions
(ipywidgets 7.7.1 above all). Then, as on Colab:

1. `pip install --dry-run` of the course wheel lists nothing but the course itself: installing it replaces none
   of Colab's packages (with `ipywidgets>=8.1` it replaced ipywidgets and widgetsnbextension);
2. each learner notebook of `course/` is copied alone into an empty folder and executed by a kernel of that
   environment, with `google.colab` present, so its setup cell really runs pip (pointed at the wheel built
   from this checkout instead of the release tag, which does not exist yet) and says in one line
   "Installed lepton-training X (no restart needed).";
3. no cell fails except the learner's unanswered exercises (cells tagged `raises-exception`, failing with the
   stub's `NotImplementedError` or a `NameError` for the answer not yet defined); every widget renders
   (a widget view in the output) under ipywidgets 7.7.1; nothing is read from the repository checkout (an
   audit hook in the kernel records every file opened); and `pip freeze` afterwards differs from before only
   by the course package.

Slow (about 2 minutes per runtime, mostly pip): PyPI is needed to build the environments. Skipped without the
interpreters or PyPI, except on CI, where that is a failure.

The setup cell's failures are tested apart, in a kernel that believes it runs on Colab, against sources that
fail as a learner's would: a host that cannot be reached (offline), a Git repository without the release tag, a
wheel URL that answers 404, and a real local wheel for success. Each ends in one line that says what to do, and
"Run all" stops there: the next cell never runs.
"""

import base64
import functools
import hashlib
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import nbformat
import pytest
from conftest import COURSE, REPO, free_port, is_ci
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


def _with_setup_cell_from(nb, pip_spec, token_secret=""):
    """The notebook whose Colab setup cell installs ``pip_spec`` (the local wheel) instead of the release tag."""
    from lepton_training.build.preprocessors import AddColabSetupCell

    config = Config()
    config.AddColabSetupCell.pip_spec = pip_spec
    config.AddColabSetupCell.pip_options = ""
    config.AddColabSetupCell.token_secret = token_secret
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
            elif out.output_type == "stream" and out.name == "stderr":
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
        said = _setup_output(nb)
        if said != f"Installed lepton-training {would_install['lepton-training']} (no restart needed).":
            problems.append(f"the setup cell said {said!r}")
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


# --- the setup cell's own messages -----------------------------------------------------------------------------

NEXT_CELL = "import lepton_training\nprint('the next cell ran')"


def _setup_output(nb):
    """Everything the setup cell showed, as text (its streams and its error line)."""
    (cell,) = [c for c in nb.cells if "colab-setup" in c.metadata.get("tags", [])]
    parts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            parts.append(out.text)
        elif out.output_type == "error":
            parts.append(f"{out.ename}: {out.evalue}")
    return "".join(parts).strip()


def _minimal_wheel(folder, version="0.1.0"):
    """A real, installable wheel named lepton-training (no dependencies), written as the wheel format says."""
    files = {
        "lepton_training/__init__.py": f'__version__ = "{version}"\n',
        f"lepton_training-{version}.dist-info/METADATA": (
            f"Metadata-Version: 2.1\nName: lepton-training\nVersion: {version}\n"
        ),
        f"lepton_training-{version}.dist-info/WHEEL": (
            "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        ),
    }
    record = []
    for name, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(text.encode())}")
    record_name = f"lepton_training-{version}.dist-info/RECORD"
    files[record_name] = "\n".join([*record, f"{record_name},,"]) + "\n"
    wheel = folder / f"lepton_training-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return wheel


@pytest.fixture(scope="module")
def colab_kernel(tmp_path_factory):
    """A kernelspec folder: a fresh environment with only ipykernel, whose kernel believes it runs on Colab."""
    folder = tmp_path_factory.mktemp("setup-kernel")
    venv = folder / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], timeout=120)
    try:
        _run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "ipykernel"], timeout=600)
    except AssertionError as exc:
        _fail_or_skip(f"pip cannot install ipykernel here: {str(exc)[-500:]}")
    startup = folder / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-colab.py").write_text(
        "import sys, types\n"
        'sys.modules.setdefault("google", types.ModuleType("google"))\n'
        'sys.modules["google.colab"] = types.ModuleType("google.colab")\n'
    )
    spec = {
        "argv": [str(venv / "bin" / "python"), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Colab-like kernel",
        "language": "python",
        "env": {"IPYTHONDIR": str(folder / "ipython"), "PYTHONNOUSERSITE": "1", "PYTHONPATH": ""},
    }
    (folder / "kernels" / "colab").mkdir(parents=True)
    (folder / "kernels" / "colab" / "kernel.json").write_text(json.dumps(spec))
    return folder / "kernels", venv


@pytest.fixture(scope="module")
def release_server(tmp_path_factory):
    """A local HTTP server holding one real wheel and a Git repository without the tag v0.1.0 (a release whose
    tag was never pushed), served over Git's HTTP protocol as a forge serves it; (base URL, the wheel's name).
    """
    folder = tmp_path_factory.mktemp("served")
    wheel = _minimal_wheel(folder)
    work = tmp_path_factory.mktemp("repo")
    (work / "README.md").write_text("not released yet\n")
    git = ["git", "-C", str(work), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    for args in (["init", "--quiet"], ["add", "README.md"], ["commit", "--quiet", "-m", "start"]):
        _run([*git, *args], timeout=60)
    bare = folder / "lepton-training.git"
    _run(["git", "clone", "--quiet", "--bare", str(work), str(bare)], timeout=60)
    _run(["git", "-C", str(bare), "update-server-info"], timeout=60)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", wheel.name
    server.shutdown()


def _run_setup_then_next(pip_spec, colab_kernel, tmp_path, token_secret=""):
    """Run the setup cell (installing ``pip_spec``) and the next cell, stopping at the first error like Run all."""
    from nbclient.exceptions import CellExecutionError

    kernels, _ = colab_kernel
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("x = 1", id="first"), nbformat.v4.new_code_cell(NEXT_CELL, id="next")]
    )
    nb.cells[0].metadata["tags"] = ["colab-setup"]
    nb = _with_setup_cell_from(nb, pip_spec, token_secret)
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    km = KernelManager(kernel_name="colab", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernels)]))
    client = NotebookClient(nb, km=km, timeout=300, resources={"metadata": {"path": str(tmp_path)}})
    stopped = False
    try:
        client.execute()
    except CellExecutionError:
        stopped = True
    return nb, stopped


NOT_INSTALLED = "CourseSetupError: lepton-training was not installed. "
FAILURES = {
    # Nothing listens on that port: the host cannot be reached, as offline.
    "offline": (
        "git+https://127.0.0.1:{port}/lepton-ai/lepton-training@v0.1.0",
        "Could not reach 127.0.0.1: check the internet connection (Runtime > Reconnect), then run this cell again; "
        "if it keeps failing, ask your facilitator for the course wheel.",
    ),
    # The repository exists, the release tag was never pushed.
    "missing tag": (
        "git+{base}/lepton-training.git@v0.1.0",
        "The release tag v0.1.0 of {base}/lepton-training.git was not found: tell your facilitator that it is "
        "missing (not published), and ask them for the course wheel.",
    ),
    # The wheel URL answers 404.
    "missing wheel": (
        "{base}/lepton_training-0.1.1-py3-none-any.whl",
        "The course wheel {base}/lepton_training-0.1.1-py3-none-any.whl was not found: tell your facilitator that "
        "it is missing (not published), and ask them for the course wheel.",
    ),
}


@pytest.mark.parametrize("case", sorted(FAILURES))
def test_a_failed_setup_says_what_to_do_and_stops_run_all(case, colab_kernel, release_server, tmp_path):
    base, _ = release_server
    source, message = (text.format(base=base, port=free_port()) for text in FAILURES[case])
    nb, stopped = _run_setup_then_next(f"lepton-training @ {source}", colab_kernel, tmp_path)
    said = _setup_output(nb)
    assert stopped and not nb.cells[1].get("outputs"), "the next cell ran after a failed install"
    assert said.splitlines()[-1] == NOT_INSTALLED + message, said
    assert "restart" not in said


def test_a_private_source_without_its_secret_names_the_secret(colab_kernel, release_server, tmp_path):
    base, _ = release_server
    source = f"lepton-training @ git+{base.replace('http:', 'https:')}/lepton-training.git@v0.1.0"
    nb, stopped = _run_setup_then_next(source, colab_kernel, tmp_path, token_secret="LEPTON_GIT_TOKEN")
    said = _setup_output(nb)
    assert stopped and not nb.cells[1].get("outputs")
    assert said == (
        "CourseSetupError: Add the Colab secret LEPTON_GIT_TOKEN (key icon in the left bar) holding the read-only "
        "token your facilitator gave you, switch on Notebook access for it, then run this cell again."
    ), said


PIP_SAYS = {
    "fatal: unable to access 'https://github.com/x/y/': Could not resolve host: github.com": "Could not reach",
    "fatal: could not read Username for 'https://github.com': No such device or address": "refused access",
    "remote: Invalid username or password.\nfatal: Authentication failed for 'https://github.com/x/'": "refused",
    "error: pathspec 'v0.1.0' did not match any file(s) known to git": "was not found",
    "ERROR: HTTP error 404 while getting https://example.com/w.whl": "was not found",
    "ERROR: No matching distribution found for lepton-training==0.1.0": "was not found",
    "ERROR: something nobody planned for": "its last words are above",
}


@pytest.mark.parametrize("pip_said", sorted(PIP_SAYS))
def test_each_pip_failure_gets_its_advice(pip_said, monkeypatch, capsys):
    """What pip and git print for each failure is read into the right advice (pip itself is replaced here)."""
    import types

    from lepton_training.build.preprocessors import AddColabSetupCell

    source = AddColabSetupCell(pip_spec="lepton-training @ git+https://github.com/x/y@v0.1.0").setup_source()
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    monkeypatch.setattr(
        subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 1, stdout="", stderr=pip_said)
    )
    with pytest.raises(RuntimeError, match="lepton-training was not installed") as failed:
        exec(compile(source, "<colab-setup>", "exec"), {})
    assert type(failed.value).__name__ == "CourseSetupError"
    assert PIP_SAYS[pip_said] in str(failed.value)
    assert pip_said.splitlines()[-1] in capsys.readouterr().out  # pip's last words, for the facilitator


def test_setup_cell_success_is_one_line_and_the_next_cell_runs(colab_kernel, release_server, tmp_path):
    base, name = release_server
    _, venv = colab_kernel
    nb, stopped = _run_setup_then_next(f"lepton-training @ {base}/{name}", colab_kernel, tmp_path)
    assert not stopped, _setup_output(nb)
    assert _setup_output(nb) == "Installed lepton-training 0.1.0 (no restart needed)."
    assert nb.cells[1].outputs[0].text == "the next cell ran\n"
    _run([venv / "bin" / "python", "-m", "pip", "uninstall", "--yes", "--quiet", "lepton-training"], timeout=120)
