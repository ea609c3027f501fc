"""HTML building blocks of the course: module headers, callouts, feedback, hints, progress and agenda.

Every function returns an :class:`Html` object. It displays as HTML in JupyterLab, Colab and exported HTML
(nbconvert), and as readable plain text in a terminal, in ``print()`` and in the ``text/plain`` output.

Design rules, which the tests enforce:

* **Safe.** All text is escaped with :func:`html.escape` (quotes included), so a learner's string can never
  inject markup or script. The only markup allowed in text is inline code: a pair of backticks, as in
  ```df.head()```, becomes ``<code>`` *after* escaping. Links accept ``http(s)`` addresses only.
* **Legible in every theme.** Inline styles only (no ``<style>`` block, no script, no external image); text
  colour is inherited from the theme; backgrounds are semi-transparent tints over whatever background the
  theme has; meaning is carried by strong coloured left borders *and* a label word (colour is never the
  only signal). Colours come from the colour-blind-safe Okabe-Ito palette. Colours are literal ``#hex`` and
  ``rgba()`` values rather than CSS variables, because JupyterLab's sanitizer (used for the saved outputs of
  untrusted notebooks) drops declarations it cannot parse, such as ``var(...)``.
* **Deterministic.** No random ids and no timestamps: the same input gives byte-identical HTML, so that
  notebooks can be compared output for output.
* **Light.** Only the standard library and the (standard-library only) course manifest are imported.
"""

from __future__ import annotations

import html as _html
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from lepton_training.manifest import Course, Module, load_course

__all__ = [
    "Html",
    "stack",
    "module_header",
    "header_for",
    "callout",
    "key_points",
    "agenda",
    "agenda_for_course",
    "feedback",
    "hint",
    "explanation",
    "progress",
    "CALLOUT_KINDS",
    "FEEDBACK_STATUSES",
    "PROGRESS_STATUSES",
    "AGENDA_KINDS",
]


# --- the result type ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class Html:
    """A piece of rendered output: HTML for notebooks and a plain-text form for terminals.

    Parameters
    ----------
    html : str
        The HTML, returned by ``_repr_html_`` (JupyterLab, Colab, nbconvert).
    text : str
        The plain-text form, returned by ``str()`` and ``repr()`` (``print``, ``text/plain``).

    Examples
    --------
    >>> part = Html("<b>hi</b>", "hi")
    >>> print(part)
    hi
    >>> part._repr_html_()
    '<b>hi</b>'
    """

    html: str
    text: str = ""

    def __post_init__(self):
        if not isinstance(self.html, str) or not isinstance(self.text, str):
            raise TypeError("Html needs two strings: html and text.")

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text

    def __add__(self, other: object) -> Html:
        if isinstance(other, Html):
            return stack(self, other)
        return NotImplemented


def stack(*parts: Html | str) -> Html:
    """Join rendered parts, one below the other, into one :class:`Html`.

    Parameters
    ----------
    *parts : Html or str
        The parts, in order. A plain string becomes an escaped paragraph (backtick code allowed).

    Returns
    -------
    Html
        HTML joined with newlines; text joined with blank lines.

    Raises
    ------
    TypeError
        If a part is neither :class:`Html` nor ``str``.

    Examples
    --------
    >>> print(stack(callout("tip", "Save often."), "Then `submit`."))
    [Tip] Save often.
    <BLANKLINE>
    Then `submit`.
    """
    htmls: list[str] = []
    texts: list[str] = []
    for part in parts:
        if isinstance(part, str):
            part = Html(f'<div style="{_PARAGRAPH}">{_inline(part)}</div>', part)
        if not isinstance(part, Html):
            raise TypeError(f"stack() joins Html objects or strings, not {type(part).__name__}.")
        htmls.append(part.html)
        texts.append(part.text)
    return Html("\n".join(htmls), "\n\n".join(texts))


# --- palette and styles ------------------------------------------------------------------------------------------


class _Tone(NamedTuple):
    """A colour of the Okabe-Ito palette, with the text colour that contrasts best on it."""

    hex: str
    rgb: tuple[int, int, int]
    on: str  # text colour on a solid background of this colour (WCAG contrast >= 4.5)

    def tint(self, alpha: float) -> str:
        r, g, b = self.rgb
        return f"rgba({r}, {g}, {b}, {alpha:.2f})"


# Okabe & Ito (2008), "Color Universal Design". Contrast of the label text on each: 5.2, 9.3, 5.4, 6.1, 9.1, 6.9.
_BLUE = _Tone("#0072B2", (0, 114, 178), "#FFFFFF")
_ORANGE = _Tone("#E69F00", (230, 159, 0), "#000000")
_VERMILLION = _Tone("#D55E00", (213, 94, 0), "#000000")
_GREEN = _Tone("#009E73", (0, 158, 115), "#000000")
_SKY = _Tone("#56B4E9", (86, 180, 233), "#000000")
_PURPLE = _Tone("#CC79A7", (204, 121, 167), "#000000")

