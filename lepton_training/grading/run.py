"""``lepton-training grade``: every learner's notebook through nbgrader, the sandbox and the verifier.

The path of one learner's notebook, file by file:

0. once per run: the grading view of the package (:mod:`.view`: no question definition, no check, no course
   implementation of this module's exercises) and the inputs of every test (:mod:`.cases`, computed here with the
   cohort's seeds); then the instructor's own notebook is graded like a learner's, and the run stops, writing
   nothing, unless it earns every point (a sandbox or a view that cannot grade is found before any learner);
1. :mod:`.submissions` refuses links, special files and files that are not this module's notebook;
2. a private course root is made for the learner (their files, a copy of the template gradebook that
   ``generate_assignment`` filled once for the run), so a hostile notebook can reach nothing else;
3. nbgrader's own ``Autograde`` runs there, its test cells restored from the source (``OverwriteCells``) and
   their seeds taken out (:mod:`.seeds`), executed by :mod:`.execute` in the kernel of :mod:`.sandbox`, where
   the test cells' stand-ins (:mod:`.recorder`) call the learner's functions on the run's inputs and publish
   what came back as plain data;
4. :mod:`.verify` grades the recorded answers in this process with the question definitions and the cohort's
   seeds;
5. :mod:`.gradebook` writes the verified grades in one transaction, then the graded notebook is put in place
   (written under a hidden name, then renamed), and the learners' feedback (hidden tests, their inputs and
   everything the grading kernel printed left out) and a CSV export are written.

Each learner is graded in a forked child process (nbgrader, the question definitions and their libraries already
imported by :func:`_warm_up`: no start-up cost). ``jobs`` kernels run at once; a learner whose kernel has stopped
is scored while the next learner's kernel starts. A child that does not finish is killed, and its learner is
reported as not graded; a child whose parent dies is ended by the operating system.
"""

from __future__ import annotations

import contextlib
import copy
import gc
import json
import logging
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import time
import traceback
import warnings
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

__all__ = ["LearnerResult", "GradeRun", "grade_module", "GradingError", "GradingStopped"]

#: The instructor's folder of the notebooks as the grading kernel ran them (outputs included), one per learner.
GRADING_LOG = "grading-log"
#: Prefix of a run's scratch folder, and the lock file a living run holds in it.
SCRATCH_PREFIX = "lg-"
SCRATCH_LOCK = ".run.lock"


class GradingError(RuntimeError):
    """The run as a whole cannot start (no such module, no sandbox, no gradebook)."""


class GradingStopped(Exception):
    """The run was interrupted (Ctrl-C, SIGTERM); ``run`` holds the learners graded before the stop.

    Every learner of ``run.results`` is in the gradebook; the others were not touched.
    """

    def __init__(self, run: GradeRun):
        super().__init__(f"grading of {run.module_id} was stopped after {len(run.results)} learner(s)")
        self.run = run


@dataclass
class LearnerResult:
    """How one learner's notebook was graded.

    Attributes
    ----------
    learner : str
    status : {"graded", "flagged", "not graded"}
        "flagged": graded, with evidence of tampering for a person to read; "not graded": nothing was written
        to the gradebook, for the reason given.
    points, max_points : float
    reason : str
    evidence : list of str
    seconds : float
    """

    learner: str
    status: str
    points: float = 0.0
    max_points: float = 0.0
    reason: str = ""
    evidence: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class GradeRun:
    """The outcome of a ``grade`` run."""

    module_id: str
    results: list[LearnerResult] = field(default_factory=list)
    csv_path: Path | None = None
    seconds: float = 0.0

    def summary(self) -> str:
        """Return the summary an instructor reads: counts, then the learners that need a look."""
        count = {s: sum(r.status == s for r in self.results) for s in ("graded", "flagged", "not graded")}
        lines = [
            f"{self.module_id}: {len(self.results)} learner(s) in {self.seconds:.1f} s: {count['graded']} graded, "
            f"{count['flagged']} flagged as tampered, {count['not graded']} not graded."
        ]
        for r in sorted(self.results, key=lambda r: (r.status, r.learner)):
            if r.status == "not graded":
                lines.append(f"  NOT GRADED {r.learner}: {r.reason}")
            elif r.status == "flagged":
                lines.append(f"  FLAGGED {r.learner} ({r.points:g}/{r.max_points:g}): " + "; ".join(r.evidence))
        if self.csv_path:
            lines.append(f"Scores: {self.csv_path} (every module: {self.csv_path.parent / 'all-modules.csv'})")
        return "\n".join(lines)


def _course_config(root: Path) -> Any:
    from lepton_training.grading.validate import load_course_config

    return load_course_config(root)


def _db_url(config: Any, root: Path) -> str:
    url = config.CourseDirectory.get("db_url")
    return str(url) if url else f"sqlite:///{root / 'gradebook.db'}"


