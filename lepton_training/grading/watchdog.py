"""The watchdog of a grade run: ends what the run started when the run dies without cleaning up.

A run that is killed outright (``kill -9``, the out-of-memory killer) runs no handler. Its grading children die
with it (``PR_SET_PDEATHSIG``), and bubblewrap is asked to die with them, but bubblewrap sets that up only once
it has started, so a kernel being started at that moment could outlive the run. The watchdog is a small
process of its own session that holds the read end of a pipe whose write end only the run and its children
hold. When the pipe closes without the run's "done", it kills every process that names the run's scratch folder
(children, bubblewrap, kernels), empties and removes the run's cgroups, and removes the scratch folder.

    python -m lepton_training.grading.watchdog SCRATCH CGROUP_PREFIX
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["DONE", "start_watchdog", "stray_processes"]

#: What the run writes to the pipe when it has cleaned up after itself.
DONE = b"done\n"


def start_watchdog(scratch: Path, cgroup_prefix: str) -> int:
    """Start the watchdog of a run; return the pipe's write end, to keep open for as long as the run lives.

    Parameters
    ----------
    scratch : pathlib.Path
        The run's scratch folder: every process that names it belongs to the run.
    cgroup_prefix : str
        Name prefix of the run's cgroups (``lepton-grading/<scratch name>``), emptied and removed as well.

    Returns
    -------
    int
        File descriptor: write :data:`DONE` to it and close it when the run ends normally.
    """
    read, write = os.pipe()
    subprocess.Popen(
        [sys.executable, "-m", "lepton_training.grading.watchdog", str(scratch), cgroup_prefix],
        stdin=read,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # a Ctrl-C or a kill of the run's process group does not reach it
        close_fds=True,
    )
    os.close(read)
    return write


def stray_processes(scratch: Path) -> list[int]:
    """Return the processes whose command line or working folder names ``scratch``.

    Parameters
    ----------
    scratch : pathlib.Path

    Returns
    -------
    list of int
    """
    needle = str(scratch).encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cwd = os.readlink(entry / "cwd")
            if needle in (entry / "cmdline").read_bytes() or cwd == str(scratch) or cwd.startswith(f"{scratch}/"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _clean_up(scratch: Path, cgroup_prefix: str) -> None:
    from lepton_training.grading.sandbox import CGROUP_ROOT, clean_cgroups

    for _ in range(100):
        pids = stray_processes(scratch)
        if not pids:
            break
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.05)
    parent, _, stem = cgroup_prefix.rpartition("/")
    for controller in ("pids", "memory"):
        base = CGROUP_ROOT / controller / parent
        if base.is_dir():
            for folder in base.glob(f"{stem}-*"):
                clean_cgroups(f"{parent}/{folder.name}")
    shutil.rmtree(scratch, ignore_errors=True)


def main(argv: list[str]) -> int:
    """Wait for the run to end; clean up after it unless it said it had."""
    scratch, cgroup_prefix = Path(argv[0]), argv[1]
    received = b""
    while True:
        chunk = os.read(0, 64)
        if not chunk:
            break
        received += chunk
    if DONE not in received:
        _clean_up(scratch, cgroup_prefix)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