# A neutral grey at low opacity reads as a faint line on white and on near-black alike.
_RULE = "rgba(128, 128, 128, 0.45)"
_RULE_STRONG = "rgba(128, 128, 128, 0.70)"
_SHADE = "rgba(128, 128, 128, 0.12)"

_BASE = "color: inherit; text-align: left; line-height: 1.45"
_PARAGRAPH = "margin: 0.35em 0 0 0"
_LIST = "margin: 0.2em 0 0 0; padding-left: 1.4em"
_ITEM = "margin: 0.1em 0"
_CODE = (
    "color: inherit; background: rgba(128, 128, 128, 0.18); padding: 0 0.3em; border-radius: 3px; "
    "font-size: 0.92em; white-space: pre-wrap"
)
_PRE = (
    "color: inherit; background: rgba(128, 128, 128, 0.18); padding: 0.4em 0.6em; border-radius: 3px; "
    "font-size: 0.92em; margin: 0.35em 0 0 0; white-space: pre; overflow-x: auto; text-align: left"
)


def _box_style(tone: _Tone, *, border: int = 5, alpha: float = 0.10) -> str:
    return (
        f"{_BASE}; margin: 0.6em 0; padding: 0.6em 0.9em; border-left: {border}px solid {tone.hex}; "
        f"border-radius: 4px; background: {tone.tint(alpha)}"
    )


def _pill(tone: _Tone, icon: str, label: str) -> str:
    """Return a solid label such as "✓ Passed": the word carries the meaning, the colour supports it."""
    style = (
        f"display: inline-block; padding: 0.05em 0.5em; margin: 0 0.5em 0 0; border-radius: 3px; "
        f"background: {tone.hex}; color: {tone.on}; font-weight: 700; font-size: 0.88em; white-space: nowrap"
    )
    return f'<span style="{style}"><span aria-hidden="true">{icon}</span> {_esc(label)}</span>'


# --- escaping ----------------------------------------------------------------------------------------------------

_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def _esc(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return _html.escape(str(value), quote=True)


def _inline(value: object) -> str:
    """Escape text, then turn backtick pairs into ``<code>``; the only markup text may carry."""
    escaped = _esc(value)
    return _CODE_SPAN.sub(lambda m: f'<code style="{_CODE}">{m.group(1)}</code>', escaped)


def _inline_lines(value: object) -> str:
    """Like :func:`_inline`, keeping line breaks."""
    return "<br>".join(_inline(line) for line in str(value).split("\n"))


_FENCE = re.compile(r"```[a-z]*\n(.*?)```", re.S)


def _paragraphs(value: object) -> str:
    """Escaped paragraphs, split at blank lines; single line breaks are kept; fenced code keeps its layout."""
    out = []
    text = str(value)
    position = 0
    for match in _FENCE.finditer(text):
        out.append(_plain_paragraphs(text[position : match.start()]))
        out.append(f'<pre style="{_PRE}"><code>{_esc(match.group(1).rstrip())}</code></pre>')
        position = match.end()
    out.append(_plain_paragraphs(text[position:]))
    return "".join(out)


def _plain_paragraphs(value: str) -> str:
    paras = [p.strip("\n") for p in re.split(r"\n[ \t]*\n", value.strip("\n"))]
    return "".join(f'<div style="{_PARAGRAPH}">{_inline_lines(p)}</div>' for p in paras if p.strip())


def _items(values: Iterable[object]) -> str:
    lis = "".join(f'<li style="{_ITEM}">{_inline_lines(v)}</li>' for v in values)
    return f'<ul style="{_LIST}">{lis}</ul>'


def _safe_url(url: object) -> str:
    """Return an ``http(s)`` address, escaped for an attribute; reject anything else."""
    if not isinstance(url, str):
        raise TypeError(f"A link must be a string, not {type(url).__name__}.")
    if any(ord(c) <= 0x20 or ord(c) == 0x7F for c in url):
        raise ValueError(f"A link may not contain spaces or control characters: {url!r}.")
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        raise ValueError(f"Only http:// and https:// links are allowed, not {url!r}.")
    return _esc(url)


# --- plain text helpers ------------------------------------------------------------------------------------------


def _text_block(label: str, title: str | None, message: object, details: Iterable[object] = ()) -> str:
    """``[Label] title: message`` then indented continuation lines and ``  - detail`` lines."""
    lines = str(message).strip("\n").split("\n") if str(message).strip() else []
    head = f"[{label}]"
    if title:
        head += f" {title}" + (":" if lines else "")
    if lines:
        head += f" {lines[0]}"
    out = [head.rstrip()]
    out += [f"  {line}".rstrip() for line in lines[1:]]
    for detail in details:
        first, *rest = str(detail).split("\n")
        out.append(f"  - {first}".rstrip())
        out += [f"    {line}".rstrip() for line in rest]
    return "\n".join(out)


def _one_line(value: object) -> str:
    return " ".join(str(value).split())


def _text_table(headers: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    """Return an aligned plain-text table: a header, a rule of dashes, the rows."""
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        padded = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))]
        return "  ".join(padded).rstrip()

    return [line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows]


