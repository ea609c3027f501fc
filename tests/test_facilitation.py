"""The facilitator kit: the agenda (parsed back from its iCalendar file), the offline slides and the guide, for
every module that has an instructor notebook (a new module is covered without editing this file)."""

import html
import re
from datetime import datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from conftest import SOLUTIONS, cell_source, load_notebook, module_ids, nbgrader_meta

from lepton_training.cli import main
from lepton_training.facilitation.agenda import parse_breaks, plan, rounds
from lepton_training.facilitation.guide import STANDARD_MOVES, build_guide
from lepton_training.facilitation.notebook import answer_dependent_cells, note_body
from lepton_training.facilitation.slides import build_slides
from lepton_training.manifest import get_module, load_course
from lepton_training.site.links import _parse, external_resources

# The course's modules that have an instructor notebook now (modules are added while others are written).
MODULES = [m for m in module_ids() if m in {module.id for module in load_course().modules}]
BERLIN = ZoneInfo("Europe/Berlin")


def read_ics(data):
    from icalendar import Calendar

    calendar = Calendar.from_ical(data)
    events = [
        {
            "start": e.decoded("dtstart"),
            "end": e.decoded("dtend"),
            "summary": str(e["summary"]),
            "kind": e["categories"].cats[0].lower(),
            "uid": str(e["uid"]),
            "location": str(e.get("location", "")),
            "url": str(e.get("url", "")),
            "description": str(e.get("description", "")),
        }
        for e in calendar.walk("VEVENT")
    ]
    return calendar, sorted(events, key=lambda e: e["start"])


# --- agenda ------------------------------------------------------------------------------------------------------


def test_the_ics_parses_back_with_the_minutes_of_course_toml():
    schedule = plan(start="2027-01-11 09:30", days=1, breaks=["10/75"], timezone="Europe/Berlin")
    calendar, events = read_ics(schedule.to_ics(dtstamp=datetime(2026, 11, 1)))
    assert str(calendar["version"]) == "2.0" and "lepton-training" in str(calendar["prodid"])
    assert calendar.walk("VTIMEZONE"), "calendar tools need the time zone's definition"
    assert len({e["uid"] for e in events}) == len(events)
    for module in load_course().modules:
        for kind, planned in (("teaching", module.teaching_minutes), ("exercise", module.exercise_minutes)):
            minutes = sum(
                (e["end"] - e["start"]).total_seconds() / 60
                for e in events
                if e["kind"] == kind and e["summary"].startswith(module.title)
            )
            assert minutes == planned, (module.id, kind)
    assert events[0]["start"] == datetime(2027, 1, 11, 9, 30, tzinfo=BERLIN)
    assert events[0]["start"].utcoffset() == timedelta(hours=1)  # CET in January


def test_breaks_are_the_gaps_between_events_and_no_block_runs_too_long():
    schedule = plan(start="2027-01-11 09:30", days=3, breaks=["10/75", "12:30/45"], timezone="Europe/Berlin")
    _calendar, events = read_ics(schedule.to_ics())
    breaks = [s for s in schedule.sessions if s.kind == "break"]
    assert breaks and {b.minutes for b in breaks} <= {10, 45}
    gaps = [
        (b["start"] - a["end"]).total_seconds() / 60
        for a, b in zip(events, events[1:], strict=False)
        if a["start"].date() == b["start"].date()
    ]
    assert sorted(g for g in gaps if g) == sorted(b.minutes for b in breaks)
    for day in schedule.days:
        worked = 0
        for session in day:
            worked = 0 if session.kind == "break" else worked + session.minutes
            assert worked <= 75, f"{worked} minutes without a break on {session.start:%A}"
        lunch = [s for s in day if s.minutes == 45]
        if day[-1].end.hour * 60 + day[-1].end.minute > 12 * 60 + 40:
            assert lunch and "12:20" <= lunch[0].start.strftime("%H:%M") < "12:40", day
            assert day[day.index(lunch[0]) - 1].kind != "break", "a break runs into lunch"


