"""The facilitator kit in a real (headless) Chromium, with every request recorded: none may leave the machine.

1. JupyterLab on a temporary copy of `course/`: run module 00's timer and checkpoint cells, click play and see the
   time left go down, click "Done" and see the checkpoint answer.
2. The knowledge-base site (learner version, built here) served on loopback: the index, one module page with
   maths (rendered by the local MathJax), and the search, offline.
3. Module 00's slide deck: reveal.js starts from the local copy, the speaker notes are in the page.

Needs `/usr/bin/chromium` (`apt-get install chromium`) and the `playwright` package (the `test` extra); Playwright
never downloads a browser here. Skipped when either is missing, except on CI, where that is a failure.
Set LEPTON_SCREENSHOTS=<dir> to keep the screenshots (the README's come from here).
"""

import contextlib
import functools
import http.server
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    COURSE,
    LOCAL_HOSTS,
    REPO,
    free_port,
    load_notebook,
    playwright_or_skip,
)

from lepton_training.facilitation.slides import build_slides
from lepton_training.site.build import build_site

pytestmark = pytest.mark.slow

NOTEBOOK = "00-orientation/00-orientation.ipynb"
SETTINGS_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
}
SERVER_START = PAGE_LOAD = KERNEL_READY = 60
STEP = 30


