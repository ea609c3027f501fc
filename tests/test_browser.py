"""A learner's first session, end to end, in a real JupyterLab driven by a real (headless) Chromium.

The test starts JupyterLab itself, on a free loopback port with a token, serving a temporary copy of `course/`
(the learner release), and drives Debian's Chromium with Playwright through what a learner does in module 00:
open the notebook, Run All, read the feedback on the stubs, write the answer to exercise 1, run its check, hint
and test cells, save, and look at the result in the light and the dark theme (screenshots).

Needs `/usr/bin/chromium` (`apt-get install chromium`) and the `playwright` package (the `test` extra); Playwright
never downloads a browser here. Skipped when either is missing, except on CI, where that is a failure.
Set LEPTON_SCREENSHOTS=<dir> to keep the screenshots.
"""

import ast
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    COURSE,
    REPO,
    SOLUTIONS,
    cell_source,
    free_port,
    load_notebook,
    nbgrader_meta,
    playwright_or_skip,
)

pytestmark = pytest.mark.slow

NOTEBOOK = "00-orientation/00-orientation.ipynb"
TITLE = "Orientation: how this course works"
# What check() and the test cells say about an answer cell still holding its stub.
NOT_WRITTEN = "you have not written this answer yet"
ANSWER = "def completion_rate(enrolled, completed):\n    return completed / enrolled"
# Outputs of type "error" (a Python traceback) the learner release may show after Run All: cell id -> exception names.
# None: the answer cells only define functions, and the test cells call them through `grade`, which turns
# the stubs' NotImplementedError into feedback.
EXPECTED_ERRORS: dict[str, list[str]] = {}

# Settings every learner gets from a fresh JupyterLab, except: no "Jupyter news?" pop-up, no update check, and
# every cell kept in the page (no virtual scrolling), so that the test can find cells by their position.
SETTINGS_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
}

# Bounded waits, in seconds. A run takes about 20 s; these are generous for a loaded CI machine.
SERVER_START = 60
PAGE_LOAD = 60
KERNEL_READY = 60
RUN_ALL = 120
STEP = 30

# The theme's stylesheet has reached the notebook: its background is light (or dark) as asked.
THEME_APPLIED_JS = """
light => {
    const node = document.querySelector('.jp-NotebookPanel-notebook');
    const rgb = getComputedStyle(node).backgroundColor.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
    const luminance = (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255;
    return light ? luminance > 0.6 : luminance < 0.4;
}
"""
# Every figure in the notebook's outputs, with whatever JupyterLab paints behind it (the image's own background and
# that of its output box): a light box in the dark theme is what `needs_background: light` gives.
LIGHT_BOXES_JS = """
() => {
    const light = node => {
        const rgba = getComputedStyle(node).backgroundColor.match(/\\d+(\\.\\d+)?/g).map(Number);
        const alpha = rgba.length > 3 ? rgba[3] : 1;
        return alpha > 0.2 && (0.2126 * rgba[0] + 0.7152 * rgba[1] + 0.0722 * rgba[2]) / 255 > 0.5;
    };
    const images = Array.from(document.querySelectorAll('.jp-Notebook .jp-OutputArea-output img'));
    return {
        figures: images.length,
        boxed: images.filter(img => img.classList.contains('jp-needs-light-background') || light(img)
            || light(img.closest('.jp-OutputArea-output'))).map(img => img.closest('.jp-Cell').id || '?'),
    };
}
"""
ALL_CELLS_RUN_JS = """
() => {
    const prompts = Array.from(document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt'));
    return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
}
"""


class Lab:
    """A JupyterLab server started for one test, and its HTTP API."""

    def __init__(self, root, port, token, log):
        self.root, self.port, self.token, self.log = root, port, token, log
        self.base = f"http://127.0.0.1:{port}"

    def api(self, path, method="GET", body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.base}{path}",
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            payload = response.read()
        return json.loads(payload) if payload else None

    def log_tail(self, chars=4000):
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""

    def saved_notebook(self):
        return self.api(f"/api/contents/{NOTEBOOK}?content=1")["content"]


