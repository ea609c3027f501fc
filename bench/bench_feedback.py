"""Benchmark: the latency of a learner's check, the course's `q1.check()` against otter-grader's `grader.check`.

The same question on both sides: module 00's `completion_rate(enrolled, completed)`, a correct answer, and the
same public cases (48 enrolled, 36 completed; 20 of 20) plus, for otter, a third case (15 of 0) as otter's own
figure in the issue was measured on 3 cases. Each call is timed on its own (perf_counter_ns) after a warm-up;
the figure is the call and the rendering of its result as HTML, as a notebook shows it. The course's check runs
with the event record of attempts and hints on (`record_events = True`: the cost a learner pays in a kernel) and
off. The script runs in a fresh temporary "learner folder" and lists what the checks wrote to it.

    .venv/bin/python bench/bench_feedback.py --peer course [--calls 2000]
    bench/.venvs/otter/bin/python bench/bench_feedback.py --peer otter [--calls 2000]

Prints one JSON object: per variant the per-call times in microseconds (median, p95, min, max) and the files
written to the learner's folder, with their sizes.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

OTTER_TEST = """OK_FORMAT = True

test = {
    "name": "q1",
    "points": 1,
    "suites": [
        {
            "cases": [
                {"code": ">>> completion_rate(48, 36) == 0.75\\nTrue", "hidden": False, "locked": False},
                {"code": ">>> completion_rate(20, 20) == 1.0\\nTrue", "hidden": False, "locked": False},
                {"code": ">>> completion_rate(15, 0) == 0.0\\nTrue", "hidden": False, "locked": False},
            ],
            "scored": True,
            "setup": "",
            "teardown": "",
            "type": "doctest",
        }
    ],
}
"""


def completion_rate(enrolled, completed):
    return completed / enrolled


def summary(samples_ns: list[int]) -> dict:
    us = sorted(s / 1000 for s in samples_ns)
    return {
        "calls": len(us),
        "median_us": statistics.median(us),
        "p95_us": us[min(len(us) - 1, int(round(0.95 * (len(us) - 1))))],
        "min_us": us[0],
        "max_us": us[-1],
        "mean_us": statistics.fmean(us),
    }


def timed(call, calls: int, warmup: int = 20) -> list[int]:
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(calls):
        start = time.perf_counter_ns()
        call()
        samples.append(time.perf_counter_ns() - start)
    return samples


def listing(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.stat().st_size for p in sorted(folder.rglob("*")) if p.is_file()}


def course(calls: int, folder: Path) -> dict:
    import shutil

    from lepton_training import exercises
    from lepton_training.questions.orientation import q1

    repo = Path(__file__).resolve().parent.parent
    notebook = repo / "course" / "00-orientation" / "00-orientation.ipynb"
    if notebook.is_file():
        # As in a kernel: the event record reads the saved notebook once, for earlier sessions' events.
        shutil.copy(notebook, folder / notebook.name)
        os.environ["JPY_SESSION_NAME"] = str(folder / notebook.name)
    out = {}
    for label, on in (("check, event record on", True), ("check, event record off", False)):
        exercises.record_events = on
        before = listing(folder)
        result = q1.check(completion_rate)
        assert result.passed, result
        samples = timed(lambda: q1.check(completion_rate)._repr_html_(), calls)
        call_only = timed(lambda: q1.check(completion_rate), calls)
        after = listing(folder)
        out[label] = {
            **summary(samples),
            "call_only": summary(call_only),
            "written": {k: v for k, v in after.items() if before.get(k) != v},
        }
    for label, on in (("hint, event record on", True), ("hint, event record off", False)):
        exercises.record_events = on
        samples = timed(lambda: q1.hint(1)._repr_html_(), calls)
        out[label] = {**summary(samples), "written": {}}
    exercises.record_events = None
    import lepton_training

    out["version"] = getattr(lepton_training, "__version__", "")
    return out


def otter(calls: int, folder: Path) -> dict:
    import otter as otter_pkg
    from otter import Notebook

    tests = folder / "tests"
    tests.mkdir()
    (tests / "q1.py").write_text(OTTER_TEST)
    grader = Notebook(tests_dir=str(tests))
    env = {"completion_rate": completion_rate}
    before = listing(folder)
    result = grader.check("q1", env)
    assert result.grade == 1.0, result
    samples = timed(lambda: grader.check("q1", env)._repr_html_(), calls)
    call_only = timed(lambda: grader.check("q1", env), calls)
    after = listing(folder)
    written = {k: v for k, v in after.items() if before.get(k) != v and not k.startswith("tests/")}
    return {
        "grader.check, 3 cases": {**summary(samples), "call_only": summary(call_only), "written": written},
        "version": otter_pkg.__version__,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peer", choices=("course", "otter"), required=True)
    parser.add_argument("--calls", type=int, default=2000, help="timed calls per variant (default 2000)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-learner-") as tmp:
        folder = Path(tmp)
        os.chdir(folder)  # the learner's folder is the kernel's working folder
        result = (course if args.peer == "course" else otter)(args.calls, folder)
    print(json.dumps({"peer": args.peer, "python": sys.version.split()[0], **result}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
