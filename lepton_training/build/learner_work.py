"""Keep a learner's work safe: in a rebuilt release, and in the learner's working copy when a release changes.

A release is generated clean: no outputs, no execution counts, answer cells exactly as nbgrader wrote them (their
nbgrader checksum still matches). Anything else in ``course/`` is somebody's work, which a rebuild never destroys
(:func:`learner_work`). Learners on a laptop work in ``work/`` instead, a copy of ``course/`` that git does not
track; :func:`update_work` makes it and merges a corrected release into it (the learner's changes win, new cells
arrive).
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["learner_work", "back_up", "update_work", "UpdateResult", "BASE_DIR"]


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


# --- the learner's working copy ----------------------------------------------------------------------------------

#: Inside the working copy: the release each notebook was last merged from (the merge base), hidden from JupyterLab.
BASE_DIR = ".lepton-release"


@dataclass
class UpdateResult:
    """What :func:`update_work` did.

    Attributes
    ----------
    created : list of str
        Modules copied into the working copy for the first time.
    updated : list of str
        Files replaced by their new release (the learner had not changed them).
    merged : list of str
        Notebooks the learner had changed, merged cell by cell (a copy went to ``.lepton-backups/`` first).
    new_cells : int
        Cells of the new release added to notebooks the learner had changed.
    kept_cells : int
        Cells the learner had changed that the new release changed too: kept as the learner wrote them.
    kept_files : list of str
        Other files the learner had changed, kept as they are although the release changed them.
    moved : list of tuple of (str, str)
        Files the learner had made where the release now brings a file of that name: (old name, new name).
    """

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    new_cells: int = 0
    kept_cells: int = 0
    kept_files: list[str] = field(default_factory=list)
    moved: list[tuple[str, str]] = field(default_factory=list)

    def summary(self, work: Path) -> str:
        """Return one line saying what the update did."""
        parts = []
        if self.created:
            parts.append(f"{len(self.created)} module(s) copied in ({', '.join(self.created)})")
        if self.updated:
            parts.append(f"{len(self.updated)} file(s) you had not changed replaced by the new release")
        if self.merged:
            parts.append(
                f"{len(self.merged)} notebook(s) with your work merged ({self.new_cells} new cell(s) added, your "
                f"answers kept; backups in {work / '.lepton-backups'})"
            )
        if self.kept_cells:
            parts.append(f"{self.kept_cells} cell(s) you had changed kept as you wrote them")
        if self.kept_files:
            parts.append(f"{len(self.kept_files)} changed file(s) kept ({', '.join(self.kept_files)})")
        if self.moved:
            parts.append("renamed your " + ", ".join(f"{old} to {new}" for old, new in self.moved))
        if not parts:
            return f"Your working copy {work} is up to date with the release."
        return f"Updated your working copy {work}: " + "; ".join(parts) + "."


def update_work(course: Path, work: Path) -> UpdateResult:
    """Make or update the learner's working copy ``work`` of the release ``course``, keeping the learner's work.

    The merge follows nbgitpuller's rules (the learner's changes win, what the release adds arrives), cell by cell
    for notebooks, with the release the copy was last made from as the base (kept in ``work/.lepton-release/``):

    - a module not yet in the working copy is copied in;
    - a file the learner has not changed is replaced by the new release (or removed, if the release removed it);
    - a notebook the learner changed is merged: each cell the learner changed (an answer, a note) stays as the
      learner wrote it, even where the release changed that cell too; each cell the learner did not change
      takes the release's version; cells new in the release arrive at their place; cells the learner added stay
      after the cell they followed; cells the learner deleted stay deleted. A copy is saved first under
      ``work/.lepton-backups/``;
    - another file the learner changed is kept as it is;
    - a file the learner made whose name the new release now uses is renamed (``name.mine-<time>.ext``), as
      nbgitpuller does, and the release's file arrives.

    Parameters
    ----------
    course : pathlib.Path
        The learner release (``course/``): one folder per module.
    work : pathlib.Path
        The learner's working copy (``work/``), created if missing.

    Returns
    -------
    UpdateResult
        What changed; :meth:`UpdateResult.summary` says it in one line.
    """
    course, work = Path(course), Path(work)
    result = UpdateResult()
    base_root = work / BASE_DIR
    for module in sorted(p for p in course.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if not (work / module.name).exists():
            shutil.copytree(module, work / module.name, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
            _snapshot(module, base_root / module.name)
            result.created.append(module.name)
            continue
        new_files = {p.relative_to(course) for p in _release_files(module)}
        old_files = {p.relative_to(base_root) for p in _release_files(base_root / module.name)}
        for rel in sorted(new_files | old_files):
            _update_file(rel, course / rel, base_root / rel, work / rel, work, result)
        _snapshot(module, base_root / module.name)
    return result


def _release_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and ".ipynb_checkpoints" not in p.parts)


def _snapshot(module: Path, target: Path) -> None:
    """Keep the release just merged as the next update's base."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(module, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))


