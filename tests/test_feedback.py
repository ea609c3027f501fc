"""The learners' feedback pages: offline maths, titles by question, the learner's own figures, fonts in the sandbox."""

import csv
import json
import os
import shutil
import subprocess
import sys
import zipfile

import nbformat
import pytest
from conftest import COURSE, copy_course_root

from lepton_training.grading import sandbox
from lepton_training.grading.feedback import OfflineMath, finish_page, question_titles, tex_to_svg
from lepton_training.grading.run import _learner_outputs
from lepton_training.grading.seeds import test_cells


def test_maths_is_drawn_offline_and_code_is_left_alone():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            "The loss $L = \\sum_i (y_i - \\hat{y}_i)^2$ and $$\\frac{a}{b}$$; a price of $5 and `echo $HOME`."
        ),
        nbformat.v4.new_markdown_cell("Broken: $\\begin{bmatrix}1\\end{bmatrix}$."),
    ]
    OfflineMath().preprocess(nb, {})
    first, second = nb.cells[0].source, nb.cells[1].source
    assert first.count('<img class="lepton-math"') == 2 and "data:image/svg+xml;base64," in first
    assert "a price of $5 and `echo $HOME`" in first
    # The course's spellings that mathtext spells otherwise (module 05's constraints).
    assert tex_to_svg("0 \\le x_i \\le u_i, \\textstyle\\sum_i x_i \\ne 0 \\text{ hires}") is not None
    # What mathtext cannot draw stays readable as its TeX.
    assert tex_to_svg("\\begin{bmatrix}1\\end{bmatrix}") is None
    assert "<code>\\begin{bmatrix}1\\end{bmatrix}</code>" in second


def test_a_page_loses_its_cdn_script_and_names_each_question(tmp_path):
    page = tmp_path / "feedback.html"
    page.write_text(
        '<head><script src="https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/latest.js?config=TeX"> </script>'
        '<script type="text/x-mathjax-config">init_mathjax();</script></head>'
        '<li><a href="#q1-tests">Test cell</a> (Score: 1.0 / 1.0)</li>'
    )
    release = json.loads((COURSE / "00-orientation" / "00-orientation.ipynb").read_text(encoding="utf-8"))
    titles = question_titles("00-orientation", test_cells(release))
    assert titles["q1-tests"] == "q1 · Completion rate"
    finish_page(page, titles)
    text = page.read_text()
    assert "<script" not in text and "http" not in text
    assert '<a href="#q1-tests">q1 · Completion rate</a>' in text


def test_a_colab_notebook_without_cell_ids_keeps_its_figures():
    figure = {"output_type": "display_data", "data": {"image/png": "iVBORw0KGgo="}, "metadata": {}}
    submitted = {
        "cells": [
            {"cell_type": "code", "source": "import x", "outputs": [], "metadata": {}},
            {"cell_type": "code", "source": "plot()", "outputs": [figure], "metadata": {}},
            {"cell_type": "code", "source": "plot()", "outputs": [], "metadata": {}},
        ]
    }
    executed = nbformat.v4.new_notebook()
    # nbgrader gave the cells new ids; the second "plot()" cell is the learner's third cell, not their second.
    executed.cells = [nbformat.v4.new_code_cell(s) for s in ("import x", "plot()", "plot()")]
    found = _learner_outputs(executed, submitted)
    assert found == {0: [], 1: [figure], 2: []}


