"""A synthetic nbgrader gradebook of any size, for the benchmark and the tests of the report.

Scores follow a two-parameter logistic model: learner ``i`` of ability ``theta_i`` earns question ``j``'s points
with probability ``1 / (1 + exp(-a_j (theta_i - b_j)))``. A few questions are planted for the item analysis to
find: one that almost nobody passes, one whose discrimination is negative (its points go to weaker learners),
one that everybody passes. Some learners miss modules and some submit late. The pre- and post-course quizzes
(``quiz-pre``, ``quiz-post``) are written too, the post scores drawn from a higher ability, so the learning gain
is positive.

:func:`build_demo_report` puts it together with survey answers (:func:`write_synthetic_survey`: ratings, and
comments in English, Chinese or both) into the sample report of ``lepton-training report --demo``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["write_synthetic_gradebook", "write_synthetic_survey", "write_demo_course", "build_demo_report", "PLANTED"]

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
    questions: int | tuple[int | tuple[str, ...], ...] = 8,
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
    questions : int or tuple
        Graded questions per module: one number for all, or one entry per module, a number (questions ``q1`` to
        ``qN``) or the question ids themselves (a module whose ids skip a number, such as ``q5``).
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
    per_module = (questions,) * len(modules) if isinstance(questions, int) else tuple(questions)
    ids = [tuple(f"q{j + 1}" for j in range(q)) if isinstance(q, int) else tuple(q) for q in per_module]
    counts = [len(i) for i in ids]
    plan = [(m, len(i), [f"{q}-tests" for q in i], 0.03, 0.05, theta) for m, i in zip(modules, ids, strict=True)]
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


#: Survey comments of the demo cohort (written for the demo; neither the sentiment model's training nor its
#: evaluation set): (rating, comment). Picked at random per learner, a learner's rating near the comment's.
DEMO_COMMENTS = (
    (5, "The hints got me unstuck every single time, thank you."),
    (5, "Best part: the recruiting data felt like my real work."),
    (4, "Good session overall, the exercises were worth the effort."),
    (4, "I liked that each check explained what was wrong."),
    (2, "We ran out of time before the last exercise."),
    (2, "The optimization part went way too fast for me."),
    (1, "Colab dropped my session twice and I lost my answers."),
    (2, "Oh great, another install problem during the first hour."),
    (3, "Useful content, but the afternoon was long."),
    (5, "老师讲得很清楚，例子也很实用。"),
    (4, "练习的提示很有帮助，学到了不少。"),
    (2, "节奏有点快，后面的练习没做完。"),
    (1, "环境配置花了太多时间，很浪费。"),
    (5, "check() 的反馈很清楚，一看就知道哪里错了。"),
    (2, "Notebook 一直断线，体验不好。"),
)


def write_synthetic_survey(root: Any, learners: list[str], modules: tuple[str, ...], *, seed: int = 0) -> int:
    """Write survey notebooks with ratings and comments under ``<root>/submitted/<learner>/99-survey/``.

    Each learner rates every module (1 to 5) and, two times in three, leaves one comment from
    :data:`DEMO_COMMENTS` on one module or the course.

    Parameters
    ----------
    root : path-like
        The course root.
    learners : list of str
        Learner ids.
    modules : tuple of str
        The modules rated.
    seed : int

    Returns
    -------
    int
        The number of comments written.
    """
    import json
    from pathlib import Path

    import numpy as np

    from lepton_training.report.survey import SURVEY_MODULE
    from lepton_training.widgets.survey import SURVEY_MIME

    rng = np.random.default_rng(seed)
    written = 0
    for learner in learners:
        ratings = {m: int(np.clip(round(rng.normal(3.9, 0.9)), 1, 5)) for m in modules}
        comments = {}
        if rng.random() < 2 / 3:
            rating, text = DEMO_COMMENTS[int(rng.integers(len(DEMO_COMMENTS)))]
            about = str(rng.choice([*modules, "course"]))
            comments[about] = text
            if about != "course":
                ratings[about] = rating
            written += 1
        payload = {"ratings": ratings, "comments": comments, "saved": "2026-11-21T10:00:00Z"}
        output = {"output_type": "display_data", "metadata": {}, "data": {SURVEY_MIME: payload}}
        cell = {"cell_type": "code", "id": "form", "metadata": {}, "source": "survey.show()", "outputs": [output]}
        notebook = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        folder = Path(root) / "submitted" / learner / SURVEY_MODULE
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{SURVEY_MODULE}.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    return written


def _course_questions() -> dict[str, tuple[str, ...]]:
    """Return the course's graded modules and their question ids, for their titles."""
    from lepton_training.manifest import load_course
    from lepton_training.report.page import question_titles

    return {m.id: tuple(titles) for m in load_course().modules if (titles := question_titles(m.id))}


def write_demo_course(root: Any, learners: int = 60, *, seed: int = 7) -> str:
    """Write a demo cohort: a gradebook of the course's modules with quizzes, and survey answers.

    Parameters
    ----------
    root : path-like
        An empty folder: ``gradebook.db`` and ``submitted/`` are written in it.
    learners : int
    seed : int

    Returns
    -------
    str
        The gradebook's URL.
    """
    from pathlib import Path

    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    counts = _course_questions() or {"00-orientation": 6, "01-data-prep": 6}  # ids, or numbers of questions
    modules = tuple(counts)
    url = write_synthetic_gradebook(
        root / "gradebook.db", learners, tuple(counts.values()), modules, quizzes=True, seed=seed
    )
    write_synthetic_survey(root, [f"learner{i:05d}" for i in range(learners)], modules, seed=seed)
    return url


def build_demo_report(out: Any, learners: int = 60, *, seed: int = 7) -> Any:
    """Build the sample report of a synthetic cohort: ``out`` (HTML) and the CSV beside it.

    Parameters
    ----------
    out : path-like
        The HTML file to write (``.html`` added when missing); the CSV gets the same name with ``.csv``.
    learners : int
        Size of the demo cohort.
    seed : int

    Returns
    -------
    Report
        With ``html_path`` and ``csv_path`` at their final places.
    """
    import shutil
    import tempfile
    from pathlib import Path

    from lepton_training.report.build import build_report

    out = Path(out)
    if out.suffix.lower() not in (".html", ".htm"):
        out = out.with_suffix(".html")
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lepton-demo-") as tmp:
        url = write_demo_course(Path(tmp), learners, seed=seed)
        banner = (
            f"Demo: a synthetic cohort of {learners} learners (lepton_training.report.synthetic), not real "
            "learners. Its scores follow a model with three questions per module planted for the item analysis "
            "to flag (one too hard, one that runs against ability, one everybody passes)."
        )
        report = build_report(Path(tmp), out=Path(tmp) / "out", db_url=url, events=False, banner=banner)
        html_path, csv_path = out, out.with_suffix(".csv")
        shutil.copyfile(report.html_path, html_path)
        shutil.copyfile(report.csv_path, csv_path)
    report.html_path, report.csv_path = html_path, csv_path
    return report
