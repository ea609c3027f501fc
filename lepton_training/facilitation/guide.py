"""A facilitator guide per module, generated from the notebook's ``facilitator`` cells, as Markdown and HTML.

The notes live beside the content in the instructor notebook (markdown cells tagged ``facilitator``, slide
type ``notes``). The guide puts them in reading order for the person running the call:

1. the module's facts from ``course.toml`` (minutes, objectives, prerequisites);
2. a timing table: each section, the minutes its note announces (a note that opens with ``**12 minutes.**``),
   its exercises, and whether the minutes add up to what ``course.toml`` plans;
3. at a glance: every discussion prompt and poll (a question in italics, ``*...?*``), every common mistake (the
   text from "Common mistake" to the end of its paragraph), and what to do when a pair is stuck or finishes
   early (paragraphs that mention either);
4. the notes, section by section;
5. the course-wide moves for a stuck or early pair, and for when Colab or widgets fail.

``docs/authoring.md`` ("Facilitator cells and the guide") tells authors how to write notes that read well here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lepton_training.explanations import EXPLANATION_TAG
from lepton_training.facilitation.notebook import cell_text, instructor_notebook, is_facilitator_cell, note_body
from lepton_training.manifest import Module, get_module

__all__ = ["Guide", "Section", "build_guide", "read_guide", "STANDARD_MOVES"]

_MINUTES = re.compile(r"^\s*\*\*(\d+)\s+minutes?\b[^*]*\*\*", re.I)
_PROMPT = re.compile(r"(?<![*\w])\*(?![*\s])([^*]*?\?[^*]*?)(?<!\s)\*(?![*\w])", re.S)
_MISTAKE = re.compile(r"(Common (?:next )?mistakes?\b.*)", re.S | re.I)
_STUCK = re.compile(r"\bstuck\b|\bfinish(?:es|ed)? early\b|\bfinished\b.*\bearly\b", re.I)
_EXERCISE = re.compile(r"^\s*#{2,4}\s+(Exercise\b.+)$", re.M)
# The opening note's plan, when the sections' notes announce no minutes of their own: "A plan: setup and section
# 1, 8 min; section 2 and exercise 1, 15 min; break, 10 min; ...; submission and key points, 3 min."
_PLAN = re.compile(r"\bA plan:\s*(.+?\d+\s*min(?:utes)?)\.(?:\s|$)", re.S | re.I)
_PLAN_ROW = re.compile(r"^\|\s*(\d+)\s*[–-]\s*(\d+)\s*\|\s*(.+?)\s*\|\s*$", re.M)
_PLAN_ENTRY = re.compile(r"^(.+?),?\s+(\d+)\s*min(?:utes)?$", re.S | re.I)

STANDARD_MOVES: dict[str, list[str]] = {
    "When a pair is stuck or finishes early": [
        "**Stuck:** ask them to read the check's feedback aloud and say in their own words what it means; then "
        "point to the next hint (`qN.hint()`, run again for the next one). The last hint is a skeleton.",
        "**Still stuck after the last hint:** pair them with someone who has finished (a breakout room, or screen "
        "sharing in the main room), or take them to a breakout room yourself while the others continue.",
        "**Many stuck on the same exercise:** stop the exercise, solve the first half together with the room "
        "on your shared screen, and give the rest back as the exercise.",
        "**Finished early:** ask for a second way to write the answer and its check, the optional parts of the "
        "module, or to help a neighbor in a breakout room (explaining is practice too).",
        'Ask for a show of hands at each checkpoint ("who is done?", "who is stuck?"): the checkpoint widget '
        "tells learners what to do in both cases, and sends nothing anywhere.",
    ],
    "When Colab or widgets fail": [
        "**Colab cannot install the course package** (network, pip error): run the setup cell again; if it still "
        "fails, the learner opens the notebook on the course's JupyterHub instead, or follows your shared screen "
        "for this section and catches up later.",
        '**A widget shows as text or as "Error displaying widget"**: every widget comes after a static figure '
        "of the same thing, so nothing is lost; on Colab run the cell again, in JupyterLab reload the page "
        "(*Kernel → Restart Kernel and Run All Cells* if needed).",
        "**The timer does not tick** (widgets unavailable): keep time for the room yourself and say the time "
        "left in the call.",
        "**The kernel is confused** (names defined twice, cells run out of order): *Restart Kernel and Run All "
        "Cells* from the top; this is also what the grader does.",
    ],
}


@dataclass
class Section:
    """One section of a module with its facilitator notes.

    Attributes
    ----------
    title : str
        The section's heading (the module title for the opening section).
    notes : list of str
        The notes' Markdown, without their ``**Facilitator note.**`` lead.
    exercises : list of str
        The exercises' headings in the section, such as ``"Exercise 1: completion rate (1 point)"``.
    minutes : int or None
        The minutes the section's notes announce, if they do.
    explanations : list of tuple of (str, str)
        The explanations of graded answers in the section (cells tagged ``explanation``): the question, such as
        ``"q5"``, and the Markdown its ``explain()`` shows learners after an attempt.
    """

    title: str
    notes: list[str] = field(default_factory=list)
    exercises: list[str] = field(default_factory=list)
    minutes: int | None = None
    explanations: list[tuple[str, str]] = field(default_factory=list)
    break_after: int | None = None


@dataclass
class Guide:
    """A module's facilitator guide.

    Attributes
    ----------
    module : Module
        The module's manifest entry.
    sections : list of Section
        In notebook order; a section's ``break_after`` is the minutes of a break planned after it.
    """

    module: Module
    sections: list[Section]

    @property
    def notes(self) -> list[str]:
        """Every note, in order."""
        return [note for section in self.sections for note in section.notes]

    def prompts(self) -> list[tuple[str, str]]:
        """Return every discussion prompt and poll question: (section title, question)."""
        found = []
        for section in self.sections:
            for note in section.notes:
                for match in _PROMPT.finditer(note):
                    found.append((section.title, " ".join(match.group(1).split())))
        return found

    def paragraphs(self, pattern: re.Pattern) -> list[tuple[str, str]]:
        """Return the notes' paragraphs (or their part from a match on) that match ``pattern``."""
        found = []
        for section in self.sections:
            for note in section.notes:
                for paragraph in re.split(r"\n\s*\n", note):
                    if pattern is _MISTAKE:
                        match = _MISTAKE.search(paragraph)
                        if match:
                            found.append((section.title, " ".join(match.group(1).split())))
                    elif pattern.search(paragraph) and "|" not in paragraph:
                        found.append((section.title, " ".join(paragraph.split())))
        return found

    def to_markdown(self) -> str:
        """Return the guide as Markdown."""
        m = self.module
        lines = [
            f"# Facilitator guide: {m.title}",
            "",
            f"Module `{m.id}`: {m.teaching_minutes} min teaching + {m.exercise_minutes} min exercises = "
            f"{m.total_minutes} min (from `course.toml`). Generated by `lepton-training guide {m.id}` from the "
            "notebook's facilitator notes.",
            "",
            "## Objectives",
            "",
            *[f"{i}. {objective}" for i, objective in enumerate(m.objectives, 1)],
            "",
            "## Prerequisites",
            "",
            *([f"- {p}" for p in m.prerequisites] or ["- none"]),
            "",
            "## Timing",
            "",
            "| Section | Minutes | Exercises |",
            "| --- | ---: | --- |",
        ]
        for section in self.sections:
            minutes = str(section.minutes) if section.minutes is not None else "–"
            exercises = "; ".join(section.exercises) or "–"
            lines.append(f"| {_cell(section.title)} | {minutes} | {_cell(exercises)} |")
            if section.break_after:
                lines.append(f"| *Break* | {section.break_after} | – |")
        announced = sum(s.minutes or 0 for s in self.sections)
        lines.append("")
        if announced:
            lines.append(
                f"The notes plan {announced} minutes; `course.toml` plans {m.total_minutes} minutes of "
                "teaching and exercises (breaks and optional sections come on top)."
            )
        else:
            lines.append(
                "The section notes announce no minutes: see the opening note for the plan "
                f"({m.total_minutes} minutes in `course.toml`)."
            )
        glance = [
            ("Discussion prompts and polls", self.prompts()),
            ("Common mistakes", self.paragraphs(_MISTAKE)),
            ("Stuck or early, in this module", self.paragraphs(_STUCK)),
        ]
        lines += ["", "## At a glance"]
        for heading, items in glance:
            lines += ["", f"### {heading}", ""]
            lines += [f"- *{title}*: {text}" for title, text in items] or ["- none in the notes"]
        lines += ["", "## Section by section"]
        for section in self.sections:
            lines += ["", f"### {section.title}"]
            if section.minutes is not None or section.exercises:
                facts = []
                if section.minutes is not None:
                    facts.append(f"{section.minutes} minutes")
                facts += section.exercises
                lines += ["", "*" + " · ".join(facts) + "*"]
            for note in section.notes:
                lines += ["", note]
            if not section.notes:
                lines += ["", "No facilitator note for this section."]
            for question, text in section.explanations:
                lines += [
                    "",
                    f"**Explanation of {question}** (learners open it with `{question}.explain()` after an attempt):",
                    "",
                    _demoted(text),
                ]
        for heading, moves in STANDARD_MOVES.items():
            lines += ["", f"## {heading}", "", *[f"- {move}" for move in moves]]
        return "\n".join(lines) + "\n"

    def to_html(self) -> str:
        """Return the guide as a standalone HTML page (no script, no external resource)."""
        import html

        from nbconvert.filters.markdown_mistune import markdown2html_mistune

        body = markdown2html_mistune(self.to_markdown())
        title = html.escape(f"Facilitator guide: {self.module.title}")
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="color-scheme" content="light dark">\n'
            f"<title>{title}</title>\n<style>\n{_CSS}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n"
            "</body>\n</html>\n"
        )

    def write(self, folder: str | Path) -> dict[str, Path]:
        """Write ``<module>-guide.md`` and ``<module>-guide.html`` into ``folder``.

        Parameters
        ----------
        folder : path
            Created if needed.

        Returns
        -------
        dict of str to Path
            ``{"markdown": ..., "html": ...}``.
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        paths = {
            "markdown": folder / f"{self.module.id}-guide.md",
            "html": folder / f"{self.module.id}-guide.html",
        }
        paths["markdown"].write_text(self.to_markdown(), encoding="utf-8")
        paths["html"].write_text(self.to_html(), encoding="utf-8")
        return paths


_CSS = """body { font-family: system-ui, sans-serif; line-height: 1.5; margin: 0; }
main { max-width: 52em; margin: 2em auto; padding: 0 1em; }
table { border-collapse: collapse; margin: 0.6em 0; }
th, td { border-bottom: 1px solid rgba(128, 128, 128, 0.45); padding: 0.3em 0.7em; text-align: left;
  vertical-align: top; }
