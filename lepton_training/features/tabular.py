"""Features of the talent pipeline: numeric transforms, categories with rare levels, dates and skill indicators.

Everything here is a scikit-learn transformer or a function that builds one, so that a model's whole
preprocessing sits inside one :class:`~sklearn.pipeline.Pipeline` and is fit on training rows only: in
cross-validation, each fold's imputation medians, scales, category levels and skill vocabulary come from that
fold's training part, never from the rows it is scored on.

The columns a model may use are those known when a candidate applies (:data:`FEATURE_GROUPS`). Columns recorded
later (the interview, the decision, onboarding) are absent from it on purpose: see module 03.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

__all__ = [
    "FEATURE_GROUPS",
    "SKILL_SEPARATOR",
    "AS_OF",
    "split_skills",
    "skill_indicators",
    "date_features",
    "DateFeatures",
    "talent_preprocessor",
    "talent_model",
    "hired",
    "time_folds",
    "cv_auc",
    "group_values",
    "drop_group_values",
    "permutation_group_values",
]

#: Columns known when a candidate applies, by feature group. A model of the outcome at application time uses
#: these and nothing else: identifiers, the group attribute and everything recorded later are left out.
FEATURE_GROUPS: dict[str, tuple[str, ...]] = {
    "numeric": ("years_experience", "assessment_score", "salary_expectation_usd"),
    "categorical": ("channel", "role", "country", "education"),
    "referral": ("referral",),
    "skills": ("skills",),
    "dates": ("applied_on",),
}

#: How the skills of a candidate are joined in one string, as in ``"python; sql; pytorch"``.
SKILL_SEPARATOR = "; "

#: The date the course's date features are counted from: the day after the last application of the data set.
AS_OF = pd.Timestamp("2026-04-01")

#: Levels seen in fewer than this share of training rows are grouped into one "infrequent" level.
RARE_SHARE = 0.08


def split_skills(text: Any) -> list[str]:
    """Split a skills string such as ``"python; sql"`` into its skills; an empty list for a missing value.

    Parameters
    ----------
    text : str or None

    Returns
    -------
    list of str

    Examples
    --------
    >>> split_skills("python; c++; product analytics")
    ['python', 'c++', 'product analytics']
    """
    if not isinstance(text, str) or not text.strip():
        return []
    return [s.strip() for s in text.split(";") if s.strip()]


def skill_indicators(skills: Any) -> pd.DataFrame:
    """Turn a column of skills strings into one 0/1 column per skill.

    Parameters
    ----------
    skills : pandas.Series of str
        Skills joined by ``"; "``, as in ``clean_talent_pipeline()["skills"]``.

    Returns
    -------
    pandas.DataFrame
        One int column per distinct skill, named by the skill, in alphabetical order; 1 where the candidate has
        it. Same index as ``skills``.

    Examples
    --------
    >>> skill_indicators(pd.Series(["go; sql", "sql"])).to_dict("list")
    {'go': [1, 0], 'sql': [1, 1]}
    """
    lists = pd.Series(skills).map(split_skills)
    names = sorted({s for row in lists for s in row})
    data = {name: [int(name in row) for row in lists] for name in names}
    return pd.DataFrame(data, index=pd.Series(skills).index, columns=names, dtype=int)


def date_features(frame: pd.DataFrame, as_of: Any = AS_OF) -> pd.DataFrame:
    """Date features of ``applied_on``: month, weekday and the days from application to ``as_of``.

    Parameters
    ----------
    frame : pandas.DataFrame
        With a datetime column ``applied_on``.
    as_of : date-like, default :data:`AS_OF`
        The fixed date the age of an application is counted to. A fixed date, not the latest date of ``frame``:
        a feature of one row must not depend on which other rows happen to be scored with it.

    Returns
    -------
    pandas.DataFrame
        Int columns ``applied_month`` (1 to 12), ``applied_weekday`` (0 Monday to 6 Sunday) and
        ``days_since_applied``; same index as ``frame``.
    """
    applied = pd.to_datetime(frame["applied_on"])
    return pd.DataFrame(
        {
            "applied_month": applied.dt.month.astype(int),
            "applied_weekday": applied.dt.day_of_week.astype(int),
            "days_since_applied": (pd.Timestamp(as_of) - applied).dt.days.astype(int),
        },
        index=frame.index,
    )


class DateFeatures(TransformerMixin, BaseEstimator):
    """Scikit-learn transformer: the month of the application and its weekday, each as a point on a circle.

    A month is cyclic (December is next to January), so it becomes ``sin`` and ``cos`` of its angle rather than a
    number from 1 to 12; the weekday likewise. Nothing is learned in ``fit``.

    The age of the application (``days_since_applied`` of :func:`date_features`) is left out on purpose: the
    model is used on the day a candidate applies, when that age is 0 for every candidate, outside anything seen
    in training (module 03, section 5).
    """

    def fit(self, X: Any, y: Any = None) -> DateFeatures:  # noqa: N803 - scikit-learn's names
        """Learn nothing: the features depend on each row alone."""
        self.n_features_in_ = 1
        return self

    def transform(self, X: Any) -> np.ndarray:  # noqa: N803
        """Return the four date features of each row, as an array of shape (n, 4)."""
        frame = X if isinstance(X, pd.DataFrame) else pd.DataFrame({"applied_on": np.ravel(X)})
        applied = pd.to_datetime(frame.iloc[:, 0])
        month = 2 * np.pi * (applied.dt.month.to_numpy() - 1) / 12
        weekday = 2 * np.pi * applied.dt.day_of_week.to_numpy() / 7
        return np.column_stack([np.sin(month), np.cos(month), np.sin(weekday), np.cos(weekday)])

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Return the names of the four features."""
        return np.array(["month_sin", "month_cos", "weekday_sin", "weekday_cos"], dtype=object)