def _keep(path):
    keep = os.environ.get("LEPTON_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / path.name)


class Requests:
    """Every request a page makes; `outside()` lists those that would leave the machine."""

    def __init__(self):
        self.urls, self.failed = [], []

    def record(self, request):
        self.urls.append(request.url)

    def answer(self, response):
        # A missing local file (a MathJax font, a reveal.js plugin) is a broken offline copy.
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            self.failed.append(f"{response.status} {response.url}")

    def outside(self):
        leaving = []
        for url in self.urls:
            parts = urlsplit(url)
            if parts.scheme in {"data", "blob", "about", "file", "chrome-extension"}:
                continue
            if parts.hostname not in LOCAL_HOSTS:
                leaving.append(url)
        return leaving


@pytest.fixture
def browser(tmp_path):
    sync_playwright = playwright_or_skip()
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


def _page(browser, requests, width=1280, height=900):
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
    context.set_default_timeout(STEP * 1000)
    context.on("request", requests.record)
    context.on("response", requests.answer)
    return context.new_page()


# --- JupyterLab: the timer and the checkpoint -----------------------------------------------------------------


class Lab:
    def __init__(self, port, token, log):
        self.port, self.token, self.log = port, token, log
        self.base = f"http://127.0.0.1:{port}"

    def api(self, path, method="GET"):
        request = urllib.request.Request(
            f"{self.base}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            payload = response.read()
        return json.loads(payload) if payload else None

    def log_tail(self, chars=4000):
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""


@pytest.fixture
def lab(browser, jupyter_env, tmp_path):
    root = tmp_path / "course"
    shutil.copytree(COURSE, root)
    settings = tmp_path / "app_settings"
    settings.mkdir()
    (settings / "overrides.json").write_text(json.dumps(SETTINGS_OVERRIDES))
    env = dict(jupyter_env, JUPYTER_CONFIG_PATH=str(REPO))
    token, log = "lepton-facilitation-test", tmp_path / "jupyterlab.log"
    port = free_port()
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}"]
    command += ["--port-retries=0", f"--ServerApp.token={token}", f"--notebook-dir={root}"]
    command += [f"--LabApp.app_settings_dir={settings}"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    with log.open("wb") as out:
        server = subprocess.Popen(
            command, cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    lab = Lab(port, token, log)
    try:
        deadline = time.monotonic() + SERVER_START
        while True:
            try:
                lab.api("/api/status")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start:\n{lab.log_tail()}")
                time.sleep(0.25)
        yield lab
    finally:
        with contextlib.suppress(OSError):
            lab.api("/api/shutdown", method="POST")
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=5)


def _wait_for_idle_kernel(lab):
    deadline = time.monotonic() + KERNEL_READY
    sessions = []
    while time.monotonic() < deadline:
        sessions = lab.api("/api/sessions")
        kernels = [s["kernel"] for s in sessions if s["path"] == NOTEBOOK and s.get("kernel")]
        if any(k["execution_state"] == "idle" and k["connections"] >= 1 for k in kernels):
            return
        time.sleep(0.25)
    pytest.fail(f"no idle, connected kernel for {NOTEBOOK}: {sessions}\n{lab.log_tail()}")


def _run(page, cell):
    """Select a cell by its prompt (command mode) and run it with Shift+Enter; wait until it has run."""
    cell.locator(".jp-InputArea-prompt").click()
    page.keyboard.press("Shift+Enter")
    page.wait_for_function(
        "cell => /\\[\\d+\\]/.test(cell.querySelector('.jp-InputArea-prompt').textContent)",
        arg=cell.element_handle(),
    )


def test_timer_and_checkpoint_in_jupyterlab(lab, browser, tmp_path):
    requests = Requests()
    page = _page(browser, requests)
    index = {c["id"]: i for i, c in enumerate(load_notebook(COURSE / NOTEBOOK)["cells"])}
    page.goto(f"{lab.base}/lab/tree/{NOTEBOOK}?token={lab.token}", timeout=PAGE_LOAD * 1000)
    cells = page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell")
    cells.nth(len(index) - 1).wait_for(state="attached", timeout=PAGE_LOAD * 1000)
    _wait_for_idle_kernel(lab)
    timer, box = cells.nth(index["q3-timer"]), cells.nth(index["q3-checkpoint"])
    try:
        # The timer: a live widget, not its static fallback; play, and the time left goes down.
        _run(page, timer)
        timer.locator(".widget-play").wait_for()
        assert "6:00 left of 6:00" in timer.inner_text()
        assert "facilitator's timer" not in timer.inner_text(), "the static fallback shows instead of the widget"
        timer.locator(".widget-play button").first.click()
        page.wait_for_function(
            "cell => /5:5\\d left of 6:00/.test(cell.innerText)", arg=timer.element_handle(), timeout=STEP * 1000
        )
        assert timer.locator("progress, .progress-bar, .widget-progress").count() >= 1
        # The checkpoint: click Done, then Stuck; the answer is local and says what to do in the call.
        _run(page, box)
        box.locator("button", has_text="Done").click()
        box.get_by_text("You marked Exercise 3 as done").wait_for()
        assert "raise your hand" in box.inner_text()
        box.locator("button", has_text="Stuck").click()
        box.get_by_text("You marked Exercise 3 as stuck").wait_for()
        assert "q3.hint()" in box.inner_text()
        shot = tmp_path / "lab-timer-checkpoint.png"
        timer.scroll_into_view_if_needed()
        page.screenshot(path=str(shot))
        _keep(shot)
    except BaseException:
        with contextlib.suppress(Exception):
            page.screenshot(path=str(tmp_path / "lab-failure.png"))
            _keep(tmp_path / "lab-failure.png")
        raise
    assert requests.urls and not requests.outside(), f"requests leaving the machine: {requests.outside()}"


# --- the site and the slides, served on loopback ----------------------------------------------------------------


@contextlib.contextmanager
def serve(folder):
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_site_and_slides_work_offline(browser, tmp_path):
    site = build_site(REPO, tmp_path / "site").folder
    deck = build_slides(REPO, "00-orientation", "hide", tmp_path / "site" / "_slides")
    requests = Requests()
    page = _page(browser, requests)
    with serve(site) as base:
        # The index: modules in order, from course.toml.
        page.goto(f"{base}/index.html")
        links = page.locator("article a[href$='.html']", has_text=re.compile("Read the module"))
        assert links.count() >= 1
        shot = tmp_path / "site-index.png"
        page.screenshot(path=str(shot))
        _keep(shot)

        # One module with maths: the local MathJax typesets it.
        page.goto(f"{base}/02-model-optimization/02-model-optimization.html")
        page.locator("h1").first.wait_for()
        page.locator(".MathJax_CHTML, .MathJax, mjx-container").first.wait_for(state="attached", timeout=STEP * 1000)
        shot = tmp_path / "site-module.png"
        page.screenshot(path=str(shot))
        _keep(shot)

        # Search, offline: type in the sidebar's box, as a reader does.
        page.goto(f"{base}/index.html")
        page.locator("input[name='q']").first.fill("gradient")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"search\.html\?q=gradient"))
        results = page.locator("#search-results li, ul.search li")
        results.first.wait_for(timeout=STEP * 1000)
        assert any("Model optimization" in results.nth(i).inner_text() for i in range(results.count()))
        shot = tmp_path / "site-search.png"
        page.screenshot(path=str(shot))
        _keep(shot)

        # The slides: reveal.js from the local copy, the second slide, speaker notes in the page.
        page.goto(f"{base}/_slides/{deck.path.name}#/1")
        page.wait_for_function("() => window.Reveal && window.Reveal.isReady()")
        assert page.locator("aside.notes").count() == deck.notes
        for _press in range(10):  # through the slide's fragments to the next slide
            page.keyboard.press("ArrowRight")
            if page.evaluate("() => window.Reveal.getIndices().h") >= 2:
                break
            page.wait_for_timeout(100)
        assert page.evaluate("() => window.Reveal.getIndices().h") >= 2
        shot = tmp_path / "slide.png"
        page.screenshot(path=str(shot))
        _keep(shot)
    local = [u for u in requests.urls if urlsplit(u).hostname in LOCAL_HOSTS]
    assert any("searchindex.js" in u for u in local) and any("MathJax.js" in u for u in local)
    assert any("reveal.js/dist/reveal.js" in u for u in local)
    assert not requests.outside(), f"requests leaving the machine: {requests.outside()}"
    assert not requests.failed, f"requests that failed: {requests.failed}"