def test_the_sandbox_gives_fontconfig_a_configuration(tmp_path, monkeypatch):
    if sandbox.sandbox_problem():
        pytest.skip(sandbox.sandbox_problem())
    binds, env = sandbox._fonts_arguments(tmp_path)
    assert "FONTCONFIG_FILE" in env and "XDG_CACHE_HOME" in env
    # A machine without a configuration of its own (a minimal container): a minimal one is written and bound.
    monkeypatch.setattr(sandbox, "fontconfig_file", lambda: None)
    binds, env = sandbox._fonts_arguments(tmp_path)
    assert (tmp_path / "fonts.conf").is_file() and sandbox.FONTS_CONF_PATH in binds
    if shutil.which("fc-match") is None:
        pytest.skip("fc-match is not installed")
    prefix = os.path.realpath(sys.prefix)  # matplotlib's fonts, which the minimal configuration lists
    # fontconfig itself, in a bubblewrap with the same binds and environment: no "Fontconfig error".
    command = (
        "bwrap --unshare-user --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib "
        f"--symlink usr/lib64 /lib64 --proc /proc --dev /dev --tmpfs /tmp {binds} "
        f"--ro-bind {prefix} {prefix} --clearenv {env} --setenv HOME /tmp -- /usr/bin/fc-match"
    )
    done = subprocess.run(["sh", "-c", command], capture_output=True, text=True, timeout=60)
    assert "Fontconfig error" not in done.stderr, done.stderr


def _pages(root, learners):
    """Feedback pages as `grade` leaves them; a hub learner's folder has the exchange's secret."""
    for learner, secret in learners.items():
        folder = root / "feedback" / learner / "00-orientation"
        folder.mkdir(parents=True)
        (folder / "00-orientation.html").write_text(f"<p>{learner}'s feedback</p>")
        (folder / "timestamp.txt").write_text("2026-12-04 10:00:00.000000 UTC")
        if secret:
            (folder / "submission_secret.txt").write_text("s3cret")


@pytest.mark.parametrize("writable", [True, False])
def test_feedback_reaches_hub_and_colab_learners(tmp_path, monkeypatch, writable):
    from nbgrader.api import Gradebook
    from nbgrader.utils import notebook_hash

    from lepton_training.grading.feedback import deliver_feedback
    from lepton_training.grading.gradebook import use_in_process_alembic
    from lepton_training.grading.validate import load_course_config

    root = tmp_path / "root"
    root.mkdir()
    copy_course_root(root, [])
    use_in_process_alembic()
    db_url = f"sqlite:///{root / 'gradebook.db'}"
    with Gradebook(db_url, course_id="lepton-training") as gb:
        gb.update_or_create_student("hubann", first_name="Ann", last_name="Hub", email="ann@example.com")
        gb.update_or_create_student("alice", first_name="Alice", last_name="Martin", email="alice@example.com")
        gb.update_or_create_student("bob", first_name="Bob", last_name="Stone")
    _pages(root, {"hubann": True, "alice": False, "bob": False})
    exchange = tmp_path / "exchange"
    if writable:
        exchange.mkdir(mode=0o1777)
    hub = tmp_path / "hub-config"
    hub.mkdir()
    (hub / "jupyter_config.py").write_text(f"c = get_config()\nc.Exchange.root = {str(exchange)!r}\n")
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", str(hub))

    delivery = deliver_feedback(root, "00-orientation", load_course_config(root), db_url)
    rows = list(csv.DictReader(delivery.mail_merge.open(encoding="utf-8")))
    if writable:
        # nbgrader's own release, as learners' Fetch Feedback looks for it; the Colab learners did not stop it.
        name = notebook_hash(secret="s3cret", notebook_id="00-orientation")
        assert (exchange / "lepton-training" / "feedback" / f"{name}.html").is_file()
        assert delivery.hub == ["hubann"] and not delivery.hub_problem
        assert [r["learner"] for r in rows] == ["alice", "bob"]
    else:
        # The hub's exchange is not there: said, and every page goes to the outbox instead of nowhere.
        assert delivery.hub_problem.startswith("`nbgrader release_feedback 00-orientation` failed: ")
        assert "NOT RELEASED to the hub's learners" in delivery.summary()
        assert [r["learner"] for r in rows] == ["alice", "bob", "hubann"]
    assert rows[0] == {
        "learner": "alice",
        "name": "Alice Martin",
        "email": "alice@example.com",
        "file": "alice-00-orientation.html",
    }
    assert delivery.no_address == ["bob"] and "No email address in the gradebook for bob" in delivery.summary()
    with zipfile.ZipFile(delivery.archive) as archive:
        assert "00-orientation/alice-00-orientation.html" in archive.namelist()
