"""The report as one self-contained HTML page: no script, no font or image from anywhere, light and dark, printable.

Every text that comes from data (learner ids, comments, verdicts) is escaped. Figures are inline SVG
(:mod:`.figures`) drawn in the page's own colours; colours come from CSS custom properties switched by
``prefers-color-scheme``; ``@media print`` prints black on white without the page's background.
"""

from __future__ import annotations

import html
import math
import time
from typing import Any

__all__ = ["render", "CSS"]

CSS = """
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0;
  --card: #f6f8fa; --warn: #9a3c00; --accent: #0b5cad; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --card: #151b23; --warn: #f0883e;
    --accent: #58a6ff; }
}
body { background: var(--bg); color: var(--fg); margin: 0 auto; max-width: 72rem; padding: 1.5rem;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { border-bottom: 1px solid var(--line); padding-bottom: .2rem;
  margin-top: 2rem; } h3 { margin-bottom: .3rem; }
.muted { color: var(--muted); } .flag { color: var(--warn); } a { color: var(--accent); }
.note { background: var(--card); border-left: 4px solid var(--accent); padding: .5rem .8rem; margin: .8rem 0; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { border-bottom: 1px solid var(--line); padding: .25rem .6rem; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: .5rem 0 1rem; } figure svg { max-width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: .85rem; }
blockquote { margin: .3rem 0; padding-left: .7rem; border-left: 3px solid var(--line); }
@media print {
  :root { --bg: #ffffff; --fg: #000000; --muted: #333333; --line: #999999; --card: #ffffff; }
  body { max-width: none; padding: 0; } h2 { break-after: avoid; } table, figure { break-inside: avoid; }
}
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _num(value: Any, digits: int = 2, percent: bool = False) -> str:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return _e(value)
    if math.isnan(x):
        return "–"
    if percent:
        return f"{100 * x:.0f}%"
    return f"{x:,.{digits}f}".rstrip("0").rstrip(".") if digits else f"{x:,.0f}"


def question_titles(module: str) -> dict[str, str]:
    """Return ``{"q1": "Completion rate", ...}`` for a course module; empty for a name the course does not know."""
    if module not in _TITLES:
        titles: dict[str, str] = {}
        try:
            import importlib

            from lepton_training.manifest import get_module

            dotted = get_module(module).questions
            if dotted:
                titles = {q.id: q.title for q in importlib.import_module(dotted).exercises}
        except (KeyError, ImportError, AttributeError):
            titles = {}
        _TITLES[module] = titles
    return _TITLES[module]


_TITLES: dict[str, dict[str, str]] = {}


def question_label(module: str, item: str) -> str:
    """Name a graded cell (``q2-tests``, ``nb/q2-tests``) or an event's question (``00-orientation:q2``) in words.

    ``"q2 · Mean rating"`` when the course knows the question, else the item as it is.
    """
    import re

    match = re.fullmatch(r"(?:.*[:/])?(q\d+)(?:-tests)?", str(item))
    title = question_titles(module).get(match.group(1)) if match else None
    return f"{match.group(1)} · {title}" if title else str(item)


def verdict_words(verdicts: str) -> str:
    """Give words to every verdict of ``"incorrect: x (5); incorrect: (3)"``.

    A verdict whose message began with a value (which the record never keeps) has no words of its own: it reads
    "incorrect, with a message that begins with a value (not recorded)".
    """
    import re

    if not verdicts:
        return ""

    def one(part: str) -> str:
        match = re.fullmatch(r"\s*(\w+):\s*(\(\d+\))\s*", part)
        if match:
            return f"{match.group(1)}, with a message that begins with a value (not recorded) {match.group(2)}"
        return part.strip()

    return "; ".join(one(p) for p in verdicts.split("; "))


def _table(headers: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    head = "".join(
        f'<th class="num">{_e(h)}</th>' if i in numeric else f"<th>{_e(h)}</th>" for i, h in enumerate(headers)
    )
    body = "".join(
        "<tr>"
        + "".join(f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>" for i, c in enumerate(r))
        + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{_e(caption)}</figcaption></figure>"


def _completion(report: Any) -> str:
    frame = report.sections["completion"]
    rows = [
        [
            _e(r["module"]),
            _num(r["learners"], 0),
            _num(r["submitted"], 0),
            _num(r["missing"], 0),
            _num(r["late"], 0),
            _num(r["mean_share"], percent=True),
            _num(r["median_share"], percent=True),
        ]
        for r in frame.to_dict("records")
    ]
    return '<h2 id="completion">Completion and scores</h2>' + _table(
        ["Module", "Learners", "Submitted", "Not submitted", "Late", "Mean score", "Median score"],
        rows,
        {1, 2, 3, 4, 5, 6},
    )


def _items(report: Any) -> str:
    from lepton_training.report import figures

    parts = [
        '<h2 id="items">Item analysis: where learners struggled</h2>',
        '<p class="note">Difficulty is the share of a question\'s points learners earned; discrimination is '
        "the correlation between a question's score and the total of the module's other questions. Flagged: "
        "difficulty below 0.30 (most learners fail it), above 0.95, or discrimination below 0.20.</p>",
    ]
    shares = report.sections["shares"]
    if shares:
        parts.append(
            _figure(
                figures.score_histograms(shares),
                "Score distribution per module: how many learners earned each share of the points.",
            )
        )
    analyses = report.sections["analyses"]
    if analyses:
        import pandas as pd

        every = pd.concat([a.items for a, _ in analyses.values()], ignore_index=True)
        parts.append(
            _figure(
                figures.item_map(every),
                "Each question's difficulty against its discrimination; "
                "questions in the shaded zones are hard or do not tell strong and weak learners apart.",
            )
        )
    for module, (analysis, sentence) in analyses.items():
        parts.append(
            f'<h3>{_e(module)}</h3><p>{_e(sentence)} <span class="muted">({analysis.n_learners} '
            "submissions.)</span></p>"
        )
        rows = [
            [
                _e(question_label(module, i["question"])),
                _num(i["mean"]),
                _num(i["max_score"]),
                _num(i["difficulty"]),
                _num(i["discrimination"]),
                _num(i["alpha_if_deleted"]),
                _num(i["share_full"], percent=True),
                _num(i["share_zero"], percent=True),
                f'<span class="flag">{_e(i["flags"])}</span>',
            ]
            for i in analysis.items.to_dict("records")
        ]
        parts.append(
            _table(
                [
                    "Question",
                    "Mean",
                    "Max",
                    "Difficulty",
                    "Discrimination",
                    "Alpha without it",
                    "Full points",
                    "Zero",
                    "Flag",
                ],
                rows,
                {1, 2, 3, 4, 5, 6, 7},
            )
        )
    return "".join(parts)


def _risk(report: Any, limit: int = 50) -> str:
    from lepton_training.report.build import RISK_SHARE

    risk = report.sections["risk"]
    intro = (
        f"<p>{len(risk)} learner(s) averaged below {RISK_SHARE:.0%} of the points over the modules (a missing "
        "module counts as 0) or did not submit a module. Follow up with them; the CSV lists them all.</p>"
    )
    rows = [
        [
            _e(f"{r['name']} ({learner})" if r.get("name") else learner),
            _num(r["average_share"], percent=True),
            _e(r["missing_modules"] or "–"),
        ]
        for learner, r in risk.head(limit).iterrows()
    ]
    more = f'<p class="muted">First {limit} of {len(risk)} shown.</p>' if len(risk) > limit else ""
    return (
        '<h2 id="risk">Learners at risk</h2>'
        + intro
        + (_table(["Learner", "Average score", "Not submitted"], rows, {1}) if rows else "")
        + more
    )


def _events(report: Any) -> str:
    tables = report.sections["events"]
    parts = [
        '<h2 id="events">How learners got there</h2>',
        '<p class="note">From the event record that <code>check()</code> and <code>hint()</code> keep in each '
        "learner's notebook: attempts before the first pass, hint levels opened, time from the first attempt "
        "to the pass, the mistakes the checks named most often, and how many learners opened a question's "
        "explanation (<code>explain()</code>) before their first passing check. It is self-reported data "
        "written by the learner's own kernel: it describes practice and <strong>never changes a score</strong>. "
        "Learners who turned the record off, or worked outside a notebook, are absent. Only checks of the "
        "learner's own answer count as attempts: a check of anything else, such as a notebook cell that checks an "
        "example of a mistake to show what feedback looks like, is left out and counted apart.</p>",
    ]
    if not tables:
        parts.append('<p class="muted">No event records were found in the submitted notebooks.</p>')
    for module, summary in tables.items():
        summary = summary[summary["learners"] > 0] if "other_checks" in summary else summary
        rows = [
            [
                _e(question_label(module, r["question"])),
                _num(r["learners"], 0),
                _num(r["passed_in_check"], percent=True),
                _num(r["attempts_to_pass"], 1),
                _num(r["hint_level"], 1),
                _num(r["minutes_to_pass"], 1),
                _e(verdict_words(r["wrong_verdicts"]) or "–"),
                _num(r.get("explained_before_pass", 0), 0),
            ]
            for r in summary.to_dict("records")
        ]
        parts.append(
            f"<h3>{_e(module)}</h3>"
            + _table(
                [
                    "Question",
                    "Learners",
                    "Passed in check()",
                    "Median attempts to pass",
                    "Median hint level",
                    "Median minutes to pass",
                    "Most frequent wrong verdicts",
                    "Opened the explanation before passing",
                ],
                rows,
                {1, 2, 3, 4, 5, 7},
            )
        )
        left = tables[module]
        left = left[left["other_checks"] > 0] if "other_checks" in left else left.iloc[:0]
        if len(left):
            counts = ", ".join(
                f"{question_label(module, r['question'])} ({int(r['other_checks'])})" for r in left.to_dict("records")
            )
            parts.append(
                f'<p class="muted">Left out: {int(left["other_checks"].sum())} check(s) of something else than the '
                f"learner's own answer (the notebook's demo cells, or a function the learner tried aside): "
                f"{_e(counts)}.</p>"
            )
    return "".join(parts)


def _survey(report: Any, per_theme: int = 2) -> str:
    from lepton_training.report import figures

    ratings, comments, about = (report.sections[k] for k in ("ratings", "comments", "about_model"))
    parts = ['<h2 id="survey">The training survey</h2>']
    if ratings is None or (not len(ratings) and (comments is None or not len(comments))):
        return "".join(parts) + '<p class="muted">No survey answers were found in submitted/*/99-survey/.</p>'
    if len(ratings):
        parts.append(_figure(figures.ratings_chart(ratings), "Share of each rating per module."))
        stats = ratings.groupby("module")["rating"].agg(["count", "mean"]).reset_index()
        parts.append(
            _table(
                ["Module", "Ratings", "Mean (1 to 5)"],
                [[_e(r["module"]), _num(r["count"], 0), _num(r["mean"])] for r in stats.to_dict("records")],
                {1, 2},
            )
        )
    if comments is not None and len(comments):
        if about and "error_rate" in about:
            errors = about["errors"]

            def rate(group: str) -> str:
                wrong, n = errors.get(group, (0, 0))
                return f"{wrong / n:.0%} of {n}" if n else "not measured"

            parts.append(
                '<p class="note">Comment sentiment (English, Chinese or both) is read by the report\'s sentiment '
                "model (<code>lepton_training.report.sentiment</code>). On labelled training comments kept apart "
                f"from its training it was wrong on {rate('all')}: English {rate('en')}, Chinese {rate('zh')}, "
                f"mixed {rate('mixed')}; sarcastic comments {rate('sarcasm')}. Those comments were written by the "
                "same hands as its training set, so expect it to be wrong more often on your learners' words. "
                "Read the shares below as estimates "
                "and the comments as the evidence. <code>lepton-training sentiment FILE</code> labels any other "
                "comments with the same model.</p>"
            )
            share = (
                comments.groupby("module")
                .agg(
                    n=("positive", "size"),
                    positive=("positive", lambda p: float((p >= 0.5).mean())),
                    zh=("language", lambda s: int((s != "en").sum())),
                )
                .reset_index()
            )
            parts.append(
                _table(
                    ["Module", "Comments", "In Chinese or mixed", "Read as positive"],
                    [
                        [_e(r["module"]), _num(r["n"], 0), _num(r["zh"], 0), _num(r["positive"], percent=True)]
                        for r in share.to_dict("records")
                    ],
                    {1, 2, 3},
                )
            )
        else:
            reason = (about or {}).get("unavailable", "the sentiment model was not run")
            parts.append(f'<p class="note">Comments are not scored: {_e(reason)}.</p>')
        parts.append(
            "<h3>Example comments per theme</h3>"
            '<p class="muted">Examples are those the model reads confidently and the word rules read the same way; '
            "where a theme has none, the comment shown is marked <em>model's label, may be wrong</em>. Every "
            "comment is in the CSV (section <code>survey_comments</code>).</p>"
        )
        exploded = comments.explode("themes")
        for theme, group in exploded.groupby("themes", sort=True):
            parts.append(f'<p><strong>{_e(theme)}</strong> <span class="muted">({len(group)} comment(s))</span></p>')
            for r in _examples(group, per_theme):
                if "label" not in r or not r["label"]:
                    label = ""
                elif r.get("sure"):
                    label = f"read as {r['label']}, "
                else:
                    label = f"read as {r['label']}: model's label, may be wrong, "
                parts.append(
                    f'<blockquote>{_e(r["comment"])} <span class="muted">({label}{_e(r["module"])})</span></blockquote>'
                )
    return "".join(parts)


def _examples(group: Any, per_theme: int) -> list[dict]:
    """Up to ``per_theme`` comments of each label, the surest first, non-English ones given their turn."""
    if "label" not in group or not group["label"].astype(bool).any():
        return group.head(per_theme).to_dict("records")
    picked = []
    for label in ("negative", "positive"):
        mine = group[group["label"] == label]
        if not len(mine):
            continue
        mine = mine.drop_duplicates("comment")
        sure = mine[mine["sure"]]
        pool = sure if len(sure) else mine
        # The most confident first, languages taking turns, so a Chinese comment is not always last in line.
        confidence = (pool["positive"] - 0.5).abs()
        pool = pool.assign(_c=confidence).sort_values("_c", ascending=False)
        turn = pool.groupby("language").cumcount()
        pool = pool.assign(_turn=turn).sort_values(["_turn", "_c"], ascending=[True, False])
        picked += pool.head(per_theme).to_dict("records")
    return picked


def _interval(r: dict) -> str:
    """Return the gain's interval, and in words why it is missing or has no width."""
    note = r.get("note") or ""
    if isinstance(note, float):  # NaN from a frame without notes
        note = ""
    finite = all(isinstance(r.get(k), (int, float)) and math.isfinite(float(r[k])) for k in ("low", "high"))
    if not finite:
        return _e(note or "not computed")
    interval = f"{_num(r['low'])} to {_num(r['high'])}"
    return f"{interval} ({_e(note)})" if note else interval


