"""The sandbox of a grading kernel: a Jupyter kernelspec whose command confines the kernel.

The kernelspec's ``argv`` is a generated shell script (``launch.sh``) that

1. refuses to start unless its working folder and connection file are inside this grading run's scratch
   folder (nbclient starts the kernel in the notebook's folder: the learner's own ``autograded`` copy);
2. joins a fresh memory cgroup and pids cgroup (cgroups v1, as root), which cap the kernel and everything it
   starts *together*;
3. runs ``prlimit`` (address space, CPU seconds, file size, no core dumps; per process) and ``bubblewrap``
   under ``env -i``, so that not even bubblewrap's own process (the sandbox's PID 1, whose ``/proc/1/environ``
   the kernel can read) holds the grader's environment: new user, pid, IPC, UTS and network namespaces, uid
   65534, all capabilities dropped, an allow-list of read-only binds (``/usr``, the Python installation, the
   virtual environment; never the course repository, ``solutions/``, the gradebook or other learners' work), the
   grading view of the package (:mod:`.view`) bound over the installed ``lepton_training``, the run's cases file
   (:mod:`.cases`), a cleared environment;
4. gives the kernel size-capped private folders only: ``/tmp``, and its working folder, where the submission's
   files are bound read-only on a fresh ``tmpfs`` (what the kernel writes there never reaches the disk, the
   graded folder or the feedback); the kernel's socket folder is the one writable folder of the host;
5. starts ipykernel. Without a network the kernel talks over Unix sockets (``KernelManager.transport =
   "ipc"``) in a folder of its own. The answers leave as outputs of the test cells (:mod:`.recorder`).

When the kernel's first process ends, the kernel of the machine ends every process in its pid namespace, so
nothing it forked outlives it; :func:`clean_cgroups` also kills what is left in its cgroups and removes them.
See README.md, "Grading", for what this guarantees and what it does not.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import shutil
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from lepton_training.grading.recorder import CASES_ENV

__all__ = [
    "KERNEL_NAME",
    "SandboxUnavailable",
    "Limits",
    "sandbox_problem",
    "write_kernelspec",
    "clean_cgroups",
    "installed_package",
]

KERNEL_NAME = "lepton-sandbox"
CGROUP_ROOT = Path("/sys/fs/cgroup")
#: Where the sandbox sees the run's cases file.
CASES_PATH = "/run/lepton/cases.json"
#: Environment variable naming the cgroup folder (under memory/ and pids/) of one learner's kernels.
CGROUP_ENV = "LEPTON_SANDBOX_CGROUP"


class SandboxUnavailable(RuntimeError):
    """bubblewrap or prlimit is missing, or user namespaces are off."""


@dataclass(frozen=True)
class Limits:
    """Resource limits of one grading kernel."""

    memory_mb: int = 2048
    max_processes: int = 64
    cpu_seconds: int = 600
    file_mb: int = 256
    open_files: int = 1024
    folder_mb: int = 256


def sandbox_problem() -> str:
    """Say why the sandbox cannot run on this machine, or return an empty string when it can.

    Returns
    -------
    str
    """
    for tool in ("bwrap", "prlimit"):
        if shutil.which(tool) is None:
            package = "bubblewrap" if tool == "bwrap" else "util-linux"
            return f"`{tool}` is not installed (Debian: apt-get install -y {package})"
    return ""


def cgroups_available() -> bool:
    """Say whether this process may create memory and pids cgroups (cgroups v1, as root)."""
    return all(os.access(CGROUP_ROOT / c, os.W_OK) for c in ("memory", "pids"))


def installed_package() -> Path:
    """Return the folder of the installed ``lepton_training`` package (the grading view is bound over it)."""
    import lepton_training

    return Path(lepton_training.__file__).resolve().parent


def _read_only_binds() -> list[str]:
    candidates = ["/usr", sys.base_prefix, sys.prefix, os.path.realpath(sys.prefix)]
    binds: list[str] = []
    for path in sorted({os.path.realpath(p) for p in candidates}):
        # Nested folders are covered by their parent's bind.
        if os.path.isdir(path) and not any(path == b or path.startswith(b + "/") for b in binds):
            binds.append(path)
    return binds


#: fontconfig's configuration as the kernel sees it when the machine has none (a minimal container).
FONTS_CONF_PATH = "/run/lepton/fonts.conf"
_MINIMAL_FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<!-- Written by lepton-training grade: this machine has no fontconfig configuration of its own. -->
<fontconfig><dir>/usr/share/fonts</dir><dir>{matplotlib}</dir><cachedir>/tmp/.cache/fontconfig</cachedir></fontconfig>
"""


