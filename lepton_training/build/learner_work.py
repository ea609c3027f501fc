"""Recognise a learner's work in a released notebook, so that rebuilding the release never destroys it.

A learner who opens ``course/`` directly (``make lab``) works in the released notebooks. A release is
generated clean: no outputs, no execution counts, answer cells exactly as nbgrader wrote them (their nbgrader
checksum still matches). Anything else is somebody's work.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

__all__ = ["learner_work", "back_up"]


def learner_work(path: Path) -> str | None:
    """Say why a released notebook holds work that a rebuild would destroy, or None if it holds none.

    Parameters
    ----------
    path : pathlib.Path
        A notebook under ``course/``.

    Returns
    -------
    str or None
        A short reason ("answer cell q1-answer was edited", "cells were run"), or None for a clean release.
    """
    import nbformat
    from nbgrader.utils import compute_checksum, is_solution

    try:
        nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
    except (OSError, ValueError, nbformat.ValidationError):
        return "it is not a readable notebook (kept in case it holds work)"
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        edited = "checksum" in meta and compute_checksum(cell) != meta["checksum"]
        if edited and is_solution(cell):
            return f"answer cell {meta.get('grade_id', '?')} was edited"
    if any(c.get("outputs") or c.get("execution_count") for c in nb.cells if c.cell_type == "code"):
        return "cells were run (the release has no outputs)"
    return None


def back_up(path: Path, root: Path) -> Path:
    """Copy a notebook into ``<root>/.lepton-backups/<time>/``, keeping its path under the root.

    Parameters
    ----------
    path : pathlib.Path
        The notebook to keep.
    root : pathlib.Path
        The course root.

    Returns
    -------
    pathlib.Path
        Where the copy is.
    """
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = root / ".lepton-backups" / stamp / path.relative_to(root)
    n = 1
    while target.exists():  # two builds within one second
        n += 1
        target = root / ".lepton-backups" / f"{stamp}-{n}" / path.relative_to(root)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(path, target)
    return target
