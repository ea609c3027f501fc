"""`lepton-training collect` against the bad uploads of a real cohort (issue 20, "Collect"): each with its message."""

import os
import shutil
import unicodedata

import pytest
from conftest import COURSE

from lepton_training.cli import main
from lepton_training.grading.collect import NAMING_RULE, collect, name_key

MODULE = "01-data-prep"


def _release(module=MODULE):
    return (COURSE / module / f"{module}.ipynb").read_text(encoding="utf-8")


def _answered(module=MODULE, mark="first"):
    # A different file with the same metadata: what a learner's saved work looks like to collect.
    return _release(module).replace(
        '"cells": [',
        f'"cells": [{{"cell_type": "markdown", "id": "mine-{mark}", "metadata": {{}}, "source": "{mark}"}}, ',
        1,
    )


@pytest.fixture
def cohort(tmp_path):
    shared, root = tmp_path / "shared", tmp_path / "root"
    shared.mkdir()
    roster = tmp_path / "roster.csv"
    # nbgrader's `db student import` columns: the same file serves collect --roster.
    roster.write_text(
        "id,first_name,last_name,email\n"
        "alice,Alice,Martin,alice@example.com\n"
        "ingrid,Ingrid,Müller,ingrid@example.com\n"
        "bob,Bob,Stone,\n",
        encoding="utf-8",
    )
    return shared, root, roster


@pytest.mark.parametrize("module", ["quiz-pre", "quiz-post", "99-survey"])
def test_quizzes_and_the_survey_are_collected_like_modules(cohort, module):
    shared, root, roster = cohort
    (shared / f"alice_{module}.ipynb").write_text(_release(module), encoding="utf-8")
    result = collect(shared, root, module, roster)
    assert [(learner, m) for learner, m, _ in result.imported] == [("alice", module)], result.summary()
    assert (root / "submitted" / "alice" / module / f"{module}.ipynb").is_file()
    # Without a module argument too: every notebook the build releases.
    again = collect(shared, root / "all", None, roster)
    assert not again.reported, again.summary()


def test_a_name_in_nfd_form_is_the_roster_learner(cohort):
    shared, root, roster = cohort
    nfd = unicodedata.normalize("NFD", "Ingrid Müller")
    assert nfd != "Ingrid Müller" and name_key(nfd) == name_key("INGRID MÜLLER")
    (shared / f"{nfd}_{MODULE}.ipynb").write_text(_release(), encoding="utf-8")
    result = collect(shared, root, MODULE, roster)
    assert [learner for learner, _, _ in result.imported] == ["ingrid"], result.summary()


def test_a_nameless_colab_copy_says_how_to_name_an_upload(cohort):
    shared, root, roster = cohort
    (shared / f"Copy of {MODULE}.ipynb").write_text(_release(), encoding="utf-8")
    result = collect(shared, root, MODULE, roster)
    assert result.reported == [
        (
            shared / f"Copy of {MODULE}.ipynb",
            f"the file name 'Copy of {MODULE}.ipynb' carries no learner name: {NAMING_RULE}",
        )
    ]
    assert "<their id or name>_<module>.ipynb" in result.summary()


def test_two_uploads_in_one_batch_keep_the_newest_and_back_up_the_other(cohort):
    shared, root, roster = cohort
    older, newer = shared / f"alice_{MODULE}.ipynb", shared / f"alice_{MODULE} (1).ipynb"
    older.write_text(_answered(mark="older"), encoding="utf-8")
    newer.write_text(_answered(mark="newer"), encoding="utf-8")
    os.utime(older, (1_700_000_000, 1_700_000_000))
    os.utime(newer, (1_700_000_600, 1_700_000_600))
    result = collect(shared, root, MODULE, roster)
    assert not result.reported and [p for _, _, p in result.imported] == [newer]
    kept = (root / "submitted" / "alice" / MODULE / f"{MODULE}.ipynb").read_text(encoding="utf-8")
    assert "mine-newer" in kept
    [(other, chosen, backup)] = result.superseded
    assert (other, chosen) == (older, newer) and backup.read_text(encoding="utf-8") == older.read_text()
    assert (
        f"  alice uploaded more than one notebook of this module: {newer.name} is the submission, the newer by "
        "the files' modification times (give each upload's time in the times file's `file` column to decide "
        f"otherwise); {older.name} is backed up as {backup}"
    ) in result.summary()
    # Collecting again: nothing new, and no second backup.
    again = collect(shared, root, MODULE, roster)
    assert not again.imported and len(list(backup.parent.iterdir())) == 1

    # Upload times per file decide over modification times.
    times = shared.parent / "times.csv"
    times.write_text(
        f"learner,submitted_at,file\nalice,2026-12-03T10:00:00Z,{newer.name}\nalice,2026-12-04T10:00:00Z,{older.name}\n"
    )
    by_file = collect(shared, root / "2", MODULE, roster, times)
    assert [p for _, _, p in by_file.imported] == [older]
    assert "2026-12-04 10:00:00" in (root / "2" / "submitted" / "alice" / MODULE / "timestamp.txt").read_text()