def _gain(report: Any) -> str:
    from lepton_training.report import figures

    gains = report.sections["gains"]
    parts = ['<h2 id="gain">Learning gain</h2>']
    if not len(gains):
        return (
            "".join(parts) + '<p class="muted">No pre- and post-course quizzes (quiz-pre, quiz-post) are in the '
            "gradebook.</p>"
        )
    parts.append(
        '<p class="note">Hake\'s normalized gain: (mean after − mean before) / (maximum − mean before), the share of '
        "the possible improvement achieved, with a 95% bootstrap interval over learners "
        "(<code>lepton_training.evaluation.learning_gain_ci</code>, as taught in module 04). Only learners who took "
        "both quizzes count; dropouts are rarely random, so this usually flatters the gain.</p>"
    )
    if gains["gain"].notna().any():
        parts.append(_figure(figures.gain_chart(gains), "Normalized learning gain per module with its 95% interval."))
    rows = [
        [
            _e(r["module"]),
            _num(r["pairs"], 0),
            _num(r["pre_mean"]),
            _num(r["post_mean"]),
            _num(r["max_score"]),
            _num(r["gain"]),
            _interval(r),
        ]
        for r in gains.to_dict("records")
    ]
    parts.append(
        _table(
            ["Module", "Learners with both", "Mean before", "Mean after", "Max", "Gain", "95% interval"],
            rows,
            {1, 2, 3, 4, 5},
        )
    )
    return "".join(parts)


