"""What a submission may contain before grading touches it: regular files only, a readable notebook.

nbgrader copies ``submitted/`` with ``shutil.copy``, which follows symbolic links: a link in a submission
folder would carry whatever it points to (the instructor's source, another learner's work) into the grading
copy. :func:`submission_problem` refuses links and special files, and notebooks that are not notebooks,
with the reason; :func:`copy_submission` copies what passed, without following anything.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

__all__ = ["MAX_NOTEBOOK_BYTES", "tree_problem", "notebook_problem", "submission_problem", "copy_submission"]

#: A Colab notebook with its outputs is a few MB; beyond this it is refused rather than parsed.
MAX_NOTEBOOK_BYTES = 50 * 2**20


def tree_problem(folder: Path) -> str:
    """Return why a folder may not be graded (a link or special file in it), or an empty string."""
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        for name in sorted(dirnames + filenames):
            path = Path(dirpath) / name
            mode = path.lstat().st_mode
            relative = path.relative_to(folder)
            if stat.S_ISLNK(mode):
                return f"it contains a symbolic link, {relative} -> {os.readlink(path)}; links are never followed"
            if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                return f"it contains {relative}, which is not a regular file (a device, pipe or socket)"
    return ""


def notebook_problem(path: Path, module_id: str | None = None) -> str:
    """Return why a file is not a notebook of this module, or an empty string.

    Parameters
    ----------
    path : pathlib.Path
    module_id : str, optional
        When given, the notebook's ``lepton_training.module`` metadata must name it (when it names a module).

    Returns
    -------
    str
    """
    import nbformat

    if path.is_symlink() or not path.is_file():
        return f"{path.name} is not a regular file"
    size = path.stat().st_size
    if size > MAX_NOTEBOOK_BYTES:
        return f"{path.name} is {size / 2**20:.0f} MB, more than a notebook of this course can be"
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        return f"{path.name} is not a notebook: it is not UTF-8 text"
    except ValueError as exc:
        return f"{path.name} is not a notebook: it is not valid JSON ({exc})"
    try:
        nb = nbformat.reads(json.dumps(data), as_version=4)
        nbformat.validate(nb)
    except Exception as exc:  # noqa: BLE001 - nbformat raises several kinds of errors for malformed notebooks
        return f"{path.name} is not a valid notebook: {str(exc).splitlines()[0][:200]}"
    named = nb.metadata.get("lepton_training", {}).get("module") if isinstance(nb.metadata, dict) else None
    if module_id and named and named != module_id:
        return f"{path.name} is the notebook of module {named}, not {module_id}"
    return ""


def submission_problem(folder: Path, module_id: str) -> str:
    """Return why a submission folder cannot be graded, or an empty string.

    Parameters
    ----------
    folder : pathlib.Path
        ``submitted/<learner>/<module>``.
    module_id : str

    Returns
    -------
    str
    """
    if folder.is_symlink() or not folder.is_dir():
        return f"{folder} is not a folder"
    problem = tree_problem(folder)
    if problem:
        return problem
    notebook = folder / f"{module_id}.ipynb"
    if not notebook.is_file():
        found = sorted(p.name for p in folder.glob("*.ipynb"))
        return f"there is no {module_id}.ipynb" + (f" (found {', '.join(found)})" if found else "")
    return notebook_problem(notebook, module_id)


def copy_submission(source: Path, destination: Path) -> None:
    """Copy a checked submission folder, regular files and folders only, never following a link."""
    for dirpath, _dirnames, filenames in os.walk(source, followlinks=False):
        target = destination / Path(dirpath).relative_to(source)
        target.mkdir(parents=True, exist_ok=True)
        for name in filenames:
            path = Path(dirpath) / name
            if stat.S_ISREG(path.lstat().st_mode):
                shutil.copyfile(path, target / name, follow_symlinks=False)
