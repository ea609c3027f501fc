"""Read a whole gradebook at once: the assignments' structure, every grade, every submission.

nbgrader's ``Gradebook`` API loads one ORM object per grade and computes scores with a subquery per object: for
10,000 learners and 50 questions (500,000 grades) that takes minutes. The report needs plain tables, so it reads
nbgrader's tables with three SQL queries through SQLAlchemy (any URL nbgrader accepts: SQLite, PostgreSQL) into
pandas, and applies nbgrader's own rule for a grade's score: the manual score if a person gave one, else the
automatic score, plus any extra credit, and 0 when neither exists (``nbgrader.api.Grade.score``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["GradebookTables", "read_gradebook"]

_CELLS = """
SELECT a.name AS assignment, n.name AS notebook, b.name AS cell, b.id AS cell_id,
       COALESCE(g.max_score, t.max_score) AS max_score
FROM base_cell b
JOIN notebook n ON b.notebook_id = n.id
JOIN assignment a ON n.assignment_id = a.id
LEFT JOIN grade_cells g ON g.id = b.id
LEFT JOIN task_cells t ON t.id = b.id
WHERE g.id IS NOT NULL OR t.id IS NOT NULL
"""

_SUBMISSIONS = """
SELECT sa.id AS submission_id, a.name AS assignment, sa.student_id AS learner, sa.timestamp AS timestamp,
       a.duedate AS duedate, sa.extension AS extension
