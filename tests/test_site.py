"""The knowledge-base site: Sphinx with warnings as errors, every internal link checked, nothing loaded from
outside, the learner version without answers or "invalid answer" boxes, the instructor version with both.

The browser side (search offline, every request recorded) is in tests/test_browser_facilitation.py.
"""

import re
import time

import pytest
from conftest import SOLUTIONS, module_ids
from test_facilitation import page_text, solution_lines

from lepton_training.cli import main
from lepton_training.manifest import load_course
from lepton_training.site.build import SEARCH_PAGES, SiteError, build_site, stage
from lepton_training.site.links import check_site
from lepton_training.widgets.static import INTERACTIVE_NOTE

# The course's modules that have an instructor notebook now (modules are added while others are written).
MODULES = [m for m in module_ids() if m in {module.id for module in load_course().modules}]
ROOT = SOLUTIONS.parent


@pytest.fixture(scope="module")
def learner_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "learner"
    started = time.monotonic()
    # Through the command, as a publisher runs it: exit 1 on any Sphinx warning or broken link.
    assert main(["site", "--out", str(out)]) == 0
    print(f"learner site built in {time.monotonic() - started:.1f} s")
    return out


@pytest.fixture(scope="module")
def instructor_site(tmp_path_factory):
    built = build_site(ROOT, tmp_path_factory.mktemp("site") / "instructor", instructor=True)
    print(built.summary())
    return built.folder


@pytest.mark.slow
def test_every_module_has_a_page_and_the_links_hold(learner_site, instructor_site):
    for site in (learner_site, instructor_site):
        assert check_site(site) == []
        for module_id in MODULES:
            assert (site / module_id / f"{module_id}.html").is_file()
        assert (site / "search.html").is_file() and (site / "searchindex.js").is_file()
        # Opened from disk, the search's summaries come from the pages' inline text, loaded by search.html.
        inline = (site / "_static" / SEARCH_PAGES).read_text()
        assert f'src="_static/{SEARCH_PAGES}"' in (site / "search.html").read_text()
        for module_id in MODULES:
            assert f'"{module_id}/{module_id}.html":' in inline
        searchindex = (site / "searchindex.js").read_text()
        for module in load_course().modules:
            if module.id in MODULES:
                assert module.title in searchindex


@pytest.mark.slow
def test_the_index_comes_from_course_toml(learner_site):
    text, anchors = page_text(learner_site / "index.html")
    text = " ".join(text.split()).replace("\u2019", "'")  # Sphinx's smart quotes
    course = load_course()
    assert course.title in text
    for module in course.modules:
        assert module.title in text
        assert f"{module.teaching_minutes} min teaching + {module.exercise_minutes} min exercises" in text
        for objective in module.objectives:
            assert " ".join(objective.replace("`", "").split()) in text.replace("`", "")
        if module.id in MODULES:
            assert f"{module.id}/{module.id}.html" in anchors


@pytest.mark.slow
@pytest.mark.parametrize("module_id", MODULES)
def test_learner_pages_show_statements_not_answers_nor_failed_checks(learner_site, module_id):
    text, _anchors = page_text(learner_site / module_id / f"{module_id}.html")
    for line in solution_lines(module_id):
        assert line not in text, f"{module_id}: the learner site shows the solution line {line!r}"
    for leak in ("not written this answer", "Invalid answer", "BEGIN HIDDEN TESTS", "hidden=", "Facilitator note"):
        assert leak not in text, f"{module_id}: the learner site shows {leak!r}"
    assert re.search(r"Exercise 1\b", text), "the exercise statements are there"
    assert "NotImplementedError" in text  # the stubs the learner will fill in


@pytest.mark.slow
@pytest.mark.parametrize("module_id", MODULES)
def test_instructor_pages_show_solutions_and_notes(instructor_site, module_id):
    text, _anchors = page_text(instructor_site / module_id / f"{module_id}.html")
    lines = solution_lines(module_id)
    assert sum(line in text for line in lines) >= 0.9 * len(lines)
    assert "Facilitator note" in text
    assert "HIDDEN TESTS" not in text


@pytest.mark.slow
def test_widgets_show_their_static_form(learner_site):
    text, _anchors = page_text(learner_site / "00-orientation" / "00-orientation.html")
    assert "Timer: Exercise 3" in text and "Checkpoint: Exercise 3" in text
    assert INTERACTIVE_NOTE.text.split(": ", 1)[-1][:40] in " ".join(text.split())
    page = (learner_site / "00-orientation" / "00-orientation.html").read_text()
    assert "widget-view+json" not in page and "embed-amd" not in page


def test_staging_marks_modules_without_a_notebook(tmp_path):
    published = stage(ROOT, tmp_path / "src")
    assert published == MODULES
    index = (tmp_path / "src" / "index.md").read_text()
    for module in load_course().modules:
        assert (module.id in published) == (f"]({module.id}/{module.id}.ipynb)" in index)
    conf = (tmp_path / "src" / "conf.py").read_text()
    assert "nb_execution_mode = 'off'" in conf and "nb_ipywidgets_js = {}" in conf


def test_the_link_check_finds_broken_links_and_external_resources(tmp_path):
    (tmp_path / "index.html").write_text(
        '<a href="page.html#here">ok</a> <a href="page.html#gone">gone</a> <a href="missing.html">missing</a>'
        '<a href="https://example.org/">a link is fine</a><script src="https://cdn.example.org/x.js"></script>'
        '<link rel="stylesheet" href="//fonts.example.org/f.css"><img src="img.png">'
        "<style>/* https://comment.example.org */ body { background: url(https://example.org/bg.png) }</style>"
    )
    (tmp_path / "page.html").write_text('<h1 id="here">Here</h1>')
    problems = {(p.target, p.reason.split(" ")[0]) for p in check_site(tmp_path)}
    assert problems == {
        ("page.html#gone", "no"),
        ("missing.html", "no"),
        ("img.png", "no"),
        ("https://cdn.example.org/x.js", "loaded"),
        ("//fonts.example.org/f.css", "loaded"),
        ("url(https://", "loaded"),
    }


def test_an_existing_folder_that_is_not_a_site_is_left_alone(tmp_path):
    (tmp_path / "notes.txt").write_text("keep me")
    with pytest.raises(SiteError, match="not a site built by Sphinx"):
        build_site(ROOT, tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "keep me"