@pytest.fixture
def sync_playwright():
    return playwright_or_skip()


def _stop(server, lab):
    """Stop a JupyterLab server: /api/shutdown first, which stops its kernels too; signals as the fallback."""
    if server.poll() is not None:
        return
    with contextlib.suppress(OSError):  # not answering: the signals below stop it
        lab.api("/api/shutdown", method="POST")
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=5)


@contextlib.contextmanager
def _serve_lab(root, workdir, env):
    """JupyterLab on ``root`` with the repo's jupyter_config.py, on a free loopback port; stopped afterwards."""
    app_settings = workdir / "app_settings"
    app_settings.mkdir()
    (app_settings / "overrides.json").write_text(json.dumps(SETTINGS_OVERRIDES))
    env = dict(env, JUPYTER_CONFIG_PATH=str(REPO))
    token = "lepton-browser-test"
    log = workdir / "jupyterlab.log"
    server = None
    try:
        # Another process may take the free port before JupyterLab binds it: then try another one.
        for _attempt in range(3):
            port = free_port()
            command = [
                sys.executable,
                "-m",
                "jupyterlab",
                "--no-browser",
                "--ip=127.0.0.1",
                f"--port={port}",
                "--port-retries=0",
                f"--ServerApp.token={token}",
                f"--notebook-dir={root}",
                f"--LabApp.app_settings_dir={app_settings}",
                # window.jupyterapp, to run JupyterLab's own commands (the theme switch).
                "--LabApp.expose_app_in_browser=True",
            ]
            if os.geteuid() == 0:
                command.append("--allow-root")
            with log.open("wb") as out:
                server = subprocess.Popen(
                    command, cwd=workdir, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
                )
            lab = Lab(root, port, token, log)
            deadline = time.monotonic() + SERVER_START
            while server.poll() is None and time.monotonic() < deadline:
                try:
                    lab.api("/api/status")
                    break
                except OSError:
                    time.sleep(0.25)
            if server.poll() is None and time.monotonic() < deadline:
                break
            if server.poll() is None or "already in use" not in lab.log_tail():
                pytest.fail(f"JupyterLab did not start on port {port}:\n{lab.log_tail()}")
        else:
            pytest.fail(f"JupyterLab found no free port:\n{lab.log_tail()}")
        yield lab
    finally:
        if server is not None:
            _stop(server, lab)


@pytest.fixture
def lab(sync_playwright, jupyter_env, tmp_path):
    """JupyterLab on a temporary copy of course/, with the repo's jupyter_config.py; stopped afterwards."""
    root = tmp_path / "course"
    shutil.copytree(COURSE, root)
    with _serve_lab(root, tmp_path, jupyter_env) as server:
        yield server


@pytest.fixture
def browser_page(sync_playwright, lab):
    """A Chromium page; the browser is closed afterwards."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 1000}, device_scale_factor=1)
            context.set_default_timeout(STEP * 1000)
            yield context.new_page()
        finally:
            browser.close()


def _cell_index():
    """Position of each cell of the learner notebook, by cell id."""
    return {cell["id"]: i for i, cell in enumerate(load_notebook(COURSE / NOTEBOOK)["cells"])}


def _wait_for_idle_kernel(lab, notebook=NOTEBOOK):
    """Wait until the notebook's session has a started kernel, idle, with the browser connected to it."""
    deadline = time.monotonic() + KERNEL_READY
    sessions = []
    while time.monotonic() < deadline:
        sessions = lab.api("/api/sessions")
        kernels = [s["kernel"] for s in sessions if s["path"] == notebook and s.get("kernel")]
        if any(k["execution_state"] == "idle" and k["connections"] >= 1 for k in kernels):
            return
        time.sleep(0.25)
    pytest.fail(f"no idle, connected kernel for {notebook} within {KERNEL_READY} s: {sessions}\n{lab.log_tail()}")


def _output_text(cell):
    return cell.locator(".jp-OutputArea").inner_text()


