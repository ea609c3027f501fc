"""`lepton-training grade --shard K/N`: N processes grade a roster's disjoint shards into one PostgreSQL gradebook.

The partition (every learner in exactly one shard, whoever else submitted), the option's bad input, and then the
real thing: three `grade --shard K/3` processes started together on an empty PostgreSQL database (the set-up race:
three processes creating nbgrader's tables, its alembic row, the course and the assignment at once), checked
against one unsharded run of the same submissions: every learner graded once, no row lost or doubled, the same
scores; then `--feedback-only` writes everyone's feedback and the CSV.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import COURSE, SOLUTIONS, cell_source, copy_course_root, nbgrader_meta, submit, with_answers
from test_grading_postgres import _skip_or_fail, postgres  # noqa: F401 - the PostgreSQL server fixture

from lepton_training.grading.shard import Shard, parse_shard, select, shard_of

MODULE = "00-orientation"
CLI = str(Path(sys.executable).parent / "lepton-training")
NAMES = ["ada", "grace", "Ingrid Müller", "Ingrid Mu\u0308ller", "li.wei", "o'brien", "Zoë", "x" * 40]


@pytest.mark.parametrize("count", [1, 2, 3, 4, 7])
def test_the_shards_partition_the_learners(count):
    shards = [select(NAMES, Shard(k, count)) for k in range(count)]
    assert sorted(sum(shards, [])) == sorted(NAMES)  # every learner once, none twice
    assert all(shard == [n for n in NAMES if n in shard] for shard in shards)  # the roster's order is kept
    # A learner's shard is theirs alone: it does not move when others submit, leave or arrive late.
    for name in NAMES:
        assert select([name], Shard(shard_of(name, count), count)) == [name]
        assert shard_of(name, count) == shard_of(name, count) in range(count)


def test_a_learners_shard_is_the_same_on_every_machine():
    # SHA-256 of the NFC id, not Python's salted hash(): these values hold in any process, on any machine.
    assert [shard_of(n, 4) for n in ("ada", "grace", "li.wei")] == [
        int.from_bytes(__import__("hashlib").sha256(n.encode()).digest()[:8], "big") % 4
        for n in ("ada", "grace", "li.wei")
    ]
    # A name typed on macOS (NFD) and on Windows (NFC) is one learner, in one shard.
    assert shard_of("Ingrid Mu\u0308ller", 5) == shard_of("Ingrid Müller", 5)
    # Spread: 1,000 ids over 4 shards, each within 20 % of an even share.
    sizes = [len(select([f"learner{i}" for i in range(1000)], Shard(k, 4))) for k in range(4)]
    assert all(200 <= size <= 300 for size in sizes), sizes


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2", "--shard '2' is not K/N: give this run's shard K (from 0) and the number of shards N"),
        ("a/b", "--shard 'a/b' is not K/N"),
        ("4/4", "--shard 4/4: K counts from 0, so with 4 shard(s) it is 0 to 3"),
        ("0/0", "--shard 0/0: the number of shards N must be at least 1"),
        ("-1/4", "--shard '-1/4' is not K/N"),
    ],
)
def test_a_bad_shard_is_refused_with_what_a_shard_looks_like(text, message):
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        parse_shard(text)
    assert parse_shard(" 3 / 4 ") == Shard(3, 4) and str(Shard(3, 4)) == "3/4"


def test_the_cli_refuses_a_bad_shard_before_grading(tmp_path):
    proc = subprocess.run(
        [CLI, "grade", MODULE, "--root", str(tmp_path), "--shard", "4/4"], capture_output=True, text=True
    )
    assert proc.returncode == 1
    assert "--shard 4/4: K counts from 0, so with 4 shard(s) it is 0 to 3" in proc.stderr
    proc = subprocess.run(
        [CLI, "grade", MODULE, "--root", str(tmp_path), "--feedback-only", "--shard", "0/2"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1 and "--feedback-only grades nobody" in proc.stderr


OPEN_GRADEBOOK = """
import sys, time
from lepton_training.grading.gradebook import use_in_process_alembic
from lepton_training.grading.shard import gradebook_setup_lock
from nbgrader.api import Gradebook
use_in_process_alembic()
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))
with gradebook_setup_lock(sys.argv[1]):
    with Gradebook(sys.argv[1], course_id="lepton-training") as gb:
        gb.update_or_create_assignment("00-orientation")
