"""Graded questions of module 01, data preparation.

Audit, normalize, deduplicate and clean the raw hiring pipeline, reason about missing values, and tokenize the
survey comments:

* ``q1`` ``audit(raw)`` (objective 1): one row per column with its dtype, missing share and number of distinct
  values; counts instead of shares, percentages and missing values counted as a value get messages.
* ``q2`` ``standardize(raw)`` (objective 2): canonical channels, dates parsed day first, salaries converted to
  USD; the message says what is still dirty ("3 rows still have 'SM' in `channel`"), and dates read month first,
  an ignored "k", an unconverted currency and a rate used the wrong way round are named.
* ``q3`` ``clean(raw) -> (frame, log)`` (objectives 2 and 3): the whole cleaning, judged against the reference
  cleaning of the same raw frame (any row or column order, equivalent dtypes), and its log of what changed. Its
  deduplication (exact duplicates, then near duplicates by normalized email, keeping the first row) is judged by
  the ids kept: near duplicates left in, the last copy or the smallest id kept and every copy dropped get messages.
* ``q4`` ``true_statements`` (objective 4): which statements about missing values and a later model are true;
  the truth is stored only as salted digests.
* ``q5`` ``tokenize(comment)`` (objective 5): judged by properties (lower case, no punctuation, negations kept,
  Chinese characters as tokens), so an apostrophe kept or dropped, a hyphenated word kept whole and a
  contraction split as ``"was", "n't"`` all pass.

Expected values are recomputed from the inputs each test gives the learner's function (with the reference
cleaning of :mod:`lepton_training.datasets`); none is stored here. Public checks use raw extracts of other sizes
and seeds than the notebook's ``talent_pipeline()``.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from lepton_training.checks import (
    CheckResult,
    check_frame,
    describe_type,
    format_number,
    hashed_members,
    incorrect,
    input_changed,
    invalid,
    label_set_problem,
    passed,
    show_value,
)
from lepton_training.exercises import ExerciseSet, FunctionQuestion, Test
from lepton_training.explanations import unseal
from lepton_training.label_sets import LabelSetQuestion, Misconception

MODULE = "01-data-prep"

__all__ = [
    "q1",
    "q2",
    "q3",
    "q4",
    "q5",
    "q6",
    "exercises",
    "progress",
    "LOG_KEYS",
    "STATEMENTS",
    "WRONG_KINDS",
    "PERSON_COLUMNS",
]

#: The raw extracts the public checks use (the notebook shows ``talent_pipeline()``, the default one).
PUBLIC_RAW = {"q1": (600, 11), "q2": (800, 12), "q3": (900, 14), "q6": (700, 17)}

#: The keys of the log ``clean`` returns, and what each counts.
LOG_KEYS: dict[str, str] = {
    "exact_duplicates_dropped": "rows dropped because they repeat an earlier row exactly",
    "near_duplicates_dropped": "rows dropped because their normalized email repeats an earlier row's",
    "experience_set_missing": "years_experience values set to missing (negative, or above 50)",
    "assessment_set_missing": "assessment_score values set to missing (outside 0 to 100)",
    "salary_set_missing": "salary_expectation_usd values set to missing (above 1,000,000 USD)",
}

#: The statements of q4, by letter (their truth is stored as salted digests below).
STATEMENTS = ("A", "B", "C", "D", "E", "F")

_CJK = "\u4e00-\u9fff"


def _raw(n: int, seed: int):
    from lepton_training.datasets import talent_pipeline

    return talent_pipeline(n, seed=seed)


def _public_raw(qid: str):
    return _raw(*PUBLIC_RAW[qid])


def _public_name(qid: str) -> str:
    n, seed = PUBLIC_RAW[qid]
    return f"talent_pipeline({n}, seed={seed})"


def _unchanged(given: Any, original: Any) -> CheckResult | None:
    """Return an incorrect result when the learner's function modified the table it was given, else None."""
    return input_changed(
        given,
        original,
        "table",
        ". Work on a copy (`raw = raw.copy()` first) and return the new table: a cleaning that edits its input "
        "cannot be run twice.",
    )


def _rows(n: int) -> str:
    return f"{format_number(n)} row{'s' if n != 1 else ''}"


def _fixed_raw():
    """Return a small raw extract with hand-placed traps, numbered from 100 as a slice of a larger table."""
    raw = _raw(120, 5).iloc[:40].copy()
    raw.index = range(100, 100 + len(raw))
    col = raw.columns.get_loc
    traps = {
        0: {"channel": "SM", "applied_on": "01/02/2026", "salary_expectation": "RMB 850k", "referral": "Y"},
        1: {"channel": " Social Media ", "applied_on": "12/01/2026", "salary_expectation": "€95k", "referral": "0"},
        2: {"channel": "campus", "applied_on": "Mar 5, 2026", "salary_expectation": "95,000 EUR"},
        3: {"channel": "website", "decided_on": "03/04/2026", "salary_expectation": "¥850,000"},
        4: {"channel": "tech forum", "salary_expectation": "120k USD", "years_experience": 50.0},
        5: {"channel": "AGENCY", "salary_expectation": "USD 1,000,000", "years_experience": 0.0},
        6: {"salary_expectation": "$1,200,000", "years_experience": 51.0, "assessment_score": 100.0},
        7: {"years_experience": -0.5, "assessment_score": 0.0},
        8: {"assessment_score": 101.0, "salary_expectation": float("nan")},
    }
    for i, values in traps.items():
        for name, value in values.items():
            raw.iloc[i, col(name)] = value
    # A near duplicate typed first in capitals, then the original, then an exact copy of the near duplicate.
    near = raw.iloc[[10]].copy()
    near["candidate_id"] = "C09998"
    near["email"] = " " + near["email"].str.upper()
    # And one typed after its original, so that keeping the last copy and keeping the smallest id differ.
    later = raw.iloc[[20]].copy()
    later["candidate_id"] = "C09999"
    later["email"] = later["email"].str.title() + " "
    raw = _concat([raw.iloc[:10], near, raw.iloc[10:30], later, raw.iloc[30:], near])
    raw.index = range(100, 100 + len(raw))
    return raw


def _concat(frames):
    import pandas as pd

    return pd.concat(frames)


class _RawExtractQuestion(FunctionQuestion):
    """A question whose answer is a function of a raw extract shaped like ``talent_pipeline()``.

    The public check runs on another extract than the one the notebook shows; grading adds a random extract and
    the hand-made rows of :func:`_fixed_raw`, whose purpose ``fixed_case`` describes.
    """

    #: Range of the random extract's size in the hidden tests.
    sizes: tuple[int, int] = (150, 900)
    #: What the hand-made rows of the hidden tests try, in the learner's words.
    fixed_case = ""

    def _case(self, fn: Any, raw: Any) -> CheckResult:
        raise NotImplementedError

    def public_tests(self, answer: Any) -> list[Test]:
        return [
            Test(f"On another raw extract, {_public_name(self.id)}", lambda: self._case(answer, _public_raw(self.id)))
        ]

    def public_inputs(self) -> list[Any]:
        return [_public_raw(self.id)]

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        n, seed = int(rng.integers(*self.sizes)), int(rng.integers(1_000, 1_000_000))
        return [
            Test(
                f"On another raw extract (talent_pipeline({n}, seed={seed}))", lambda: self._case(answer, _raw(n, seed))
            ),
            Test(self.fixed_case, lambda: self._case(answer, _fixed_raw())),
        ]


# --- q1: audit ---------------------------------------------------------------------------------------------------


#: Names of a text column's dtype: ``str`` (pandas 3), ``object`` (pandas 2, as on Colab), or the string dtype's.
_TEXT_DTYPES = {"str", "object", "string", "string[python]", "string[pyarrow]"}


def _audit_comparable(value: Any, expected: Any) -> Any:
    """Return the learner's audit with equivalent forms made alike.

    A dtype object and its name are the same answer; a text column's dtype is ``object`` on pandas 2 and ``str`` on
    pandas 3, so either name is accepted for text; numbers held in an ``object`` column (a table built from a list
    of lists, for example) are numbers.
    """
    import pandas as pd

    value = value.copy()
    if "dtype" in value.columns and "column" in value.columns:
        want = dict(zip(expected["column"], expected["dtype"], strict=True))
        value["dtype"] = [
            want[c] if str(d) in _TEXT_DTYPES and want.get(c) in _TEXT_DTYPES else str(d)
            for c, d in zip(value["column"], value["dtype"], strict=True)
        ]
    for col in ("missing_share", "n_distinct"):
        if col in value.columns and value[col].dtype == object:
            numbers = pd.to_numeric(value[col], errors="coerce")
            if numbers.notna().all() and not value[col].map(lambda v: isinstance(v, (bool, str))).any():
                value[col] = numbers
    return value


