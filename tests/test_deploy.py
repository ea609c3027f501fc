"""deploy/ as an IT team reads it: the install commands of deploy/README.md run as written, the images, the hub's
configuration, the Kubernetes values and grading Job, the systemd units and the backup.

No docker, helm or cluster here: the Dockerfiles are read (every file they copy exists, the package is the release
wheel the README says to build), the values' spawn hook runs against a stand-in spawner, and the Job's command is
parsed by the real `lepton-training` parser. The install runs for real, offline: the wheel (and the repository,
cloned and tagged locally) into a fresh virtual environment whose dependencies are this environment's.
"""

import configparser
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from conftest import REPO, is_ci
from test_colab import course_wheel  # noqa: F401 - the wheel, built from a copy of the sources
from test_grading_postgres import postgres  # noqa: F401 - a real PostgreSQL server
from traitlets.config.loader import PyFileConfigLoader

DEPLOY = REPO / "deploy"
README = (DEPLOY / "README.md").read_text()
VERSION = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
REGISTRY = "registry.lepton.ai/lepton-training"


def _documented(pattern):
    """The quoted pip requirement of deploy/README.md matching ``pattern`` (one, and the same everywhere)."""
    found = set(re.findall(r"pip install '([^']*" + pattern + r"[^']*)'", README))
    assert len(found) == 1, found
    return found.pop()


def _run(command, **kwargs):
    proc = subprocess.run(command, capture_output=True, text=True, timeout=600, **kwargs)
    assert proc.returncode == 0, f"{command}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def _fresh_venv(folder):
    """A new virtual environment that borrows this one's packages (a .pth line) but not its lepton-training.

    The packages are importable, so pip sees every dependency satisfied and needs no index; this environment's
    editable lepton-training is a folder the new one never adds (only its site-packages is on the path), so the
    package imported there is the one just installed. pip itself is this environment's, run with --python.
    """
    _run([sys.executable, "-m", "venv", "--without-pip", str(folder)])
    python = folder / "bin" / "python"
    site = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip()
    Path(site, "_lepton_test_borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def _installed(python, cwd):
    """Where the fresh environment imports lepton_training from, and that its instructor tools import."""
    code = "import lepton_training, nbgrader, psycopg, jupyterlab; print(lepton_training.__file__)"
    return Path(_run([python, "-c", code], cwd=cwd).stdout.strip())


@pytest.mark.slow
def test_the_documented_wheel_install_works_in_a_fresh_environment(tmp_path, course_wheel):  # noqa: F811
    requirement = _documented(r"\.whl\[instructor\]")
    assert requirement == f"./lepton_training-{VERSION}-py3-none-any.whl[instructor]"
    assert course_wheel.name == Path(requirement.split("[")[0]).name  # the name `pip wheel` gives it
    dist = tmp_path / "dist"
    dist.mkdir()
    shutil.copy(course_wheel, dist)
    python = _fresh_venv(tmp_path / "venv")
    # The README's command, run in the folder holding the wheel; --no-index only keeps it offline.
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-index", requirement], cwd=dist)
    assert _installed(python, tmp_path).is_relative_to(tmp_path / "venv")

    # The recipe's next step: `lepton-training setup --root <course root>` makes the environment's Jupyter apps
    # load the course configuration; nbgrader, run from elsewhere, then knows the course.
    root = tmp_path / "course-root"
    root.mkdir()
    shutil.copy(REPO / "jupyter_config.py", root)
    cli = tmp_path / "venv" / "bin" / "lepton-training"
    _run([cli, "setup", "--root", str(root)])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "LEPTON_"))}
    env["JUPYTER_CONFIG_DIR"] = str(tmp_path / "jupyter-home")
    shown = _run(
        [
            python,
            "-c",
            "from nbgrader.apps import NbGraderApp; app = NbGraderApp(); app.load_config_file(); "
            "print(app.config.CourseDirectory.root, app.config.CourseDirectory.course_id)",
        ],
        cwd=tmp_path,
        env=env,
    )
    assert shown.stdout.split() == [str(root), "lepton-training"]


