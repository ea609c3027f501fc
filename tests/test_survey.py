"""The training survey notebook: not graded, labelled widgets with a typed fallback, answers saved in the notebook.

Its real nbgrader round trip (release, a learner's run, submission, autograde, the report reading the answers) is
in tests/test_report_roundtrip.py.
"""

import pytest
from conftest import COURSE, SOLUTIONS, cell_source, load_notebook, nbgrader_meta

from lepton_training.manifest import load_course
from lepton_training.report.survey import read_survey
from lepton_training.widgets.survey import SURVEY_MIME, SurveyForm

MODULE = "99-survey"


@pytest.mark.parametrize("folder", [SOLUTIONS, COURSE])
def test_survey_notebook_is_not_graded_and_has_a_fallback(folder):
    nb = load_notebook(folder / MODULE / f"{MODULE}.ipynb")
    assert not any(nbgrader_meta(c).get("grade") or nbgrader_meta(c).get("solution") for c in nb["cells"])
    sources = {c["id"]: cell_source(c) for c in nb["cells"]}
    assert "survey.show()" in sources["form"] and "survey.record(ratings, comments)" in sources["fallback"]
    assert "not graded" in sources["intro"]


def test_form_records_answers_in_its_output(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, **kw: shown.append((obj, kw)))
    monkeypatch.setattr("IPython.display.update_display", lambda obj, **kw: shown.append((obj, kw)))
    form = SurveyForm()
    assert [m for m, _ in form.modules] == [m.id for m in load_course().modules]
    form.record({"00-orientation": 4}, {"course": "Clear examples.", "01-data-prep": "  "})
    bundle, options = shown[-1]
    assert options["raw"] and options["display_id"].startswith("lepton-survey-")
    assert bundle[SURVEY_MIME]["ratings"] == {"00-orientation": 4}
    assert bundle[SURVEY_MIME]["comments"] == {"course": "Clear examples."}
    assert "1 of 6 modules rated" in bundle["text/plain"]
    for bad in ({"00-orientation": 6}, {"00-orientation": True}, {"no-module": 3}):
        with pytest.raises(ValueError, match="module|rating"):
            form.record(bad)
    # The live form (ipywidgets 7 and 8 APIs only): a change of a menu updates the saved answers.
    import ipywidgets

    box = form.build(ipywidgets)
    rating = box.children[1].children[1]
    rating.value = 2
    assert shown[-1][0][SURVEY_MIME]["ratings"]["01-data-prep"] == 2
    assert "Training survey" in form.static().text
    # The report reads the latest answers saved in a notebook.
    nb = {
        "cells": [
            {"outputs": [{"data": {SURVEY_MIME: {**bundle[SURVEY_MIME], "saved": "2026-01-01T00:00:00Z"}}}]},
            {"outputs": [{"data": shown[-1][0]}]},
        ]
    }
    assert read_survey(nb)["ratings"] == {"00-orientation": 4, "01-data-prep": 2}