def _generate_template(config: Any, root: Path, module_id: str, scratch: Path) -> tuple[str, Path]:
    """Run nbgrader generate_assignment once, into a scratch root with its own gradebook."""
    from nbgrader.converters import GenerateAssignment
    from nbgrader.coursedir import CourseDirectory

    template = scratch / "template"
    shutil.copytree(root / "solutions" / module_id, template / "solutions" / module_id)
    url = f"sqlite:///{scratch / 'template.db'}"
    cfg = copy.deepcopy(config)
    cfg.CourseDirectory.root = str(template)
    cfg.CourseDirectory.db_url = url
    cfg.CourseDirectory.assignment_id = module_id
    GenerateAssignment(coursedir=CourseDirectory(config=cfg), config=cfg).start()
    return url, template / "course" / module_id / f"{module_id}.ipynb"


@dataclass(frozen=True)
class _Context:
    """What every child needs, inherited through fork."""

    root: Path
    module_id: str
    config: Any
    scratch: Path
    template_db: Path
    release: dict
    cells: dict
    seeds: dict
    view: Path
    cases: Path
    sandbox: bool
    cgroups: bool


def _autograde_config(ctx: _Context, croot: Path, runtime: Path, learner: str, settings: Any) -> Any:
    cfg = copy.deepcopy(ctx.config)
    cfg.CourseDirectory.root = str(croot)
    cfg.CourseDirectory.db_url = f"sqlite:///{croot / 'gradebook.db'}"
    cfg.CourseDirectory.assignment_id = ctx.module_id
    cfg.CourseDirectory.student_id = learner
    cfg.Autograde.create_student = True
    cfg.Autograde.sanitize_preprocessors = [
        "nbgrader.preprocessors.ClearOutput",
        "nbgrader.preprocessors.DeduplicateIds",
        "nbgrader.preprocessors.OverwriteKernelspec",
        "nbgrader.preprocessors.OverwriteCells",
        "lepton_training.grading.seeds.StripHiddenSeeds",
        "nbgrader.preprocessors.CheckCellMetadata",
    ]
    cfg.Autograde.autograde_preprocessors = [
        "lepton_training.grading.execute.BoundedExecute",
        "nbgrader.preprocessors.IgnorePattern",
        "nbconvert.preprocessors.ClearMetadataPreprocessor",
        "nbgrader.preprocessors.LimitOutput",
        "nbgrader.preprocessors.SaveAutoGrades",
        # No AssignLatePenalties: the private gradebook has no due date; the parent applies the course's late
        # rule with the real gradebook's due date when it records the learner (gradebook.record_submission).
        "nbgrader.preprocessors.CheckCellMetadata",
    ]
    cfg.BoundedExecute.notebook_timeout = settings.notebook_timeout
    # The recorder writes each answer as it is given, so nothing is lost by not waiting for a graceful exit;
    # the sandbox's pid namespace and cgroups end whatever the kernel started.
    cfg.BoundedExecute.shutdown_kernel = "immediate"
    cfg.BoundedExecute.output_bytes = settings.output_bytes
    if ctx.sandbox:
        from lepton_training.grading.sandbox import KERNEL_NAME

        cfg.BoundedExecute.kernel_name = KERNEL_NAME
        cfg.KernelManager.transport = "ipc"
        # Absolute socket paths in the learner's own runtime folder (the default "kernel-ipc" is relative).
        cfg.KernelManager.ip = str(runtime / "kernel")
    return cfg


