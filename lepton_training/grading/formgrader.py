"""The Formgrader's *Autograde* button, routed through ``lepton-training grade`` (the sandboxed path).

Stock ``nbgrader autograde`` runs a learner's notebook in an ordinary kernel with the instructor's rights and
takes its scores from what that kernel printed. On the hub, the instructor's server loads this Jupyter server
extension (``deploy/jupyter/instructor/jupyter_server_config.json``), and the button grades the learner exactly
as ``lepton-training grade MODULE --learner ID`` does: in the sandbox, with verified scores, one transaction in
the gradebook. When the sandbox cannot run on that server the button fails with the reason; it never falls back
to stock grading.

The Formgrader builds a new ``nbgrader.apps.api.NbGraderAPI`` for every request and offers no setting to choose
another class, so the extension replaces that class's ``autograde`` method when the server starts. The grading
runs in a child process (``python -m lepton_training.grading.formgrader``): the server's own process, with its
threads and event loop, never forks graders.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

__all__ = ["sandboxed_autograde"]

#: Seconds the button waits for one learner (the solution check, the learner, the feedback).
TIMEOUT = 1800


def sandboxed_autograde(api: Any, assignment_id: str, student_id: str, force: bool = True, create: bool = True) -> dict:
    """Grade one learner's submission with ``lepton-training grade`` (replaces ``NbGraderAPI.autograde``).

    Parameters
    ----------
    api : nbgrader.apps.api.NbGraderAPI
        Its ``coursedir.root`` is the course root.
    assignment_id, student_id : str
    force, create : bool
        nbgrader's arguments: ``grade`` always regrades and always creates the learner.

    Returns
    -------
    dict
        What the Formgrader expects: ``success``, ``log`` and, on failure, ``error``.
    """
    command = [sys.executable, "-m", __name__, str(api.coursedir.root), assignment_id, student_id]
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, env=dict(os.environ))
    except subprocess.TimeoutExpired:
        return {"success": False, "error": f"lepton-training grade took more than {TIMEOUT} s", "log": ""}
    log = proc.stderr
    try:
        outcome = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return {"success": False, "error": f"lepton-training grade failed:\n{proc.stdout}{proc.stderr}", "log": log}
    if outcome["status"] == "not graded":
        return {"success": False, "error": f"{student_id} was not graded: {outcome['reason']}", "log": log}
    return {"success": True, "log": log + outcome["summary"]}


def _grade_one(root: str, module_id: str, learner: str) -> dict:
    from lepton_training.grading.run import GradingError, grade_module

    try:
        run = grade_module(root, module_id, learners=[learner])
    except GradingError as exc:
        return {"status": "not graded", "reason": str(exc), "summary": ""}
    (result,) = [r for r in run.results if r.learner == learner]
    return {"status": result.status, "reason": result.reason, "summary": run.summary()}


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": __name__}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    from nbgrader.apps.api import NbGraderAPI

    NbGraderAPI.autograde = sandboxed_autograde
    serverapp.log.info("Lepton Training: the Formgrader's Autograde runs lepton-training grade (sandboxed)")


if __name__ == "__main__":
    print(json.dumps(_grade_one(*sys.argv[1:4])))