class Audit(_RawExtractQuestion):
    """``audit(raw)``: one row per column: ``column``, ``dtype``, ``missing_share``, ``n_distinct``."""

    columns = ("column", "dtype", "missing_share", "n_distinct")

    def _expected(self, raw: Any):
        import pandas as pd

        return pd.DataFrame(
            {
                "column": [str(c) for c in raw.columns],
                "dtype": [str(raw[c].dtype) for c in raw.columns],
                "missing_share": [float(raw[c].isna().mean()) for c in raw.columns],
                "n_distinct": [int(raw[c].nunique()) for c in raw.columns],
            }
        )

    def _case(self, fn: Any, raw: Any) -> CheckResult:
        import pandas as pd

        given = raw.copy()
        value = fn(given)
        changed = _unchanged(given, raw)
        if changed is not None:
            return changed
        if isinstance(value, pd.DataFrame) and "column" not in value.columns and value.index.name == "column":
            return invalid("`column` is the index of your table: call `.reset_index()` to make it a column.")
        expected = self._expected(raw)
        if isinstance(value, pd.DataFrame):
            value = _audit_comparable(value, expected)
        result = check_frame(value, expected, key=["column"], rtol=1e-9, name="The audit")
        if result.status != "incorrect":
            return result
        if "'missing_share'" in result.message:
            shares = pd.to_numeric(value.set_index("column")["missing_share"], errors="coerce")
            exp = expected.set_index("column")["missing_share"]
            shares = shares.reindex(exp.index)
            if (shares - exp * len(raw)).abs().max() < 1e-6:
                return incorrect(
                    "`missing_share` holds counts of missing values; divide by the number of rows to get a share."
                )
            if (shares - 100 * exp).abs().max() < 1e-6:
                return incorrect("`missing_share` is a percentage; give a share between 0 and 1.")
            if (shares - (1 - exp)).abs().max() < 1e-6:
                return incorrect("`missing_share` is the share of values present; the share missing is asked for.")
        if "'n_distinct'" in result.message:
            got = pd.to_numeric(value.set_index("column")["n_distinct"], errors="coerce").reindex(expected["column"])
            with_nan = pd.Series([raw[c].nunique(dropna=False) for c in raw.columns], index=expected["column"])
            if (got == with_nan).all():
                return incorrect("`n_distinct` counts missing (NaN) as one more value; count present values only.")
        return result

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        import numpy as np
        import pandas as pd

        n, seed = int(rng.integers(150, 700)), int(rng.integers(1_000, 1_000_000))
        # A column entirely missing, one without a missing value, text with a repeated value; rows from 10.
        fixed = pd.DataFrame(
            {
                "code": ["a", "b", "b", np.nan],
                "score": [1.0, np.nan, 3.0, 3.0],
                "empty": [np.nan] * 4,
                "count": [1, 2, 3, 4],
            },
            index=[10, 20, 30, 40],
        )
        return [
            Test(
                f"On another raw extract (talent_pipeline({n}, seed={seed}))", lambda: self._case(answer, _raw(n, seed))
            ),
            Test("On four rows with a column that is entirely missing", lambda: self._case(answer, fixed)),
        ]


q1 = Audit(
    id="q1",
    module=MODULE,
    title="Audit a raw extract",
    points=2,
    answer_name="audit",
    parameters=("raw",),
    objectives=(1,),
    hints=(
        "Build the table column by column of `raw`: for each one, four facts. A share of missing values is the "
        "number missing divided by the number of rows, which is also the mean of a True/False column.",
        "`raw[c].isna()` is True where a value is missing, and its `.mean()` is the share missing; "
        "`raw[c].nunique()` counts distinct values and leaves missing ones out; `str(raw[c].dtype)` is the dtype's "
        "name. `pd.DataFrame(rows)` builds a table from a list of dicts.",
        "Fill in the blanks:\n\n```python\ndef audit(raw):\n    rows = []\n    for c in raw.columns:\n"
        '        rows.append({"column": c, "dtype": str(raw[c].dtype),\n'
        '                     "missing_share": ____, "n_distinct": ____})\n    return ____\n```',
    ),
)


# --- q2: normalize categories, dates and currencies --------------------------------------------------------------


def _day_first_swapped(text: Any) -> Any:
    """Return the date a month-first reading gives for "dd/mm/yyyy" text, or None."""
    from datetime import date

    match = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*", str(text))
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, day, month)
    except ValueError:
        return None


def _as_dates(column: Any) -> Any:
    """Return the learner's date column as datetime64[ns] (Timestamps, dates and datetimes accepted), or None."""
    import datetime as dt

    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(column):
        return pd.to_datetime(column).dt.tz_localize(None) if column.dt.tz is not None else pd.to_datetime(column)
    if column.dtype == object and all(isinstance(v, (dt.date, pd.Timestamp)) or pd.isna(v) for v in column):
        return pd.to_datetime(pd.Series(list(column), dtype=object))
    return None


def _check_channels(got: Any, raw_labels: Any, expected: Any) -> CheckResult:
    from lepton_training.datasets import CHANNELS

    got = got.reset_index(drop=True)
    wrong = [i for i in range(len(expected)) if not (isinstance(got[i], str) and got[i] == expected[i])]
    if not wrong:
        return passed()
    dirty = [got[i] for i in wrong if not (isinstance(got[i], str) and got[i] in CHANNELS)]
    if dirty:
        counts: dict[str, int] = {}
        for v in dirty:
            counts[show_value(v)] = counts.get(show_value(v), 0) + 1
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])
        if len(ranked) == 1:
            label, k = ranked[0]
            return incorrect(f"{_rows(k)} still {'has' if k == 1 else 'have'} {label} in `channel`.")
        shown = ", ".join(f"{label} ({_rows(k)})" for label, k in ranked[:3])
        return incorrect(
            f"{_rows(len(dirty))} still have labels that are not one of the five channels in `channel`, such as "
            f"{shown}."
        )
    i = wrong[0]
    return incorrect(
        f"{_rows(len(wrong))} map a label to another channel than the one it names: "
        f"{show_value(raw_labels[i])} became {show_value(got[i])}."
    )


def _check_dates(column_name: str, got: Any, raw_text: Any, expected: Any) -> CheckResult:
    import pandas as pd

    dates = _as_dates(got)
    if dates is None:
        first = next((v for v in got if not pd.isna(v)), None)
        return incorrect(
            f"`{column_name}` should hold dates (datetime64), but it holds {describe_type(first)} values: parse the "
            "text into dates."
        )
    dates = dates.reset_index(drop=True)
    same = (dates == expected) | (dates.isna() & expected.isna())
    if same.all():
        return passed()
    wrong = [i for i in range(len(same)) if not same[i]]
    swapped = [
        i
        for i in wrong
        if _day_first_swapped(raw_text[i]) is not None
        and not pd.isna(dates[i])
        and dates[i].date() == _day_first_swapped(raw_text[i])
    ]
    if swapped:
        i = swapped[0]
        return incorrect(
            f"{_rows(len(swapped))} of `{column_name}` were read month first: {show_value(raw_text[i])} is "
            f"{expected[i]:%d %B %Y} (the data card says dates with slashes are day first), not "
            f"{dates[i]:%d %B %Y}."
        )
    iso_swapped = [
        i
        for i in wrong
        if re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", str(raw_text[i]))
        and not pd.isna(dates[i])
        and (dates[i].month, dates[i].day) == (expected[i].day, expected[i].month)
    ]
    if iso_swapped:
        i = iso_swapped[0]
        return incorrect(
            f"{_rows(len(iso_swapped))} of `{column_name}` in ISO format had day and month swapped, such as "
            f"{show_value(raw_text[i])}: `dayfirst=True` applies to ISO dates too. Read each format with its own "
            "`format=`."
        )
    missing = [i for i in wrong if pd.isna(dates[i])]
    if missing:
        i = missing[0]
        return incorrect(
            f"{_rows(len(missing))} of `{column_name}` came back missing although the text holds a date, such as "
            f"{show_value(raw_text[i])}."
        )
    i = wrong[0]
    return incorrect(
        f"{_rows(len(wrong))} of `{column_name}` hold another date than the text, such as {show_value(raw_text[i])}."
    )


