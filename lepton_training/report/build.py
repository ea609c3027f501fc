"""``lepton-training report``: read the gradebook and the submitted notebooks, write one HTML page and one CSV.

Steps, each in its own module: :mod:`.gradebook` (the grades as tables) → :mod:`.items` (difficulty,
discrimination, alpha) → :mod:`.events` (how learners got there, from the submitted notebooks) → :mod:`.survey`
(ratings and comments, scored by the report's sentiment model) → :mod:`.gain` (pre/post quizzes) →
:mod:`.figures` and :mod:`.page` (the page). The CSV holds every number the page shows, one per row.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Report", "build_report", "RISK_SHARE"]

#: A learner whose average score share over the modules (a missing module counting 0) is below this is at risk.
RISK_SHARE = 0.5
_NOT_MODULES = ("quiz-pre", "quiz-post", "99-survey")


@dataclass
class Report:
    """What :func:`build_report` computed and wrote; ``seconds`` and ``cpu_seconds``: wall and CPU time per step."""

    modules: list[str]
    left_out: list[str] = field(default_factory=list)
    html_path: Path | None = None
    csv_path: Path | None = None
    rows: list[dict] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    sections: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> str:
        """One line per file written, and the time taken."""
        total = sum(self.seconds.values())
        text = f"Report on {len(self.modules)} module(s) ({', '.join(self.modules) or 'none'}) in {total:.1f} s:\n"
        if self.left_out:
            text += f"  left out, no grades yet: {', '.join(self.left_out)}\n"
        return text + f"  {self.html_path}\n  {self.csv_path}"


def _order(names: list[str]) -> list[str]:
    from lepton_training.manifest import load_course

    known = [m.id for m in load_course().modules]
    return [m for m in known if m in names] + sorted(n for n in names if n not in known)


def build_report(
    root: str | Path,
    modules: list[str] | None = None,
    out: str | Path | None = None,
    db_url: str | None = None,
    *,
    sentiment_model: Any = None,
    events: bool = True,
    survey: bool = True,
    banner: str = "",
) -> Report:
    """Build the results report.

    Parameters
    ----------
    root : path-like
        The course root: ``submitted/`` (event records, survey answers) and, by default, ``gradebook.db``.
    modules : list of str, optional
        The modules to report on (default: every assignment of the gradebook that has grades, but the quizzes and
        the survey; the modules registered without a graded submission yet are left out, and the page, the CSV
        and :attr:`Report.left_out` say which).
    out : path-like, optional
        Folder of ``report.html`` and ``report.csv`` (default: ``<root>/reports``).
    db_url : str, optional
        The gradebook's SQLAlchemy URL (default: ``sqlite:///<root>/gradebook.db``).
    sentiment_model : CommentSentiment, optional
        Default: :func:`lepton_training.report.sentiment.comment_model`, trained when there are comments.
    events, survey : bool
        Read the submitted notebooks' event records and survey answers (they are files: slow for huge classes).
    banner : str, optional
        A note the page opens with (the demo report says it is one).

    Returns
    -------
    Report

    Raises
    ------
    ValueError
        When a module asked for is not in the gradebook.
    """
    import numpy as np
    import pandas as pd

    from lepton_training.report import page
    from lepton_training.report.gain import learning_gains
    from lepton_training.report.gradebook import read_gradebook
    from lepton_training.report.items import alpha_sentence, item_analysis

    root = Path(root)
    out = Path(out) if out else root / "reports"
    db_url = db_url or f"sqlite:///{(root / 'gradebook.db').resolve()}"
    clock, cpu_clock = time.perf_counter(), time.process_time()
    seconds: dict[str, float] = {}
    cpu_seconds: dict[str, float] = {}

    def lap(name: str) -> None:
        nonlocal clock, cpu_clock
        now, cpu_now = time.perf_counter(), time.process_time()
        seconds[name], cpu_seconds[name] = now - clock, cpu_now - cpu_clock
        clock, cpu_clock = now, cpu_now

    tables = read_gradebook(db_url)
    lap("gradebook")
    available = [a for a in tables.scores if a not in _NOT_MODULES]
    if modules:
        unknown = [m for m in modules if m not in tables.scores]
        if unknown:
            raise ValueError(
                f"not in the gradebook: {', '.join(unknown)}; it has {', '.join(_order(available)) or 'nothing'}"
            )
        chosen = list(dict.fromkeys(modules))
        left_out = []
    else:
        # Mid-course, the gradebook knows every module registered at build, graded or not: a module nobody has
        # a grade in yet would count as 0 for everyone (all at risk) and draw empty figures.
        chosen = _order([a for a in available if len(tables.scores[a])])
        left_out = _order([a for a in available if not len(tables.scores[a])])
    rows: list[dict] = []

    def add(section: str, module: str, item: str, metric: str, value: Any) -> None:
        if isinstance(value, (float, np.floating)) and np.isnan(value):
            value = ""
        rows.append({"section": section, "module": module, "item": item, "metric": metric, "value": value})

    for module in left_out:
        add("completion", module, "", "left_out", "no grades yet")

    # --- completion, scores, item analysis --------------------------------------------------------------------
    learners = sorted(set(tables.learners).union(*(tables.scores[m].index for m in chosen)) if chosen else [])
    subs = tables.submissions
    completion, analyses, shares = [], {}, {}
    share_table = pd.DataFrame(index=pd.Index(learners, name="learner"))
    for module in chosen:
        scores = tables.scores[module]
        cells = tables.cells[tables.cells["assignment"] == module]
        maxima = cells.set_index("column")["max_score"].reindex(scores.columns).to_numpy()
        total = float(maxima.sum())
        share = scores.sum(axis=1) / total if total else scores.sum(axis=1) * np.nan
        shares[module] = share.to_numpy()
        share_table[module] = share.reindex(share_table.index)
        mine = subs[subs["assignment"] == module]
        row = {
            "module": module,
            "learners": len(learners),
            "submitted": int(len(scores)),
            "missing": int(len(learners) - len(scores)),
            "late": int(mine["late"].sum()),
            "mean_share": float(share.mean()) if len(share) else np.nan,
            "median_share": float(share.median()) if len(share) else np.nan,
        }
        completion.append(row)
        for key, value in row.items():
            if key != "module":
                add("completion", module, "", key, value)
        analysis = item_analysis(scores.to_numpy(), maxima, list(scores.columns))
        analysis.items.insert(0, "module", module)
        analyses[module] = (analysis, alpha_sentence(analysis.alpha, len(maxima)))
        add("reliability", module, "", "cronbach_alpha", analysis.alpha)
        for item in analysis.items.to_dict("records"):
            add("items", module, item["question"], "title", page.question_label(module, item["question"]))
            for metric in (
                "mean",
                "max_score",
                "difficulty",
                "discrimination",
                "alpha_if_deleted",
                "share_full",
                "share_zero",
                "flags",
            ):
                add("items", module, item["question"], metric, item[metric])
    lap("items")

    # --- learners at risk ---------------------------------------------------------------------------------------
    if chosen:
        average = share_table.fillna(0).mean(axis=1)
        missing = share_table.isna().sum(axis=1)
        names = np.asarray(share_table.columns)
        risk = pd.DataFrame(
            {
                "average_share": average,
                "missing": missing,
                "missing_modules": [", ".join(names[row]) for row in share_table.isna().to_numpy()],
            }
        )
        risk = risk[(risk["average_share"] < RISK_SHARE) | (risk["missing"] > 0)].sort_values(
            ["average_share", "missing"], ascending=[True, False]
        )
    else:
        risk = pd.DataFrame(columns=["average_share", "missing", "missing_modules"])
    risk.insert(0, "name", [tables.names.get(learner, "") for learner in risk.index])
    for learner, share, modules_missed in zip(risk.index, risk["average_share"], risk["missing_modules"], strict=True):
        add("at_risk", "", learner, "name", tables.names.get(learner, ""))
        add("at_risk", "", learner, "average_share", float(share))
        add("at_risk", "", learner, "missing_modules", modules_missed)
    lap("risk")

    # --- the event record -------------------------------------------------------------------------------------
    event_tables = {}
    if events:
        from lepton_training.report.events import collect_events, summarize_events

        for module in chosen:
            summary = summarize_events(collect_events(root, module))
            if len(summary):
                event_tables[module] = summary
                for item in summary.to_dict("records"):
                    for metric, value in item.items():
                        if metric != "question":
                            add("events", module, item["question"], metric, value)
    lap("events")

    # --- survey -------------------------------------------------------------------------------------------------
    ratings = comments = about_model = None
    if survey:
        from lepton_training.report.survey import collect_survey, score_comments

        ratings, comments = collect_survey(root)
        if len(comments):
            comments, about_model = score_comments(comments, sentiment_model)
        for module, group in ratings.groupby("module", sort=True):
            add("survey", module, "", "ratings", len(group))
            add("survey", module, "", "mean_rating", float(group["rating"].mean()))
        if about_model and "error_rate" in about_model:
            add("survey", "", "sentiment_model", "error_rate", about_model["error_rate"])
            for group, (errors, n) in about_model["errors"].items():
                add("survey", "", "sentiment_model", f"error_rate_{group}", errors / n if n else np.nan)
                add("survey", "", "sentiment_model", f"evaluated_{group}", n)
            for module, group in comments.groupby("module", sort=True):
                add("survey", module, "", "share_positive_comments", float((group["positive"] >= 0.5).mean()))
            # Every comment, in the learner's words and language, with the model's reading (learners not named).
            for number, row in enumerate(comments.to_dict("records"), start=1):
                item = f"comment {number}"
                add("survey_comments", row["module"], item, "comment", row["comment"])
                add("survey_comments", row["module"], item, "language", row["language"])
                add("survey_comments", row["module"], item, "sentiment", row["label"])
                add("survey_comments", row["module"], item, "positive_probability", round(float(row["positive"]), 4))
                add("survey_comments", row["module"], item, "themes", ", ".join(row["themes"]))
    lap("survey")

    # --- learning gain ------------------------------------------------------------------------------------------
    gains = learning_gains(tables)
    for item in gains.to_dict("records"):
        for metric in ("pairs", "pre_mean", "post_mean", "max_score", "gain", "low", "high", "note"):
            add("learning_gain", item["module"], "", metric, item[metric])
    lap("gain")

    out.mkdir(parents=True, exist_ok=True)
    report = Report(modules=chosen, left_out=left_out, rows=rows, seconds=seconds, cpu_seconds=cpu_seconds)
    report.sections = {
        "completion": pd.DataFrame(completion),
        "analyses": analyses,
        "shares": shares,
        "risk": risk,
        "events": event_tables,
        "ratings": ratings,
        "comments": comments,
        "about_model": about_model,
        "gains": gains,
        "db_url": db_url,
        "banner": banner,
    }
    report.html_path = out / "report.html"
    report.html_path.write_text(page.render(report), encoding="utf-8")
    lap("html")
    report.csv_path = out / "report.csv"
    pd.DataFrame(rows, columns=["section", "module", "item", "metric", "value"]).to_csv(report.csv_path, index=False)
    lap("csv")
    return report
