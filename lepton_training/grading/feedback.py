"""The learners' feedback: offline pages titled by question, released to the hub, and an outbox for everyone else.

nbgrader's feedback template loads MathJax from a CDN and titles every graded cell "Test cell". Here the maths of
the markdown cells is drawn as inline SVG when the feedback is generated (:class:`OfflineMath`, with matplotlib's
mathtext: no network, no script), and each page is finished by :func:`finish_page`: no remote script left, the
table of contents titled by question.

Feedback reaches learners two ways (:func:`deliver_feedback`):

* a learner who submitted through JupyterHub (nbgrader's exchange wrote ``submission_secret.txt`` beside their
  submission) gets it through nbgrader's own ``release_feedback``, and fetches it in JupyterLab (Assignments);
  nbgrader's command stops at the first learner without that file, so the learners who uploaded elsewhere
  (Colab) are excluded from it with its own ``student_id_exclude``;
* every other learner's page is copied to ``outbox/<module>/<learner>-<module>.html``, listed with their address
  from the gradebook's roster in ``outbox/<module>/mail-merge.csv`` (``learner, name, email, file``), and zipped
  into ``outbox/<module>.zip``: ready for a mail merge or a shared drive.
"""

from __future__ import annotations

import base64
import csv
import functools
import html
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nbconvert.preprocessors import Preprocessor

__all__ = ["OfflineMath", "tex_to_svg", "finish_page", "question_titles", "deliver_feedback", "Delivery"]

#: The secret nbgrader's exchange writes beside a hub submission; release_feedback names the page by it.
SECRET = "submission_secret.txt"
_REMOTE_SCRIPT = re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>", re.IGNORECASE)
_MATHJAX_CONFIG = re.compile(r"<script type=\"text/x-mathjax-config\">.*?</script>", re.DOTALL)
_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
_INLINE = re.compile(r"(?<![\\$\w])\$(?=\S)([^$\n]+?)(?<=\S)\$(?![\w$])")
_CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.DOTALL)


#: TeX that mathtext spells otherwise (or does without): replaced before drawing.
_MATHTEXT_SPELLING = [
    (re.compile(r"\\le(?![a-zA-Z])"), r"\\leq"),
    (re.compile(r"\\ge(?![a-zA-Z])"), r"\\geq"),
    (re.compile(r"\\ne(?![a-zA-Z])"), r"\\neq"),
    (re.compile(r"\\(?:textstyle|displaystyle)(?![a-zA-Z])"), ""),
    (re.compile(r"\\text\{"), r"\\mathrm{"),
]


@functools.lru_cache(maxsize=4096)
def tex_to_svg(tex: str) -> str | None:
    """Draw one TeX formula as an inline ``<img>`` (SVG data URI) with matplotlib's mathtext; None if it cannot.

    Cached: every learner's page of a module holds the same formulas.

    Parameters
    ----------
    tex : str
        The formula without its dollar signs.

    Returns
    -------
    str or None
    """
    import io

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import mathtext

    spelled = tex.strip()
    for pattern, replacement in _MATHTEXT_SPELLING:
        spelled = pattern.sub(replacement, spelled)
    buffer = io.BytesIO()
    try:
        mathtext.math_to_image(f"${spelled}$", buffer, format="svg", dpi=72)
    except (ValueError, RuntimeError):
        return None
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    alt = html.escape(tex.strip(), quote=True)
    return (
        f'<img class="lepton-math" alt="{alt}" style="vertical-align: middle" src="data:image/svg+xml;base64,{data}">'
    )


class OfflineMath(Preprocessor):
    """Draw the TeX of markdown cells as SVG, so that the feedback page needs no MathJax (and no network).

    A formula mathtext cannot draw stays as its TeX source in a ``<code>`` span: readable, never lost.
    """

    def preprocess(self, nb: Any, resources: dict) -> tuple[Any, dict]:
        """Replace the formulas of every markdown cell."""
        cache: dict[str, str] = {}

        def draw(match: re.Match) -> str:
            tex = match.group(1)
            if tex not in cache:
                cache[tex] = tex_to_svg(tex) or f"<code>{html.escape(tex)}</code>"
            return cache[tex]

        for cell in nb.cells:
            if cell.cell_type != "markdown" or "$" not in cell.source:
                continue
            parts = _CODE.split(cell.source)
            # Odd parts are code spans and blocks: a dollar sign there is code, not maths.
            cell.source = "".join(
                part if i % 2 else _INLINE.sub(draw, _DISPLAY.sub(draw, part)) for i, part in enumerate(parts)
            )
        return nb, resources


def question_titles(module_id: str, cells: dict) -> dict[str, str]:
    """Return grade id -> "q1 · Title" for the module's graded test cells (``cells``: :func:`.seeds.test_cells`)."""
    from lepton_training.grading.seeds import questions_of

    try:
        questions = questions_of(module_id)
    except (ImportError, KeyError, ValueError):
        questions = None
    titles = {}
    for grade_id, spec in cells.items():
        question = getattr(questions, spec.question, None)
        title = getattr(question, "title", "")
        titles[grade_id] = f"{spec.question} · {title}" if title else spec.question
    return titles


def finish_page(path: Path, titles: dict[str, str]) -> None:
    """Make one feedback page offline and titled: no remote script, each graded cell named by its question.

    Parameters
    ----------
    path : pathlib.Path
        A page nbgrader's ``generate_feedback`` wrote.
    titles : dict
        Grade id -> title (:func:`question_titles`).
    """
    text = path.read_text(encoding="utf-8")
    text = _MATHJAX_CONFIG.sub("", _REMOTE_SCRIPT.sub("", text))
    for grade_id, title in titles.items():
        text = text.replace(f'<a href="#{grade_id}">Test cell</a>', f'<a href="#{grade_id}">{html.escape(title)}</a>')
    path.write_text(text, encoding="utf-8")