def _check_salaries(got: Any, raw_text: Any) -> CheckResult:
    import numpy as np
    import pandas as pd

    from lepton_training.datasets import EXCHANGE_RATES_TO_USD, parse_salary_usd

    if not pd.api.types.is_numeric_dtype(got) or pd.api.types.is_bool_dtype(got):
        first = next((v for v in got if not pd.isna(v)), None)
        return incorrect(
            f"`salary_expectation_usd` should hold numbers (USD), but it holds {describe_type(first)} values."
        )
    values = got.reset_index(drop=True).astype("float64").to_numpy()
    expected = np.array([parse_salary_usd(t) for t in raw_text], dtype=float)
    same = np.isclose(values, expected, rtol=0, atol=1.0, equal_nan=True)
    if same.all():
        return passed(details=["Amounts within 1 USD are accepted."])
    wrong = np.flatnonzero(~same)
    unit_rates = {c: 1.0 for c in EXCHANGE_RATES_TO_USD}
    inverse = {c: 1 / r for c, r in EXCHANGE_RATES_TO_USD.items()}
    amount = np.array([parse_salary_usd(t, unit_rates) for t in raw_text], dtype=float)
    divided = np.array([parse_salary_usd(t, inverse) for t in raw_text], dtype=float)

    def matching(candidate):
        return [i for i in wrong if np.isfinite(values[i]) and np.isclose(values[i], candidate[i], rtol=1e-6, atol=1.0)]

    k_rows = matching(expected / 1000)
    if k_rows:
        i = k_rows[0]
        return incorrect(
            f'{_rows(len(k_rows))} lost their thousands, such as {show_value(raw_text[i])}: a "k" means 1,000.'
        )
    raw_amount = matching(amount)
    if raw_amount:
        i = raw_amount[0]
        return incorrect(
            f"{_rows(len(raw_amount))} were not converted to USD, such as {show_value(raw_text[i])}: multiply by "
            "the currency's rate in `EXCHANGE_RATES_TO_USD`."
        )
    by_division = matching(divided)
    if by_division:
        i = by_division[0]
        return incorrect(
            f"{_rows(len(by_division))} were divided by the rate, such as {show_value(raw_text[i])}: the rates are "
            "USD per unit of the currency, so multiply."
        )
    missing = [i for i in wrong if np.isnan(values[i])]
    if missing:
        i = missing[0]
        return incorrect(
            f"{_rows(len(missing))} came back missing although the text holds an amount, such as "
            f"{show_value(raw_text[i])}."
        )
    invented = [i for i in wrong if np.isnan(expected[i])]
    if invented:
        return incorrect(f"{_rows(len(invented))} have an amount where the salary expectation is missing.")
    i = wrong[0]
    return incorrect(
        f"{_rows(len(wrong))} hold another amount than the text, such as {show_value(raw_text[i])}.",
        ["Amounts within 1 USD are accepted."],
    )


class Standardize(_RawExtractQuestion):
    """``standardize(raw)``: canonical ``channel``, dates parsed, ``salary_expectation_usd`` added."""

    fixed_case = (
        "On 43 rows with every kind of label, date and salary format, such as '01/02/2026' (1 February), "
        "numbered from 100"
    )

    needed = ("channel", "applied_on", "decided_on", "salary_expectation_usd")
    #: The three parts, graded separately so that a learner who has two of them earns their points.
    parts = {"channel": "channels", "dates": "dates", "salary": "salaries"}

    def public_tests(self, answer: Any) -> list[Test]:
        raw = _public_raw(self.id)
        return [
            Test(f"On another raw extract, {_public_name(self.id)}: {what}", lambda p=p: self._case(answer, raw, p))
            for p, what in self.parts.items()
        ]

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        n, seed = int(rng.integers(*self.sizes)), int(rng.integers(1_000, 1_000_000))
        random_raw, fixed = _raw(n, seed), _fixed_raw()
        return [
            *(
                Test(
                    f"On another raw extract (talent_pipeline({n}, seed={seed})): {what}",
                    lambda p=p: self._case(answer, random_raw, p),
                )
                for p, what in self.parts.items()
            ),
            *(
                Test(f"{self.fixed_case}: {what}", lambda p=p: self._case(answer, fixed, p))
                for p, what in self.parts.items()
            ),
        ]

    def _case(self, fn: Any, raw: Any, part: str = "all") -> CheckResult:
        import pandas as pd

        from lepton_training.datasets import canonical_channel, parse_date

        given = raw.copy()
        value = fn(given)
        changed = _unchanged(given, raw)
        if changed is not None:
            return changed
        if not isinstance(value, pd.DataFrame):
            hint = " Did you forget a `return` statement?" if value is None else ""
            return invalid(f"`standardize` should return a DataFrame, but it returned {describe_type(value)}.{hint}")
        missing = [c for c in self.needed if c not in value.columns]
        if missing:
            return invalid(f"The result has no column {', '.join(map(repr, missing))}.")
        if len(value) != len(raw):
            return invalid(
                f"The result has {_rows(len(value))}, but the table given has {_rows(len(raw))}: keep every row, "
                "in the same order (duplicates are the next exercise)."
            )
        base = raw.reset_index(drop=True)
        got = value.reset_index(drop=True)
        if part in ("channel", "all"):
            result = _check_channels(got["channel"], base["channel"], base["channel"].map(canonical_channel))
            if not result.passed or part != "all":
                return result
        if part in ("dates", "all"):
            for col in ("applied_on", "decided_on"):
                expected = pd.to_datetime(base[col].map(parse_date)).astype("datetime64[ns]")
                result = _check_dates(col, got[col], base[col], expected)
                if not result.passed:
                    return result
            if part != "all":
                return passed()
        return _check_salaries(got["salary_expectation_usd"], base["salary_expectation"])


q2 = Standardize(
    id="q2",
    module=MODULE,
    title="Normalize channels, dates and salaries",
    points=3,
    answer_name="standardize",
    implementations=(
        "lepton_training.datasets.talent.canonical_channel",
        "lepton_training.datasets.talent.parse_date",
        "lepton_training.datasets.talent.parse_salary_usd",
        "lepton_training.datasets.talent.parse_yes_no",
    ),
    parameters=("raw",),
    objectives=(2,),
    hints=(
        "Three columns, three small functions. Channels: make every spelling the same (spaces, capitals, hyphens) "
        "and then map what is left to a canonical label. Dates: there are three formats, and the one with slashes "
        "is day first. Salaries: find the currency and the amount, then multiply by the rate.",
        "`raw['channel'].unique()` lists every spelling to map; `.str.strip().str.lower()` removes most of them "
        "and a dict does the rest with `.map`. `pd.to_datetime(text, format='%d/%m/%Y', errors='coerce')` reads "
        "one format and leaves the others missing, so read each format and combine them with `.fillna`. For "
        "salaries, `re.search(r'[\\d,.]+', text)` finds the amount.",
        "Fill in the blanks of the date part:\n\n```python\ndef parse_dates(text):\n"
        '    iso = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")\n'
        '    slashes = pd.to_datetime(text, format="____", errors="coerce")\n'
        '    words = pd.to_datetime(text, format="____", errors="coerce")\n'
        "    return iso.fillna(____).fillna(____)\n```",
    ),
)


# --- deduplication, graded within q3 -------------------------------------------------------------------------


def _reference_dedup(raw: Any) -> Any:
    df = raw.drop_duplicates()
    key = df["email"].str.strip().str.lower()
    return df[~key.duplicated(keep="first")]


def _dedup_mistake(kept: list, raw: Any) -> CheckResult | None:
    """Name the deduplication mistake that explains the ids an answer kept, or return None when none does.

    The mistakes: exact duplicates left in, near duplicates left in, every copy of a repeated application
    dropped, the last row kept, the row with the smallest ``candidate_id`` kept. None also when the ids are right
    or when fewer rows were kept for another reason (rows with impossible values dropped, say).
    """
    want = sorted(_reference_dedup(raw)["candidate_id"])
    if sorted(kept) == want:
        return None
    after_exact = raw.drop_duplicates()
    email = after_exact["email"].str.strip().str.lower()
    if len(kept) > len(want):
        if len(set(kept)) < len(kept):
            return incorrect(
                f"{_rows(len(kept) - len(set(kept)))} still repeat another row exactly (the same candidate_id): "
                "drop exact duplicates first."
            )
        extra = len(kept) - len(want)
        return incorrect(
            f"{_rows(extra)} too many were kept: {format_number(extra)} near duplicate"
            f"{'s remain' if extra != 1 else ' remains'}, whose email matches another row's once spaces and "
            "capitals are removed."
        )
    if len(kept) < len(want):
        counts = email.value_counts()
        unique_only = after_exact[email.map(counts) == 1]
        if sorted(unique_only["candidate_id"]) == sorted(kept):
            return incorrect(
                "every copy of a repeated application was dropped, the first one too; keep the first row of "
                "each application."
            )
        return None
    last = sorted(after_exact[~email.duplicated(keep="last")]["candidate_id"]) == sorted(kept)
    by_id = after_exact.assign(_key=email).sort_values("candidate_id")
    lowest = sorted(by_id[~by_id["_key"].duplicated()]["candidate_id"]) == sorted(kept)
    if last or lowest:
        how = {
            (True, False): "the last row in the table's order",
            (False, True): "the row with the smallest `candidate_id` (sorting by id changes which row comes first)",
            (True, True): "the last row in the table's order, or the one with the smallest `candidate_id` "
            "(here they are the same rows)",
        }[(last, lowest)]
        return incorrect(
            f"for each repeated email you kept {how}; the rule keeps the first row in the table's order as "
            "given, even when it is the respelled one."
        )
    missing = sorted(set(want) - set(kept))
    return incorrect(
        f"the right number of rows was kept, but not the right ones: {_rows(len(missing))} that the rule keeps "
        f"are missing, such as {show_value(missing[0])}. Keep the first row of each email, in the table's order."
    )


