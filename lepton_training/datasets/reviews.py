"""Longer survey comments for module 02: sentiment spread over a large vocabulary, among the details people write.

:func:`training_feedback` (modules 01 and 03) writes short comments from a small vocabulary: a few hundred rows
pin down its 130 words well, so a penalty barely matters. Module 02 needs text where it does: each comment here
says how one or two aspects of a session went, with one of 60 adjectives, among two to five sentences of detail
(the tools, the team, the city, the day) that say nothing about the rating. With about 300 words and 750 rows, a
weak penalty fits the details' chance associations with the rating, and the held-out accuracy falls.
"""

from __future__ import annotations

from typing import Any

from lepton_training.datasets.card import Column, DataCard, Quirk

__all__ = ["detailed_feedback", "DETAILED_FEEDBACK_CARD"]

DEFAULT_SEED = 2026

_RATES = {"label_noise": 0.10}

DETAILED_FEEDBACK_CARD = DataCard(
    name="detailed_feedback",
    summary=(
        "One row per long free-text comment from the post-session survey of Lepton Training, with the rating the "
        "learner gave. Module 02 uses it to tune a penalty: predict whether a comment is positive (rating 4 or "
        "5) from its words. Synthetic: generated from a seed by `lepton_training.datasets.detailed_feedback`; "
        "no real person wrote these comments."
    ),
    columns=(
        Column("comment_id", "str", "", 'id of the comment, such as "D0042"'),
        Column("submitted_on", "str", "", "date the survey was submitted, ISO text such as 2026-03-05"),
        Column("comment", "str", "", "the comment in English: three to seven sentences"),
        Column("rating", "int", "", "overall rating from 1 (poor) to 5 (excellent)"),
    ),
    generation=(
        "Each comment judges one or two aspects of the session (pace, examples, slides, labs, ...) with one of "
        '30 positive or 30 negative adjectives ("the labs felt insightful", "rather tedious demos"), and adds '
        "two to five sentences of detail about the writer's tools, team, city, day or project, drawn at random "
        "whatever the rating. The rating follows the judged aspects with noise; then the quirks below are "
        "planted. Only the adjectives carry the sentiment: any other word that looks linked to the rating in a "
        "sample is linked by chance."
    ),
    quirks=(
        Quirk(
            "label_noise",
            "Ratings on the other side of 3.5 from what the comment says (a misclick, or a rating about something "
            "else). No model can get these right.",
            _RATES["label_noise"],
        ),
        Quirk(
            "chance_words",
            "About 250 of the roughly 300 words are details unrelated to the rating (tools, places, days, teams). "
            "In a few hundred comments some of them appear more often in positive ones by chance: a model with "
            "a weak penalty learns those coincidences.",
        ),
    ),
    not_for=(
        "Judging real modules or learners, or benchmarking sentiment models: the text is template-made, and its "
        "sentiment words are listed in the generator."
    ),
)
"""The data card of :func:`detailed_feedback`."""

_POSITIVE = (
    "clear", "helpful", "great", "excellent", "useful", "engaging", "practical", "fun", "inspiring", "insightful",
    "thorough", "relevant", "patient", "brilliant", "solid", "valuable", "enjoyable", "motivating", "concise",
    "accessible", "rigorous", "friendly", "lively", "smooth", "superb", "polished", "generous", "thoughtful",
    "logical", "crisp",
)  # fmt: skip
_NEGATIVE = (
    "confusing", "boring", "rushed", "slow", "frustrating", "useless", "outdated", "messy", "tedious", "shallow",
    "chaotic", "dull", "repetitive", "vague", "disorganized", "overwhelming", "dry", "buggy", "sloppy",
    "pointless", "awkward", "tiring", "unclear", "clumsy", "cramped", "noisy", "late", "broken", "patchy",
    "sluggish",
)  # fmt: skip
_ASPECTS = (
    "pace", "examples", "exercises", "instructor", "setup", "notebooks", "slides", "length", "labs",
    "explanations", "quiz", "datasets", "homework", "breaks", "demos", "discussion", "feedback", "materials",
    "recordings", "schedule",
)  # fmt: skip
_TOOLS = (
    "pandas", "numpy", "scikit-learn", "matplotlib", "SQL", "Colab", "Jupyter", "GitHub", "regression",
    "clustering", "gradients", "pipelines", "TF-IDF", "embeddings", "dashboards", "spreadsheets", "Python",
    "Docker", "Kaggle", "statistics", "probability", "vectors", "matrices", "optimizers", "metrics", "validation",
    "leakage", "features", "sampling", "forecasting", "transformers", "XGBoost", "Spark", "Airflow", "Tableau",
    "Excel", "PyTorch", "TensorFlow", "BigQuery", "Snowflake", "Postgres", "MongoDB", "Kubernetes", "Terraform",
    "Linux", "bash", "git", "VS Code", "Streamlit", "FastAPI",
)  # fmt: skip
_PLACES = (
    "Berlin", "Shanghai", "London", "Paris", "Madrid", "Tokyo", "Singapore", "Toronto", "Nairobi", "Lagos", "Delhi",
    "Sydney", "Boston", "Austin", "Dublin", "Warsaw", "Prague", "Vienna", "Oslo", "Lisbon", "Seoul", "Taipei",
    "Cairo", "home", "the office", "the campus", "a hotel", "the train", "the library", "a cafe", "the airport",
)  # fmt: skip
_WHEN = (
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "January", "February", "March", "April",
    "May", "June", "July", "August", "September", "October", "November", "December", "the morning",
    "the afternoon", "the evening", "a holiday", "my lunch break",
)  # fmt: skip
_PEOPLE = (
    "manager", "colleague", "team lead", "client", "mentor", "director", "recruiter", "partner", "professor",
    "friend", "coach", "sponsor",
)  # fmt: skip
_THINGS = (
    "laptop", "tablet", "phone", "headphones", "webcam", "monitor", "keyboard", "microphone", "charger",
    "second screen", "notebook", "desk",
)  # fmt: skip
_PROJECTS = (
    "migration", "audit", "launch", "release", "roadmap", "hackathon", "budget review", "quarterly report",
    "product demo", "forecast", "survey", "dashboard", "pricing study", "churn analysis", "hiring plan",
    "compliance check", "onboarding", "incident review", "A/B test", "data warehouse",
)  # fmt: skip
_TEAMS = (
    "marketing", "finance", "sales", "support", "legal", "logistics", "operations", "procurement", "security",
    "research", "platform", "product", "design", "people", "hiring", "analytics", "billing", "partnerships",
    "compliance", "infrastructure",
)  # fmt: skip
_ROLES = (
    "analyst", "engineer", "recruiter", "designer", "manager", "intern", "researcher", "consultant", "scientist",
    "developer",
)  # fmt: skip
_PRAISE = (
    "the {a} was {w}",
    "the {a} felt {w}",
    "I found the {a} {w}",
    "really {w} {a}",
    "the {a} were {w} throughout",
)
_BLAME = ("the {a} was {w}", "the {a} felt {w}", "I found the {a} {w}", "rather {w} {a}", "the {a} were {w} at times")
_DETAILS = (
    "I joined from {place} on {when}",
    "my {person} asked me to learn {tool}",
    "I used {tool} before for our {project}",
    "the part on {tool} reminded me of our {project}",
    "as {role} in {team} I mostly use {tool}",
    "I followed it on my {thing} from {place}",
    "we covered {tool} on {when}",
    "I want to use {tool} for the {team} {project}",
)