def _log1p(X: Any) -> Any:  # noqa: N803
    # Salaries and years of experience are right-skewed: a log brings the long tail in.
    return np.log1p(np.clip(X, 0, None))


def _as_float(X: Any) -> Any:  # noqa: N803
    return np.asarray(X, dtype=float)


def _as_text(X: Any) -> Any:  # noqa: N803
    return np.asarray(X, dtype=object).ravel()


def _skills_vectorizer() -> Pipeline:
    # One 0/1 column per skill seen in the training rows; an unseen skill is ignored at scoring time.
    return make_pipeline(
        FunctionTransformer(_as_text, feature_names_out="one-to-one"),
        CountVectorizer(tokenizer=split_skills, token_pattern=None, lowercase=False, binary=True),
    )


def talent_preprocessor(groups: Any = None) -> ColumnTransformer:
    """Build the column transformer of the talent model: each feature group with its own preparation.

    * numeric: median imputation with a missing-value indicator, ``log1p``, standard scaling;
    * categorical: one-hot, levels seen in under 8% of training rows grouped as "infrequent", unseen levels
      mapped to it;
    * referral: 0/1; skills: one indicator per skill; dates: :class:`DateFeatures`, scaled.

    Parameters
    ----------
    groups : iterable of str, optional
        Names of :data:`FEATURE_GROUPS` to use; all by default.

    Returns
    -------
    sklearn.compose.ColumnTransformer
        Unfitted; it drops every column it does not name.
    """
    groups = list(FEATURE_GROUPS) if groups is None else list(groups)
    unknown = [g for g in groups if g not in FEATURE_GROUPS]
    if unknown:
        raise ValueError(f"Unknown feature group(s) {unknown}; the groups are {list(FEATURE_GROUPS)}.")
    steps = {
        "numeric": make_pipeline(
            SimpleImputer(strategy="median", add_indicator=True),
            FunctionTransformer(_log1p, feature_names_out="one-to-one"),
            StandardScaler(),
        ),
        "categorical": OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=RARE_SHARE),
        "referral": FunctionTransformer(_as_float, feature_names_out="one-to-one"),
        "skills": _skills_vectorizer(),
        "dates": make_pipeline(DateFeatures(), StandardScaler()),
    }
    transformers = []
    for g in groups:
        columns = list(FEATURE_GROUPS[g])
        # The skills vectorizer takes one column of text, given as a column name rather than a list.
        transformers.append((g, steps[g], columns[0] if g == "skills" else columns))
    # Dense output: a few dozen columns, and a table of them is easier to look at (module 03, section 9).
    return ColumnTransformer(transformers, remainder="drop", sparse_threshold=0)


