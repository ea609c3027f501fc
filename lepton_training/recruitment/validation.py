"""Input checks for the recruitment planner.

Every public function of :mod:`lepton_training.recruitment` validates its inputs here, at the boundary, so
that a learner sees "column 'hire_rate' has values outside (0, 1]" instead of a shape error deep inside SciPy.
Messages say what is wrong, where (which column, which channel) and what to do about it.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
import pandas as pd

__all__ = ["REQUIRED_COLUMNS", "OPTIONAL_COLUMNS", "validate_channels"]

REQUIRED_COLUMNS = ("channel", "cost", "hire_rate")
OPTIONAL_COLUMNS = ("capacity", "min_share")
_NUMERIC_COLUMNS = ("cost", "hire_rate", "capacity", "min_share")

# What a missing value should have been written as: the message tells the learner the intended spelling.
_NAN_ADVICE = {
    "cost": "Every channel needs a cost in USD per candidate pursued.",
    "hire_rate": "Every channel needs an expected hire rate (expected hires per candidate, in (0, 1]).",
    "capacity": "Use np.inf for a channel without a capacity limit.",
    "min_share": "Use 0 for a channel without a minimum share.",
}


def _names(values, limit: int = 5) -> str:
    """Quote up to ``limit`` values for an error message, e.g. ``'school', 'forums'``."""
    values = list(values)
    shown = ", ".join(repr(v) for v in values[:limit])
    if len(values) > limit:
        shown += f" and {len(values) - limit} more"
    return shown


def _is_real(value) -> bool:
    # bool is a numbers.Real subclass; True as a cost is almost certainly a mistake, so refuse it.
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def _is_missing(value) -> bool:
    # None, float NaN and pd.NA are "missing" (reported later as NaN), not "non-numeric".
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _numeric_column(table: pd.DataFrame, column: str) -> pd.Series:
    """Return ``table[column]`` as float64, or raise naming the offending channels and values."""
    series = table[column]
    if pd.api.types.is_bool_dtype(series):
        raise TypeError(
            f"Column {column!r} must hold numbers, not True/False values. Give {column} as a number for every channel."
        )
    if not pd.api.types.is_numeric_dtype(series):
        bad = [
            (channel, value)
            for channel, value in zip(table["channel"], series, strict=True)
            if not _is_real(value) and not _is_missing(value)
        ]
        if bad:
            shown = ", ".join(f"{channel!r}: {value!r}" for channel, value in bad[:5])
            raise TypeError(
                f"Column {column!r} must hold numbers, but {len(bad)} channel(s) hold other values "
                f"({shown}). Convert the column first, e.g. "
                f"channels[{column!r}] = pd.to_numeric(channels[{column!r}]), after removing thousands "
                "separators or units."
            )
    return series.astype("float64")


def validate_channels(channels) -> pd.DataFrame:
    """Check a table of recruiting channels and return a clean copy.

    Parameters
    ----------
    channels : pandas.DataFrame
        One row per channel with columns ``channel`` (str, unique), ``cost`` (USD per candidate pursued,
        > 0, finite), ``hire_rate`` (expected hires per candidate pursued, in (0, 1]) and optionally
        ``capacity`` (maximum candidates pursued, >= 0, ``np.inf`` for no limit) and ``min_share``
        (minimum share of all candidates that must come from the channel, in [0, 1], summing to at most 1).
        Other columns are ignored.

    Returns
    -------
    pandas.DataFrame
        Columns ``channel``, ``cost``, ``hire_rate``, ``capacity``, ``min_share`` in the input row order with a
        fresh ``RangeIndex``; numeric columns are float64, a missing ``capacity`` column becomes ``inf`` and
        a missing ``min_share`` column becomes 0.

    Raises
    ------
    TypeError
        If `channels` is not a DataFrame, a channel name is not text or a numeric column holds non-numbers.
    ValueError
        If a column is missing, the table is empty, a value is missing (NaN) or out of range, or a channel
        name is repeated.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"channel": ["school", "social media"], "cost": [2000, 1000],
    ...                       "hire_rate": [0.8, 0.5]})
    >>> validate_channels(table)["capacity"].tolist()
    [inf, inf]
    >>> validate_channels(table.drop(columns="hire_rate"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    ValueError: channels is missing the column(s) 'hire_rate'. ...
    """
    if not isinstance(channels, pd.DataFrame):
        raise TypeError(
            f"channels must be a pandas DataFrame with columns {', '.join(REQUIRED_COLUMNS)} "
            f"(optionally {', '.join(OPTIONAL_COLUMNS)}); got {type(channels).__name__}."
        )
    missing = [column for column in REQUIRED_COLUMNS if column not in channels.columns]
    if missing:
        raise ValueError(
            f"channels is missing the column(s) {_names(missing)}. Expected columns: "
            f"{', '.join(REQUIRED_COLUMNS)} (and optionally {', '.join(OPTIONAL_COLUMNS)}); "
            f"got: {_names(map(str, channels.columns))}. Rename or add the missing column(s)."
        )
    if len(channels) == 0:
        raise ValueError("channels has no rows: give at least one recruiting channel.")

    table = channels.reset_index(drop=True)
    names = table["channel"]
    if names.isna().any():
        rows = names.index[names.isna()].tolist()
        raise ValueError(f"Column 'channel' has missing names (NaN) in row(s) {rows}. Name every channel.")
    not_text = [name for name in names if not isinstance(name, str)]
    if not_text:
        raise TypeError(
            f"Column 'channel' must hold text; found {_names(not_text)}. "
            "Convert it, e.g. channels['channel'] = channels['channel'].astype(str)."
        )
    blank = names.str.strip() == ""
    if blank.any():
        raise ValueError(
            f"Column 'channel' has empty names in row(s) {names.index[blank].tolist()}. Name every channel."
        )
    duplicated = names[names.duplicated()].unique().tolist()
    if duplicated:
        raise ValueError(
            f"Channel names must be unique; repeated: {_names(duplicated)}. Merge the rows of a channel "
            "into one or give them distinct names."
        )

    clean = pd.DataFrame({"channel": names.astype(str)})
    for column in _NUMERIC_COLUMNS:
        if column in table.columns:
            clean[column] = _numeric_column(table, column).to_numpy()
        else:
            clean[column] = math.inf if column == "capacity" else 0.0

    for column in _NUMERIC_COLUMNS:
        missing_rows = clean[column].isna()
        if missing_rows.any():
            raise ValueError(
                f"Column {column!r} has missing values (NaN) for channel(s) "
                f"{_names(clean.loc[missing_rows, 'channel'])}. {_NAN_ADVICE[column]}"
            )

    def _check(bad: pd.Series, message: str) -> None:
        if bad.any():
            raise ValueError(message.format(channels=_names(clean.loc[bad, "channel"])))

    cost, rate = clean["cost"], clean["hire_rate"]
    _check(
        ~np.isfinite(cost),
        "Column 'cost' must be finite (USD per candidate pursued); infinite for {channels}.",
    )
    _check(
        cost <= 0,
        "Column 'cost' must be > 0 (USD per candidate pursued); got cost <= 0 for {channels}. A free "
        "channel makes the plan meaningless: give its real cost per candidate, even a small one.",
    )
    _check(
        (rate <= 0) | (rate > 1),
        "Column 'hire_rate' must be in (0, 1] (expected hires per candidate pursued); out of range for "
        "{channels}. A percentage such as 80 should be written 0.8; a channel with hire rate 0 should be "
        "removed.",
    )
    _check(
        clean["capacity"] < 0,
        "Column 'capacity' must be >= 0 (maximum candidates pursued; np.inf for no limit); negative for {channels}.",
    )
    share = clean["min_share"]
    _check(
        (share < 0) | (share > 1),
        "Column 'min_share' must be in [0, 1] (minimum share of all candidates); out of range for "
        "{channels}. A percentage such as 20 should be written 0.2.",
    )
    if share.sum() > 1 + 1e-12:
        raise ValueError(
            f"Column 'min_share' sums to {share.sum():.3g} > 1: the channels cannot each supply their "
            "minimum share of the same candidates. Lower some minimum shares so that they sum to at most 1."
        )
    return clean


def check_amount(value, name: str, *, allow_none: bool = False, unit: str = "") -> float | None:
    """Check a scalar such as a hiring target or a budget: a finite real number >= 0.

    Parameters
    ----------
    value : float or None
        The value given by the caller.
    name : str
        Parameter name, used in the message.
    allow_none : bool, default False
        Whether ``None`` (or ``np.inf``) means "no limit"; it is then returned as ``None``.
    unit : str, optional
        Unit shown in the message.

    Returns
    -------
    float or None
        The value as a float, or ``None`` for "no limit".

    Examples
    --------
    >>> check_amount(50, "target_hires")
    50.0
    >>> check_amount(None, "budget", allow_none=True) is None
    True
    """
    suffix = f" ({unit})" if unit else ""
    if value is None and allow_none:
        return None
    if not _is_real(value):
        hint = " or None for no limit" if allow_none else ""
        raise TypeError(f"{name} must be a number{suffix}{hint}; got {value!r} ({type(value).__name__}).")
    value = float(value)
    if math.isnan(value):
        raise ValueError(f"{name} is NaN; give a number{suffix}.")
    if math.isinf(value):
        if allow_none and value > 0:
            return None
        raise ValueError(f"{name} must be finite{suffix}; got {value}.")
    if value < 0:
        raise ValueError(f"{name} must be >= 0{suffix}; got {value:g}.")
    return value