# --- every deck fits the screen; notes on arrival; the exercise timer --------------------------------------------

SLIDE_FITS_JS = """() => {
    const slide = Reveal.getCurrentSlide();
    return {fits: slide.scrollHeight <= slide.clientHeight + 2, height: slide.scrollHeight,
            title: (slide.querySelector('h1, h2, h3') || {textContent: ''}).textContent.slice(0, 60)};
}"""
# What reveal.js's notes plugin sends the speaker view on arrival: the slide's notes outside fragments.
NOTES_ON_ARRIVAL_JS = """() => Array.from(Reveal.getCurrentSlide().querySelectorAll('aside.notes'))
    .filter(note => note.closest('.fragment') === null).length"""


@pytest.mark.parametrize(
    "module_id",
    ["00-orientation", "01-data-prep", "02-model-optimization", "03-feature-engineering", "04-evaluation"]
    + ["05-recruitment-lp"],
)
def test_every_slide_fits_the_screen_shows_its_notes_and_times_exercises(browser, tmp_path, module_id):
    deck = build_slides(REPO, module_id, "hide", tmp_path / "slides")
    requests = Requests()
    page = _page(browser, requests, width=1280, height=800)
    with serve(tmp_path / "slides") as base:
        page.goto(f"{base}/{deck.path.name}")
        page.wait_for_function("() => window.Reveal && Reveal.isReady() && document.body.dataset.leptonPaginated")
        slides = page.evaluate("() => Reveal.getSlides().map(s => Reveal.getIndices(s))")
        overflowing, with_notes, exercise = [], 0, None
        for index in slides:
            page.evaluate(f"() => Reveal.slide({index['h']}, {index['v'] or 0}, 0)")
            state = page.evaluate(SLIDE_FITS_JS)
            if not state["fits"]:
                overflowing.append(state)
            with_notes += page.evaluate(NOTES_ON_ARRIVAL_JS) > 0
            if exercise is None and page.locator("#lepton-timer:not([hidden])").count():
                exercise = index
        assert not overflowing, f"{module_id}: slides taller than the screen: {overflowing}"
        assert with_notes and page.locator("aside.notes").count() == deck.notes
        # The timer: on the first exercise's slide, T starts the countdown, T again pauses it.
        assert exercise is not None, f"{module_id}: no exercise slide offers a timer"
        page.evaluate(f"() => Reveal.slide({exercise['h']}, {exercise['v'] or 0}, 0)")
        timer = page.locator("#lepton-timer")
        assert re.fullmatch(r"Start the \d+-minute timer \(T\)", timer.inner_text()), timer.inner_text()
        page.keyboard.press("t")
        page.wait_for_function("() => /left$/.test(document.getElementById('lepton-timer').textContent)")
        first = timer.inner_text()
        page.wait_for_function(
            "first => document.getElementById('lepton-timer').textContent !== first", arg=first, timeout=5000
        )
        page.keyboard.press("t")
        assert timer.inner_text().endswith("(paused)")
        shot = tmp_path / f"{module_id}-slide-timer.png"
        page.screenshot(path=str(shot))
        _keep(shot)
    assert not requests.outside() and not requests.failed, (requests.outside(), requests.failed)


def test_site_search_works_opened_from_disk(browser, tmp_path):
    """A facilitator double-clicks index.html: the search lists each result with its summary, without errors."""
    site = build_site(REPO, tmp_path / "site").folder
    requests = Requests()
    page = _page(browser, requests)
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto((site / "index.html").as_uri())
    page.locator("input[name='q']").first.fill("gradient")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"search\.html\?q=gradient"))
    results = page.locator("#search-results li, ul.search li")
    results.first.wait_for(timeout=STEP * 1000)
    page.locator("ul.search li p.context").first.wait_for(timeout=STEP * 1000)
    with_summary = page.locator("ul.search li:has(p.context)").count()
    assert with_summary == results.count(), f"{results.count() - with_summary} result(s) without a summary"
    summaries = page.locator("ul.search li p.context").all_inner_texts()
    assert any("gradient" in text.lower() for text in summaries), summaries[:3]
    assert not problems, f"errors in the console opened from disk: {problems[:5]}"
    assert not requests.outside(), requests.outside()
    shot = tmp_path / "site-search-from-disk.png"
    page.screenshot(path=str(shot))
    _keep(shot)
