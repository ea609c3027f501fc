"""A real JupyterHub on loopback runs the course's nbgrader flow: release, fetch, submit, collect, autograde.

It starts `deploy/jupyterhub_config.py` (with configurable-http-proxy from npm:
`npm install -g configurable-http-proxy@5`, which `.ci/run` does), a dummy authenticator and local processes
(all as this OS account, each user in their own home folder), creates an instructor and two learners through the
hub's REST API, starts their servers, and then drives nbgrader through those servers' own HTTP APIs, as their
browser tabs would: the instructor's Formgrader generates and releases module 00, each learner's Assignments tab
fetches and submits it (one with exercise 1 answered), the Formgrader collects both, and its Autograde button grades
them the hub's way: through `lepton-training grade` in the sandbox (the instructor's server extension
`lepton_training.grading.formgrader`), never stock nbgrader autograde; the gradebook scores them apart. Skipped
when configurable-http-proxy or the grading sandbox is missing, except on CI.
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from conftest import REPO, copy_course_root, is_ci

pytestmark = pytest.mark.slow

MODULE = "00-orientation"
COURSE_ID = "lepton-training"
INSTRUCTOR, LEARNERS = "instructor", ("ada", "grace")
ANSWER = "def completion_rate(enrolled, completed):\n    return completed / enrolled"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _call(url, token, method="GET", body=None, timeout=120):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Authorization": f"token {token}", "Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        payload = response.read()
    return json.loads(payload) if payload else None


def _chp():
    found = shutil.which("configurable-http-proxy")
    if not found:
        reason = "configurable-http-proxy is missing (npm install -g configurable-http-proxy@5)"
        if is_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    return found


def test_nbgrader_flow_through_a_real_jupyterhub(tmp_path, jupyter_env):
    chp = _chp()
    from lepton_training.grading.sandbox import sandbox_problem

    if sandbox_problem():
        if is_ci():
            pytest.fail(f"the grading sandbox cannot run here: {sandbox_problem()}")
        pytest.skip(f"the grading sandbox cannot run here: {sandbox_problem()}")
    homes, exchange, state = tmp_path / "home", tmp_path / "exchange", tmp_path / "hub"
    for folder in (homes, exchange, state):
        folder.mkdir()
    exchange.chmod(0o1777)
    course_root = homes / INSTRUCTOR / "lepton-training"
    course_root.mkdir(parents=True)
    copy_course_root(course_root, [MODULE])
    hub_port, api_port, proxy_api = _free_port(), _free_port(), _free_port()
    token = secrets.token_hex(16)
    config = tmp_path / "jupyterhub_test_config.py"
    config.write_text(
        "c = get_config()\n"
        f"load_subconfig({str(REPO / 'deploy' / 'jupyterhub_config.py')!r})\n"
        f"c.JupyterHub.services.append({{'name': 'lepton-test', 'api_token': {token!r}}})\n"
        "c.JupyterHub.load_roles.append({'name': 'lepton-test', 'services': ['lepton-test'], 'scopes': "
        "['admin:users', 'admin:servers', 'tokens', 'access:servers', 'read:groups']})\n"
        + ("c.Spawner.args = ['--allow-root']\n" if os.geteuid() == 0 else "")
    )
    env = dict(
        jupyter_env,
        LEPTON_HUB_URL=f"http://127.0.0.1:{hub_port}",
        LEPTON_HUB_API_PORT=str(api_port),
        LEPTON_PROXY_API_URL=f"http://127.0.0.1:{proxy_api}",
        LEPTON_CHP=chp,
        LEPTON_HUB_STATE=str(state),
        LEPTON_HUB_AUTHENTICATOR="dummy",
        LEPTON_HUB_SPAWNER="simple",
        LEPTON_HOMES=str(homes),
        LEPTON_INSTRUCTORS=INSTRUCTOR,
        LEPTON_EXCHANGE=str(exchange),
        LEPTON_COURSE_ROOT=str(course_root),
        LEPTON_GRADEBOOK_URL=f"sqlite:///{tmp_path / 'gradebook.db'}",
        LEPTON_CULL_TIMEOUT="0",
    )
    log = tmp_path / "jupyterhub.log"
    with log.open("wb") as out:
        hub = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)],
            cwd=state,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{hub_port}"
    try:
        _flow(base, token, log, hub, exchange, course_root)
    finally:
        os.killpg(hub.pid, signal.SIGTERM)
        try:
            hub.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(hub.pid, signal.SIGKILL)
        # A SimpleLocalProcessSpawner server left behind by a failure: stop it by its own process group.
        for pidfile in homes.glob("*/.lepton-pid"):
            pidfile.unlink()


def _log_tail(log):
    return log.read_text(errors="replace")[-4000:]


def _flow(base, token, log, hub, exchange, course_root):
    deadline = time.monotonic() + 60
    while True:
        try:
            _call(f"{base}/hub/api/", token)
            break
        except OSError:
            if hub.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"JupyterHub did not start:\n{_log_tail(log)}")
            time.sleep(0.5)

    users = [INSTRUCTOR, *LEARNERS]
    _call(f"{base}/hub/api/users", token, "POST", {"usernames": users})
    tokens = {}
    for user in users:
        _call(f"{base}/hub/api/users/{user}/server", token, "POST", {})
        tokens[user] = _call(f"{base}/hub/api/users/{user}/tokens", token, "POST", {"expires_in": 900})["token"]
    deadline = time.monotonic() + 120
    while not all(_call(f"{base}/hub/api/users/{u}", token)["servers"].get("", {}).get("ready") for u in users):
        if time.monotonic() > deadline:
            pytest.fail(f"the servers did not start:\n{_log_tail(log)}")
        time.sleep(1)
    groups = _call(f"{base}/hub/api/groups/instructors", token)
    assert groups["users"] == [INSTRUCTOR]

    def server(user, path, method="GET", **params):
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        try:
            return _call(f"{base}/user/{user}/{path}{query}", tokens[user], method, {} if method == "POST" else None)
        except urllib.error.HTTPError as exc:
            pytest.fail(f"{method} /user/{user}/{path}: {exc.code} {exc.read()[:2000]!r}\n{_log_tail(log)}")

    def ok(result, what):
        assert result.get("success"), f"{what}: {json.dumps(result)[:3000]}"
        return result

    # The learner's server has no Formgrader; the instructor's has.
    with pytest.raises(urllib.error.HTTPError) as missing:
        _call(f"{base}/user/{LEARNERS[0]}/formgrader/api/status", tokens[LEARNERS[0]])
    assert missing.value.code == 404

    # Instructor: generate the learner release (the course's preprocessors) and release it to the exchange.
    ok(server(INSTRUCTOR, f"formgrader/api/assignment/{MODULE}/assign", "POST"), "generate")
    ok(server(INSTRUCTOR, f"formgrader/api/assignment/{MODULE}/release", "POST"), "release")
    assert (exchange / COURSE_ID / "outbound" / MODULE / f"{MODULE}.ipynb").is_file()

    # Learners: the Assignments tab lists it, fetches it, one answers exercise 1, both submit.
    for learner in LEARNERS:
        listed = ok(server(learner, "assignments", course_id=COURSE_ID), "list")["value"]
        assert any(a["assignment_id"] == MODULE and a["status"] == "released" for a in listed), listed
        ok(server(learner, "assignments/fetch", "POST", course_id=COURSE_ID, assignment_id=MODULE), "fetch")
        path = f"api/contents/{MODULE}/{MODULE}.ipynb"
        if learner == LEARNERS[1]:
            nb = server(learner, path, content=1)
            for cell in nb["content"]["cells"]:
                if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "q1-answer":
                    cell["source"] = ANSWER
            _call(
                f"{base}/user/{learner}/{path}",
                tokens[learner],
                "PUT",
                {"type": "notebook", "format": "json", "content": nb["content"]},
            )
        ok(server(learner, "assignments/submit", "POST", course_id=COURSE_ID, assignment_id=MODULE), "submit")

    # Instructor: collect both submissions and press Autograde for each: it runs `lepton-training grade` in the
    # sandbox (its summary in the log, the grading kernel's notebook in grading-log/, which stock autograde never
    # writes); the gradebook tells them apart.
    ok(server(INSTRUCTOR, f"formgrader/api/assignment/{MODULE}/collect", "POST"), "collect")
    scores = {}
    for learner in LEARNERS:
        graded = ok(server(INSTRUCTOR, f"formgrader/api/submission/{MODULE}/{learner}/autograde", "POST"), "grade")
        assert f"{MODULE}: 1 learner(s)" in graded["log"] and "1 graded" in graded["log"], graded
        assert (course_root / "grading-log" / MODULE / f"{learner}.ipynb").is_file()
        scores[learner] = server(INSTRUCTOR, f"formgrader/api/submission/{MODULE}/{learner}")["score"]
    assert scores[LEARNERS[1]] > scores[LEARNERS[0]], scores
    # A learner with no submission: the button says why, in lepton-training grade's words.
    refused = server(INSTRUCTOR, f"formgrader/api/submission/{MODULE}/nobody/autograde", "POST")
    assert not refused["success"] and "nobody was not graded: no submission" in refused["error"], refused
    assert not (REPO / "submitted").exists() and not (REPO / "autograded").exists()


# --- The Kubernetes values file ------------------------------------------------------------------------------------
# helm is not in Debian's archive, so `helm template` cannot run here. Instead: the keys the Zero to JupyterHub chart
# documents, transcribed from its schema (jupyterhub/zero-to-jupyterhub-k8s, jupyterhub/values.schema.yaml at
# commit 02dd73df01bdbb6d602fed21b0be12565ab38080), for the sections the values file uses. A dict lists the
# properties of an object the schema closes (additionalProperties: false); FREE is an object or value the chart
# passes through (additionalProperties: true, or a list).
FREE = None
IMAGE = {"name": str, "tag": str, "pullPolicy": FREE, "pullSecrets": FREE}
Z2JH_KEYS = {
    "hub": {
        **dict.fromkeys(
            [
                "revisionHistoryLimit",
                "config",
                "extraFiles",
                "baseUrl",
                "command",
                "args",
                "cookieSecret",
                "image",
                "networkPolicy",
                "labels",
                "initContainers",
                "extraEnv",
                "extraConfig",
                "fsGid",
                "service",
                "pdb",
                "existingSecret",
                "nodeSelector",
                "tolerations",
                "activeServerLimit",
                "allowNamedServers",
                "annotations",
                "authenticatePrometheus",
                "concurrentSpawnLimit",
                "consecutiveFailureLimit",
                "podSecurityContext",
                "containerSecurityContext",
                "deploymentStrategy",
                "extraContainers",
                "extraVolumeMounts",
                "extraVolumes",
                "livenessProbe",
                "readinessProbe",
                "namedServerLimitPerUser",
                "redirectToServer",
                "resources",
                "lifecycle",
                "services",
                "loadRoles",
                "shutdownOnLogout",
                "templatePaths",
                "templateVars",
                "serviceAccount",
                "extraPodSpec",
            ],
            FREE,
        ),
        "db": {"type": str, "pvc": FREE, "upgrade": FREE, "url": str, "password": FREE},
    },
    "singleuser": {
        **dict.fromkeys(
            [
                "networkPolicy",
                "podNameTemplate",
                "initContainers",
                "profileList",
                "extraFiles",
                "extraEnv",
                "nodeSelector",
                "extraTolerations",
                "extraNodeAffinity",
                "extraPodAffinity",
                "extraPodAntiAffinity",
                "cloudMetadata",
                "cmd",
                "defaultUrl",
                "events",
                "extraAnnotations",
                "extraContainers",
                "extraLabels",
                "extraPodConfig",
                "extraResource",
                "fsGid",
                "lifecycleHooks",
                "networkTools",
                "serviceAccountName",
                "startTimeout",
                "allowPrivilegeEscalation",
                "uid",
            ],
            FREE,
        ),
        "cpu": {"limit": float, "guarantee": float},
        "memory": {"limit": str, "guarantee": str},
        "image": IMAGE,
        "storage": {
            **dict.fromkeys(
                ["capacity", "dynamic", "extraLabels", "extraVolumeMounts", "extraVolumes", "static"], FREE
            ),
            "homeMountPath": str,
            "type": str,
        },
    },
    "cull": dict.fromkeys(
        ["enabled", "users", "adminUsers", "removeNamedServers", "timeout", "every", "concurrency", "maxAge"], FREE
    ),
    "scheduling": {
        "userScheduler": dict.fromkeys(
            [
                "enabled",
                "revisionHistoryLimit",
                "replicas",
                "image",
                "pdb",
                "nodeSelector",
                "tolerations",
                "labels",
                "annotations",
                "containerSecurityContext",
                "logLevel",
                "plugins",
                "pluginConfig",
                "resources",
                "serviceAccount",
                "extraPodSpec",
            ],
            FREE,
        ),
        "podPriority": dict.fromkeys(
            ["enabled", "globalDefault", "defaultPriority", "imagePullerPriority", "userPlaceholderPriority"], FREE
        ),
        "userPlaceholder": dict.fromkeys(
            [
                "enabled",
                "image",
                "revisionHistoryLimit",
                "replicas",
                "labels",
                "annotations",
                "resources",
                "containerSecurityContext",
            ],
            FREE,
        ),
        "corePods": FREE,
        "userPods": FREE,
    },
    "prePuller": {
        **dict.fromkeys(
            [
                "revisionHistoryLimit",
                "labels",
                "annotations",
                "resources",
                "extraTolerations",
                "pullProfileListImages",
                "extraImages",
                "containerSecurityContext",
                "pause",
            ],
            FREE,
        ),
        "hook": FREE,
        "continuous": dict.fromkeys(["enabled"], FREE),
    },
    "proxy": {
        **dict.fromkeys(
            ["chp", "secretToken", "service", "traefik", "labels", "annotations", "deploymentStrategy", "secretSync"],
            FREE,
        ),
        "https": {
            "enabled": bool,
            "type": str,
            "letsencrypt": FREE,
            "manual": FREE,
            "secret": FREE,
            "hosts": FREE,
        },
    },
    **dict.fromkeys(
        [
            "enabled",
            "fullnameOverride",
            "nameOverride",
            "imagePullSecret",
            "imagePullSecrets",
            "ingress",
            "custom",
            "debug",
            "rbac",
            "global",
        ],
        FREE,
    ),
}
ENUMS = {
    "hub.db.type": {"sqlite-pvc", "sqlite-memory", "mysql", "postgres", "other"},
    "singleuser.storage.type": {"dynamic", "static", "none"},
    "proxy.https.type": {None, "", "letsencrypt", "manual", "offload", "secret"},
}


def _unknown_keys(values, schema, where=""):
    problems = []
    for key, value in values.items():
        path = f"{where}.{key}" if where else key
        if key not in schema:
            problems.append(f"{path}: not a key of the chart")
            continue
        expected = schema[key]
        if isinstance(expected, dict):
            if not isinstance(value, dict):
                problems.append(f"{path}: the chart expects a mapping")
            else:
                problems.extend(_unknown_keys(value, expected, path))
        elif expected is float and not isinstance(value, int | float):
            problems.append(f"{path}: the chart expects a number")
        elif expected in (str, bool) and not isinstance(value, expected):
            problems.append(f"{path}: the chart expects {expected.__name__}")
        if path in ENUMS and value not in ENUMS[path]:
            problems.append(f"{path}: {value!r} is not one of {sorted(map(str, ENUMS[path]))}")
    return problems


def test_z2jh_values_use_only_the_charts_documented_keys():
    import yaml

    values = yaml.safe_load((REPO / "deploy" / "z2jh-values.yaml").read_text())
    assert not _unknown_keys(values, Z2JH_KEYS)
    # What the deployment needs, present: the exchange volume, the gradebook, culling, memory per learner.
    mounts = values["singleuser"]["storage"]["extraVolumeMounts"]
    assert any(m["mountPath"] == "/srv/nbgrader/exchange" for m in mounts)
    assert "LEPTON_GRADEBOOK_URL" in values["hub"]["extraEnv"]
    assert values["cull"]["enabled"] and values["cull"]["timeout"] > 0
    assert values["singleuser"]["memory"]["limit"]
    compile(values["hub"]["extraConfig"]["lepton.py"], "extraConfig", "exec")
    # The check itself catches a misspelt key.
    assert _unknown_keys({"singleuser": {"memmory": {}}}, Z2JH_KEYS) == ["singleuser.memmory: not a key of the chart"]