def test_an_older_colab_upload_never_replaces_a_newer_hub_submission(cohort):
    shared, root, roster = cohort
    # What nbgrader's exchange collected from JupyterHub on 12-05.
    hub = root / "submitted" / "alice" / MODULE
    hub.mkdir(parents=True)
    (hub / f"{MODULE}.ipynb").write_text(_answered(mark="hub"), encoding="utf-8")
    (hub / "timestamp.txt").write_text("2026-12-05 09:00:00.000000 UTC")
    (shared / f"alice_{MODULE}.ipynb").write_text(_answered(mark="colab"), encoding="utf-8")
    times = shared.parent / "times.csv"
    times.write_text("learner,submitted_at\nalice,2026-12-03T09:00:00Z\n")
    result = collect(shared, root, MODULE, roster, times)
    assert result.reported == [
        (
            shared / f"alice_{MODULE}.ipynb",
            "alice's submission already collected is newer (2026-12-05 09:00 UTC) than this one "
            "(2026-12-03 09:00 UTC): kept the newer one",
        )
    ]
    assert "mine-hub" in (hub / f"{MODULE}.ipynb").read_text(encoding="utf-8")
    # A newer upload does replace it, and the hub submission is backed up first.
    times.write_text("learner,submitted_at\nalice,2026-12-06T09:00:00Z\n")
    newer = collect(shared, root, MODULE, roster, times)
    [(_, backup)] = newer.replaced
    assert "mine-hub" in (backup / f"{MODULE}.ipynb").read_text(encoding="utf-8")
    assert "mine-colab" in (hub / f"{MODULE}.ipynb").read_text(encoding="utf-8")


def test_identical_files_are_skipped_not_backed_up_again(cohort):
    shared, root, roster = cohort
    (shared / f"alice_{MODULE}.ipynb").write_text(_release(), encoding="utf-8")
    collect(shared, root, MODULE, roster)
    for _ in range(2):
        again = collect(shared, root, MODULE, roster)
        assert not again.imported and not again.replaced and len(again.unchanged) == 1
    assert not (root / ".lepton-backups").exists()


def test_the_submission_time_source_is_said(cohort):
    shared, root, roster = cohort
    (shared / f"alice_{MODULE}.ipynb").write_text(_release(), encoding="utf-8")
    assert "Submission times: the time of this collect" in collect(shared, root, MODULE, roster).summary()
    summary = collect(shared, root / "m", MODULE, roster, time_from="mtime").summary()
    assert "Submission times: the files' modification times (as you asked: --time-from mtime)." in summary


def test_a_mistyped_module_names_the_typo_and_the_closest_module(cohort, capsys):
    shared, root, roster = cohort
    (shared / f"alice_{MODULE}.ipynb").write_text(_release(), encoding="utf-8")
    status = main(["collect", "01-dataprep", "--from", str(shared), "--roster", str(roster), "--root", str(root)])
    err = capsys.readouterr().err
    assert status == 1
    assert err.startswith("lepton-training: error: there is no module '01-dataprep': did you mean 01-data-prep? ")
    assert not (root / "submitted").exists()


def test_an_unknown_learner_and_a_file_of_another_course(cohort):
    shared, root, roster = cohort
    (shared / f"zoe_{MODULE}.ipynb").write_text(_release(), encoding="utf-8")
    (shared / f"Alice Martn_{MODULE}.ipynb").write_text(_release(), encoding="utf-8")
    (shared / "alice_other.ipynb").write_text(_release().replace('"module": "01-data-prep"', '"module": "07-x"'))
    reasons = {p.name: r for p, r in collect(shared, root, None, roster).reported}
    assert reasons == {
        f"zoe_{MODULE}.ipynb": "no learner of the roster is named 'zoe'",
        f"Alice Martn_{MODULE}.ipynb": "no learner of the roster is named 'Alice Martn' (the closest is "
        "'alice martin', learner alice: a typo?)",
        "alice_other.ipynb": "it is the notebook of '07-x', which this course does not release",
    }


def test_collect_finds_the_modules_of_a_root_without_solutions(cohort):
    # A grading root is the repository; a bare folder (the tests' tmp root) falls back to this checkout's release.
    shared, root, roster = cohort
    shutil.copyfile(COURSE / MODULE / f"{MODULE}.ipynb", shared / f"bob_{MODULE}.ipynb")
    assert [learner for learner, _, _ in collect(shared, root, MODULE, roster).imported] == ["bob"]