def test_days_are_even_skip_the_weekend_and_interleave_teaching_and_exercises():
    # Friday 15 January 2027: the second day is Monday the 18th.
    schedule = plan(start="2027-01-15 09:00", days=2, breaks=["none"], timezone="UTC")
    assert [d[0].start.date().isoformat() for d in schedule.days] == ["2027-01-15", "2027-01-18"]
    assert all(d[0].start.strftime("%H:%M") == "09:00" for d in schedule.days)
    assert not [s for s in schedule.sessions if s.kind == "break"]
    lengths = [(day[-1].end - day[0].start).total_seconds() / 60 for day in schedule.days]
    longest_round = max(sum(r) for m in load_course().modules for r in rounds(m))
    assert max(lengths) - min(lengths) <= longest_round, lengths
    # Each module alternates teaching and exercises, in rounds whose minutes add up to course.toml's.
    for module in load_course().modules:
        kinds = [s.kind for s in schedule.sessions if s.module == module]
        assert kinds == ["teaching", "exercise"] * len(rounds(module)), (module.id, kinds)
        assert sum(t for t, _ in rounds(module)) == module.teaching_minutes
        assert sum(e for _, e in rounds(module)) == module.exercise_minutes
    assert len(rounds(get_module("01-data-prep"))) > 1


def test_the_whole_course_opens_with_the_quiz_and_closes_with_the_quiz_and_the_survey():
    schedule = plan(start="2027-01-11 09:30", days=3, breaks=["10/75", "12:30/45"])
    titles = [s.title for s in schedule.sessions if s.kind != "break"]
    assert titles[0] == "Pre-course quiz" and titles[-2:] == ["Post-course quiz", "Course survey"]
    assert "quiz" not in " ".join(s.title for s in plan(["01-data-prep"], start="2027-01-11 09:30").sessions)


def test_the_meeting_link_reaches_every_event_and_the_pages():
    link = "https://meet.example.com/lepton-cohort-7"
    schedule = plan(["00-orientation"], start="2027-01-11 09:30", link=link)
    _calendar, events = read_ics(schedule.to_ics())
    assert events and all(e["location"] == link and e["url"] == link for e in events)
    assert all(link in e["description"] for e in events)
    assert f'href="{link}"' in schedule.to_html() and f"<{link}>" in schedule.to_markdown()
    with pytest.raises(ValueError, match="meeting link"):
        plan(["00-orientation"], start="2027-01-11 09:30", link="meet.example.com")


def test_a_subset_of_modules_is_taught_in_course_order():
    schedule = plan(["05-recruitment-lp", "00-orientation"], start="2027-01-11 09:30")
    ids = [s.module.id for s in schedule.sessions if s.module]
    assert ids == sorted(ids) and set(ids) == {"00-orientation", "05-recruitment-lp"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"breaks": ["ten"]}, "break rule"),
        ({"breaks": ["10/75", "5/30"]}, "at most one"),
        ({"timezone": "Mars/Olympus"}, "Unknown time zone"),
        ({"start": "next monday"}, "start looks like"),
        ({"days": 0}, "--days"),
        ({"days": 7}, "--days"),
        ({"modules": ["99-nothing"]}, "Unknown module"),
    ],
)
def test_agenda_rejects_bad_input_with_a_message(kwargs, message):
    with pytest.raises(ValueError, match=message):
        plan(**{"start": "2027-01-11 09:30", **kwargs})


def test_parse_breaks():
    rules = parse_breaks(["10/75,12:30/45"])
    assert [(r.minutes, r.every, r.at) for r in rules] == [(10, 75, None), (45, None, 750)]


def test_agenda_command_writes_html_markdown_and_ics(tmp_path, capsys):
    status = main(
        ["agenda", "--start", "2027-01-11 09:30", "--days", "2", "--breaks", "10/75", "12:30/45"]
        + ["--timezone", "Europe/Berlin", "--out", str(tmp_path), "--link", "https://meet.example.com/x"]
    )
    assert status == 0
    printed = capsys.readouterr().out
    assert "Day 2: Tuesday 12 January 2027" in printed and "agenda.ics" in printed
    page = (tmp_path / "agenda.html").read_text()
    assert "Day 1: Monday 11 January 2027" in page and "<script" not in page
    assert not external_resources(_parse(tmp_path / "agenda.html"))
    markdown = (tmp_path / "agenda.md").read_text()
    assert "| 09:30 | 09:45 | Pre-course quiz | Exercise | 15 |" in markdown
    assert "| 09:45 | 10:05 | Orientation: how this course works | Teaching | 20 |" in markdown
    _calendar, events = read_ics((tmp_path / "agenda.ics").read_bytes())
    assert len({e["start"].date() for e in events}) == 2
    assert {e["location"] for e in events} == {"https://meet.example.com/x"}


