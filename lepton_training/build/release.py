"""Build the learner release (``course/``) from the instructor source (``solutions/``) with nbgrader.

:func:`build` runs nbgrader's own ``generate_assignment`` (with the course's preprocessor chain from
``jupyter_config.py``) and moves each module's result into ``course/<id>/``; :func:`check` generates the same
into a temporary folder and compares it with the committed ``course/``.

nbgrader runs as one subprocess for all modules (``nbgrader generate_assignment "*"`` over a staged copy of the
chosen module folders): the configuration is then loaded exactly as when an instructor types the command
(``nbgrader_config.py`` in the course root, the Jupyter config path), nbgrader's ``os.chdir`` and logging stay
out of the caller's process, and the start-up cost (several seconds, mostly imports) is paid once per build
rather than once per module.
"""

from __future__ import annotations

import difflib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lepton_training.build.learner_work import back_up, learner_work

__all__ = [
    "SOURCE_DIR",
    "RELEASE_DIR",
    "BuildError",
    "BuildResult",
    "CellChange",
    "StaleFile",
    "CheckResult",
    "find_modules",
    "build",
    "check",
]

log = logging.getLogger(__name__)

SOURCE_DIR = "solutions"
RELEASE_DIR = "course"

# Files that tools leave in a module folder and that are never part of a module (nbgrader ignores the same).
_IGNORED_NAMES = {".ipynb_checkpoints", "__pycache__", ".DS_Store"}
_IGNORED_SUFFIXES = (".pyc",)


class BuildError(RuntimeError):
    """The release could not be built; the message names the file and what to do."""


@dataclass(frozen=True)
class BuildResult:
    """What :func:`build` wrote.

    Attributes
    ----------
    modules : tuple of str
        Module ids built, in order.
    files : tuple of pathlib.Path
        Every file written under ``course/``.
    seconds : float
        Wall-clock time of the whole build.
    learner_work : tuple of (pathlib.Path, str, pathlib.Path or None)
        Released notebooks that held a learner's work and differ from the new release: the notebook, why it
        counts as work, and where a copy was saved before it was replaced (``force=True``), or None when it
        was left as it was.
    """

    modules: tuple[str, ...]
    files: tuple[Path, ...]
    seconds: float
    learner_work: tuple[tuple[Path, str, Path | None], ...] = ()


@dataclass(frozen=True)
class CellChange:
    """One difference between a committed and a freshly built notebook, at cell level.

    Attributes
    ----------
    index : int or None
        Index of the cell in the freshly built notebook (in the committed one for a removed cell); None for a
        notebook-level difference.
    kind : str
        ``"source"``, ``"metadata"``, ``"outputs"``, ``"type"``, ``"id"``, ``"added"``, ``"removed"`` or
        ``"notebook"``.
    title : str
        The first line of the cell (or what differs, for notebook-level changes).
    diff : tuple of str
        A few lines of unified diff of the cell source (empty when the source is the same).
    """

    index: int | None
    kind: str
    title: str
    diff: tuple[str, ...] = ()

    def describe(self) -> str:
        """Return the change as a few readable lines.

        Returns
        -------
        str
            One line naming the cell and what differs, then the diff lines indented.
        """
        where = "notebook" if self.index is None else f"cell {self.index}"
        head = f"{where}: {self.kind}" + (f" ({self.title})" if self.title else "")
        return "\n".join([head, *(f"    {line}" for line in self.diff)])


@dataclass(frozen=True)
class StaleFile:
    """A file under ``course/`` that differs from what the build would write.

    Attributes
    ----------
    path : str
        Path relative to ``course/``, such as ``"01-python/01-python.ipynb"``.
    changes : tuple of CellChange
        Cell-level differences for a notebook; empty for other files (they differ as a whole).
    """

    path: str
    changes: tuple[CellChange, ...] = ()


