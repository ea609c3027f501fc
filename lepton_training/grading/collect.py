"""Import notebooks uploaded to a shared folder (learners on Colab) into nbgrader's ``submitted/`` layout.

A file is ``<learner>.ipynb``, ``<learner>_<module>.ipynb`` (any of ``_ - . space`` between the parts, Colab's
"Copy of " and " (1)" tolerated) or ``<learner>/<anything>.ipynb``. The module comes from the notebook's own
metadata (every notebook the build releases: the modules, the quizzes, the survey); the learner from the file or
folder name, matched against the roster when one is given (its ``id`` column, and the optional ``email`` and
``name`` columns, or nbgrader's ``first_name`` and ``last_name``, as aliases), in Unicode NFC form and case-folded
(a macOS file name "Ingrid Mu\u0308ller" is the roster's "Ingrid M\u00fcller"). Nothing is guessed: an unknown or
ambiguous learner, a file that is not a notebook or not this module's, a link, is reported with the reason and
left where it is.

Two uploads of one module by one learner in one batch: the newer is the submission ("the last submission
counts"), the other is backed up under ``.lepton-backups/uploads/``, and the summary says which and why.

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
import difflib
import hashlib
import json
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from lepton_training.grading.submissions import notebook_problem

__all__ = [
    "CollectResult",
    "collect",
    "read_roster",
    "roster_rows",
    "read_times",
    "released_modules",
    "name_key",
    "unknown_module_message",
    "NAMING_RULE",
    "TIME_SOURCES",
]

#: Where a submission's time may come from.
TIME_SOURCES = ("collected", "file", "mtime")
_TIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f UTC"

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
_NOISE = re.compile(r"^(copy of\s+)|(\s*\(\d+\))$", re.IGNORECASE)
#: How learners must name an upload; said wherever a file name carries no learner.
NAMING_RULE = (
    "learners must name their upload <their id or name>_<module>.ipynb, such as alice_01-data-prep.ipynb "
    "(Colab: File > Rename before File > Download), or upload it into a folder named after them"
)


def name_key(text: str) -> str:
    """Return the form in which two spellings of one name compare equal: Unicode NFC, case-folded, one space.

    A file name from macOS is in NFD ("u" + combining diaeresis), a roster typed elsewhere in NFC ("ü"): both
    read the same and are the same learner.
    """
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())
    return " ".join(folded.split())


def unknown_module_message(module_id: str, known: list[str]) -> str:
    """Say that ``module_id`` is not a module of the course, with the closest module id when there is one."""
    close = difflib.get_close_matches(module_id, known, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]}? " if close else ""
    return f"there is no module {module_id!r}: {hint}The modules are {', '.join(known)}."


@dataclass
class CollectResult:
    """What ``collect`` did: imported files, replaced submissions (with their backup), reported files."""

    imported: list[tuple[str, str, Path]] = field(default_factory=list)
    replaced: list[tuple[Path, Path]] = field(default_factory=list)
    reported: list[tuple[Path, str]] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    superseded: list[tuple[Path, Path, Path]] = field(default_factory=list)
    how_newest: dict[str, str] = field(default_factory=dict)
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
        for older, newer, backup in self.superseded:
            learner = backup.parent.name
            lines.append(
                f"  {learner} uploaded more than one notebook of this module: {newer.name} is the submission, "
                f"the newer {self.how_newest.get(learner, '')}; {older.name} is backed up as {backup}"
            )
        lines += [f"  NOT IMPORTED {path}: {reason}" for path, reason in self.reported]
        return "\n".join(lines)


def roster_rows(path: Path) -> list[dict[str, str]]:
    """Read a roster CSV into rows with ``id``, ``name`` and ``email`` (empty when not given).

    Both forms are read: the course's (``id``, optional ``email``, ``name``) and nbgrader's ``db student
    import`` form (``id``, optional ``first_name``, ``last_name``, ``email``), so one file serves both commands.
    """
    rows = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            learner = (row.get("id") or "").strip()
            if not _ID.match(learner):
                raise ValueError(f"{path}: {learner!r} is not a usable learner id (letters, digits, . _ @ -)")
            name = (row.get("name") or "").strip() or " ".join(
                part for part in ((row.get("first_name") or "").strip(), (row.get("last_name") or "").strip()) if part
            )
            rows.append({"id": learner, "name": name, "email": (row.get("email") or "").strip()})
    return rows


def read_roster(path: Path) -> dict[str, str]:
    """Read a roster CSV (:func:`roster_rows`): alias (:func:`name_key` form) -> learner id.

    The aliases of a learner are the id, the email address and the name.
    """
    aliases: dict[str, str] = {}
    for row in roster_rows(path):
        learner = row["id"]
        for alias in (learner, row["email"], row["name"]):
            alias = name_key(alias)
            if alias:
                # An alias two learners share identifies neither.
                aliases[alias] = learner if aliases.get(alias, learner) == learner else ""
    return aliases


def read_times(path: Path) -> dict[str, datetime]:
    """Read submission times: key -> time (UTC). Columns ``learner``, ``submitted_at``, optional ``file``.

    ``submitted_at`` is an ISO 8601 time; one without a zone is taken as UTC. Keys are the learner (in
    :func:`name_key` form) and, when the ``file`` column names the upload, ``<learner>/<file name>``: the time of
    that one upload (a learner who uploaded twice has two rows). A learner's own key holds their latest time.
    """
    times: dict[str, datetime] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            learner = name_key(row.get("learner") or "")
            text = (row.get("submitted_at") or "").strip()
            try:
                when = datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                raise ValueError(
                    f"{path}, line {number}: {text!r} is not a time such as 2026-12-01T17:00:00Z"
                ) from None
            if not learner:
                raise ValueError(f"{path}, line {number}: no learner")
            when = when if when.tzinfo else when.replace(tzinfo=UTC)
            upload = unicodedata.normalize("NFC", (row.get("file") or "").strip())
            if upload:
                times[f"{learner}/{upload}"] = when
            times[learner] = max(when, times.get(learner, when))
    return times


def _upload_key(learner: str, path: Path) -> str:
    """Return the key of one upload's own row in :func:`read_times`'s answer."""
    return f"{name_key(learner)}/{unicodedata.normalize('NFC', path.name)}"


def _given_time(given: dict[str, datetime], learner: str, path: Path) -> datetime | None:
    """Return the time ``given`` says this upload was made: its own row, else the learner's."""
    return given.get(_upload_key(learner, path)) or given.get(name_key(learner))