# --- q3: the whole cleaning, with its log ------------------------------------------------------------------------


def _as_comparable(frame: Any, expected: Any) -> tuple[Any, CheckResult | None]:
    """Return the learner's frame with equivalent dtypes made alike (nullable numbers, dates), or a reason."""
    import pandas as pd

    frame = frame.copy()
    for col in expected.columns:
        if col not in frame.columns:
            continue
        want, got = expected[col], frame[col]
        if pd.api.types.is_datetime64_any_dtype(want):
            dates = _as_dates(got)
            if dates is None:
                first = next((v for v in got if not pd.isna(v)), None)
                return frame, incorrect(
                    f"`{col}` should hold dates (datetime64), but it holds {describe_type(first)} values."
                )
            frame[col] = dates.to_numpy()
        elif pd.api.types.is_bool_dtype(want):
            if not (pd.api.types.is_bool_dtype(got) or got.map(lambda v: isinstance(v, bool)).all()):
                first = next((v for v in got if not pd.isna(v)), None)
                return frame, incorrect(
                    f"`{col}` should hold True or False, but it holds {describe_type(first)} values."
                )
            if got.isna().any():
                return frame, incorrect(f"`{col}` has missing values; every referral answer is a yes or a no.")
            frame[col] = got.astype(bool)
        elif pd.api.types.is_numeric_dtype(want):
            if not pd.api.types.is_numeric_dtype(got) or pd.api.types.is_bool_dtype(got):
                first = next((v for v in got if not pd.isna(v)), None)
                return frame, incorrect(f"`{col}` should hold numbers, but it holds {describe_type(first)} values.")
            frame[col] = got.astype("float64")
    return frame, None


#: The rules of the notebook's table: column, lowest possible value, highest possible value (None: no bound).
_RULES = (
    ("years_experience", 0.0, 50.0),
    ("assessment_score", 0.0, 100.0),
    ("salary_expectation_usd", None, 1_000_000.0),
)


def _bounds_text(low: float | None, high: float) -> str:
    return " or ".join(format_number(b) for b in (low, high) if b is not None)


def _name_cleaning_mistake(frame: Any, expected: Any, raw: Any) -> CheckResult | None:
    """Name q3's usual mistakes in words, or return None when none of them explains the difference.

    The mistakes: a bound of the table read as exclusive, an impossible value kept, missing values filled,
    referral read with ``astype(bool)``.
    """
    import numpy as np

    got = frame.set_index("candidate_id").loc[expected["candidate_id"]]
    want = expected.set_index("candidate_id")
    for col, low, high in _RULES:
        g, w = got[col].astype("float64"), want[col].astype("float64")
        dropped = g.isna() & w.notna()
        at_bound = dropped & (w.eq(high) | (w.eq(low) if low is not None else False))
        if at_bound.any() and at_bound.sum() == dropped.sum():
            return incorrect(
                f"`{col}`: {_rows(int(at_bound.sum()))} with a value exactly at a bound ({_bounds_text(low, high)}) "
                'were set to missing. The table\'s rule says "below" and "above": a value equal to the bound is '
                "possible and stays (use `>=` and `<=` for what is kept)."
            )
        filled = g.notna() & w.isna()
        if filled.any():
            values = g[filled]
            impossible = (values > high) | ((values < low) if low is not None else False)
            if impossible.all():
                i = values.index[0]
                return incorrect(
                    f"`{col}`: {_rows(int(filled.sum()))} keep an impossible value, such as {i} with "
                    f"{format_number(values[i])}; the table's rule sets values "
                    + (f"below {format_number(low)} or " if low is not None else "")
                    + f"above {format_number(high)} to missing."
                )
            constant = values.nunique() == 1
            return incorrect(
                f"`{col}`: {_rows(int(filled.sum()))} that the cleaning leaves missing hold a value"
                + (f" ({format_number(values.iloc[0])} in every one: a fill such as the median)" if constant else "")
                + ". The statement asks for no filling: leave missing values missing, and set impossible ones to "
                "missing too. How to fill, if at all, is a decision for each model (section 6)."
            )
        changed = g.notna() & w.notna() & ~np.isclose(g.fillna(0), w.fillna(0), rtol=1e-9, atol=0.01)
        if changed.any() and col != "salary_expectation_usd":
            i = changed[changed].index[0]
            return incorrect(
                f"`{col}`: {_rows(int(changed.sum()))} hold another value than the raw table, such as {i} with "
                f"{format_number(g[i])} instead of {format_number(w[i])}: possible values stay as they are."
            )
    g, w = got["referral"].astype(bool), want["referral"].astype(bool)
    if (g != w).any():
        typed = raw.drop_duplicates().set_index("candidate_id")["referral"]
        true_no = [i for i in g.index[g & ~w] if i in typed.index]
        if true_no:
            examples = sorted({str(typed[i]) for i in true_no})[:3]
            return incorrect(
                f"`referral` is True for {_rows(len(true_no))} whose answer means no, typed "
                f'{", ".join(map(show_value, examples))}: `astype(bool)` makes every non-empty text True, "no" '
                "included. Map each spelling to True or False with a dict."
            )
        i = g.index[g != w][0]
        return incorrect(
            f"`referral` differs in {_rows(int((g != w).sum()))}, such as {i}, typed {show_value(typed.get(i))}: "
            '"yes", "y", "true", "1" are True and "no", "n", "false", "0" are False, whatever their capitals and '
            "spaces."
        )
    return None


class Clean(_RawExtractQuestion):
    """``clean(raw)``: the reference cleaning's frame and a log of what changed, as a pair."""

    sizes = (200, 1_000)
    fixed_case = (
        "On 43 rows with values at the limits (0 and 50 years, assessments of 0 and 100, a salary of exactly "
        "1,000,000 USD), an application typed first in capitals, then normally, then copied exactly, and another "
        "typed again after its original, numbered from 100"
    )

    def _case(self, fn: Any, raw: Any) -> CheckResult:
        import pandas as pd

        from lepton_training.datasets import CLEAN_TALENT_COLUMNS, clean_talent_pipeline

        given = raw.copy()
        value = fn(given)
        changed = _unchanged(given, raw)
        if changed is not None:
            return changed
        if not (isinstance(value, tuple) and len(value) == 2):
            hint = " Did you forget a `return` statement?" if value is None else ""
            return invalid(
                f"`clean` should return a pair `(frame, log)`, but it returned {describe_type(value)}.{hint}"
            )
        frame, log = value
        if not isinstance(frame, pd.DataFrame):
            return invalid(f"The first item of the pair should be the cleaned DataFrame, not {describe_type(frame)}.")
        if not isinstance(log, dict):
            return invalid(f"The second item of the pair should be the log, a dict, not {describe_type(log)}.")
        expected = clean_talent_pipeline(raw)
        got_cols = [str(c) for c in frame.columns]
        missing = [c for c in CLEAN_TALENT_COLUMNS if c not in got_cols]
        extra = [c for c in got_cols if c not in CLEAN_TALENT_COLUMNS]
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"no column {', '.join(map(repr, missing))}")
            if extra:
                parts.append(f"extra column(s) {', '.join(map(repr, extra))}")
            return invalid(f"The cleaned frame has {' and '.join(parts)}; the statement lists the columns.")
        kept = frame["candidate_id"].tolist()
        if not all(isinstance(k, str) for k in kept):
            return invalid("`candidate_id` should still hold the ids as text, such as 'C00042'.")
        named = _dedup_mistake(kept, raw)
        if named is not None:
            return named
        if len(frame) != len(expected):
            more = len(frame) > len(expected)
            return incorrect(
                f"the cleaned frame has {_rows(abs(len(frame) - len(expected)))} too {'many' if more else 'few'}: "
                + (
                    "duplicates remain."
                    if more
                    else "rows that are not duplicates were dropped; set impossible "
                    "values to missing instead of dropping their rows."
                )
            )
        comparable, reason = _as_comparable(frame, expected)
        if reason is not None:
            return reason
        result = check_frame(comparable, expected, key=["candidate_id"], rtol=1e-9, atol=0.01, name="The cleaned frame")
        if not result.passed:
            named = _name_cleaning_mistake(comparable, expected, raw)
            if named is not None:
                return named
            if (
                "'salary_expectation_usd'" in result.message
                or "'years_experience'" in result.message
                or ("'assessment_score'" in result.message)
            ):
                result = incorrect(
                    result.message,
                    (*result.details, "Impossible values become missing (NaN); possible ones stay as they are."),
                )
            return result
        return self._check_log(log, raw, expected)

    @staticmethod
    def _check_log(log: dict, raw: Any, expected: Any) -> CheckResult:
        import numpy as np

        from lepton_training.datasets import parse_salary_usd

        missing = [k for k in LOG_KEYS if k not in log]
        if missing:
            return invalid(f"The log has no key {', '.join(map(repr, missing))}; the statement lists the keys.")
        for key in LOG_KEYS:
            v = log[key]
            if (
                isinstance(v, bool)
                or not isinstance(v, (int, np.integer))
                and not (isinstance(v, (float, np.floating)) and float(v).is_integer())
            ):
                return invalid(f"log[{key!r}] should be a whole number of rows, but it is {describe_type(v)}.")
        exact = raw.drop_duplicates()
        deduped = _reference_dedup(raw)
        deduped = deduped.set_index("candidate_id").loc[expected["candidate_id"]]
        salary = np.array([parse_salary_usd(t) for t in deduped["salary_expectation"]], dtype=float)
        truth = {
            "exact_duplicates_dropped": len(raw) - len(exact),
            "near_duplicates_dropped": len(exact) - len(deduped),
            "experience_set_missing": int(
                (deduped["years_experience"].notna().to_numpy() & expected["years_experience"].isna().to_numpy()).sum()
            ),
            "assessment_set_missing": int(
                (deduped["assessment_score"].notna().to_numpy() & expected["assessment_score"].isna().to_numpy()).sum()
            ),
            "salary_set_missing": int((~np.isnan(salary) & expected["salary_expectation_usd"].isna().to_numpy()).sum()),
        }
        for key, want in truth.items():
            got = int(log[key])
            if got != want:
                return incorrect(
                    f"the cleaned frame is right, but log[{key!r}] is too {'high' if got > want else 'low'}: it "
                    f"counts {LOG_KEYS[key]}.",
                    ["Count with the data (a difference of lengths, a sum of a True/False mask), not by hand."],
                )
        return passed()


