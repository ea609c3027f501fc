"""A real PostgreSQL gradebook: two `lepton-training grade` processes sharding learners write to it at once."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import (
    COURSE,
    SOLUTIONS,
    cell_source,
    copy_course_root,
    free_port,
    is_ci,
    nbgrader_meta,
    submit,
    with_answers,
)

from lepton_training.grading.sandbox import sandbox_problem

pytestmark = pytest.mark.slow

MODULE = "00-orientation"


def _tool(name):
    found = shutil.which(name) or next(iter(sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))), None)
    return str(found) if found else None


def _skip_or_fail(reason):
    if is_ci():
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def postgres(tmp_path):
    """A PostgreSQL server on loopback, run by the postgres user on a data folder it owns; its SQLAlchemy URL."""
    initdb, pg_ctl = _tool("initdb"), _tool("pg_ctl")
    if not (initdb and pg_ctl):
        _skip_or_fail("PostgreSQL is not installed (Debian: apt-get install -y postgresql)")
    if os.geteuid() != 0:
        _skip_or_fail("starting PostgreSQL as the postgres user needs root")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _skip_or_fail("psycopg is not installed (pip install 'psycopg[binary]')")
    # pytest's own temporary folders are private to root: the server gets a folder of its own under /tmp.
    folder = Path(tempfile.mkdtemp(prefix="lepton-pg-"))
    shutil.chown(folder, "postgres")
    data, sockets = folder / "data", folder

    def as_postgres(*args):
        return subprocess.run(["runuser", "-u", "postgres", "--", *args], capture_output=True, text=True, timeout=120)

    made = as_postgres(initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
    assert made.returncode == 0, made.stderr
    # A port of its own: several test workers (and other programs) may each run a server at once.
    port = free_port()
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
    started = as_postgres(pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start")
    assert started.returncode == 0, started.stderr + (folder / "log").read_text()
    try:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={port} user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute("CREATE DATABASE gradebook")
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/gradebook"
    finally:
        as_postgres(pg_ctl, "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def test_two_grade_processes_share_one_postgresql_gradebook(tmp_path, postgres, jupyter_env):
    problem = sandbox_problem()
    if problem:
        _skip_or_fail(f"the grading sandbox cannot run here: {problem}")
    (tmp_path / "course").mkdir()
    root = copy_course_root(tmp_path / "course", [MODULE])
    source = json.loads((SOLUTIONS / MODULE / f"{MODULE}.ipynb").read_text())
    release = json.loads((COURSE / MODULE / f"{MODULE}.ipynb").read_text())
    solutions = {
        nbgrader_meta(c)["grade_id"]: cell_source(c) for c in source["cells"] if nbgrader_meta(c).get("solution")
    }
    learners = {
        "ann": with_answers(release, solutions),
        "ben": release,
        "cid": with_answers(release, solutions),
        "dee": release,
    }
    for learner, nb in learners.items():
        submit(root, MODULE, learner, nb)

    env = {**jupyter_env, "LEPTON_GRADEBOOK_URL": postgres}
    command = [
        str(Path(sys.executable).parent / "lepton-training"),
        "grade",
        MODULE,
        "--root",
        str(root),
        "--jobs",
        "1",
    ]
    shards = [["--learner", "ann", "--learner", "ben"], ["--learner", "cid", "--learner", "dee"]]
    # Both start together: both create the tables and the assignment in the empty database at once.
    procs = [
        subprocess.Popen(
            [*command, *shard], env=env, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for shard in shards
    ]
    outputs = [p.communicate(timeout=600)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs

    from nbgrader.api import Gradebook

    with Gradebook(postgres, course_id="lepton-training") as gb:
        scores = {s.student.id: s.score for s in gb.assignment_submissions(MODULE)}
        full = gb.find_assignment(MODULE).max_score
    assert scores == {"ann": full, "ben": 0, "cid": full, "dee": 0}, outputs
    assert not (root / "gradebook.db").exists(), "the SQLite default was used instead of PostgreSQL"
