"""Tests of lepton_training.render: escaping, text forms, theming rules, determinism, tables."""

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest

from lepton_training import render
from lepton_training.manifest import Course, Module, get_module, load_course
from lepton_training.render import Html

EVIL = "<script>alert(1)</script>"
QUOTE = '"onmouseover=alert(1) x="'
AMP = "Tom & Jerry"
NASTY = f"{EVIL} {QUOTE} {AMP}"

ALLOWED_TAGS = {
    "div",
    "span",
    "strong",
    "ul",
    "li",
    "code",
    "a",
    "br",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRS = {"style", "href", "target", "rel", "title", "role", "aria-level", "aria-hidden", "scope", "colspan"}
OKABE_ITO = {"#0072B2", "#E69F00", "#D55E00", "#009E73", "#56B4E9", "#CC79A7"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.attrs = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data):
        self.text.append(data)


def parse(html):
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


@dataclass
class Row:
    question: str
    title: str
    status: str
    points: float


def _progress_rows(text=""):
    return [
        {"question": f"q1{text}", "title": f"Load{text}", "status": "passed", "points": 1},
        Row("q2", "Clean", "not yet", 2.5),
        SimpleNamespace(question="q3", title="Format", status="invalid", points=1),
        {"question": "q4", "title": "Submit", "status": "not attempted", "points": 0.5},
    ]


def _agenda_rows(text=""):
    return [
        {"start": "09:00", "title": f"Welcome{text}", "minutes": 15, "kind": "teaching"},
        SimpleNamespace(start="09:15", title="Practice", minutes=30, kind="exercise"),
        {"start": "09:45", "title": "Coffee", "minutes": 10, "kind": "break"},
    ]


def all_renderings(text=""):
    """Every renderer, with ``text`` placed in every text field it has."""
    return {
        "header": render.module_header(
            f"Title{text}", [f"Objective{text}", "Second"], 10, 20, [f"Prereq{text}"], "https://example.org/nb"
        ),
        "header_empty": render.module_header(f"T{text}", [], 0, 0, []),
        **{
            f"callout_{kind}": render.callout(kind, f"Body{text}\n\nSecond{text}", title=f"Head{text}")
            for kind in render.CALLOUT_KINDS
        },
        "key_points": render.key_points([f"Point{text}"], next_step=f"Next{text}"),
        **{
            f"feedback_{status}": render.feedback(status, f"Title{text}", f"Message{text}", [f"Detail{text}"])
            for status in render.FEEDBACK_STATUSES
        },
        "hint": render.hint(2, 3, f"Hint{text}"),
        "progress": render.progress(_progress_rows(text), title=f"Progress{text}"),
        "agenda": render.agenda(_agenda_rows(text)),
        "stack": render.stack(render.hint(1, 1, "h"), f"Plain{text}"),
    }


# --- Html ---------------------------------------------------------------------------------------------------------


def test_html_object_displays_html_and_text():
    part = Html("<b>x</b>", "x")
    assert part._repr_html_() == "<b>x</b>"
    assert str(part) == "x"
    assert repr(part) == "x"
    assert part == Html("<b>x</b>", "x")
    with pytest.raises(TypeError):
        Html(None, "x")


def test_stack_joins_html_and_text():
    a, b = Html("<i>a</i>", "a"), Html("<i>b</i>", "b")
    joined = render.stack(a, b)
    assert joined.html == "<i>a</i>\n<i>b</i>"
    assert joined.text == "a\n\nb"
    assert a + b == joined
    assert render.stack() == Html("", "")


def test_stack_escapes_strings_and_rejects_other_types():
    joined = render.stack(f"see `x` {EVIL}")
    assert "<script" not in joined.html
    assert "<code" in joined.html
    assert joined.text == f"see `x` {EVIL}"
    with pytest.raises(TypeError, match="int"):
        render.stack(Html("", ""), 3)


# --- escaping -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(all_renderings()))
def test_every_renderer_escapes_text(name):
    html = all_renderings(NASTY)[name].html
    assert "<script" not in html.lower()
    assert '"onmouseover' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&quot;onmouseover=alert(1) x=&quot;" in html
    assert "Tom &amp; Jerry" in html
    assert " & " not in html
    parsed = parse(html)
    assert set(parsed.tags) <= ALLOWED_TAGS
    assert {attr for attr, _ in parsed.attrs} <= ALLOWED_ATTRS
    # Whatever the markup, the learner's string comes back verbatim as text.
    assert NASTY in "".join(parsed.text)


@pytest.mark.parametrize("name", sorted(all_renderings()))
def test_text_form_keeps_the_raw_string(name):
    assert NASTY in all_renderings(NASTY)[name].text


def test_text_fields_cover_every_renderer():
    # Guards the two tests above: each rendering must actually contain the probe in its text form.
    for name, part in all_renderings("PROBE").items():
        assert "PROBE" in part.text, name
        assert "PROBE" in part.html, name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("run `check()` now", 'run <code style="{}">check()</code> now'),
        ("`a < b` & `c`", '<code style="{}">a &lt; b</code> &amp; <code style="{}">c</code>'),
        ("`<b>bold</b>`", '<code style="{}">&lt;b&gt;bold&lt;/b&gt;</code>'),
        ('`" onclick="x`', '<code style="{}">&quot; onclick=&quot;x</code>'),
        ("a lone ` backtick", "a lone ` backtick"),
        ("``", "``"),
    ],
)
def test_backticks_become_code_after_escaping(text, expected):
    html = render.callout("note", text).html
    style = re.search(r'<code style="([^"]*)">', html)
    expected = expected.format(*[style.group(1) if style else ""] * expected.count("{}"))
    assert expected in html