def _pick(options: tuple[str, ...], rng: Any) -> str:
    return options[int(rng.integers(len(options)))]


def _judgement(polarity: int, rng: Any) -> str:
    words, templates = (_POSITIVE, _PRAISE) if polarity > 0 else (_NEGATIVE, _BLAME)
    return _pick(templates, rng).format(a=_pick(_ASPECTS, rng), w=_pick(words, rng))


def _detail(rng: Any) -> str:
    role = _pick(_ROLES, rng)
    return _pick(_DETAILS, rng).format(
        place=_pick(_PLACES, rng),
        when=_pick(_WHEN, rng),
        person=_pick(_PEOPLE, rng),
        tool=_pick(_TOOLS, rng),
        project=_pick(_PROJECTS, rng),
        role=("an " if role[0] in "aeiou" else "a ") + role,
        team=_pick(_TEAMS, rng),
        thing=_pick(_THINGS, rng),
    )


def _detailed(n: int, seed: int) -> Any:
    """Build the frame with two hidden columns the tests use: ``_polarity`` (+1 or -1) and ``_noisy``."""
    import numpy as np
    import pandas as pd

    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 100:
        raise ValueError(f"n must be an integer of at least 100, not {n!r}")
    rng = np.random.default_rng(seed)
    comments, polarity, ratings, noisy = [], [], [], []
    for _ in range(n):
        mood = rng.random() < 0.62  # the commenter's overall mood
        judged = [
            1 if rng.random() < (0.85 if mood else 0.15) else -1 for _ in range(int(rng.choice([1, 2], p=[0.6, 0.4])))
        ]
        sentences = [_judgement(p, rng) for p in judged] + [_detail(rng) for _ in range(int(rng.integers(2, 6)))]
        order = rng.permutation(len(sentences))
        comments.append(" ".join(sentences[i][0].upper() + sentences[i][1:] + "." for i in order))
        score = sum(judged) + rng.normal(0, 0.5)
        positive = score > 0
        flipped = rng.random() < _RATES["label_noise"]
        if flipped:
            positive = not positive
        ratings.append(int(rng.integers(4, 6)) if positive else int(rng.integers(1, 4)))
        polarity.append(1 if score > 0 else -1)
        noisy.append(flipped)
    days = np.sort(rng.integers(0, 212, n))
    return pd.DataFrame(
        {
            "comment_id": [f"D{k + 1:04d}" for k in range(n)],
            "submitted_on": np.datetime_as_string(np.datetime64("2025-09-01") + days.astype("timedelta64[D]")).astype(
                object
            ),
            "comment": np.array(comments, dtype=object),
            "rating": np.array(ratings, dtype=np.int64),
            "_polarity": np.array(polarity),
            "_noisy": np.array(noisy),
        }
    )


def detailed_feedback(n: int = 1200, seed: int = DEFAULT_SEED) -> Any:
    """Generate the long survey comments described by :data:`DETAILED_FEEDBACK_CARD`.

    Parameters
    ----------
    n : int, default 1200
        Number of comments (at least 100).
    seed : int, default 2026
        Seed of the generator: the same seed gives the same table, byte for byte, on every machine.

    Returns
    -------
    pandas.DataFrame
        Columns ``comment_id``, ``submitted_on``, ``comment`` and ``rating``.

    Examples
    --------
    >>> df = detailed_feedback(200, seed=1)
    >>> list(df.columns)
    ['comment_id', 'submitted_on', 'comment', 'rating']
    >>> bool(df["rating"].between(1, 5).all())
    True
    """
    frame = _detailed(n, seed)
    return frame[[c for c in frame.columns if not c.startswith("_")]]
