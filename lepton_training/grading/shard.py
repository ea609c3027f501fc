"""Grading beyond one machine: ``lepton-training grade --shard K/N`` grades one Nth of the learners.

N runs of ``grade`` with the shards ``0/N`` to ``(N-1)/N`` (on N machines, or as the N pods of a Kubernetes
Indexed Job, ``deploy/k8s/grading-job.yaml``) grade every learner exactly once, all writing to one shared
gradebook (PostgreSQL). A learner's shard depends on their id alone, through a hash, and not on who else has
submitted: shards that list ``submitted/`` at slightly different moments, while a late submission arrives, still
agree on who grades whom.

The runs share one database, and nbgrader builds its schema the first time a process opens an empty one (the
tables, the ``alembic_version`` row, the course) without guarding against another process doing the same. So
each run sets up the gradebook (:func:`gradebook_setup_lock`) one at a time: the first run to arrive creates the
tables and the assignment's rows, the others find them there.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

__all__ = ["Shard", "parse_shard", "shard_of", "select", "gradebook_setup_lock", "write_feedback"]


class Shard(NamedTuple):
    """Shard ``index`` of ``count`` (``index`` from 0, as Kubernetes' ``JOB_COMPLETION_INDEX``)."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(text: str) -> Shard:
    """Read ``K/N`` (``0 <= K < N``).

    Parameters
    ----------
    text : str
        Such as ``"0/4"``; in a Kubernetes Indexed Job, ``"$(JOB_COMPLETION_INDEX)/4"``.

    Returns
    -------
    Shard

    Raises
    ------
    ValueError
        With a message that says what a shard looks like.
    """
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text or "")
    if not match:
        raise ValueError(
            f"--shard {text!r} is not K/N: give this run's shard K (from 0) and the number of shards N, "
            "such as --shard 0/4 ... --shard 3/4"
        )
    index, count = int(match[1]), int(match[2])
    if count < 1:
        raise ValueError(f"--shard {text}: the number of shards N must be at least 1")
    if index >= count:
        raise ValueError(
            f"--shard {text}: K counts from 0, so with {count} shard(s) it is 0 to {count - 1} "
            f"(a Kubernetes Indexed Job's JOB_COMPLETION_INDEX is already 0-based)"
        )
    return Shard(index, count)


def shard_of(learner: str, count: int) -> int:
    """Return the shard (0 to ``count - 1``) that grades ``learner``.

    The first 8 bytes of the SHA-256 of the id (NFC-normalized, so that one name typed on two systems lands in
    one shard), modulo ``count``: the same on every machine and Python version (unlike :func:`hash`).

    Parameters
    ----------
    learner : str
    count : int

    Returns
    -------
    int
    """
    digest = hashlib.sha256(unicodedata.normalize("NFC", learner).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count


def select(learners: Sequence[str], shard: Shard | None) -> list[str]:
    """Keep the learners of ``shard`` (all of them when ``shard`` is None), in their order.

    Parameters
    ----------
    learners : sequence of str
    shard : Shard or None

    Returns
    -------
    list of str
    """
    if shard is None:
        return list(learners)
    return [name for name in learners if shard_of(name, shard.count) == shard.index]


#: The key of the PostgreSQL advisory lock that serializes the set-up of a shared gradebook.
SETUP_LOCK_KEY = int.from_bytes(hashlib.sha256(b"lepton-training gradebook setup").digest()[:4], "big")


@contextlib.contextmanager
def gradebook_setup_lock(db_url: str) -> Iterator[None]:
    """Hold the gradebook's set-up lock: one grading run at a time creates its tables and the assignment's rows.

    On PostgreSQL a session-level advisory lock, held on a connection of its own and released when the block
    ends (or the process dies). A SQLite gradebook is one file on one machine, whose writers SQLite already
    serializes: no lock is taken.

    Parameters
    ----------
    db_url : str
        The gradebook's SQLAlchemy URL.
    """
    if not db_url.startswith("postgresql"):
        yield
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(db_url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": SETUP_LOCK_KEY})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": SETUP_LOCK_KEY})
                conn.commit()
    finally:
        engine.dispose()


def write_feedback(root: str | os.PathLike, module_id: str) -> Path:
    """Write a module's feedback and CSV export from the gradebook, grading nobody (after the shards' runs).

    Parameters
    ----------
    root : path-like
        The course root the shards graded into (``autograded/`` on a shared volume).
    module_id : str

    Returns
    -------
    pathlib.Path
        The CSV export.

    Raises
    ------
    GradingError
        When nobody of the module has been graded yet.
    """
    import json

    from lepton_training.grading.run import GradingError, _course_config, _db_url, _progress_line, _write_feedback
    from lepton_training.grading.seeds import test_cells

    root = Path(root).resolve()
    source = root / "solutions" / module_id / f"{module_id}.ipynb"
    if not source.is_file():
        raise GradingError(f"no source notebook {source}")
    if not any((root / "autograded").glob(f"*/{module_id}")):
        raise GradingError(f"nobody's {module_id} is graded in {root / 'autograded'}: run the shards first")
    config = _course_config(root)
    cells = test_cells(json.loads(source.read_text(encoding="utf-8")))
    course_id = config.CourseDirectory.get("course_id", "default_course")
    return _write_feedback(config, root, module_id, _db_url(config, root), course_id, cells, _progress_line)