@dataclass(frozen=True)
class CheckResult:
    """The outcome of :func:`check`.

    Attributes
    ----------
    stale : tuple of StaleFile
        Files in ``course/`` whose content differs from a fresh build.
    missing : tuple of str
        Files a fresh build writes that ``course/`` lacks (paths relative to ``course/``).
    extra : tuple of str
        Files in ``course/`` that no source produces any more.
    modules : tuple of str
        The modules compared.
    """

    stale: tuple[StaleFile, ...] = ()
    missing: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when ``course/`` is exactly what a fresh build writes."""
        return not (self.stale or self.missing or self.extra)

    def summary(self, max_changes: int = 8) -> str:
        """Return a readable report, a single line when everything is up to date.

        Parameters
        ----------
        max_changes : int, default 8
            Cell changes shown per stale notebook; the rest are counted.

        Returns
        -------
        str
            The report.
        """
        if self.ok:
            return f"OK: {RELEASE_DIR}/ is up to date with {SOURCE_DIR}/ ({len(self.modules)} modules)."
        lines = [f"{RELEASE_DIR}/ is out of date with {SOURCE_DIR}/: run `lepton-training build` and commit it."]
        for stale in self.stale:
            lines.append(f"stale: {RELEASE_DIR}/{stale.path}")
            for change in stale.changes[:max_changes]:
                lines.extend("  " + line for line in change.describe().splitlines())
            if len(stale.changes) > max_changes:
                lines.append(f"  ... and {len(stale.changes) - max_changes} more changed cells")
        lines.extend(f"missing: {RELEASE_DIR}/{path}" for path in self.missing)
        lines.extend(f"extra (no source produces it): {RELEASE_DIR}/{path}" for path in self.extra)
        return "\n".join(lines)


def _ignored(name: str) -> bool:
    return name in _IGNORED_NAMES or name.endswith(_IGNORED_SUFFIXES)


def _module_dirs(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted(
        p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".") and not _ignored(p.name)
    )


def find_modules(root: str | os.PathLike) -> list[str]:
    """Return the ids of the module folders under ``<root>/solutions``.

    Parameters
    ----------
    root : str or path-like
        The course root (the repository root).

    Returns
    -------
    list of str
        Folder names in sorted order (hidden folders and checkpoints excluded).
    """
    return _module_dirs(Path(root) / SOURCE_DIR)


def _files(folder: Path) -> dict[str, Path]:
    """Map path relative to ``folder`` (POSIX form) to path, skipping ignored names at any depth."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not _ignored(d))
        for name in sorted(filenames):
            if not _ignored(name):
                path = Path(dirpath) / name
                found[path.relative_to(folder).as_posix()] = path
    return found


def _resolve(root: str | os.PathLike, modules: Sequence[str] | None) -> tuple[Path, list[str]]:
    root = Path(root).resolve()
    source = root / SOURCE_DIR
    if not source.is_dir():
        raise BuildError(f"{root} has no {SOURCE_DIR}/ folder: pass the course root (the repository root).")
    if not (root / "nbgrader_config.py").is_file():
        raise BuildError(
            f"{root} has no nbgrader_config.py: nbgrader reads the course configuration (and so the release "
            "preprocessors) through it. Pass the repository root."
        )
    known = find_modules(root)
    if modules is None:
        chosen = known
    else:
        chosen = list(dict.fromkeys(modules))
        unknown = [m for m in chosen if m not in known]
        if unknown:
            raise BuildError(
                f"No module folder {', '.join(repr(m) for m in unknown)} under {source}; "
                f"known modules: {', '.join(known) or 'none'}."
            )
    if not chosen:
        raise BuildError(f"No module folders under {source}: nothing to build.")
    return root, chosen


