"""Prepare an instructor notebook for showing it to learners: on slides or on the knowledge-base site.

The instructor notebook (``solutions/NN-topic/NN-topic.ipynb``) is the one source: it has the content, the
solutions, the hidden tests, the facilitator notes and the stored, deterministic outputs of a full run. Showing
it needs:

* hidden tests removed, always (nbgrader's own ``ClearHiddenTests``, as the learner release does);
* with answers hidden, the solutions replaced by the learner's stubs (nbgrader's ``ClearSolutions``) **and the
  outputs cleared of every cell that shows something only a solved exercise gives**: the answer and test
  cells, the learner's own check (a bare ``qN.check()``), ``progress()``, and any cell that uses a name an
  answer cell defines. What remains is the statement and the stub, never a "Passed" that gives the answer
  away, nor an "invalid answer" box about a stub nobody was asked to fill in on a reading page;
* the course's own records in outputs (``application/vnd.lepton-training.*``, such as the event record of
  ``check()``) removed: they are data for the report, not for display;
* widget views replaced by their static form (:func:`lepton_training.widgets.static_widget_outputs`).

Deliberate feedback that teaches (``q1.check(a_colleagues_function)``, a worked example's output) is kept: it
does not depend on an answer.
"""

from __future__ import annotations

import ast
import copy
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = [
    "FACILITATOR_TAG",
    "instructor_notebook",
    "prepare",
    "answer_dependent_cells",
    "facilitator_cells",
    "is_facilitator_cell",
    "cell_text",
]

FACILITATOR_TAG = "facilitator"
#: MIME types of the course's own records carried by outputs (not for display): removed from shown notebooks.
PRIVATE_MIME_PREFIX = "application/vnd.lepton-training."
_NOTE_PREFIX = re.compile(r"^\s*\*\*Facilitator note\.?\*\*\s*", re.I)
# A learner's own check or progress table: a cell whose code is only `qN.check()` (no argument) or `progress()`.
_OWN_FEEDBACK = re.compile(r"^\s*(\w+\.check\(\s*\)|progress\([^)]*\))\s*;?\s*$")


