"""Build the knowledge-base site: Sphinx with MyST-NB and the Furo theme, offline, warnings as errors.

What goes in, and why:

* **The learner site (default) is built from the instructor notebooks with the answers hidden**, not from the
  learner release. The release (``course/``) is committed without outputs, and running it would fill every
  check with an "invalid answer" box about a stub nobody was asked to fill in on a reading page. The instructor
  notebooks hold deterministic outputs of a full run (nbval checks them), so the site shows the real figures,
  tables and rendered headers without running anything, and
  :func:`lepton_training.facilitation.notebook.prepare` turns each into what a learner may read: nbgrader's
  ``ClearSolutions`` (the learner's stubs) and ``ClearHiddenTests``, the facilitator notes removed, and the
  outputs cleared of every cell that shows something only a solved exercise gives (answers, checks, tests,
  ``progress()``, cells using an answer). A reading page shows the exercise and its statement.
* **The instructor site** (``--instructor``) keeps the solutions, their outputs and the facilitator notes (as
  "Facilitator note" boxes); hidden tests are removed from both.
* Widget views are replaced by their static form; MyST-NB's widget script (from a CDN) is switched off.
* Maths is rendered by the local MathJax 2 copy of ``jupyter-server-mathjax``; the theme (Furo) ships its own
  files and uses system fonts; Sphinx's search runs in the browser from ``searchindex.js``. Opened from disk
  (``file://``), a browser refuses the page requests Sphinx's search makes for its result summaries, so the
  build also writes each page's text into ``_static/lepton-search-pages.js``, which ``search.html`` loads
  first: from disk the summaries come from there (served over HTTP nothing changes). No page loads
  anything from another host, which :func:`lepton_training.site.links.check_site` verifies after every build,
  together with every internal link and anchor.
* The index is generated from ``course.toml``: modules in order with their objectives and minutes; a module of
  the manifest without a notebook yet is listed as "in preparation".

Sphinx runs in a separate process (``python -m sphinx -W --keep-going``), so the command stays light and a
failed build reports every warning at once.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from lepton_training.manifest import Course, load_course

__all__ = ["SiteBuild", "SiteError", "build_site", "stage", "SEARCH_PAGES"]

#: The pages' text for the search summaries when the site is opened from disk (under ``_static/``).
SEARCH_PAGES = "lepton-search-pages.js"

# Answers Sphinx's summary requests from the inline pages when the site is opened from disk (file://), where the
# browser refuses them; over HTTP it changes nothing.
_SEARCH_SHIM = """
(function () {
  if (window.location.protocol !== "file:") { return; }
  var pages = window.LEPTON_SEARCH_PAGES || {};
  var root = window.location.href.replace(/[^/]*([?#].*)?$/, "");
  var fetchOriginal = window.fetch;
  window.fetch = function (resource, options) {
    var url = new URL(String(resource), window.location.href).href.replace(/[?#].*$/, "");
    var key = url.indexOf(root) === 0 ? decodeURIComponent(url.slice(root.length)) : null;
    if (key !== null && Object.prototype.hasOwnProperty.call(pages, key)) {
      return Promise.resolve(new Response(pages[key], {headers: {"Content-Type": "text/html"}}));
    }
    return fetchOriginal.apply(this, arguments);
  };
})();
"""

_MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"

_CSS = """/* Lepton Training: small adjustments on top of Furo. */
div.cell_output .output.text_html { overflow-x: auto; }
"""


class SiteError(RuntimeError):
    """The site could not be built, or the built site has broken links or external resources."""


@dataclass(frozen=True)
class SiteBuild:
    """A built site.

    Attributes
    ----------
    folder : Path
        The site's root; open ``index.html``.
    modules : tuple of str
        The modules with a page.
    instructor : bool
        Whether it is the instructor version.
    seconds : float
        Build time.
    """

    folder: Path
    modules: tuple[str, ...]
    instructor: bool
    seconds: float

    def summary(self) -> str:
        """One line for the terminal."""
        version = "instructor" if self.instructor else "learner"
        return (
            f"Built the {version} site of {len(self.modules)} module(s) in {self.seconds:.1f} s: "
            f"{self.folder / 'index.html'} (no warnings, internal links checked, nothing loaded from outside)."
        )


def _modules_with_notebooks(root: Path, course: Course) -> list[str]:
    return [m.id for m in course.modules if (root / "solutions" / m.id / f"{m.id}.ipynb").is_file()]


def _index(course: Course, published: list[str], instructor: bool) -> str:
    """Return the index page's MyST Markdown: the course, its modules with objectives and minutes, the toctree."""
    total = sum(m.total_minutes for m in course.modules)
    version = (
        "**Instructor version**: solutions and facilitator notes are shown. Do not share it with learners."
        if instructor
        else "Each module is a notebook: read it here, then open it in JupyterLab, on the course's JupyterHub or "
        "in Colab to run the code and answer the exercises, with instant feedback."
    )
    lines = [
        f"# {course.title}",
        "",
        f"{len(course.modules)} modules, {total} minutes of teaching and exercises in all. {version}",
        "",
        "| Module | Teaching | Exercises | Total |",
        "| --- | ---: | ---: | ---: |",
    ]
    for m in course.modules:
        name = f"[{m.title}]({m.id}/{m.id}.ipynb)" if m.id in published else f"{m.title} (in preparation)"
        lines.append(f"| {name} | {m.teaching_minutes} min | {m.exercise_minutes} min | {m.total_minutes} min |")
    for m in course.modules:
        lines += ["", f"## {m.title}", ""]
        lines.append(
            f"*Module `{m.id}` · {m.teaching_minutes} min teaching + {m.exercise_minutes} min exercises = "
            f"{m.total_minutes} min*"
        )
        prerequisites = ", ".join(m.prerequisites) or "none"
        lines += ["", f"Prerequisites: {prerequisites}", "", "You will be able to:", ""]
        lines += [f"- {objective}" for objective in m.objectives]
        lines.append("")
        lines.append(f"[Read the module]({m.id}/{m.id}.ipynb)" if m.id in published else "*In preparation.*")
    lines += ["", "```{toctree}", ":hidden:", ":caption: Modules", ":maxdepth: 1", ""]
    lines += [f"{module_id}/{module_id}" for module_id in published]
    lines += ["```", ""]
    return "\n".join(lines)


def _conf(course: Course, instructor: bool) -> str:
    """Sphinx's conf.py for the staged site."""
    title = course.title + (" (instructor)" if instructor else "")
    settings = {
        "project": course.title,
        "html_title": title,
        "author": "Lepton AI",
        "copyright": "Lepton AI",
        "language": "en",
        "extensions": ["myst_nb"],
        "html_theme": "furo",
        "html_static_path": ["_assets"],
        "html_css_files": ["lepton.css"],
        "html_copy_source": False,
        "html_show_sourcelink": False,
        "html_show_sphinx": False,
        "exclude_patterns": ["_build", "**.ipynb_checkpoints"],
        # Outputs come from the instructor notebooks' own run: nothing is executed at build time.
        "nb_execution_mode": "off",
        # MyST-NB would load the widget manager and require.js from CDNs; widgets are static here.
        "nb_ipywidgets_js": {},
        "myst_enable_extensions": ["dollarmath", "amsmath", "colon_fence"],
        "myst_heading_anchors": 3,
        # The local MathJax 2 (from jupyter-server-mathjax), copied under _static/mathjax.
        "mathjax_path": f"mathjax/MathJax.js?config={_MATHJAX_CONFIG}",
        "mathjax2_config": {
            "messageStyle": "none",
            # The local copy ships the STIX-Web fonts only: tell MathJax not to look for others.
            "HTML-CSS": {"availableFonts": [], "preferredFont": None, "webFont": "STIX-Web", "imageFont": None},
            "SVG": {"font": "STIX-Web"},
            "tex2jax": {
                "inlineMath": [["$", "$"], ["\\(", "\\)"]],
                "processEscapes": True,
                "ignoreClass": "document",
                "processClass": "math|output_area",
            },
        },
    }
    lines = ["# Generated by lepton_training.site.build: edit that module, not this file."]
    lines += [f"{name} = {value!r}" for name, value in settings.items()]
    return "\n".join(lines) + "\n"


def _note_cell(cell: dict) -> dict:
    """Turn a facilitator note into a MyST admonition (instructor site)."""
    from lepton_training.facilitation.notebook import note_body

    body = note_body(cell)
    fence = "::::" if ":::" in body else ":::"
    cell["source"] = f"{fence}{{admonition}} Facilitator note\n:class: tip\n\n{body}\n{fence}\n"
    return cell


def stage(root: str | Path, staging: str | Path, instructor: bool = False, course: Course | None = None) -> list[str]:
    """Write the Sphinx sources of the site into ``staging``.

    Parameters
    ----------
    root : path
        The course root (holds ``solutions/``).
    staging : path
        An empty or missing folder.
    instructor : bool, default False
        Solutions and facilitator notes shown (True) or the learner's reading version.
    course : Course, optional
        By default the course shipped with the package.

    Returns
    -------
    list of str
        The modules staged (those of the manifest that have an instructor notebook), in course order.
    """
    import nbformat

    from lepton_training.facilitation.notebook import instructor_notebook, is_facilitator_cell, prepare
    from lepton_training.facilitation.slides import mathjax_dir

    root, staging = Path(root), Path(staging)
    course = course or load_course()
    published = _modules_with_notebooks(root, course)
    staging.mkdir(parents=True, exist_ok=True)
    for module_id in published:
        source = root / "solutions" / module_id
        target = staging / module_id
        # Files beside the notebook (figures a markdown cell shows, small data files) keep their relative paths.
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints", "__pycache__"))
        nb = prepare(instructor_notebook(root, module_id), answers=instructor, notes=instructor)
        for cell in nb.cells:
            if is_facilitator_cell(cell):
                _note_cell(cell)
            elif cell.get("id") == "header":
                # The rendered header is the content; the call that renders it is plumbing.
                cell.metadata["tags"] = [*cell.metadata.get("tags", []), "remove-input"]
        nbformat.write(nb, target / f"{module_id}.ipynb")
    (staging / "index.md").write_text(_index(course, published, instructor), encoding="utf-8")
    (staging / "conf.py").write_text(_conf(course, instructor), encoding="utf-8")
    assets = staging / "_assets"
    assets.mkdir(exist_ok=True)
    (assets / "lepton.css").write_text(_CSS, encoding="utf-8")
    shutil.copytree(mathjax_dir(), assets / "mathjax", dirs_exist_ok=True)
    return published


def _inline_search_pages(site: Path) -> None:
    """Write every page's main text into ``_static/`` and have ``search.html`` load it before the search runs."""
    import json

    from bs4 import BeautifulSoup

    pages = {}
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        if rel.startswith("_") or rel in {"search.html", "genindex.html"}:
            continue
        main = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one('[role="main"]')
        if main is None:
            continue
        for element in main.select("script, style, img, svg, .headerlink"):
            element.decompose()
        for element in main.find_all(True):
            element.attrs = {k: v for k, v in element.attrs.items() if k in {"id", "role"}}
        pages[rel] = f'<div role="main">{main.decode_contents()}</div>'
    script = "window.LEPTON_SEARCH_PAGES = " + json.dumps(pages, ensure_ascii=False) + ";\n" + _SEARCH_SHIM
    (site / "_static" / SEARCH_PAGES).write_text(script, encoding="utf-8")
    search = site / "search.html"
    text = search.read_text(encoding="utf-8")
    tag = f'<script src="_static/{SEARCH_PAGES}"></script>\n'
    anchor = text.find('<script src="_static/searchtools.js')
    if anchor < 0:
        raise SiteError("search.html does not load _static/searchtools.js: Sphinx's search page has changed.")
    search.write_text(text[:anchor] + tag + text[anchor:], encoding="utf-8")


def build_site(
    root: str | Path, out: str | Path | None = None, instructor: bool = False, course: Course | None = None
) -> SiteBuild:
    """Build the site with Sphinx (warnings as errors), then check its links and external resources.

    Parameters
    ----------
    root : path
        The course root (holds ``solutions/``).
    out : path, optional
        Output folder, replaced by the new site; default ``<root>/_build/site`` (``site-instructor`` with
        ``instructor``). An existing folder that is not a Sphinx build is left alone and reported.
    instructor : bool, default False
        Build the instructor version (solutions and facilitator notes).
    course : Course, optional
        By default the course shipped with the package.

    Returns
    -------
    SiteBuild

    Raises
    ------
    SiteError
        When Sphinx reports a warning or an error (all of them are in the message), or when the built site has
        a broken internal link or loads anything from another host.
    """
    from lepton_training.site.links import check_site

    started = time.monotonic()
    root = Path(root).resolve()
    folder = Path(out) if out is not None else root / "_build" / ("site-instructor" if instructor else "site")
    folder = folder.resolve()
    if folder.exists() and any(folder.iterdir()) and not (folder / ".buildinfo").is_file():
        raise SiteError(f"{folder} exists and is not a site built by Sphinx: choose another --out, or empty it.")
    with tempfile.TemporaryDirectory(prefix="lepton-site-") as tmp:
        staging, doctrees, built = Path(tmp) / "src", Path(tmp) / "doctrees", Path(tmp) / "html"
        modules = stage(root, staging, instructor=instructor, course=course)
        warnings = Path(tmp) / "warnings.log"
        command = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q", "-E"]
        command += ["-d", str(doctrees), "-w", str(warnings), str(staging), str(built)]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            report = warnings.read_text(encoding="utf-8", errors="replace") if warnings.exists() else ""
            report = report.replace(str(staging) + "/", "") or result.stderr
            raise SiteError(f"Sphinx failed (warnings are errors):\n{report.strip()}")
        _inline_search_pages(built)
        problems = check_site(built)
        if problems:
            listed = "\n".join(f"  - {p}" for p in problems[:30])
            raise SiteError(f"The built site has {len(problems)} problem(s):\n{listed}")
        if folder.exists():
            shutil.rmtree(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(built), folder)
    return SiteBuild(folder=folder, modules=tuple(modules), instructor=instructor, seconds=time.monotonic() - started)
