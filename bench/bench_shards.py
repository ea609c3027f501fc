"""Benchmark: `lepton-training grade --shard K/N`, N processes at once against one PostgreSQL gradebook.

On the same honest submissions (the solutions, learners l00..) of a module, for each N: N processes
`lepton-training grade MODULE --shard K/N --jobs J --no-feedback` started together on one course root, writing to
one fresh PostgreSQL database; the wall time from the first start to the last exit, and the graders' CPU time: the
`grade` processes and the children they reap (`RUSAGE_CHILDREN`; the learners' kernels end with their sandbox and are
not reaped by them, so their time is not in it). Every run checks that each learner was graded exactly once (one row per
learner) with the scores of the N=1 run. Several runs per N, medians.

One machine stands in for N machines here: with N processes on C cores the wall time stops falling once N x J
exceeds C, and each shard pays its own fixed costs (start-up, the template, grading the instructor's notebook).
The graders' CPU time shows each extra shard's fixed cost.

    .venv/bin/python bench/bench_shards.py [--module 00-orientation] [--learners 24] [--shards 1,2,4] [--runs 3]

The figures of record come from `bench/run.py --only shards` (the `shards` section of bench/RESULTS.md).
"""

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import bench_grading  # noqa: E402


def children_cpu() -> float:
    """CPU seconds (user + system) of every waited-for child process so far (and of what those reaped)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def reset_database(url: str) -> None:
    """Drop and recreate the gradebook database: every run starts from an empty one, as a first grading does."""
    import psycopg

    server, name = url.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def pg_scores(url: str, module: str) -> tuple[dict, int]:
    """Learner -> score, and the number of submission rows (to see a doubled learner)."""
    from nbgrader.api import Gradebook, SubmittedAssignment

    with Gradebook(url, course_id="lepton-training") as gb:
        scores = {s.student.id: round(s.score, 4) for s in gb.assignment_submissions(module)}
        rows = gb.db.query(SubmittedAssignment).count()
    return scores, rows


def run_shards(root: Path, module: str, url: str, shards: int, jobs: int) -> tuple[float, float, dict, int]:
    """Grade every submission with ``shards`` processes at once; return wall s, CPU s, scores, submission rows."""
    bench_grading.reset(root)
    reset_database(url)
    env = {**bench_grading.env(), "LEPTON_GRADEBOOK_URL": url}
    cpu0, started = children_cpu(), time.perf_counter()
    procs = [
        subprocess.Popen(
            [
                "lepton-training",
                "grade",
                module,
                "--root",
                str(root),
                "--jobs",
                str(jobs),
                "--shard",
                f"{k}/{shards}",
                "--no-feedback",
            ],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for k in range(shards)
    ]
    outputs = [p.communicate(timeout=3600)[0] for p in procs]
    wall, cpu = time.perf_counter() - started, children_cpu() - cpu0
    failed = [out[-1500:] for p, out in zip(procs, outputs, strict=True) if p.returncode != 0]
    if failed:
        raise RuntimeError(f"a shard failed: {failed[0]}")
    scores, rows = pg_scores(url, module)
    return wall, cpu, scores, rows


def measure(module: str, learners: int, counts: list[int], runs: int, jobs: int, url: str) -> dict:
    """Every N of ``counts``, ``runs`` times, interleaved (N=1, N=2, ..., then again); samples and the checks."""
    root, _ = bench_grading.make_root(module, learners)
    samples = {n: {"wall": [], "cpu": []} for n in counts}
    reference, exact = None, True
    try:
        for _ in range(runs):
            for n in counts:
                wall, cpu, scores, rows = run_shards(root, module, url, n, jobs)
                samples[n]["wall"].append(wall)
                samples[n]["cpu"].append(cpu)
                reference = reference or scores
                exact &= scores == reference and len(scores) == learners and rows == learners
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return {"samples": samples, "exact": exact, "learners": learners, "jobs": jobs, "module": module}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", default="00-orientation")
    parser.add_argument("--learners", type=int, default=24)
    parser.add_argument("--shards", default="1,2,4", help="the values of N, comma-separated")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=1, help="kernels at once within each shard")
    args = parser.parse_args()
    sys.path.insert(0, str(BENCH))
    from run import PG_PORT, postgres_server

    counts = [int(n) for n in args.shards.split(",")]
    with postgres_server(port=PG_PORT + 20) as url:
        result = measure(args.module, args.learners, counts, args.runs, args.jobs, url)
    base = statistics.median(result["samples"][counts[0]]["wall"])
    print(f"{platform.platform()}, {os.cpu_count()} cores; {args.module}, {args.learners} honest submissions")
    print(f"every learner graded once, scores identical to N={counts[0]}: {result['exact']}")
    print(f"{'N':>3} {'wall s':>8} {'x':>6} {'CPU s':>8}   runs (wall)")
    for n in counts:
        wall, cpu = result["samples"][n]["wall"], result["samples"][n]["cpu"]
        w = statistics.median(wall)
        print(f"{n:>3} {w:8.1f} {base / w:6.2f} {statistics.median(cpu):8.1f}   {[round(x, 1) for x in wall]}")


if __name__ == "__main__":
    main()
