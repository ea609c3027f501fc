"""`make lab`, the README's first command, serves the course in a real JupyterLab, as a learner sees it (no
nbgrader authoring or grading tools); `make instructor-lab` serves the repository with them."""

import html
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO, is_ci, module_ids

pytestmark = pytest.mark.slow


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url, token):
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, response.read()


def _page_config(body):
    """The JSON page configuration JupyterLab embeds in /lab."""
    match = re.search(rb'<script id="jupyter-config-data" type="application/json">(.*?)</script>', body, re.S)
    assert match, "no jupyter-config-data in /lab"
    return json.loads(html.unescape(match.group(1).decode()))


def _status(url, token):
    try:
        return _get(url, token)[0]
    except urllib.error.HTTPError as exc:
        return exc.code


class _MakeLab:
    """`make <target>` serving JupyterLab on a free port; stopped on exit."""

    def __init__(self, target, env):
        venv = Path(sys.prefix)
        if not (venv / ".lepton-installed").exists():
            reason = f"{venv} was not set up by `make setup`; `make {target}` would create another environment"
            if is_ci():
                pytest.fail(reason)
            pytest.skip(reason)
        self.port, self.token = _free_port(), "lepton-lab-test"
        self.base = f"http://127.0.0.1:{self.port}"
        lab_args = f"LAB_ARGS=--no-browser --ServerApp.token={self.token}"
        command = ["make", target, f"VENV={venv}", f"PORT={self.port}", lab_args]
        self.server = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
        )

    def __enter__(self):
        deadline = time.monotonic() + 120
        while True:
            try:
                status, _ = _get(f"{self.base}/api/status", self.token)
                break
            except OSError:
                if self.server.poll() is not None or time.monotonic() > deadline:
                    output = (
                        self.server.stdout.read().decode(errors="replace") if self.server.poll() is not None else ""
                    )
                    self.__exit__()
                    pytest.fail(f"JupyterLab did not start on port {self.port}:\n{output[-3000:]}")
                time.sleep(0.5)
        assert status == 200
        return self

    def get(self, path):
        return _get(f"{self.base}{path}", self.token)

    def __exit__(self, *exc):
        os.killpg(self.server.pid, signal.SIGTERM)
        try:
            self.server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.server.pid, signal.SIGKILL)


NBGRADER_TOOLS = ("/formgrader", "/assignments", "/courses")


def test_make_lab_serves_the_course_as_a_learner_sees_it(jupyter_env):
    with _MakeLab("lab", jupyter_env) as lab:
        # The server's root is the working copy work/, made from course/: every module's learner notebook is there,
        # and the lab page loads.
        for module in module_ids():
            status, body = lab.get(f"/api/contents/{module}/{module}.ipynb?content=0")
            assert status == 200 and json.loads(body)["type"] == "notebook"
        status, body = lab.get("/lab")
        assert status == 200 and b"JupyterLab" in body
        # No nbgrader in the learner's page: its lab extension (menu, Create Assignment, Validate, Formgrader,
        # Assignments) is disabled, and so are its server extensions.
        disabled = _page_config(body)["disabledExtensions"]
        assert "@jupyter/nbgrader" in disabled, disabled
        for path in NBGRADER_TOOLS:
            assert _status(f"{lab.base}{path}", lab.token) == 404, path
        # No news pop-up: the plugin that asks is off and the server fetches no news.
        assert "@jupyterlab/apputils-extension:announcements" in disabled, disabled
        assert _page_config(body)["news"] == {"disabled": True}
        status, body = lab.get("/lab/api/news")
        assert json.loads(body)["news"] == []
        assert (REPO / "work" / "00-orientation" / "00-orientation.ipynb").is_file()
        # The widgets extension stays: the course's widgets need it.
        assert not any(name.startswith("@jupyter-widgets") for name in disabled)
        status, body = lab.get("/api/kernelspecs")
        assert "python3" in json.loads(body)["kernelspecs"]


def test_make_instructor_lab_serves_the_repository_with_nbgrader(jupyter_env):
    with _MakeLab("instructor-lab", jupyter_env) as lab:
        status, body = lab.get("/api/contents/solutions?content=1")
        assert status == 200 and {m["name"] for m in json.loads(body)["content"]} >= set(module_ids())
        status, body = lab.get("/lab")
        disabled = _page_config(body)["disabledExtensions"]
        assert not any(name.startswith("@jupyter/nbgrader") for name in disabled), disabled
        assert _status(f"{lab.base}/formgrader", lab.token) == 200