def fontconfig_file() -> Path | None:
    """Return the machine's fontconfig configuration file, or None when it has none.

    matplotlib runs ``fc-list`` when it builds its font cache (a fresh one in every grading kernel): without a
    configuration, every learner's log and feedback would carry "Fontconfig error: Cannot load default config
    file". The sandbox binds this file's folder (the ``conf.d`` links point into ``/usr``, bound already).
    """
    candidates = [os.environ.get("FONTCONFIG_FILE", ""), "/etc/fonts/fonts.conf"]
    candidates.append(os.path.join(sys.prefix, "etc", "fonts", "fonts.conf"))  # a conda environment's own
    for candidate in candidates:
        if candidate and os.path.isfile(candidate):
            return Path(os.path.realpath(candidate))
    return None


def _fonts_arguments(kernel_folder: Path) -> tuple[str, str]:
    """Return the bubblewrap bind and the environment that give the kernel fontconfig's configuration and cache."""
    q = shlex.quote
    found = fontconfig_file()
    if found is not None:
        binds = f"--ro-bind {q(str(found.parent))} {q(str(found.parent))}"
        path = str(found)
    else:
        import matplotlib

        minimal = kernel_folder / "fonts.conf"
        fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
        minimal.write_text(_MINIMAL_FONTS_CONF.format(matplotlib=fonts.resolve()), encoding="utf-8")
        binds = f"--ro-bind {q(str(minimal))} {FONTS_CONF_PATH}"
        path = FONTS_CONF_PATH
    return binds, f"--setenv FONTCONFIG_FILE {q(path)} --setenv XDG_CACHE_HOME /tmp/.cache"


def _launch_script(scratch: Path, limits: Limits, view: Path, cases: Path, fonts: tuple[str, str] = ("", "")) -> str:
    # bwrap mounts in argument order: the private /tmp comes first, so that a Python, a virtual environment or a
    # checkout that lives under /tmp (a CI clone, a pytest folder) is bound on top of it rather than hidden by it;
    # the view comes after the environment's binds, so that it covers the installed package wherever that is.
    q = shlex.quote
    python = sys.executable
    binds = " ".join(f"--ro-bind {q(p)} {q(p)}" for p in _read_only_binds())
    etc = " ".join(f"--ro-bind-try {f} {f}" for f in ("/etc/ld.so.cache", "/etc/localtime", "/etc/nsswitch.conf"))
    package = q(str(installed_package()))
    memory = limits.memory_mb * 2**20
    return f"""#!/bin/sh
# Generated by `lepton-training grade` (lepton_training/grading/sandbox.py): the sandbox of one grading kernel.
set -eu
conn="$1"; shift
work="$(pwd -P)"
runtime="$(cd "$(dirname "$conn")" && pwd -P)"
scratch={q(str(scratch.resolve()))}
case "$work/" in "$scratch"/*) ;; *) echo "sandbox: refusing to run in $work" >&2; exit 70 ;; esac
case "$runtime/" in "$scratch"/*) ;; *) echo "sandbox: refusing the connection file $conn" >&2; exit 70 ;; esac
if [ -n "${{{CGROUP_ENV}:-}}" ]; then
    name="${{{CGROUP_ENV}}}/$(basename "$conn" .json)"
    mkdir -p "{CGROUP_ROOT}/memory/$name" "{CGROUP_ROOT}/pids/$name"
    echo {memory} > "{CGROUP_ROOT}/memory/$name/memory.limit_in_bytes"
    echo {limits.max_processes} > "{CGROUP_ROOT}/pids/$name/pids.max"
    echo $$ > "{CGROUP_ROOT}/memory/$name/cgroup.procs"
    echo $$ > "{CGROUP_ROOT}/pids/$name/cgroup.procs"
fi
# The submission's files, read-only on the working folder's private tmpfs.
for entry in "$work"/* "$work"/.[!.]* "$work"/..?*; do
    [ -e "$entry" ] || [ -L "$entry" ] || continue
    [ -L "$entry" ] && continue
    set -- "$@" --ro-bind "$entry" "$entry"
done
exec env -i prlimit --as={memory * 2} --cpu={limits.cpu_seconds} --fsize={limits.file_mb * 2**20} --core=0 \\
    --nofile={limits.open_files} -- \\
    bwrap --unshare-user --uid 65534 --gid 65534 --unshare-pid --unshare-ipc --unshare-uts --unshare-net \\
    --unshare-cgroup-try --disable-userns --die-with-parent --new-session --cap-drop ALL \\
    --size {limits.folder_mb * 2**20} --tmpfs /tmp \\
    {binds} {etc} {fonts[0]} \\
    --ro-bind {q(str(view))} {package} --ro-bind {q(str(cases))} {CASES_PATH} \\
    --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64 --symlink usr/sbin /sbin \\
    --proc /proc --dev /dev \\
    --size {limits.folder_mb * 2**20} --tmpfs "$work" "$@" --bind "$runtime" "$runtime" --chdir "$work" \\
    --clearenv {fonts[1]} --setenv HOME /tmp --setenv PATH /usr/bin:/bin --setenv TMPDIR /tmp \\
    --setenv MPLBACKEND Agg --setenv MPLCONFIGDIR /tmp/matplotlib --setenv IPYTHONDIR /tmp/ipython \\
    --setenv PYTHONDONTWRITEBYTECODE 1 --setenv JPY_PARENT_PID 1 --setenv OPENBLAS_NUM_THREADS 1 \\
    --setenv OMP_NUM_THREADS 1 --setenv MKL_NUM_THREADS 1 --setenv LANG C.UTF-8 \\
    --setenv {CASES_ENV} {CASES_PATH} \\
    -- {q(python)} -m ipykernel_launcher -f "$conn" --HistoryManager.hist_file=:memory:
"""


