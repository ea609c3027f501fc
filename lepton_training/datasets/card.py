"""Data cards: what a data set is, its columns, how it was made, its planted quirks and what it is not for.

A :class:`DataCard` is structured, so tests can compare its columns with the frame's and measure each quirk at
its documented rate; ``print(card)`` gives a plain-text card and, in a notebook, the card displays as an HTML
table that stays readable in light and dark themes.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field

__all__ = ["Column", "Quirk", "DataCard", "DTYPES"]

DTYPES: tuple[str, ...] = ("str", "int", "float", "bool", "datetime")
"""The dtype words a card may use: ``str`` (text, missing as NaN), ``int``, ``float`` (missing as NaN),
``bool`` and ``datetime`` (pandas ``datetime64``, missing as NaT)."""

_WIDTH = 112  # the plain-text card wraps at this width


@dataclass(frozen=True)
class Column:
    """One column of a data set.

    Parameters
    ----------
    name : str
        The column's name in the frame.
    dtype : str
        One of :data:`DTYPES`.
    unit : str
        Unit of the values, such as ``"USD"`` or ``"h"``; ``""`` when the values have none. A unit must appear
        in parentheses in the description, such as ``"hours attended (h)"``.
    description : str
        What a value means, its range and when it is missing.
    """

    name: str
    dtype: str
    unit: str
    description: str

    def __post_init__(self):
        if not self.name or not isinstance(self.name, str):
            raise ValueError("A column needs a name.")
        if self.dtype not in DTYPES:
            raise ValueError(f"Column {self.name!r}: dtype {self.dtype!r} is not one of {', '.join(DTYPES)}.")
        if self.unit and f"({self.unit})" not in self.description:
            raise ValueError(f"Column {self.name!r}: the description should name the unit as '({self.unit})'.")


@dataclass(frozen=True)
class Quirk:
    """A known imperfection of a data set, planted on purpose to be found and handled.

    Parameters
    ----------
    name : str
        A short snake_case id, such as ``"exact_duplicates"``.
    description : str
        What it looks like in the data and how it can be detected.
    rate : float or None
        The documented share of rows affected (0 to 1), or None when the quirk is not a share of rows (a
        pattern, a dependence, a leak).
    """

    name: str
    description: str
    rate: float | None = None

    def __post_init__(self):
        if self.rate is not None:
            if isinstance(self.rate, bool) or not isinstance(self.rate, int | float):
                raise TypeError(f"Quirk {self.name!r}: rate must be a float or None, not {self.rate!r}.")
            if not (math.isfinite(self.rate) and 0 <= self.rate <= 1):
                raise ValueError(f"Quirk {self.name!r}: rate must be between 0 and 1, not {self.rate!r}.")


@dataclass(frozen=True)
class DataCard:
    """The documentation of a data set, as a structured object.

    Parameters
    ----------
    name : str
        The data set's name, usually its generator's name.
    summary : str
        What it is, in one paragraph; a line break in the text starts a new line.
    columns : tuple of Column
        The columns, in the frame's order.
    generation : str
        How it was made. May be empty for a card that states it in its summary.
    quirks : tuple of Quirk
        The known imperfections, each with its documented rate.
    not_for : str
        What the data set must not be used for. May be empty.
    language_note : str, optional
        Languages of the text in it and how the course treats them.

    Examples
    --------
    >>> card = DataCard("demo", "A demo.", (Column("x", "float", "h", "hours (h)"),), "By hand.",
    ...                 (Quirk("missing_x", "Some x are missing.", 0.1),), "Anything real.")
    >>> card.column_names, card.rates
    (('x',), {'missing_x': 0.1})
    >>> print(card)  # doctest: +NORMALIZE_WHITESPACE
    Data card: demo
    <BLANKLINE>
    What it is
        A demo.
    <BLANKLINE>
    Columns
        x  float   hours (h)
    <BLANKLINE>
    How it was made
        By hand.
    <BLANKLINE>
    Known quirks
        missing_x (10% of rows): Some x are missing.
    <BLANKLINE>
    Not for
        Anything real.
    <BLANKLINE>
    """

    name: str
    summary: str
    columns: tuple[Column, ...]
    generation: str
    quirks: tuple[Quirk, ...] = field(default_factory=tuple)
    not_for: str = ""
    language_note: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "columns", tuple(self.columns))
        object.__setattr__(self, "quirks", tuple(self.quirks))
        if not all(isinstance(c, Column) for c in self.columns) or not self.columns:
            raise TypeError(f"Card {self.name!r}: columns must be a non-empty tuple of Column.")
        if not all(isinstance(q, Quirk) for q in self.quirks):
            raise TypeError(f"Card {self.name!r}: quirks must be a tuple of Quirk.")
        for what, names in (("column", self.column_names), ("quirk", [q.name for q in self.quirks])):
            repeated = sorted({n for n in names if list(names).count(n) > 1})
            if repeated:
                raise ValueError(f"Card {self.name!r}: {what} names repeated: {', '.join(repeated)}.")

    # --- look-ups ------------------------------------------------------------------------------------------------

    @property
    def column_names(self) -> tuple[str, ...]:
        """The columns' names, in order."""
        return tuple(c.name for c in self.columns)

    @property
    def rates(self) -> dict[str, float]:
        """The documented rate of each quirk that has one, by quirk name."""
        return {q.name: q.rate for q in self.quirks if q.rate is not None}

    def column(self, name: str) -> Column:
        """Return the column called ``name``; raise KeyError if there is none."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"Card {self.name!r} has no column {name!r}.")

    def quirk(self, name: str) -> Quirk:
        """Return the quirk called ``name``; raise KeyError if there is none."""
        for q in self.quirks:
            if q.name == name:
                return q
        raise KeyError(f"Card {self.name!r} has no quirk {name!r}.")

    # --- rendering -----------------------------------------------------------------------------------------------

    def _sections(self) -> list[tuple[str, str]]:
        """Return the prose sections after the columns, as (title, text) pairs; empty ones are left out."""
        sections = [("How it was made", self.generation)]
        return [(t, s) for t, s in sections if s and s.strip()]

    def __str__(self) -> str:
        lines = [f"Data card: {self.name}", "", "What it is", *_wrap(self.summary, 4), "", "Columns"]
        name_width = max(len(c.name) for c in self.columns) + 2
        dtype_width = max(len(c.dtype) for c in self.columns) + 3
        indent = 4 + name_width + dtype_width
        for c in self.columns:
            head = " " * 4 + c.name.ljust(name_width) + c.dtype.ljust(dtype_width)
            body = _wrap(c.description, indent)
            lines.append(head + body[0][indent:])
            lines += body[1:]
        for title, text in self._sections():
            lines += ["", title, *_wrap(text, 4)]
        if self.quirks:
            lines += ["", "Known quirks"]
            for q in self.quirks:
                lines += _wrap(_quirk_text(q), 4, hang=2)
        for title, text in (("Not for", self.not_for), ("Languages", self.language_note or "")):
            if text.strip():
                lines += ["", title, *_wrap(text, 4)]
        return "\n".join(lines) + "\n"

    def _repr_html_(self) -> str:
        from lepton_training.render import _BASE, _esc, _html_table, _inline, _paragraphs

        heading = 'style="margin: 0.7em 0 0.2em 0; font-size: 1em; font-weight: 700; color: inherit"'
        parts = [
            f'<div style="{_BASE}; margin: 0.6em 0" role="group" aria-label="Data card: {_esc(self.name)}">',
            f'<div style="font-size: 1.1em; font-weight: 700">Data card: <code>{_esc(self.name)}</code></div>',
            f"<div {heading}>What it is</div>{_paragraphs(self.summary)}",
        ]
        rows = [
            [f"<code>{_esc(c.name)}</code>", _esc(c.dtype), _esc(c.unit), _inline(c.description)] for c in self.columns
        ]
        parts.append(_html_table(["Column", "Type", "Unit", "Description"], rows, set(), caption="Columns"))
        for title, text in self._sections():
            parts.append(f"<div {heading}>{_esc(title)}</div>{_paragraphs(text)}")
        if self.quirks:
            rows = [
                [f"<code>{_esc(q.name)}</code>", _esc(_rate_text(q.rate)), _inline(q.description)] for q in self.quirks
            ]
            parts.append(_html_table(["Quirk", "Rate", "Description"], rows, {1}, caption="Known quirks"))
        for title, text in (("Not for", self.not_for), ("Languages", self.language_note or "")):
            if text.strip():
                parts.append(f"<div {heading}>{_esc(title)}</div>{_paragraphs(text)}")
        parts.append("</div>")
        return "".join(parts)


def _rate_text(rate: float | None) -> str:
    """Format a rate as a percentage without trailing zeros: 0.015 -> '1.5%'; None -> ''."""
    if rate is None:
        return ""
    return f"{round(rate * 100, 4):g}%"


def _quirk_text(quirk: Quirk) -> str:
    """Return the plain-text line of a quirk: its description, prefixed by its name and rate when it has a rate."""
    if quirk.rate is None:
        return quirk.description
    return f"{quirk.name} ({_rate_text(quirk.rate)} of rows): {quirk.description}"


def _wrap(text: str, indent: int, hang: int = 0) -> list[str]:
    """Wrap each line of ``text`` at the card's width, indented by ``indent`` spaces (plus ``hang`` after a wrap)."""
    pad, more = " " * indent, " " * (indent + hang)
    out: list[str] = []
    for line in str(text).strip("\n").split("\n"):
        out += textwrap.wrap(line, _WIDTH, initial_indent=pad, subsequent_indent=more, break_on_hyphens=False) or [""]
    return out