def _left_out(report: Any) -> str:
    left = getattr(report, "left_out", None) or []
    if not left:
        return ""
    return (
        f'<p class="note">Left out: {_e(", ".join(left))}, registered in the gradebook but with no grades yet. '
        "This report covers the graded modules only; run it again as the course goes on.</p>"
    )


def _banner(report: Any) -> str:
    """Return the note a demo report opens with (``report.sections["banner"]``), empty for a real cohort."""
    banner = report.sections.get("banner")
    return f'<p class="note"><strong>{_e(banner)}</strong></p>' if banner else ""


def render(report: Any) -> str:
    """Return the report's HTML page."""
    made = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    sections = [_completion(report), _items(report), _risk(report), _events(report), _survey(report), _gain(report)]
    nav = " · ".join(
        f'<a href="#{a}">{t}</a>'
        for a, t in (
            ("completion", "Completion"),
            ("items", "Item analysis"),
            ("risk", "At risk"),
            ("events", "How learners got there"),
            ("survey", "Survey"),
            ("gain", "Learning gain"),
        )
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Lepton Training: results report</title>"
        f"<style>{CSS}</style></head><body>"
        f'<h1>Lepton Training: results report</h1><p class="muted">{_e(", ".join(report.modules) or "No module")}'
        f" · generated {_e(made)} · every number is also in report.csv</p>{_banner(report)}{_left_out(report)}"
        f"<nav>{nav}</nav>" + "".join(sections) + "</body></html>"
    )