def _run_cell_and_wait(page, cell, expected_text=None):
    """Shift+Enter in a cell (already focused, in command or edit mode); wait until it has run (and shows a text)."""
    before = cell.locator(".jp-InputArea-prompt").inner_text()
    page.keyboard.press("Shift+Enter")
    page.wait_for_function(
        "([cell, before]) => { const p = cell.querySelector('.jp-InputArea-prompt');"
        " return /\\[\\d+\\]/.test(p.textContent) && p.textContent !== before; }",
        arg=[cell.element_handle(), before],
        timeout=STEP * 1000,
    )
    if expected_text is not None:
        cell.locator(".jp-OutputArea", has_text=expected_text).wait_for(timeout=STEP * 1000)


def _shoot(page, cells, path):
    """Screenshot the notebook from the top of the first cell to the bottom of the last (or the viewport)."""
    cells[0].evaluate("node => node.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(200)  # the scroll and any re-layout of the outputs
    top = cells[0].bounding_box()
    bottom = cells[-1].bounding_box()
    panel = page.locator(".jp-NotebookPanel-notebook").bounding_box()
    viewport = page.viewport_size
    y0 = max(top["y"] - 4, panel["y"])
    y1 = min(bottom["y"] + bottom["height"] + 4, panel["y"] + panel["height"], viewport["height"])
    clip = {"x": panel["x"], "y": y0, "width": panel["width"], "height": max(y1 - y0, 1)}
    page.screenshot(path=str(path), clip=clip)


def test_learner_runs_answers_and_saves_module_00(lab, browser_page, tmp_path):
    shots = tmp_path / "screenshots"
    shots.mkdir()
    try:
        _learner_journey(browser_page, lab, shots)
    except BaseException:
        # What the page looked like when it failed, for the CI log.
        with contextlib.suppress(Exception):
            browser_page.screenshot(path=str(shots / "failure.png"))
            _keep(shots / "failure.png")
            print(f"screenshot of the failure: {shots / 'failure.png'}")
        raise


def _keep(path):
    """Copy a screenshot into $LEPTON_SCREENSHOTS, when set."""
    keep = os.environ.get("LEPTON_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / path.name)


def _learner_journey(page, lab, shots):
    index = _cell_index()

    # 1. Open the learner notebook; wait for the page and for a kernel that is idle and connected.
    page.goto(f"{lab.base}/lab/tree/{NOTEBOOK}?token={lab.token}", timeout=PAGE_LOAD * 1000)
    cells = page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell")
    cells.nth(len(index) - 1).wait_for(state="attached", timeout=PAGE_LOAD * 1000)
    assert cells.count() == len(index), "JupyterLab shows a different number of cells than the notebook has"
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=KERNEL_READY * 1000)
    _wait_for_idle_kernel(lab)

    def cell(cell_id):
        return cells.nth(index[cell_id])

    # 2. Run All, from the Run menu as a learner does; wait until every code cell has run and the kernel is idle.
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    page.wait_for_function(ALL_CELLS_RUN_JS, timeout=RUN_ALL * 1000)
    _wait_for_idle_kernel(lab)
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=STEP * 1000)

    # The title appears once: in the markdown heading, not again in the rendered header.
    title = cell("title").locator("h1")
    assert TITLE in title.inner_text(), title.inner_text()
    header = cell("header")
    assert header.locator("[role=heading]").first.inner_text().strip() == "About this module"
    assert TITLE not in _output_text(header), _output_text(header)
    colab = header.locator("a", has_text="Open in Colab")
    assert colab.count() == 1, _output_text(header)
    assert colab.get_attribute("href").startswith("https://colab.research.google.com/github/")
    demo = _output_text(cell("s2-feedback-demo"))
    assert "Not yet" in demo, demo
    check = _output_text(cell("q1-check"))
    assert "Invalid answer" in check and NOT_WRITTEN in check.lower(), check
    tests = _output_text(cell("q1-tests"))
    assert "0 of 1 point" in tests and NOT_WRITTEN in tests.lower(), tests
    for question in ("q2", "q3", "q4"):
        assert NOT_WRITTEN in _output_text(cell(f"{question}-check")).lower(), question
    colleague = _output_text(cell("q2-colleague"))  # the feedback exercise 2 asks the learner to read
    assert "Not yet" in colleague and "NaN" in colleague and "missing" in colleague, colleague
    progress = _output_text(cell("s5-progress"))
    assert "Progress in 00-orientation" in progress and "0 of 4 questions passed" in progress, progress
    # No traceback anywhere: neither error outputs nor anything written to stderr (both render as stderr).
    stderr_outputs = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    shown = [stderr_outputs.nth(i).inner_text()[:500] for i in range(stderr_outputs.count())]
    assert not shown, f"tracebacks or stderr after Run All: {shown}"

    # 3. Write the answer to exercise 1, run it, its check, a hint and its test cell (Shift+Enter moves down one
    # cell).
    answer = cell("q1-answer")
    answer.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(ANSWER)
    _run_cell_and_wait(page, answer)
    assert answer.locator(".jp-OutputArea-output").count() == 0, _output_text(answer)
    _run_cell_and_wait(page, cell("q1-check"), "Passed")
    check = _output_text(cell("q1-check"))
    assert "Passed" in check and re.search(r"public checks? pass", check), check
    # The hint cell, as its comment says: remove the # and run it. The check's feedback above stays in view.
    hint = cell("q1-hint")
    hint.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text("q1.hint()")
    _run_cell_and_wait(page, hint, "Hint 1 of")
    assert "Passed" in _output_text(cell("q1-check")), "asking for a hint hid the check's feedback"
    _run_cell_and_wait(page, cell("q1-tests"), "1 of 1 point")
    tests = _output_text(cell("q1-tests"))
    assert "Passed" in tests and "Not yet" not in tests, tests
    # progress() again, as the notebook asks before submitting: exercise 1 now passes.
    cell("s5-progress").locator(".jp-InputArea-prompt").click()
    _run_cell_and_wait(page, cell("s5-progress"), "1 of 4 questions passed")

    # 4. Save with Ctrl+S; the file on disk (through the contents API) holds the answer and its feedback.
    dirty_tab = page.locator(".lm-TabBar-tab.jp-mod-current.jp-mod-dirty")
    dirty_tab.wait_for(state="attached")  # unsaved changes, as JupyterLab marks them
    page.keyboard.press("Control+s")
    dirty_tab.wait_for(state="detached")
    deadline = time.monotonic() + STEP
    while True:
        saved = {c["id"]: c for c in lab.saved_notebook()["cells"]}
        source = "".join(saved["q1-answer"]["source"])
        if source == ANSWER or time.monotonic() > deadline:
            break
        time.sleep(0.25)
    assert source == ANSWER, f"saved answer cell differs: {source!r}"
    on_disk = load_notebook(lab.root / NOTEBOOK)
    assert {c["id"]: "".join(c["source"]) for c in on_disk["cells"]}["q1-answer"] == ANSWER
    saved_tests = json.dumps(saved["q1-tests"]["outputs"])
    assert "1 of 1 point" in saved_tests, saved_tests[:2000]
    errors = {
        cid: [o.get("ename") for o in c.get("outputs", []) if o["output_type"] == "error"] for cid, c in saved.items()
    }
    errors = {cid: names for cid, names in errors.items() if names}
    assert errors == EXPECTED_ERRORS, f"error outputs in the saved notebook: {errors}"

    # 5. Screenshots of the header, the feedback boxes and the progress table, in the light and the dark theme.
    page.evaluate("() => window.jupyterapp.commands.execute('application:toggle-left-area')")
    page.locator("#jp-left-stack").wait_for(state="hidden")
    regions = {
        "header": [cell("title"), header],
        "feedback": [cell("s2-feedback-demo"), cell("q1-tests")],
        "invalid": [cell("q2-answer"), cell("q2-tests")],
        "hint": [cell("q1-check"), cell("q1-hint")],
        "progress": [cell("s5-progress")],
    }
    for theme, light in (("JupyterLab Light", "true"), ("JupyterLab Dark", "false")):
        page.evaluate("theme => window.jupyterapp.commands.execute('apputils:change-theme', {theme})", theme)
        page.locator(f"body[data-jp-theme-name='{theme}'][data-jp-theme-light='{light}']").wait_for(state="attached")
        page.wait_for_function(THEME_APPLIED_JS, arg=light == "true")
        slug = "light" if light == "true" else "dark"
        for name, region in regions.items():
            path = shots / f"{slug}-{name}.png"
            _shoot(page, region, path)
            assert path.stat().st_size > 1000
            _keep(path)


