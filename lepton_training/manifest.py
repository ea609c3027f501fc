"""The course manifest: modules, their titles, objectives, minutes and order.

The manifest (``course.toml`` beside this file) is the one source of truth for these facts; the module
headers, the agenda and the Colab links are all derived from it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

__all__ = ["ColabInstall", "Course", "Module", "load_course", "get_module"]


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


_SOURCES = ("git", "wheel", "index")


@dataclass(frozen=True)
class ColabInstall:
    """Where the Colab setup cell installs the course package from (``[course.colab]`` in ``course.toml``).

    Every choice installs exactly ``version``, the version the learner release was built with, so a notebook and
    the package code it calls never drift apart. Templates may use ``{repository}`` and ``{version}``.

    Attributes
    ----------
    source : str
        ``"git"`` (``git_url`` at ``git_ref``), ``"wheel"`` (the wheel at ``wheel_url``) or ``"index"``
        (``lepton-training==<version>`` from ``index_url``, PyPI when empty).
    git_url, git_ref, wheel_url, index_url : str
        Templates, filled in by :meth:`resolved`.
    token_secret : str
        Name of the Colab secret that holds a read-only token for a private Git repository or index; empty for a
        public source. The token is read at install time and never written into a notebook.
    version : str
        The package version to install; the installed package's ``__version__`` by default.
    """

    source: str = "git"
    git_url: str = "https://github.com/{repository}"
    git_ref: str = "v{version}"
    wheel_url: str = (
        "https://github.com/{repository}/releases/download/v{version}/lepton_training-{version}-py3-none-any.whl"
    )
    index_url: str = ""
    token_secret: str = ""
    version: str = ""

    def __post_init__(self) -> None:
        if self.source not in _SOURCES:
            raise ValueError(f"[course.colab] source must be one of {', '.join(_SOURCES)}, not {self.source!r}.")
        if self.token_secret and self.source == "wheel":
            raise ValueError(
                "[course.colab] token_secret works with the git and index sources; publish a private wheel on an "
                'index (source = "index") or install from the private repository (source = "git").'
            )
        if self.token_secret and self.source == "index" and not self.index_url:
            raise ValueError('[course.colab] token_secret with source = "index" needs index_url (PyPI is public).')

    def resolved(self, repository: str) -> ColabInstall:
        """Return a copy with the templates filled in with ``repository`` and the version.

        Parameters
        ----------
        repository : str
            The course's ``owner/name`` repository.

        Returns
        -------
        ColabInstall
        """
        from lepton_training import __version__

        version = self.version or __version__

        def fill(text: str) -> str:
            return text.format(repository=repository, version=version)

        return ColabInstall(
            source=self.source,
            git_url=fill(self.git_url).rstrip("/"),
            git_ref=fill(self.git_ref),
            wheel_url=fill(self.wheel_url),
            index_url=fill(self.index_url),
            token_secret=self.token_secret,
            version=version,
        )

    @property
    def pip_spec(self) -> str:
        """The pip requirement (of a resolved instance), such as ``lepton-training @ git+https://...@v0.1.0``."""
        if self.source == "git":
            return f"lepton-training @ git+{self.git_url}@{self.git_ref}"
        if self.source == "wheel":
            return f"lepton-training @ {self.wheel_url}"
        return f"lepton-training=={self.version}"

    @property
    def pip_options(self) -> str:
        """Extra ``pip install`` options: ``--index-url`` for an index source, else empty."""
        return f"--index-url {self.index_url}" if self.source == "index" and self.index_url else ""


@dataclass(frozen=True)
class Course:
    """The whole course: its title, where it is hosted, how Colab installs it, and its modules in order."""

    title: str
    repository: str
    branch: str
    modules: tuple[Module, ...]
    colab: ColabInstall = field(default_factory=ColabInstall)

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
    def colab_install(self) -> ColabInstall:
        """The Colab install source with its templates filled in (the version pinned)."""
        return self.colab.resolved(self.repository)

    @property
    def pip_spec(self) -> str:
        """The pip requirement that the Colab setup cell installs: this exact version, from ``[course.colab]``."""
        return self.colab_install.pip_spec


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
    colab = ColabInstall(**info.get("colab", {}))
    return Course(
        title=info["title"], repository=info["repository"], branch=info["branch"], modules=modules, colab=colab
    )


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