def _normalized_notebook(path: Path, display: str) -> bytes | None:
    """Read and check one source notebook; return new bytes if cell ids had to be filled in, else None."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise BuildError(f"{display} is not UTF-8 text ({exc}). Restore it from git or re-save it.") from exc
    except json.JSONDecodeError as exc:
        raise BuildError(
            f"{display} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}). "
            "Look for a merge-conflict marker or a bad hand edit, or restore it with `git checkout -- "
            f"{display}`; {RELEASE_DIR}/ was left unchanged."
        ) from exc
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list) or data.get("nbformat") != 4:
        raise BuildError(f"{display} is not a version-4 Jupyter notebook (no 'cells' list or 'nbformat': 4).")
    if data.get("nbformat_minor", 0) < 5:
        return None
    # nbformat gives a cell without an id a random one each time it reads the notebook, which would make the
    # release differ at every build; fill the gaps deterministically in the staged copy instead.
    cells = data["cells"]
    if all(isinstance(c, dict) and "id" in c for c in cells):
        return None
    used = {c.get("id") for c in cells if isinstance(c, dict)}
    for index, cell in enumerate(cells):
        if isinstance(cell, dict) and "id" not in cell:
            new_id, n = f"cell-{index}", 0
            while new_id in used:
                n += 1
                new_id = f"cell-{index}-{n}"
            cell["id"] = new_id
            used.add(new_id)
    log.warning(
        "%s has cells without an id; built with ids from their positions. Open and save it in JupyterLab to "
        "give them stable ids.",
        display,
    )
    return (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _stage(root: Path, modules: Iterable[str], staging: Path) -> None:
    """Copy the module folders into ``staging`` after checking every notebook in them."""
    for module in modules:
        src = root / SOURCE_DIR / module
        dest = staging / module
        files = _files(src)
        notebooks = [rel for rel in files if rel.endswith(".ipynb") and "/" not in rel]
        if not notebooks:
            raise BuildError(
                f"{SOURCE_DIR}/{module}/ has no notebook: a module folder needs {module}.ipynb (or remove the folder)."
            )
        for rel in files:
            if rel.endswith(".ipynb") and "/" in rel:
                # nbgrader converts only the notebooks at the top of a module folder and copies no notebook.
                log.warning(
                    "%s/%s/%s is in a subfolder: nbgrader leaves it out of the release.", SOURCE_DIR, module, rel
                )
        for rel, path in files.items():
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if rel.endswith(".ipynb"):
                fixed = _normalized_notebook(path, f"{SOURCE_DIR}/{module}/{rel}")
                if fixed is not None:
                    target.write_bytes(fixed)
                    continue
            shutil.copy2(path, target)


def _nbgrader_env() -> dict[str, str]:
    env = dict(os.environ)
    # nbgrader's gradebook runs the `alembic` command; it lives beside this interpreter's scripts, which need
    # not be on PATH (a venv used without activating it).
    scripts = sysconfig.get_path("scripts")
    env["PATH"] = os.pathsep.join([scripts, env.get("PATH", "")])
    return env


_CONVERTING = re.compile(r"Converting notebook (?P<path>\S+\.ipynb)")
_EXCEPTION = re.compile(r"^\s*(?:[A-Za-z_][\w]*\.)*(?P<name>[A-Za-z_]\w*(?:Error|Exception)):\s*(?P<msg>.+)$")


def _nbgrader_failure(output: str, modules: Sequence[str], staging: Path) -> str:
    """Turn nbgrader's log (tracebacks included) into a short message naming the failing source files."""
    current = None
    reasons: list[str] = []
    for line in output.splitlines():
        if match := _CONVERTING.search(line):
            staged = Path(os.path.normpath(match["path"]))
            try:
                current = f"{SOURCE_DIR}/{staged.relative_to(staging).as_posix()}"
            except ValueError:
                current = staged.name
        elif match := _EXCEPTION.match(line):
            reasons.append(f"{current or 'nbgrader'}: {match['name']}: {match['msg'].strip()}")
    failed = list(dict.fromkeys(re.findall(r"error processing assignment '([^']+)'", output))) or list(modules)
    if not reasons:
        # No traceback (nbgrader refused before converting): its ERROR lines, else the end of its log.
        reasons = [line.strip() for line in output.splitlines() if "ERROR" in line] or output.splitlines()[-12:]
    where = ", ".join(f"{SOURCE_DIR}/{m}/" for m in failed)
    return (
        f"nbgrader could not generate the release of {where}:\n  "
        + "\n  ".join(list(dict.fromkeys(reasons))[:10])
        + "\nFix the source notebook and build again (a duplicate or missing grade id is fixed in JupyterLab's "
        f"nbgrader 'Create Assignment' toolbar); {RELEASE_DIR}/ was left unchanged."
    )