def talent_model(groups: Any = None, C: float = 1.0) -> Pipeline:  # noqa: N803 - scikit-learn's name
    """Build the course's model of ``hired`` at application time: :func:`talent_preprocessor` then logistic regression.

    Parameters
    ----------
    groups : iterable of str, optional
        Feature groups to use; all by default.
    C : float, default 1.0
        Inverse regularization strength of the logistic regression.

    Returns
    -------
    sklearn.pipeline.Pipeline
        Unfitted; ``predict_proba(frame)[:, 1]`` is the probability of being hired.
    """
    return Pipeline([("features", talent_preprocessor(groups)), ("model", LogisticRegression(C=C, max_iter=2000))])


def hired(frame: pd.DataFrame) -> np.ndarray:
    """Return the target: 1 for a hired candidate, 0 for declined or rejected."""
    return (frame["outcome"] == "hired").to_numpy().astype(int)


def time_folds(frame: pd.DataFrame, folds: int = 3) -> list[tuple[np.ndarray, np.ndarray]]:
    """Split rows by application date: each fold validates on a later block, trained on every earlier row.

    The rows are ordered by ``applied_on`` (ties keep their order) and cut into ``folds + 1`` blocks of equal size;
    fold k trains on blocks 0 to k-1 and validates on block k, as a model in use is trained on the past and scores
    the applications that come next.

    Parameters
    ----------
    frame : pandas.DataFrame
        With a datetime column ``applied_on``.
    folds : int, default 3

    Returns
    -------
    list of (train positions, validation positions)
        Positions into ``frame``, usable as the ``cv`` of :func:`~sklearn.model_selection.cross_val_score`.

    Examples
    --------
    >>> frame = pd.DataFrame({"applied_on": pd.to_datetime(["2025-03-01", "2025-01-01", "2025-02-01", "2025-04-01"])})
    >>> [(list(t), list(v)) for t, v in time_folds(frame, folds=3)]
    [([1], [2]), ([1, 2], [0]), ([1, 2, 0], [3])]
    """
    order = np.argsort(pd.to_datetime(frame["applied_on"]).to_numpy(), kind="stable")
    blocks = np.array_split(order, folds + 1)
    return [(np.concatenate(blocks[:k]), blocks[k]) for k in range(1, folds + 1)]


def cv_auc(model: Any, frame: pd.DataFrame, y: Any = None, *, folds: int = 3) -> np.ndarray:
    """ROC AUC of a model validated on later applications (:func:`time_folds`), one value per fold.

    Parameters
    ----------
    model : estimator
        Refit on each fold's training part, preprocessing included.
    frame : pandas.DataFrame
        The rows; with ``y`` None, the target is :func:`hired` of ``frame``.
    y : array_like, optional
    folds : int, default 3
        Three folds keep a notebook fast; the first trains on the earliest quarter of the rows.

    Returns
    -------
    numpy.ndarray
        The AUC of each fold, earliest first.

    Notes
    -----
    Scores are remembered for the running process, keyed by the model's settings, the rows, the target and the
    folds, so that scoring the same model on the same data twice (the full model of a group comparison, for
    instance) costs nothing the second time. Any change to one of them computes anew; nothing is stored on disk.
    """
    import joblib

    y = hired(frame) if y is None else np.asarray(y)
    key = (
        joblib.hash(model),
        int(pd.util.hash_pandas_object(frame, index=True).sum()),
        tuple(map(str, frame.columns)),
        joblib.hash(y),
        folds,
    )
    if key not in _CV_SCORES:
        splits = time_folds(frame, folds)
        _CV_SCORES[key] = cross_val_score(model, frame, y, cv=splits, scoring="roc_auc", n_jobs=1)
    return _CV_SCORES[key].copy()