def _html_table(
    headers: list[str], rows: list[list[str]], right: set[int], footer: str | None = None, caption: str = ""
) -> str:
    """Return an HTML table; ``rows`` hold cells that are already HTML (escaped)."""
    table = (
        "border-collapse: collapse; border-spacing: 0; border: none; margin: 0.4em 0; color: inherit; "
        "font-size: inherit; table-layout: auto; width: auto"
    )

    def cell_style(i: int, rule: str, weight: str = "normal") -> str:
        align = "right" if i in right else "left"
        return (
            f"text-align: {align}; vertical-align: top; padding: 0.3em 0.8em; border: none; "
            f"border-bottom: {rule}; font-weight: {weight}; white-space: normal"
        )

    head = "".join(
        f'<th scope="col" style="{cell_style(i, f"2px solid {_RULE_STRONG}", "700")}">{_esc(h)}</th>'
        for i, h in enumerate(headers)
    )
    body = "".join(
        '<tr style="background: transparent">'
        + "".join(f'<td style="{cell_style(i, f"1px solid {_RULE}")}">{c}</td>' for i, c in enumerate(row))
        + "</tr>"
        for row in rows
    )
    foot = ""
    if footer is not None:
        foot = (
            f'<tfoot><tr style="background: {_SHADE}"><td colspan="{len(headers)}" '
            f'style="text-align: left; padding: 0.35em 0.8em; border: none; font-weight: 700">'
            f"{footer}</td></tr></tfoot>"
        )
    cap = ""
    if caption:
        cap = (
            f'<caption style="caption-side: top; text-align: left; font-weight: 700; padding: 0 0 0.3em 0; '
            f'color: inherit">{_inline(caption)}</caption>'
        )
    return (
        f'<table style="{table}">{cap}<thead><tr style="background: {_SHADE}">{head}</tr></thead>'
        f"<tbody>{body}</tbody>{foot}</table>"
    )


def _field(row: object, name: str) -> Any:
    """Read ``name`` from a mapping or an object's attribute."""
    if isinstance(row, Mapping):
        if name not in row:
            raise ValueError(f"Row {row!r} has no {name!r}.")
        return row[name]
    if not hasattr(row, name):
        raise ValueError(f"Row {row!r} has no {name!r}.")
    return getattr(row, name)