# --- Every module of course/, in one JupyterLab and one browser ----------------------------------------------------

# Every learner notebook, found at collection time: a new module is covered without editing this file.
LEARNER_NOTEBOOKS = sorted(
    p.relative_to(COURSE).as_posix() for p in COURSE.glob("*/*.ipynb") if p.parent.name == p.stem
)
# An error a learner may see after Run All: only in a cell the author tagged as raising until the learner answers
# (answer and test cells, and cells that call the answer), and only the stub's own error or the missing answer.
STUB_ERROR = re.compile(r"NotImplementedError|NameError")
WIDGET_CONTROLS = ".widget-slider, .widget-dropdown, .widget-checkbox, .widget-toggle-button, .widget-text"


@pytest.fixture(scope="module")
def course_lab(tmp_path_factory, matplotlib_config):
    """One JupyterLab for every module: a temporary copy of course/, a home for Jupyter's files."""
    playwright_or_skip()
    workdir = tmp_path_factory.mktemp("all-modules")
    root = workdir / "course"
    shutil.copytree(COURSE, root)
    env = dict(os.environ)
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        (workdir / name.lower()).mkdir()
        env[name] = str(workdir / name.lower())
    env.update(MPLCONFIGDIR=str(matplotlib_config), JUPYTER_PLATFORM_DIRS="1")
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    with _serve_lab(root, workdir, env) as server:
        yield server