q3 = Clean(
    id="q3",
    module=MODULE,
    title="A reproducible cleaning with its log",
    points=3,
    answer_name="clean",
    implementations=(
        "lepton_training.datasets.talent.clean_talent_pipeline",
        "lepton_training.datasets.talent.canonical_channel",
        "lepton_training.datasets.talent.parse_date",
        "lepton_training.datasets.talent.parse_salary_usd",
        "lepton_training.datasets.talent.parse_yes_no",
    ),
    parameters=("raw",),
    objectives=(2, 3),
    hints=(
        "Chain the steps in the statement's order: deduplicate, then normalize (your `standardize` does most of "
        "it), then the impossible values, then referral. Count for the log as you go: the number of rows before "
        "and after each drop, and how many present values each rule turns into missing ones.",
        "`df.drop_duplicates()` drops rows identical in every column and keeps the first; for a Series `key`, "
        "`key.duplicated()` is True for every repeat of an earlier value, so `df[~key.duplicated()]` keeps the "
        "first of each. Build `key` from the email with `.str` methods. "
        "`series.where(condition)` keeps the values where the condition holds and sets the others to NaN. "
        "`(before.notna() & after.isna()).sum()` counts the values a step made missing. For referral, a dict "
        "from each spelling to True or False, used with `.map`, after `.str.strip().str.lower()`.",
        "A skeleton; fill in the blanks:\n\n```python\ndef clean(raw):\n    exact = raw.drop_duplicates()\n"
        '    key = exact["email"].str.____().str.____()\n    df = exact[____]\n'
        '    log = {"exact_duplicates_dropped": ____, "near_duplicates_dropped": ____}\n'
        '    df = standardize(df)\n    years = df["years_experience"]\n'
        '    df["years_experience"] = years.where(____)\n'
        '    log["experience_set_missing"] = int((years.notna() & df["years_experience"].isna()).sum())\n'
        "    # ... the same for assessment_score and salary_expectation_usd, then referral\n"
        "    return df[____], log\n```",
    ),
)


# --- q4: missing values and a later model ------------------------------------------------------------------------

#: ``answer_digest(f"{letter}:true")`` for a true statement, ``answer_digest(f"{letter}:false")`` for a false one.
_STATEMENT_DIGESTS: dict[str, str] = {
    "A": "bb1027f4bc3c4e526e7c0df6b35af0bc9e6d0794419423acb4fee8a481771dfb",
    "B": "b6de5c18da886873bfae6f440a95c1dd7ff895a05fd88d371a7ea632468b30d9",
    "C": "74ce78811f9aa35cf1de9e7cd8fcae0096b4dd4f590991bbea3ee8e091645997",
    "D": "0d1a21f67efa590505ed61858054c4760ac083789975f2d376853babb9c28cca",
    "E": "e17de1933af088a488f599eaeb77cd7e5ce824bfe25339bdb6f6c8fc6607859b",
    "F": "eec211b11fa1c89c714f5dff440eb22e9a1cd82b3b65cb113037f7e85b5b09a7",
}

#: A question to ask oneself about each statement; it does not say whether the statement is true.
_STATEMENT_PROMPTS: dict[str, str] = {
    "A": "which rows get the filled value, whatever the value is?",
    "B": "which candidates does that model see, and which of them lack an interview score?",
    "C": "which outcomes are left among the rows that have an interview score?",
    "D": "who can the model score when it meets an applicant without an assessment?",
    "E": "what does the model know about a past application that it will not know about a new one?",
    "F": "which candidates have an onboarding date at all, filled or not?",
}


#: What ``q4.explain()`` shows after an attempt, sealed (:mod:`lepton_training.explanations`); the text is the
#: instructor notebook's cell ``q4-explanation``.
_EXPLANATION_Q4 = (
    "aHEYPI1cVICiIKpZ8gyork6w8Kqtq0XbdcdPgfWXpMmZWNgSa5YakDrlF9b66v1gHGjDftY9Axgmn/17u9u3UwUn5TA7hQTzGB+m"
    "sU0giSmbgWHLpYseL7/mZqwWy25jktU69sRs1UtgNUGYrDRxRY/3QYxorNJDuKz7qTn2wIPRkAHSqhuYLQGbtNvNpod1QF+RW0Df"
    "kcEwbVV3nO645PuCK+FVHp2+UhY9lQz4CpZbM7h3urxQGP9ey17LyBDsJdQnwB4y2xyyD43JqoXNMO6zFHOoBwjRXokLyVDE1sJn"
    "9a8E1Cpv4kbQKoRzpNTdzvDxlAXh8rnkgR3/N9sfX5yTda1nGZ8becPf908ClE66wVDXbKT2qduk3nB5KF/LCzzGsjGtA8dvJykA"
    "R+4dInrROHdenfCFc3q6VJZnEzkca4C2HgETZytaCTNX0Uue2boACv28Es9lkHJMA/OH3oGBPLlaBlmUM2vVlmzdWoePG6wZLgeL"
    "25OW2TgrmkzJ0SNO1mply4tvMaSgPrA/r1BAxfhJBOgeT6knfC4qSNfTusyHPZXn0TqhiHCubnOCDfgtxKXMT3Gl+V0Ghd7u05sK"
    "BuJ3vAIe1aB0IPY2YbhGrnxYlcqCy3+4LrQyfWrdkwPhuNQdcRmhBj9g/wT+rctau/A="
)


class TrueStatements(LabelSetQuestion):
    """``true_statements``: the set of letters of the true statements, from :data:`STATEMENTS`."""

    def validate(self, answer: Any) -> CheckResult:
        problem = label_set_problem(
            answer, "true_statements", "letters such as {'A', 'F'}", "a letter written as text, such as 'A'"
        )
        if problem is not None:
            return problem
        unknown = sorted({x.strip().upper() for x in answer} - set(STATEMENTS))
        if unknown:
            return invalid(f"{', '.join(map(repr, unknown[:3]))}: the statements are lettered A to F.")
        return passed()

    def chosen(self, answer: Any) -> set[str]:
        return {x.strip().upper() for x in answer}

    def key(self) -> set[str]:
        return hashed_members(_STATEMENT_DIGESTS, self.full_id, "true")

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        chosen, true = self.chosen(answer), self.key()
        wrong = {s for s in STATEMENTS if (s in chosen) != (s in true)}
        return [
            Test(
                f"Statement {s}",
                (lambda s=s: incorrect(f"misjudged. Ask: {_STATEMENT_PROMPTS[s]}")) if s in wrong else passed,
            )
            for s in STATEMENTS
        ]


q4 = TrueStatements(
    id="q4",
    module=MODULE,
    title="Missing values and a later model",
    points=2,
    answer_name="true_statements",
    objectives=(4,),
    labels=STATEMENTS,
    whole_weight=2,
    advice=(
        "not yet right. For each statement, picture the two moments: what the model sees when it is trained on "
        "past applications, and what it sees when it is used on someone who has just applied."
    ),
    misconceptions=(
        Misconception(
            "fa4c201f18ccdf57d294a821603416ec39b9e6ea5dd3c8500f8cea8a8b8a4041",
            "you trust every fill. Filling a gap does not make it disappear: whatever value you put in, it marks "
            "the rows that were missing; and a column recorded after the decision tells the outcome however its "
            "gaps are filled.",
            corrects=2,
        ),
        Misconception(
            "181842443ed1a33f43b5fe367dabf565de52b971d855e31ef8e2a6d19363e25b",
            "you marked all six as true. Some of them are traps: read each one as a claim that could be false, "
            "and look for the moment it is wrong.",
        ),
    ),
    hints=(
        "Go back to the table of the worked example. For each statement, picture two moments: the model is "
        "trained on past applications, then used on a new applicant who has just applied.",
        "A constant fill, whatever the constant, marks exactly the rows that were missing; a model can read the "
        "mark. A column recorded after the decision is a leak however its gaps are filled. A validation score "
        "measures the future only if the validation rows look like the future rows.",
        'Three of the six statements are true. Write them as\n```python\ntrue_statements = {"____", "____", '
        '"____"}\n```',
    ),
    explanation=unseal(_EXPLANATION_Q4, f"{MODULE}:q4"),
)