def _generate(root: Path, modules: Sequence[str], workdir: Path, db_url: str | None) -> Path:
    """Generate the release of ``modules`` into ``workdir/course``; return that folder."""
    staging = workdir / SOURCE_DIR
    staging.mkdir()
    _stage(root, modules, staging)
    out = workdir / RELEASE_DIR
    cmd = [
        sys.executable,
        "-m",
        "nbgrader",
        "generate_assignment",
        # A glob: nbgrader converts every staged module in one process.
        "*",
        "--force",
        f"--CourseDirectory.root={root}",
        f"--CourseDirectory.source_directory={staging}",
        f"--CourseDirectory.release_directory={out}",
    ]
    if db_url is not None:
        cmd.append(f"--CourseDirectory.db_url={db_url}")
    proc = subprocess.run(cmd, cwd=root, env=_nbgrader_env(), capture_output=True, text=True, check=False)
    output = proc.stdout + proc.stderr
    if proc.returncode != 0:
        raise BuildError(_nbgrader_failure(output, modules, staging))
    for module in modules:
        for notebook in (staging / module).glob("*.ipynb"):
            if not (out / module / notebook.name).is_file():
                raise BuildError(
                    f"nbgrader reported success but wrote no {RELEASE_DIR}/{module}/{notebook.name}; its log:\n"
                    + "\n".join(output.splitlines()[-12:])
                )
    return out