def _edited_cells(submitted: dict, release: dict) -> list[str]:
    """Locked cells of the release that the submission deleted or edited (nbgrader restores them)."""
    ids = {}
    for cell in submitted.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {}) if isinstance(cell, dict) else {}
        if isinstance(meta, dict) and meta.get("grade_id"):
            ids[meta["grade_id"]] = cell
    found = []
    for cell in release["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if not (meta.get("locked") or meta.get("grade")) or meta.get("solution"):
            continue
        mine = ids.get(meta["grade_id"])
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if mine is None:
            found.append(f"{meta['grade_id']} was deleted (restored from the source before grading)")
            continue
        theirs = mine.get("source", "")
        theirs = "".join(theirs) if isinstance(theirs, list) else str(theirs)
        if theirs.strip() != source.strip():
            found.append(f"{meta['grade_id']} was edited (restored from the source before grading)")
    return found


def _why_failed(log: str) -> str:
    if "DeadKernelError" in log or "Kernel died" in log or "kernel died" in log.lower():
        return "the kernel died while running the notebook (it ended its own process, or ran out of memory)"
    if "UnresponsiveKernelError" in log or "unresponsive" in log:
        return "the kernel stopped responding and could not be interrupted"
    errors = [line for line in log.splitlines() if line.strip() and "Traceback" not in line]
    return "nbgrader could not grade it: " + (errors[-1][:300] if errors else "no reason given")


def _course_code_in_answers(executed: Any) -> list[str]:
    """Answer cells whose code called a course implementation that grading withholds (for the instructor)."""
    from lepton_training.grading.verify import WITHHELD_ERROR

    found = []
    for cell in executed.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("solution") or cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and output.get("ename") == WITHHELD_ERROR:
                found.append(f"{meta.get('grade_id')}: {str(output.get('evalue', ''))[:160]}")
                break
    return found


def _stopped_at(executed: Any) -> str:
    """Say where and why grading stopped before the end of the notebook, or return ''."""
    from lepton_training.grading.verify import STOPPED_ERROR

    for number, cell in enumerate(executed.cells, start=1):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and output.get("ename") == STOPPED_ERROR:
                where = cell.metadata.get("nbgrader", {}).get("grade_id") or cell.get("id") or f"cell {number}"
                return f"grading stopped at {where}: {output.get('evalue', '')}; the cells before it were graded"
    return ""


def _without_records(executed: Any) -> Any:
    from lepton_training.grading.recorder import RECORD_MIME

    copy_nb = copy.deepcopy(executed)
    for cell in copy_nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", []) if RECORD_MIME not in (o.get("data") or {})]
    return copy_nb


def _learner_outputs(executed: Any, submitted_nb: dict) -> dict[int, list]:
    """Map each code cell of the graded notebook (by position) to the outputs of the learner's own session.

    A cell is the learner's by its id, else by its nbgrader grade id, else by the same source in the same order:
    a notebook saved by Colab (nbformat 4.0) has no cell ids, and nbgrader gives its cells new ones, so matching
    by id alone lost every figure of a Colab learner's feedback.
    """
    theirs = [
        c
        for c in submitted_nb.get("cells", [])
        if isinstance(c, dict) and c.get("cell_type") == "code" and isinstance(c.get("outputs", []), list)
    ]

    def text(cell: Any) -> str:
        source = cell.get("source", "")
        return ("".join(source) if isinstance(source, list) else str(source)).strip()

    def grade_id(cell: Any) -> Any:
        meta = cell.get("metadata", {}).get("nbgrader", {}) if isinstance(cell.get("metadata"), dict) else {}
        return meta.get("grade_id") if isinstance(meta, dict) else None

    by_id = {c["id"]: i for i, c in enumerate(theirs) if c.get("id")}
    by_grade_id = {grade_id(c): i for i, c in enumerate(theirs) if grade_id(c)}
    used: set[int] = set()
    found: dict[int, list] = {}
    start = 0
    for index, cell in enumerate(executed.cells):
        if cell.cell_type != "code":
            continue
        position = by_id.get(cell.get("id"), by_grade_id.get(grade_id(cell)))
        if position is None:
            # The next learner cell with the same source, after the last one matched: the notebook's order.
            position = next(
                (i for i in range(start, len(theirs)) if i not in used and text(theirs[i]) == text(cell)), None
            )
        if position is not None and position not in used:
            used.add(position)
            start = max(start, position + 1)
            found[index] = theirs[position].get("outputs", [])
    return found


def _feedback_outputs(executed: Any, submitted_nb: dict, verification: Any) -> None:
    """Give every cell the outputs the learner may see.

    The verified feedback in the test cells, and elsewhere the outputs of the learner's own session (their
    figures included): never what the grading kernel printed (hidden inputs, anything its environment holds).
    """
    import nbformat

    theirs = _learner_outputs(executed, submitted_nb)
    for index, cell in enumerate(executed.cells):
        if cell.cell_type != "code":
            continue
        verdict = verification.cells.get(cell.metadata.get("nbgrader", {}).get("grade_id"))
        if verdict is not None:
            cell.outputs = [
                nbformat.v4.new_output(
                    "execute_result",
                    data={"text/plain": f"{verdict.points:g}", "text/html": verdict.feedback_html},
                    execution_count=cell.get("execution_count"),
                )
            ]
            continue
        cell.outputs = [nbformat.from_dict(o) for o in theirs.get(index, []) if isinstance(o, dict)]
    try:
        nbformat.validate(executed)
    except Exception:  # noqa: BLE001 - the learner's saved outputs may be malformed: show none of them
        for cell in executed.cells:
            if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade_id") not in verification.cells:
                cell.outputs = []


def _grade_in_child(ctx: _Context, index: int, learner: str, submitted: Path | None = None) -> dict:
    """Grade one learner (in a forked child process); return plain data for the parent."""
    import nbformat
    from nbgrader.api import Gradebook
    from nbgrader.converters import Autograde
    from nbgrader.coursedir import CourseDirectory

    from lepton_training.grading.recorder import CASES_ENV
    from lepton_training.grading.settings import LeptonGrading
    from lepton_training.grading.submissions import copy_submission, submission_problem
    from lepton_training.grading.verify import verify_notebook

    started = time.monotonic()
    submitted = submitted or ctx.root / "submitted" / learner / ctx.module_id
    problem = submission_problem(submitted, ctx.module_id)
    if problem:
        return {"learner": learner, "status": "not graded", "reason": problem}
    croot = ctx.scratch / "c" / str(index)
    copy_submission(submitted, croot / "submitted" / learner / ctx.module_id)
    # Files the source folder ships beside the notebook (data), never the instructor's notebook itself.
    source = ctx.root / "solutions" / ctx.module_id
    (croot / "solutions" / ctx.module_id).mkdir(parents=True)
    for path in source.iterdir():
        if path.is_file() and not path.is_symlink() and path.suffix != ".ipynb":
            shutil.copyfile(path, croot / "solutions" / ctx.module_id / path.name)
    shutil.copyfile(ctx.template_db, croot / "gradebook.db")
    runtime = ctx.scratch / "r" / str(index)
    runtime.mkdir(parents=True)
    # jupyter_client writes the connection file with tempfile; the sandbox accepts it only in this folder.
    tempfile.tempdir = str(runtime)
    # nbgrader's own add_submission triggers SQLAlchemy 2 autoflush warnings: noise in every learner's log.
    warnings.filterwarnings("ignore", module="nbgrader")
    warnings.filterwarnings("ignore", message=".*not in session.*")
    os.environ["JUPYTER_RUNTIME_DIR"] = str(runtime)
    os.environ["JUPYTER_PATH"] = os.pathsep.join([str(ctx.scratch / "share"), os.environ.get("JUPYTER_PATH", "")])
    if ctx.cgroups:
        os.environ["LEPTON_SANDBOX_CGROUP"] = _cgroup(ctx.scratch, index)
    if not ctx.sandbox:
        # Unconfined (trusted notebooks only): the kernel imports the grading view first and reads the cases.
        os.environ["PYTHONPATH"] = os.pathsep.join([str(ctx.view.parent), os.environ.get("PYTHONPATH", "")])
        os.environ[CASES_ENV] = str(ctx.cases)
    settings = LeptonGrading(config=ctx.config)
    cfg = _autograde_config(ctx, croot, runtime, learner, settings)

    log_lines: list[str] = []
    logger = logging.getLogger(f"lepton_training.grading.autograde.{index}")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    handler = logging.Handler()
    handler.emit = lambda record: log_lines.append(record.getMessage())  # type: ignore[method-assign]
    logger.addHandler(handler)
    try:
        Autograde(coursedir=CourseDirectory(config=cfg), config=cfg, log=logger).start()
        failure = ""
    except Exception:  # noqa: BLE001 - nbgrader reports a failed notebook by raising; other learners go on
        failure = _why_failed("\n".join(log_lines) + "\n" + traceback.format_exc())
    folder = croot / "autograded" / learner / ctx.module_id
    notebook = folder / f"{ctx.module_id}.ipynb"
    if failure or not notebook.is_file():
        return {"learner": learner, "status": "not graded", "reason": failure or "nbgrader wrote no graded notebook"}

    from lepton_training.grading.seeds import questions_of

    executed = nbformat.read(notebook, as_version=4)
    verification = verify_notebook(questions_of(ctx.module_id), ctx.cells, executed, ctx.seeds)
    submitted_nb = json.loads((submitted / f"{ctx.module_id}.ipynb").read_text(encoding="utf-8"))
    evidence = verification.evidence + _edited_cells(submitted_nb, ctx.release) + _course_code_in_answers(executed)
    stopped = _stopped_at(executed)
    # What the grading kernel printed stays with the instructor (grading-log/), never in the graded folder that
    # the feedback is made from; the records are left out (they are in the verified feedback already).
    log = ctx.scratch / "log" / f"{index}.ipynb"
    log.parent.mkdir(exist_ok=True)
    nbformat.write(_without_records(executed), log)
    _feedback_outputs(executed, submitted_nb, verification)
    nbformat.write(executed, notebook)
    # Only the submission's own files and the graded notebook stay: nothing the grading kernel made.
    own = {p.relative_to(submitted) for p in submitted.rglob("*")}
    for path in sorted(folder.rglob("*"), key=lambda p: -len(p.parts)):
        relative = path.relative_to(folder)
        if path.is_symlink() or (relative not in own and path != notebook):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()

    scores: dict[str, float | None] = {}
    comments: dict[str, str | None] = {}
    with Gradebook(cfg.CourseDirectory.db_url, course_id=cfg.CourseDirectory.course_id) as gb:
        submission = gb.find_submission(ctx.module_id, learner)
        timestamp = submission.timestamp.isoformat() if submission.timestamp else None
        for nb in submission.notebooks:
            for g in nb.grades:
                if g.name in verification.cells:
                    scores[g.name] = verification.cells[g.name].points
                elif g.cell_type == "markdown" or g.auto_score is None:
                    scores[g.name] = g.auto_score  # decided from checksums, outside the sandbox
                else:
                    scores[g.name] = None  # a test cell the verifier does not know: a person grades it
            for c in nb.comments:
                comments[c.name] = c.auto_comment
    return {
        "learner": learner,
        "status": "flagged" if evidence else "graded",
        "reason": stopped,
        "points": verification.points,
        "max_points": sum(c.points for c in ctx.cells.values()),
        "evidence": evidence,
        "scores": scores,
        "comments": comments,
        "timestamp": timestamp,
        "folder": str(folder),
        "log": str(log),
        "seconds": time.monotonic() - started,
    }


def _child(ctx: _Context, index: int, learner: str, conn: Any, submitted: Path | None = None) -> None:
    from lepton_training.grading.execute import KERNEL_STOPPED

    _die_with_parent()
    # The run decides when its children stop (a Ctrl-C reaches the whole process group): it kills them.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    KERNEL_STOPPED.append(lambda: conn.send({"kernel_stopped": True}))
    try:
        result = _grade_in_child(ctx, index, learner, submitted)
    except BaseException as exc:  # noqa: BLE001 - report, never take the batch down
        result = {"learner": learner, "status": "not graded", "reason": f"grading failed: {type(exc).__name__}: {exc}"}
    conn.send(result)
    conn.close()
    os._exit(0)  # no atexit handlers of the parent's libraries in a forked child


@contextlib.contextmanager
def _stopping_children(running: dict, ctx: _Context, run: GradeRun) -> Any:
    """On an interruption, kill the learners' children (their sandboxes die with them) and raise GradingStopped.

    A learner whose grades were not yet written stays not graded: the parent writes a learner's grades in one
    transaction only after its child has finished.
    """
    from lepton_training.grading import sandbox as sb

    try:
        yield
    except KeyboardInterrupt:
        for child, *_ in running.values():
            child.kill()
        for child, _, _, index, _ in running.values():
            child.join(5)
            if ctx.cgroups:
                sb.clean_cgroups(_cgroup(ctx.scratch, index))
        running.clear()
        raise GradingStopped(run) from None


def _cgroup(scratch: Path, index: int | None = None) -> str:
    """Name the cgroups of a learner's kernels (without ``index``: the prefix of all the run's cgroups)."""
    prefix = f"lepton-grading/{scratch.name}"
    return prefix if index is None else f"{prefix}-{index}"


def _hold_lock(path: Path) -> int:
    """Open and lock ``path`` for as long as this run (and its children) live; return the descriptor."""
    import fcntl

    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fd


def _remove_abandoned_scratch(base: Path) -> None:
    """Remove the scratch folders of runs that were killed: nobody holds their lock any more."""
    import fcntl

    for folder in base.glob(f"{SCRATCH_PREFIX}*"):
        lock = folder / SCRATCH_LOCK
        if folder.is_symlink() or not lock.is_file() or folder.stat().st_uid != os.geteuid():
            continue
        try:
            fd = os.open(lock, os.O_RDWR)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # a living run
        finally:
            os.close(fd)
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _frozen_heap() -> Any:
    """Keep the garbage collector of forked children off the objects they share with the parent.

    A child's collection would otherwise touch, and so copy, every page of the parent's heap (pandas and nbgrader
    loaded): CPU time and memory per learner.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _die_with_parent() -> None:
    """Have the kernel end this process if the run's process dies (killed, out of memory): no stray graders.

    The sandbox's bubblewrap is asked to die with this process in turn; a kernel that was still starting when
    it died is ended by the run's watchdog (:mod:`.watchdog`).
    """
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    if os.getppid() == 1:  # the parent died before the request took effect
        os._exit(1)


def _learners(root: Path, module_id: str, wanted: list[str] | None) -> tuple[list[str], list[LearnerResult]]:
    folder = root / "submitted"
    present = []
    if folder.is_dir():
        present = sorted(p.name for p in folder.iterdir() if (p / module_id).exists() or (p / module_id).is_symlink())
    if not wanted:
        return present, []
    missing = [LearnerResult(w, "not graded", reason="no submission") for w in wanted if w not in present]
    return [w for w in wanted if w in present], missing


def _progress_line(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _progress(done: int, total: int, result: LearnerResult) -> None:
    width = 24
    filled = int(width * done / max(total, 1))
    detail = f"{result.points:g}/{result.max_points:g}" if result.status != "not graded" else result.reason[:60]
    print(
        f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {result.learner}: {result.status} {detail}",
        file=sys.stderr,
        flush=True,
    )


def grade_module(
    root: str | os.PathLike,
    module_id: str,
    jobs: int | None = None,
    learners: list[str] | None = None,
    sandbox: bool = True,
    feedback: bool = True,
    progress: bool = True,
    shard: Any = None,
) -> GradeRun:
    """Grade every learner's submission of a module (or the ``learners`` given).

    Parameters
    ----------
    root : path-like
        The course root: ``jupyter_config.py``, ``solutions/``, ``submitted/``.
    module_id : str
    jobs : int, optional
        Notebooks graded at once (default: ``c.LeptonGrading.jobs``).
    learners : list of str, optional
    sandbox : bool
        False runs kernels unconfined: only for trusted notebooks (a benchmark, a machine without bubblewrap).
    feedback : bool
        Also write feedback HTML and the CSV export.
    progress : bool
        Print a progress line per learner on stderr.
    shard : lepton_training.grading.shard.Shard, optional
        Grade only this shard's learners (:mod:`.shard`: N runs with the shards 0 to N-1 grade everybody once).

    Returns
    -------
    GradeRun

    Raises
    ------
    GradingError
        When the run cannot start at all.
    """
    from lepton_training.grading import gradebook
    from lepton_training.grading import sandbox as sb
    from lepton_training.grading.cases import compute_cases, reference_answers, write_cases
    from lepton_training.grading.seeds import cohort_seeds, questions_of, test_cells
    from lepton_training.grading.settings import LeptonGrading
    from lepton_training.grading.shard import gradebook_setup_lock
    from lepton_training.grading.shard import select as shard_select
    from lepton_training.grading.view import build_view
    from lepton_training.grading.watchdog import DONE, start_watchdog

    started = time.monotonic()
    # nbgrader runs `alembic` from PATH when it creates a gradebook: this environment's own, activated or not.
    scripts = str(Path(sys.executable).parent)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join([scripts, os.environ.get("PATH", "")])
    gradebook.use_in_process_alembic()
    root = Path(root).resolve()
    source = root / "solutions" / module_id / f"{module_id}.ipynb"
    if not source.is_file():
        from lepton_training.build.release import find_modules
        from lepton_training.grading.collect import unknown_module_message

        known = find_modules(root)
        raise GradingError(
            unknown_module_message(module_id, known) if known and module_id not in known else f"no source {source}"
        )
    from lepton_training.manifest import load_course
    from lepton_training.questions.quizzes import QUIZ_ASSIGNMENTS

    graded = [m.id for m in load_course().modules] + list(QUIZ_ASSIGNMENTS)
    if module_id not in graded:
        # The verifier judges answers with question definitions: course.toml's modules and the quizzes have them.
        raise GradingError(
            f"{module_id} has no questions to verify (graded: {', '.join(graded)}); collect the survey with "
            "`lepton-training collect` and read it with `lepton-training report`"
        )
    config = _course_config(root)
    settings = LeptonGrading(config=config)
    if sandbox and sb.sandbox_problem():
        raise GradingError(f"the grading sandbox cannot run here: {sb.sandbox_problem()}")
    db_url = _db_url(config, root)
    course_id = config.CourseDirectory.get("course_id", "default_course")
    names, missing = _learners(root, module_id, learners)
    if not names and not missing:
        raise GradingError(
            f"nothing to grade: no submission of {module_id} in {root / 'submitted'} (submitted/<learner>/"
            f"{module_id}/). Collect first: `nbgrader collect {module_id}` (JupyterHub) or `lepton-training collect "
            f"{module_id} --from <upload folder> --roster roster.csv` (Colab)"
        )
    # A shard with no learner of its own is not an error: the other shards hold the cohort.
    names = shard_select(names, shard)
    missing = [m for m in missing if shard_select([m.learner], shard)]
    run = GradeRun(module_id, list(missing))
    say = _progress_line if progress else (lambda text: None)
    say(
        f"{module_id}: {len(names)} submission(s). Preparing: the assignment, the inputs of every test, then the "
        "instructor's notebook graded first (about 20 s)..."
    )

    scratch_base = Path(settings.scratch_dir)
    if not scratch_base.is_dir():
        raise GradingError(f"c.LeptonGrading.scratch_dir is not a folder: {scratch_base}")
    _remove_abandoned_scratch(scratch_base)
    scratch = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=scratch_base))  # short: Unix socket paths are limited
    lock = _hold_lock(scratch / SCRATCH_LOCK)
    watchdog = start_watchdog(scratch, _cgroup(scratch))
    try:
        template_url, release_path = _generate_template(config, root, module_id, scratch)
        release = json.loads(release_path.read_text(encoding="utf-8"))
        source_nb = json.loads(source.read_text(encoding="utf-8"))
        cells = test_cells(source_nb)
        seeds = cohort_seeds(module_id, cells, settings.cohort_secret)
        try:
            answers = reference_answers(source_nb, name=module_id)
            cases = write_cases(compute_cases(questions_of(module_id), cells, seeds, answers), scratch / "cases.json")
        except Exception as exc:  # noqa: BLE001 - the instructor's notebook or questions: say so, grade nobody
            raise GradingError(
                f"the inputs of {module_id}'s tests could not be computed: {type(exc).__name__}: {exc}"
            ) from exc
        view = build_view(module_id, scratch / "view")
        if sandbox:
            limits = sb.Limits(
                memory_mb=settings.memory_mb, max_processes=settings.max_processes, cpu_seconds=settings.cpu_seconds
            )
            sb.write_kernelspec(scratch, view, cases, limits)
        _warm_up(module_id, release, cells, seeds)
        ctx = _Context(
            root=root,
            module_id=module_id,
            config=config,
            scratch=scratch,
            template_db=scratch / "template.db",
            release=release,
            cells=cells,
            seeds=seeds,
            view=view,
            cases=cases,
            sandbox=sandbox,
            cgroups=sandbox and os.geteuid() == 0 and sb.cgroups_available(),
        )
        _grade_the_solution(ctx, source)
        say(f"{module_id}: the instructor's notebook earns every point; grading {len(names)} learner(s)...")
        with gradebook_setup_lock(db_url):  # several runs (shards) may share one empty PostgreSQL gradebook
            gradebook.copy_assignment(template_url, db_url, course_id, module_id)
        late_penalty = gradebook.late_penalty_plugin(config)
        deadline = settings.notebook_timeout + 120
        total = len(names) + len(missing)
        fork = multiprocessing.get_context("fork")
        pending = list(enumerate(names))
        # conn -> [process, learner, started, index, kernel running]
        running: dict[Any, list] = {}
        jobs = max(1, jobs or settings.jobs)
        with _frozen_heap(), _stopping_children(running, ctx, run):
            while pending or running:
                # `jobs` kernels at once; a learner whose kernel has stopped is scored while the next one starts.
                while pending and sum(r[4] for r in running.values()) < jobs and len(running) < 2 * jobs:
                    index, learner = pending.pop(0)
                    receive, send = fork.Pipe(duplex=False)
                    child = fork.Process(target=_child, args=(ctx, index, learner, send), daemon=True)
                    child.start()
                    send.close()
                    running[receive] = [child, learner, time.monotonic(), index, True]
                for conn in wait(list(running), timeout=1.0):
                    child, learner, since, index, _ = running[conn]
                    try:
                        data = conn.recv()
                    except EOFError:
                        data = {"learner": learner, "status": "not graded", "reason": "the grading process died"}
                    if data.get("kernel_stopped"):
                        running[conn][4] = False
                        continue
                    running.pop(conn)
                    child.join(5)
                    _finish(run, data, root, module_id, db_url, course_id, progress, total, late_penalty)
                for conn, (child, learner, since, index, _) in list(running.items()):
                    if time.monotonic() - since > deadline:
                        child.kill()
                        child.join(5)
                        if ctx.cgroups:
                            sb.clean_cgroups(_cgroup(ctx.scratch, index))
                        running.pop(conn)
                        reason = f"grading took more than {deadline} s and was stopped"
                        data = {"learner": learner, "status": "not graded", "reason": reason}
                        _finish(run, data, root, module_id, db_url, course_id, progress, total, late_penalty)
        if feedback and any(r.status != "not graded" for r in run.results):
            run.csv_path = _write_feedback(config, root, module_id, db_url, course_id, cells, say)
    finally:
        if not os.environ.get("LEPTON_GRADING_KEEP_SCRATCH"):  # kept for debugging the grader itself
            shutil.rmtree(scratch, ignore_errors=True)
        os.close(lock)
        os.write(watchdog, DONE)
        os.close(watchdog)
    run.seconds = time.monotonic() - started
    return run


def _grade_the_solution(ctx: _Context, source: Path) -> None:
    """Grade the instructor's notebook as a learner's, and stop the run unless it earns every point.

    A run that cannot grade (the kernel cannot import the course package, the sandbox or the view is broken, a
    test gives an input its cases do not hold) must write nothing: finding out on the instructor's own notebook
    costs one notebook and protects every learner's earlier grades.
    """
    folder = ctx.scratch / "solution" / ctx.module_id
    folder.mkdir(parents=True)
    shutil.copyfile(source, folder / source.name)
    with _frozen_heap():
        result = _in_child(ctx, -1, "instructor-solution", folder)
    full = sum(c.points for c in ctx.cells.values())
    if result.get("status") == "not graded" or abs(result.get("points", 0.0) - full) > 1e-6:
        scores = result.get("scores", {})
        lost = [
            f"{g} earns {scores.get(g) or 0:g} of {c.points:g}"
            for g, c in ctx.cells.items()
            if scores.get(g) != c.points
        ]
        # The instructor's test cells differ from the release's (hidden tests): that evidence is expected here.
        found = [e for e in result.get("evidence", []) if "restored from the source" not in e]
        detail = "; ".join([result.get("reason", "")] * bool(result.get("reason")) + lost + found)
        raise GradingError(
            f"grading cannot grade {ctx.module_id}: the instructor's own notebook earns "
            f"{result.get('points', 0.0):g} of {full:g} points under grading ({detail}). Nothing was written; "
            "fix this first (run with LEPTON_GRADING_KEEP_SCRATCH=1 to keep the graded notebook)."
        )
    shutil.rmtree(ctx.scratch / "c" / "-1", ignore_errors=True)


def _in_child(ctx: _Context, index: int, learner: str, submitted: Path) -> dict:
    """Grade one notebook in a forked child and wait for it (the solution check before the learners)."""
    fork = multiprocessing.get_context("fork")
    receive, send = fork.Pipe(duplex=False)
    child = fork.Process(target=_child, args=(ctx, index, learner, send, submitted), daemon=True)
    child.start()
    send.close()
    result: dict = {}
    from lepton_training.grading.settings import LeptonGrading

    deadline = time.monotonic() + LeptonGrading(config=ctx.config).notebook_timeout + 120
    while time.monotonic() < deadline and child.is_alive() or receive.poll():
        if receive.poll(1.0):
            try:
                data = receive.recv()
            except EOFError:
                break
            if not data.get("kernel_stopped"):
                result = data
                break
    child.kill()
    child.join(5)
    return result or {"status": "not graded", "reason": "the grading process died or did not finish"}


def _warm_up(module_id: str, release: dict, cells: dict, seeds: dict) -> None:
    """Load, once before the children fork, what grading a learner loads: each child then starts warm.

    Verifying the unanswered release notebook imports the question definitions and the libraries their tests
    use (pandas, for most modules); the imports below are those of :func:`_grade_in_child` and of the
    preprocessors nbgrader instantiates there.
    """
    import IPython  # noqa: F401 - jupyter_client's kernelspec search imports it to find IPython's folders
    import nbformat
    import nbgrader.preprocessors  # noqa: F401
    import nbgrader.utils  # noqa: F401
    from jupyter_client.manager import KernelManager  # noqa: F401
    from nbgrader.api import Gradebook  # noqa: F401
    from nbgrader.converters import Autograde  # noqa: F401

    from lepton_training.grading import execute, recorder, submissions  # noqa: F401
    from lepton_training.grading.seeds import questions_of
    from lepton_training.grading.verify import verify_notebook

    questions = questions_of(module_id)
    verify_notebook(questions, cells, nbformat.from_dict(release), seeds)
    # An unanswered notebook stops at validation; the tests' inputs load the libraries that real answers need.
    for spec in cells.values():
        question = getattr(questions, spec.question, None)
        # A warm-up only: the learner's grading reports any real problem.
        with contextlib.suppress(Exception):
            question.public_inputs()


def _finish(
    run: GradeRun,
    data: dict,
    root: Path,
    module_id: str,
    db_url: str,
    course_id: str,
    progress: bool,
    total: int,
    late_penalty: Any = None,
) -> None:
    """Keep a child's graded notebook and write its grades: the notebook first, then one transaction."""
    from lepton_training.grading.gradebook import record_submission

    result = LearnerResult(
        data["learner"],
        data["status"],
        data.get("points", 0.0),
        data.get("max_points", 0.0),
        data.get("reason", ""),
        data.get("evidence", []),
        data.get("seconds", 0.0),
    )
    if result.status != "not graded":
        # Written under a hidden name, recorded, then renamed: nobody sees a graded folder without its grades.
        target = root / "autograded" / result.learner / module_id
        staged = target.parent / f".{module_id}.grading"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(staged, ignore_errors=True)
        shutil.move(data["folder"], staged)
        try:
            record_submission(
                db_url,
                course_id,
                module_id,
                result.learner,
                data["scores"],
                data["comments"],
                data.get("timestamp"),
                flagged=result.status == "flagged",
                late_penalty=late_penalty,
            )
        except Exception as exc:  # noqa: BLE001 - one learner's database error must not stop the others
            shutil.rmtree(staged, ignore_errors=True)
            result = LearnerResult(result.learner, "not graded", reason=f"the gradebook refused it: {exc}")
        else:
            old = target.parent / f".{module_id}.replaced"
            shutil.rmtree(old, ignore_errors=True)
            if target.exists():
                target.rename(old)
            staged.rename(target)
            shutil.rmtree(old, ignore_errors=True)
            if data.get("log"):
                log = root / GRADING_LOG / module_id / f"{result.learner}.ipynb"
                log.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(data["log"], log)
    run.results.append(result)
    if progress:
        _progress(len(run.results), total, result)


def _write_feedback(
    config: Any, root: Path, module_id: str, db_url: str, course_id: str, cells: dict, say: Any = print
) -> Path:
    """Write the module's feedback pages and the CSV exports from the gradebook; return the module's CSV.

    After a run, or once after the shards of a sharded run (``grade --feedback-only``, :mod:`.shard`).
    """
    from lepton_training.grading import gradebook

    say(f"{module_id}: writing the feedback pages (feedback/<learner>/{module_id}/)...")
    _feedback(config, root, module_id, db_url, cells)
    say(f"{module_id}: writing the gradebook's CSV (grades/)...")
    path = root / "grades" / f"{module_id}.csv"
    gradebook.export_csv(db_url, course_id, module_id, path)
    gradebook.export_all(db_url, course_id, root / "grades" / "all-modules.csv")
    return path


def _feedback(config: Any, root: Path, module_id: str, db_url: str, cells: dict) -> None:
    """Run nbgrader generate_feedback for the module (the course config clears hidden tests first).

    The pages are then made offline and titled by question (:mod:`.feedback`): the maths of the markdown drawn as
    SVG, no MathJax from a CDN, each graded cell named by its question rather than "Test cell".
    """
    from nbgrader.converters import GenerateFeedback
    from nbgrader.coursedir import CourseDirectory

    from lepton_training.grading.feedback import finish_page, question_titles

    cfg = copy.deepcopy(config)
    cfg.CourseDirectory.root = str(root)
    cfg.CourseDirectory.db_url = db_url
    cfg.CourseDirectory.assignment_id = module_id
    cfg.GenerateFeedback.force = True
    chain = list(config.GenerateFeedback.get("preprocessors", []))
    cfg.GenerateFeedback.preprocessors = [*chain, "lepton_training.grading.feedback.OfflineMath"]
    quiet = logging.getLogger("lepton_training.grading.feedback")
    quiet.setLevel(logging.ERROR)
    GenerateFeedback(coursedir=CourseDirectory(config=cfg), config=cfg, log=quiet).start()
    titles = question_titles(module_id, cells)
    for page in sorted((root / "feedback").glob(f"*/{module_id}/*.html")):
        finish_page(page, titles)