@dataclass
class Delivery:
    """Where each learner's feedback went."""

    module_id: str
    hub: list[str] = field(default_factory=list)
    outbox: list[str] = field(default_factory=list)
    no_address: list[str] = field(default_factory=list)
    mail_merge: Path | None = None
    archive: Path | None = None
    hub_problem: str = ""

    def summary(self) -> str:
        """Return the lines an instructor reads."""
        lines = [f"{self.module_id}: feedback for {len(self.hub) + len(self.outbox)} learner(s)."]
        if self.hub:
            lines.append(
                f"  Released through the hub's exchange to {len(self.hub)} learner(s) ({', '.join(self.hub)}): "
                "they open Assignments in JupyterLab and fetch their feedback."
            )
        if self.hub_problem:
            lines.append(f"  NOT RELEASED to the hub's learners: {self.hub_problem}")
        if self.outbox:
            lines.append(
                f"  {len(self.outbox)} page(s) to send ({', '.join(self.outbox)}): {self.mail_merge} lists each "
                f"learner's address and file; all of them zipped in {self.archive}."
            )
        if self.no_address:
            lines.append(
                f"  No email address in the gradebook for {', '.join(self.no_address)}: add it to the roster and "
                "import it again (nbgrader db student import roster.csv)."
            )
        return "\n".join(lines)


def _students(db_url: str, course_id: str) -> dict[str, tuple[str, str]]:
    """Learner id -> (display name, email) from the gradebook's roster."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url, course_id=course_id) as gb:
        return {
            s.id: (" ".join(p for p in (s.first_name, s.last_name) if p) or s.id, s.email or "") for s in gb.students
        }


def deliver_feedback(
    root: Path, module_id: str, config: Any, db_url: str, out: Path | None = None, hub: bool = True
) -> Delivery:
    """Release a module's feedback to the hub's learners and put everyone else's in an outbox with a mail merge.

    Parameters
    ----------
    root : pathlib.Path
        The course root (``feedback/<learner>/<module>/``, written by ``lepton-training grade``).
    module_id : str
    config : traitlets.config.Config
        The course configuration (nbgrader's ``Exchange`` settings on the hub).
    db_url : str
        The gradebook (its students: names and addresses).
    out : pathlib.Path, optional
        The outbox (default ``<root>/outbox``).
    hub : bool
        Release to the hub's learners through nbgrader's exchange (False: every learner goes to the outbox).

    Returns
    -------
    Delivery

    Raises
    ------
    FileNotFoundError
        When there is no feedback for the module (grade first).
    """
    pages = sorted((root / "feedback").glob(f"*/{module_id}/*.html"))
    if not pages:
        raise FileNotFoundError(
            f"no feedback for {module_id} in {root / 'feedback'}: run `lepton-training grade {module_id}` first"
        )
    course_id = config.CourseDirectory.get("course_id", "default_course")
    students = _students(db_url, course_id)
    delivery = Delivery(module_id)
    by_learner: dict[str, list[Path]] = {}
    for page in pages:
        by_learner.setdefault(page.parent.parent.name, []).append(page)
    through_hub = {learner for learner, found in by_learner.items() if hub and (found[0].parent / SECRET).is_file()}
    if through_hub:
        problem = _release_to_hub(root, module_id, sorted(set(by_learner) - through_hub))
        if problem:
            delivery.hub_problem = problem
            through_hub = set()
        else:
            delivery.hub = sorted(through_hub)
    outbox = (out or root / "outbox") / module_id
    outbox.mkdir(parents=True, exist_ok=True)
    rows = []
    for learner, found in sorted(by_learner.items()):
        if learner in through_hub:
            continue
        name, email = students.get(learner, (learner, ""))
        for page in found:
            target = outbox / f"{learner}-{page.name}"
            target.write_bytes(page.read_bytes())
            rows.append({"learner": learner, "name": name, "email": email, "file": target.name})
        delivery.outbox.append(learner)
        if not email:
            delivery.no_address.append(learner)
    delivery.mail_merge = outbox / "mail-merge.csv"
    with delivery.mail_merge.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, ["learner", "name", "email", "file"])
        writer.writeheader()
        writer.writerows(rows)
    delivery.archive = outbox.parent / f"{module_id}.zip"
    with zipfile.ZipFile(delivery.archive, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(outbox.iterdir()):
            archive.write(path, f"{module_id}/{path.name}")
    return delivery


def _release_to_hub(root: Path, module_id: str, others: list[str]) -> str:
    """Run nbgrader's own ``release_feedback`` for the hub's learners; return why it failed, or ''.

    As a command in the course root, so that it reads the exchange's settings where every nbgrader command does
    (the hub's instructor configuration on the Jupyter config path, ``nbgrader_config.py``).
    """
    import subprocess
    import sys

    nbgrader = Path(sys.executable).parent / "nbgrader"
    command = [str(nbgrader) if nbgrader.is_file() else "nbgrader", "release_feedback", module_id]
    # nbgrader's own way to leave learners out: their pages carry no secret, its copy would stop at the first.
    command.append(f"--CourseDirectory.student_id_exclude={','.join(others)}")
    command.append(f"--CourseDirectory.root={root}")
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=600)
    if done.returncode:
        lines = [line for line in (done.stderr + done.stdout).splitlines() if line.strip()]
        return f"`nbgrader release_feedback {module_id}` failed: {lines[-1] if lines else 'no reason given'}"
    return ""