def test_agenda_command_keeps_each_set_of_modules_in_its_own_folder(tmp_path, capsys):
    assert main(["agenda", "--start", "2027-01-11 09:30", "--root", str(tmp_path)]) == 0
    assert main(["agenda", "--modules", "00-orientation", "05-recruitment-lp", "--root", str(tmp_path)]) == 0
    whole = (tmp_path / "_build" / "agenda" / "agenda.md").read_text()
    short = (tmp_path / "_build" / "agenda-00-orientation-05-recruitment-lp" / "agenda.md").read_text()
    assert "Data preparation" in whole and "Data preparation" not in short


# --- slides ------------------------------------------------------------------------------------------------------


class _Text(HTMLParser):
    """The visible text of a page (scripts and styles dropped), and its links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.anchors, self._skip = [], set(), 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        if tag == "a":
            self.anchors.update(v for k, v in attrs if k == "href" and v)

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def page_text(path):
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return "".join(parser.parts), parser.anchors


def solution_lines(module_id):
    """Lines that only the solutions hold: from BEGIN to END SOLUTION, long enough to be specific."""
    nb = load_notebook(SOLUTIONS / module_id / f"{module_id}.ipynb")
    elsewhere = "\n".join(cell_source(c) for c in nb["cells"] if not nbgrader_meta(c).get("solution"))
    lines = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and nbgrader_meta(cell).get("solution"):
            inside = re.search(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", cell_source(cell), re.S)
            for line in (inside.group(1) if inside else "").splitlines():
                line = line.strip()
                if len(line) >= 25 and not line.startswith("#") and line not in elsewhere:
                    lines.append(line)
    return lines


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    folder = tmp_path_factory.mktemp("slides")
    built = {}
    for module_id in MODULES:
        for answers in ("hide", "show"):
            built[module_id, answers] = build_slides(SOLUTIONS.parent, module_id, answers, folder)
    return folder, built


def test_slides_load_nothing_from_the_network(decks):
    folder, built = decks
    assert (folder / "reveal.js" / "dist" / "reveal.js").is_file()
    assert (folder / "reveal.js" / "plugin" / "notes" / "notes.js").is_file()
    assert (folder / "mathjax" / "MathJax.js").is_file()
    assert (folder / "mathjax" / "config" / "TeX-AMS-MML_HTMLorMML-full.js").is_file()
    for deck in built.values():
        raw = deck.path.read_text(encoding="utf-8")
        assert not external_resources(_parse(deck.path)), deck.path.name
        # Every http(s) address left, once comments are removed, is a link a person may click.
        stripped = re.sub(r"/\*.*?\*/|<!--.*?-->", "", raw, flags=re.S)
        _text, anchors = page_text(deck.path)
        for url in re.findall(r"https?://[^\s\"'<>)]+", stripped):
            assert html.unescape(url) in anchors, f"{deck.path.name}: {url} is not a link"
        for local in re.findall(r'(?:src|href)="((?:reveal\.js|mathjax)/[^"?#]+)', raw):
            assert (folder / local).is_file(), local
        for cdn in ("unpkg.com", "cdnjs", "jsdelivr", "require.js", "jquery"):
            assert cdn not in stripped.lower(), f"{deck.path.name} mentions {cdn}"


@pytest.mark.parametrize("module_id", MODULES)
def test_facilitator_notes_are_speaker_notes(decks, module_id):
    _folder, built = decks
    nb = load_notebook(SOLUTIONS / module_id / f"{module_id}.ipynb")
    notes = [c for c in nb["cells"] if "facilitator" in c["metadata"].get("tags", [])]
    for answers in ("hide", "show"):
        deck = built[module_id, answers]
        raw = deck.path.read_text(encoding="utf-8")
        assert deck.notes == len(notes) == raw.count('<aside class="notes">') > 0
        notes_html = " ".join(re.findall(r'<aside class="notes">(.*?)</aside>', raw, re.S))
        asides = " ".join(re.findall(r"[A-Za-z]{3,}", html.unescape(re.sub(r"<[^>]+>", " ", notes_html))))
        for note in notes:
            words = " ".join(re.findall(r"[A-Za-z]{3,}", note_body(note))[:8])
            assert words in asides, f"{module_id}: the facilitator note {words!r}... is not a speaker note"


@pytest.mark.parametrize("module_id", MODULES)
def test_speaker_notes_belong_to_their_slide_not_a_fragment(decks, module_id):
    """reveal.js's speaker view skips notes inside a fragment: each note must sit on its slide, shown on arrival."""
    from bs4 import BeautifulSoup

    from lepton_training.facilitation.notebook import instructor_notebook, is_facilitator_cell, prepare

    _folder, built = decks
    soup = BeautifulSoup(built[module_id, "hide"].path.read_text(encoding="utf-8"), "html.parser")
    assert not soup.select(".fragment aside.notes"), f"{module_id}: notes inside fragments"
    leaves = [s for s in soup.select(".reveal .slides section") if not s.find("section")]
    with_notes = [s for s in leaves if s.find("aside", class_="notes", recursive=False)]
    # The slides (and sub-slides) of the notebook that hold a note: each shows it on arrival.
    nb = prepare(instructor_notebook(SOLUTIONS.parent, module_id), answers=False, notes=True, skip_tests=True)
    slides, current = [], False
    for cell in nb.cells:
        kind = cell.metadata.get("slideshow", {}).get("slide_type", "-")
        if kind in ("slide", "subslide") and not is_facilitator_cell(cell):
            slides.append(current)
            current = False
        current = current or is_facilitator_cell(cell)
    slides.append(current)
    assert len(with_notes) == sum(slides) > 0