code { background: rgba(128, 128, 128, 0.18); padding: 0 0.25em; border-radius: 3px; }
h2 { border-bottom: 2px solid rgba(128, 128, 128, 0.45); padding-bottom: 0.2em; margin-top: 1.6em; }
"""


_EXPLANATION_ID = re.compile(r"(q\d+)-explanation")


def _demoted(markdown: str) -> str:
    """Turn an explanation's headings into bold lines, so that they stay inside their section of the guide."""
    return re.sub(r"^#+\s*(.+)$", r"**\1**", markdown, flags=re.M)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def read_guide(nb: dict, module: Module) -> Guide:
    """Collect a notebook's facilitator notes into a :class:`Guide`, section by section.

    Parameters
    ----------
    nb : dict
        The instructor notebook.
    module : Module
        Its manifest entry.

    Returns
    -------
    Guide
        The first section ("Opening") holds the notes before the first numbered section.
    """
    from lepton_training.facilitation.notebook import sections

    result = []
    for number, (title, cells) in enumerate(sections(nb)):
        section = Section(title="Opening" if number == 0 or title == module.title else title)
        for cell in cells:
            explained = _EXPLANATION_ID.fullmatch(str(cell.get("id", "")))
            if explained and EXPLANATION_TAG in cell.get("metadata", {}).get("tags", []):
                section.explanations.append((explained.group(1), cell_text(cell)))
            elif is_facilitator_cell(cell):
                body = note_body(cell)
                section.notes.append(body)
                match = _MINUTES.match(body)
                if match and section.minutes is None:
                    section.minutes = int(match.group(1))
            elif cell.get("cell_type") == "markdown" and cell.get("metadata", {}).get("nbgrader", {}).get("grade_id"):
                exercise = _EXERCISE.search(cell_text(cell))
                if exercise:
                    section.exercises.append(exercise.group(1).strip())
        result.append(section)
    if all(section.minutes is None for section in result):
        _apply_plan(result)
    return Guide(module=module, sections=result)


