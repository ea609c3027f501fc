"""Benchmark: `lepton-training report` on a synthetic gradebook of a company-sized class.

Writes a synthetic nbgrader gradebook (SQLite; `lepton_training.report.synthetic`): LEARNERS learners, six
modules of QUESTIONS/6 questions each (50 questions by default: 8 or 9 per module), plus the pre- and post-course
quizzes (18 questions each), then times `build_report` end to end in a fresh process per run: reading every grade,
item analysis, learners at risk, learning gain with its bootstrap intervals, the figures, the HTML and the CSV.
No submitted notebooks exist, so the event record and survey steps find nothing (they read files, one per
learner; they are timed separately in tests). Writing the gradebook is not timed. Goal: at most 2 s on a quiet
2-core machine (issue 22). Wall and CPU time (`time.process_time`, the report process's own) are printed side by
side, per step too: on a loaded machine read the CPU time.

    .venv/bin/python bench/bench_report.py [--learners 10000] [--questions 50] [--runs 3]

Figures: bench/RESULTS.md (`bench/run.py --only report`).
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MODULES = (
    "00-orientation",
    "01-data-prep",
    "02-model-optimization",
    "03-feature-engineering",
    "04-evaluation",
    "05-recruitment-lp",
)

RUN = """
import json, sys, time
started, cpu = time.perf_counter(), time.process_time()
from lepton_training.report import build_report
report = build_report(sys.argv[1], db_url=sys.argv[2], out=sys.argv[3], events=False, survey=False)
total, total_cpu = time.perf_counter() - started, time.process_time() - cpu
print(json.dumps({"total": total, **report.seconds, "cpu": {"total": total_cpu, **report.cpu_seconds}}))
"""


def main() -> None:
    """Write the gradebook, time the report in fresh processes, print medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--questions", type=int, default=50, help="graded questions over the six modules")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from lepton_training.report.synthetic import write_synthetic_gradebook

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        started = time.perf_counter()
        # 50 questions over six modules: 9, 9, 8, 8, 8, 8.
        base, extra = divmod(args.questions, len(MODULES))
        per_module = tuple(base + (i < extra) for i in range(len(MODULES)))
        url = write_synthetic_gradebook(tmp / "gradebook.db", args.learners, per_module, MODULES, seed=1)
        print(
            f"gradebook: {args.learners} learners x {sum(per_module)} questions (+ 2 quizzes of 18), "
            f"written in {time.perf_counter() - started:.1f} s, {(tmp / 'gradebook.db').stat().st_size / 1e6:.0f} MB"
        )
        runs = []
        for _ in range(args.runs):
            done = subprocess.run(
                [sys.executable, "-c", RUN, str(tmp), url, str(tmp / "out")], capture_output=True, text=True, check=True
            )
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
        steps = {k: statistics.median(r[k] for r in runs) for k in runs[0] if k != "cpu"}
        cpu = {k: statistics.median(r["cpu"][k] for r in runs) for k in runs[0]["cpu"]}
        print(
            f"report (median of {args.runs} fresh processes, imports included): {steps.pop('total'):.2f} s wall, "
            f"{cpu.pop('total'):.2f} s CPU"
        )
        print("  " + ", ".join(f"{k} {v:.2f} s (CPU {cpu[k]:.2f} s)" for k, v in steps.items()))
        print(
            f"  runs: {', '.join(format(r['total'], '.2f') for r in runs)} s wall; "
            f"{', '.join(format(r['cpu']['total'], '.2f') for r in runs)} s CPU; {platform.python_version()}, "
            f"{platform.machine()}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
        )


if __name__ == "__main__":
    main()
