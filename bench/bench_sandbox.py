"""Benchmark: the grading sandbox's cost per kernel, against a plain kernel started the same way.

Starts kernels alternately from the sandbox kernelspec `lepton-sandbox` (bubblewrap, prlimit, cgroups as root;
:mod:`lepton_training.grading.sandbox`) and from the plain `python3` kernelspec, with jupyter_client in a
scratch folder laid out as `lepton-training grade` lays it out, and times: start until the kernel answers,
the first cell (the module's imports, as a graded notebook starts), and shutdown.

    .venv/bin/python bench/bench_sandbox.py [--runs 3] [--module 00-orientation]

Prints one JSON object with the samples in seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def one_kernel(name: str, scratch: Path, code: str, sandbox: bool, index: int) -> dict:
    from jupyter_client import KernelManager

    runtime = scratch / "r" / str(index)
    runtime.mkdir(parents=True)
    work = scratch / "w" / str(index)
    work.mkdir(parents=True)
    tempfile.tempdir = str(runtime)  # the connection file: the sandbox accepts it only inside the scratch folder
    os.environ["JUPYTER_RUNTIME_DIR"] = str(runtime)
    kwargs = {"kernel_name": name}
    if sandbox:
        kwargs.update(transport="ipc", ip=str(runtime / "kernel"))
    km = KernelManager(**kwargs)
    times = {}
    start = time.perf_counter()
    km.start_kernel(cwd=str(work))
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        times["start_s"] = time.perf_counter() - start
        start = time.perf_counter()
        reply = kc.execute_interactive(code, timeout=300, output_hook=lambda msg: None)
        times["imports_s"] = time.perf_counter() - start
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"{name}: the imports failed: {reply['content'].get('evalue')}")
    finally:
        kc.stop_channels()
        start = time.perf_counter()
        km.shutdown_kernel(now=False)
        times["shutdown_s"] = time.perf_counter() - start
        tempfile.tempdir = None
    return times


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--module", default="00-orientation")
    args = parser.parse_args(argv)

    from lepton_training.grading import sandbox as sb

    sys.path.insert(0, str(BENCH))
    from run import REPO, notebook_imports

    code = notebook_imports(REPO / "course" / args.module / f"{args.module}.ipynb")
    scratch = Path(tempfile.mkdtemp(prefix="lg-", dir="/tmp"))  # short: Unix socket paths are limited
    cgroup = f"lepton-bench/{os.getpid()}"
    samples: dict[str, list[dict]] = {"sandbox": [], "plain": []}
    try:
        from lepton_training.grading.view import build_view

        cases = scratch / "cases.json"
        cases.write_text("{}")
        sb.write_kernelspec(scratch, build_view(args.module, scratch / "view"), cases)
        os.environ["JUPYTER_PATH"] = os.pathsep.join([str(scratch / "share"), os.environ.get("JUPYTER_PATH", "")])
        cgroups = os.geteuid() == 0 and sb.cgroups_available()
        index = 0
        for _ in range(args.runs):
            for kind in ("sandbox", "plain"):
                if kind == "sandbox" and cgroups:
                    os.environ[sb.CGROUP_ENV] = cgroup
                else:
                    os.environ.pop(sb.CGROUP_ENV, None)
                name = sb.KERNEL_NAME if kind == "sandbox" else "python3"
                samples[kind].append(one_kernel(name, scratch, code, kind == "sandbox", index))
                index += 1
    finally:
        if os.geteuid() == 0:
            sb.clean_cgroups(cgroup)
        shutil.rmtree(scratch, ignore_errors=True)
    print(json.dumps({"module": args.module, "cgroups": cgroups, **samples}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