def _update_file(rel: Path, new: Path, base: Path, mine: Path, work: Path, result: UpdateResult) -> None:
    name = rel.as_posix()
    if not base.exists():
        # New in the release: arrives; a file of the learner's with that name is moved aside first.
        if mine.exists() and mine.read_bytes() != new.read_bytes():
            stamp = time.strftime("%Y%m%d-%H%M%S")
            aside = mine.with_name(f"{mine.stem}.mine-{stamp}{mine.suffix}")
            mine.rename(aside)
            result.moved.append((name, aside.relative_to(work).as_posix()))
        mine.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(new, mine)
        result.updated.append(name)
        return
    if not mine.exists():
        return  # the learner deleted it: it stays deleted
    if new.exists() and new.read_bytes() == base.read_bytes():
        return  # the release did not change it
    if mine.read_bytes() == base.read_bytes():
        if new.exists():
            shutil.copy2(new, mine)
        else:
            mine.unlink()
        result.updated.append(name)
        return
    if not new.exists():
        result.kept_files.append(name)
        return
    if mine.suffix == ".ipynb" and _merge_notebook(new, base, mine, work, result):
        result.merged.append(name)
        return
    result.kept_files.append(name)


def _cell_key(cell: dict) -> tuple[str, str]:
    source = cell.get("source", "")
    return cell.get("cell_type", ""), "".join(source) if isinstance(source, list) else source


def _merge_notebook(new: Path, base: Path, mine: Path, work: Path, result: UpdateResult) -> bool:
    """Merge the new release of a notebook into the learner's, cell by cell; False if one is not readable."""
    import json

    try:
        release, before, ours = (json.loads(p.read_text(encoding="utf-8")) for p in (new, base, mine))
    except (OSError, ValueError):
        return False
    if any("id" not in c for nb in (release, before, ours) for c in nb.get("cells", [])):
        return False  # cells without ids (nbformat < 4.5) cannot be matched
    base_cells = {c["id"]: c for c in before["cells"]}
    our_cells = {c["id"]: c for c in ours["cells"]}
    new_ids = {c["id"] for c in release["cells"]}

    def edited(cell_id: str) -> bool:
        return cell_id not in base_cells or _cell_key(our_cells[cell_id]) != _cell_key(base_cells[cell_id])

    merged = []
    for cell in release["cells"]:
        cid = cell["id"]
        if cid not in base_cells:
            if cid not in our_cells:
                merged.append(cell)
                result.new_cells += 1
            continue  # placed with the learner's cells below
        if cid not in our_cells:
            continue  # deleted by the learner
        if edited(cid):
            merged.append(our_cells[cid])
            result.kept_cells += _cell_key(cell) != _cell_key(base_cells[cid])
        elif _cell_key(cell) == _cell_key(base_cells[cid]):
            merged.append(our_cells[cid])  # unchanged on both sides: keep its outputs
        else:
            merged.append(cell)
    # The learner's own cells, and edited cells the release dropped: after the cell they followed.
    placed = {c["id"] for c in merged}
    previous = None
    for cell in ours["cells"]:
        cid = cell["id"]
        if cid not in placed and (cid not in new_ids or cid not in base_cells) and edited(cid):
            at = next((i + 1 for i, c in enumerate(merged) if c["id"] == previous), 0) if previous else 0
            merged.insert(at, cell)
            placed.add(cid)
        if cid in placed:
            previous = cid
    back_up(mine, work)
    out = dict(ours)
    out["cells"] = merged
    out["metadata"] = {**ours.get("metadata", {}), **release.get("metadata", {})}
    mine.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return True
