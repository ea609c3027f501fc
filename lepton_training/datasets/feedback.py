"""Free-text comments from Lepton Training's post-session surveys, with their 1 to 5 rating, and a small lexicon."""

from __future__ import annotations

from typing import Any

from lepton_training.datasets.card import Column, DataCard, Quirk

__all__ = ["training_feedback", "sentiment_lexicon", "TRAINING_FEEDBACK_CARD"]

DEFAULT_SEED = 2026

_MODULES = (
    "00-orientation",
    "01-data-prep",
    "02-model-optimization",
    "03-feature-engineering",
    "04-evaluation",
    "05-recruitment-lp",
)

_RATES = {"chinese_comments": 0.10, "typos": 0.05, "label_noise": 0.07}

TRAINING_FEEDBACK_CARD = DataCard(
    name="training_feedback",
    summary=(
        "One row per free-text comment left in the survey after a live module of Lepton Training, with the "
        "rating the learner gave. The course uses it for sentiment analysis: predict whether a comment is "
        "positive (rating 4 or 5) from its words. Synthetic: generated from a seed by "
        "`lepton_training.datasets.training_feedback`; no real person wrote these comments."
    ),
    columns=(
        Column("comment_id", "str", "", 'id of the comment, such as "F0042"'),
        Column("module", "str", "", 'module id from the course manifest, such as "01-data-prep"'),
        Column("submitted_on", "str", "", "date the survey was submitted, ISO text such as 2026-03-05"),
        Column("language", "str", "", '"en" (English) or "zh" (simplified Chinese)'),
        Column("comment", "str", "", "the comment as written: one to three sentences, on one or more aspects"),
        Column("rating", "int", "", "overall rating from 1 (poor) to 5 (excellent)"),
    ),
    generation=(
        "Each comment is built from one to three clauses, each about one aspect of the session (pace, examples, "
        "exercises, instructor, Colab and the notebooks, slides, length) with a positive, negative or neutral "
        'polarity, picked from templates with varied vocabulary. Many clauses use negation ("wasn\'t clear", '
        '"not helpful at all", "never boring"), and a comment may praise one aspect and criticize another '
        '("the examples were great but the pace was too fast"). The rating follows the clauses\' overall '
        "polarity with noise, so it is skewed towards 4 and 5 like real satisfaction surveys; then the quirks "
        "below are planted."
    ),
    quirks=(
        Quirk(
            "chinese_comments",
            'Comments in simplified Chinese, flagged by language == "zh".',
            _RATES["chinese_comments"],
        ),
        Quirk(
            "typos",
            "English comments with one misspelled word (two letters swapped or one dropped), such as "
            '"exrecises" or "helpul".',
            _RATES["typos"],
        ),
        Quirk(
            "label_noise",
            "Ratings that contradict the text: a clearly positive comment rated 1 or 2, or a clearly negative one "
            "rated 4 or 5 (a misclick, or a rating about something else). No model can get these right.",
            _RATES["label_noise"],
        ),
        Quirk(
            "negation",
            "About 40% of English comments contain a negation (not, never, didn't, wasn't, no), so counting "
            "positive and negative words misreads them "
            '("not helpful", "never boring"). `sentiment_lexicon()` scores words without negation handling.',
        ),
        Quirk(
            "skewed_ratings",
            "Ratings are imbalanced: about 65% are 4 or 5; accuracy alone flatters a model that always says positive.",
        ),
    ),
    not_for=(
        "Judging real modules, instructors or learners: the comments are synthetic. Not a benchmark of sentiment "
        "models: the language is template-made and simpler than real text."
    ),
    language_note=(
        'About 10% of comments are in simplified Chinese (language == "zh"). They are kept and flagged: the '
        "English bag-of-words models and `sentiment_lexicon()` of the course use the English comments only "
        '(filter language == "en"); the Chinese comments serve to show why a data set must be audited for '
        "languages, since a whitespace tokenizer sees a Chinese sentence as one or two long words."
    ),
)
"""The data card of :func:`training_feedback`."""

# --- vocabulary --------------------------------------------------------------------------------------------------