# --- q5: tokenize a comment --------------------------------------------------------------------------------------

_TOKEN = re.compile(rf"[a-z0-9]+(?:'[a-z0-9]+)*|[{_CJK}]")
_NEGATIONS = {"not", "no", "never", "nothing", "nor", "without"}


def reference_tokens(comment: str) -> list[str]:
    """Return the statement's tokenization: lower-case words (apostrophes inside kept), each Chinese character a token.

    Parameters
    ----------
    comment : str

    Returns
    -------
    list of str

    Examples
    --------
    >>> reference_tokens("The pace wasn't clear, but the labs were great!")
    ['the', 'pace', "wasn't", 'clear', 'but', 'the', 'labs', 'were', 'great']
    >>> reference_tokens("我很喜欢Colab 环境。")
    ['我', '很', '喜', '欢', 'colab', '环', '境']
    """
    return _TOKEN.findall(comment.lower())


def _normalized(tokens: list[str]) -> list[str]:
    """Merge accepted variants: "n't" joined to the word before, apostrophes dropped, hyphenated words split."""
    merged: list[str] = []
    for t in tokens:
        if t in {"n't", "n’t"} and merged:
            merged[-1] += "nt"
        else:
            merged.append(t)
    out: list[str] = []
    for t in merged:
        out += [part for part in t.replace("'", "").replace("’", "").split("-") if part]
    return out


def _spelled_out(word: str, tokens: list[str]) -> bool:
    """Whether ``tokens`` hold ``word`` as a run of its single letters ("c", "o", "l", "a", "b")."""
    letters = list(word)
    return any(tokens[i : i + len(letters)] == letters for i in range(len(tokens) - len(letters) + 1))


def _is_negation(token: str) -> bool:
    return token in _NEGATIONS or token.endswith("n't")


class Tokenize(FunctionQuestion):
    """``tokenize(comment)``: a list of lower-case tokens, punctuation removed, negations kept."""

    def _case(self, fn: Any, comment: str) -> CheckResult:
        tokens = fn(comment)
        shown = show_value(comment if len(comment) <= 60 else comment[:57] + "...")
        if not isinstance(tokens, list):
            hint = " Did you forget a `return` statement?" if tokens is None else ""
            return invalid(f"`tokenize` should return a list of str, but it returned {describe_type(tokens)}.{hint}")
        if not all(isinstance(t, str) for t in tokens):
            bad = next(t for t in tokens if not isinstance(t, str))
            return invalid(f"Every token should be a str, but one is {describe_type(bad)}.")
        expected = reference_tokens(comment)
        # A hyphen may split a word ("hands", "on"), stay in it ("hands-on") or vanish with the punctuation
        # ("handson"): all three read the comment the same way.
        glued = reference_tokens(re.sub(r"(?<=\w)-(?=\w)", "", comment))
        if _normalized(tokens) in (_normalized(expected), _normalized(glued)):
            return passed()
        where = f"For {shown}"
        capitals = [t for t in tokens if t != t.lower()]
        if capitals:
            return incorrect(
                f"{where}, tokens keep their capitals, such as {show_value(capitals[0])}: lower-case them."
            )
        if any(not t.strip() for t in tokens):
            return incorrect(f"{where}, some tokens are empty or only spaces: leave them out.")
        punct = [t for t in tokens if re.search(rf"[^\w'’\-{_CJK}]|_", t)]
        if punct:
            return incorrect(f"{where}, tokens still carry punctuation, such as {show_value(punct[0])}.")
        long_cjk = [t for t in tokens if len(re.findall(rf"[{_CJK}]", t)) > 1]
        if long_cjk:
            return incorrect(
                f"{where}, a Chinese comment came back as long tokens such as {show_value(long_cjk[0])}: Chinese "
                "has no spaces between words, so the statement asks for one token per Chinese character."
            )
        spelled = [t for t in expected if len(t) > 1 and t.isascii() and t.isalpha() and _spelled_out(t, tokens)]
        if spelled:
            return incorrect(
                f"{where}, the word {show_value(spelled[0])} came back letter by letter: one token per character is "
                "for Chinese characters only. A Latin word in a Chinese comment is a word, as in English."
            )
        split = [t for t in expected if "'" in t and t.split("'")[0] in tokens]
        if split:
            return incorrect(
                f"{where}, the apostrophe split {show_value(split[0])} into pieces: keep it one token, with or "
                "without the apostrophe."
            )
        numbers = [t for t in expected if t.isdigit() and t not in tokens]
        if numbers:
            return incorrect(
                f"{where}, the number {show_value(numbers[0])} is missing: the statement counts runs of letters "
                "*and digits* as words, so a pattern of letters only drops numbers such as lab numbers and "
                "minutes."
            )
        lost = [t for t in expected if _is_negation(t) and _normalized([t])[0] not in _normalized(tokens)]
        if lost:
            return incorrect(
                f"{where}, the negation {show_value(lost[0])} is missing: stop-word lists drop words such as 'not' "
                "and 'never', and 'not helpful' then reads as 'helpful'. Keep every word."
            )
        got, want = _normalized(tokens), _normalized(expected)
        first = next((i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b), min(len(got), len(want)))
        return incorrect(
            f"{where}, the tokens differ from the statement's rule: {len(tokens)} tokens where {len(expected)} are "
            f"expected; the first difference is token {first + 1}."
        )

    def _cases(self, fn: Any, comments: list[str]) -> CheckResult:
        for comment in comments:
            result = self._case(fn, comment)
            if not result.passed:
                return result
        return passed()

    @staticmethod
    def _comments(n: int, seed: int) -> list[str]:
        from lepton_training.datasets import training_feedback

        feedback = training_feedback(n, seed=seed)
        return feedback["comment"].tolist()

    def public_tests(self, answer: Any) -> list[Test]:
        fixed = [
            "The pace WASN'T clear, but the examples were not boring at all!",
            "例子非常有用，但是节奏让人困惑。",
            "Module 2 took 90 minutes.",
        ]
        return [
            Test("On three comments, one in Chinese, one with numbers", lambda: self._cases(answer, fixed)),
            Test(
                "On the 200 comments of training_feedback(200, seed=16)",
                lambda: self._cases(answer, self._comments(200, 16)),
            ),
        ]

    def public_inputs(self) -> list[Any]:
        return self._comments(200, 16)

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        seed = int(rng.integers(1_000, 1_000_000))
        fixed = [
            "",
            "Never   boring... really!!",
            "I didn't enjoy the exrecises, and the hands-on labs weren't helpful.",
            "我很喜欢Colab 环境，例子非常有用。",
            "No problems with the slides. Thanks!",
            "Lab 3 ran 20 minutes over, but it was worth it.",
        ]
        return [
            Test(
                "On six comments: an empty one, extra spaces and punctuation, contractions, Chinese with a Latin word, "
                "numbers",
                lambda: self._cases(answer, fixed),
            ),
            Test(
                f"On the comments of training_feedback(300, seed={seed})",
                lambda: self._cases(answer, self._comments(300, seed)),
            ),
        ]


q5 = Tokenize(
    id="q5",
    module=MODULE,
    title="Tokenize the feedback",
    points=2,
    answer_name="tokenize",
    implementations=("lepton_training.features.text.tokenize",),
    parameters=("comment",),
    objectives=(5,),
    hints=(
        "Lower-case first; then, instead of splitting on spaces and cleaning each piece, describe what a token "
        "*is* and find every match: a run of letters or digits, possibly with an apostrophe inside, or a single "
        "Chinese character.",
        "`re.findall(pattern, text)` returns every match of a pattern as a list. In a pattern, `[a-z0-9]+` is a "
        "run of letters or digits, `(?:'[a-z0-9]+)*` an optional apostrophe part, `|` means or, and "
        "`[\\u4e00-\\u9fff]` is one common Chinese character.",
        "Fill in the blanks:\n\n```python\nimport re\n\ndef tokenize(comment):\n"
        '    return re.findall(r"____|[\\u4e00-\\u9fff]", comment.____())\n```',
    ),
)

# --- q6: values that pass every rule -----------------------------------------------------------------------------

