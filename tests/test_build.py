"""Tests of the learner-release build: each preprocessor alone, then real nbgrader builds of a fixture."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbformat
import pytest
from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from nbgrader.api import Gradebook
from nbgrader.converters import GenerateAssignment
from nbgrader.utils import compute_checksum
from traitlets.config import Config
from traitlets.utils.importstring import import_item

from lepton_training.build import preprocessors as pp
from lepton_training.build.release import BuildError, _stage, build, check
from lepton_training.cli import main
from lepton_training.manifest import load_course

REPO = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "source" / "demo"


def nbgrader_meta(grade_id, *, grade=False, solution=False, locked=False, points=None):
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if points is not None:
        meta["points"] = points
    return meta


def run(preprocessor, nb):
    out, _ = preprocessor.preprocess(nb, {})
    return out


def tags(cell):
    return cell.metadata.get("tags", [])


# --- RemoveTaggedCells -----------------------------------------------------------------------------------------


def test_remove_tagged_cells_drops_facilitator_notes_only():
    nb = new_notebook(
        cells=[
            new_markdown_cell("intro"),
            new_markdown_cell("note", metadata={"tags": ["facilitator"]}),
            new_code_cell("x = 1", metadata={"tags": ["other"]}),
            new_markdown_cell("poll", metadata={"tags": ["slide", "facilitator"]}),
        ]
    )
    out = run(pp.RemoveTaggedCells(), nb)
    assert [c.source for c in out.cells] == ["intro", "x = 1"]


def test_remove_tagged_cells_tags_are_configurable():
    config = Config()
    config.RemoveTaggedCells.tags = ["draft", "answer-key"]
    nb = new_notebook(
        cells=[
            new_markdown_cell("a", metadata={"tags": ["draft"]}),
            new_markdown_cell("b", metadata={"tags": ["facilitator"]}),
            new_markdown_cell("c", metadata={"tags": ["answer-key"]}),
        ]
    )
    out = run(pp.RemoveTaggedCells(config=config), nb)
    assert [c.source for c in out.cells] == ["b"]


# --- ClearNotebookState ----------------------------------------------------------------------------------------


def test_clear_notebook_state_clears_outputs_counts_run_metadata_and_widgets():
    code = new_code_cell(
        "1 + 1",
        execution_count=3,
        outputs=[new_output("execute_result", data={"text/plain": "2"}, execution_count=3)],
        metadata={
            "execution": {"iopub.execute_input": "2026-01-01T00:00:00Z"},
            "collapsed": True,
            "scrolled": "auto",
            "tags": ["keep-me"],
        },
    )
    markdown = new_markdown_cell("text", metadata={"tags": ["keep"]})
    nb = new_notebook(
        cells=[markdown, code],
        metadata={
            "widgets": {"application/vnd.jupyter.widget-state+json": {"state": {"a": {}}}},
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        },
    )
    out = run(pp.ClearNotebookState(), nb)
    assert "widgets" not in out.metadata
    assert out.metadata.kernelspec.name == "python3"
    cell = out.cells[1]
    assert cell.outputs == []
    assert cell.execution_count is None
    assert dict(cell.metadata) == {"tags": ["keep-me"]}
    assert out.cells[0].source == "text"
    assert out.cells[0].metadata == {"tags": ["keep"]}


# --- AddColabSetupCell -----------------------------------------------------------------------------------------


def notebook_with_code():
    return new_notebook(
        cells=[
            new_markdown_cell("# Title", id="title"),
            new_markdown_cell("More text", id="text"),
            new_code_cell("import math", id="setup"),
            new_code_cell("math.pi", id="later"),
        ]
    )


def colab_cells(nb):
    return [c for c in nb.cells if "colab-setup" in tags(c)]


def test_colab_cell_goes_before_the_first_code_cell_with_the_manifest_pip_spec():
    out = run(pp.AddColabSetupCell(), notebook_with_code())
    assert [c.id for c in out.cells] == ["title", "text", "colab-setup", "setup", "later"]
    cell = out.cells[2]
    assert cell.cell_type == "code"
    assert f"SOURCE = {load_course().pip_spec!r}" in cell.source
    assert "%pip" not in cell.source  # %pip prints "you may need to restart the kernel", wrong here
    assert 'if "google.colab" in sys.modules:' in cell.source
    assert cell.metadata.editable is False
    assert cell.metadata.deletable is False
    assert "nbgrader" not in cell.metadata
    nbformat.validate(out)


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"token_secret": "LEPTON_GIT_TOKEN"},
        {"pip_spec": "lepton-training==9.9", "pip_options": "--index-url https://pkgs.example.com/simple"},
        {"pip_spec": "lepton-training==9.9", "pip_options": "--index-url https://p.example.com/s", "token_secret": "T"},
    ],
)
def test_colab_cell_is_plain_python_and_does_nothing_outside_colab(options, monkeypatch):
    import subprocess

    source = pp.AddColabSetupCell(**options).setup_source()
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: calls.append(a))
    exec(compile(source, "<colab-setup>", "exec"), {})
    assert calls == []


def test_colab_cell_pip_spec_is_configurable():
    config = Config()
    config.AddColabSetupCell.pip_spec = "lepton-training==9.9"
    out = run(pp.AddColabSetupCell(config=config), notebook_with_code())
    assert "SOURCE = 'lepton-training==9.9'" in colab_cells(out)[0].source


def test_colab_cell_is_idempotent_and_replaces_an_existing_setup_cell():
    first = run(pp.AddColabSetupCell(), notebook_with_code())
    twice = run(pp.AddColabSetupCell(), nbformat.from_dict(json.loads(json.dumps(first))))
    assert twice == first

    nb = notebook_with_code()
    nb.cells.insert(1, new_code_cell("%pip install old-thing", id="mine", metadata={"tags": ["colab-setup"]}))
    out = run(pp.AddColabSetupCell(), nb)
    cells = colab_cells(out)
    assert len(cells) == 1
    assert cells[0].id == "mine"
    assert "old-thing" not in cells[0].source
    assert load_course().pip_spec in cells[0].source


def test_colab_cell_skipped_without_code_and_has_no_id_before_nbformat_4_5():
    nb = new_notebook(cells=[new_markdown_cell("only text")])
    assert run(pp.AddColabSetupCell(), nb).cells == nb.cells

    old = new_notebook(cells=[new_code_cell("x = 1")])
    old.nbformat_minor = 4
    for cell in old.cells:
        del cell["id"]
    out = run(pp.AddColabSetupCell(), old)
    assert "id" not in colab_cells(out)[0]
    nbformat.validate(out)


# --- QuietAnswerStubs ------------------------------------------------------------------------------------------


def test_top_level_stubs_are_dropped_and_function_stubs_kept():
    value = new_code_cell(
        "# YOUR CODE HERE\nraise NotImplementedError()", metadata={"nbgrader": nbgrader_meta("a", solution=True)}
    )
    function = new_code_cell(
        "def f():\n    # YOUR CODE HERE\n    raise NotImplementedError()",
        metadata={"nbgrader": nbgrader_meta("b", solution=True)},
    )
    test = new_code_cell(
        "raise NotImplementedError()", metadata={"nbgrader": nbgrader_meta("t", grade=True, locked=True, points=1)}
    )
    plain = new_code_cell("raise NotImplementedError()")
    nb = new_notebook(cells=[value, function, test, plain])
    out = run(pp.QuietAnswerStubs(), nb)
    assert [c.source for c in out.cells] == [
        "# YOUR CODE HERE",
        "def f():\n    # YOUR CODE HERE\n    raise NotImplementedError()",
        "raise NotImplementedError()",
        "raise NotImplementedError()",
    ]
    assert all(tags(c) == [] for c in out.cells)
    exec(compile(out.cells[0].source, "answer", "exec"), {})  # the unanswered cell runs


# --- the chain -------------------------------------------------------------------------------------------------


def test_nbgrader_default_chain_is_what_we_extend():
    names = [cls.__name__ for cls in GenerateAssignment.class_traits()["preprocessors"].default()]
    assert [s.rsplit(".", 1)[1] for s in pp.NBGRADER_RELEASE_CHAIN] == names


def test_release_chain_keeps_nbgrader_order_and_places_ours():
    chain = pp.release_preprocessors()
    assert [s for s in chain if s.startswith("nbgrader.")] == list(pp.NBGRADER_RELEASE_CHAIN)
    for name in chain:
        assert issubclass(import_item(name), Preprocessor), name
    ours = "lepton_training.build.preprocessors."
    position = {name: chain.index(name) for name in chain}  # first occurrence
    save_cells = position["nbgrader.preprocessors.SaveCells"]
    first_checksum = position["nbgrader.preprocessors.ComputeChecksums"]
    # Removed cells must never reach the checksums or the gradebook.
    assert position[ours + "RemoveTaggedCells"] < min(first_checksum, save_cells)
    assert position[ours + "QuietAnswerStubs"] > position["nbgrader.preprocessors.ClearSolutions"]
    assert position[ours + "ClearNotebookState"] > position["nbgrader.preprocessors.ClearOutput"]
    assert position[ours + "AddColabSetupCell"] < position["nbgrader.preprocessors.CheckCellMetadata"]


# --- real builds -----------------------------------------------------------------------------------------------


def make_course_root(path: Path) -> Path:
    """A course root like the repo's: the configuration files and solutions/demo (with a data file)."""
    path.mkdir(parents=True, exist_ok=True)
    for name in ("jupyter_config.py", "nbgrader_config.py"):
        shutil.copy(REPO / name, path / name)
    shutil.copytree(FIXTURE, path / "solutions" / "demo")
    (path / "solutions" / "demo" / "data").mkdir()
    (path / "solutions" / "demo" / "data" / "points.csv").write_text("x,y\n1,1\n2,4\n", encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def isolated_jupyter(tmp_path_factory):
    home = tmp_path_factory.mktemp("jupyter-home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JUPYTER_CONFIG_DIR", str(home / "config"))
        mp.setenv("JUPYTER_DATA_DIR", str(home / "data"))
        mp.setenv("JUPYTER_RUNTIME_DIR", str(home / "runtime"))
        mp.setenv("IPYTHONDIR", str(home / "ipython"))
        mp.setenv("MPLCONFIGDIR", str(home / "matplotlib"))
        # The tests' gradebook must stay in their temporary course root.
        mp.delenv("LEPTON_GRADEBOOK_URL", raising=False)
        # nbgrader's gradebook runs `alembic`, installed beside this interpreter.
        mp.setenv("PATH", os.pathsep.join([sysconfig.get_path("scripts"), os.environ["PATH"]]))
        yield


@pytest.fixture(scope="module")
def built(tmp_path_factory, isolated_jupyter):
    root = make_course_root(tmp_path_factory.mktemp("built") / "repo")
    result = build(root)
    return root, result


def release_notebook(root: Path):
    return nbformat.read(root / "course" / "demo" / "demo.ipynb", as_version=4)


@pytest.mark.slow
def test_build_writes_the_learner_release(built):
    root, result = built
    assert result.modules == ("demo",)
    assert (root / "course" / "demo" / "data" / "points.csv").read_text() == "x,y\n1,1\n2,4\n"
    nb = release_notebook(root)
    text = (root / "course" / "demo" / "demo.ipynb").read_text()

    assert "Facilitator note" not in text
    assert not any("facilitator" in tags(c) for c in nb.cells)
    answer = next(c for c in nb.cells if c.id == "squares-answer")
    assert "raise NotImplementedError()" in answer.source
    assert "i * i" not in text
    assert "BEGIN SOLUTION" not in text
    tests = next(c for c in nb.cells if c.id == "squares-tests")
    assert tests.source.strip() == "assert squares(3) == [1, 4, 9]"
    assert "HIDDEN" not in text
    assert "squares(5)" not in text
    assert all(c.outputs == [] and c.execution_count is None for c in nb.cells if c.cell_type == "code")
    assert all("execution" not in c.metadata and "scrolled" not in c.metadata for c in nb.cells)
    assert "widgets" not in nb.metadata

    setup = colab_cells(nb)
    assert len(setup) == 1
    first_code = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    assert nb.cells[first_code] is setup[0]
    # No cell is tagged to be allowed to fail: an unanswered release runs without errors (tests/test_notebooks.py).
    assert not any("raises-exception" in tags(c) for c in nb.cells)
    # The tags do not disturb nbgrader's tamper check: what `nbgrader validate` recomputes still matches.
    for cell in nb.cells:
        if "nbgrader" in cell.metadata:
            assert compute_checksum(cell) == cell.metadata.nbgrader.checksum
    nbformat.validate(nb)


@pytest.mark.slow
def test_build_records_the_assignment_in_the_course_gradebook(built):
    root, _ = built
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        assignment = gb.find_assignment("demo")
        assert [nb.name for nb in assignment.notebooks] == ["demo"]
        assert gb.find_grade_cell("squares-tests", "demo", "demo").max_score == 2.0
        # The gradebook keeps the hidden tests, to restore them when grading.
        assert "squares(5)" in gb.find_source_cell("squares-tests", "demo", "demo").source


@pytest.mark.slow
def test_build_is_byte_identical_when_repeated_and_check_agrees(built):
    root, _ = built
    before = snapshot(root / "course")
    build(root)
    assert snapshot(root / "course") == before
    assert not list((root / "course").glob(".*")), "temporary folders left in course/"

    result = check(root)
    assert result.ok, result.summary()
    assert result.summary().startswith("OK")


@pytest.mark.slow
def test_check_names_the_edited_cell_and_cli_exits_1(built, tmp_path, capsys):
    root = tmp_path / "repo"
    shutil.copytree(built[0], root)
    gradebook = (root / "gradebook.db").read_bytes()
    path = root / "solutions" / "demo" / "demo.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[3].source = nb.cells[3].source.replace("Exercise 1", "Exercise one")
    nbformat.write(nb, path)

    result = check(root)
    assert not result.ok
    assert [s.path for s in result.stale] == ["demo/demo.ipynb"]
    (change,) = result.stale[0].changes
    # The release has no facilitator cell but has the Colab cell, so the same cell keeps index 3.
    assert (change.index, change.kind) == (3, "source")
    assert change.title == "markdown: ## Exercise one"
    assert "-## Exercise 1" in change.diff
    assert "+## Exercise one" in change.diff
    # check() never touches course/ or the course gradebook.
    assert (root / "gradebook.db").read_bytes() == gradebook
    assert "Exercise 1" in (root / "course" / "demo" / "demo.ipynb").read_text()

    assert main(["build", "--check", "--root", str(root)]) == 1
    out = capsys.readouterr().out
    assert "stale: course/demo/demo.ipynb" in out
    assert "cell 3: source (markdown: ## Exercise one)" in out
    assert "{" not in out  # a summary, not JSON


@pytest.mark.slow
def test_check_reports_missing_and_extra_without_a_gradebook(tmp_path, isolated_jupyter):
    root = make_course_root(tmp_path / "repo")
    (root / "course" / "gone").mkdir(parents=True)
    (root / "course" / "gone" / "gone.ipynb").write_text("{}")
    result = check(root)
    assert set(result.missing) == {"demo/demo.ipynb", "demo/data/points.csv"}
    assert result.extra == ("gone/gone.ipynb",)
    assert not (root / "gradebook.db").exists()
    assert "missing: course/demo/demo.ipynb" in result.summary()


@pytest.mark.slow
def test_release_runs_under_nbval(built, tmp_path):
    root, _ = built
    stub = root / "course" / "demo" / "demo.ipynb"
    # A learner's correct answer runs under nbval. (This demo's plain `assert` test cell fails while unanswered;
    # the course's test cells call `qN.grade()`, which never raises: tests/test_notebooks.py runs them unanswered.)
    nb = nbformat.read(stub, as_version=4)
    answer = next(c for c in nb.cells if c.id == "squares-answer")
    answer.source = "def squares(n):\n    return [i * i for i in range(1, n + 1)]"
    nbformat.write(nb, tmp_path / "answered.ipynb")
    env = {**os.environ, "PATH": os.pathsep.join([sysconfig.get_path("scripts"), os.environ["PATH"]])}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax", "--rootdir", str(tmp_path)]
        + ["answered.ipynb"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --- errors ----------------------------------------------------------------------------------------------------


def test_invalid_json_source_gives_a_clear_error_and_keeps_course(tmp_path, capsys):
    root = make_course_root(tmp_path / "repo")
    (root / "course" / "demo").mkdir(parents=True)
    (root / "course" / "demo" / "demo.ipynb").write_text("previous release")
    (root / "solutions" / "demo" / "demo.ipynb").write_text('{"cells": [\n<<<<<<< HEAD\n')

    with pytest.raises(BuildError, match=r"solutions/demo/demo\.ipynb is not valid JSON \(line 2"):
        build(root)
    assert main(["build", "--root", str(root)]) == 1
    assert "solutions/demo/demo.ipynb is not valid JSON" in capsys.readouterr().err
    assert snapshot(root / "course") == {"demo/demo.ipynb": b"previous release"}


def test_missing_cell_ids_are_filled_deterministically_when_staging(tmp_path, caplog):
    # nbformat gives an id-less cell of a 4.5 notebook a new random id at every read, which would make the
    # release differ at every build.
    root = make_course_root(tmp_path / "repo")
    path = root / "solutions" / "demo" / "demo.ipynb"
    data = json.loads(path.read_text())
    for cell in data["cells"][:3]:
        del cell["id"]
    data["cells"][4]["id"] = "cell-1"  # an author's id that a position-based id must not collide with
    path.write_text(json.dumps(data))

    staged = []
    for n in range(2):
        _stage(root, ["demo"], tmp_path / f"stage{n}")
        staged.append((tmp_path / f"stage{n}" / "demo" / "demo.ipynb").read_bytes())
    assert staged[0] == staged[1]
    ids = [c.id for c in nbformat.reads(staged[0].decode(), as_version=4).cells]
    assert ids[:5] == ["cell-0", "cell-1-1", "cell-2", "exercise-1", "cell-1"]
    assert "demo.ipynb has cells without an id" in caplog.text
    assert (tmp_path / "stage0" / "demo" / "data" / "points.csv").is_file()


def test_folder_without_notebook_and_unknown_module_are_errors(tmp_path):
    root = make_course_root(tmp_path / "repo")
    (root / "solutions" / "01-empty").mkdir()
    (root / "solutions" / "01-empty" / "notes.txt").write_text("x")
    with pytest.raises(BuildError, match=r"solutions/01-empty/ has no notebook"):
        build(root)
    with pytest.raises(BuildError, match=r"No module folder 'nope'.*known modules: 01-empty, demo"):
        build(root, ["nope"])
    (root / "nbgrader_config.py").unlink()
    with pytest.raises(BuildError, match="no nbgrader_config.py"):
        build(root)


@pytest.mark.slow
def test_nbgrader_failure_names_the_notebook_and_keeps_course(built, tmp_path, isolated_jupyter):
    root = make_course_root(tmp_path / "repo")
    shutil.copytree(built[0] / "course", root / "course")
    before = snapshot(root / "course")
    nb = nbformat.read(root / "solutions" / "demo" / "demo.ipynb", as_version=4)
    nb.cells[5].metadata.nbgrader.grade_id = "squares-answer"  # the answer cell's id
    nbformat.write(nb, root / "solutions" / "demo" / "demo.ipynb")

    with pytest.raises(BuildError) as error:
        build(root)
    message = str(error.value)
    assert "solutions/demo/demo.ipynb: ValidationError: Duplicate grade id: squares-answer" in message
    assert "course/ was left unchanged" in message
    assert snapshot(root / "course") == before