@pytest.mark.slow
def test_the_documented_install_from_the_tag_works_in_a_fresh_environment(tmp_path):
    requirement = _documented(r"git\+https://")
    url = (
        "https://github.com/"
        + tomllib.loads((REPO / "lepton_training" / "course.toml").read_text())["course"]["repository"]
    )
    assert requirement == f"lepton-training[instructor] @ git+{url}@v{VERSION}"
    # The repository at the tag, locally: a clone of this checkout's committed sources, tagged v<version>.
    clone = tmp_path / "clone"
    _run(["git", "clone", "--quiet", str(REPO), str(clone)])
    for path in ("pyproject.toml", "README.md"):  # uncommitted edits of the packaging files count too
        shutil.copy(REPO / path, clone / path)
    shutil.rmtree(clone / "lepton_training")
    shutil.copytree(REPO / "lepton_training", clone / "lepton_training", ignore=shutil.ignore_patterns("__pycache__"))
    _run(["git", "-C", str(clone), "add", "-A"])
    _run(["git", "-C", str(clone), "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x", "--allow-empty"])
    _run(["git", "-C", str(clone), "tag", f"v{VERSION}"])
    python = _fresh_venv(tmp_path / "venv")
    local = requirement.replace(f"git+{url}", f"git+file://{clone}")
    # pip builds the package in isolation: it fetches the build backend (setuptools) from the index, and only it.
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", local],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if proc.returncode != 0 and "setuptools" in proc.stderr and "No matching distribution" in proc.stderr:
        if is_ci():
            pytest.fail(proc.stderr[-2000:])
        pytest.skip("no package index here for the build backend (setuptools)")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert _installed(python, tmp_path).is_relative_to(tmp_path / "venv")


# --- The images ------------------------------------------------------------------------------------------------


def _dockerfile(role):
    text = (DEPLOY / "images" / role / "Dockerfile").read_text()
    # Instructions with their continuation lines joined, comments left out.
    lines = re.sub(r"\\\n\s*", " ", "\n".join(x for x in text.splitlines() if not x.lstrip().startswith("#")))
    return [line.split(None, 1) for line in lines.splitlines() if line.strip()]


def _args(instructions):
    return dict(a[1].split("=", 1) for k, a in [(i[0], i) for i in instructions] if k == "ARG" and "=" in a[1])


@pytest.mark.parametrize("role", ["learner", "instructor"])
def test_the_dockerfiles_install_the_release_wheel_and_copy_files_that_exist(role):
    instructions = _dockerfile(role)
    keywords = {k for k, _ in instructions}
    assert keywords <= {"FROM", "ARG", "RUN", "COPY", "USER", "WORKDIR", "ENTRYPOINT", "CMD", "ENV"}, keywords
    assert _args(instructions)["VERSION"] == VERSION  # the image's package is the version of this checkout
    wheel = "dist/lepton_training-${VERSION}-py3-none-any.whl"
    copies = [shlex.split(a) for k, a in instructions if k == "COPY"]
    for *sources, _ in copies:
        for source in sources:
            if source != wheel:
                assert (REPO / source).exists(), f"{role}: COPY {source}: no such file in the repository"
    assert [wheel, "/tmp/"] in copies  # the wheel README's `pip wheel --no-deps -w dist .` writes
    installs = " ".join(a for k, a in instructions if k == "RUN" and "pip install" in a)
    extra = "[instructor]" if role == "instructor" else ""
    assert f'"/tmp/lepton_training-${{VERSION}}-py3-none-any.whl{extra}"' in installs
    assert "lepton-training==" not in installs and "pip install lepton-training" not in installs  # on no index
    assert [f"deploy/jupyter/{role}/", "/etc/jupyter/lepton/"] in copies


def test_the_instructor_image_builds_on_the_learners_with_the_sandbox_and_the_sources_outside_home():
    instructions = _dockerfile("instructor")
    args = _args(instructions)
    (base,) = [a for k, a in instructions if k == "FROM"]
    assert base == "${REGISTRY}/learner:${VERSION}" and args["REGISTRY"] == REGISTRY
    runs = " ".join(a for k, a in instructions if k == "RUN")
    assert "bubblewrap" in runs and "util-linux" in runs  # bwrap and prlimit: the grading sandbox
    assert "lepton-training setup --root /opt/lepton-training --prefix /usr/local" in runs
    copies = [shlex.split(a) for k, a in instructions if k == "COPY"]
    assert ["solutions/", "/opt/lepton-training/solutions/"] in copies
    assert ["deploy/images/instructor/lepton-course-root", "/usr/local/bin/lepton-course-root"] in copies
    # The learner's configuration (Formgrader off) goes before the instructor's takes its place.
    assert instructions.index(["RUN", "rm -rf /etc/jupyter/lepton"]) < instructions.index(
        ["COPY", "deploy/jupyter/instructor/ /etc/jupyter/lepton/"]
    )
    learner = _dockerfile("learner")
    assert [a for k, a in learner if k == "FROM"] == ["python:3.12-slim-bookworm"]
    assert "jupyterhub>=5,<6" in " ".join(a for k, a in learner if k == "RUN")  # z2jh 4.x runs JupyterHub 5


