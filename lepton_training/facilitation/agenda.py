"""The schedule of a live cohort, from ``course.toml``: HTML, Markdown and an iCalendar file.

Each module is taught as its facilitator guide runs it, teaching and exercises interleaved: its teaching and
exercise minutes (from ``course.toml``) are dealt into rounds of about 40 minutes, each a stretch of teaching
followed by the exercises it leads to (one round for module 00's 40 minutes, three for a two-hour module). A whole
course opens with the pre-course quiz and closes with the post-course quiz and the survey. The rounds are placed
on one or several days so that the days are as even as possible (every split between rounds is tried; a split
between modules is preferred to one inside a module when the days come out as even), breaks are added by rule,
and the result is written in three forms. Every table is drawn by :func:`lepton_training.render.agenda`, so the
agenda looks the same in a notebook, in the HTML page and in the terminal.

Break rules (``--breaks``), any number of them:

``N/M``
    An N-minute break whenever working on would make more than M minutes without one. Breaks go between
    sessions; a single session longer than M is split in equal parts. No such break is put just before a
    fixed break (a rest break that would run into lunch is left out).
``HH:MM/N``
    An N-minute break at a clock time each day, such as lunch ``12:30/45``. A session running at that time is
    split there (or, when one part would be under 10 minutes, the break moves to the nearer end of it).

Days are consecutive working days (Saturday and Sunday are skipped), each starting at the same clock time. With
a meeting link (``--link``), every event of the ``.ics`` file carries it (location, URL and description), and so
do the HTML and Markdown pages.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from lepton_training.manifest import Course, Module, load_course
from lepton_training.render import agenda

__all__ = [
    "BreakRule",
    "Session",
    "Schedule",
    "parse_breaks",
    "parse_start",
    "plan",
    "rounds",
    "DEFAULT_BREAKS",
    "QUIZ_MINUTES",
    "SURVEY_MINUTES",
]

DEFAULT_BREAKS = ("10/75",)
_MIN_PART = 10  # minutes: a session is not split into a part shorter than this
_ROUND = 40  # minutes: about how long a round of teaching and its exercises lasts
_NEAR_FIXED = 20  # minutes: no rest break when a fixed break (lunch) starts within this time
#: Minutes planned for each quiz (three questions per module) and for the survey (a rating and a comment each).
QUIZ_MINUTES = 15
SURVEY_MINUTES = 10


@dataclass(frozen=True)
class BreakRule:
    """One rule of ``--breaks``.

    Attributes
    ----------
    minutes : int
        Length of the break.
    every : int or None
        For an ``N/M`` rule: the most minutes of work without a break.
    at : int or None
        For an ``HH:MM/N`` rule: the clock time, in minutes after midnight.
    """

    minutes: int
    every: int | None = None
    at: int | None = None


_RULE = re.compile(r"(?:(?P<hh>\d{1,2}):(?P<mm>\d{2})|(?P<n>\d+))/(?P<m>\d+)")


def parse_breaks(specs: Iterable[str]) -> tuple[BreakRule, ...]:
    """Read break rules such as ``"10/75"`` and ``"12:30/45"``.

    Parameters
    ----------
    specs : iterable of str
        Each ``N/M`` (an N-minute break at the latest every M minutes of work) or ``HH:MM/N`` (an N-minute
        break at that clock time); a spec may hold several rules separated by commas. ``"none"`` gives no
        breaks.

    Returns
    -------
    tuple of BreakRule

    Raises
    ------
    ValueError
        If a spec is malformed, or two ``N/M`` rules are given.

    Examples
    --------
    >>> parse_breaks(["10/75", "12:30/45"])
    (BreakRule(minutes=10, every=75, at=None), BreakRule(minutes=45, every=None, at=750))
    """
    rules = []
    for spec in specs:
        for part in str(spec).split(","):
            part = part.strip()
            if not part or part.lower() == "none":
                continue
            match = _RULE.fullmatch(part)
            if not match:
                raise ValueError(
                    f"A break rule looks like '10/75' (a 10-minute break at the latest every 75 minutes of work) "
                    f"or '12:30/45' (a 45-minute break at 12:30), not {part!r}."
                )
            if match["n"] is not None:
                minutes, every = int(match["n"]), int(match["m"])
                if minutes < 1 or every < 15:
                    raise ValueError(f"In {part!r}, a break lasts at least 1 minute and comes after at least 15.")
                rules.append(BreakRule(minutes=minutes, every=every))
            else:
                hours, mins, minutes = int(match["hh"]), int(match["mm"]), int(match["m"])
                if hours > 23 or mins > 59 or minutes < 1:
                    raise ValueError(f"In {part!r}, the time must be HH:MM (24-hour) and the break at least 1 minute.")
                rules.append(BreakRule(minutes=minutes, at=hours * 60 + mins))
    if sum(rule.every is not None for rule in rules) > 1:
        raise ValueError("Give at most one 'N/M' break rule (the breaks every M minutes of work).")
    return tuple(rules)


def parse_start(value: str | datetime, timezone: str = "UTC") -> datetime:
    """Read the start of the first day, such as ``"2027-01-11 09:30"``, as a time in ``timezone``.

    Parameters
    ----------
    value : str or datetime
        ``YYYY-MM-DD HH:MM`` (or ISO 8601 with a ``T``); a naive datetime is taken in ``timezone``.
    timezone : str, default "UTC"
        An IANA time zone name such as ``"Europe/Berlin"``.

    Returns
    -------
    datetime
        Timezone-aware.

    Raises
    ------
    ValueError
        If the value or the time zone is not understood.
    """
    zone = _zone(timezone)
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip().replace(" ", "T", 1))
        except ValueError:
            raise ValueError(f"A start looks like '2027-01-11 09:30', not {value!r}.") from None
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)


def _zone(name: str):
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"Unknown time zone {name!r}; use an IANA name such as 'Europe/Berlin' or 'UTC'.") from None


@dataclass(frozen=True)
class Session:
    """One row of the schedule.

    Attributes
    ----------
    start : datetime
        Timezone-aware start.
    minutes : int
        Length.
    kind : {"teaching", "exercise", "break"}
    title : str
    module : Module or None
        The module taught (None for a break).
    """

    start: datetime
    minutes: int
    kind: str
    title: str
    module: Module | None = None

    @property
    def end(self) -> datetime:
        """When the session ends."""
        return self.start + timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class Schedule:
    """A cohort's schedule: the days, each a list of sessions, in one time zone."""

    course: Course
    timezone: str
    days: tuple[tuple[Session, ...], ...]
    rules: tuple[BreakRule, ...] = field(default=())
    link: str = ""

    @property
    def sessions(self) -> list[Session]:
        """Every session of every day, in order."""
        return [s for day in self.days for s in day]

    def minutes(self, kind: str | None = None) -> int:
        """Total minutes, of one kind or of all."""
        return sum(s.minutes for s in self.sessions if kind is None or s.kind == kind)

    def _rows(self, day: Sequence[Session]) -> list[dict]:
        return [
            {"start": s.start.strftime("%H:%M"), "title": s.title, "minutes": s.minutes, "kind": s.kind} for s in day
        ]

    def to_html(self) -> str:
        """Return a standalone HTML page (no script, no external resource): a table per day."""
        import html

        parts = []
        for number, day in enumerate(self.days, 1):
            heading = f"Day {number}: {_day_label(day[0].start)}" if len(self.days) > 1 else _day_label(day[0].start)
            parts.append(f"<h2>{html.escape(heading)}</h2>\n{agenda(self._rows(day))._repr_html_()}")
        title = html.escape(f"{self.course.title}: agenda")
        modules = sorted({s.module.id for s in self.sessions if s.module}, key=self._order)
        lead = html.escape(
            f"{len(modules)} module(s) on {len(self.days)} day(s); times in {self.timezone}. "
            f"{self.minutes('teaching')} min teaching, {self.minutes('exercise')} min exercises, "
            f"{self.minutes('break')} min breaks. Generated from course.toml by `lepton-training agenda`."
        )
        join = (
            f'<p>Join the call: <a href="{html.escape(self.link)}">{html.escape(self.link)}</a></p>\n'
            if self.link
            else ""
        )
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{title}</title>\n"
            '<meta name="color-scheme" content="light dark">\n'
            "<style>body { font-family: system-ui, sans-serif; max-width: 60em; margin: 2em auto; "
            "padding: 0 1em; line-height: 1.45 }</style>\n"
            f"</head>\n<body>\n<h1>{title}</h1>\n<p>{lead}</p>\n{join}" + "\n".join(parts) + "\n</body>\n</html>\n"
        )

    def to_markdown(self) -> str:
        """Return the schedule as Markdown: a heading and a table per day."""
        lines = [
            f"# {self.course.title}: agenda",
            "",
            f"Times in {self.timezone}. {self.minutes('teaching')} min teaching, {self.minutes('exercise')} min "
            f"exercises, {self.minutes('break')} min breaks.",
            *(["", f"Join the call: <{self.link}>"] if self.link else []),
        ]
        for number, day in enumerate(self.days, 1):
            heading = f"Day {number}: {_day_label(day[0].start)}" if len(self.days) > 1 else _day_label(day[0].start)
            lines += [
                "",
                f"## {heading}",
                "",
                "| Start | End | Session | Kind | Minutes |",
                "| --- | --- | --- | --- | ---: |",
            ]
            for s in day:
                title = s.title.replace("|", "\\|")
                lines.append(f"| {s.start:%H:%M} | {s.end:%H:%M} | {title} | {s.kind.capitalize()} | {s.minutes} |")
        return "\n".join(lines) + "\n"

    def to_ics(self, dtstamp: datetime | None = None) -> bytes:
        """Return an iCalendar file: one event per teaching or exercise session (breaks are the gaps).

        Parameters
        ----------
        dtstamp : datetime, optional
            The file's creation time (RFC 5545 ``DTSTAMP``); now by default. Fix it for byte-stable output.

        Returns
        -------
        bytes
            The ``.ics`` content, with the time zone's ``VTIMEZONE`` so that calendar tools place events right.

        Raises
        ------
        RuntimeError
            If parsing the file back does not give the same events (a broken file is never written).
        """
        from datetime import UTC

        from icalendar import Calendar, Event

        stamp = (dtstamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
        calendar = Calendar()
        calendar.add("prodid", "-//Lepton AI//lepton-training agenda//EN")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", f"{self.course.title}")
        calendar.add("x-wr-timezone", self.timezone)
        events = [s for s in self.sessions if s.kind != "break"]
        for number, session in enumerate(events, 1):
            event = Event()
            # Stable ids: importing a regenerated file updates the same events instead of duplicating them.
            slug = session.module.id if session.module else re.sub(r"\W+", "-", session.title.lower()).strip("-")
            event.add("uid", f"{session.start:%Y%m%d}-{number:02d}-{slug}-{session.kind}@lepton-training")
            event.add("dtstamp", stamp)
            event.add("dtstart", session.start)
            event.add("dtend", session.end)
            event.add("summary", f"{session.title}")
            event.add("categories", [session.kind.capitalize()])
            description = _event_description(session)
            if self.link:
                event.add("location", self.link)
                event.add("url", self.link)
                description = f"{description}\n\nJoin the call: {self.link}".strip()
            event.add("description", description)
            calendar.add_component(event)
        if self.timezone != "UTC":
            calendar.add_missing_timezones()
        data = calendar.to_ical()
        _check_round_trip(data, events)
        return data

    def write(self, folder: str | Path, dtstamp: datetime | None = None) -> dict[str, Path]:
        """Write ``agenda.html``, ``agenda.md`` and ``agenda.ics`` into ``folder``.

        Parameters
        ----------
        folder : path
            Created if needed.
        dtstamp : datetime, optional
            Passed to :meth:`to_ics`.

        Returns
        -------
        dict of str to Path
            ``{"html": ..., "markdown": ..., "ics": ...}``.
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        paths = {"html": folder / "agenda.html", "markdown": folder / "agenda.md", "ics": folder / "agenda.ics"}
        paths["html"].write_text(self.to_html(), encoding="utf-8")
        paths["markdown"].write_text(self.to_markdown(), encoding="utf-8")
        paths["ics"].write_bytes(self.to_ics(dtstamp))
        return paths

    def _order(self, module_id: str) -> int:
        return [m.id for m in self.course.modules].index(module_id)

    def __str__(self) -> str:
        blocks = []
        for number, day in enumerate(self.days, 1):
            heading = f"Day {number}: {_day_label(day[0].start)}" if len(self.days) > 1 else _day_label(day[0].start)
            blocks.append(f"{heading} ({self.timezone})\n{agenda(self._rows(day))}")
        return "\n\n".join(blocks)


def _day_label(moment: datetime) -> str:
    return f"{moment:%A} {moment.day} {moment:%B %Y}"


def _event_description(session: Session) -> str:
    module = session.module
    if module is None:
        return _ACTIVITIES.get(session.title, "")
    lines = [f"Module {module.id}: {module.title}."]
    if session.kind == "teaching":
        lines.append("Objectives:")
        lines += [f"- {objective}" for objective in module.objectives]
    else:
        lines.append("Hands-on exercises in the module's notebook (JupyterLab, JupyterHub or Colab).")
    return "\n".join(lines)


def _check_round_trip(data: bytes, sessions: Sequence[Session]) -> None:
    """Parse the iCalendar file back with icalendar and compare each event with its session."""
    from icalendar import Calendar

    parsed = [c for c in Calendar.from_ical(data).walk("VEVENT")]
    if len(parsed) != len(sessions):
        raise RuntimeError(f"The iCalendar file has {len(parsed)} events for {len(sessions)} sessions.")
    for event, session in zip(parsed, sessions, strict=True):
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        if start != session.start or end != session.end or str(event.get("summary")) != session.title:
            raise RuntimeError(f"Event {event.get('uid')} does not read back as {session.title} at {session.start}.")


@dataclass(frozen=True)
class _Block:
    kind: str
    minutes: int
    title: str
    module: Module | None = None


_PRE_QUIZ = "Pre-course quiz"
_POST_QUIZ = "Post-course quiz"
_SURVEY = "Course survey"
_ACTIVITIES = {
    _PRE_QUIZ: "Learners open course/quiz-pre/quiz-pre.ipynb, answer it alone and submit it (not graded for points:\n"
    "it measures the starting point).",
    _POST_QUIZ: "Learners open course/quiz-post/quiz-post.ipynb, answer it alone and submit it (the same questions\n"
    "as the pre-course quiz: the report computes the learning gain).",
    _SURVEY: "Learners open course/99-survey/99-survey.ipynb, rate each module, comment and submit it.",
}


def rounds(module: Module) -> list[tuple[int, int]]:
    """Deal a module's teaching and exercise minutes into rounds of teaching followed by exercises.

    Parameters
    ----------
    module : Module
        Its ``teaching_minutes`` and ``exercise_minutes`` come from ``course.toml``.

    Returns
    -------
    list of tuple of (int, int)
        (teaching minutes, exercise minutes) per round, about 40 minutes each; the sums are the module's.

    Examples
    --------
    >>> from lepton_training.manifest import get_module
    >>> rounds(get_module("00-orientation"))
    [(20, 20)]
    """
    count = max(1, round(module.total_minutes / _ROUND))
    count = min(count, max(1, module.teaching_minutes), max(1, module.exercise_minutes))

    def deal(total: int) -> list[int]:
        return [total // count + (1 if k < total % count else 0) for k in range(count)]

    return list(zip(deal(module.teaching_minutes), deal(module.exercise_minutes), strict=True))


def _blocks(modules: Sequence[Module], quizzes: bool) -> list[list[_Block]]:
    """Cut the course into rounds (each a list of blocks): a day may only end between rounds."""
    out: list[list[_Block]] = []
    if quizzes:
        out.append([_Block("exercise", QUIZ_MINUTES, _PRE_QUIZ)])
    for module in modules:
        parts = rounds(module)
        for k, (teach, practice) in enumerate(parts, 1):
            name = module.title if len(parts) == 1 else f"{module.title}, round {k} of {len(parts)}"
            out.append(
                [
                    *([_Block("teaching", teach, name, module)] if teach else []),
                    *([_Block("exercise", practice, f"{name} (exercises)", module)] if practice else []),
                ]
            )
    if quizzes:
        out.append([_Block("exercise", QUIZ_MINUTES, _POST_QUIZ), _Block("exercise", SURVEY_MINUTES, _SURVEY)])
    return out


def _working_days(first: date, count: int) -> list[date]:
    out, day = [], first
    while len(out) < count:
        if day.weekday() < 5:
            out.append(day)
        day += timedelta(days=1)
    return out


def _plan_day(parts: Sequence[Sequence[_Block]], start: datetime, rules: Sequence[BreakRule]) -> list[Session]:
    """Lay out one day's rounds from ``start``, with breaks by rule (before a round rather than inside it)."""
    rest = next((r for r in rules if r.every is not None), None)
    fixed = sorted((r for r in rules if r.at is not None), key=lambda r: r.at)
    midnight = start.replace(hour=0, minute=0, second=0, microsecond=0)
    sessions: list[Session] = []
    clock, worked = start, 0

    def add_break(minutes: int, title: str = "Break") -> None:
        nonlocal clock, worked
        sessions.append(Session(clock, minutes, "break", title))
        clock += timedelta(minutes=minutes)
        worked = 0

    def rest_due(minutes: int) -> bool:
        if not (rest and worked and worked + minutes > rest.every):
            return False
        # A fixed break (lunch) coming soon takes the place of the rest break, if the work until it stays within
        # the limit (a session is split at the fixed break unless a part would be under 10 minutes).
        for rule in fixed:
            gap = int((midnight + timedelta(minutes=rule.at) - clock).total_seconds() // 60)
            until = gap if _MIN_PART <= gap <= minutes - _MIN_PART else minutes
            if gap <= _NEAR_FIXED and not _taken(sessions, rule, midnight) and worked + until <= rest.every:
                return False
        return True

    def take_fixed_break() -> None:
        """Take a fixed break (lunch) whose time has come (or is less than 10 minutes away)."""
        for rule in fixed:
            at = midnight + timedelta(minutes=rule.at)
            if clock >= at - timedelta(minutes=_MIN_PART) and not _taken(sessions, rule, midnight):
                add_break(rule.minutes, "Lunch break" if rule.minutes >= 30 else "Break")

    def add_block(block: _Block) -> None:
        nonlocal clock, worked
        if rest_due(block.minutes):
            add_break(rest.minutes)
        count = math.ceil(block.minutes / rest.every) if rest else 1
        sizes = [block.minutes // count + (1 if k < block.minutes % count else 0) for k in range(count)]
        pieces: list[int] = []
        for size in sizes:
            pieces += _split_at_fixed(clock + timedelta(minutes=sum(pieces)), size, fixed, midnight)
        for k, size in enumerate(pieces):
            take_fixed_break()
            if k and rest_due(size):
                add_break(rest.minutes)
            label = block.title if len(pieces) == 1 else f"{block.title}, part {k + 1} of {len(pieces)}"
            sessions.append(Session(clock, size, block.kind, label, block.module))
            clock += timedelta(minutes=size)
            worked += size

    for part in parts:
        take_fixed_break()
        whole = sum(block.minutes for block in part)
        if rest and whole <= rest.every and rest_due(whole):
            add_break(rest.minutes)  # before the round's teaching, not between it and its exercises
        for block in part:
            add_block(block)
    return sessions


def _plan_days(
    parts: list[list[_Block]], days: list[date], first: datetime, rules: Sequence[BreakRule]
) -> list[list[Session]]:
    """Try every way of ending the days between rounds; keep the most even one (a split module counts against)."""

    def module_of(part: list[_Block]) -> str | None:
        return part[0].module.id if part[0].module else None

    best, best_key = None, None
    for cuts in itertools.combinations(range(1, len(parts)), len(days) - 1):
        bounds = [0, *cuts, len(parts)]
        planned = []
        for day, a, b in zip(days, bounds, bounds[1:], strict=False):
            day_start = first.replace(year=day.year, month=day.month, day=day.day)
            planned.append(_plan_day(parts[a:b], day_start, rules))
        lengths = [(p[-1].end - p[0].start).total_seconds() / 60 for p in planned]
        inside = sum(1 for c in cuts if module_of(parts[c - 1]) and module_of(parts[c - 1]) == module_of(parts[c]))
        # Even days first (the spread of their lengths), a split inside a module counting as 15 minutes of it;
        # then the shortest longest day.
        mean = sum(lengths) / len(lengths)
        spread = math.sqrt(sum((length - mean) ** 2 for length in lengths) / len(lengths))
        key = (spread + 15 * inside, max(lengths))
        if best_key is None or key < best_key:
            best, best_key = planned, key
    return best


def _taken(sessions: Sequence[Session], rule: BreakRule, midnight: datetime) -> bool:
    title = "Lunch break" if rule.minutes >= 30 else "Break"
    at = midnight + timedelta(minutes=rule.at)
    return any(
        s.kind == "break" and s.title == title and s.minutes == rule.minutes and s.end > at - timedelta(hours=2)
        for s in sessions
    )


def _split_at_fixed(start: datetime, minutes: int, fixed: Sequence[BreakRule], midnight: datetime) -> list[int]:
    """Split a session at the clock time of a fixed break inside it, unless a part would be too short."""
    for rule in fixed:
        offset = int((midnight + timedelta(minutes=rule.at) - start).total_seconds() // 60)
        if _MIN_PART <= offset <= minutes - _MIN_PART:
            return [offset, minutes - offset]
    return [minutes]


def plan(
    modules: Sequence[str] | None = None,
    start: str | datetime = "2027-01-11 09:30",
    days: int = 1,
    breaks: Iterable[str] = DEFAULT_BREAKS,
    timezone: str = "UTC",
    course: Course | None = None,
    link: str = "",
    quizzes: bool | None = None,
) -> Schedule:
    """Plan a cohort's schedule from the course manifest.

    Parameters
    ----------
    modules : sequence of str, optional
        Module ids, in any order (they are taught in the course's order); all modules by default.
    start : str or datetime, default "2027-01-11 09:30"
        The first day and the daily start time, such as ``"2027-01-11 09:30"``.
    days : int, default 1
        On how many working days the modules are spread (a module is never split).
    breaks : iterable of str, default ``("10/75",)``
        Break rules; see the module's documentation. ``["none"]`` for no breaks.
    timezone : str, default "UTC"
        IANA time zone of the start time and of the calendar events.
    course : Course, optional
        By default the course shipped with the package.
    link : str, optional
        The meeting link (video call), carried into every event and the pages.
    quizzes : bool, optional
        Open with the pre-course quiz and close with the post-course quiz and the survey. By default, when every
        module of the course is planned.

    Returns
    -------
    Schedule

    Raises
    ------
    ValueError
        For an unknown module, a malformed start, time zone or break rule, or an impossible number of days.

    Examples
    --------
    >>> schedule = plan(["00-orientation", "05-recruitment-lp"], start="2027-01-11 09:30", breaks=["10/75"])
    >>> [(s.start.strftime("%H:%M"), s.kind, s.minutes) for s in schedule.sessions][:5]
    [('09:30', 'teaching', 20), ('09:50', 'exercise', 20), ('10:10', 'break', 10), ('10:20', 'teaching', 20), \
('10:40', 'exercise', 22)]
    """
    course = course or load_course()
    known = {m.id: m for m in course.modules}
    wanted = list(dict.fromkeys(modules)) if modules else list(known)
    unknown = [m for m in wanted if m not in known]
    if unknown:
        raise ValueError(f"Unknown module(s) {', '.join(unknown)}; known modules: {', '.join(known)}.")
    chosen = [m for m in course.modules if m.id in wanted]
    rules = parse_breaks(breaks)
    first = parse_start(start, timezone)
    if not 1 <= days <= len(chosen):
        raise ValueError(f"--days must be between 1 and the number of modules ({len(chosen)}), not {days}.")
    if link and not re.match(r"https?://\S+$", link):
        raise ValueError(f"A meeting link looks like 'https://meet.example.com/abc', not {link!r}.")
    parts = _blocks(chosen, len(chosen) == len(course.modules) if quizzes is None else quizzes)
    planned = _plan_days(parts, _working_days(first.date(), days), first, rules)
    return Schedule(course=course, timezone=timezone, days=tuple(tuple(d) for d in planned), rules=rules, link=link)