def cell_text(cell: dict) -> str:
    """Return a cell's source as one string (nbformat allows a string or a list of lines)."""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _tags(cell: dict) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _nbgrader(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def is_facilitator_cell(cell: dict) -> bool:
    """Return True for a facilitator note: a cell tagged ``facilitator``."""
    return FACILITATOR_TAG in _tags(cell)


def facilitator_cells(nb: dict) -> list[dict]:
    """Return the facilitator notes of a notebook, in order."""
    return [cell for cell in nb["cells"] if is_facilitator_cell(cell)]


def note_body(cell: dict) -> str:
    """Return a facilitator note's Markdown without its leading ``**Facilitator note.**``."""
    return _NOTE_PREFIX.sub("", cell_text(cell), count=1).strip()


def instructor_notebook(root: str | Path, module_id: str) -> Any:
    """Read a module's instructor notebook.

    Parameters
    ----------
    root : path
        The course root, which holds ``solutions/``.
    module_id : str
        Such as ``"00-orientation"``.

    Returns
    -------
    nbformat.NotebookNode

    Raises
    ------
    FileNotFoundError
        If the module has no instructor notebook; the message lists the modules that have one.
    """
    import nbformat

    path = Path(root) / "solutions" / module_id / f"{module_id}.ipynb"
    if not path.is_file():
        have = sorted(p.parent.name for p in (Path(root) / "solutions").glob("*/*.ipynb") if p.stem == p.parent.name)
        raise FileNotFoundError(f"No instructor notebook {path}; modules with one: {', '.join(have) or 'none'}.")
    return nbformat.read(path, as_version=4)


def _defined_names(source: str) -> set[str]:
    """Top-level names an answer cell defines (functions, classes, assignments)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return names


def _used_names(source: str) -> set[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython syntax (%pip, !ls): such cells never use an answer
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def answer_dependent_cells(nb: dict) -> list[str]:
    r"""Return the ids of the code cells whose outputs exist only because the exercises were solved.

    Parameters
    ----------
    nb : dict
        An instructor notebook.

    Returns
    -------
    list of str
        Ids of answer and test cells (nbgrader), of bare ``qN.check()`` and ``progress()`` cells, and of every
        later code cell that uses a name an answer cell defines.

    Examples
    --------
    >>> nb = {"cells": [
    ...     {"id": "a", "cell_type": "code", "source": "def f(x):\n    return x",
    ...      "metadata": {"nbgrader": {"solution": True}}},
    ...     {"id": "c", "cell_type": "code", "source": "q1.check()", "metadata": {}},
    ...     {"id": "d", "cell_type": "code", "source": "q1.check(other)", "metadata": {}},
    ...     {"id": "u", "cell_type": "code", "source": "f(3)", "metadata": {}}]}
    >>> answer_dependent_cells(nb)
    ['a', 'c', 'u']
    """
    answers: set[str] = set()
    dependent = []
    for cell in nb["cells"]:
        if cell.get("cell_type") != "code":
            continue
        meta, source = _nbgrader(cell), cell_text(cell)
        if meta.get("solution") or meta.get("grade"):
            dependent.append(cell.get("id", ""))
            if meta.get("solution"):
                answers |= _defined_names(source)
            continue
        lines = [line for line in source.splitlines() if line.strip() and not line.lstrip().startswith("#")]
        if (lines and all(_OWN_FEEDBACK.match(line) for line in lines)) or (_used_names(source) & answers):
            dependent.append(cell.get("id", ""))
    return dependent


def prepare(
    nb: Any,
    *,
    answers: bool,
    notes: bool,
    static_widgets: bool = True,
    skip_tests: bool = False,
) -> Any:
    """Return a copy of an instructor notebook ready to show, with answers and notes as asked.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The instructor notebook; not changed.
    answers : bool
        Show the solutions and their outputs (instructor) or the stubs with those outputs cleared (learner).
    notes : bool
        Keep the facilitator notes (cells tagged ``facilitator``) or remove them.
    static_widgets : bool, default True
        Replace widget views by their static form and drop the saved widget state (for offline pages).
    skip_tests : bool, default False
        Mark the autograded test cells ``skip`` for slides: they are grading plumbing, and the check cell
        before each shows the same feedback.

    Returns
    -------
    nbformat.NotebookNode
        The prepared copy. Hidden tests are always removed.
    """
    from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions

    nb = copy.deepcopy(nb)
    if not notes:
        nb.cells = [cell for cell in nb.cells if not is_facilitator_cell(cell)]
    resources: dict = {}
    nb, resources = ClearHiddenTests().preprocess(nb, resources)
    if not answers:
        dependent = set(answer_dependent_cells(nb))
        nb, resources = ClearSolutions().preprocess(nb, resources)
        for cell in nb.cells:
            if cell.cell_type == "code" and cell.get("id") in dependent:
                cell.outputs = []
                cell.execution_count = None
    if skip_tests:
        for cell in nb.cells:
            if cell.cell_type == "code" and _nbgrader(cell).get("grade") and not _nbgrader(cell).get("solution"):
                cell.metadata.setdefault("slideshow", {})["slide_type"] = "skip"
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            # The course's own records in outputs (such as check()'s event record for the report) are data for
            # tools, never shown: a page has nothing to render them with.
            for mime in [m for m in output.get("data", {}) if m.startswith(PRIVATE_MIME_PREFIX)]:
                del output["data"][mime]
    if static_widgets:
        from lepton_training.widgets import static_widget_outputs

        static_widget_outputs(nb)
    return nb


def sections(nb: dict) -> Iterable[tuple[str, list[dict]]]:
    """Split a notebook into sections at each level-1 or level-2 Markdown heading that starts a slide.

    Parameters
    ----------
    nb : dict
        A notebook.

    Yields
    ------
    tuple of (str, list of dict)
        The heading's text (``""`` for cells before the first heading) and the section's cells.
    """
    title, cells = "", []
    for cell in nb["cells"]:
        heading = _section_heading(cell)
        if heading is not None:
            if cells:
                yield title, cells
            title, cells = heading, []
        cells.append(cell)
    if cells:
        yield title, cells


def _section_heading(cell: dict) -> str | None:
    if cell.get("cell_type") != "markdown" or is_facilitator_cell(cell):
        return None
    if cell.get("metadata", {}).get("slideshow", {}).get("slide_type") != "slide":
        return None
    match = re.match(r"\s*#{1,2}\s+(.+)", cell_text(cell))
    return match.group(1).strip() if match else None
