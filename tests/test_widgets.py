"""The course's widgets: the countdown timer and the checkpoint, live (ipywidgets 8 here, 7.7.1 as on Colab) and
static (wherever widgets cannot render), and the static form of every widget output for offline pages.

The clicks in a real JupyterLab are in tests/test_browser_facilitation.py.
"""

import ast
import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
from conftest import REPO, SOLUTIONS, is_ci, load_notebook, module_ids

from lepton_training.manifest import load_course
from lepton_training.widgets import _compat, checkpoint, countdown, static_widget_outputs
from lepton_training.widgets.static import INTERACTIVE_NOTE
from lepton_training.widgets.timer import format_left

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGETS_SOURCE = REPO / "lepton_training" / "widgets"
IPYWIDGETS_7 = "7.7.1"  # Colab's version in every runtime from 2023 to 2026


# --- static forms ------------------------------------------------------------------------------------------------


def test_outside_a_kernel_only_the_static_form_is_shown():
    for shown in (countdown(6, "Exercise 3"), checkpoint("Exercise 3", hint="q3.hint()")):
        bundle = shown._repr_mimebundle_()
        assert set(bundle) == {"text/plain", "text/html"}
        assert "Exercise 3" in bundle["text/plain"] and "Exercise 3" in bundle["text/html"]
        assert "<script" not in bundle["text/html"] and "http" not in bundle["text/html"]
        assert str(shown) == bundle["text/plain"]


def test_the_static_forms_say_what_to_do_without_widgets():
    timer = str(countdown(6, "Exercise 3"))
    assert "6 minutes" in timer and "facilitator's timer" in timer
    box = str(checkpoint("Exercise 3"))
    assert "show of hands" in box and "Nothing is sent" in box


def test_in_a_kernel_the_bundle_adds_the_widget_view(monkeypatch):
    monkeypatch.setattr(_compat, "kernel_available", lambda: True)
    timer = countdown(6, "Exercise 3")
    bundle = timer._repr_mimebundle_()
    assert bundle[WIDGET_VIEW] == {"version_major": 2, "version_minor": 0, "model_id": timer.widget.model_id}
    assert "text/html" in bundle  # the fallback for a front end without the widget manager
    # Displayed twice: two views of one widget, not two timers.
    assert timer._repr_mimebundle_()[WIDGET_VIEW]["model_id"] == bundle[WIDGET_VIEW]["model_id"]


@pytest.mark.parametrize(("seconds", "text"), [(0, "0:00"), (59, "0:59"), (360, "6:00"), (3725, "1:02:05")])
def test_format_left(seconds, text):
    assert format_left(seconds) == text


@pytest.mark.parametrize("minutes", [0, -1, 241, "6", True, float("nan")])
def test_countdown_rejects_bad_minutes(minutes):
    with pytest.raises(ValueError, match="minutes"):
        countdown(minutes)


def test_checkpoint_rejects_an_empty_label_and_an_unknown_state():
    with pytest.raises(ValueError, match="label"):
        checkpoint("  ")
    with pytest.raises(ValueError, match="Unknown checkpoint state"):
        checkpoint("Exercise 1").message("maybe")


# --- live widgets (the installed ipywidgets 8) ---------------------------------------------------------------------


def test_the_timer_counts_down_as_the_play_control_advances():
    box = countdown(1, "Exercise 1").widget
    assert "1:00" in box.left.value
    box.play.value = 15  # what the browser's Play control does once a second
    assert "0:45" in box.left.value and "left" in box.left.value
    box.play.value = 60
    assert "time is up" in box.left.value.lower()
    assert box.bar.bar_style == "success"


def test_the_timer_bar_is_linked_in_the_browser():
    box = countdown(2, "Exercise 1").widget
    assert box.bar.max == box.play.max == 120
    assert box.play.interval == 1000
    # jslink: the bar moves in the browser even while the kernel is busy with another cell.
    assert box.link.source == (box.play, "value") and box.link.target == (box.bar, "value")


def test_the_checkpoint_records_done_and_stuck_locally():
    shown = checkpoint("Exercise 3", hint="q3.hint()")
    box = shown.widget
    assert "nothing is sent" in box.message.value
    box.done.click()
    assert shown.state == "done" and "marked Exercise 3 as done" in box.message.value
    assert "raise your hand" in box.message.value
    box.stuck.click()
    assert shown.state == "stuck" and "q3.hint()" in box.message.value