_CV_SCORES: dict[tuple, np.ndarray] = {}


def group_values(frame: pd.DataFrame, *, folds: int = 3) -> pd.DataFrame:
    """Measure the value of each feature group: how much the cross-validated AUC drops when the group is left out.

    Parameters
    ----------
    frame : pandas.DataFrame
        Shaped like ``clean_talent_pipeline()``.
    folds : int
        As in :func:`cv_auc`; the same folds for every model, so the differences are paired.

    Returns
    -------
    pandas.DataFrame
        Indexed by group: ``auc_without`` (mean CV AUC of the model without the group), ``value`` (the full
        model's mean AUC minus it) and ``value_sd`` (the standard deviation of that difference across folds).

    Notes
    -----
    Each model's scores come from :func:`cv_auc`, which remembers them for the running process: the full model,
    or a model scored before, is not refit.
    """
    full = cv_auc(talent_model(), frame, folds=folds)
    rows = {}
    for g in FEATURE_GROUPS:
        without = cv_auc(talent_model([h for h in FEATURE_GROUPS if h != g]), frame, folds=folds)
        rows[g] = {
            "auc_without": without.mean(),
            "value": (full - without).mean(),
            "value_sd": (full - without).std(ddof=1),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def drop_group_values(
    train: pd.DataFrame, valid: pd.DataFrame, groups: dict[str, Any], target: str = "hired"
) -> dict[str, float]:
    """Value each group of numeric columns by how much the validation AUC drops when the model is refit without it.

    Parameters
    ----------
    train, valid : pandas.DataFrame
        Numeric feature columns and a 0/1 column ``target``; the model is fit on ``train`` and scored on ``valid``.
    groups : dict
        Group name -> list of column names; the full model uses every column of every group.
    target : str, default "hired"

    Returns
    -------
    dict
        Group name -> AUC on ``valid`` of the full model minus that of the model without the group.
    """
    from sklearn.metrics import roc_auc_score

    def auc(columns: list[str]) -> float:
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
        model.fit(train[columns], train[target])
        return float(roc_auc_score(valid[target], model.predict_proba(valid[columns])[:, 1]))

    every = [c for cols in groups.values() for c in cols]
    full = auc(every)
    return {g: full - auc([c for c in every if c not in set(cols)]) for g, cols in groups.items()}


def permutation_group_values(
    train: pd.DataFrame,
    valid: pd.DataFrame,
    groups: dict[str, Any],
    target: str = "hired",
    *,
    n_repeats: int = 20,
    seed: int = 0,
) -> dict[str, float]:
    """Permutation importance of each group of columns: what one fitted model uses.

    A logistic regression is fit once on ``train`` with every column of every group; for each group, its columns
    are shuffled together among the rows of ``valid`` (the other columns and the target stay in place), and the
    drop in validation AUC, averaged over ``n_repeats`` shuffles, is the group's importance.

    Parameters
    ----------
    train, valid : pandas.DataFrame
        Numeric feature columns and a 0/1 column ``target``.
    groups : dict
        Group name -> list of column names.
    target : str, default "hired"
    n_repeats : int, default 20
    seed : int, default 0

    Returns
    -------
    dict
        Group name -> mean drop in validation AUC when the group's columns are shuffled.
    """
    from sklearn.metrics import roc_auc_score

    every = [c for cols in groups.values() for c in cols]
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(train[every], train[target])
    full = roc_auc_score(valid[target], model.predict_proba(valid[every])[:, 1])
    rng = np.random.default_rng(seed)
    values = {}
    for g, cols in groups.items():
        drops = []
        for _ in range(n_repeats):
            shuffled = valid[every].copy()
            shuffled[list(cols)] = shuffled[list(cols)].to_numpy()[rng.permutation(len(valid))]
            drops.append(full - roc_auc_score(valid[target], model.predict_proba(shuffled)[:, 1]))
        values[g] = float(np.mean(drops))
    return values