def test_backticks_in_every_text_field():
    for name, part in all_renderings("`code`").items():
        if name == "stack":
            continue
        assert "<code" in part.html, name
        assert "`code`" in part.text, name


# --- links --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:x",
        "ftp://example.org/x",
        "/relative/path",
        "//example.org/x",
        "https://",
        "https://example.org/a b",
    ],
)
def test_only_http_links_are_accepted(url):
    with pytest.raises(ValueError, match="link"):
        render.module_header("T", ["o"], 1, 1, [], colab_url=url)


def test_link_attribute_is_escaped():
    html = render.module_header("T", ["o"], 1, 1, [], colab_url='https://example.org/?a="b"&c=<d>').html
    assert 'href="https://example.org/?a=&quot;b&quot;&amp;c=&lt;d&gt;"' in html
    assert "Open in Colab" in html
    assert "http://example.org" in render.module_header("T", [], 1, 1, colab_url="http://example.org").html


# --- header -------------------------------------------------------------------------------------------------------


def test_module_header_text_form():
    header = render.module_header("Data prep", ["Load data", "Clean data"], 40, 35, ["Basic Python"], "https://x.org")
    assert header.text.splitlines() == [
        "Data prep",
        "=========",
        "Time: 40 min teaching + 35 min exercises = 75 min total",
        "You will be able to:",
        "  - Load data",
        "  - Clean data",
        "Prerequisites:",
        "  - Basic Python",
        "Open in Colab: https://x.org",
    ]
    assert "75 min total" in header.html
    assert "You will be able to" in header.html


def test_module_header_rejects_negative_minutes():
    with pytest.raises(ValueError, match="teaching_minutes"):
        render.module_header("T", [], -1, 0)


def test_header_for_uses_the_manifest_and_colab_url():
    module = get_module("00-orientation")
    url = load_course().colab_url(module)
    header = render.header_for(module)
    assert f'href="{url}"' in header.html
    assert url in header.text
    # The notebook's markdown heading shows the title; the header does not repeat it (unless asked to).
    assert module.title not in header.text and module.title not in header.html
    assert module.title in render.header_for(module, show_title=True).text
    for objective in module.objectives:
        assert objective in header.text
    assert f"{module.total_minutes} min total" in header.text


def test_header_for_names_prerequisite_modules():
    header = render.header_for(get_module("01-data-prep"))
    assert "Orientation: how this course works (module `00-orientation`)" in header.text
    assert "<code" in header.html


# --- callouts, feedback, hints ------------------------------------------------------------------------------------


def test_unknown_callout_kind_lists_valid_kinds():
    with pytest.raises(ValueError, match="note, tip, warning, exercise") as info:
        render.callout("danger", "x")
    assert "'danger'" in str(info.value)


def test_callout_text_forms():
    assert str(render.callout("tip", "Save often.")) == "[Tip] Save often."
    assert str(render.callout("warning", "Line 1\nLine 2", title="Careful")) == "[Warning] Careful: Line 1\n  Line 2"
    assert str(render.callout("exercise", "Do it.", title="Exercise 1")) == "[Exercise] Exercise 1: Do it."


def test_callout_paragraphs():
    html = render.callout("note", "First.\n\nSecond,\nsame paragraph.").html
    assert re.search(r">First\.</div><div style=\"[^\"]*\">Second,<br>same paragraph\.</div>", html)


def test_key_points_text():
    part = render.key_points(["One", "Two"], next_step="Module 01")
    assert part.text == "Key points:\n  - One\n  - Two\nNext: Module 01"
    assert "Key points" in part.html
    assert "Module 01" in part.html
    assert "Next" not in render.key_points(["One"]).text


