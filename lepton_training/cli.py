"""The ``lepton-training`` command: one entry point, one thin sub-command per task.

Each sub-command is a function registered with :func:`command`; it parses nothing itself and calls library
functions. Heavy imports (nbgrader, nbformat) happen inside the sub-command functions, so that
``lepton-training --help`` answers at once.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Command", "COMMANDS", "command", "main", "loader_text", "default_repo_root"]


@dataclass(frozen=True)
class Command:
    """A registered sub-command.

    Attributes
    ----------
    name : str
        The word typed after ``lepton-training``.
    help : str
        One line shown by ``lepton-training --help``.
    arguments : callable
        Adds the sub-command's arguments to its ``argparse`` parser.
    run : callable
        Takes the parsed ``argparse.Namespace`` and returns the exit status.
    """

    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


COMMANDS: dict[str, Command] = {}


def command(
    name: str, help: str, arguments: Callable[[argparse.ArgumentParser], None] = lambda parser: None
) -> Callable[[Callable[[argparse.Namespace], int]], Callable[[argparse.Namespace], int]]:
    """Register the decorated function as the sub-command ``name``.

    Parameters
    ----------
    name : str
        Sub-command name.
    help : str
        One-line description.
    arguments : callable, optional
        Function adding the sub-command's arguments to its parser.

    Returns
    -------
    callable
        A decorator that registers the function and returns it unchanged.
    """

    def register(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        COMMANDS[name] = Command(name=name, help=help, arguments=arguments, run=run)
        return run

    return register


def default_repo_root() -> Path:
    """Return the repository this package runs from, or the current directory if it is not a checkout.

    Returns
    -------
    pathlib.Path
        The folder holding ``jupyter_config.py`` beside the ``lepton_training`` package (an editable install),
        else the current working directory.
    """
    candidate = Path(__file__).resolve().parent.parent
    if (candidate / "jupyter_config.py").is_file():
        return candidate
    return Path.cwd()


def _fail(message: str, code: int = 1) -> int:
    print(f"lepton-training: error: {message}", file=sys.stderr)
    return code


# --- build ---------------------------------------------------------------------------------------------------


def _build_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("modules", nargs="*", metavar="MODULE", help="module ids to build (default: all)")
    parser.add_argument(
        "--check",
        action="store_true",
        help="build into a temporary folder and compare with course/; exit 1 if course/ is stale",
    )
    parser.add_argument("--root", type=Path, default=None, help="course root (default: the repository root)")
    parser.add_argument(
        "--force",
        action="store_true",
        help="also replace released notebooks that hold a learner's work (a copy goes to .lepton-backups/)",
    )


@command("build", help="generate the learner release course/ from solutions/ with nbgrader", arguments=_build_arguments)
def _build(args: argparse.Namespace) -> int:
    from lepton_training.build.release import BuildError, build, check

    root = args.root or default_repo_root()
    modules = args.modules or None
    try:
        if args.check:
            result = check(root, modules)
            print(result.summary())
            return 0 if result.ok else 1
        result = build(root, modules, force=args.force)
    except BuildError as exc:
        return _fail(str(exc))
    print(
        f"Built {len(result.modules)} module(s) into {Path(root).resolve() / 'course'} in {result.seconds:.1f} s: "
        + ", ".join(result.modules)
    )
    kept = [notebook for notebook, _, copy in result.learner_work if copy is None]
    replaced = [(notebook, copy) for notebook, _, copy in result.learner_work if copy is not None]
    if kept:
        print(
            f"Kept {len(kept)} released notebook(s) that hold work ({', '.join(p.parent.name for p in kept)}): the "
            "new release of them was not written. Learners work in work/ (`make lab`); to replace them, run "
            "`lepton-training build --force` (a copy goes to .lepton-backups/ first)."
        )
    if replaced:
        print(f"Replaced {len(replaced)} notebook(s) that held work; copies: {', '.join(str(c) for _, c in replaced)}.")
    return 0


# --- update ----------------------------------------------------------------------------------------------------


def _update_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=None, help="course root (default: the repository root)")
    parser.add_argument(
        "--no-pull", action="store_true", help="do not `git pull` first: merge the release course/ as it is"
    )


@command(
    "update",
    help="bring a new release into your working copy work/ (made from course/ the first time), keeping your answers",
    arguments=_update_arguments,
)
def _update(args: argparse.Namespace) -> int:
    import subprocess

    from lepton_training.build.learner_work import update_work

    root = (args.root or default_repo_root()).resolve()
    if not (root / "course").is_dir():
        return _fail(f"{root} has no course/ folder: run this in the course repository (or pass --root).")
    if not args.no_pull and (root / ".git").exists():
        pulled = subprocess.run(
            ["git", "-C", str(root), "pull", "--ff-only", "--quiet"], capture_output=True, text=True, check=False
        )
        if pulled.returncode != 0:
            print(
                "Could not fetch a new release with `git pull` ("
                + (pulled.stderr.strip().splitlines() or ["?"])[-1]
                + "); merging the release you have. Check the connection, or ask your facilitator."
            )
    print(update_work(root / "course", root / "work").summary(Path("work")))
    return 0


# --- setup ---------------------------------------------------------------------------------------------------


def loader_text(config: Path) -> str:
    """Return the two-line Jupyter config file that loads the repository's configuration.

    Parameters
    ----------
    config : pathlib.Path
        Absolute path of the repository's ``jupyter_config.py``.

    Returns
    -------
    str
        A comment line and a ``load_subconfig(...)`` line.
    """
    return (
        "# Written by `lepton-training setup`: every Jupyter app of this environment loads the course config.\n"
        f"load_subconfig({str(config)!r})\n"
    )


def _setup_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--prefix",
        type=Path,
        default=None,
        help="environment prefix whose etc/jupyter/ gets the loader (default: this Python's sys.prefix)",
    )
    parser.add_argument("--root", type=Path, default=None, help="repository root (default: this checkout)")
    parser.add_argument("--force", action="store_true", help="replace a different existing jupyter_config.py")


@command(
    "setup",
    help="make jupyter lab / nbconvert / nbgrader in this environment load the repo's jupyter_config.py",
    arguments=_setup_arguments,
)
def _setup(args: argparse.Namespace) -> int:
    config = ((args.root or default_repo_root()) / "jupyter_config.py").resolve()
    if not config.is_file():
        return _fail(f"no jupyter_config.py in {config.parent}: pass --root <repository root>.")
    target = (args.prefix or Path(sys.prefix)).resolve() / "etc" / "jupyter" / "jupyter_config.py"
    text = loader_text(config)
    if target.exists():
        current = target.read_text(encoding="utf-8")
        if current == text:
            print(f"Already set up: {target} loads {config}.")
            return 0
        if not args.force:
            return _fail(
                f"{target} already exists with other content; it was left unchanged. Merge it by hand or run "
                "`lepton-training setup --force` to replace it with the loader of this repository."
            )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"Wrote {target}: Jupyter apps of this environment now load {config}.")
    return 0


# --- validate --------------------------------------------------------------------------------------------------


def _validate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("notebooks", nargs="+", type=Path, metavar="NOTEBOOK", help="notebooks to validate")
    parser.add_argument(
        "--invert", action="store_true", help="expect every graded test to fail (a learner release with its stubs)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON report per notebook, one per line")
    parser.add_argument("--root", type=Path, default=None, help="course root (default: the repository root)")


@command(
    "validate",
    help="run nbgrader's validator on notebooks; unlike `nbgrader validate`, exit 1 when one is not as expected",
    arguments=_validate_arguments,
)
def _validate(args: argparse.Namespace) -> int:
    import json

    from lepton_training.grading.validate import validate_notebooks

    missing = [str(n) for n in args.notebooks if not n.is_file()]
    if missing:
        return _fail(f"no such notebook: {', '.join(missing)}")
    reports = validate_notebooks(args.notebooks, args.root or default_repo_root(), invert=args.invert)
    for report in reports:
        if args.json:
            print(json.dumps(report.as_dict(), sort_keys=True))
            continue
        expectation = "every graded test fails" if args.invert else "every graded test passes"
        if report.ok:
            print(f"OK: {report.notebook}: {expectation}.")
        elif report.error:
            print(f"ERROR: {report.notebook}: {report.error}")
        else:
            for kind, cells in report.findings.items():
                print(f"NOT OK: {report.notebook}: {len(cells)} cell(s) {kind.replace('_', ' ')}:")
                for cell in cells:
                    first = cell.get("source", "").strip().splitlines()[:1]
                    print(f"  - {first[0] if first else '(empty cell)'}")
                    if cell.get("raw_error"):
                        print("    " + cell["raw_error"].strip().splitlines()[-1])
    return 0 if all(r.ok for r in reports) else 1


# --- collect and grade ---------------------------------------------------------------------------------------


def _collect_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("module", nargs="?", metavar="MODULE", help="import only this module's notebooks")
    parser.add_argument("--from", dest="source", type=Path, required=True, metavar="DIR", help="the shared folder")
    parser.add_argument(
        "--roster",
        type=Path,
        default=None,
        help="roster CSV: nbgrader's columns (id, first_name, last_name, email), or id, email, name",
    )
    parser.add_argument(
        "--times",
        type=Path,
        default=None,
        metavar="CSV",
        help="submission times (columns learner, submitted_at; optional file, the upload's name)",
    )
    parser.add_argument(
        "--time-from",
        choices=("collected", "file", "mtime"),
        default=None,
        help="where submission times come from: now (default), --times (default when given), or file "
        "modification times (only if learners cannot set them)",
    )
    parser.add_argument("--root", type=Path, default=None, help="course root (default: the repository root)")


@command(
    "collect",
    help="import uploaded notebooks (Colab) into nbgrader's submitted/<learner>/<module>/ layout",
    arguments=_collect_arguments,
)
def _collect(args: argparse.Namespace) -> int:
    from lepton_training.grading.collect import collect

    if not args.source.is_dir():
        return _fail(f"no such folder: {args.source}")
    try:
        result = collect(
            args.source, args.root or default_repo_root(), args.module, args.roster, args.times, args.time_from
        )
    except (OSError, ValueError) as exc:
        return _fail(str(exc))
    print(result.summary())
    return 0 if not result.reported else 1


def _grade_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("module", metavar="MODULE", help="the module to grade, such as 00-orientation")
    parser.add_argument("--jobs", type=int, default=None, help="notebooks graded at once (default: c.LeptonGrading)")
    parser.add_argument("--learner", action="append", default=None, metavar="ID", help="grade only this learner")
    parser.add_argument("--root", type=Path, default=None, help="course root (default: the repository root)")
    parser.add_argument("--no-feedback", action="store_true", help="skip feedback HTML and the CSV export")
    parser.add_argument(
        "--shard",
        default=None,
        metavar="K/N",
        help="grade only shard K (0 to N-1) of N, by learner id, for N runs sharing one PostgreSQL gradebook "
        "(no feedback or CSV: write them once all shards are done with --feedback-only)",
    )
    parser.add_argument(
        "--feedback-only",
        action="store_true",
        help="grade nobody: write the feedback and the CSV from the gradebook (after a sharded run)",
    )


@command(
    "grade",
    help="autograde a module's submissions with nbgrader in a sandbox; verified scores, feedback, CSV",
    arguments=_grade_arguments,
)
def _grade(args: argparse.Namespace) -> int:
    import signal

    from lepton_training.grading.run import GradingError, GradingStopped, grade_module
    from lepton_training.grading.shard import parse_shard, write_feedback

    root = args.root or default_repo_root()
    try:
        shard = parse_shard(args.shard) if args.shard is not None else None
    except ValueError as exc:
        return _fail(str(exc))
    if args.feedback_only:
        if shard or args.learner or args.no_feedback:
            return _fail("--feedback-only grades nobody: it takes no --shard, --learner or --no-feedback.")
        try:
            print(f"Feedback and scores of {args.module}: {write_feedback(root, args.module)}")
        except (GradingError, OSError) as exc:
            return _fail(str(exc))
        return 0

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    # A stopped Kubernetes Job, `kill` or a closed session sends SIGTERM: stop as cleanly as after a Ctrl-C.
    signal.signal(signal.SIGTERM, stop)
    try:
        # A shard writes grades only: N shards writing every learner's feedback and one CSV at once would race.
        run = grade_module(
            root, args.module, args.jobs, args.learner, feedback=not (args.no_feedback or shard), shard=shard
        )
    except GradingError as exc:
        return _fail(str(exc))
    except GradingStopped as exc:
        print(exc.run.summary())
        return _fail(
            f"{exc}. The learners listed above are in the gradebook; the others were not touched. Run the same "
            "command again to grade everybody and write the feedback and the CSV.",
            code=130,
        )
    print(run.summary())
    if shard:
        print(
            f"Shard {shard}: the learners above only. Once all {shard.count} shards have finished, write the "
            f"feedback and the CSV once: lepton-training grade {args.module} --feedback-only"
        )
    return 0


def _feedback_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("module", metavar="MODULE", help="the graded module whose feedback to deliver")
    parser.add_argument("--out", type=Path, default=None, help="the outbox (default: outbox/ in the course root)")
    parser.add_argument(
        "--no-hub",
        action="store_true",
        help="put every learner's page in the outbox, also those who submitted through JupyterHub",
    )
    parser.add_argument("--root", type=Path, default=None, help="course root (default: the repository root)")


@command(
    "feedback",
    help="deliver a graded module's feedback: released to JupyterHub learners, one page per other learner with "
    "a mail-merge CSV of their addresses and a zip",
    arguments=_feedback_arguments,
)
def _feedback(args: argparse.Namespace) -> int:
    from lepton_training.grading.feedback import deliver_feedback
    from lepton_training.grading.run import _course_config, _db_url

    root = (args.root or default_repo_root()).resolve()
    config = _course_config(root)
    try:
        delivery = deliver_feedback(root, args.module, config, _db_url(config, root), args.out, hub=not args.no_hub)
    except FileNotFoundError as exc:
        return _fail(str(exc))
    print(delivery.summary())
    return 1 if delivery.hub_problem or delivery.no_address else 0


# --- facilitation: agenda, slides, guide; the knowledge-base site ---------------------------------------------


def _agenda_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--modules", nargs="+", metavar="MODULE", default=None, help="modules (default: all)")
    parser.add_argument(
        "--start", default=None, help='first day and daily start, such as "2027-01-11 09:30" (default: next Monday)'
    )
    parser.add_argument("--days", type=int, default=1, help="working days to spread the modules over (default: 1)")
    parser.add_argument(
        "--breaks",
        nargs="+",
        default=None,
        metavar="RULE",
        help="break rules: N/M (an N-minute break at the latest every M minutes of work), HH:MM/N (an N-minute "
        "break at that time, such as lunch 12:30/45), or none (default: 10/75)",
    )
    parser.add_argument("--timezone", default="UTC", help="IANA time zone, such as Europe/Berlin (default: UTC)")
    parser.add_argument(
        "--link", default="", help="the meeting link (video call), carried into every calendar event and the pages"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output folder (default: _build/agenda for the whole course, _build/agenda-<modules> for some modules)",
    )
    parser.add_argument("--root", type=Path, default=None, help="course root (default: the repository root)")


@command(
    "agenda",
    help="a live cohort's schedule from course.toml, as HTML, Markdown and an iCalendar file",
    arguments=_agenda_arguments,
)
def _agenda(args: argparse.Namespace) -> int:
    from datetime import date, timedelta

    from lepton_training.facilitation.agenda import DEFAULT_BREAKS, plan

    start = args.start
    if start is None:
        today = date.today()
        start = f"{today + timedelta(days=7 - today.weekday()):%Y-%m-%d} 09:30"
    try:
        schedule = plan(args.modules, start, args.days, args.breaks or DEFAULT_BREAKS, args.timezone, link=args.link)
    except ValueError as exc:
        return _fail(str(exc))
    # One folder per set of modules, so that a one-module agenda does not replace the cohort's.
    planned = sorted({s.module.id for s in schedule.sessions if s.module})
    name = "agenda" if not args.modules else "agenda-" + "-".join(planned)
    paths = schedule.write(args.out or (args.root or default_repo_root()) / "_build" / name)
    print(schedule)
    print("\nWrote " + ", ".join(str(p) for p in paths.values()))
    return 0


def _slides_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("module", metavar="MODULE", help="the module, such as 00-orientation")
    parser.add_argument(
        "--answers", choices=("hide", "show"), default="hide", help="show the stubs (default) or the solutions"
    )
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: _build/slides)")
    parser.add_argument("--root", type=Path, default=None, help="course root (default: the repository root)")


@command(
    "slides",
    help="a module's reveal.js deck, offline, with the facilitator notes as speaker notes",
    arguments=_slides_arguments,
)
def _slides(args: argparse.Namespace) -> int:
    from lepton_training.facilitation.slides import build_slides

    try:
        deck = build_slides(args.root or default_repo_root(), args.module, args.answers, args.out)
    except (FileNotFoundError, ValueError) as exc:
        return _fail(str(exc))
    print(deck.summary())
    return 0


def _guide_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("module", metavar="MODULE", help="the module, such as 00-orientation")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: _build/guide)")
    parser.add_argument("--root", type=Path, default=None, help="course root (default: the repository root)")


@command(
    "guide",
    help="a module's facilitator guide (timing, prompts, polls, common mistakes), as HTML and Markdown",
    arguments=_guide_arguments,
)
def _guide(args: argparse.Namespace) -> int:
    from lepton_training.facilitation.guide import build_guide

    try:
        guide, paths = build_guide(args.root or default_repo_root(), args.module, args.out)
    except (KeyError, FileNotFoundError, ValueError) as exc:
        return _fail(str(exc).strip("'\""))
    print(f"Wrote {paths['html']} and {paths['markdown']} ({len(guide.notes)} facilitator notes).")
    return 0


def _site_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--instructor", action="store_true", help="the instructor version: solutions and facilitator notes"
    )
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: _build/site[-instructor])")
    parser.add_argument("--root", type=Path, default=None, help="course root (default: the repository root)")


@command(
    "site",
    help="the course as a static, searchable, offline site (Sphinx + MyST-NB); warnings are errors",
    arguments=_site_arguments,
)
def _site(args: argparse.Namespace) -> int:
    from lepton_training.site.build import SiteError, build_site

    try:
        built = build_site(args.root or default_repo_root(), args.out, instructor=args.instructor)
    except (SiteError, FileNotFoundError) as exc:
        return _fail(str(exc))
    print(built.summary())
    return 0


# --- report --------------------------------------------------------------------------------------------------


def _report_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("modules", nargs="*", metavar="MODULE", help="modules to report on (default: all graded)")
    parser.add_argument("--out", type=Path, default=None, help="report.html and report.csv go here (default: reports)")
    parser.add_argument("--db", dest="db_url", default=None, metavar="URL", help="gradebook SQLAlchemy URL")
    parser.add_argument("--root", type=Path, default=None, help="course root (default: the repository root)")
    parser.add_argument(
        "--demo",
        type=Path,
        default=None,
        metavar="OUT.html",
        help="write a sample report of a synthetic cohort to OUT.html (and OUT.csv), without any gradebook",
    )


@command(
    "report",
    help="results report: scores, item analysis, learners at risk, event records, survey, learning gain (HTML, CSV)",
    arguments=_report_arguments,
)
def _report(args: argparse.Namespace) -> int:
    import os

    from lepton_training.report import build_report

    if args.demo is not None:
        if args.modules or args.db_url or args.out:
            return _fail("--demo builds a sample report of its own cohort: leave out MODULE, --db and --out.")
        from lepton_training.report.synthetic import build_demo_report

        report = build_demo_report(args.demo)
        print(report.summary().replace("Report on", "Sample report (synthetic cohort) on", 1))
        return 0
    root = args.root or default_repo_root()
    db_url = args.db_url or os.environ.get("LEPTON_GRADEBOOK_URL") or None
    if db_url is None and not (Path(root) / "gradebook.db").is_file():
        return _fail(f"no gradebook: {Path(root) / 'gradebook.db'} does not exist; pass --db URL or --root.")
    try:
        report = build_report(root, args.modules or None, args.out, db_url)
    except ValueError as exc:
        return _fail(str(exc))
    print(report.summary())
    return 0


def _sentiment_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file",
        metavar="FILE",
        help="a CSV file with a 'text' column, or a text file with one comment a line; '-' reads standard input",
    )


@command(
    "sentiment",
    help="label comments (English, Chinese or both) as positive or negative with the report's model; CSV to stdout",
    arguments=_sentiment_arguments,
)
def _sentiment(args: argparse.Namespace) -> int:
    from lepton_training.report.sentiment import comment_model, read_comments

    try:
        texts = read_comments(args.file)
    except (OSError, ValueError) as exc:
        return _fail(str(exc))
    model = comment_model()
    model.label(texts).to_csv(sys.stdout, index=False, lineterminator="\n")
    print(f"lepton-training sentiment: {len(texts)} comment(s); the model is {model.describe()}.", file=sys.stderr)
    return 0


# --- entry point -----------------------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lepton-training", description="Build, grade and teach the Lepton Training course."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for cmd in COMMANDS.values():
        cmd.arguments(sub.add_parser(cmd.name, help=cmd.help, description=cmd.help))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``lepton-training`` command.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments after the program name; ``sys.argv[1:]`` by default.

    Returns
    -------
    int
        The exit status (0 on success).
    """
    args = _parser().parse_args(argv)
    # Library warnings (such as a source notebook without cell ids) reach the terminal as one plain line each.
    logging.basicConfig(format="lepton-training: %(levelname)s: %(message)s", level=logging.WARNING)
    return COMMANDS[args.command].run(args)
