"""Building the learner release: nbgrader's ``generate_assignment`` plus the course's own preprocessors.

``release`` (importable without nbgrader) runs and checks the build; ``preprocessors`` holds the notebook
transformations that nbgrader runs inside it.
"""

from lepton_training.build.release import BuildError, BuildResult, CheckResult, build, check

__all__ = ["BuildError", "BuildResult", "CheckResult", "build", "check"]