def test_lepton_course_root_links_the_release_sources_and_never_hides_a_real_folder(tmp_path):
    script = DEPLOY / "images" / "instructor" / "lepton-course-root"
    assert os.access(script, os.X_OK)
    root = tmp_path / "srv"
    env = {**os.environ, "LEPTON_COURSE_ROOT": str(root), "LEPTON_COURSE_SOURCES": str(REPO)}
    for _ in range(2):  # at every start: the second run replaces the links
        _run([str(script)], env=env)
    for name in ("jupyter_config.py", "nbgrader_config.py", "solutions"):
        assert (root / name).is_symlink() and (root / name).resolve() == (REPO / name).resolve()
    (root / "solutions").unlink()
    (root / "solutions").mkdir()
    proc = subprocess.run([str(script)], env=env, capture_output=True, text=True)
    assert proc.returncode == 1
    assert f"{root}/solutions is a file or folder of its own; move it away" in proc.stderr
    assert (root / "solutions").is_dir() and not (root / "solutions").is_symlink()


# --- The Kubernetes values and the grading Job -----------------------------------------------------------------


def _values():
    return yaml.safe_load((DEPLOY / "z2jh-values.yaml").read_text())


def _spawn(groups, volumes):
    """Run the values' pre-spawn hook on a stand-in KubeSpawner; return the spawner."""
    from traitlets.config import Config

    c = Config()
    namespace = {"c": c, "get_config": lambda: c}
    exec(compile(_values()["hub"]["extraConfig"]["lepton.py"], "extraConfig", "exec"), namespace)
    spawner = SimpleNamespace(
        user=SimpleNamespace(groups=[SimpleNamespace(name=g) for g in groups]),
        environment={},
        volumes=volumes,
        volume_mounts=[] if isinstance(volumes, list) else {},
        image="",
    )
    c.KubeSpawner.pre_spawn_hook(spawner)
    return spawner


@pytest.mark.parametrize("volumes", [[{"name": "home"}], {"home": {"name": "home"}}])
def test_instructors_get_4_gb_their_image_and_the_course_root_outside_the_home_volume(volumes, monkeypatch):
    monkeypatch.setenv("LEPTON_GRADEBOOK_URL", "postgresql+psycopg://grader@db/gradebook")
    values = _values()
    home = values["singleuser"]["storage"]["homeMountPath"]
    instructor = _spawn(["instructors"], volumes)
    assert instructor.image == f"{REGISTRY}/instructor:{VERSION}"
    assert instructor.mem_limit == "4G"  # the sizing of README.md
    assert values["singleuser"]["memory"]["limit"] == "2G"  # learners keep theirs
    root = instructor.environment["LEPTON_COURSE_ROOT"]
    assert not Path(root).is_relative_to(home), f"{root} is under the home volume {home}"
    mounts = (
        instructor.volume_mounts if isinstance(instructor.volume_mounts, list) else [*instructor.volume_mounts.values()]
    )
    assert {"name": "lepton-course", "mountPath": root} in mounts
    names = [v["name"] for v in (instructor.volumes if isinstance(volumes, list) else instructor.volumes.values())]
    assert names == ["home", "lepton-course"]
    assert instructor.environment["LEPTON_GRADEBOOK_URL"].startswith("postgresql+psycopg://")
    assert instructor.lifecycle_hooks == {"postStart": {"exec": {"command": ["lepton-course-root"]}}}
    learner = _spawn([], volumes)
    assert learner.image == f"{REGISTRY}/learner:{VERSION}"
    assert "LEPTON_GRADEBOOK_URL" not in learner.environment and not hasattr(learner, "mem_limit")
    assert learner.volumes == volumes
    # Who is an instructor: the `instructors` group, from the single sign-on's group claim.
    oauth = values["hub"]["config"]["GenericOAuthenticator"]
    assert oauth["manage_groups"] is True and oauth["auth_state_groups_key"]
    assert values["hub"]["loadRoles"]["instructors"]["groups"] == ["instructors"]