# (singular, noun phrase): the verb agrees with the phrase.
_ASPECTS = (
    (False, "the pace"),
    (True, "the examples"),
    (True, "the exercises"),
    (False, "the instructor"),
    (False, "the Colab setup"),
    (True, "the notebooks"),
    (True, "the slides"),
    (False, "the session length"),
    (True, "the hands-on labs"),
    (False, "the explanation of cross-validation"),
)
_POS_ADJ = ("clear", "helpful", "great", "excellent", "useful", "engaging", "well organized", "practical", "fun")
_NEG_ADJ = ("confusing", "boring", "rushed", "too slow", "frustrating", "useless", "outdated", "messy", "too long")
_POSITIVE = (
    "{A} {was} {pos}",
    "{A} {was} really {pos}",
    "{A} {was} {pos} and {pos2}",
    "I really liked {a}",
    "I loved {a}",
    "{A} helped me a lot",
    "thanks for {a}, {pos}",
    "{A} made everything easy to follow",
    "{A} {was} never {neg}",
    "{A} {was} not {neg} at all",
    "no problems with {a}",
)
_NEGATIVE = (
    "{A} {was} {neg}",
    "{A} {was} a bit {neg}",
    "{A} {was} really {neg}",
    "I found {a} {neg}",
    "{A} {was} {neg} and hard to follow",
    "{A} {was} not {pos} at all",
    "{A} {wasnt} {pos}",
    "{A} {wasnt} very {pos}",
    "I didn't enjoy {a}",
    "{A} could have been much better",
)
_NEUTRAL = ("{A} {was} ok", "{A} {was} fine I guess", "{A} {was} average", "nothing special about {a}")
_OPENERS = ("", "", "", "Overall, ", "Honestly, ", "To be fair, ")
_CLOSERS = ("", "", "", " Thanks!", " Looking forward to the next module.", " That's all.")

_ZH_ASPECTS = ("节奏", "例子", "练习", "讲师", "Colab 环境", "幻灯片", "课程时长")
_ZH_POSITIVE = ("{a}很好", "{a}非常有用", "我很喜欢{a}", "{a}一点也不无聊", "{a}安排得很好")
_ZH_NEGATIVE = ("{a}让人困惑", "{a}不太好", "{a}有点无聊", "我不太喜欢{a}", "{a}没什么用")
_ZH_NEUTRAL = ("{a}还可以", "{a}一般")

_LEXICON = {
    "clear": 1.0,
    "helpful": 1.0,
    "helped": 1.0,
    "great": 1.5,
    "excellent": 2.0,
    "useful": 1.0,
    "engaging": 1.0,
    "organized": 0.5,
    "practical": 0.5,
    "fun": 1.0,
    "liked": 1.0,
    "loved": 1.5,
    "enjoy": 1.0,
    "easy": 1.0,
    "thanks": 0.5,
    "better": 0.5,
    "fine": 0.5,
    "ok": 0.0,
    "confusing": -1.5,
    "boring": -1.0,
    "rushed": -1.0,
    "slow": -0.5,
    "frustrating": -1.5,
    "useless": -2.0,
    "outdated": -1.0,
    "messy": -1.0,
    "long": -0.5,
    "problems": -1.0,
    "hard": -1.0,
    "average": -0.5,
}


def sentiment_lexicon() -> dict[str, float]:
    """Return a small English sentiment lexicon: lowercase word -> score (positive words above 0).

    It scores single words and knows nothing of negation ("not", "never", "didn't"): handling negation is left to
    the learner. Sum the scores of a comment's words and call the comment positive above a threshold.

    Returns
    -------
    dict of str to float
        A new dict on each call, so that changing it changes nothing else.

    Examples
    --------
    >>> lex = sentiment_lexicon()
    >>> lex["helpful"] > 0 > lex["confusing"]
    True
    """
    return dict(_LEXICON)


def _typo(comment: str, rng: Any) -> str:
    """Misspell one word of four letters or more: swap two adjacent letters or drop one."""
    words = comment.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    i = candidates[int(rng.integers(len(candidates)))]
    w = words[i]
    j = int(rng.integers(1, len(w) - 1))
    misspelled = w[:j] + w[j + 1 :] if rng.random() < 0.5 else w[: j - 1] + w[j] + w[j - 1] + w[j + 1 :]
    if misspelled == w:  # a doubled letter swapped with itself
        misspelled = w[:j] + w[j + 1 :]
    words[i] = misspelled
    return " ".join(words)


def _english_clause(polarity: int, rng: Any) -> str:
    singular, phrase = _ASPECTS[int(rng.integers(len(_ASPECTS)))]
    templates = {1: _POSITIVE, -1: _NEGATIVE, 0: _NEUTRAL}[polarity]
    template = templates[int(rng.integers(len(templates)))]
    first = int(rng.integers(len(_POS_ADJ)))
    return template.format(
        A=phrase[0].upper() + phrase[1:],
        a=phrase,
        was="was" if singular is False else "were",
        wasnt="wasn't" if singular is False else "weren't",
        pos=_POS_ADJ[first],
        pos2=_POS_ADJ[(first + int(rng.integers(1, len(_POS_ADJ)))) % len(_POS_ADJ)],  # another adjective
        neg=_NEG_ADJ[int(rng.integers(len(_NEG_ADJ)))],
    )


def _lower_first(clause: str) -> str:
    return clause if clause.startswith("I ") else clause[0].lower() + clause[1:]