def test_every_figure_of_the_05_deck_has_alternative_text(decks):
    from bs4 import BeautifulSoup

    _folder, built = decks
    for answers in ("hide", "show"):
        soup = BeautifulSoup(built["05-recruitment-lp", answers].path.read_text(encoding="utf-8"), "html.parser")
        images = soup.find_all("img")
        assert images
        for image in images:
            alt = image.get("alt", "")
            assert len(alt) > 30 and "No description" not in alt, alt
        assert any(image["alt"].startswith("The shaded area holds every plan") for image in images)


def test_exercise_timers_take_their_minutes_from_the_notes_or_course_toml():
    from lepton_training.facilitation.notebook import instructor_notebook, prepare
    from lepton_training.facilitation.slides import exercise_minutes

    nb = prepare(instructor_notebook(SOLUTIONS.parent, "02-model-optimization"), answers=False, notes=True)
    minutes = exercise_minutes(nb, "02-model-optimization")
    statements = [c for c in nb.cells if re.fullmatch(r"q\d+-statement", nbgrader_meta(c).get("grade_id", ""))]
    assert len(minutes) == len(statements)
    # "(5 of teaching, 10 for the exercise)" in exercise 1's section note.
    assert next(m for heading, m in minutes.items() if heading.startswith("Exercise 1")) == 10
    assert all(3 <= m <= 30 for m in minutes.values())


@pytest.mark.parametrize("module_id", MODULES)
def test_answers_are_hidden_or_shown(decks, module_id):
    _folder, built = decks
    hidden, _ = page_text(built[module_id, "hide"].path)
    shown, _ = page_text(built[module_id, "show"].path)
    lines = solution_lines(module_id)
    assert lines, f"{module_id}: no specific solution line to look for"
    for line in lines:
        assert line not in hidden, f"{module_id}: the hidden deck shows the solution line {line!r}"
    assert sum(line in shown for line in lines) >= len(lines) * 0.9, f"{module_id}: solutions missing when shown"
    assert "NotImplementedError" in hidden and "NotImplementedError" not in shown
    for text in (hidden, shown):
        assert "HIDDEN TESTS" not in text and "hidden=" not in text  # hidden tests never reach a slide
        assert "not written this answer" not in text.lower() and "Invalid answer" not in text


def test_cleared_cells_are_exactly_those_that_need_an_answer():
    nb = load_notebook(SOLUTIONS / "00-orientation" / "00-orientation.ipynb")
    cleared = answer_dependent_cells(nb)
    assert {"q1-answer", "q1-check", "q1-tests", "s5-progress"} <= set(cleared)
    # Feedback that teaches, on a function the notebook gives, stays.
    assert "s2-feedback-demo" not in cleared and "q2-colleague" not in cleared