def _replace_dir(new: Path, dest: Path) -> None:
    """Put a copy of ``new`` at ``dest``, replacing it with renames so ``dest`` is never half-written."""
    token = uuid.uuid4().hex[:8]
    partial = dest.with_name(f".{dest.name}.partial-{token}")
    old = dest.with_name(f".{dest.name}.old-{token}")
    # Copy first (the temporary folder may be on another file system), then swap with two renames.
    shutil.copytree(new, partial)
    try:
        if dest.exists():
            dest.rename(old)
        try:
            partial.rename(dest)
        except OSError:
            if old.exists():
                old.rename(dest)
            raise
    finally:
        shutil.rmtree(partial, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


def build(root: str | os.PathLike = ".", modules: Sequence[str] | None = None, force: bool = False) -> BuildResult:
    """Generate the learner release of each module into ``<root>/course/<id>/``.

    Runs ``nbgrader generate_assignment`` with the course configuration (gradebook included: nbgrader records
    the assignment and its test cells, which autograding needs). The source notebooks are checked first, the
    release is generated into a temporary folder and each module folder is then swapped into place, so a
    failure leaves ``course/`` as it was.

    Parameters
    ----------
    root : str or path-like, default "."
        The course root: the repository root, with ``solutions/`` and ``nbgrader_config.py``.
    modules : sequence of str, optional
        Module ids (folder names under ``solutions/``); all module folders by default.
    force : bool, default False
        Replace released notebooks that hold a learner's work (answers edited, cells run) too, after saving a
        copy under ``<root>/.lepton-backups/``. By default such a notebook is left as it is and reported.

    Returns
    -------
    BuildResult
        The modules built, the files written, the time taken and the notebooks with a learner's work.

    Raises
    ------
    BuildError
        If a module folder has no notebook, a notebook is not valid JSON, or nbgrader fails (for example on a
        duplicate grade id); the message names the file and what to do.
    """
    start = time.perf_counter()
    root, chosen = _resolve(root, modules)
    written: list[Path] = []
    kept: list[tuple[Path, str, Path | None]] = []
    with tempfile.TemporaryDirectory(prefix="lepton-build-") as tmp:
        out = _generate(root, chosen, Path(tmp), db_url=None)
        release = root / RELEASE_DIR
        release.mkdir(exist_ok=True)
        for module in chosen:
            kept.extend(_keep_learner_work(root, release / module, out / module, force))
            _replace_dir(out / module, release / module)
            written.extend(release / module / rel for rel in _files(release / module))
    return BuildResult(
        modules=tuple(chosen), files=tuple(written), seconds=time.perf_counter() - start, learner_work=tuple(kept)
    )


def _keep_learner_work(root: Path, current: Path, fresh: Path, force: bool) -> list[tuple[Path, str, Path | None]]:
    """Protect released notebooks that hold a learner's work and would change.

    Without ``force`` the learner's notebook is put into the fresh release in place of the new one, so the swap
    keeps it; with ``force`` a copy is saved under ``.lepton-backups/`` and the new release replaces it.
    """
    found = []
    for notebook in sorted(current.glob("*.ipynb")) if current.is_dir() else []:
        new = fresh / notebook.name
        if new.is_file() and new.read_bytes() == notebook.read_bytes():
            continue
        reason = learner_work(notebook)
        if not reason:
            continue
        if force:
            found.append((notebook, reason, back_up(notebook, root)))
        else:
            shutil.copy2(notebook, new)
            found.append((notebook, reason, None))
    return found


def check(root: str | os.PathLike = ".", modules: Sequence[str] | None = None) -> CheckResult:
    """Compare the committed ``course/`` with a fresh build, without touching ``course/`` or the gradebook.

    The release is generated into a temporary folder with a throwaway gradebook, then compared file by file
    with ``course/``: a file is stale when its bytes differ (the build is deterministic, so nothing needs to
    be ignored). Stale notebooks are described cell by cell. Only module folders are compared: files at the top
    of ``course/`` (a README, say) are not the build's business.

    Parameters
    ----------
    root : str or path-like, default "."
        The course root.
    modules : sequence of str, optional
        Only compare these modules; by default all of them, and module folders in ``course/`` that no longer
        have a source are reported as extra.

    Returns
    -------
    CheckResult
        Stale, missing and extra files; ``.ok`` is True when ``course/`` is up to date.

    Raises
    ------
    BuildError
        If the release cannot be generated (see :func:`build`).
    """
    root, chosen = _resolve(root, modules)
    release = root / RELEASE_DIR
    stale: list[StaleFile] = []
    missing: list[str] = []
    extra: list[str] = []
    with tempfile.TemporaryDirectory(prefix="lepton-check-") as tmp:
        tmp = Path(tmp)
        out = _generate(root, chosen, tmp, db_url=f"sqlite:///{tmp / 'gradebook.db'}")
        for module in chosen:
            fresh = _files(out / module)
            committed = _files(release / module)
            for rel in sorted(fresh.keys() | committed.keys()):
                shown = f"{module}/{rel}"
                if rel not in committed:
                    missing.append(shown)
                elif rel not in fresh:
                    extra.append(shown)
                elif fresh[rel].read_bytes() != committed[rel].read_bytes():
                    changes = _notebook_changes(committed[rel], fresh[rel]) if rel.endswith(".ipynb") else ()
                    stale.append(StaleFile(shown, tuple(changes)))
    if modules is None:
        for module in _module_dirs(release):
            if module not in chosen:
                extra.extend(f"{module}/{rel}" for rel in _files(release / module))
    return CheckResult(tuple(stale), tuple(missing), tuple(extra), tuple(chosen))


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _title(cell: dict) -> str:
    first = next((line.strip() for line in _source(cell).splitlines() if line.strip()), "")
    kind = cell.get("cell_type", "?")
    return f"{kind}: {first[:70]}" if first else f"{kind}: (empty)"


def _short_diff(old: str, new: str, max_lines: int) -> tuple[str, ...]:
    lines = list(
        difflib.unified_diff(old.splitlines(), new.splitlines(), "course/ (committed)", "fresh build", n=1, lineterm="")
    )[2:]
    if len(lines) > max_lines:
        lines = [*lines[:max_lines], f"... ({len(lines) - max_lines} more diff lines)"]
    return tuple(lines)


def _notebook_changes(committed: Path, fresh: Path, max_diff_lines: int = 6) -> list[CellChange]:
    """Describe how two versions of a notebook differ, cell by cell, never as raw JSON."""
    try:
        old = json.loads(committed.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [CellChange(None, "notebook", f"the committed file is not valid JSON ({exc})")]
    new = json.loads(fresh.read_text(encoding="utf-8"))
    old_cells, new_cells = old.get("cells", []), new.get("cells", [])
    changes: list[CellChange] = []
    for key in sorted(set(old) | set(new)):
        if key != "cells" and old.get(key) != new.get(key):
            if key == "metadata":
                keys = _differing_keys(old.get(key, {}), new.get(key, {}))
                changes.append(CellChange(None, "notebook", f"metadata differs: {keys}"))
            else:
                changes.append(CellChange(None, "notebook", f"{key}: {old.get(key)!r} -> {new.get(key)!r}"))

    pairs = _align(old_cells, new_cells)
    kept = [old_i for old_i, new_i in pairs if old_i is not None and new_i is not None]
    if kept != sorted(kept):
        changes.append(CellChange(None, "notebook", "the order of the cells changed"))
    for old_i, new_i in pairs:
        if old_i is None:
            cell = new_cells[new_i]
            changes.append(CellChange(new_i, "added", _title(cell), _short_diff("", _source(cell), max_diff_lines)))
        elif new_i is None:
            cell = old_cells[old_i]
            diff = _short_diff(_source(cell), "", max_diff_lines)
            changes.append(CellChange(old_i, "removed", _title(cell), diff))
        else:
            changes.extend(_cell_changes(old_cells[old_i], new_cells[new_i], new_i, max_diff_lines))
    if not changes:
        changes.append(CellChange(None, "notebook", "same content, different formatting (re-saved by hand?)"))
    return changes


def _align(old: list[dict], new: list[dict]) -> list[tuple[int | None, int | None]]:
    """Pair the cells of two notebook versions: by cell id where both have ids, else by content."""
    if all("id" in c for c in old + new):
        old_by_id = {c["id"]: i for i, c in enumerate(old)}
        new_ids = {c["id"] for c in new}
        pairs: list[tuple[int | None, int | None]] = [(old_by_id.get(c["id"]), i) for i, c in enumerate(new)]
        pairs.extend((i, None) for i, c in enumerate(old) if c["id"] not in new_ids)
        return pairs
    # Without ids, align on (type, source) so one inserted cell does not make every later cell "changed".
    matcher = difflib.SequenceMatcher(
        a=[(c.get("cell_type"), _source(c)) for c in old],
        b=[(c.get("cell_type"), _source(c)) for c in new],
        autojunk=False,
    )
    pairs = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op in ("equal", "replace"):
            common = min(a1 - a0, b1 - b0)
            pairs.extend((a0 + k, b0 + k) for k in range(common))
            pairs.extend((a, None) for a in range(a0 + common, a1))
            pairs.extend((None, b) for b in range(b0 + common, b1))
        elif op == "delete":
            pairs.extend((a, None) for a in range(a0, a1))
        else:
            pairs.extend((None, b) for b in range(b0, b1))
    return pairs


def _differing_keys(old: dict, new: dict) -> str:
    return ", ".join(sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k)))


def _cell_changes(before: dict, cell: dict, index: int, max_diff_lines: int) -> list[CellChange]:
    changes = []
    if before.get("cell_type") != cell.get("cell_type"):
        changes.append(CellChange(index, "type", f"was {before.get('cell_type')}; now {_title(cell)}"))
    if _source(before) != _source(cell):
        diff = _short_diff(_source(before), _source(cell), max_diff_lines)
        changes.append(CellChange(index, "source", _title(cell), diff))
    if before.get("metadata", {}) != cell.get("metadata", {}):
        keys = _differing_keys(before.get("metadata", {}), cell.get("metadata", {}))
        changes.append(CellChange(index, "metadata", f"{_title(cell)}; differs: {keys}"))
    if (before.get("outputs"), before.get("execution_count")) != (cell.get("outputs"), cell.get("execution_count")):
        changes.append(CellChange(index, "outputs", _title(cell)))
    if before.get("id") != cell.get("id"):
        changes.append(CellChange(index, "id", f"{_title(cell)}; id {before.get('id')!r} -> {cell.get('id')!r}"))
    return changes