@pytest.fixture(scope="module")
def course_browser(course_lab):
    """One Chromium for every module; every request the pages make is recorded."""
    sync_playwright = playwright_or_skip()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 1000}, device_scale_factor=1)
            context.set_default_timeout(STEP * 1000)
            context.requests = []
            context.on("request", lambda request: context.requests.append(request.url))
            yield context
        finally:
            browser.close()


def _solution_answers(module):
    """Grade id -> the solution's code (markers removed) from the instructor notebook."""
    path = SOLUTIONS / module / f"{module}.ipynb"
    answers = {}
    for cell in load_notebook(path)["cells"] if path.exists() else []:
        meta = nbgrader_meta(cell)
        if cell["cell_type"] == "code" and meta.get("solution") and meta.get("grade_id"):
            lines = [
                line for line in cell_source(cell).splitlines() if not re.match(r"\s*### (BEGIN|END) SOLUTION", line)
            ]
            answers[meta["grade_id"]] = "\n".join(lines)
    return answers


def _answer_name(code):
    """The name an answer defines: its first function, or its first assigned name."""
    for node in ast.parse(code).body:
        if isinstance(node, ast.FunctionDef):
            return node.name
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            return node.targets[0].id
    return None


def _first_checked_question(cells, answers):
    """(answer cell id, check cell id, right answer, answer name) of the first exercise with a check cell."""
    ids = [c.get("id") for c in cells]
    for cell in cells:
        grade_id = nbgrader_meta(cell).get("grade_id", "")
        match = re.fullmatch(r"(q\d+)-answer", grade_id)
        if match and f"{match[1]}-check" in ids and grade_id in answers:
            name = _answer_name(answers[grade_id])
            if name:
                return cell["id"], f"{match[1]}-check", answers[grade_id], name
    return None


def _type_into(page, cell, text):
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(text)