def write_kernelspec(
    scratch: str | os.PathLike, view: str | os.PathLike, cases: str | os.PathLike, limits: Limits = Limits()
) -> Path:
    """Write the sandbox kernelspec into ``<scratch>/share/kernels/lepton-sandbox``.

    Parameters
    ----------
    scratch : path-like
        This grading run's private folder; the kernel may only run inside it. Put ``<scratch>/share`` on
        ``JUPYTER_PATH`` so that ``c.Execute.kernel_name = "lepton-sandbox"`` finds it.
    view : path-like
        The grading view's package folder (:func:`.view.build_view`), bound over the installed package.
    cases : path-like
        The run's cases file (:func:`.cases.write_cases`).
    limits : Limits

    Returns
    -------
    pathlib.Path
        The kernelspec folder.

    Raises
    ------
    SandboxUnavailable
        When bubblewrap or prlimit is missing.
    """
    problem = sandbox_problem()
    if problem:
        raise SandboxUnavailable(problem)
    folder = Path(scratch) / "share" / "kernels" / KERNEL_NAME
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "launch.sh"
    fonts = _fonts_arguments(folder)
    script.write_text(_launch_script(Path(scratch), limits, Path(view), Path(cases), fonts), encoding="utf-8")
    script.chmod(0o755)
    spec = {
        "argv": ["/bin/sh", str(script), "{connection_file}"],
        "display_name": "Lepton grading sandbox",
        "language": "python",
        # A signal would reach the launcher, not the kernel inside the sandbox: interrupt by message.
        "interrupt_mode": "message",
    }
    (folder / "kernel.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return folder


def clean_cgroups(name: str) -> int:
    """Kill every process left in a learner's cgroups and remove them.

    Parameters
    ----------
    name : str
        The value of ``LEPTON_SANDBOX_CGROUP`` the learner's kernels ran with.

    Returns
    -------
    int
        How many processes were still alive and had to be killed.
    """
    killed = 0
    for controller in ("pids", "memory"):
        base = CGROUP_ROOT / controller / name
        if not base.is_dir():
            continue
        # Leaves first: a cgroup can be removed only once it has no children and no processes.
        for folder in sorted((p for p in base.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)) + [base]:
            for _ in range(50):
                try:
                    pids = [int(p) for p in (folder / "cgroup.procs").read_text().split()]
                except OSError:
                    break
                if not pids:
                    break
                for pid in pids:
                    try:
                        os.kill(pid, signal.SIGKILL)
                        killed += 1
                    except ProcessLookupError:
                        pass
                time.sleep(0.02)
            with contextlib.suppress(OSError):  # still busy: the next clean-up removes it
                folder.rmdir()
    return killed
