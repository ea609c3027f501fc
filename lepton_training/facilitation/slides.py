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

The deck's only ``http(s)`` addresses are links a person may click (such as "Open in Colab").
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from lepton_training.facilitation.notebook import instructor_notebook, prepare

__all__ = ["SlideDeck", "build_slides", "reveal_dir", "mathjax_dir", "copy_assets", "TEMPLATE"]

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
{%- block html_head_css -%}
<style type="text/css">
/* Long notebook slides scroll instead of being cut off (nbconvert does this with jQuery). */
.reveal .slides > section, .reveal .slides > section > section { height: 100%; overflow-y: auto; }
.reveal .slides { text-align: left; }
.reveal aside.notes { display: none; }
</style>
{%- endblock html_head_css -%}
{% block footer_js %}
<script src="{{ resources.reveal.url_prefix }}/dist/reveal.js"></script>
<script src="{{ resources.reveal.url_prefix }}/plugin/notes/notes.js"></script>
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
    body, _resources = exporter.from_notebook_node(nb, resources={"metadata": {"name": module_id}})
    suffix = "-answers" if answers == "show" else ""
    path = folder / f"{module_id}-slides{suffix}.html"
    path.write_text(body, encoding="utf-8")
    slides = sum(1 for c in nb.cells if c.get("metadata", {}).get("slideshow", {}).get("slide_type") == "slide")
    notes = body.count('<aside class="notes">')
    return SlideDeck(path=path, slides=slides, notes=notes, answers=answers)