def _run_cell(page, cell, expected_text=None):
    """Select a cell by its prompt and run it (Shift+Enter); wait until it has run."""
    cell.locator(".jp-InputArea-prompt").click()
    _run_cell_and_wait(page, cell, expected_text)


def _move_widget(page, cell):
    """Change the first control of a widget cell as a learner would; return what it changed."""
    slider = cell.locator(".widget-slider .noUi-handle, .widget-slider input[type=range]").first
    if slider.count():
        slider.focus()
        for _ in range(3):
            page.keyboard.press("ArrowLeft")
        return "slider"
    dropdown = cell.locator(".widget-dropdown select").first
    if dropdown.count():
        options = dropdown.locator("option").all_inner_texts()
        current = dropdown.evaluate("node => node.options[node.selectedIndex].text")
        dropdown.select_option(label=next(o for o in options if o != current))
        return "dropdown"
    checkbox = cell.locator(".widget-checkbox input").first
    checkbox.click()
    return "checkbox"


def _shoot_cell(page, cell, path):
    cell.evaluate("node => node.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(200)
    box = cell.bounding_box()
    viewport = page.viewport_size
    height = max(min(box["height"] + 8, viewport["height"] - max(box["y"], 0)), 1)
    page.screenshot(
        path=str(path), clip={"x": box["x"], "y": max(box["y"] - 4, 0), "width": box["width"], "height": height}
    )


@pytest.mark.parametrize("notebook", LEARNER_NOTEBOOKS)
def test_every_module_runs_renders_and_reacts_in_the_browser(notebook, course_lab, course_browser, tmp_path):
    module = notebook.split("/")[0]
    page = course_browser.new_page()
    shots = tmp_path / "screenshots"
    shots.mkdir()
    first_request = len(course_browser.requests)
    try:
        _module_in_browser(page, course_lab, notebook, module, shots)
    except BaseException:
        with contextlib.suppress(Exception):
            failure = shots / f"{module}-failure.png"
            page.screenshot(path=str(failure))
            _keep(failure)
        raise
    finally:
        with contextlib.suppress(Exception):
            course_lab.api(f"/api/sessions/{_session_id(course_lab, notebook)}", method="DELETE")
        page.close()
    outside = [
        url
        for url in course_browser.requests[first_request:]
        if urllib.parse.urlsplit(url).scheme in {"http", "https", "ws", "wss"}
        and urllib.parse.urlsplit(url).hostname not in {"127.0.0.1", "localhost", "::1"}
    ]
    assert not outside, f"{module}: the page made requests that leave the machine: {sorted(set(outside))[:10]}"


def _session_id(lab, notebook):
    return next(s["id"] for s in lab.api("/api/sessions") if s["path"] == notebook)


def _module_in_browser(page, lab, notebook, module, shots):
    from lepton_training.manifest import get_module, load_course

    source = load_notebook(COURSE / notebook)
    index = {cell["id"]: i for i, cell in enumerate(source["cells"])}
    # ?reset: a fresh workspace, so the tabs of the modules opened before are not restored beside this one.
    page.goto(f"{lab.base}/lab/tree/{notebook}?reset&token={lab.token}", timeout=PAGE_LOAD * 1000)
    cells = page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell")
    cells.nth(len(index) - 1).wait_for(state="attached", timeout=PAGE_LOAD * 1000)
    assert cells.count() == len(index), "JupyterLab shows a different number of cells than the notebook has"
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=KERNEL_READY * 1000)
    _wait_for_idle_kernel(lab, notebook)

    def cell(cell_id):
        return cells.nth(index[cell_id])

    # Run All from the Run menu; wait until every code cell has run and the kernel is idle.
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    page.wait_for_function(ALL_CELLS_RUN_JS, timeout=RUN_ALL * 1000)
    _wait_for_idle_kernel(lab, notebook)
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=STEP * 1000)

    # A module of course.toml: its title in the heading, then the rendered "About this module" header. Other
    # learner notebooks (quizzes, the survey) have a title heading at least.
    is_module = module in {m.id for m in load_course().modules}
    if is_module:
        assert get_module(module).title in cell("title").locator("h1").inner_text()
        header = cell("header")
        assert header.locator("[role=heading]").first.inner_text().strip() == "About this module"
        assert header.locator("a", has_text="Open in Colab").count() == 1
    else:
        assert cell("title").locator("h1").inner_text().strip()

    # No error shown except in the cells the learner has yet to answer (tagged raises-exception), and there only
    # the stub's NotImplementedError or the NameError of an answer not defined yet.
    errors = {}
    for cell_json in source["cells"]:
        if cell_json["cell_type"] != "code":
            continue
        shown = cell(cell_json["id"]).locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        texts = [shown.nth(i).inner_text()[:300] for i in range(shown.count())]
        allowed = "raises-exception" in cell_json["metadata"].get("tags", [])
        bad = [t for t in texts if not (allowed and STUB_ERROR.search(t))]
        if bad:
            errors[cell_json["id"]] = bad
    assert not errors, f"{module}: errors or stderr after Run All: {errors}"

    # Every widget renders, and reacts: move its first control and the output below it changes.
    widget_cells = [
        c["id"]
        for c in source["cells"]
        if c["cell_type"] == "code" and re.search(r"(?<![\w.])widgets\.\w", cell_source(c))
    ]
    assert widget_cells or not is_module, f"{module} has no widget"
    for cell_id in widget_cells:
        widget = cell(cell_id)
        widget.locator(".jupyter-widgets").first.wait_for(timeout=STEP * 1000)
        assert "Error displaying widget" not in widget.inner_text()
        if "interact(" not in cell_source(source["cells"][index[cell_id]]):
            continue  # a form, not a figure: rendering is what can be checked
        widget.locator(WIDGET_CONTROLS).first.wait_for(timeout=STEP * 1000)
        output = widget.locator(".widget-output").first
        output.locator("img, pre, .jp-RenderedText").first.wait_for(timeout=STEP * 1000)
        before = output.inner_html()
        control = _move_widget(page, widget)
        page.wait_for_function(
            "([node, before]) => node.innerHTML !== before && node.querySelector('img, pre, .jp-RenderedText')",
            arg=[output.element_handle(), before],
            timeout=STEP * 1000,
        )
        assert control

    # check(): a feedback box for a wrong answer, then "Passed" for the solution's answer.
    question = _first_checked_question(source["cells"], _solution_answers(module))
    assert question or not is_module, f"{module}: no exercise with a check cell and a solution"
    regions = {"title": cell("title")}
    if is_module:
        regions["header"] = cell("header")
    if widget_cells:
        regions["widget"] = cell(widget_cells[0])
    if question:
        _check_feedback(page, cell, *question)
        regions["check"] = cell(question[1])
    draws = any(c["cell_type"] == "code" and "plt." in cell_source(c) for c in source["cells"])
    _screenshots(page, module, regions, shots, draws)