def test_slides_command(tmp_path, capsys):
    assert main(["slides", "00-orientation", "--answers", "show", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "00-orientation-slides-answers.html").is_file()
    assert "answers shown" in capsys.readouterr().out
    assert main(["slides", "99-nothing", "--out", str(tmp_path)]) == 1


# --- guide -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("module_id", MODULES)
def test_the_guide_has_every_note_in_reading_order(tmp_path, module_id):
    guide, paths = build_guide(SOLUTIONS.parent, module_id, tmp_path)
    markdown = paths["markdown"].read_text()
    module = get_module(module_id)
    assert markdown.startswith(f"# Facilitator guide: {module.title}")
    assert f"{module.total_minutes} min" in markdown
    nb = load_notebook(SOLUTIONS / module_id / f"{module_id}.ipynb")
    notes = [note_body(c) for c in nb["cells"] if "facilitator" in c["metadata"].get("tags", [])]
    positions = [markdown.find(note) for note in notes]
    assert -1 not in positions and positions == sorted(positions), "notes missing or out of order"
    for heading in ("## Timing", "## At a glance", "### Discussion prompts and polls", "### Common mistakes"):
        assert heading in markdown
    for heading in STANDARD_MOVES:
        assert f"## {heading}" in markdown
    exercises = [c for c in nb["cells"] if re.fullmatch(r"q\d+-statement", nbgrader_meta(c).get("grade_id", ""))]
    assert sum(len(s.exercises) for s in guide.sections) == len(exercises)
    page = paths["html"].read_text()
    assert "<script" not in page and not external_resources(_parse(paths["html"]))
    assert "<table>" in page and "Facilitator guide" in page


@pytest.mark.parametrize("module_id", MODULES)
def test_the_guide_timing_table_gives_minutes(tmp_path, module_id):
    """Whether the notes announce minutes per section or the opening note gives a plan, the table is filled."""
    guide, _paths = build_guide(SOLUTIONS.parent, module_id, tmp_path)
    timed = [s for s in guide.sections if s.minutes is not None]
    with_exercises = [s for s in guide.sections if s.exercises]
    assert timed, f"{module_id}: the timing table is all '–'"
    assert all(s.minutes is not None for s in with_exercises), [s.title for s in with_exercises if s.minutes is None]


def test_guide_reads_the_opening_plan_when_sections_announce_no_minutes():
    from lepton_training.facilitation.guide import read_guide

    note = (
        "**Facilitator note.** **Timing:** 60 minutes. A plan: setup and section 1, 8 min; section 2 and exercise "
        "1, 15 min; break, 10 min; section 3,\n20 min; submission and key points, 3 min. If the room is slow, skip 3."
    )
    slide = {"slideshow": {"slide_type": "slide"}}
    titles = ("1. Load", "2. Audit", "3. Fit", "Key points")
    cells = [
        {"cell_type": "markdown", "metadata": slide, "source": "# Demo"},
        {"cell_type": "markdown", "metadata": {"tags": ["facilitator"]}, "source": note},
        *[{"cell_type": "markdown", "metadata": slide, "source": f"## {title}"} for title in titles],
    ]
    guide = read_guide({"cells": cells}, get_module("00-orientation"))
    assert [(s.title, s.minutes, s.break_after) for s in guide.sections] == [
        ("Opening", None, None),
        ("1. Load", 8, None),
        ("2. Audit", 15, 10),
        ("3. Fit", 20, None),
        ("Key points", 3, None),
    ]
    assert "| *Break* | 10 | – |" in guide.to_markdown()


def test_guide_of_module_00_collects_prompts_and_polls(tmp_path):
    guide, _paths = build_guide(SOLUTIONS.parent, "00-orientation", tmp_path)
    prompts = [text for _section, text in guide.prompts()]
    assert any(text.startswith("Have you used Jupyter notebooks before?") for text in prompts)
    assert any("How confident are you" in text for text in prompts)
    assert any("Common mistake" in text for _s, text in guide.paragraphs(__import__("re").compile("Common")))


def test_guide_command(tmp_path, capsys):
    assert main(["guide", "00-orientation", "--out", str(tmp_path)]) == 0
    assert "facilitator notes" in capsys.readouterr().out
    assert main(["guide", "99-nothing", "--out", str(tmp_path)]) == 1


def test_prepare_drops_the_course_records_and_hidden_tests():
    import nbformat

    from lepton_training.facilitation.notebook import instructor_notebook, prepare

    nb = instructor_notebook(SOLUTIONS.parent, "00-orientation")
    nb.cells[1].outputs.append(
        nbformat.v4.new_output("display_data", data={"application/vnd.lepton-training.events+json": {}})
    )
    for answers in (True, False):
        shown = prepare(nb, answers=answers, notes=False)
        text = nbformat.writes(shown)
        assert "application/vnd.lepton-training." not in text and "BEGIN HIDDEN TESTS" not in text
        assert not any("facilitator" in c.metadata.get("tags", []) for c in shown.cells)
    assert "application/vnd.lepton-training.events+json" in nbformat.writes(nb), "the source is not changed"