def test_the_grading_job_runs_one_shard_per_index_against_the_shared_gradebook():
    from lepton_training.cli import COMMANDS
    from lepton_training.grading.shard import parse_shard

    job = yaml.safe_load((DEPLOY / "k8s" / "grading-job.yaml").read_text())
    assert job["kind"] == "Job" and job["apiVersion"] == "batch/v1"
    spec = job["spec"]
    assert spec["completionMode"] == "Indexed"
    pod = spec["template"]["spec"]
    (container,) = pod["containers"]
    env = {e["name"]: e for e in container["env"]}
    assert int(env["SHARDS"]["value"]) == spec["completions"]  # N is both
    assert env["LEPTON_GRADEBOOK_URL"]["valueFrom"]["secretKeyRef"]["name"] == "lepton-gradebook"
    assert container["image"] == f"{REGISTRY}/instructor:{VERSION}"
    assert pod["restartPolicy"] == "Never"
    course = next(m for m in container["volumeMounts"] if m["name"] == "course")
    assert course["mountPath"] == env["LEPTON_COURSE_ROOT"]["value"]
    assert pod["volumes"][0]["persistentVolumeClaim"]["claimName"] == "lepton-course"
    # The pod's command, with Kubernetes' JOB_COMPLETION_INDEX, read by the real parser of `lepton-training grade`.
    (script,) = container["args"]
    first, command = script.split("&&")
    assert first.strip() == "lepton-course-root"
    variables = {k: e.get("value", "") for k, e in env.items()} | {"JOB_COMPLETION_INDEX": "3", "MODULE": "00-x"}
    words = shlex.split(re.sub(r"\$(\w+)", lambda m: variables[m[1]], command))
    assert words[:3] == ["exec", "lepton-training", "grade"]
    import argparse

    parser = argparse.ArgumentParser()
    COMMANDS["grade"].arguments(parser)
    args = parser.parse_args(words[3:])
    assert parse_shard(args.shard) == (3, spec["completions"]) and args.module == "00-x"
    volumes = list(yaml.safe_load_all((DEPLOY / "k8s" / "volumes.yaml").read_text()))
    assert {v["metadata"]["name"]: v["spec"]["accessModes"] for v in volumes} == {
        "nbgrader-exchange": ["ReadWriteMany"],
        "lepton-course": ["ReadWriteMany"],
    }


# --- The Jupyter configurations and the hub's TLS --------------------------------------------------------------


@pytest.mark.parametrize("role", ["learner", "instructor"])
def test_the_roles_configurations_use_only_options_nbgrader_knows(role):
    from nbgrader.apps import CollectApp
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import Exchange, ExchangeCollect  # the exchange the hub uses

    config = PyFileConfigLoader("jupyter_config.py", path=str(DEPLOY / "jupyter" / role)).load_config()
    known = {
        cls.__name__: set(cls.class_trait_names(config=True)) for cls in (CourseDirectory, Exchange, ExchangeCollect)
    }
    for section, options in config.items():
        assert section in known, f"{role}: {section} is not a class these settings are for"
        assert set(options) <= known[section], (section, set(options) - known[section])
    if role == "instructor":
        assert config.ExchangeCollect.check_owner is False
        # The form the deploy used to have is no option of nbgrader 0.9: it was silently ignored.
        assert "check_owner" not in CollectApp.class_trait_names(config=True)
        server = json.loads((DEPLOY / "jupyter" / role / "jupyter_server_config.json").read_text())
        assert server["ServerApp"]["jpserver_extensions"] == {"lepton_training.grading.formgrader": True}