@pytest.mark.parametrize(
    ("status", "label"),
    [("passed", "Passed"), ("incorrect", "Not yet"), ("invalid", "Invalid answer"), ("info", "Note")],
)
def test_feedback_has_a_label_word_for_each_status(status, label):
    part = render.feedback(status, "Q1", "Message.", ["first", "second"])
    assert part.text == f"[{label}] Q1: Message.\n  - first\n  - second"
    assert f"> {label}</span>" in part.html  # the word, not only the colour
    assert part.html.count("<li") == 2


def test_feedback_without_title_or_details():
    assert render.feedback("passed", "", "Correct.").text == "[Passed] Correct."
    assert "<ul" not in render.feedback("passed", "", "Correct.").html


def test_feedback_statuses_have_distinct_colours():
    boxes = [render.feedback(status, "t", "m").html for status in render.FEEDBACK_STATUSES]
    colours = {re.search(r"border-left: 5px solid (#\w+)", html).group(1) for html in boxes}
    assert len(colours) == 4


def test_unknown_feedback_status():
    with pytest.raises(ValueError, match="passed, incorrect, invalid, info"):
        render.feedback("failed", "t", "m")


def test_hint():
    part = render.hint(1, 3, "Look at `df.isna()`.")
    assert part.text == "Hint 1 of 3: Look at `df.isna()`."
    assert "Hint 1 of 3" in part.html
    assert "<code" in part.html
    for level, total in [(0, 3), (4, 3), (1, 0), (True, 3)]:
        with pytest.raises(ValueError, match="whole number|between 1 and"):
            render.hint(level, total, "x")


# --- progress -----------------------------------------------------------------------------------------------------


def test_progress_totals():
    part = render.progress(_progress_rows(), title="Module 01")
    total_line = "Total: 1 of 4 questions passed, 1 of 5 points (public checks)"
    assert part.text.splitlines()[0] == "Module 01"
    assert part.text.splitlines()[-1] == total_line
    assert total_line in part.html
    for label in ["Passed", "Not yet", "Invalid", "Not attempted"]:
        assert label in part.text
        assert label in part.html


def test_progress_totals_with_fractions():
    rows = [
        {"question": "a", "title": "A", "status": "passed", "points": 0.1},
        {"question": "b", "title": "B", "status": "passed", "points": 0.2},
        {"question": "c", "title": "C", "status": "not_attempted", "points": 1.25},
    ]
    assert str(render.progress(rows)).splitlines()[-1] == (
        "Total: 2 of 3 questions passed, 0.3 of 1.55 points (public checks)"
    )


def test_progress_text_table_is_aligned():
    lines = str(render.progress(_progress_rows(), title="")).splitlines()
    table = lines[:-1]
    assert table[0].split() == ["Question", "Title", "Status", "Points"]
    assert set(table[1]) <= {"-", " "}
    # Points are right-aligned: every line of the table ends in the same column.
    assert len({len(line) for line in table}) == 1
    status_column = table[0].index("Status")
    assert [line[status_column:].split("  ")[0] for line in table[2:]] == [
        "Passed",
        "Not yet",
        "Invalid",
        "Not attempted",
    ]


def test_progress_works_with_exercise_rows():
    from lepton_training.exercises import ProgressRow

    part = render.progress([ProgressRow("q9", "Double it", "passed", 2.0)], title="M")
    assert "q9" in part.text
    assert "Double it" in part.text
    assert "2 of 2 points" in part.text


def test_progress_rejects_bad_rows():
    with pytest.raises(ValueError, match="not attempted"):
        render.progress([{"question": "q", "title": "t", "status": "done", "points": 1}])
    with pytest.raises(ValueError, match="points"):
        render.progress([{"question": "q", "title": "t", "status": "passed"}])
    with pytest.raises(ValueError, match=">= 0"):
        render.progress([{"question": "q", "title": "t", "status": "passed", "points": -1}])


def test_progress_empty():
    assert str(render.progress([])).splitlines()[-1] == "Total: 0 of 0 questions passed, 0 of 0 points (public checks)"


# --- agenda -------------------------------------------------------------------------------------------------------


def _course(*minutes):
    modules = tuple(
        Module(id=f"0{i}-m", title=f"Module {i}", objectives=("Do",), teaching_minutes=t, exercise_minutes=e)
        for i, (t, e) in enumerate(minutes)
    )
    return Course(title="C", repository="o/r", branch="main", modules=modules)


def _starts(part):
    return [line.split()[0] for line in str(part).splitlines()[2:-1]]


def test_agenda_for_course_computes_clock_times():
    part = render.agenda_for_course(_course((15, 15), (40, 35)), start="09:00")
    assert _starts(part) == ["09:00", "09:15", "09:30", "10:10"]
    assert str(part).splitlines()[-1] == "Total: 105 min (55 teaching, 50 exercises, 0 breaks)"
    assert "Module 1 (exercises)" in str(part)