#: The kinds of plausible-but-wrong values q6 asks for, and what each is, in the statement's words.
WRONG_KINDS: dict[str, str] = {
    "salary_monthly": "salary expectations typed per month where the yearly one is asked for",
    "decided_before_applied": "applications decided before they were made",
    "assessment_default": "assessment scores stuck at the platform's default value",
    "email_typo": "second applications of a person whose email was typed with a typo",
}

#: What a person's second application repeats, beside the email (the statement of q6 lists them).
PERSON_COLUMNS = ["country", "education", "group", "years_experience", "salary_expectation_usd"]


def _same_person(table: Any, a: str, b: str) -> bool:
    """Return whether two rows repeat the person's answers of :data:`PERSON_COLUMNS` (missing equals missing)."""
    x, y = table.loc[a, PERSON_COLUMNS], table.loc[b, PERSON_COLUMNS]
    return all((u == v) or (u != u and v != v) for u, v in zip(x, y, strict=True))


def _partner(table: Any, i: str, among: Any) -> str | None:
    """Return the row of ``among`` that repeats row i's person with the email closest to i's, or None."""
    import difflib

    same = [j for j in among if j != i and _same_person(table, i, j)]
    if not same:
        return None
    email = table.loc[i, "email"]
    return max(same, key=lambda j: difflib.SequenceMatcher(None, email, table.loc[j, "email"]).ratio())


#: Share of the planted values of each kind that an answer must find, and share of its flags that must be right.
FIND_SHARE, RIGHT_SHARE = 0.8, 0.9


@functools.lru_cache(maxsize=8)
def _cached_clean(n: int, seed: int):
    from lepton_training.datasets import clean_talent_pipeline

    return clean_talent_pipeline(_raw(n, seed))


def _clean(n: int, seed: int):
    """Return the clean table of ``talent_pipeline(n, seed)``: a fresh copy, so that a test may change it."""
    return _cached_clean(n, seed).copy()


@functools.lru_cache(maxsize=8)
def _planted(n: int, seed: int) -> dict[str, frozenset[str]]:
    from lepton_training.datasets.talent import planted_wrong_values

    return planted_wrong_values(n, seed)


def _ids(value: Any) -> list[Any] | None:
    """Return the flagged ids as a list, from any collection of ids (a Series' values, not its index), or None."""
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        return value["candidate_id"].tolist() if "candidate_id" in value.columns else None
    if isinstance(value, (pd.Series, pd.Index)):
        return list(value)
    if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__iter__"):
        return None
    return list(value)


class WrongValues(FunctionQuestion):
    """``find_wrong_values(clean)``: for each kind of :data:`WRONG_KINDS`, the ids of the rows that hold one.

    Judged by what it finds, kind by kind: at least :data:`FIND_SHARE` of the planted values, and at least
    :data:`RIGHT_SHARE` of the flags right (any row holding the default score counts as right: a real score of the
    same value cannot be told apart).
    """

    def _case(self, fn: Any, clean: Any, truth: dict[str, frozenset[str]], kind: str) -> CheckResult:
        from lepton_training.datasets.talent import ASSESSMENT_DEFAULT

        given = clean.copy()
        value = fn(given)
        changed = _unchanged(given, clean)
        if changed is not None:
            return changed
        if not isinstance(value, dict):
            hint = " Did you forget a `return` statement?" if value is None else ""
            return invalid(
                f"`find_wrong_values` should return a dict from each kind to the ids it flags, but it returned "
                f"{describe_type(value)}.{hint}"
            )
        if kind not in value:
            return invalid(f"The dict has no key {kind!r}; the statement lists the three keys.")
        flagged = _ids(value[kind])
        if flagged is None:
            return invalid(
                f"{kind!r} should map to a collection of candidate ids (a list, a set or a Series of ids), not "
                f"{describe_type(value[kind])}."
            )
        ids = set(clean["candidate_id"])
        unknown = [f for f in flagged if f not in ids]
        if unknown:
            return invalid(
                f"{show_value(unknown[0])}, flagged as {kind!r}, is not a `candidate_id` of the table: give the ids "
                "from that column (not the index)."
            )
        flagged_set = set(flagged)
        planted = truth[kind] & ids
        table = clean.set_index("candidate_id")
        right = set(planted)
        if kind == "assessment_default":
            right |= set(table.index[table["assessment_score"] == ASSESSMENT_DEFAULT])
        found, wrong = flagged_set & planted, flagged_set - right
        what = WRONG_KINDS[kind]
        if len(found) >= FIND_SHARE * len(planted) and len(wrong) <= (1 - RIGHT_SHARE) * len(flagged_set):
            return passed(f"Found {len(found)} of the {len(planted)} {what}.")
        if wrong and len(wrong) > (1 - RIGHT_SHARE) * len(flagged_set):
            return self._wrong_flags(kind, table, sorted(wrong), len(flagged_set))
        return self._missed(kind, table, sorted(planted - found), len(found), len(planted))

    @staticmethod
    def _wrong_flags(kind: str, table: Any, wrong: list[str], n_flagged: int) -> CheckResult:
        """Name what the answer flagged that is not a wrong value of this kind."""
        import pandas as pd

        share = f"{len(wrong)} of your {n_flagged} flags"
        if kind == "salary_monthly":
            usd = table.loc[wrong, "salary_expectation_usd"]
            if usd.isna().all():
                return incorrect(
                    f"{share} for {kind!r} have no salary at all: a missing value is not a salary in the wrong "
                    "unit. Compare only the salaries that are there."
                )
            median = table.groupby(["role", "country"])["salary_expectation_usd"].transform("median")
            i = usd.dropna().index[0]
            high = usd[i] >= median[i]
            return incorrect(
                f"{share} for {kind!r} are yearly salaries, such as {i} ({format_number(usd[i])} USD, where the "
                f"median of its role and country is {format_number(round(median[i]))} USD). "
                + (
                    "A salary far above the others is not in the wrong unit: a monthly figure is about a twelfth "
                    "of its group's usual salary, far below it."
                    if high
                    else "A monthly figure is about a twelfth of its group's usual salary, far below any yearly "
                    "one: low is not enough."
                )
            )
        if kind == "decided_before_applied":
            later = [i for i in wrong if table.loc[i, "decided_on"] >= table.loc[i, "applied_on"]]
            if later:
                i = later[0]
                same = table.loc[i, "decided_on"] == table.loc[i, "applied_on"]
                return incorrect(
                    f"{share} for {kind!r} {'was' if len(wrong) == 1 else 'were'} decided "
                    + ("the same day as" if same else "after")
                    + f" the application, such as {i}: only a decision dated before its application is "
                    "impossible."
                )
        if kind == "assessment_default":
            scores = table.loc[wrong, "assessment_score"]
            if scores.isna().any():
                return incorrect(
                    f"{share} for {kind!r} have no assessment score at all: a missing score is not a default "
                    "value. Look for the one value that is far more common than its neighbours."
                )
            shown = ", ".join(format_number(v) for v in sorted(pd.unique(scores))[:3])
            return incorrect(
                f"{share} for {kind!r} hold other scores than the default ({shown}): the default is a single "
                "value, the one far more common than its neighbours in `value_counts()`."
            )
        if kind == "email_typo":
            i = wrong[0]
            partner = _partner(table, i, table.index)
            if partner is not None:
                return incorrect(
                    f"{share} for {kind!r} share a person's answers with another row but not an email one typo "
                    f"away, such as {i} ({table.loc[i, 'email']}) and {partner} ({table.loc[partner, 'email']}): "
                    "two people can share a country, a degree, their experience and a salary expectation. Compare "
                    "the emails too (with `difflib`)."
                )
            return incorrect(
                f"{share} for {kind!r}, such as {i} ({table.loc[i, 'email']}), repeat no other row's answers "
                f"({', '.join(PERSON_COLUMNS)}): different people have close emails (wei.zhang12 and wei.zhang13 "
                "are two people), so compare emails only between rows that repeat the person's answers."
            )
        return incorrect(f"{share} for {kind!r} are not {WRONG_KINDS[kind]}.")

    @staticmethod
    def _missed(kind: str, table: Any, missed: list[str], n_found: int, n_planted: int) -> CheckResult:
        """Name what the answer did not find."""
        head = f"found {n_found} of the {n_planted} {WRONG_KINDS[kind]}"
        i = missed[0]
        if kind == "salary_monthly":
            return incorrect(
                f"{head}; {i}, for example, expects {format_number(table.loc[i, 'salary_expectation_usd'])} USD as "
                f"a {table.loc[i, 'role']} in {table.loc[i, 'country']}. A monthly figure is low for its role and "
                "country, not extreme for the whole table: an outlier rule on the whole column (a z-score, a box "
                "plot's fences) misses it. Compare each salary with the others of its group."
            )
        if kind == "decided_before_applied":
            return incorrect(
                f"{head}; {i}, for example, was applied for on {table.loc[i, 'applied_on']:%d %B %Y} and decided "
                f"on {table.loc[i, 'decided_on']:%d %B %Y}. Compare the two dates of each row."
            )
        if kind == "email_typo":
            j = _partner(table, i, table.index)
            pair = f"{i} ({table.loc[i, 'email']})" + (f" and {j} ({table.loc[j, 'email']})" if j else "")
            a, b = (table.loc[i, "email"], table.loc[j, "email"]) if j else ("", "")
            in_digits = j is not None and re.sub(r"\d", "", a) == re.sub(r"\d", "", b)
            return incorrect(
                f"{head}, such as {pair}"
                + (
                    ": the typo is in the number of the address. Compare the whole address, not only the name."
                    if in_digits
                    else ". They repeat the person's answers and their emails are one typo apart: block on the "
                    "person's answers, then compare the emails of each block with `difflib`."
                )
            )
        return incorrect(
            f"{head}; {i}, for example, has the score {format_number(table.loc[i, 'assessment_score'])}. Look at "
            "`value_counts()` of `assessment_score` for the value that is far more common than its neighbours."
        )

    def _tests(self, fn: Any, clean: Any, truth: dict[str, frozenset[str]], where: str) -> list[Test]:
        return [
            Test(f"{where}: {WRONG_KINDS[kind]}", lambda kind=kind: self._case(fn, clean, truth, kind))
            for kind in WRONG_KINDS
        ]

    def public_tests(self, answer: Any) -> list[Test]:
        n, seed = PUBLIC_RAW["q6"]
        return self._tests(answer, _clean(n, seed), _planted(n, seed), f"On the clean table of {_public_name('q6')}")

    def public_inputs(self) -> list[Any]:
        return [_clean(*PUBLIC_RAW["q6"])]

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        n, seed = int(rng.integers(400, 1_000)), int(rng.integers(1_000, 1_000_000))
        fixed, fixed_truth = _fixed_clean()
        return [
            *self._tests(answer, _clean(n, seed), _planted(n, seed), f"On another clean table (of {n} raw rows)"),
            *self._tests(
                answer,
                fixed,
                fixed_truth,
                "On a clean table with missing salaries and scores, three decisions taken the day of their "
                "application, two people with the same answers, and a typo in an email's number",
            ),
        ]


