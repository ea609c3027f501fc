"""Benchmark: how building and solving the multi-period recruitment LP grow with plan size.

Plan size is roles x channels x quarters (one variable each). For every size the script builds a seeded
random instance with :func:`lepton_training.recruitment.build_multi_period` and solves it with
``scipy.optimize.linprog(method="highs")``, ``--repeat`` times (a call faster than ``--min-time`` is looped
inside one sample, as timeit does). It reports medians, the ratio of each median to the smallest size's
median in the same run, and memory:

- ``build peak MiB``: peak of Python/NumPy allocations while building (tracemalloc, in a separate untimed
  run because tracing slows allocation down);
- ``solve peak MiB``: the same while solving; HiGHS's own C++ memory is invisible to tracemalloc, so this
  counts SciPy's copies and results only;
- ``maxrss MiB``: the process's resident-set high-water mark after that size (getrusage). It never goes
  down, so with sizes in increasing order it is the footprint of the largest size so far.

Run from the repository root::

    .venv/bin/python bench/bench_recruitment_lp.py                      # default: about a minute
    .venv/bin/python bench/bench_recruitment_lp.py --sizes 5,50 --repeat 3
    .venv/bin/python bench/bench_recruitment_lp.py --json bench/results.json

Timings depend on the machine; nothing here is asserted by the tests.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import scipy
from scipy.optimize import linprog

from lepton_training.recruitment import build_multi_period

# Channel archetypes, loosely after the course's source document (school, social media, forums, ...).
BASE_COST = np.array([2000.0, 1000.0, 1500.0, 3000.0, 800.0])  # USD per candidate pursued
BASE_HIRE_RATE = np.array([0.8, 0.5, 0.6, 0.9, 0.3])  # expected hires per candidate
# Each channel's quarterly reach as a share of the candidates the roles need: the cheap channels are the
# tight ones, so capacity rows bind and the LP is not trivially "everything on the cheapest channel".
CAPACITY_SHARE = np.array([0.5, 0.25, 0.5, 0.8, 0.2])


def make_instance(n_roles: int, n_channels: int, n_quarters: int, seed: int) -> dict:
    """A random, always-feasible instance; the same (size, seed) always gives the same numbers."""
    # Seed from (seed, size) so an instance does not depend on which other sizes are in the run.
    rng = np.random.default_rng([seed, n_roles, n_channels, n_quarters])
    base = np.arange(n_channels) % len(BASE_COST)
    cost = BASE_COST[base] * rng.uniform(0.8, 1.25, size=(n_roles, n_channels))
    hire_rates = np.clip(BASE_HIRE_RATE[base] * rng.uniform(0.7, 1.3, size=(n_roles, n_channels)), 0.05, 1.0)
    target = rng.integers(1, 6, size=(n_roles, n_quarters)).astype(float)
    # Candidates needed if every role used only its lowest-hire-rate channel: an upper bound on any plan's need.
    worst_need = (target / hire_rates.min(axis=1)[:, None]).sum(axis=0)
    share = CAPACITY_SHARE[base] * (len(BASE_COST) / max(n_channels, 1))
    capacity = np.ceil(share[:, None] * worst_need[None, :])
    # At most the dearest cost per expected hire for every hire: never the reason a plan is infeasible.
    budget = (target * (cost / hire_rates).max(axis=1)[:, None]).sum(axis=0)
    return {"cost": cost, "hire_rates": hire_rates, "target": target, "capacity": capacity, "budget": budget}


def solve(model):
    return linprog(model.c, A_ub=model.A_ub, b_ub=model.b_ub, bounds=(0, None), method="highs")


def per_call(function, repeat: int, min_time: float) -> list[float]:
    """Seconds per call, `repeat` times; fast calls are looped until a sample lasts `min_time` (like timeit).

    A sub-millisecond call timed once is mostly scheduler noise on a shared 2-core machine.
    """
    start = time.perf_counter()
    function()
    first = time.perf_counter() - start
    number = max(1, math.ceil(min_time / max(first, 1e-9)))
    samples = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        for _ in range(number):
            function()
        samples.append((time.perf_counter() - start) / number)
    return samples


def measure(n_roles: int, n_channels: int, n_quarters: int, repeat: int, seed: int, min_time: float) -> dict:
    instance = make_instance(n_roles, n_channels, n_quarters, seed)
    model = build_multi_period(**instance)
    result = solve(model)
    if result.status != 0:
        raise RuntimeError(f"{n_roles} roles: the benchmark instance did not solve: {result.message}")
    objective = float(result.fun)
    build_times = per_call(lambda: build_multi_period(**instance), repeat, min_time)
    solve_times = per_call(lambda: solve(model), repeat, min_time)

    gc.collect()
    tracemalloc.start()
    model = build_multi_period(**instance)
    _, build_peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    solve(model)
    _, solve_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # ru_maxrss is in KiB on Linux and in bytes on macOS.
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 if sys.platform != "darwin" else 1024**2)

    return {
        "roles": n_roles,
        "channels": n_channels,
        "quarters": n_quarters,
        "variables": model.shape[1],
        "constraints": model.shape[0],
        "nonzeros": int(model.A_ub.nnz),
        "build_s": build_times,
        "solve_s": solve_times,
        "build_median_s": statistics.median(build_times),
        "solve_median_s": statistics.median(solve_times),
        "build_peak_mib": build_peak / 2**20,
        "solve_peak_mib": solve_peak / 2**20,
        "maxrss_mib": maxrss,
        "objective_usd": objective,
    }


def add_ratios(rows: list[dict]) -> None:
    first = rows[0]
    for row in rows:
        row["variables_ratio"] = row["variables"] / first["variables"]
        row["build_ratio"] = row["build_median_s"] / first["build_median_s"]
        row["solve_ratio"] = row["solve_median_s"] / first["solve_median_s"]


def print_table(rows: list[dict]) -> None:
    header = (
        f"{'roles':>6} {'vars':>8} {'rows':>7} {'nnz':>8} | {'build ms':>9} {'x':>6} | {'solve ms':>9} {'x':>6} | "
        f"{'vars x':>7} | {'build MiB':>9} {'solve MiB':>9} {'maxrss MiB':>10}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['roles']:>6} {row['variables']:>8,} {row['constraints']:>7,} {row['nonzeros']:>8,} | "
            f"{row['build_median_s'] * 1e3:>9.2f} {row['build_ratio']:>6.1f} | "
            f"{row['solve_median_s'] * 1e3:>9.1f} {row['solve_ratio']:>6.1f} | "
            f"{row['variables_ratio']:>7.0f} | "
            f"{row['build_peak_mib']:>9.1f} {row['solve_peak_mib']:>9.1f} {row['maxrss_mib']:>10.0f}"
        )


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="5,50,500,5000",
        help="comma-separated numbers of roles, smallest first (default: 5,50,500,5000, i.e. 100 to 100,000 "
        "variables with 5 channels and 4 quarters)",
    )
    parser.add_argument("--channels", type=int, default=5, help="channels per plan (default: 5)")
    parser.add_argument("--quarters", type=int, default=4, help="quarters per plan (default: 4)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per size; medians are reported (default: 5)")
    parser.add_argument("--seed", type=int, default=20240605, help="random seed of the instances")
    parser.add_argument(
        "--min-time",
        type=float,
        default=0.05,
        help="seconds each timed sample lasts at least; faster calls are repeated inside it (default: 0.05)",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args(argv)
    try:
        args.sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    except ValueError:
        parser.error(f"--sizes must be comma-separated integers; got {args.sizes!r}")
    if not args.sizes or min(args.sizes) < 1 or args.repeat < 1 or args.channels < 1 or args.quarters < 1:
        parser.error("--sizes, --repeat, --channels and --quarters must be positive")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    # Warm-up: the first HiGHS call pays one-off import and initialisation costs that are not the LP's.
    solve(build_multi_period(**make_instance(2, args.channels, args.quarters, args.seed)))
    print(
        f"Python {platform.python_version()}, NumPy {np.__version__}, SciPy {scipy.__version__}; "
        f"{args.channels} channels x {args.quarters} quarters; median of {args.repeat} samples "
        f"(each >= {args.min_time:g} s); seed {args.seed}"
    )
    rows = []
    for n_roles in args.sizes:
        rows.append(measure(n_roles, args.channels, args.quarters, args.repeat, args.seed, args.min_time))
        print(f"  measured {n_roles} roles ({rows[-1]['variables']:,} variables)", file=sys.stderr, flush=True)
    add_ratios(rows)
    print("x = median relative to the first size in this run")
    print_table(rows)
    if args.json:
        payload = {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "machine": platform.machine(),
            "repeat": args.repeat,
            "min_time_s": args.min_time,
            "seed": args.seed,
            "results": rows,
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