def test_agenda_for_course_wraps_past_midnight_and_accepts_short_hours():
    assert _starts(render.agenda_for_course(_course((20, 30)), start="23:50")) == ["23:50", "00:10"]
    assert _starts(render.agenda_for_course(_course((5, 5)), start="9:00")) == ["09:00", "09:05"]


def test_agenda_for_the_shipped_course():
    course = load_course()
    part = render.agenda_for_course(start="09:00")
    first = course.modules[0]
    t1, t2 = 9 * 60 + first.teaching_minutes, 9 * 60 + first.total_minutes
    assert _starts(part)[:3] == ["09:00", f"{t1 // 60:02d}:{t1 % 60:02d}", f"{t2 // 60:02d}:{t2 % 60:02d}"]
    total = sum(m.total_minutes for m in course.modules)
    assert f"Total: {total} min" in part.text
    for module in course.modules:
        assert module.title in part.text


@pytest.mark.parametrize("start", ["9am", "24:00", "09:60", "0900", ""])
def test_agenda_rejects_bad_start(start):
    with pytest.raises(ValueError, match="09:00"):
        render.agenda_for_course(_course((5, 5)), start=start)


def test_agenda_rows_and_offsets():
    part = render.agenda(_agenda_rows())
    lines = part.text.splitlines()
    assert lines[0].split() == ["Start", "Session", "Kind", "Minutes"]
    assert lines[2].split() == ["09:00", "Welcome", "Teaching", "15"]
    assert lines[4].split() == ["09:45", "Coffee", "Break", "10"]
    assert lines[-1] == "Total: 55 min (15 teaching, 30 exercises, 10 breaks)"
    assert len({len(line) for line in lines[:-1]}) == 1  # minutes right-aligned
    offsets = render.agenda([{"start": 75, "title": "Lab", "minutes": 5, "kind": "exercise"}])
    assert offsets.text.splitlines()[2].split()[0] == "+1:15"


def test_agenda_rejects_bad_rows():
    with pytest.raises(ValueError, match="teaching, exercise, break"):
        render.agenda([{"start": "09:00", "title": "x", "minutes": 5, "kind": "lunch"}])
    with pytest.raises(ValueError, match="minutes"):
        render.agenda([{"start": "09:00", "title": "x", "minutes": -5, "kind": "break"}])
    with pytest.raises(ValueError, match="kind"):
        render.agenda([{"start": "09:00", "title": "x", "minutes": 5}])


# --- theming and determinism --------------------------------------------------------------------------------------


def test_inline_styles_only_and_colour_blind_safe_palette():
    html = (
        "".join(part.html for part in all_renderings().values()) + render.header_for(get_module("00-orientation")).html
    )
    lowered = html.lower()
    for forbidden in ["<style", "<script", "<img", "<link", "class=", "id=", "javascript:", "url("]:
        assert forbidden not in lowered, forbidden
    hexes = {h.upper() for h in re.findall(r"#[0-9A-Fa-f]{6}\b", html)}
    assert hexes <= OKABE_ITO | {"#000000", "#FFFFFF"}
    # Backgrounds of boxes are translucent tints, so that both light and dark themes show through.
    assert "rgba(0, 114, 178, 0.10)" in html
    assert "border-collapse: collapse" in html


def test_text_colour_is_inherited_not_fixed():
    # Fixed text colours appear only on solid labels (white/black on a palette colour), never on tints.
    html = "".join(part.html for part in all_renderings().values())
    for style in re.findall(r'style="([^"]*)"', html):
        colour = re.search(r"(?:^|; )color: ([^;]+)", style)
        if colour and colour.group(1) != "inherit":
            assert colour.group(1) in {"#000000", "#FFFFFF"}, style
            assert re.search(r"background: #[0-9A-F]{6}", style), style


def test_rendering_is_deterministic():
    first = {name: (part.html, part.text) for name, part in all_renderings(NASTY).items()}
    second = {name: (part.html, part.text) for name, part in all_renderings(NASTY).items()}
    assert first == second
    assert render.agenda_for_course().html == render.agenda_for_course().html


def test_rendering_is_identical_across_processes():
    code = (
        "import hashlib\n"
        "from lepton_training import render\n"
        "from lepton_training.manifest import get_module\n"
        "parts = [render.header_for(get_module('00-orientation')), render.agenda_for_course(),\n"
        "         render.progress([{'question': 'q', 'title': 't', 'status': 'passed', 'points': 1}]),\n"
        "         render.feedback('invalid', 't', 'm', ['d']), render.callout('tip', 'x')]\n"
        "print(hashlib.sha256(render.stack(*parts).html.encode()).hexdigest())\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1
