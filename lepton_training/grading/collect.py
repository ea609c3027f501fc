"""Import notebooks uploaded to a shared folder (learners on Colab) into nbgrader's ``submitted/`` layout.

A file is ``<learner>.ipynb``, ``<learner>_<module>.ipynb`` (any of ``_ - . space`` between the parts, Colab's
"Copy of " and " (1)" tolerated) or ``<learner>/<anything>.ipynb``. The module comes from the notebook's own
metadata; the learner from the file or folder name, matched against the roster when one is given (its ``id``
column, and the optional ``email`` and ``name`` columns as aliases). Nothing is guessed: an unknown or
ambiguous learner, a file that is not a notebook or not this module's, a link, is reported with the reason and
left where it is.

The submission time decides lateness, so where it comes from is said, never guessed (:data:`TIME_SOURCES`): the
moment of collection by default (a file's modification time can be set by anyone who can write the file), a
CSV the instructor gives (the upload form's export: ``learner,submitted_at``), or, when the instructor says the
upload server keeps them, the files' modification times.

A submission is replaced only with a roster (without one, anyone could upload ``<someone>_<module>.ipynb``),
only by a newer one, and never by an identical copy; the earlier one is moved to ``.lepton-backups/submitted/``
(timestamped) first.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from lepton_training.grading.submissions import notebook_problem

__all__ = ["CollectResult", "collect", "read_roster", "read_times", "TIME_SOURCES"]

#: Where a submission's time may come from.
TIME_SOURCES = ("collected", "file", "mtime")
_TIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f UTC"

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
_NOISE = re.compile(r"^(copy of\s+)|(\s*\(\d+\))$", re.IGNORECASE)


@dataclass
class CollectResult:
    """What ``collect`` did: imported files, replaced submissions (with their backup), reported files."""

    imported: list[tuple[str, str, Path]] = field(default_factory=list)
    replaced: list[tuple[Path, Path]] = field(default_factory=list)
    reported: list[tuple[Path, str]] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    time_source: str = ""

    def summary(self) -> str:
        """Return the lines an instructor reads."""
        lines = [f"Imported {len(self.imported)} notebook(s); {len(self.reported)} file(s) need you."]
        if self.time_source:
            lines.append(f"Submission times: {self.time_source}.")
        if self.unchanged:
            lines.append(f"  {len(self.unchanged)} file(s) unchanged since the last collect: left as they were")
        lines += [f"  imported {learner} {module} from {path}" for learner, module, path in self.imported]
        lines += [f"  kept the earlier submission as {backup}" for _, backup in self.replaced]
        lines += [f"  NOT IMPORTED {path}: {reason}" for path, reason in self.reported]
        return "\n".join(lines)


def read_roster(path: Path) -> dict[str, str]:
    """Read a roster CSV: alias (lower case) -> learner id. Columns: ``id``, optional ``email``, ``name``."""
    aliases: dict[str, str] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            learner = (row.get("id") or "").strip()
            if not _ID.match(learner):
                raise ValueError(f"{path}: {learner!r} is not a usable learner id (letters, digits, . _ @ -)")
            for alias in (learner, row.get("email") or "", row.get("name") or ""):
                alias = alias.strip().lower()
                if alias:
                    # An alias two learners share identifies neither.
                    aliases[alias] = learner if aliases.get(alias, learner) == learner else ""
    return aliases


def read_times(path: Path) -> dict[str, datetime]:
    """Read submission times: learner id (lower case) -> time (UTC). Columns ``learner``, ``submitted_at``.

    ``submitted_at`` is an ISO 8601 time; one without a zone is taken as UTC.
    """
    times: dict[str, datetime] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            learner = (row.get("learner") or "").strip().lower()
            text = (row.get("submitted_at") or "").strip()
            try:
                when = datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                raise ValueError(
                    f"{path}, line {number}: {text!r} is not a time such as 2026-12-01T17:00:00Z"
                ) from None
            if not learner:
                raise ValueError(f"{path}, line {number}: no learner")
            times[learner] = when if when.tzinfo else when.replace(tzinfo=UTC)
    return times


def _earlier_time(target: Path) -> datetime | None:
    try:
        text = (target / "timestamp.txt").read_text(encoding="utf-8").strip()
        return datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=UTC)
    except (OSError, ValueError):
        return None


def _learner_of(path: Path, source: Path, module_id: str, roster: dict[str, str] | None) -> tuple[str, str]:
    """Return (learner id, "") or ("", reason)."""
    if path.parent != source:
        candidate = path.parent.relative_to(source).parts[0]
    else:
        stem = path.stem
        while _NOISE.search(stem):
            stem = _NOISE.sub("", stem).strip()
        candidate = re.sub(rf"[\s._-]*{re.escape(module_id)}[\s._-]*", "", stem, flags=re.IGNORECASE).strip(" _-.")
    if roster is not None:
        learner = roster.get(candidate.lower())
        if learner is None:
            return "", f"no learner of the roster is named {candidate!r}"
        if not learner:
            return "", f"{candidate!r} names more than one learner of the roster"
        return learner, ""
    if not candidate or candidate.lower() == module_id.lower():
        return "", "the file name does not say whose it is: name it <learner>_<module>.ipynb or use a roster"
    if not _ID.match(candidate):
        return "", f"{candidate!r} is not a usable learner id (letters, digits, . _ @ -)"
    return candidate, ""


def _identify(
    path: Path, source: Path, module_id: str | None, known: set[str], aliases: dict[str, str] | None
) -> tuple[str, str, str]:
    """Return (reason it cannot be imported, learner, module): the reason is empty when it can."""
    if path.is_symlink():
        return "it is a symbolic link; links are never followed", "", ""
    if not path.is_file():
        return "it is not a regular file", "", ""
    if path.suffix != ".ipynb":
        return "it is not a notebook (.ipynb)", "", ""
    problem = notebook_problem(path)
    if problem:
        return problem, "", ""
    named = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("lepton_training", {})
    module = named.get("module") if isinstance(named, dict) else None
    if module not in known:
        return "it is not a notebook of this course (no lepton_training module metadata)", "", ""
    if module_id and module != module_id:
        return f"it is the notebook of module {module}, not {module_id}", "", ""
    learner, reason = _learner_of(path, source, module, aliases)
    return reason, learner, module


def collect(
    source: Path,
    root: Path,
    module_id: str | None = None,
    roster: Path | None = None,
    times: Path | None = None,
    time_from: str | None = None,
) -> CollectResult:
    """Import the notebooks of ``source`` into ``<root>/submitted/<learner>/<module>/<module>.ipynb``.

    Parameters
    ----------
    source : pathlib.Path
        The shared folder learners uploaded to.
    root : pathlib.Path
        The course root.
    module_id : str, optional
        Import only this module's notebooks (others are reported).
    roster : pathlib.Path, optional
        Roster CSV; without it learner ids come from the file names, and no submission is ever replaced.
    times : pathlib.Path, optional
        CSV of submission times (``learner,submitted_at``), such as an upload form's export.
    time_from : {"collected", "file", "mtime"}, optional
        Where submission times come from: now (default without ``times``), ``times`` (default with it), or the
        files' modification times (only when the upload server sets them and learners cannot).

    Returns
    -------
    CollectResult
    """
    from lepton_training.manifest import load_course

    known = {m.id for m in load_course().modules}
    aliases = read_roster(roster) if roster else None
    time_from = time_from or ("file" if times else "collected")
    if time_from not in TIME_SOURCES:
        raise ValueError(f"submission times come from one of {', '.join(TIME_SOURCES)}, not {time_from!r}")
    if time_from == "file" and times is None:
        raise ValueError("submission times from a file: give the file (--times FILE)")
    given = read_times(times) if times else {}
    now = datetime.now(UTC)
    result = CollectResult(
        time_source={
            "collected": f"the time of this collect ({now:%Y-%m-%d %H:%M} UTC); give upload times with --times FILE",
            "file": f"{times}",
            "mtime": "the files' modification times (as you asked: --time-from mtime)",
        }[time_from]
    )
    stamp = now.strftime("%Y%m%dT%H%M%S%fZ")
    candidates: dict[tuple[str, str], list[Path]] = {}
    for path in sorted(source.rglob("*")):
        if path.is_dir() and not path.is_symlink():
            continue
        reason, learner, module = _identify(path, source, module_id, known, aliases)
        if reason:
            result.reported.append((path, reason))
        else:
            candidates.setdefault((learner, module), []).append(path)
    for (learner, module), paths in candidates.items():
        if len(paths) > 1:
            # Which of two notebooks is the learner's submission is theirs to say, not ours to guess.
            others = ", ".join(p.name for p in paths)
            result.reported += [(p, f"{learner} has more than one {module} notebook here ({others})") for p in paths]
            continue
        path = paths[0]
        target = root / "submitted" / learner / module
        existing = target / f"{module}.ipynb"
        if existing.is_file() and existing.read_bytes() == path.read_bytes():
            result.unchanged.append(path)
            continue
        if time_from == "mtime":
            when = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        elif time_from == "file":
            when = given.get(learner.lower())
            if when is None:
                result.reported.append((path, f"{times} gives no submission time for {learner}"))
                continue
        else:
            when = now
        if target.exists():
            if aliases is None:
                result.reported.append(
                    (
                        path,
                        f"{learner} already has a {module} submission; without a roster (--roster) collect never "
                        "replaces one, since anyone can name a file after anyone",
                    )
                )
                continue
            earlier = _earlier_time(target)
            if earlier is not None and earlier > when:
                result.reported.append(
                    (
                        path,
                        f"{learner}'s submission already collected is newer ({earlier:%Y-%m-%d %H:%M} UTC) than "
                        f"this one ({when:%Y-%m-%d %H:%M} UTC): kept the newer one",
                    )
                )
                continue
            backup = root / ".lepton-backups" / "submitted" / learner / f"{module}-{stamp}"
            backup.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(target), str(backup))
            result.replaced.append((target, backup))
        target.mkdir(parents=True)
        shutil.copyfile(path, target / f"{module}.ipynb", follow_symlinks=False)
        (target / "timestamp.txt").write_text(when.astimezone(UTC).strftime(_TIME_FORMAT), encoding="utf-8")
        result.imported.append((learner, module, path))
    return result