# --- ipywidgets 7 (Colab) ----------------------------------------------------------------------------------------

# Names that exist in ipywidgets 8 only (or 7 only): none may be used by the widgets' code (docstrings may name them).
VERSION_SPECIFIC = {
    "playing",  # Play: 8 only (7 has _playing)
    "_playing",
    "repeat",  # Play: 8 only (7 has _repeat)
    "_repeat",
    "Stack",
    "TagsInput",
    "ColorsInput",
    "description_allow_html",
    "DatetimePicker",
    "TimePicker",
    "NaiveDatetimePicker",
}


def _names_used(source):
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.keyword) and node.arg:
            names.add(node.arg)
    return names


def test_widget_code_uses_no_version_specific_api():
    for path in WIDGETS_SOURCE.glob("*.py"):
        used = _names_used(path.read_text()) & VERSION_SPECIFIC
        assert not used, f"{path.name} uses {sorted(used)}, which ipywidgets 7 or 8 lacks"


def _ipywidgets_7():
    """A folder with ipywidgets 7.7.1 (and ipython_genutils, which it imports), installed once with pip."""
    folder = Path(tempfile.gettempdir()) / f"lepton-ipywidgets-{IPYWIDGETS_7}"
    if not (folder / "ipywidgets" / "__init__.py").is_file():
        command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(folder)]
        command += [f"ipywidgets=={IPYWIDGETS_7}", "ipython_genutils"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            reason = f"could not install ipywidgets {IPYWIDGETS_7} with pip: {result.stderr[-500:]}"
            if is_ci():
                pytest.fail(reason)
            pytest.skip(reason)
    return folder


def test_the_widgets_work_with_ipywidgets_7():
    folder = _ipywidgets_7()
    code = textwrap.dedent(
        """
        import json, ipywidgets
        from lepton_training.widgets import countdown, checkpoint
        timer = countdown(1, "Exercise 1")
        box = timer.widget
        box.play.value = 30
        half = box.left.value
        box.play.value = 60
        shown = checkpoint("Exercise 1", hint="q1.hint()")
        shown.widget.stuck.click()
        print(json.dumps({"version": ipywidgets.__version__, "half": half, "end": box.left.value,
                          "state": shown.state, "message": shown.widget.message.value,
                          "model": bool(box.model_id)}))
        """
    )
    env = {"PYTHONPATH": str(folder), "PATH": str(Path(sys.executable).parent)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["version"] == IPYWIDGETS_7
    assert "0:30" in seen["half"] and "time is up" in seen["end"].lower()
    assert seen["state"] == "stuck" and "q1.hint()" in seen["message"] and seen["model"]


# --- static widget outputs for offline pages --------------------------------------------------------------------


@pytest.mark.parametrize("module_id", [m for m in module_ids() if m in {x.id for x in load_course().modules}])
def test_static_widget_outputs_leave_no_widget_view(module_id):
    nb = load_notebook(SOLUTIONS / module_id / f"{module_id}.ipynb")
    views = sum(WIDGET_VIEW in o.get("data", {}) for c in nb["cells"] for o in c.get("outputs", []))
    assert static_widget_outputs(nb) == views
    assert "widgets" not in nb["metadata"]
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            assert WIDGET_VIEW not in data
            if output.get("output_type") == "display_data":
                assert "text/plain" in data and "text/html" in data or "image/png" in data


def test_module_00_has_a_timer_and_a_checkpoint_with_static_forms():
    nb = load_notebook(SOLUTIONS / "00-orientation" / "00-orientation.ipynb")
    cells = {c["id"]: c for c in nb["cells"]}
    static_widget_outputs(nb)
    assert "Timer: Exercise 3" in json.dumps(cells["q3-timer"]["outputs"])
    assert "Checkpoint: Exercise 3" in json.dumps(cells["q3-checkpoint"]["outputs"])
    assert INTERACTIVE_NOTE.text in json.dumps(cells["s4-widget"]["outputs"])
    order = [c["id"] for c in nb["cells"]]
    assert order.index("q3-statement") < order.index("q3-timer") < order.index("q3-answer")
    assert order.index("q3-tests") < order.index("q3-checkpoint")


def test_importing_the_widgets_stays_light():
    code = "import sys, lepton_training.widgets\nprint(sorted({'ipywidgets', 'IPython'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
