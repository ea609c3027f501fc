# The one Jupyter and nbgrader configuration of Lepton Training.
#
# How it is loaded: every Jupyter application (jupyter lab, jupyter nbconvert, nbgrader) reads a file named
# `jupyter_config.py` from each folder on its config path (`jupyter --paths`). Jupyter does not look in the
# current directory, so `lepton-training setup` (run by `make lab` and `make test`) writes a two-line loader
# into the environment's own config folder (`<prefix>/etc/jupyter/jupyter_config.py`), and `nbgrader`, which does
# read `nbgrader_config.py` from the current directory, gets the same loader at the repo root. Exporting
# JUPYTER_CONFIG_PATH=<repo root> works too. The file may be loaded more than once per run: keep it free of side
# effects.
import os
from pathlib import Path

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

REPO_ROOT = Path(__file__).resolve().parent

# --- The course -----------------------------------------------------------------------------------------------
c.CourseDirectory.course_id = "lepton-training"
# The repo root is the nbgrader course root: solutions/NN-topic/ is the source of assignment NN-topic and
# course/NN-topic/ its learner release. Tests override the root with --CourseDirectory.root on the command line.
c.CourseDirectory.root = str(REPO_ROOT)
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "course"

# --- The gradebook ---------------------------------------------------------------------------------------------
# SQLite at <course root>/gradebook.db (nbgrader's own default) unless LEPTON_GRADEBOOK_URL names another
# SQLAlchemy URL, such as postgresql+psycopg://user:password@host:5432/gradebook for a shared deployment.
if os.environ.get("LEPTON_GRADEBOOK_URL"):
    c.CourseDirectory.db_url = os.environ["LEPTON_GRADEBOOK_URL"]

# --- Execution -------------------------------------------------------------------------------------------------
# Every module runs in under 20 s from a fresh kernel; a generous limit per cell still stops an infinite loop in
# a submission (it then scores 0 for that notebook instead of stalling the batch).
c.Execute.timeout = 60  # nbgrader autograde and validate
c.ExecutePreprocessor.timeout = 120  # jupyter nbconvert --execute
# Stored outputs of solutions/ must not change from one run to the next: no per-cell timestamps.
c.ExecutePreprocessor.record_timing = False
# nbgrader's Execute always continues after a failing cell (its allow_errors is fixed to True, not a setting):
# a failing cell loses its points and the notebook goes on. Do not set c.Execute.allow_errors: it is ignored
# (tests/test_config.py fails on any option nbgrader does not recognize).

# --- Grading (lepton-training grade; see README.md, Instructors, Grading) --------------------------------------
# The cohort's secret: hidden tests' seeds are derived from it, so feedback shown to one cohort does not reveal
# the next one's hidden inputs. Keep it out of the repository; empty means the seeds written in solutions/.
c.LeptonGrading.cohort_secret = os.environ.get("LEPTON_COHORT_SECRET", "")
c.LeptonGrading.notebook_timeout = 300  # seconds per notebook in all; c.Execute.timeout bounds each cell
c.LeptonGrading.memory_mb = 2048  # one kernel and everything it starts, together
# The late rule, here and nowhere else. A submission is late when its time (docs/cohort.md says where it comes
# from) is after the module's due date (`nbgrader db assignment add MODULE --duedate=...`) plus any extension.
# "none": a late submission keeps its points; grades/*.csv and the report mark it late, with the hours late.
# "zero": a late submission scores 0. Any other rule: a subclass of nbgrader's LateSubmissionPlugin, named in
# c.AssignLatePenalties.plugin_class.
c.LateSubmissionPlugin.penalty_method = "none"

# --- Building the learner release ------------------------------------------------------------------------------
# nbgrader's own chain (solutions and hidden tests cleared, cells locked, checksums) plus the course's
# preprocessors: facilitator notes removed, top-level answer stubs made quiet, outputs and widget state
# cleared, the Colab setup cell added. Import strings, not classes: every Jupyter app reads this file, and
# nbconvert imports the classes only when nbgrader builds. Must equal
# lepton_training.build.preprocessors.release_preprocessors() (tests/test_config.py checks it), whose
# docstring explains the order.
c.GenerateAssignment.preprocessors = [
    "nbgrader.preprocessors.IncludeHeaderFooter",
    "lepton_training.build.preprocessors.RemoveTaggedCells",
    "nbgrader.preprocessors.InstantiateTests",
    "nbgrader.preprocessors.LockCells",
    "nbgrader.preprocessors.ClearSolutions",
    "lepton_training.build.preprocessors.QuietAnswerStubs",
    "nbgrader.preprocessors.ClearOutput",
    "lepton_training.build.preprocessors.ClearNotebookState",
    "lepton_training.build.preprocessors.AddColabSetupCell",
    "nbgrader.preprocessors.CheckCellMetadata",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.SaveCells",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.ClearMarkScheme",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# --- Feedback --------------------------------------------------------------------------------------------------
# By default nbgrader shows the source of hidden tests in the learner's feedback; clear them first.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
# A deleted test cell is restored from the source and graded instead of silently dropped.
c.OverwriteCells.add_missing_cells = True

# --- JupyterLab's news -----------------------------------------------------------------------------------------
# No "Would you like to get notified about official Jupyter news?" pop-up for learners, and no request to the
# news feed or for a newer JupyterLab from any of the course's servers (the learner and laptop configurations
# also switch off the plugin that asks, @jupyterlab/apputils-extension:announcements).
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
