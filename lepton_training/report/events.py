"""How learners got to their answers: the event record that ``check()`` and ``hint()`` leave in the notebook.

The record travels inside the submitted notebook (see :mod:`lepton_training.exercises`, "the event record"): each
check or hint output carries its question's events under the MIME type ``EVENTS_MIME``. This module reads them
back from ``submitted/<learner>/<module>/*.ipynb`` (the notebook as the learner sent it: nbgrader's autograde
clears outputs) and summarises them per question. The record is self-reported data, written by code running in
the learner's kernel: it describes practice, and never changes a score.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["read_events", "collect_events", "summarize_events"]


def read_events(notebook: str | Path | dict) -> list[dict]:
    """Return the events recorded in one notebook, duplicates removed, in time order.

    Parameters
    ----------
    notebook : path or dict
        A notebook file or its parsed JSON.

    Returns
    -------
    list of dict
        Each with ``s`` (kernel session), ``n`` (number in it), ``q`` (question), ``t`` (UTC time), ``e``
        (``"check"``, ``"hint"`` or ``"explain"``) and ``status``/``verdict``/``own`` or ``level``. Malformed
        entries are skipped. ``own`` is false for a check of something else than the learner's answer (a demo
        cell's example); records written before it existed have none, and count as the learner's own.
    """
    from lepton_training.exercises import EVENTS_MIME

    if not isinstance(notebook, dict):
        try:
            notebook = json.loads(Path(notebook).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
    seen: dict[tuple, dict] = {}
    for cell in notebook.get("cells", []) if isinstance(notebook, dict) else []:
        for output in cell.get("outputs", []) or [] if isinstance(cell, dict) else []:
            data = output.get("data") if isinstance(output, dict) else None
            record = data.get(EVENTS_MIME) if isinstance(data, dict) else None
            events = record.get("events") if isinstance(record, dict) else None
            for event in events if isinstance(events, list) else []:
                if isinstance(event, dict) and {"s", "n", "q", "t", "e"} <= event.keys():
                    seen.setdefault((str(event["s"]), event["n"]), event)
    return sorted(seen.values(), key=lambda e: (str(e["t"]), str(e["s"]), e["n"] if isinstance(e["n"], int) else 0))


def collect_events(root: str | Path, module: str) -> Any:
    """Read the event records of every learner's submission of a module.

    Parameters
    ----------
    root : path-like
        The course root (``submitted/<learner>/<module>/``).
    module : str

    Returns
    -------
    pandas.DataFrame
        One row per event, with a ``learner`` column.
    """
    import pandas as pd

    rows = []
    folder = Path(root) / "submitted"
    if folder.is_dir():
        for learner_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
            for path in sorted((learner_dir / module).glob("*.ipynb")):
                if path.is_symlink():
                    continue
                rows += [{**e, "learner": learner_dir.name} for e in read_events(path)]
    columns = ["learner", "s", "n", "q", "t", "e", "status", "verdict", "level", "own"]
    frame = pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame(columns=columns)
    frame["t"] = pd.to_datetime(frame["t"], errors="coerce", utc=True)
    return frame


def summarize_events(events: Any) -> Any:
    """Summarise events per question.

    Parameters
    ----------
    events : pandas.DataFrame
        As returned by :func:`collect_events`.

    Returns
    -------
    pandas.DataFrame
        One row per question: ``learners`` (with any event), ``passed_in_check`` (share of them whose check
        passed at some point), ``attempts_to_pass`` (median checks up to and including the first pass),
        ``hint_level`` (median of the highest hint level each learner opened, 0 for none), ``minutes_to_pass``
        (median time from the first check to the first pass), ``wrong_verdicts`` (the three most frequent, with
        counts), ``explained`` (learners who opened the explanation) and ``explained_before_pass`` (of them, those
        who opened it before their first passing check, or never passed), and ``other_checks``: checks of
        something else than the learner's own answer (the notebook's demo cells, which check an example of a
        mistake), left out of every other column.
    """
    import numpy as np
    import pandas as pd

    out = []
    for column in ("status", "verdict", "level", "own"):
        if column not in events:
            events = events.assign(**{column: np.nan})
    # Only checks of the learner's own answer are attempts: ``own`` is False for a check of anything else.
    other = (events["e"] == "check") & events["own"].map(lambda v: v is False or v is np.False_)
    others = events[other].groupby("q").size()
    events = events[~other]
    for question in sorted(set(others.index) - set(events["q"])):
        out.append({"question": question, "learners": 0, "wrong_verdicts": "", "explained": 0})
        out[-1].update(explained_before_pass=0, hint_level=0.0, other_checks=int(others[question]))
    for question, group in events.groupby("q", sort=True):
        checks = group[group["e"] == "check"].sort_values("t")
        hints = group[group["e"] == "hint"]
        explained, explained_first = _explained(group)
        learners = group["learner"].nunique()
        attempts, minutes, passed = [], [], 0
        for _, mine in checks.groupby("learner"):
            passes = np.flatnonzero(mine["status"].to_numpy() == "passed")
            if len(passes):
                passed += 1
                attempts.append(passes[0] + 1)
                minutes.append((mine["t"].iloc[passes[0]] - mine["t"].iloc[0]).total_seconds() / 60)
        levels = pd.to_numeric(hints["level"], errors="coerce").groupby(hints["learner"]).max()
        levels = levels.reindex(group["learner"].unique()).fillna(0)
        wrong = checks.loc[checks["status"] != "passed", "verdict"].value_counts().head(3)
        out.append(
            {
                "question": question,
                "learners": learners,
                "passed_in_check": passed / learners if learners else np.nan,
                "attempts_to_pass": float(np.median(attempts)) if attempts else np.nan,
                "hint_level": float(levels.median()) if len(levels) else 0.0,
                "minutes_to_pass": float(np.median(minutes)) if minutes else np.nan,
                "wrong_verdicts": "; ".join(f"{v} ({c})" for v, c in wrong.items()),
                "explained": explained,
                "explained_before_pass": explained_first,
                "other_checks": int(others.get(question, 0)),
            }
        )
    columns = [
        "question",
        "learners",
        "passed_in_check",
        "attempts_to_pass",
        "hint_level",
        "minutes_to_pass",
        "wrong_verdicts",
        "explained",
        "explained_before_pass",
        "other_checks",
    ]
    return pd.DataFrame(out, columns=columns).sort_values("question", ignore_index=True)


def _explained(group: Any) -> tuple[int, int]:
    """Count the learners of one question who opened its explanation, and those who did so before a pass."""
    explained = before = 0
    for _, mine in group.groupby("learner"):
        # Events in the order they happened: the time, then the kernel session and the number within it.
        order = sorted(mine.to_dict("records"), key=lambda e: (str(e["t"]), str(e["s"]), _number(e["n"])))
        kinds = [e["e"] if e["e"] != "check" else ("pass" if e.get("status") == "passed" else "check") for e in order]
        if "explain" in kinds:
            explained += 1
            if "pass" not in kinds or kinds.index("explain") < kinds.index("pass"):
                before += 1
    return explained, before


def _number(n: Any) -> int:
    return n if isinstance(n, int) else 0