def _minutes(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a whole number of minutes >= 0, not {value!r}.")
    return value


def _points(value: object) -> str:
    """Points without noise: 2 -> '2', 0.5 -> '0.5', 0.1 + 0.2 -> '0.3'."""
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


# --- module header -----------------------------------------------------------------------------------------------


def module_header(
    title: str,
    objectives: Iterable[str],
    teaching_minutes: int,
    exercise_minutes: int,
    prerequisites: Iterable[str] = (),
    colab_url: str | None = None,
    show_title: bool = True,
) -> Html:
    """Render the header of a module: title, objectives, minutes, prerequisites and an "Open in Colab" link.

    Parameters
    ----------
    title : str
        The module's title.
    objectives : iterable of str
        What the learner will be able to do, each starting with a verb.
    teaching_minutes, exercise_minutes : int
        Planned minutes of teaching and of exercises; the total is shown too.
    prerequisites : iterable of str, optional
        What the learner needs first; shown as "none" when empty.
    colab_url : str, optional
        ``http(s)`` address of the notebook on Colab. The link is styled text, not an external badge
        image, so that it works offline.
    show_title : bool, default True
        False when the notebook shows the title itself (its markdown heading, which JupyterLab's table of
        contents and exported pages use): the header then opens with "About this module" instead.

    Returns
    -------
    Html

    Raises
    ------
    ValueError
        If ``colab_url`` is not an ``http(s)`` address or a number of minutes is negative.

    Examples
    --------
    >>> print(module_header("Data preparation", ["Load data"], 40, 35, ["Basic Python"]))
    Data preparation
    ================
    Time: 40 min teaching + 35 min exercises = 75 min total
    You will be able to:
      - Load data
    Prerequisites:
      - Basic Python
    """
    teaching = _minutes(teaching_minutes, "teaching_minutes")
    exercises = _minutes(exercise_minutes, "exercise_minutes")
    total = teaching + exercises
    objectives = [str(o) for o in objectives]
    prerequisites = [str(p) for p in prerequisites]
    href = None if colab_url is None else _safe_url(colab_url)

    heading = "font-size: 1.6em; font-weight: 700; line-height: 1.25; margin: 0 0 0.35em 0"
    section = "font-weight: 700; margin: 0.6em 0 0 0"
    time = (
        f"<strong>Time:</strong> {teaching} min teaching &middot; {exercises} min exercises "
        f"&middot; <strong>{total} min total</strong>"
    )
    parts = [
        f'<div style="{_box_style(_BLUE, border=6, alpha=0.08)}; padding: 0.8em 1.1em">',
        f'<div role="heading" aria-level="1" style="{heading}">{_inline(title)}</div>'
        if show_title
        else f'<div role="heading" aria-level="2" style="{section}; margin-top: 0">About this module</div>',
        f'<div style="margin: 0">{time}</div>',
        f'<div style="{section}">You will be able to</div>',
        _items(objectives) if objectives else f'<div style="{_PARAGRAPH}">(no objectives listed)</div>',
        f'<div style="{section}">Prerequisites</div>',
        _items(prerequisites) if prerequisites else f'<div style="{_PARAGRAPH}">None</div>',
    ]
    if href is not None:
        badge = (
            "display: inline-block; padding: 0.25em 0.8em; border-radius: 4px; background: #E69F00; "
            "color: #000000; font-weight: 700; text-decoration: none; border: 1px solid rgba(0, 0, 0, 0.35)"
        )
        parts.append(
            f'<div style="margin: 0.8em 0 0 0"><a href="{href}" target="_blank" rel="noopener noreferrer" '
            f'title="Open this notebook in Google Colab" style="{badge}">'
            f'<span aria-hidden="true">&#9654;</span> Open in Colab</a></div>'
        )
    parts.append("</div>")

    shown = str(title) if show_title else "About this module"
    text = [shown, "=" * max(len(shown), 3)]
    text.append(f"Time: {teaching} min teaching + {exercises} min exercises = {total} min total")
    text.append("You will be able to:")
    text += [f"  - {o}" for o in objectives] or ["  (no objectives listed)"]
    text.append("Prerequisites:")
    text += [f"  - {p}" for p in prerequisites] or ["  None"]
    if colab_url is not None:
        text.append(f"Open in Colab: {colab_url}")
    return Html("".join(parts), "\n".join(text))


def header_for(module: Module, course: Course | None = None, *, show_title: bool = False) -> Html:
    """Render a module's header from the course manifest, with its "Open in Colab" link.

    Prerequisites that are module ids are shown with the module's title. The title itself is left to the
    notebook's markdown heading, so that it appears once.

    Parameters
    ----------
    module : lepton_training.manifest.Module
        The module, such as ``get_module("00-orientation")``.
    course : lepton_training.manifest.Course, optional
        The course it belongs to; by default the course shipped with the package.
    show_title : bool, default False
        Also show the title in the header (for a page that has no heading of its own).

    Returns
    -------
    Html

    Examples
    --------
    >>> from lepton_training.manifest import get_module
    >>> "colab.research.google.com" in header_for(get_module("00-orientation")).html
    True
    """
    course = load_course() if course is None else course
    titles = {m.id: m.title for m in course.modules}
    prerequisites = [f"{titles[p]} (module `{p}`)" if p in titles else p for p in module.prerequisites]
    return module_header(
        module.title,
        module.objectives,
        module.teaching_minutes,
        module.exercise_minutes,
        prerequisites,
        colab_url=course.colab_url(module),
        show_title=show_title,
    )


# --- callouts and key points -------------------------------------------------------------------------------------

# kind -> (label, icon, colour)
_CALLOUTS: dict[str, tuple[str, str, _Tone]] = {
    "note": ("Note", "&#8505;", _BLUE),  # ℹ
    "tip": ("Tip", "&#10022;", _GREEN),  # ✦
    "warning": ("Warning", "&#9888;", _ORANGE),  # ⚠
    "exercise": ("Exercise", "&#9998;", _PURPLE),  # ✎
}
CALLOUT_KINDS: tuple[str, ...] = tuple(_CALLOUTS)
"""The kinds :func:`callout` accepts."""


def callout(kind: str, body: str, title: str | None = None) -> Html:
    """Render a highlighted box: a note, a tip, a warning or an exercise.

    Parameters
    ----------
    kind : {"note", "tip", "warning", "exercise"}
        Sets the colour and the label word ("Note", "Tip", "Warning", "Exercise").
    body : str
        The text; blank lines separate paragraphs and ```backticks``` mark inline code.
    title : str, optional
        A heading shown after the label.

    Returns
    -------
    Html

    Raises
    ------
    ValueError
        If ``kind`` is unknown; the message lists the valid kinds.

    Examples
    --------
    >>> print(callout("warning", "Restart the kernel before `Run All`.", title="Stale state"))
    [Warning] Stale state: Restart the kernel before `Run All`.
    """
    if kind not in _CALLOUTS:
        raise ValueError(f"Unknown callout kind {kind!r}; valid kinds are: {', '.join(CALLOUT_KINDS)}.")
    label, icon, tone = _CALLOUTS[kind]
    heading = _pill(tone, icon, label)
    if title:
        heading += f"<strong>{_inline(title)}</strong>"
    html = f'<div role="note" style="{_box_style(tone)}"><div>{heading}</div>{_paragraphs(body)}</div>'
    return Html(html, _text_block(label, title, body))


def key_points(points: Iterable[str], next_step: str | None = None) -> Html:
    """Render the "Key points" summary that closes a section, with an optional next step.

    Parameters
    ----------
    points : iterable of str
        One sentence each.
    next_step : str, optional
        What to do next, shown after an arrow.

    Returns
    -------
    Html

    Examples
    --------
    >>> print(key_points(["Check answers with `check()`."], next_step="Module 01"))
    Key points:
      - Check answers with `check()`.
    Next: Module 01
    """
    points = [str(p) for p in points]
    parts = [
        f'<div role="note" style="{_box_style(_BLUE)}">',
        f"<div>{_pill(_BLUE, '&#9733;', 'Key points')}</div>",  # ★
        _items(points),
    ]
    text = ["Key points:"] + [f"  - {p}" for p in points]
    if next_step is not None:
        parts.append(
            f'<div style="{_PARAGRAPH}; margin-top: 0.5em"><strong>Next:</strong> '
            f'<span aria-hidden="true">&#8594;</span> {_inline(next_step)}</div>'
        )
        text.append(f"Next: {next_step}")
    parts.append("</div>")
    return Html("".join(parts), "\n".join(text))


# --- feedback and hints ------------------------------------------------------------------------------------------

# status -> (label, icon, colour)
_FEEDBACK: dict[str, tuple[str, str, _Tone]] = {
    "passed": ("Passed", "&#10003;", _GREEN),  # ✓
    "incorrect": ("Not yet", "&#10007;", _VERMILLION),  # ✗
    "invalid": ("Invalid answer", "&#9888;", _ORANGE),  # ⚠
    "info": ("Note", "&#8505;", _BLUE),  # ℹ
}
FEEDBACK_STATUSES: tuple[str, ...] = tuple(_FEEDBACK)
"""The statuses :func:`feedback` accepts."""


def feedback(status: str, title: str, message: str, details: Iterable[str] = ()) -> Html:
    """Render the result of a check: a label word, a title, a message and optional details.

    Parameters
    ----------
    status : {"passed", "incorrect", "invalid", "info"}
        Shown as "Passed", "Not yet", "Invalid answer" or "Note", with a matching colour and icon.
    title : str
        A short heading, such as the question's title; may be empty.
    message : str
        One or two sentences for the learner.
    details : iterable of str, optional
        Specifics, shown as a list.

    Returns
    -------
    Html

    Raises
    ------
    ValueError
        If ``status`` is unknown.

    Examples
    --------
    >>> print(feedback("incorrect", "Q1", "The mean is too high.", ["row 3 differs"]))
    [Not yet] Q1: The mean is too high.
      - row 3 differs
    """
    if status not in _FEEDBACK:
        raise ValueError(f"Unknown feedback status {status!r}; valid statuses are: {', '.join(FEEDBACK_STATUSES)}.")
    label, icon, tone = _FEEDBACK[status]
    details = [str(d) for d in details]
    heading = _pill(tone, icon, label)
    if title:
        heading += f"<strong>{_inline(title)}</strong>"
    parts = [f'<div role="status" style="{_box_style(tone)}">', f"<div>{heading}</div>", _paragraphs(message)]
    if details:
        parts.append(_items(details))
    parts.append("</div>")
    return Html("".join(parts), _text_block(label, title, message, details))


def hint(level: int, total: int, text: str) -> Html:
    """Render hint number ``level`` of ``total``, as in "Hint 1 of 3: ...".

    Parameters
    ----------
    level : int
        1 for the gentlest hint.
    total : int
        How many hints the question has.
    text : str
        The hint.

    Returns
    -------
    Html

    Raises
    ------
    ValueError
        Unless ``1 <= level <= total``.

    Examples
    --------
    >>> print(hint(1, 3, "Look at `df.isna()`."))
    Hint 1 of 3: Look at `df.isna()`.
    """
    for name, value in (("level", level), ("total", total)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name} must be a whole number, not {value!r}.")
    if not 1 <= level <= total:
        raise ValueError(f"A hint level must be between 1 and {total}, not {level}.")
    label = f"Hint {level} of {total}"
    html = (
        f'<div role="note" style="{_box_style(_SKY)}">'
        f"<div>{_pill(_SKY, '&#9873;', label)}</div>{_paragraphs(text)}</div>"  # ⚑
    )
    body = str(text).strip("\n").split("\n")
    lines = [f"{label}: {body[0]}".rstrip()] + [f"  {line}".rstrip() for line in body[1:]]
    return Html(html, "\n".join(lines))


# --- explanations ------------------------------------------------------------------------------------------------

_EMPHASIS = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|\*(?=[^\s*])(.+?)(?<=[^\s*])\*")
_LIST_ITEM = re.compile(r"^(?:[*-]|\d+\.)\s+")


def _emphasis(escaped: str) -> str:
    """Turn ``**bold**`` and ``*italic*`` of already escaped text into ``<strong>`` and ``<em>``."""
    return _EMPHASIS.sub(
        lambda m: f"<strong>{m.group(1)}</strong>" if m.group(1) is not None else f"<em>{m.group(2)}</em>", escaped
    )


def _markdown_inline(value: str) -> str:
    """Escape a line of Markdown, then code spans, bold and italic; emphasis never reaches inside code."""
    spans: list[str] = []

    def hold(match: re.Match) -> str:
        spans.append(f'<code style="{_CODE}">{_esc(match.group(1))}</code>')
        return f"\x00{len(spans) - 1}\x00"

    # Code spans are set aside first, so that `a*b*c` stays code and **`CODE`.** is bold code.
    held = _emphasis(_esc(_CODE_SPAN.sub(hold, value)))
    return re.sub("\x00(\\d+)\x00", lambda m: spans[int(m.group(1))], held)


def _markdown_block(block: str) -> str:
    lines = block.split("\n")
    if lines[0].startswith("#"):
        heading = lines[0].lstrip("#").strip()
        rest = "\n".join(lines[1:]).strip("\n")
        html = f'<div style="{_PARAGRAPH}"><strong>{_markdown_inline(heading)}</strong></div>'
        return html + (_markdown_block(rest) if rest else "")
    if _LIST_ITEM.match(lines[0]):
        items: list[str] = []
        for line in lines:
            if _LIST_ITEM.match(line):
                items.append(_LIST_ITEM.sub("", line, count=1))
            else:  # an item's continuation line, indented under it
                items[-1] += " " + line.strip()
        tag = "ol" if lines[0][:1].isdigit() else "ul"
        lis = "".join(f'<li style="{_ITEM}">{_markdown_inline(item)}</li>' for item in items)
        return f'<{tag} style="{_LIST}">{lis}</{tag}>'
    # Markdown joins the lines of a paragraph: authors wrap their text, readers see it flow.
    return f'<div style="{_PARAGRAPH}">{_markdown_inline(" ".join(line.strip() for line in lines))}</div>'


def _markdown(value: str) -> str:
    """Render the Markdown an author writes in a notebook cell, a small and safe subset of it.

    Paragraphs, ``#`` headings (shown bold), bulleted and numbered lists, fenced code, code spans, bold and
    italic. Everything is escaped first; nothing else becomes markup (no links, images or raw HTML).
    """
    out = []
    position = 0
    text = str(value)
    for match in _FENCE.finditer(text):
        out += [_markdown_blocks(text[position : match.start()])]
        out.append(f'<pre style="{_PRE}"><code>{_esc(match.group(1).rstrip())}</code></pre>')
        position = match.end()
    out.append(_markdown_blocks(text[position:]))
    return "".join(out)


def _markdown_blocks(value: str) -> str:
    blocks = [b.strip("\n") for b in re.split(r"\n[ \t]*\n", value.strip("\n"))]
    return "".join(_markdown_block(b) for b in blocks if b.strip())


def explanation(title: str, text: str) -> Html:
    """Render the explanation of a graded answer, as ``q1.explain()`` shows it after an attempt.

    Parameters
    ----------
    title : str
        The question's title.
    text : str
        The explanation, in Markdown as an author writes it in a notebook (see :func:`_markdown` for the
        subset shown); the plain-text form is the Markdown itself, which reads well as text.

    Returns
    -------
    Html

    Examples
    --------
    >>> print(explanation("Find the leaks", "**Why.** The date is written *after* the decision."))
    [Explanation] Find the leaks:
      **Why.** The date is written *after* the decision.
    >>> "<strong>Why.</strong>" in explanation("Q", "**Why.** Because.")._repr_html_()
    True
    """
    heading = _pill(_PURPLE, "&#128161;", "Explanation")  # 💡
    if title:
        heading += f"<strong>{_inline(title)}</strong>"
    html = f'<div role="note" style="{_box_style(_PURPLE)}"><div>{heading}</div>{_markdown(text)}</div>'
    body = str(text).strip("\n").split("\n")
    head = "[Explanation]" + (f" {title}:" if title else "")
    return Html(html, "\n".join([head] + [f"  {line}".rstrip() for line in body]))


# --- progress ----------------------------------------------------------------------------------------------------

# status -> (label, icon, colour or None for an outlined, neutral label)
_PROGRESS: dict[str, tuple[str, str, _Tone | None]] = {
    "passed": ("Passed", "&#10003;", _GREEN),
    "not yet": ("Not yet", "&#10007;", _VERMILLION),
    "invalid": ("Invalid", "&#9888;", _ORANGE),
    "not attempted": ("Not attempted", "&#9675;", None),  # ○
}
PROGRESS_STATUSES: tuple[str, ...] = tuple(_PROGRESS)
"""The statuses a row of :func:`progress` may have."""


def _progress_status(value: object) -> str:
    status = " ".join(str(value).lower().replace("_", " ").replace("-", " ").split())
    if status not in _PROGRESS:
        raise ValueError(f"Unknown progress status {value!r}; valid statuses are: {', '.join(PROGRESS_STATUSES)}.")
    return status


def progress(rows: Iterable[object], title: str = "Your progress") -> Html:
    """Render a learner's progress: one line per question and the points whose public checks pass.

    Parameters
    ----------
    rows : iterable of mapping or object
        Each with ``question`` (id), ``title``, ``status`` (one of "passed", "not yet", "invalid",
        "not attempted") and ``points`` (points at stake).
    title : str, optional
        Caption of the table.

    Returns
    -------
    Html
        A table whose last line gives the questions passed and the points passed out of the points at stake.

    Raises
    ------
    ValueError
        If a row lacks a field, has an unknown status or negative points.

    Examples
    --------
    >>> rows = [{"question": "q1", "title": "Load", "status": "passed", "points": 1},
    ...         {"question": "q2", "title": "Clean", "status": "not yet", "points": 2}]
    >>> print(progress(rows))
    Your progress
    Question  Title  Status   Points
    --------  -----  -------  ------
    q1        Load   Passed        1
    q2        Clean  Not yet       2
    Total: 1 of 2 questions passed, 1 of 3 points (public checks)
    """
    html_rows: list[list[str]] = []
    text_rows: list[list[str]] = []
    passed_points = total_points = 0.0
    passed = count = 0
    for row in rows:
        status = _progress_status(_field(row, "status"))
        points = float(_field(row, "points"))
        if not math.isfinite(points) or points < 0:
            raise ValueError(f"Points must be a finite number >= 0, not {points!r}.")
        label, icon, tone = _PROGRESS[status]
        if tone is None:
            badge = (
                '<span style="display: inline-block; padding: 0 0.45em; border-radius: 3px; '
                f'border: 1px solid {_RULE_STRONG}; font-size: 0.88em; white-space: nowrap">'
                f'<span aria-hidden="true">{icon}</span> {_esc(label)}</span>'
            )
        else:
            badge = _pill(tone, icon, label)
        question, name = _field(row, "question"), _field(row, "title")
        html_rows.append([_inline(question), _inline(name), badge, _esc(_points(points))])
        text_rows.append([_one_line(question), _one_line(name), label, _points(points)])
        count += 1
        total_points += points
        if status == "passed":
            passed += 1
            passed_points += points
    totals = (
        f"Total: {passed} of {count} questions passed, "
        f"{_points(passed_points)} of {_points(total_points)} points (public checks)"
    )
    headers = ["Question", "Title", "Status", "Points"]
    html = f'<div style="{_BASE}; margin: 0.6em 0">{_html_table(headers, html_rows, {3}, _esc(totals), title)}</div>'
    text = ([str(title)] if title else []) + _text_table(headers, text_rows, {3}) + [totals]
    return Html(html, "\n".join(text))


# --- agenda ------------------------------------------------------------------------------------------------------

# kind -> (label, colour)
_AGENDA: dict[str, tuple[str, _Tone | None]] = {
    "teaching": ("Teaching", _BLUE),
    "exercise": ("Exercise", _PURPLE),
    "break": ("Break", None),
}
AGENDA_KINDS: tuple[str, ...] = tuple(_AGENDA)
"""The kinds a row of :func:`agenda` may have."""

_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")


def _clock_minutes(value: str) -> int:
    """``"09:00"`` -> 540."""
    match = _CLOCK.fullmatch(value.strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ValueError(f"A start time must look like '09:00' (24-hour clock), not {value!r}.")
    return int(match.group(1)) * 60 + int(match.group(2))


def _format_start(value: object) -> str:
    """Format a clock time as ``HH:MM`` and an offset in minutes from the session start as ``+H:MM``."""
    if isinstance(value, str):
        minutes = _clock_minutes(value)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    offset = _minutes(value, "start offset")
    return f"+{offset // 60}:{offset % 60:02d}"


def _clock(minutes: int) -> str:
    minutes %= 24 * 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def agenda(rows: Iterable[object]) -> Html:
    """Render a session agenda as a table: start, session, kind and minutes, with totals.

    Parameters
    ----------
    rows : iterable of mapping or object
        Each with ``start`` (a clock time such as ``"09:00"``, or an int: minutes from the session
        start, shown as ``+H:MM``), ``title``, ``minutes`` and ``kind`` ("teaching", "exercise" or "break").

    Returns
    -------
    Html

    Raises
    ------
    ValueError
        If a row lacks a field, has an unknown kind, a malformed start or negative minutes.

    Examples
    --------
    >>> print(agenda([{"start": "09:00", "title": "Welcome", "minutes": 15, "kind": "teaching"},
    ...               {"start": "09:15", "title": "Coffee", "minutes": 10, "kind": "break"}]))
    Start  Session  Kind      Minutes
    -----  -------  --------  -------
    09:00  Welcome  Teaching       15
    09:15  Coffee   Break          10
    Total: 25 min (15 teaching, 0 exercises, 10 breaks)
    """
    html_rows: list[list[str]] = []
    text_rows: list[list[str]] = []
    per_kind = dict.fromkeys(_AGENDA, 0)
    for row in rows:
        kind = str(_field(row, "kind"))
        if kind not in _AGENDA:
            raise ValueError(f"Unknown agenda kind {kind!r}; valid kinds are: {', '.join(AGENDA_KINDS)}.")
        start = _format_start(_field(row, "start"))
        minutes = _minutes(_field(row, "minutes"), "minutes")
        title = _field(row, "title")
        per_kind[kind] += minutes
        label, tone = _AGENDA[kind]
        if tone is None:
            kind_html = f'<span style="font-style: italic">{_esc(label)}</span>'
        else:
            swatch = f"display: inline-block; width: 0.3em; height: 1em; margin-right: 0.4em; background: {tone.hex}"
            kind_html = f'<span aria-hidden="true" style="{swatch}"></span>{_esc(label)}'
        title_html = _inline(title) if kind != "break" else f'<span style="font-style: italic">{_inline(title)}</span>'
        html_rows.append([_esc(start), title_html, kind_html, str(minutes)])
        text_rows.append([start, _one_line(title), label, str(minutes)])
    total = sum(per_kind.values())
    totals = (
        f"Total: {total} min ({per_kind['teaching']} teaching, {per_kind['exercise']} exercises, "
        f"{per_kind['break']} breaks)"
    )
    headers = ["Start", "Session", "Kind", "Minutes"]
    html = f'<div style="{_BASE}; margin: 0.6em 0">{_html_table(headers, html_rows, {3}, _esc(totals))}</div>'
    return Html(html, "\n".join(_text_table(headers, text_rows, {3}) + [totals]))


def agenda_for_course(course: Course | None = None, start: str = "09:00") -> Html:
    """Render the agenda of a whole course: each module's teaching, then its exercises, back to back.

    Parameters
    ----------
    course : lepton_training.manifest.Course, optional
        By default the course shipped with the package.
    start : str, optional
        Clock time of the first session, such as ``"09:00"``.

    Returns
    -------
    Html

    Examples
    --------
    >>> rows = str(agenda_for_course(start="09:00")).splitlines()
    >>> [row[:5] for row in rows[2:5]]
    ['09:00', '09:15', '09:30']
    """
    course = load_course() if course is None else course
    clock = _clock_minutes(start)
    rows = []
    for module in course.modules:
        for kind, minutes, title in (
            ("teaching", module.teaching_minutes, module.title),
            ("exercise", module.exercise_minutes, f"{module.title} (exercises)"),
        ):
            if minutes:
                rows.append({"start": _clock(clock), "title": title, "minutes": minutes, "kind": kind})
                clock += minutes
    return agenda(rows)
