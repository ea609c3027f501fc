"""A module's reveal.js deck, offline: from the instructor notebook, with facilitator notes as speaker notes.

The cells already carry slide metadata (``slideshow.slide_type``); nbconvert's ``SlidesExporter`` turns them
into a reveal.js deck, and cells of type ``notes`` (the facilitator notes) become ``<aside class="notes">``,
which reveal.js shows in its speaker view (press ``S``).

nbconvert's reveal template loads reveal.js, require.js, jQuery, MathJax and mermaid from CDNs. Here:

* reveal.js is the copy shipped inside the ``sphinx-revealjs`` package (reveal.js 5, MIT licence), and MathJax 2
  the copy shipped inside ``jupyter-server-mathjax``; both are installed with the course's ``instructor`` extra
  and copied next to the deck (``reveal.js/`` and ``mathjax/``), so the folder works from a USB stick or a
  shared drive, with no network, and nothing is ever downloaded at run time;
* a small template (below) extends nbconvert's ``reveal`` template: it drops the require.js, jQuery and mermaid
  blocks and the CDN widget manager, and starts reveal.js and its notes plugin with plain ``<script>`` tags.

Three things make the deck fit a live session:

* speaker notes belong to their slide: each facilitator note is moved next to its slide's first cell, outside
  any fragment, so the speaker view shows it as soon as the slide appears (reveal.js's notes plugin skips notes
  inside fragments until the fragment is shown);
* slides fit the screen: notebook slides are often taller than 800 pixels, so once reveal.js is ready a small
  script measures each slide and continues it on vertical sub-slides (the arrow down), a cell at a time; a single
  cell taller than the screen is scaled down to fit;
* an exercise timer: on a slide of an exercise, press ``T`` (or the timer button) for a countdown of the
  exercise's minutes (from its facilitator note, such as "10 for the exercise", else the module's exercise
  minutes of ``course.toml`` shared among its exercises); ``T`` again pauses it.

Figures get alternative text from their caption (the "*Figure N.* ..." paragraph after them), or say which
section they illustrate.

The deck's only ``http(s)`` addresses are links a person may click (such as "Open in Colab").
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from lepton_training.facilitation.notebook import cell_text, instructor_notebook, is_facilitator_cell, prepare
from lepton_training.manifest import get_module

__all__ = [
    "SlideDeck",
    "build_slides",
    "reveal_dir",
    "mathjax_dir",
    "copy_assets",
    "notes_to_their_slide",
    "describe_figures",
    "exercise_minutes",
    "TEMPLATE",
]

ANSWERS = ("hide", "show")

# Extends nbconvert's reveal template (found through template_name="reveal"); the blocks named here replace
# the ones that load code from CDNs.
TEMPLATE = r"""
{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}
<script type="text/x-mathjax-config">
MathJax.Hub.Config({
    tex2jax: {
        inlineMath: [["$", "$"], ["\\(", "\\)"]],
        displayMath: [["$$", "$$"], ["\\[", "\\]"]],
        processEscapes: true,
        processEnvironments: true
    },
    // The local copy ships the STIX-Web fonts only: tell MathJax not to look for others.
    "HTML-CSS": {availableFonts: [], preferredFont: null, webFont: "STIX-Web", imageFont: null},
    SVG: {font: "STIX-Web"},
    displayAlign: "center",
    messageStyle: "none"
});
</script>
<script src="{{ resources.mathjax_url }}"></script>
{%- endblock html_head_js_mathjax -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{% block data_png scoped %}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"
alt="{{ (output | get_metadata('alt', 'image/png')) or 'A figure' | escape_html }}">
</div>
{%- endblock data_png %}
{%- block html_head_css -%}
<style type="text/css">
/* Long notebook slides scroll instead of being cut off (nbconvert does this with jQuery). */
.reveal .slides > section, .reveal .slides > section > section { height: 100%; overflow-y: auto; }
.reveal .slides { text-align: left; }
.reveal aside.notes { display: none; }
#lepton-timer { position: fixed; left: 1em; bottom: 1em; z-index: 30; font: 600 20px system-ui, sans-serif;
  padding: 0.3em 0.7em; border-radius: 0.4em; background: #0072B2; color: #fff; border: none; cursor: pointer; }
#lepton-timer[hidden] { display: none; }
#lepton-timer.lepton-timer-over { background: #D55E00; }
</style>
{%- endblock html_head_css -%}
{% block footer_js %}
<script src="{{ resources.reveal.url_prefix }}/dist/reveal.js"></script>
<script src="{{ resources.reveal.url_prefix }}/plugin/notes/notes.js"></script>
<button id="lepton-timer" type="button" hidden aria-live="polite"></button>
<script>
// Exercise heading -> minutes for its timer, computed when the deck was built.
var LEPTON_TIMERS = {{ resources.lepton_timers | tojson }};
</script>
<script>
Reveal.initialize({
    controls: true,
    progress: true,
    history: true,
    center: false,
    transition: "none",
    slideNumber: "c/t",
    width: 1280,
    height: 800,
    plugins: [RevealNotes]
});
// Slides that do not fit the screen continue on vertical sub-slides, a cell (or fragment) at a time; a single
// cell taller than the screen is scaled down. The notes stay on the slide's first page.
function leptonPaginate() {
    var leaves = Array.prototype.slice.call(document.querySelectorAll(".reveal .slides section"))
        .filter(function (s) { return !s.querySelector("section"); });
    leaves.forEach(function (slide) {
        // reveal.js hides distant slides (display: none on the slide or its stack): show them unseen to measure.
        var shown = [slide];
        if (!slide.parentNode.matches(".slides")) { shown.push(slide.parentNode); }
        var old = shown.map(function (el) { return el.style.cssText; });
        shown.forEach(function (el) { el.style.cssText += ";display:block !important;visibility:hidden;"; });
        var room = slide.clientHeight - 8;
        var items = Array.prototype.slice.call(slide.children).filter(function (el) {
            return !el.matches("aside.notes");
        });
        var pages = [[]], used = 0;
        items.forEach(function (el) {
            var height = el.offsetHeight + 8;
            if (height > room) {
                el.style.zoom = (room / height).toFixed(3);
                height = room;
            }
            if (used + height > room && pages[pages.length - 1].length) {
                pages.push([]);
                used = 0;
            }
            pages[pages.length - 1].push(el);
            used += height;
        });
        shown.forEach(function (el, k) { el.style.cssText = old[k]; });
        if (pages.length < 2) { return; }
        var parent = slide.parentNode, after = slide.nextSibling;
        if (parent.matches(".slides")) {  // a top-level slide: wrap it, so that its pages are sub-slides
            var wrapper = document.createElement("section");
            parent.insertBefore(wrapper, slide);
            wrapper.appendChild(slide);
            parent = wrapper;
            after = null;
        }
        pages.slice(1).forEach(function (page, k) {
            var next = document.createElement("section");
            next.setAttribute("data-lepton-continued", String(k + 2) + "/" + pages.length);
            page.forEach(function (el) { next.appendChild(el); });
            parent.insertBefore(next, after);
        });
    });
    Reveal.sync();
    document.body.setAttribute("data-lepton-paginated", "true");
}
// The exercise timer: on an exercise's slide (its heading starts with "Exercise"), T or the button starts it.
var leptonTimer = {end: null, left: null, tick: null, label: ""};
function leptonExercise(slide) {
    for (var s = slide; s; s = s.previousElementSibling) {
        var heading = s.querySelector("h1, h2, h3");
        if (heading) {
            var text = heading.textContent.replace(/\u00b6/g, "").trim();
            return LEPTON_TIMERS[text] ? text : null;
        }
        if (!s.hasAttribute("data-lepton-continued")) { return null; }
    }
    return null;
}
function leptonShow() {
    var button = document.getElementById("lepton-timer");
    var exercise = leptonExercise(Reveal.getCurrentSlide());
    if (leptonTimer.end === null && leptonTimer.left === null) {
        button.hidden = !exercise;
        if (exercise) {
            leptonTimer.label = exercise.split(":")[0];
            button.textContent = "Start the " + LEPTON_TIMERS[exercise] + "-minute timer (T)";
            button.dataset.minutes = LEPTON_TIMERS[exercise];
        }
        return;
    }
    button.hidden = false;
    var left = leptonTimer.end !== null ? Math.max(0, leptonTimer.end - Date.now()) : leptonTimer.left;
    var minutes = Math.floor(left / 60000), seconds = Math.floor(left / 1000) % 60;
    var clock = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
    button.classList.toggle("lepton-timer-over", left === 0);
    button.textContent = left === 0 ? leptonTimer.label + ": time is up"
        : leptonTimer.label + ": " + clock + " left" + (leptonTimer.end === null ? " (paused)" : "");
}
function leptonToggleTimer() {
    var button = document.getElementById("lepton-timer");
    if (leptonTimer.end !== null) {  // running: pause
        leptonTimer.left = Math.max(0, leptonTimer.end - Date.now());
        leptonTimer.end = null;
    } else if (leptonTimer.left !== null && leptonTimer.left > 0) {  // paused: resume
        leptonTimer.end = Date.now() + leptonTimer.left;
    } else if (!button.hidden && button.dataset.minutes) {  // start
        leptonTimer.end = Date.now() + Number(button.dataset.minutes) * 60000;
        leptonTimer.left = null;
        clearInterval(leptonTimer.tick);
        leptonTimer.tick = setInterval(leptonShow, 250);
    } else if (leptonTimer.left === 0) {  // time was up: clear
        leptonTimer.left = null;
        clearInterval(leptonTimer.tick);
    }
    leptonShow();
}
document.getElementById("lepton-timer").addEventListener("click", leptonToggleTimer);
Reveal.addKeyBinding({keyCode: 84, key: "T", description: "Start, pause or clear the exercise timer"},
    leptonToggleTimer);
// Measure once everything that takes room has arrived: the images (window "load") and MathJax's typesetting.
var leptonPaginated = false;
function leptonLayout() {
    if (leptonPaginated || !Reveal.isReady() || document.readyState !== "complete") { return; }
    leptonPaginated = true;
    var indices = Reveal.getIndices();
    leptonPaginate();
    Reveal.slide(indices.h, indices.v || 0);
    leptonShow();
}
function leptonWhenTypeset() {
    if (window.MathJax && window.MathJax.Hub) { window.MathJax.Hub.Queue(leptonLayout); } else { leptonLayout(); }
}
Reveal.on("ready", leptonWhenTypeset);
window.addEventListener("load", leptonWhenTypeset);
Reveal.on("slidechanged", leptonShow);
// MathJax 2 typesets hidden slides with wrong sizes: typeset each slide again when it is shown.
Reveal.on("slidechanged", function (event) {
    if (window.MathJax && window.MathJax.Hub) {
        window.MathJax.Hub.Queue(["Rerender", window.MathJax.Hub, event.currentSlide]);
    }
});
</script>
{% endblock footer_js %}
"""

_MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"


def reveal_dir() -> Path:
    """Return the folder of the local reveal.js copy (``dist/`` and ``plugin/``), from ``sphinx-revealjs``.

    Raises
    ------
    FileNotFoundError
        If ``sphinx-revealjs`` is not installed; the message says how to install it.
    """
    try:
        import sphinx_revealjs
    except ImportError:
        raise FileNotFoundError(
            "The local copy of reveal.js comes with the sphinx-revealjs package: "
            "pip install -e '.[instructor]' (or pip install sphinx-revealjs)."
        ) from None
    folder = Path(sphinx_revealjs.__file__).parent / "_static" / "revealjs"
    if not (folder / "dist" / "reveal.js").is_file():
        raise FileNotFoundError(f"No reveal.js in {folder}: reinstall sphinx-revealjs.")
    return folder


def mathjax_dir() -> Path:
    """Return the folder of the local MathJax 2 copy (``MathJax.js``), from ``jupyter-server-mathjax``.

    Raises
    ------
    FileNotFoundError
        If ``jupyter-server-mathjax`` is not installed; the message says how to install it.
    """
    try:
        import jupyter_server_mathjax
    except ImportError:
        raise FileNotFoundError(
            "The local copy of MathJax comes with the jupyter-server-mathjax package: "
            "pip install -e '.[instructor]' (or pip install jupyter-server-mathjax)."
        ) from None
    folder = Path(jupyter_server_mathjax.__file__).parent / "static"
    if not (folder / "MathJax.js").is_file():
        raise FileNotFoundError(f"No MathJax.js in {folder}: reinstall jupyter-server-mathjax.")
    return folder


def _copy_tree(source: Path, target: Path, patterns: tuple[str, ...] = ("*",)) -> None:
    """Copy files matching ``patterns`` (relative globs) unless an identical-size copy is already there."""
    for pattern in patterns:
        for path in source.glob(pattern):
            if not path.is_file():
                continue
            dest = target / path.relative_to(source)
            if dest.is_file() and dest.stat().st_size == path.stat().st_size:
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest)


def copy_assets(folder: str | Path) -> dict[str, Path]:
    """Copy reveal.js and MathJax next to the decks in ``folder`` (once; later calls copy nothing new).

    Parameters
    ----------
    folder : path
        The decks' folder.

    Returns
    -------
    dict of str to Path
        ``{"reveal": folder/"reveal.js", "mathjax": folder/"mathjax"}``.
    """
    folder = Path(folder)
    reveal, mathjax = folder / "reveal.js", folder / "mathjax"
    # Only what a deck loads: the built files, the themes with their fonts, the notes plugin.
    _copy_tree(reveal_dir(), reveal, ("LICENSE", "dist/*.css", "dist/*.js", "dist/theme/**/*", "plugin/notes/*"))
    _copy_tree(mathjax_dir(), mathjax, ("**/*",))
    return {"reveal": reveal, "mathjax": mathjax}


@dataclass(frozen=True)
class SlideDeck:
    """A written deck.

    Attributes
    ----------
    path : Path
        The deck's HTML file.
    slides : int
        Number of top-level slides.
    notes : int
        Number of speaker notes.
    answers : {"hide", "show"}
    """

    path: Path
    slides: int
    notes: int
    answers: str

    def summary(self) -> str:
        """One line for the terminal."""
        return (
            f"Wrote {self.path} ({self.slides} slides, {self.notes} speaker notes, answers "
            f"{'shown' if self.answers == 'show' else 'hidden'}). "
            "Open it in a browser; press S for the speaker view with the facilitator notes."
        )


def build_slides(root: str | Path, module_id: str, answers: str = "hide", out: str | Path | None = None) -> SlideDeck:
    """Write a module's reveal.js deck, working offline, with facilitator notes as speaker notes.

    Parameters
    ----------
    root : path
        The course root (holds ``solutions/``).
    module_id : str
        Such as ``"00-orientation"``.
    answers : {"hide", "show"}, default "hide"
        Show the learner's stubs (outputs that only a solved exercise gives are cleared) or the solutions.
    out : path, optional
        The decks' folder; default ``<root>/_build/slides``. reveal.js and MathJax are copied there once.

    Returns
    -------
    SlideDeck

    Raises
    ------
    ValueError
        If ``answers`` is not "hide" or "show".
    FileNotFoundError
        If the module has no instructor notebook, or the local reveal.js or MathJax copies are missing.
    """
    if answers not in ANSWERS:
        raise ValueError(f"answers must be 'hide' or 'show', not {answers!r}.")
    from jinja2 import DictLoader
    from nbconvert import SlidesExporter

    nb = prepare(instructor_notebook(root, module_id), answers=answers == "show", notes=True, skip_tests=True)
    notes_to_their_slide(nb)
    describe_figures(nb)
    timers = exercise_minutes(nb, module_id)
    folder = Path(out) if out is not None else Path(root) / "_build" / "slides"
    folder.mkdir(parents=True, exist_ok=True)
    copy_assets(folder)
    exporter = SlidesExporter(
        extra_loaders=[DictLoader({"lepton_reveal.html.j2": TEMPLATE})],
        template_file="lepton_reveal.html.j2",
        reveal_url_prefix="reveal.js",
        reveal_theme="white",
        mathjax_url=f"mathjax/MathJax.js?config={_MATHJAX_CONFIG}",
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _resources = exporter.from_notebook_node(
        nb, resources={"metadata": {"name": module_id}, "lepton_timers": timers}
    )
    suffix = "-answers" if answers == "show" else ""
    path = folder / f"{module_id}-slides{suffix}.html"
    path.write_text(body, encoding="utf-8")
    slides = sum(1 for c in nb.cells if c.get("metadata", {}).get("slideshow", {}).get("slide_type") == "slide")
    notes = body.count('<aside class="notes">')
    return SlideDeck(path=path, slides=slides, notes=notes, answers=answers)


def _slide_type(cell: dict) -> str:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")


def notes_to_their_slide(nb) -> None:
    """Move each facilitator note next to its slide's first cell, outside the slide's fragments.

    reveal.js shows a note inside a fragment only once that fragment is shown, so a note placed after a fragment
    in the notebook leaves the speaker view blank when its slide appears. The notes keep their order.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A prepared notebook, changed in place.
    """
    slides: list[list] = []
    for cell in nb.cells:
        if not slides or (_slide_type(cell) in ("slide", "subslide") and not is_facilitator_cell(cell)):
            slides.append([])
        slides[-1].append(cell)
    cells = []
    for slide in slides:
        notes = [c for c in slide if is_facilitator_cell(c)]
        others = [c for c in slide if not is_facilitator_cell(c)]
        cells += others[:1] + notes + others[1:]
    nb.cells = cells


_FIGURE_CAPTION = re.compile(r"^\s*\*Figure\s*\d*\.?\*\s*(.+?)(?:\n\s*\n|$)", re.S)


def _plain(markdown: str) -> str:
    text = re.sub(r"[*_`$]", "", markdown)
    return " ".join(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).split())


def describe_figures(nb) -> None:
    """Give every figure alternative text: its caption (the "*Figure N.* ..." paragraph after it), else its section.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A prepared notebook, changed in place (``output.metadata["image/png"]["alt"]``, which the deck's
        template writes into the ``alt`` attribute).
    """
    section = ""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            heading = re.match(r"\s*#{1,3}\s+(.+)", cell_text(cell))
            section = _plain(heading.group(1)) if heading else section
            continue
        for output in cell.get("outputs", []):
            if "image/png" not in output.get("data", {}):
                continue
            meta = output.setdefault("metadata", {}).setdefault("image/png", {})
            if meta.get("alt"):
                continue
            after = next((c for c in nb.cells[i + 1 :] if not is_facilitator_cell(c)), None)
            caption = (
                _FIGURE_CAPTION.match(cell_text(after)) if after is not None and after.cell_type == "markdown" else None
            )
            meta["alt"] = _plain(caption.group(1)) if caption else f"A figure of the section {section!r}."


_EXERCISE_HEADING = re.compile(r"^\s*#{2,4}\s+(Exercise\b.+?)\s*$", re.M)
_EXERCISE_MINUTES = re.compile(
    r"(\d+)\s+(?:minutes?\s+)?for\s+(?:the\s+)?exercise|allow\s+(\d+)\s+minutes|(\d+)\s+minutes?\s+for\s+exercise",
    re.I,
)


def exercise_minutes(nb, module_id: str) -> dict[str, int]:
    """Give each exercise heading the minutes of its timer.

    The minutes come from the facilitator note of the exercise's section ("12 of teaching, 10 for the exercise",
    "allow 15 minutes"); otherwise the module's exercise minutes in ``course.toml``, shared equally among its
    exercises.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A prepared notebook.
    module_id : str
        Its module, for the minutes of ``course.toml``.

    Returns
    -------
    dict of str to int
        Exercise heading (as shown on the slide) -> minutes.
    """
    headings: list[list] = []  # [heading, section number, minutes or None]
    noted: dict[int, int] = {}  # section number -> minutes its facilitator note gives the exercise
    section = 0
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        text = cell_text(cell)
        if is_facilitator_cell(cell):
            found = _EXERCISE_MINUTES.search(text)
            if found:
                noted[section] = int(next(g for g in found.groups() if g))
                for entry in headings:
                    if entry[1] == section and entry[2] is None:
                        entry[2] = noted[section]
            continue
        if re.match(r"\s*#{1,2}\s", text):
            section += 1
        for heading in _EXERCISE_HEADING.findall(text):
            headings.append([_plain(heading), section, noted.get(section)])
    try:
        share = max(1, round(get_module(module_id).exercise_minutes / max(1, len(headings))))
    except KeyError:
        share = 10
    return {heading: minutes or share for heading, _section, minutes in headings}