def _check_feedback(page, cell, answer_id, check_id, right, name):
    _type_into(page, cell(answer_id), f"{name} = None")
    _run_cell_and_wait(page, cell(answer_id))
    _run_cell(page, cell(check_id))
    feedback = cell(check_id).locator("[role=status]").first
    feedback.wait_for(timeout=STEP * 1000)
    assert "Passed" not in feedback.inner_text(), feedback.inner_text()
    _type_into(page, cell(answer_id), right)
    _run_cell_and_wait(page, cell(answer_id))
    _run_cell(page, cell(check_id), "Passed")
    assert cell(check_id).locator("[role=status]").first.is_visible()


def _screenshots(page, module, regions, shots, draws=False):
    """Light and dark screenshots of the header, the first widget and the check's feedback; in the dark theme, no
    figure in a light box (``draws``: the notebook draws figures, so some must be on the page)."""
    page.evaluate("() => window.jupyterapp.commands.execute('application:toggle-left-area')")
    for theme, light in (("JupyterLab Light", "true"), ("JupyterLab Dark", "false")):
        page.evaluate("theme => window.jupyterapp.commands.execute('apputils:change-theme', {theme})", theme)
        page.locator(f"body[data-jp-theme-name='{theme}'][data-jp-theme-light='{light}']").wait_for(state="attached")
        page.wait_for_function(THEME_APPLIED_JS, arg=light == "true")
        slug = "light" if light == "true" else "dark"
        if light == "false":
            # No course figure sits in a light box in the dark theme (the kernel-side audit below checks the
            # figures' tick labels).
            figures = page.evaluate(LIGHT_BOXES_JS)
            assert figures["figures"] or not draws, f"{module}: no figure on the page after Run All"
            assert not figures["boxed"], f"{module}: figures in a light box in the dark theme: {figures}"
        for name, region in regions.items():
            path = shots / f"{module}-{slug}-{name}.png"
            _shoot_cell(page, region, path)
            assert path.stat().st_size > 1000
            _keep(path)