def _plan_entries(note: str) -> list[tuple[str, int]]:
    """Read the opening note's plan as (label, minutes).

    The plan is a sentence ("A plan: X, 8 min; Y, 15 min.") or a table whose rows are "| 4–10 | 1. Running ... |".
    """
    entries = []
    plan = _PLAN.search(note)
    if plan:
        for entry in plan.group(1).split(";"):
            match = _PLAN_ENTRY.match(" ".join(entry.split()))
            if match:
                entries.append((match.group(1), int(match.group(2))))
    for match in _PLAN_ROW.finditer(note):
        entries.append((match.group(3), int(match.group(2)) - int(match.group(1))))
    return entries


def _apply_plan(sections: list[Section]) -> None:
    """Give the sections the minutes of the opening note's plan, when their own notes announce none.

    An entry names a section by number ("section 2 and exercise 1", "2. Checks, hints and feedback") or by its
    title ("submission and key points"); a "break" entry becomes a break after the section before it; an entry
    before any section (people join, setup) belongs to the opening.
    """
    entries = [entry for note in (sections[0].notes if sections else []) for entry in _plan_entries(note)]
    last = None
    for label, minutes in entries:
        label = " ".join(label.lower().split())
        if re.fullmatch(r"(a |the )?break", label):
            if last is not None:
                last.break_after = (last.break_after or 0) + minutes
            continue
        number = re.search(r"\bsections? (\d+)\b", label) or re.match(r"(\d+)\.\s", label)
        if number:
            target = next((s for s in sections if re.match(rf"{number.group(1)}\.\s", s.title)), None)
        else:
            target = next((s for s in sections[1:] if s.title.lower() in label), None)
            target = target or (sections[0] if last is None else None)
        if target is not None:
            target.minutes = (target.minutes or 0) + minutes
            last = target


def build_guide(root: str | Path, module_id: str, out: str | Path | None = None) -> tuple[Guide, dict[str, Path]]:
    """Write a module's facilitator guide as Markdown and HTML.

    Parameters
    ----------
    root : path
        The course root (holds ``solutions/``).
    module_id : str
        Such as ``"00-orientation"``.
    out : path, optional
        Output folder; default ``<root>/_build/guide``.

    Returns
    -------
    tuple of (Guide, dict of str to Path)
        The guide and the written files.

    Raises
    ------
    KeyError
        If the module is not in ``course.toml``.
    FileNotFoundError
        If it has no instructor notebook.
    ValueError
        If the notebook has no facilitator notes.
    """
    module = get_module(module_id)
    guide = read_guide(instructor_notebook(root, module_id), module)
    if not guide.notes:
        raise ValueError(
            f"{module_id} has no facilitator notes: add markdown cells tagged `facilitator` "
            "(see docs/authoring.md, 'Facilitator cells and the guide')."
        )
    folder = Path(out) if out is not None else Path(root) / "_build" / "guide"
    return guide, guide.write(folder)