#: The raw extract of q6's fixed hidden case.
_FIXED_CLEAN = (500, 77)


def _fixed_clean():
    """Return q6's fixed case, a clean table with traps, and the ids of its wrong values by kind.

    Three same-day decisions, missing salaries and scores, two different people who share every answer of
    :data:`PERSON_COLUMNS`, and a second application whose email has its typo in the digits.
    """
    clean = _clean(*_FIXED_CLEAN)
    planted = set().union(*_planted(*_FIXED_CLEAN).values())
    free = clean.index[~clean["candidate_id"].isin(planted)]
    clean.loc[free[:3], "decided_on"] = clean.loc[free[:3], "applied_on"]
    clean.loc[free[3:6], "salary_expectation_usd"] = float("nan")
    clean.loc[free[6:9], "assessment_score"] = float("nan")
    # Two people with the same answers (an email far from the other's): not a second application.
    clean.loc[free[10], PERSON_COLUMNS] = clean.loc[free[9], PERSON_COLUMNS].to_numpy()
    # A second application whose typo is in the number of the address ("…134@" typed "…1344@").
    clean.loc[free[12], PERSON_COLUMNS] = clean.loc[free[11], PERSON_COLUMNS].to_numpy()
    clean.loc[free[12], "email"] = re.sub(r"(\d)@", r"\1\1@", clean.loc[free[11], "email"])
    return clean, {
        **_planted(*_FIXED_CLEAN),
        "email_typo": _planted(*_FIXED_CLEAN)["email_typo"]
        | {clean.loc[free[11], "candidate_id"], clean.loc[free[12], "candidate_id"]},
    }


#: What ``q6.explain()`` shows after an attempt, sealed; the text is the instructor notebook's cell ``q6-explanation``.
_EXPLANATION_Q6 = (
    "mlHpvdngSV8WT31FTTVaLo7aWDDlFKlArG+IoDbCYl7NDCOR+tRtscXJ/hpk/xGERZDKtXIeMkW6DzXbP9e5sn/LTbsPf+TsZAbP"
    "ieCNSUj028RAwqLlgjKvK12cmpY5U488uCa2vDgFNBKLsYtykMdvucIfE6XL0/UJktZW4dXz7cpAoJ24Tfpq66/nKXpRWlD8hsIi"
    "AScimaSvkgkVXnD0zjyv/ZKVPeQas7QJ8d//V8xNqPTSDl4YVnVfAco7otk3FQqRQ0T02aHW7wxMNiI5EAlvgVRNYZcWF9RJiNnT"
    "FFMY4jRp5KRBmh/gWUYVO8pS3S3ToRMbEH2+xYoovdeqTAhBtQuqtq27yQx7/BHt4KYjMb18iZWE6VIzE7tfga+iEW67GzGfnYbo"
    "5TmekJco+dRozIrs1uzl7SE4tSvO7yuKxL/1Vi9ym6d61d4aF3I4BPiv1msxRt3WtmZOx2p1MO1x77BeHA8RPfbhPYdjUh9AAyyD"
    "CJraFNIGXAdYMUelRVtwg8x6kuuX9Vp0KXwz7HYynvcn38OZ4KBPXE8yUpdgOzTxS1lloVUX7MDJZJvldgkNqVz3KAfWLF1weHqr"
    "P8Wv4ybFNjQ9IFYhPJXcVguu5oIk03v6Hc5wfvO8E3yDJYoH+28tZN1ZNJFjH2hB7AGfc8tpbSjMC7NxqQkZbpn9AgugUDqRt/QI"
    "b6tgtjG1D8MJmvD3R1YTKCqLLUBvaD6hInRbopX0rTRNfvMPb+5jBSJI/XE4q1ttmwqDsDemzHxIL1qU1n/yWqa3T2ApMMaDXpQZ"
    "ilUNAf+On3kHqQUF8DgrWlEmXbxTaTiuA4Q+1azEjG0oVfbEYTfUvm27qXbkqVMqZK1hcm2bXLOdBgg4RJ+2wP1wVfzILa7PEIVj"
    "69kjbe3a/GRt4XjZ+hF0Or2StrS3IQlPbVVaDZ5fBMKNt0gNhqWG/FxxQgrJb4P9W3gWBa2VJafU4P0sWTnJqcYneno8o/tw6PF4"
    "lnR6IpU9+fFIi1Z4yt2CiOxrZQlsybbf+vPOTNkNfdaudJm/NyD2je/darRARCRk4y6fq/Ou7XkG5exsHH7Fo0Gg4WO3ESzhBBMz"
    "w3MgQyuQfRrNBIt+VkdETh6n7hEolaalqSwKFKHKvNAPWc+ONsek2cA="
)


q6 = WrongValues(
    id="q6",
    module=MODULE,
    title="Find the values that pass every rule",
    points=4,
    answer_name="find_wrong_values",
    implementations=("lepton_training.datasets.talent.planted_wrong_values",),
    parameters=("clean",),
    objectives=(1,),
    hints=(
        "One kind at a time, and look before you code. Salaries: compare each with the others of the same role "
        "and country. Dates: compare the two dates of each row. Scores: count how often each value occurs. "
        "Emails: compare them only between rows that repeat the person's answers.",
        "`clean.groupby(['role', 'country'])['salary_expectation_usd'].transform('median')` puts beside each row "
        "the median of its group; a salary typed per month is about a twelfth of it. "
        "`clean['assessment_score'].value_counts().head()` shows the value that is far too common. "
        "`clean.loc[mask, 'candidate_id']` gives the ids of the rows where a True/False mask holds. For the "
        "emails, `clean.groupby(PERSON_COLUMNS, dropna=False)` gives the blocks; within one, "
        "`difflib.SequenceMatcher(None, a, b).ratio()` is about 0.9 or more for two emails one typo apart.",
        "A skeleton; fill in the blanks:\n\n```python\ndef find_wrong_values(clean):\n"
        "    usd = clean['salary_expectation_usd']\n"
        "    usual = clean.groupby(['role', 'country'])['salary_expectation_usd'].transform('median')\n"
        "    return {\n        'salary_monthly': clean.loc[usd < ____ * usual, 'candidate_id'],\n"
        "        'decided_before_applied': clean.loc[____, 'candidate_id'],\n"
        "        'assessment_default': clean.loc[clean['assessment_score'] == ____, 'candidate_id'],\n"
        "        'email_typo': typo_pairs(clean),  # your function: the ids of both rows of each pair\n    }\n```",
    ),
    explanation=unseal(_EXPLANATION_Q6, f"{MODULE}:q6"),
)


exercises = ExerciseSet(MODULE, [q1, q2, q3, q4, q5, q6])


def progress():
    """Show which questions of this module pass their public checks, and the points at stake.

    Returns
    -------
    lepton_training.exercises.Progress
    """
    return exercises.progress()
