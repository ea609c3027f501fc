"""The gradebook, through nbgrader's API: the assignment's structure, one transaction per learner, CSV export.

nbgrader's own ``autograde`` commits many times per learner, so a run killed half-way can leave a learner with
some grades written. Here the sandboxed run writes only to a private throw-away gradebook; the learner's
verified grades reach the real one (SQLite or any SQLAlchemy URL, such as PostgreSQL shared by several grading
machines) in :func:`record_submission`, one transaction: a learner is either graded or not graded.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

__all__ = [
    "copy_assignment",
    "record_submission",
    "late_penalty_plugin",
    "export_csv",
    "export_all",
    "retrying",
    "CSV_COLUMNS",
]

T = TypeVar("T")


def use_in_process_alembic() -> None:
    """Make nbgrader read its schema version in-process, not by running the ``alembic`` command.

    nbgrader's ``Gradebook`` starts ``alembic heads`` in a subprocess (seconds: a Python start-up with SQLAlchemy)
    whenever it creates a gradebook, and grading creates a private one per run. Same answer, from the same
    migration scripts, read with alembic's API.
    """
    import functools
    from pathlib import Path

    import nbgrader
    import nbgrader.api
    from alembic.script import ScriptDirectory

    if getattr(nbgrader.api.get_alembic_version, "in_process", False):
        return

    @functools.cache
    def head() -> str:
        return ScriptDirectory(str(Path(nbgrader.__file__).parent / "alembic")).get_current_head()

    head.in_process = True
    nbgrader.api.get_alembic_version = head


def retrying(action: Callable[[], T], attempts: int = 5) -> T:
    """Run a database action again after a conflict with another grading process (a unique key, a lock).

    Parameters
    ----------
    action : callable
    attempts : int

    Returns
    -------
    object
        What ``action`` returns.
    """
    from nbgrader.api import InvalidEntry
    from sqlalchemy.exc import DBAPIError, IntegrityError

    for attempt in range(attempts):
        try:
            return action()
        except (IntegrityError, InvalidEntry, DBAPIError):
            if attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))
    raise AssertionError("unreachable")


def copy_assignment(template_url: str, db_url: str, course_id: str, module_id: str) -> None:
    """Make the gradebook at ``db_url`` know the assignment as ``generate_assignment`` wrote it in the template.

    Idempotent, and safe when two grading processes do it at once (each step is an nbgrader update-or-create,
    retried on a conflict).

    Parameters
    ----------
    template_url, db_url : str
        SQLAlchemy URLs of the template gradebook and of the real one.
    course_id, module_id : str
    """
    from nbgrader.api import Gradebook

    def copy() -> None:
        with Gradebook(template_url, course_id=course_id) as template, Gradebook(db_url, course_id=course_id) as gb:
            source = template.find_assignment(module_id)
            # The due date is the instructor's (`nbgrader db assignment add --duedate`); the template has none.
            due = {"duedate": source.duedate} if source.duedate is not None else {}
            gb.update_or_create_assignment(module_id, **due)
            for nb in source.notebooks:
                gb.update_or_create_notebook(nb.name, module_id)
                for cell in nb.grade_cells:
                    gb.update_or_create_grade_cell(
                        cell.name, nb.name, module_id, max_score=cell.max_score, cell_type=cell.cell_type
                    )
                for cell in nb.solution_cells:
                    gb.update_or_create_solution_cell(cell.name, nb.name, module_id)
                for cell in nb.task_cells:
                    gb.update_or_create_task_cell(
                        cell.name, nb.name, module_id, max_score=cell.max_score, cell_type=cell.cell_type
                    )
                for cell in nb.source_cells:
                    gb.update_or_create_source_cell(
                        cell.name,
                        nb.name,
                        module_id,
                        cell_type=cell.cell_type,
                        locked=cell.locked,
                        source=cell.source,
                        checksum=cell.checksum,
                    )

    retrying(copy)


def record_submission(
    db_url: str,
    course_id: str,
    module_id: str,
    learner: str,
    scores: dict[str, float],
    comments: dict[str, str | None],
    timestamp: Any = None,
    flagged: bool = False,
    late_penalty: Callable[[str, float, float], float | None] | None = None,
) -> None:
    """Write one learner's verified grades in a single transaction.

    Parameters
    ----------
    db_url, course_id, module_id, learner : str
    scores : dict
        Grade cell name -> verified points (``None`` for a cell a person must grade).
    comments : dict
        Solution or task cell name -> nbgrader's automatic comment ("No response." or None).
    timestamp : datetime or str, optional
        When the learner submitted.
    flagged : bool
        Set nbgrader's "flagged" mark on the notebooks (tampering found): the formgrader lists them.
    late_penalty : callable, optional
        ``late_penalty(learner, notebook_score, seconds_late)``, the course's nbgrader late-submission plugin
        (:func:`late_penalty_plugin`). Applied as nbgrader's ``AssignLatePenalties`` does: to each notebook of a
        submission later than its due date (with any extension), kept between 0 and the notebook's score.
    """
    from nbgrader.api import (
        Assignment,
        Comment,
        Grade,
        Gradebook,
        Student,
        SubmittedAssignment,
        SubmittedNotebook,
    )
    from nbgrader.utils import parse_utc

    def write() -> None:
        with Gradebook(db_url, course_id=course_id) as gb:
            session = gb.db
            try:
                student = session.get(Student, learner)
                if student is None:
                    student = Student(id=learner)
                    session.add(student)
                assignment = session.query(Assignment).filter(Assignment.name == module_id).one()
                submission = (
                    session.query(SubmittedAssignment)
                    .filter_by(assignment_id=assignment.id, student_id=learner)
                    .first()
                )
                if submission is None:
                    # The structure nbgrader's Gradebook.add_submission builds, without its commit: children
                    # first, then one add (SQLAlchemy 2 cascades from the parent's collections only).
                    with session.no_autoflush:
                        submission = SubmittedAssignment(assignment=assignment, student=student)
                        for notebook in assignment.notebooks:
                            nb = SubmittedNotebook(notebook=notebook, assignment=submission)
                            for cell in notebook.grade_cells:
                                Grade(cell_id=cell.id, notebook=nb)
                            for cell in notebook.solution_cells:
                                Comment(cell_id=cell.id, notebook=nb)
                            for cell in notebook.task_cells:
                                Comment(cell_id=cell.id, notebook=nb)
                                Grade(cell_id=cell.id, notebook=nb)
                        session.add(submission)
                if timestamp is not None:
                    submission.timestamp = parse_utc(timestamp) if isinstance(timestamp, str) else timestamp
                for nb in submission.notebooks:
                    nb.flagged = flagged
                    # By cell id: the name of a grade not yet flushed is not loaded.
                    names = {c.id: c.name for c in (*nb.notebook.grade_cells, *nb.notebook.task_cells)}
                    for grade in nb.grades:
                        name = names.get(grade.cell_id)
                        if name in scores:
                            grade.auto_score = scores[name]
                            # A person's earlier manual score stays, and asks to be looked at again.
                            grade.needs_manual_grade = grade.manual_score is not None or scores[name] is None
                    names = {c.id: c.name for c in (*nb.notebook.solution_cells, *nb.notebook.task_cells)}
                    for comment in nb.comments:
                        name = names.get(comment.cell_id)
                        if name in comments:
                            comment.auto_comment = comments[name]
                _assign_late_penalties(session, submission, learner, late_penalty)
                session.commit()
            except BaseException:
                session.rollback()
                raise

    retrying(write)


def late_penalty_plugin(config: Any) -> Callable[[str, float, float], float | None]:
    """Return the course's late-submission rule: nbgrader's ``AssignLatePenalties.plugin_class`` and its settings.

    Parameters
    ----------
    config : traitlets.config.Config
        The course configuration (``c.AssignLatePenalties.plugin_class``, ``c.LateSubmissionPlugin.penalty_method``).

    Returns
    -------
    callable
        ``(learner, notebook_score, seconds_late) -> penalty or None``.
    """
    from nbgrader.preprocessors import AssignLatePenalties

    assigner = AssignLatePenalties(config=config)
    assigner.init_plugin()
    return assigner.plugin_inst.late_submission_penalty


def _assign_late_penalties(session: Any, submission: Any, learner: str, late_penalty: Any) -> None:
    session.flush()
    seconds_late = submission.total_seconds_late
    for nb in submission.notebooks:
        session.expire(nb, ["score"])  # a column computed by the database from the grades just written
        nb.late_submission_penalty = None
        if late_penalty is None or seconds_late <= 0:
            continue
        penalty = late_penalty(learner, nb.score, seconds_late)
        if penalty is not None:
            nb.late_submission_penalty = min(max(float(penalty), 0.0), float(nb.score))


#: The columns of a module's CSV before its per-question columns (one per graded cell, in the notebook's order).
CSV_COLUMNS = [
    "learner",
    "name",
    "module",
    "status",
    "raw_score",
    "late_penalty",
    "score",
    "max_score",
    "late",
    "hours_late",
    "needs_manual_grade",
    "flagged",
    "timestamp",
]


def _module_rows(gb: Any, module_id: str) -> tuple[list[str], list[dict]]:
    """Return a module's graded cells and one row per learner of the roster (the gradebook's students).

    A learner of the roster without a submission has the status "missing": nobody drops out of the CSV unseen.
    """
    assignment = gb.find_assignment(module_id)
    questions = [cell.name for nb in assignment.notebooks for cell in nb.grade_cells]
    submissions = {s.student.id: s for s in gb.assignment_submissions(module_id)}
    rows = []
    for student in sorted(gb.students, key=lambda s: s.id):
        name = " ".join(p for p in (student.first_name, student.last_name) if p) or student.id
        row: dict[str, Any] = {"learner": student.id, "name": name, "module": module_id}
        row["max_score"] = assignment.max_score
        submission = submissions.get(student.id)
        if submission is None:
            rows.append({**row, "status": "missing", **{q: "" for q in questions}})
            continue
        flagged = any(nb.flagged for nb in submission.notebooks)
        seconds_late = submission.total_seconds_late
        scores = {g.name: round(g.score, 4) for nb in submission.notebooks for g in nb.grades}
        row.update(
            {
                "status": "flagged" if flagged else "graded",
                # As nbgrader's own export: the score after the late penalty, and both parts of it.
                "raw_score": round(submission.score, 4),
                "late_penalty": round(submission.late_submission_penalty, 4),
                "score": round(submission.score - submission.late_submission_penalty, 4),
                "late": seconds_late > 0,
                "hours_late": round(seconds_late / 3600, 2) if seconds_late > 0 else 0,
                "needs_manual_grade": submission.needs_manual_grade,
                "flagged": flagged,
                "timestamp": submission.timestamp.isoformat() if submission.timestamp else "",
                **{q: scores.get(q, "") for q in questions},
            }
        )
        rows.append(row)
    return questions, rows


def _write(path: Path, columns: list[str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def export_csv(db_url: str, course_id: str, module_id: str, path: Path) -> int:
    """Write one row per learner of the roster for a module: scores, lateness, status, one column per question.

    Columns: :data:`CSV_COLUMNS` (``status`` is graded, flagged or missing; ``late`` and ``hours_late`` from the
    submission time and the due date with any extension), then each graded cell's points.

    Parameters
    ----------
    db_url, course_id, module_id : str
    path : pathlib.Path

    Returns
    -------
    int
        Rows written.
    """
    from nbgrader.api import Gradebook

    with Gradebook(db_url, course_id=course_id) as gb:
        questions, rows = _module_rows(gb, module_id)
    _write(path, CSV_COLUMNS + questions, rows)
    return len(rows)


def export_all(db_url: str, course_id: str, path: Path) -> int:
    """Write one CSV across every module of the gradebook: one row per learner of the roster and module.

    The columns are :data:`CSV_COLUMNS` (the per-question points are in each module's own CSV).

    Parameters
    ----------
    db_url, course_id : str
    path : pathlib.Path

    Returns
    -------
    int
        Rows written.
    """
    from nbgrader.api import Gradebook

    with Gradebook(db_url, course_id=course_id) as gb:
        rows = [row for a in sorted(gb.assignments, key=lambda a: a.name) for row in _module_rows(gb, a.name)[1]]
    _write(path, CSV_COLUMNS, rows)
    return len(rows)
