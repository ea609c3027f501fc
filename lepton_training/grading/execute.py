"""nbgrader's Execute step, bounded: output, a whole-notebook deadline, and nothing left behind.

nbgrader's ``Execute`` (nbclient) keeps every byte a cell prints in the grader's memory until the cell ends,
and its timeout is per cell. :class:`BoundedExecute` replaces it in ``Autograde.autograde_preprocessors``:

* output beyond ``output_bytes`` for the notebook is dropped while it arrives, with one line saying so; the
  records the test cells publish (:mod:`.recorder`) have a budget of their own, ``record_bytes``;
* each cell's timeout is also bounded by what is left of ``notebook_timeout``;
* a cell that cannot finish (the kernel died, stopped answering, or the notebook's time is up) ends the run
  *there*: the cells before it keep their outputs and are graded, the cell says why it stopped, and the cells
  after it are left unrun, instead of the whole notebook being lost;
* after the kernel has stopped, its cgroups are emptied and removed, and anything in the working folder that is
  not a regular file is deleted *before* nbgrader writes the graded notebook there: a symbolic link the
  learner's kernel planted under the notebook's name would otherwise make nbgrader (outside the sandbox) write
  through it.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Int, List

from lepton_training.grading.recorder import RECORD_MIME
from lepton_training.grading.sandbox import CGROUP_ENV, clean_cgroups
from lepton_training.grading.verify import STOPPED_ERROR, UNFINISHED_ERROR

__all__ = ["BoundedExecute", "KERNEL_STOPPED"]

#: Called, in the grading child, once a notebook's kernel has stopped and been cleaned up: the run starts the
#: next learner's kernel while this one's notebook is still being scored.
KERNEL_STOPPED: list = []


class BoundedExecute(Execute):
    """nbgrader's ``Execute`` with an output budget, a notebook deadline and a clean-up afterwards."""

    output_bytes = Int(2_000_000, help="Output the whole notebook may produce; the rest is dropped.").tag(config=True)
    record_bytes = Int(64_000_000, help="Size of the answers the test cells may record in all.").tag(config=True)
    notebook_timeout = Int(300, help="Seconds the whole notebook may run.").tag(config=True)
    removed = List([], help="Non-regular files removed from the working folder after the run (set by the run).")

    def create_kernel_manager(self) -> Any:
        """Create the kernel manager; its clients refuse any single message larger than the record budget.

        The output budget is counted as messages arrive, but a message is in this process's memory whole before
        it can be counted: one ``print`` of hundreds of megabytes would be. ZeroMQ drops such a message (and the
        connection) before reading it, so the grader's memory stays bounded; the cell then ends without output.
        """
        import functools

        import zmq
        import zmq.asyncio

        km = super().create_kernel_manager()
        context = zmq.asyncio.Context()
        context.setsockopt(zmq.MAXMSGSIZE, max(self.record_bytes, 4 * self.output_bytes))
        km.client = functools.partial(km.client, context=context)
        return km

    def preprocess(self, nb: Any, resources: Any, km: Any = None) -> tuple[Any, Any]:
        """Execute the notebook, then clean up what the kernel left."""
        self._sent = 0
        self._recorded = 0
        self._truncated = False
        self.stopped = ""
        # A cell that never answers must not cost the whole notebook: nbclient would raise and lose every cell.
        self.raise_on_iopub_timeout = False
        self._deadline = time.monotonic() + self.notebook_timeout
        cell_timeout = self.timeout
        self.timeout_func = lambda cell: max(1, min(cell_timeout or 10**9, int(self._deadline - time.monotonic())))
        try:
            return super().preprocess(nb, resources, km=km)
        except Exception as exc:  # noqa: BLE001 - the kernel's end: what ran so far is graded
            self.stopped = self.stopped or _reason(exc)
            return nb, resources
        finally:
            if os.environ.get(CGROUP_ENV):
                clean_cgroups(os.environ[CGROUP_ENV])
            folder = resources.get("metadata", {}).get("path") or "."
            self.removed = _remove_non_regular(Path(folder))
            for hook in KERNEL_STOPPED:
                hook()

    def preprocess_cell(self, cell: Any, resources: Any, index: int) -> tuple[Any, Any]:
        """Run one cell, unless grading has stopped; a cell that cannot finish stops grading there."""
        if self.stopped or cell.cell_type != "code":
            return cell, resources
        if time.monotonic() >= self._deadline:
            self.stopped = f"the notebook used all of its {self.notebook_timeout} s"
            cell.outputs = [_stopped_output(self.stopped)]
            return cell, resources
        try:
            return super().preprocess_cell(cell, resources, index)
        except Exception as exc:  # noqa: BLE001 - a dead or unresponsive kernel: keep the cells before this one
            if self._kernel_alive() and type(exc).__name__ != "DeadKernelError":
                # The kernel lives (a late reply of an interrupted cell, say): this cell fails, the next ones run.
                cell.outputs.append(_stopped_output(_reason(exc), ename=UNFINISHED_ERROR))
                return cell, resources
            self.stopped = _reason(exc)
            cell.outputs.append(_stopped_output(self.stopped))
            return cell, resources

    def _kernel_alive(self) -> bool:
        from jupyter_core.utils import run_sync

        try:
            return bool(self.km is not None and run_sync(self.km.is_alive)())
        except Exception:  # noqa: BLE001 - a manager that cannot even tell is as good as dead
            return False

    def output(self, outs: list, msg: dict, display_id: Any, cell_index: int) -> Any:
        """Keep an output only while the notebook's output budget lasts (records have a budget of their own)."""
        size = len(str(msg.get("content", "")))
        data = msg.get("content", {}).get("data") or {}
        if RECORD_MIME in data:
            self._recorded += size
            return super().output(outs, msg, display_id, cell_index) if self._recorded <= self.record_bytes else None
        self._sent += size
        if self._sent > self.output_bytes:
            if not self._truncated:
                self._truncated = True
                note = f"[output beyond {self.output_bytes:,} characters was dropped by the grader]\n"
                outs.append(new_output("stream", name="stdout", text=note))
            return None
        return super().output(outs, msg, display_id, cell_index)


def _reason(exc: BaseException) -> str:
    name = type(exc).__name__
    if name == "DeadKernelError" or "died" in str(exc).lower():
        return "the kernel died (the notebook ended its own process, or ran out of memory)"
    if name in ("CellTimeoutError", "TimeoutError") or "timeout" in name.lower():
        return "a cell ran out of time and the kernel could not be interrupted"
    return f"the kernel stopped answering ({name}: {str(exc)[:200]})"


def _stopped_output(reason: str, ename: str = STOPPED_ERROR) -> Any:
    return new_output("error", ename=ename, evalue=reason, traceback=[f"{ename}: {reason}"])


def _remove_non_regular(folder: Path) -> list[str]:
    removed = []
    if not folder.is_dir():
        return removed
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            if path.is_symlink() or not (path.is_file() or path.is_dir()):
                removed.append(str(path.relative_to(folder)))
                path.unlink()
    return removed