FROM submitted_assignment sa
JOIN assignment a ON sa.assignment_id = a.id
"""

# Every grade that is not 0, in one sequential scan of nbgrader's grade table, fetched through the database driver's
# own cursor: SQLAlchemy's Row objects cost more than the query for half a million rows. The score follows
# nbgrader's rule in SQL; a grade of 0 is left in the database, since a learner's row starts at 0 (as a grade
# never written does in nbgrader): on a typical class that halves the rows Python has to touch.
_GRADES = """
SELECT notebook_id, cell_id, score FROM (
    SELECT notebook_id, cell_id,
           COALESCE(manual_score + COALESCE(extra_credit, 0), auto_score + COALESCE(extra_credit, 0), 0.0) AS score
    FROM grade
) AS scored
WHERE score <> 0
"""
_SUBMITTED_NOTEBOOKS = """
SELECT sn.id AS id, a.name AS assignment, sa.student_id AS learner
FROM submitted_notebook sn
JOIN submitted_assignment sa ON sn.assignment_id = sa.id
JOIN assignment a ON sa.assignment_id = a.id
"""


@dataclass(frozen=True)
class GradebookTables:
    """A gradebook as plain tables.

    Attributes
    ----------
    cells : pandas.DataFrame
        One row per graded cell: ``assignment``, ``notebook``, ``cell``, ``max_score``.
    submissions : pandas.DataFrame
        One row per submitted assignment: ``assignment``, ``learner``, ``timestamp``, ``late`` (submitted after
        the due date plus any extension).
    scores : dict of str to pandas.DataFrame
        Per assignment, the score table: one row per learner who submitted, one column per graded cell
        (``notebook/cell`` when the assignment has several notebooks, else the cell's name).
    learners : list of str
        Every learner the gradebook knows (its student table).
    names : dict of str to str
        Learner -> display name (first and last name of the roster imported with ``nbgrader db student import``).
    """

    cells: Any
    submissions: Any
    scores: dict
    learners: list
    names: dict = field(default_factory=dict)


def read_gradebook(db_url: str, assignments: list[str] | None = None) -> GradebookTables:
    """Read the structure, submissions and grades of a gradebook.

    Parameters
    ----------
    db_url : str
        SQLAlchemy URL, such as ``sqlite:///gradebook.db`` or ``postgresql+psycopg://...``.
    assignments : list of str, optional
        Only these assignments (default: all).

    Returns
    -------
    GradebookTables
    """
    import numpy as np
    import pandas as pd
    from sqlalchemy import create_engine

    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            cells = _frame(conn, _CELLS)
            subs = _frame(conn, _SUBMISSIONS)
            students = conn.exec_driver_sql("SELECT id, first_name, last_name FROM student").cursor.fetchall()
            learners = sorted(r[0] for r in students)
            names = {r[0]: " ".join(p for p in r[1:] if p) for r in students}
            if assignments is not None:
                cells = cells[cells["assignment"].isin(assignments)]
                subs = subs[subs["assignment"].isin(assignments)]
            cells = cells.sort_values(["assignment", "notebook", "cell"]).reset_index(drop=True)
            several = cells.groupby("assignment")["notebook"].transform("nunique") > 1
            cells["column"] = np.where(several, cells["notebook"] + "/" + cells["cell"], cells["cell"])
            notebooks = _frame(conn, _SUBMITTED_NOTEBOOKS)
            grades = conn.exec_driver_sql(_GRADES).cursor.fetchall()
            tables = _score_tables(cells, notebooks, grades)
    finally:
        engine.dispose()

    subs = subs.reset_index(drop=True)
    timestamp = pd.to_datetime(subs["timestamp"], errors="coerce", utc=True)
    due = pd.to_datetime(subs["duedate"], errors="coerce", utc=True)
    extension = pd.to_timedelta(subs["extension"], errors="coerce").fillna(pd.Timedelta(0))
    subs["timestamp"] = timestamp
    subs["late"] = (due.notna() & timestamp.notna() & (timestamp > due + extension)).to_numpy()
    return GradebookTables(
        cells=cells.drop(columns=["cell_id"]),
        submissions=subs.drop(columns=["submission_id", "duedate", "extension"]),
        scores=tables,
        learners=learners,
        names=names,
    )


def _score_tables(cells: Any, notebooks: Any, grades: list) -> dict:
    """Return, per assignment, the learners x graded cells table of scores."""
    from operator import itemgetter

    import numpy as np
    import pandas as pd

    # The 32-character ids to integer codes through dicts, every loop in C (map, dict.fromkeys): a str caches its
    # hash, so this is several times cheaper than pandas.factorize on object arrays for the same codes.
    count = len(grades)
    nb_col, cell_col = list(map(itemgetter(0), grades)), list(map(itemgetter(1), grades))
    score_col = map(itemgetter(2), grades)

    def codes(column: list) -> tuple[Any, list]:
        ids = list(dict.fromkeys(column))
        index = {key: i for i, key in enumerate(ids)}
        return np.fromiter(map(index.__getitem__, column), dtype=np.intp, count=count), ids

    (nb_codes, nb_ids), (cell_codes, cell_ids) = codes(nb_col), codes(cell_col)
    score = np.fromiter(score_col, dtype=float, count=count)
    # Code -> row of the submitted-notebook table and of the cell table (-1: not reported, e.g. another assignment).
    nb_row = pd.Index(notebooks["id"]).get_indexer(nb_ids)[nb_codes]
    cell_row = pd.Index(cells["cell_id"]).get_indexer(cell_ids)[cell_codes]
    tables = {}
    for name, cell_rows in cells.groupby("assignment", sort=False).groups.items():
        learners = notebooks.loc[notebooks["assignment"] == name, "learner"]
        index = pd.Index(np.unique(learners.to_numpy(dtype=object)), name="learner")
        columns = list(cells.loc[cell_rows, "column"])
        matrix = np.zeros((len(index), len(columns)))  # a grade never written counts as 0, as in nbgrader
        learner_of = np.full(len(notebooks), -1)
        learner_of[learners.index.to_numpy()] = index.get_indexer(learners)
        column_of = np.full(len(cells), -1)
        column_of[np.asarray(cell_rows)] = np.arange(len(columns))
        rows = np.where(nb_row >= 0, learner_of[nb_row], -1)
        cols = np.where(cell_row >= 0, column_of[cell_row], -1)
        keep = (rows >= 0) & (cols >= 0)
        # Several notebooks of one assignment fill different columns of the same learner's row.
        matrix[rows[keep], cols[keep]] = score[keep]
        tables[name] = pd.DataFrame(matrix, index=index, columns=columns)
    return tables


def _frame(conn: Any, query: str) -> Any:
    import pandas as pd

    # The driver's plain tuples: pandas probes SQLAlchemy Row objects attribute by attribute, which is slow.
    return pd.DataFrame(conn.exec_driver_sql(query).cursor.fetchall(), columns=_columns(query))


def _columns(query: str) -> list[str]:
    import re

    head = query.split("FROM")[0]
    return re.findall(r"AS (\w+)", head)