def _hub_config(monkeypatch, **env):
    for key in ("LEPTON_SSL_CERT", "LEPTON_SSL_KEY"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return PyFileConfigLoader("jupyterhub_config.py", path=str(DEPLOY)).load_config()


def test_the_hub_serves_tls_with_a_certificate_and_its_key(monkeypatch):
    config = _hub_config(monkeypatch, LEPTON_SSL_CERT="/etc/tls/fullchain.pem", LEPTON_SSL_KEY="/etc/tls/key.pem")
    assert (config.JupyterHub.ssl_cert, config.JupyterHub.ssl_key) == ("/etc/tls/fullchain.pem", "/etc/tls/key.pem")
    assert "ssl_cert" not in _hub_config(monkeypatch).JupyterHub
    with pytest.raises(SystemExit, match="TLS needs both LEPTON_SSL_CERT .* and LEPTON_SSL_KEY"):
        _hub_config(monkeypatch, LEPTON_SSL_CERT="/etc/tls/fullchain.pem")


# --- systemd and the backup ------------------------------------------------------------------------------------


def test_the_systemd_units_verify(tmp_path):
    analyze = shutil.which("systemd-analyze")
    units = sorted((DEPLOY / "systemd").iterdir())
    assert [u.name for u in units] == ["jupyterhub.service", "lepton-backup.service", "lepton-backup.timer"]
    hub = configparser.ConfigParser(strict=False, interpolation=None)
    hub.read(DEPLOY / "systemd" / "jupyterhub.service")
    assert hub["Service"]["ExecStart"].split()[1:] == ["-f", "/srv/lepton-training/deploy/jupyterhub_config.py"]
    assert hub["Service"]["EnvironmentFile"] == "/etc/lepton-training/hub.env"
    assert (
        "/etc/lepton-training/hub.env" in README and "systemctl enable --now jupyterhub lepton-backup.timer" in README
    )
    if analyze is None:
        if is_ci():
            pytest.fail("systemd-analyze is missing (apt-get install systemd)")
        pytest.skip("systemd-analyze is missing")
    # The units as installed on a machine that follows the README: the paths of the recipe made to exist here.
    bin_dir = Path(sysconfig.get_path("scripts"))
    (tmp_path / "hub.env").write_text("LEPTON_COURSE_ROOT=/srv/lepton-training\n")
    for unit in units:
        text = unit.read_text()
        text = text.replace("/opt/lepton-training/bin/jupyterhub", str(bin_dir / "jupyterhub"))
        text = text.replace("/srv/lepton-training/deploy/", f"{DEPLOY}/")
        text = text.replace("/etc/lepton-training/hub.env", str(tmp_path / "hub.env"))
        (tmp_path / unit.name).write_text(text)
    proc = subprocess.run(
        [analyze, "verify", *(str(tmp_path / u.name) for u in units)], capture_output=True, text=True, timeout=120
    )
    problems = [line for line in (proc.stdout + proc.stderr).splitlines() if "lepton" in line or "jupyterhub" in line]
    assert proc.returncode == 0 and not problems, proc.stdout + proc.stderr


@pytest.mark.slow
def test_the_backup_restores_the_gradebook_and_the_graded_work(tmp_path, postgres):  # noqa: F811
    from nbgrader.api import Gradebook

    from lepton_training.grading.gradebook import use_in_process_alembic

    use_in_process_alembic()  # nbgrader would run `alembic` from PATH to create a gradebook
    root, exchange, backups = tmp_path / "course", tmp_path / "exchange", tmp_path / "backups"
    (root / "submitted" / "ada" / "00-orientation").mkdir(parents=True)
    (root / "submitted" / "ada" / "00-orientation" / "00-orientation.ipynb").write_text("{}")
    (root / "grades").mkdir()
    (root / "grades" / "00-orientation.csv").write_text("learner,score\nada,5\n")
    (exchange / "lepton-training" / "inbound").mkdir(parents=True)
    with Gradebook(postgres, course_id="lepton-training") as gb:
        gb.add_assignment("00-orientation")
        gb.add_student("ada", first_name="Ada")
    env = {
        **os.environ,
        "LEPTON_COURSE_ROOT": str(root),
        "LEPTON_GRADEBOOK_URL": postgres,
        "LEPTON_EXCHANGE": str(exchange),
        "LEPTON_BACKUP_DIR": str(backups),
    }
    tools = Path(shutil.which("pg_dump") or "").parent
    env["PATH"] = os.pathsep.join([str(tools), env["PATH"]])
    _run([str(DEPLOY / "lepton-backup")], env=env)
    (dump,) = backups.glob("gradebook-*.dump")
    (course,) = backups.glob("course-*.tar.gz")
    assert len(list(backups.glob("exchange-*.tar.gz"))) == 1
    assert oct(backups.stat().st_mode & 0o777) == "0o700"

    # Restore into a new database, as README.md says: the learner and the assignment are back.
    import psycopg

    server = postgres.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute("CREATE DATABASE restored")
    _run([str(tools / "pg_restore"), "--dbname", f"{server}/restored", str(dump)])
    with Gradebook(postgres.rsplit("/", 1)[0] + "/restored", course_id="lepton-training") as gb:
        assert [s.id for s in gb.students] == ["ada"] and gb.find_student("ada").first_name == "Ada"
        assert [a.name for a in gb.assignments] == ["00-orientation"]
    restored = tmp_path / "restored"
    restored.mkdir()
    _run(["tar", "-C", str(restored), "-xzf", str(course)])
    assert (restored / "grades" / "00-orientation.csv").read_text() == "learner,score\nada,5\n"
    assert (restored / "submitted" / "ada" / "00-orientation" / "00-orientation.ipynb").is_file()
    assert not (restored / "solutions").exists()  # the sources are in git

    # A gradebook the backup cannot read is refused by name, not skipped.
    proc = subprocess.run(
        [str(DEPLOY / "lepton-backup")],
        env={**env, "LEPTON_GRADEBOOK_URL": "mysql://x"},
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert "cannot back up the gradebook mysql://x: only PostgreSQL and SQLite URLs" in proc.stderr