def _english_comment(polarities: list[int], rng: Any) -> str:
    clauses = [_english_clause(p, rng) for p in polarities]
    text = clauses[0]
    for prev, p, clause in zip(polarities, polarities[1:], clauses[1:], strict=False):
        if p != prev and rng.random() < 0.7:
            text += ", but " + _lower_first(clause)
        elif rng.random() < 0.5:
            text += " and " + _lower_first(clause)
        else:
            text += ". " + clause[0].upper() + clause[1:]
    opener = _OPENERS[int(rng.integers(len(_OPENERS)))]
    text = opener + _lower_first(text) if opener else text
    return text[0].upper() + text[1:] + "." + _CLOSERS[int(rng.integers(len(_CLOSERS)))]


def _chinese_comment(polarities: list[int], rng: Any) -> str:
    clauses = []
    for p in polarities:
        templates = {1: _ZH_POSITIVE, -1: _ZH_NEGATIVE, 0: _ZH_NEUTRAL}[p]
        template = templates[int(rng.integers(len(templates)))]
        clauses.append(template.format(a=_ZH_ASPECTS[int(rng.integers(len(_ZH_ASPECTS)))]))
    text = clauses[0]
    for prev, p, clause in zip(polarities, polarities[1:], clauses[1:], strict=False):
        text += ("，但是" if p != prev else "，") + clause
    return text + "。"


def _feedback(n: int, seed: int) -> Any:
    """Build the frame with three hidden columns the tests use: polarity, typo and noisy (label noise)."""
    import numpy as np
    import pandas as pd

    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 100:
        raise ValueError(f"n must be an integer of at least 100, not {n!r}")
    rng = np.random.default_rng(seed)
    n_zh = round(_RATES["chinese_comments"] * n)
    is_zh = np.zeros(n, bool)
    is_zh[rng.choice(n, n_zh, replace=False)] = True
    comments, polarity, ratings = [], [], []
    for k in range(n):
        n_clauses = int(rng.choice([1, 2, 3], p=[0.45, 0.4, 0.15]))
        tone = rng.random() < 0.72  # the commenter's overall mood
        p_pos = 0.86 if tone else 0.16
        pols = [int(rng.choice([1, -1, 0], p=[p_pos * 0.92, (1 - p_pos) * 0.92, 0.08])) for _ in range(n_clauses)]
        # The last clause after a "but" is what people remember: it weighs double.
        score = sum(pols) + pols[-1] + rng.normal(0, 0.7)
        rating = int(np.clip(np.round(3.6 + 0.8 * score), 1, 5))
        comments.append(_chinese_comment(pols, rng) if is_zh[k] else _english_comment(pols, rng))
        polarity.append(int(np.sign(sum(pols) + pols[-1])))
        ratings.append(rating)
    polarity = np.array(polarity)
    ratings = np.array(ratings)

    # Label noise: clearly positive or negative comments given a rating on the other side.
    clear = np.flatnonzero(polarity != 0)
    noisy_idx = rng.choice(clear, round(_RATES["label_noise"] * n), replace=False)
    noisy = np.zeros(n, bool)
    noisy[noisy_idx] = True
    for i in noisy_idx:
        ratings[i] = int(rng.integers(1, 3)) if polarity[i] > 0 else int(rng.integers(4, 6))

    typo_idx = rng.choice(np.flatnonzero(~is_zh), round(_RATES["typos"] * n), replace=False)
    typo = np.zeros(n, bool)
    typo[typo_idx] = True
    for i in typo_idx:
        comments[i] = _typo(comments[i], rng)

    start = np.datetime64("2025-09-01")
    days = np.sort(rng.integers(0, 212, n))
    return pd.DataFrame(
        {
            "comment_id": [f"F{k + 1:04d}" for k in range(n)],
            "module": np.asarray(_MODULES, dtype=object)[rng.integers(0, len(_MODULES), n)],
            "submitted_on": np.datetime_as_string(start + days.astype("timedelta64[D]")).astype(object),
            "language": np.where(is_zh, "zh", "en").astype(object),
            "comment": np.array(comments, dtype=object),
            "rating": ratings.astype(np.int64),
            "_polarity": polarity,
            "_typo": typo,
            "_noisy": noisy,
        }
    ).copy(deep=True)


def training_feedback(n: int = 3000, seed: int = DEFAULT_SEED) -> Any:
    """Generate the survey comments described by :data:`TRAINING_FEEDBACK_CARD`.

    Parameters
    ----------
    n : int, default 3000
        Number of comments (at least 100).
    seed : int, default 2026
        Seed of the generator: the same seed gives the same table, byte for byte, on every machine.

    Returns
    -------
    pandas.DataFrame
        Columns ``comment_id``, ``module``, ``submitted_on``, ``language``, ``comment``, ``rating``.

    Examples
    --------
    >>> df = training_feedback(200, seed=1)
    >>> list(df.columns)
    ['comment_id', 'module', 'submitted_on', 'language', 'comment', 'rating']
    >>> sorted(df["language"].unique())
    ['en', 'zh']
    """
    frame = _feedback(n, seed)
    return frame[[c for c in frame.columns if not c.startswith("_")]]
