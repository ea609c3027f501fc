"""`make lab`, the README's first command, serves the course in a real JupyterLab."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
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


def test_make_lab_serves_the_course(jupyter_env):
    venv = Path(sys.prefix)
    if not (venv / ".lepton-installed").exists():
        reason = f"{venv} was not set up by `make setup`; `make lab` would create another environment"
        if is_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    port, token = _free_port(), "lepton-lab-test"
    command = ["make", "lab", f"VENV={venv}", f"PORT={port}", f"LAB_ARGS=--no-browser --ServerApp.token={token}"]
    server = subprocess.Popen(
        command, cwd=REPO, env=jupyter_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                status, _ = _get(f"{base}/api/status", token)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    output = server.stdout.read().decode(errors="replace") if server.poll() is not None else ""
                    pytest.fail(f"JupyterLab did not start on port {port}:\n{output[-3000:]}")
                time.sleep(0.5)
        assert status == 200
        # The server's root is course/: every module's learner notebook is there, and the lab page loads.
        for module in module_ids():
            status, body = _get(f"{base}/api/contents/{module}/{module}.ipynb?content=0", token)
            assert status == 200 and json.loads(body)["type"] == "notebook"
        status, body = _get(f"{base}/lab", token)
        assert status == 200 and b"JupyterLab" in body
        status, body = _get(f"{base}/api/kernelspecs", token)
        assert "python3" in json.loads(body)["kernelspecs"]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