def _earlier_time(target: Path) -> datetime | None:
    """Return the time of the submission already in ``target``: ours, or one nbgrader's exchange collected (hub)."""
    from nbgrader.utils import parse_utc

    try:
        text = (target / "timestamp.txt").read_text(encoding="utf-8").strip()
        when = parse_utc(text)
    except (OSError, ValueError, OverflowError):
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _learner_of(path: Path, source: Path, module_id: str, roster: dict[str, str] | None) -> tuple[str, str]:
    """Return (learner id, "") or ("", reason)."""
    if path.parent != source:
        candidate = path.parent.relative_to(source).parts[0]
    else:
        stem = path.stem
        while _NOISE.search(stem):
            stem = _NOISE.sub("", stem).strip()
        candidate = re.sub(rf"[\s._-]*{re.escape(module_id)}[\s._-]*", "", stem, flags=re.IGNORECASE).strip(" _-.")
    candidate = unicodedata.normalize("NFC", candidate)
    if not candidate or name_key(candidate) == name_key(module_id):
        return "", f"the file name {path.name!r} carries no learner name: {NAMING_RULE}"
    if roster is not None:
        learner = roster.get(name_key(candidate))
        if learner is None:
            close = difflib.get_close_matches(name_key(candidate), [k for k, v in roster.items() if v], 1, 0.8)
            hint = f" (the closest is {close[0]!r}, learner {roster[close[0]]}: a typo?)" if close else ""
            return "", f"no learner of the roster is named {candidate!r}{hint}"
        if not learner:
            return "", f"{candidate!r} names more than one learner of the roster"
        return learner, ""
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
    if not module:
        return "it is not a notebook of this course (no lepton_training module metadata)", "", ""
    if module not in known:
        return f"it is the notebook of {module!r}, which this course does not release", "", ""
    if module_id and module != module_id:
        return f"it is the notebook of module {module}, not {module_id}", "", ""
    learner, reason = _learner_of(path, source, module, aliases)
    return reason, learner, module


