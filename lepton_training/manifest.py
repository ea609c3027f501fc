"""The course manifest: modules, their titles, objectives, minutes and order.

The manifest (``course.toml`` beside this file) is the one source of truth for these facts; the module
headers, the agenda and the Colab links are all derived from it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["Course", "Module", "load_course", "get_module"]


@dataclass(frozen=True)
class Module:
    """One module of the course, as the manifest describes it.

    Attributes
    ----------
    id : str
        Folder name, such as ``"00-orientation"``; also the nbgrader assignment id.
    title : str
        Human-readable title.
    objectives : tuple of str
        Learning objectives, each starting with a measurable verb.
    teaching_minutes, exercise_minutes : int
        Planned minutes of teaching and of hands-on exercises in a live session.
    prerequisites : tuple of str
        Module ids or plain-language prerequisites.
    questions : str
        Dotted name of the package module that defines the module's graded questions, such as
        ``"lepton_training.questions.orientation"``.
    """

    id: str
    title: str
    objectives: tuple[str, ...]
    teaching_minutes: int
    exercise_minutes: int
    prerequisites: tuple[str, ...] = ()
    questions: str = ""

    @property
    def notebook(self) -> str:
        """Path of the module's notebook relative to ``course/`` or ``solutions/``."""
        return f"{self.id}/{self.id}.ipynb"

    @property
    def total_minutes(self) -> int:
        """Teaching plus exercise minutes."""
        return self.teaching_minutes + self.exercise_minutes


@dataclass(frozen=True)
class Course:
    """The whole course: its title, where it is hosted and its modules in order."""

    title: str
    repository: str
    branch: str
    modules: tuple[Module, ...]

    def colab_url(self, module: Module) -> str:
        """Return the "Open in Colab" address of a module's learner notebook.

        Parameters
        ----------
        module : Module
            The module whose learner notebook (under ``course/``) is opened.

        Returns
        -------
        str
            A ``https://colab.research.google.com/github/...`` address.
        """
        return f"https://colab.research.google.com/github/{self.repository}/blob/{self.branch}/course/{module.notebook}"

    @property
    def pip_spec(self) -> str:
        """The pip requirement that installs this package from its repository (used on Colab)."""
        return f"lepton-training @ git+https://github.com/{self.repository}@{self.branch}"


@cache
def load_course() -> Course:
    """Read the course manifest shipped with the package.

    Returns
    -------
    Course
        The course with its modules in teaching order.

    Examples
    --------
    >>> load_course().modules[0].id
    '00-orientation'
    """
    text = resources.files("lepton_training").joinpath("course.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    modules = tuple(
        Module(
            id=m["id"],
            title=m["title"],
            objectives=tuple(m["objectives"]),
            teaching_minutes=int(m["teaching_minutes"]),
            exercise_minutes=int(m["exercise_minutes"]),
            prerequisites=tuple(m.get("prerequisites", ())),
            questions=f"lepton_training.questions.{m['questions']}" if m.get("questions") else "",
        )
        for m in data["modules"]
    )
    info = data["course"]
    return Course(title=info["title"], repository=info["repository"], branch=info["branch"], modules=modules)


def get_module(module_id: str) -> Module:
    """Return the module with this id.

    Parameters
    ----------
    module_id : str
        A module folder name such as ``"00-orientation"``.

    Returns
    -------
    Module

    Raises
    ------
    KeyError
        If no module has this id; the message lists the known ids.
    """
    for module in load_course().modules:
        if module.id == module_id:
            return module
    known = ", ".join(m.id for m in load_course().modules)
    raise KeyError(f"No module {module_id!r} in the course manifest; known modules: {known}.")
