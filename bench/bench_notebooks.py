"""How long each module notebook takes to run from a fresh kernel, against the cost of a fresh kernel alone.

The course standard allows at most 20 s per module on a 2-core machine. Each notebook (instructor version
under solutions/, learner release under course/) is executed with nbclient in a new kernel, several times; the
baseline is an empty notebook run the same way in the same session, so the ratio shows what the module itself
costs beyond starting Python.

    python bench/bench_notebooks.py                  # every module, 3 runs each
    python bench/bench_notebooks.py --repeat 5 --json bench/results/notebooks.json
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent
LIMIT_S = 20.0


def run_once(nb: nbformat.NotebookNode, cwd: Path) -> float:
    client = NotebookClient(
        nb, timeout=120, kernel_name="python3", allow_errors=True, resources={"metadata": {"path": str(cwd)}}
    )
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def measure(path: Path | None, repeat: int) -> list[float]:
    nb = nbformat.v4.new_notebook() if path is None else nbformat.read(path, as_version=4)
    nb.cells = nb.cells or [nbformat.v4.new_code_cell("pass")]
    cwd = REPO if path is None else path.parent
    return [run_once(nbformat.from_dict(json.loads(json.dumps(nb))), cwd) for _ in range(repeat)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per notebook (default 3)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)

    baseline = measure(None, args.repeat)
    base = statistics.median(baseline)
    rows = [{"notebook": "(empty notebook: kernel start)", "median_s": base, "runs_s": baseline, "ratio": 1.0}]
    for folder in ("solutions", "course"):
        for path in sorted((REPO / folder).glob("*/*.ipynb")):
            runs = measure(path, args.repeat)
            med = statistics.median(runs)
            rows.append({"notebook": str(path.relative_to(REPO)), "median_s": med, "runs_s": runs, "ratio": med / base})
    width = max(len(r["notebook"]) for r in rows)
    print(f"{'notebook':<{width}}  median s  x kernel  runs (s)")
    for r in rows:
        runs = ", ".join(f"{x:.2f}" for x in r["runs_s"])
        flag = "  OVER 20 s" if r["median_s"] > LIMIT_S else ""
        print(f"{r['notebook']:<{width}}  {r['median_s']:8.2f}  {r['ratio']:8.1f}  {runs}{flag}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"python": sys.version, "repeat": args.repeat, "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