def released_modules(root: Path) -> list[str]:
    """Return the ids of every notebook the build releases: the modules, the quizzes, the survey.

    The build releases every folder of ``solutions/`` (:func:`lepton_training.build.release.find_modules`); when
    the root has none (a grading machine with ``course/`` only), the release folders of the repository.
    """
    from lepton_training.build.release import find_modules
    from lepton_training.cli import default_repo_root

    return find_modules(root) or find_modules(default_repo_root())


def _backup_upload(root: Path, learner: str, module: str, path: Path) -> Path:
    """Keep a copy of an upload that is not the submission, named by its content: collecting again adds none."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    backup = root / ".lepton-backups" / "uploads" / learner / f"{module}-{digest}-{path.name}"
    if not backup.exists():
        backup.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, backup, follow_symlinks=False)
    return backup


def _copy_number(path: Path) -> int:
    """Drive's and a browser's " (1)", " (2)" on a second download of one name: a later copy."""
    found = re.search(r"\((\d+)\)\s*$", path.stem)
    return int(found.group(1)) if found else 0


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
        Roster CSV (:func:`roster_rows`); without it learner ids come from the file names, and no submission is
        ever replaced.
    times : pathlib.Path, optional
        CSV of submission times (``learner,submitted_at[,file]``), such as an upload form's export.
    time_from : {"collected", "file", "mtime"}, optional
        Where submission times come from: now (default without ``times``), ``times`` (default with it), or the
        files' modification times (only when the upload server sets them and learners cannot).

    Returns
    -------
    CollectResult

    Raises
    ------
    ValueError
        An unknown module (the message names the closest), a roster or times file that cannot be read.
    """
    known = released_modules(root)
    if module_id and module_id not in known:
        raise ValueError(unknown_module_message(module_id, known))
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
        reason, learner, module = _identify(path, source, module_id, set(known), aliases)
        if reason:
            result.reported.append((path, reason))
        else:
            candidates.setdefault((learner, module), []).append(path)
    for (learner, module), paths in candidates.items():
        if len(paths) > 1:
            path = _newest(paths, learner, given, result)
            for other in paths:
                if other != path:
                    result.superseded.append((other, path, _backup_upload(root, learner, module, other)))
        else:
            path = paths[0]
        target = root / "submitted" / learner / module
        existing = target / f"{module}.ipynb"
        if existing.is_file() and existing.read_bytes() == path.read_bytes():
            result.unchanged.append(path)
            continue
        if time_from == "mtime":
            when = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        elif time_from == "file":
            when = _given_time(given, learner, path)
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


def _newest(paths: list[Path], learner: str, given: dict[str, datetime], result: CollectResult) -> Path:
    """Choose the newest of one learner's uploads of one module, and record how it was chosen.

    Per-upload times of the times file (its ``file`` column) decide; else the files' modification times, which
    within one batch of one upload folder keep their order; a tie goes to Drive's higher " (N)" copy number.
    """
    own = {p: given.get(_upload_key(learner, p)) for p in paths}
    if all(own.values()):
        result.how_newest[learner] = "by the upload times of the times file"
        return max(paths, key=lambda p: (own[p], _copy_number(p)))
    result.how_newest[learner] = (
        "by the files' modification times (give each upload's time in the times file's `file` column to decide "
        "otherwise)"
    )
    return max(paths, key=lambda p: (p.stat().st_mtime, _copy_number(p)))
