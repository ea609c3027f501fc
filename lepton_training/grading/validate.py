"""Validate notebooks with nbgrader's own Validator, and report the result as data.

``nbgrader validate`` prints its findings but exits 0 even when tests fail (nbgrader issue 1908), and has no
machine-readable output. :func:`validate_notebooks` runs the same :class:`nbgrader.validator.Validator` with the
course configuration and returns its findings, so a command or a test can act on them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ValidationReport", "validate_notebooks", "load_course_config"]


@dataclass(frozen=True)
class ValidationReport:
    """What nbgrader's Validator found in one notebook.

    Attributes
    ----------
    notebook : str
        The notebook's path.
    invert : bool
        True when the expectation was that every graded test *fails* (a learner release with its stubs).
    findings : dict
        nbgrader's result: lists under ``"failed"`` (or ``"passed"`` when inverted), ``"changed"`` (locked or
        test cells edited) and ``"type_changed"``; empty when the notebook is as expected.
    error : str
        Set when the notebook could not be validated at all (unreadable, old nbgrader metadata).
    """

    notebook: str
    invert: bool
    findings: dict = field(default_factory=dict)
    error: str = ""

    @property
    def ok(self) -> bool:
        """True when the notebook is as expected: all tests pass (or, inverted, all fail)."""
        return not self.error and not self.findings

    def as_dict(self) -> dict:
        """Return the report as plain data, ready for ``json.dumps``."""
        findings = {
            kind: [{k: v for k, v in cell.items() if k != "error"} for cell in cells]  # "error" is HTML
            for kind, cells in self.findings.items()
        }
        return {
            "notebook": self.notebook,
            "invert": self.invert,
            "ok": self.ok,
            "findings": findings,
            "error": self.error,
        }


def load_course_config(root: str | os.PathLike):
    """Load the course's ``jupyter_config.py`` as a traitlets Config.

    Parameters
    ----------
    root : path-like
        The folder holding ``jupyter_config.py``.

    Returns
    -------
    traitlets.config.Config

    Raises
    ------
    FileNotFoundError
        When ``root`` has no ``jupyter_config.py``.
    """
    from traitlets.config.loader import PyFileConfigLoader

    path = Path(root) / "jupyter_config.py"
    if not path.is_file():
        raise FileNotFoundError(f"No jupyter_config.py in {Path(root).resolve()}: run this from the course repo.")
    return PyFileConfigLoader(path.name, path=str(path.parent)).load_config()


def validate_notebooks(
    notebooks: Iterable[str | os.PathLike], root: str | os.PathLike, invert: bool = False
) -> list[ValidationReport]:
    """Run nbgrader's Validator on each notebook, in a real kernel.

    Parameters
    ----------
    notebooks : iterable of path-like
        Notebooks to validate.
    root : path-like
        The course root whose ``jupyter_config.py`` sets timeouts and the like.
    invert : bool
        Expect every graded test to fail instead of pass.

    Returns
    -------
    list of ValidationReport
        One per notebook; a notebook that cannot be read gets a report with ``error`` set and the others are
        still validated.
    """
    from nbgrader.validator import Validator

    config = load_course_config(root)
    config.Validator.invert = invert
    validator = Validator(config=config)
    reports = []
    for notebook in notebooks:
        path = Path(notebook).resolve()
        try:
            findings = validator.validate(str(path))
        except Exception as exc:  # noqa: BLE001 - one unreadable notebook must not hide the others' results
            reports.append(ValidationReport(str(notebook), invert, {}, f"{type(exc).__name__}: {exc}"))
            continue
        reports.append(ValidationReport(str(notebook), invert, dict(findings)))
    return reports
