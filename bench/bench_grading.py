"""Benchmark: `lepton-training grade --jobs N` against serial stock `nbgrader autograde`, and the floor.

On the same N honest submissions (the solutions, submitted by learners l00..l39) of a module:

* stock: one `nbgrader autograde MODULE` command (serial, unsandboxed, scores from the learner's kernel);
* grade: `lepton-training grade MODULE --jobs J` (sandboxed, verified scores, no feedback/CSV);
* floor: a fresh kernel running the notebook's cells (nbclient), per notebook.

Scores must be identical. Prints medians of several runs, the ratios, and the machine and commit.

    .venv/bin/python bench/bench_grading.py [--module 00-orientation] [--learners 40] [--runs 3] [--jobs 2]

The figures of record come from `make bench` (bench/run.py, which calls these functions) in bench/RESULTS.md:
on 2026-12-05, after native threads were pinned to one per sandboxed kernel, 40 submissions of 00-orientation,
2 runs each on a quiet 2-core machine (load 0.5 at the start): stock 87.9 s, grade --jobs 2 44.8 s (1.96x), a
worker's time per notebook 1.26x the floor; the machine's busy CPU time per notebook (kernels included) 2.06 s
for stock and 1.77 s for grade.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from conftest import cell_source, copy_course_root, nbgrader_meta, submit, with_answers  # noqa: E402


def make_root(module, learners):
    root = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    copy_course_root(root, [module])
    source = json.loads((REPO / "solutions" / module / f"{module}.ipynb").read_text())
    release = json.loads((REPO / "course" / module / f"{module}.ipynb").read_text())
    answers = {
        nbgrader_meta(c)["grade_id"]: cell_source(c) for c in source["cells"] if nbgrader_meta(c).get("solution")
    }
    honest = with_answers(release, answers)
    for i in range(learners):
        submit(root, module, f"l{i:02d}", honest)
    return root, honest


def env():
    values = dict(os.environ)
    values["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), values.get("PATH", "")])
    values.pop("LEPTON_GRADEBOOK_URL", None)
    return values


def scores(root, module):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course_id="lepton-training") as gb:
        return {s.student.id: round(s.score, 4) for s in gb.assignment_submissions(module)}


def reset(root):
    for name in ("autograded", "feedback", "grades", "course"):
        shutil.rmtree(root / name, ignore_errors=True)
    (root / "gradebook.db").unlink(missing_ok=True)


def run_stock(root, module):
    reset(root)
    generated = subprocess.run(
        ["nbgrader", "generate_assignment", module, "--force"], cwd=root, env=env(), capture_output=True, text=True
    )
    assert generated.returncode == 0, generated.stderr[-2000:]
    started = time.perf_counter()
    proc = subprocess.run(["nbgrader", "autograde", module], cwd=root, env=env(), capture_output=True, text=True)
    seconds = time.perf_counter() - started
    assert proc.returncode == 0, proc.stderr[-2000:]
    return seconds, scores(root, module)


def run_grade(root, module, jobs):
    reset(root)
    started = time.perf_counter()
    command = ["lepton-training", "grade", module, "--root", str(root), "--jobs", str(jobs), "--no-feedback"]
    proc = subprocess.run(command, cwd=root, env=env(), capture_output=True, text=True)
    seconds = time.perf_counter() - started
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return seconds, scores(root, module)


def run_floor(notebook, root, shutdown="graceful"):
    """A fresh kernel running the notebook's cells (nbclient); ``shutdown="immediate"`` kills it at the end
    instead of asking it to exit, as `grade` does: the stricter floor."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.reads(json.dumps(notebook), as_version=4)
    started = time.perf_counter()
    client = NotebookClient(
        nb, kernel_name="python3", shutdown_kernel=shutdown, resources={"metadata": {"path": str(root)}}
    )
    client.execute()
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", default="00-orientation")
    parser.add_argument("--learners", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()

    root, honest = make_root(args.module, args.learners)
    try:
        floors = [run_floor(honest, root) for _ in range(max(3, args.runs))]
        stock, grade = [], []
        for _ in range(args.runs):
            seconds, stock_scores = run_stock(root, args.module)
            stock.append(seconds)
            seconds, grade_scores = run_grade(root, args.module, args.jobs)
            grade.append(seconds)
            assert stock_scores == grade_scores, (stock_scores, grade_scores)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout
    n = args.learners
    s, g, f = statistics.median(stock), statistics.median(grade), statistics.median(floors)
    print(f"commit {commit.strip()} (plus the working tree), {platform.platform()}, {os.cpu_count()} cores")
    print(f"{args.module}, {n} honest submissions, medians of {args.runs} runs; scores identical in every run")
    print(f"  stock nbgrader autograde (serial): {s:7.1f} s  ({s / n:.2f} s per notebook)  runs {stock}")
    print(f"  lepton-training grade --jobs {args.jobs}:   {g:7.1f} s  ({g / n:.2f} s per notebook)  runs {grade}")
    print(f"  floor (fresh kernel, all cells):  {f:7.2f} s per notebook  runs {floors}")
    print(f"  speed-up over stock: {s / g:.2f}x (goal >= 1.7x)")
    print(f"  per notebook vs the floor: {g * args.jobs / n / f:.2f}x of a worker's time (goal <= 1.3x)")


if __name__ == "__main__":
    main()
