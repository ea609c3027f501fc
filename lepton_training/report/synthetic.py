"""A synthetic nbgrader gradebook of any size, for the benchmark and the tests of the report.

Scores follow a two-parameter logistic model: learner ``i`` of ability ``theta_i`` earns question ``j``'s points
with probability ``1 / (1 + exp(-a_j (theta_i - b_j)))``. A few questions are planted for the item analysis to
find: one that almost nobody passes, one whose discrimination is negative (its points go to weaker learners),
one that everybody passes. Some learners miss modules and some submit late. The pre- and post-course quizzes
(``quiz-pre``, ``quiz-post``) are written too, the post scores drawn from a higher ability, so the learning gain
is positive.
"""

from __future__ import annotations

from typing import Any

__all__ = ["write_synthetic_gradebook", "PLANTED"]

#: Planted questions (column index within each module) and what the report should say about them.
PLANTED = {0: "hard", 1: "negative", 2: "easy"}


def _rows(rng: Any, learners: list[str], theta: Any, module: str, questions: int, missing: float, late: float):
    import numpy as np

    a = rng.uniform(0.8, 2.0, questions)
    b = rng.normal(0, 1, questions)
    if questions >= 3 and not module.startswith("quiz"):
        b[0], a[1], b[2] = 3.5, -1.0, -6.0
    p = 1 / (1 + np.exp(-a * (theta[:, None] - b)))
    scores = (rng.random(p.shape) < p).astype(float)
    submitted = rng.random(len(learners)) >= missing
    is_late = rng.random(len(learners)) < late
    return scores, submitted, is_late


def write_synthetic_gradebook(
    path: Any,
    learners: int = 200,
    questions: int | tuple[int, ...] = 8,
    modules: tuple[str, ...] = ("00-orientation", "01-data-prep"),
    *,
    quizzes: bool = True,
    seed: int = 0,
    ungraded: tuple[str, ...] = (),
) -> str:
    """Write an nbgrader gradebook (SQLite) of synthetic learners and return its URL.

    Parameters
    ----------
    path : path-like
        The SQLite file to create (replaced if it exists).
    learners : int
        Class size.
    questions : int or tuple of int
        Graded questions per module (one number for all, or one per module).
    modules : tuple of str
        Assignment names.
    quizzes : bool
        Also write ``quiz-pre`` and ``quiz-post``, three questions per module.
    seed : int
    ungraded : tuple of str
        Assignments registered with their graded cells (``questions`` of them) but without any submission yet,
        as a gradebook mid-course has the modules not yet collected.

    Returns
    -------
    str
        The gradebook's SQLAlchemy URL.
    """
    import datetime as dt
    import uuid
    from pathlib import Path

    import numpy as np
    from nbgrader.api import Base
    from sqlalchemy import create_engine, insert

    path = Path(path)
    if path.exists():
        path.unlink()
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    tables = Base.metadata.tables
    rng = np.random.default_rng(seed)
    names = [f"learner{i:05d}" for i in range(learners)]
    theta = rng.normal(0, 1, learners)
    due = dt.datetime(2026, 11, 20, 17, 0)

    def new_id() -> str:
        return uuid.uuid4().hex

    rows: dict[str, list[dict]] = {
        name: []
        for name in (
            "assignment",
            "notebook",
            "base_cell",
            "grade_cells",
            "submitted_assignment",
            "submitted_notebook",
            "grade",
        )
    }
    counts = (questions,) * len(modules) if isinstance(questions, int) else tuple(questions)
    plan = [
        (m, k, [f"q{j + 1}-tests" for j in range(k)], 0.03, 0.05, theta) for m, k in zip(modules, counts, strict=True)
    ]
    first = counts[0] if counts else 8
    plan += [(m, first, [f"q{j + 1}-tests" for j in range(first)], 1.0, 0.0, theta) for m in ungraded]
    if quizzes:
        cells = [f"{m}-q{j + 1}-tests" for m in modules for j in range(3)]
        plan.append(("quiz-pre", len(cells), cells, 0.02, 0.0, theta - 1.0))
        plan.append(("quiz-post", len(cells), cells, 0.10, 0.0, theta + 0.3))
    for name, n_cells, cell_names, missing, late, ability in plan:
        assignment_id, notebook_id = new_id(), new_id()
        rows["assignment"].append({"id": assignment_id, "name": name, "duedate": due, "course_id": "lepton-training"})
        rows["notebook"].append({"id": notebook_id, "name": name, "assignment_id": assignment_id})
        cell_ids = [new_id() for _ in range(n_cells)]
        for cell_id, cell_name in zip(cell_ids, cell_names, strict=True):
            rows["base_cell"].append(
                {"id": cell_id, "name": cell_name, "notebook_id": notebook_id, "type": "GradeCell"}
            )
            rows["grade_cells"].append({"id": cell_id, "max_score": 1.0, "cell_type": "code"})
        scores, submitted, is_late = _rows(rng, names, ability, name, n_cells, missing, late)
        for i in np.flatnonzero(submitted):
            sub_id, sub_nb = new_id(), new_id()
            when = due + dt.timedelta(hours=float(rng.uniform(1, 48)) if is_late[i] else -float(rng.uniform(1, 200)))
            rows["submitted_assignment"].append(
                {"id": sub_id, "assignment_id": assignment_id, "student_id": names[i], "timestamp": when}
            )
            rows["submitted_notebook"].append(
                {"id": sub_nb, "assignment_id": sub_id, "notebook_id": notebook_id, "flagged": False}
            )
            for j, cell_id in enumerate(cell_ids):
                rows["grade"].append(
                    {
                        "id": new_id(),
                        "notebook_id": sub_nb,
                        "cell_id": cell_id,
                        "auto_score": scores[i, j],
                        "needs_manual_grade": False,
                    }
                )
    with engine.begin() as conn:
        conn.execute(insert(tables["course"]), [{"id": "lepton-training"}])
        conn.execute(insert(tables["student"]), [{"id": n} for n in names])
        for table, values in rows.items():
            if values:
                conn.execute(insert(tables[table]), values)
    engine.dispose()
    return url
