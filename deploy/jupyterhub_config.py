# Lepton Training on one machine: JupyterHub (with configurable-http-proxy from npm) for learners and
# instructors, nbgrader's exchange for release, fetch, submit and collect, and a PostgreSQL gradebook.
#
#   jupyterhub -f deploy/jupyterhub_config.py
#
# Every setting that differs between machines comes from an environment variable (deploy/README.md lists them);
# tests/test_jupyterhub.py runs this file on loopback with a dummy authenticator and local processes.
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821

DEPLOY = Path(__file__).resolve().parent
env = os.environ.get

# --- Network -----------------------------------------------------------------------------------------------------
# The public address. TLS: either the hub ends it itself (LEPTON_SSL_CERT and LEPTON_SSL_KEY: the certificate
# chain and its key, such as certbot's fullchain.pem and privkey.pem, with LEPTON_HUB_URL=https://host:443), or a
# reverse proxy of the company ends it in front of an http:// address on loopback.
c.JupyterHub.bind_url = env("LEPTON_HUB_URL", "http://127.0.0.1:8000")
if env("LEPTON_SSL_CERT") or env("LEPTON_SSL_KEY"):
    if not (env("LEPTON_SSL_CERT") and env("LEPTON_SSL_KEY")):
        sys.exit("TLS needs both LEPTON_SSL_CERT (the certificate chain) and LEPTON_SSL_KEY (its private key)")
    c.JupyterHub.ssl_cert = env("LEPTON_SSL_CERT")
    c.JupyterHub.ssl_key = env("LEPTON_SSL_KEY")
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env("LEPTON_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = env("LEPTON_PROXY_API_URL", "http://127.0.0.1:8001")
# `npm install -g configurable-http-proxy@5` (the hub starts and stops it).
c.ConfigurableHTTPProxy.command = [env("LEPTON_CHP", "configurable-http-proxy")]
# The hub's own state (users, tokens, servers); the course's grades are in the gradebook below.
c.JupyterHub.db_url = env(
    "LEPTON_HUB_DB_URL", "sqlite:///" + str(Path(env("LEPTON_HUB_STATE", ".")) / "jupyterhub.sqlite")
)
c.JupyterHub.cookie_secret_file = str(Path(env("LEPTON_HUB_STATE", ".")) / "jupyterhub_cookie_secret")

# --- Who logs in ---------------------------------------------------------------------------------------------------
# PAM (the machine's accounts) by default; a company uses its single sign-on, e.g.
# LEPTON_HUB_AUTHENTICATOR=generic-oauth with oauthenticator's settings. Tests use "dummy".
c.JupyterHub.authenticator_class = env("LEPTON_HUB_AUTHENTICATOR", "pam")
INSTRUCTORS = sorted(filter(None, env("LEPTON_INSTRUCTORS", "").split(",")))
c.Authenticator.allow_all = True
c.JupyterHub.load_groups = {"instructors": {"users": INSTRUCTORS}}

# --- Their servers -------------------------------------------------------------------------------------------------
# One local process per user ("localprocess": as the user's own OS account). "simple" runs every server as the
# hub's account, in LEPTON_HOMES/<name>: for tests only.
c.JupyterHub.spawner_class = env("LEPTON_HUB_SPAWNER", "localprocess")
if env("LEPTON_HOMES"):
    c.SimpleLocalProcessSpawner.home_dir_template = str(Path(env("LEPTON_HOMES")) / "{username}")
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 60
# Limits a spawner enforces where it can (KubeSpawner, SystemdSpawner; not a plain local process).
c.Spawner.mem_limit = env("LEPTON_MEM_LIMIT", "2G")
c.Spawner.cpu_limit = float(env("LEPTON_CPU_LIMIT", "1"))
c.JupyterHub.concurrent_spawn_limit = 50


def lepton_environment(spawner):
    """Learner or instructor: the Jupyter configuration folder, the exchange, and (instructors) the gradebook."""
    instructor = spawner.user.name in INSTRUCTORS
    role = "instructor" if instructor else "learner"
    spawner.environment.update(
        # First on the config path: the role's JupyterLab (learners: no authoring or grading tools) and nbgrader.
        JUPYTER_CONFIG_PATH=str(DEPLOY / "jupyter" / role),
        LEPTON_ROLE=role,
        LEPTON_COURSE_ID=env("LEPTON_COURSE_ID", "lepton-training"),
        LEPTON_EXCHANGE=env("LEPTON_EXCHANGE", "/srv/nbgrader/exchange"),
    )
    if instructor:
        for name in ("LEPTON_GRADEBOOK_URL", "LEPTON_COURSE_ROOT", "LEPTON_COHORT_SECRET"):
            if env(name):
                spawner.environment[name] = env(name)


c.Spawner.pre_spawn_hook = lepton_environment

# --- Culling idle servers ------------------------------------------------------------------------------------------
# jupyterhub-idle-culler (pip) stops a server idle for an hour, and any server after 10 hours.
CULL = env("LEPTON_CULL_TIMEOUT", "3600")
c.JupyterHub.services = []
c.JupyterHub.load_roles = []
if CULL != "0":
    c.JupyterHub.services.append(
        {
            "name": "idle-culler",
            "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={CULL}", "--max-age=36000"],
        }
    )
    c.JupyterHub.load_roles.append(
        {
            "name": "idle-culler",
            "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
            "services": ["idle-culler"],
        }
    )