"""


@pytest.mark.slow
def test_six_runs_setting_up_one_empty_postgresql_gradebook_at_once_make_one_schema(postgres):  # noqa: F811
    # Without the set-up lock, nbgrader's Gradebook() in six processes at once on an empty database failed in 3 of
    # 5 trials here (UniqueViolation on pg_type while two create a table, DuplicateTable on alembic_version).
    import time

    import psycopg

    start = time.time() + 3  # all six past their imports, then at once
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_GRADEBOOK, postgres, str(start)], stderr=subprocess.PIPE, text=True
        )
        for _ in range(6)
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert all(p.returncode == 0 for p in procs), [e[-600:] for e in errors]
    with psycopg.connect(postgres.replace("postgresql+psycopg://", "postgresql://")) as conn:
        counts = [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("alembic_version", "assignment")]
    assert counts == [1, 1]


def _learners():
    """Twelve learners: complete, blank, and each of the four exercises alone; scores spread over 0 to full."""
    source = json.loads((SOLUTIONS / MODULE / f"{MODULE}.ipynb").read_text())
    release = json.loads((COURSE / MODULE / f"{MODULE}.ipynb").read_text())
    answers = {
        nbgrader_meta(c)["grade_id"]: cell_source(c) for c in source["cells"] if nbgrader_meta(c).get("solution")
    }
    ids = sorted(answers)
    learners = {}
    for i in range(12):
        # 0: every answer; 1: none; 2 to 5: exercise 1, 2, 3 or 4 alone.
        kept = ids if i % 6 == 0 else ids[i % 6 - 2 : i % 6 - 1]
        learners[f"l{i:02d}"] = with_answers(release, {g: answers[g] for g in kept})
    return learners


def _graded_course(folder, learners):
    folder.mkdir()
    root = copy_course_root(folder, [MODULE])
    for learner, nb in learners.items():
        submit(root, MODULE, learner, nb)
    return root


def _scores(url):
    from nbgrader.api import Gradebook

    with Gradebook(url, course_id="lepton-training") as gb:
        return {s.student.id: s.score for s in gb.assignment_submissions(MODULE)}


@pytest.mark.slow
def test_three_shards_grade_everyone_once_into_one_postgresql_gradebook(tmp_path, postgres, jupyter_env):  # noqa: F811
    from lepton_training.grading.sandbox import sandbox_problem

    problem = sandbox_problem()
    if problem:
        _skip_or_fail(f"the grading sandbox cannot run here: {problem}")
    learners = _learners()
    # The reference: one unsharded run (SQLite gradebook in its own course root).
    single = _graded_course(tmp_path / "single", learners)
    env = {k: v for k, v in jupyter_env.items() if k != "LEPTON_GRADEBOOK_URL"}
    done = subprocess.run(
        [CLI, "grade", MODULE, "--root", str(single), "--jobs", "1", "--no-feedback"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    expected = _scores(f"sqlite:///{single / 'gradebook.db'}")
    assert sorted(expected) == sorted(learners) and len(set(expected.values())) >= 4, expected

    # Three shards at once, on the shared course root, into the empty PostgreSQL database.
    root = _graded_course(tmp_path / "shared", learners)
    env = {**env, "LEPTON_GRADEBOOK_URL": postgres}
    procs = [
        subprocess.Popen(
            [CLI, "grade", MODULE, "--root", str(root), "--jobs", "1", "--shard", f"{k}/3"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for k in range(3)
    ]
    outputs = [p.communicate(timeout=900) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    for k, (out, _) in enumerate(outputs):
        mine = select(sorted(learners), Shard(k, 3))
        assert f"{MODULE}: {len(mine)} learner(s)" in out, out
        assert f"Shard {k}/3: the learners above only" in out and f"grade {MODULE} --feedback-only" in out
    graded = [line.split()[2].rstrip(":") for _, err in outputs for line in err.splitlines() if "] " in line]
    assert sorted(graded) == sorted(learners), graded  # each learner in exactly one shard's progress
    assert not (root / "feedback").exists() and not (root / "grades").exists()  # shards write grades only

    assert _scores(postgres) == expected
    import psycopg

    dsn = postgres.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn:
        one = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("alembic_version", "course", "assignment", "notebook", "grade_cells")
        }
        rows = {
            "submitted_assignment": conn.execute("SELECT count(*) FROM submitted_assignment").fetchone()[0],
            "student": conn.execute("SELECT count(*) FROM student").fetchone()[0],
            "grade": conn.execute("SELECT count(*) FROM grade").fetchone()[0],
        }
    cells = one["grade_cells"]
    assert one == {"alembic_version": 1, "course": 1, "assignment": 1, "notebook": 1, "grade_cells": cells}
    assert rows == {"submitted_assignment": 12, "student": 12, "grade": 12 * cells}

    # Once they are all done: the feedback and the CSV, once, for everybody.
    finish = subprocess.run(
        [CLI, "grade", MODULE, "--root", str(root), "--feedback-only"], env=env, capture_output=True, text=True
    )
    assert finish.returncode == 0, finish.stdout + finish.stderr
    assert sorted(p.parent.parent.name for p in (root / "feedback").glob(f"*/{MODULE}/*.html")) == sorted(learners)
    csv_rows = (root / "grades" / f"{MODULE}.csv").read_text().splitlines()[1:]
    assert sorted(r.split(",")[0] for r in csv_rows) == sorted(learners)