# --- every figure of the course is legible in both themes (kernel side) ------------------------------------------

# Loaded at kernel start: every figure the inline backend shows is drawn, its tick labels' boxes compared, and the
# display metadata matplotlib-inline gives it (``needs_background``: JupyterLab's white box) recorded.
FIGURE_AUDIT = """
import itertools, json
import matplotlib_inline.backend_inline as _inline

_metadata_of = _inline._fetch_figure_metadata


def _lepton_audit(fig, _metadata_of=_metadata_of, _log={log!r}):
    metadata = _metadata_of(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    overlaps = []
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            boxes = [
                (label.get_text(), label.get_window_extent(renderer).expanded(0.98, 0.98))
                for label in axis.get_ticklabels()
                if label.get_visible() and label.get_text().strip()
            ]
            overlaps += [[a, b] for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2) if box_a.overlaps(box_b)]
    titles = [ax.get_title() or ax.get_xlabel() for ax in fig.axes]
    with open(_log, "a") as out:
        out.write(json.dumps({{"figure": titles, "metadata": metadata, "overlaps": overlaps}}) + "\\n")
    return metadata


_inline._fetch_figure_metadata = _lepton_audit
"""


@pytest.mark.parametrize("module", sorted(p.name for p in SOLUTIONS.iterdir() if (p / f"{p.name}.ipynb").exists()))
def test_every_course_figure_has_no_light_box_and_no_overlapping_tick_labels(module, tmp_path, matplotlib_config):
    """Run the instructor notebook (every figure the course draws, answers in place) and audit each figure shown."""
    import nbformat
    from nbclient import NotebookClient

    folder = tmp_path / module
    shutil.copytree(SOLUTIONS / module, folder)
    log = tmp_path / "figures.jsonl"
    startup = tmp_path / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-audit.py").write_text(FIGURE_AUDIT.format(log=str(log)))
    nb = nbformat.read(folder / f"{module}.ipynb", as_version=4)
    env = {"IPYTHONDIR": str(tmp_path / "ipython"), "MPLCONFIGDIR": str(matplotlib_config), "LEPTON_EVENT_RECORD": "0"}
    old = {name: os.environ.get(name) for name in env}
    os.environ.update(env)  # the kernel inherits the test's environment
    try:
        NotebookClient(nb, timeout=600, allow_errors=True, resources={"metadata": {"path": str(folder)}}).execute()
    finally:
        for name, value in old.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    figures = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    drawn = sum(1 for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})) + sum(
        1 for c in nb.cells if "interact(" in c.get("source", "")
    )
    if drawn:
        assert figures, f"{module}: the audit saw none of the notebook's figures"
    boxed = [f["figure"] for f in figures if f["metadata"]]
    assert not boxed, f"{module}: figures that JupyterLab would show in a light box in the dark theme: {boxed}"
    crowded = [(f["figure"], f["overlaps"]) for f in figures if f["overlaps"]]
    assert not crowded, f"{module}: figures whose tick labels overlap: {crowded}"
