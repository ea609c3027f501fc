"""Graded questions of module 03, feature engineering, on the talent pipeline and the training feedback.

* ``q1`` a DataFrame: ``skill_indicators(skills)``, one 0/1 column per skill (whole skills, not substrings; any
  skill names). Objective 2.
* ``q2`` a DataFrame: ``date_features(frame, as_of)``, month, weekday and age of an application counted to a fixed
  date (not to the latest date of the table). Objective 1.
* ``q3`` a set: the columns of ``clean_talent_pipeline()`` that leak the outcome at application time, graded
  before the notebook explains them (salted digests, one per column). Objective 3.
* ``q4`` a function: ``fit_and_score(train, test)``, a leakage-free model of ``hired`` judged on held-back data:
  its AUC within a stated band, its predictions unchanged when the leaking columns, the identifiers or the group
  attribute of ``test`` are shuffled, the same for a row scored alone or with others, no crash on unseen levels
  and missing values. Objectives 1 and 3.
* ``q5`` a function: ``comment_fit_and_score(train, test)``, text features of feedback comments, judged by its AUC
  band on held-back comments and by the same row-independence. Objective 2.
* ``q6`` a function: ``group_value(train, valid, groups)``, two values of each group of columns: the drop in
  validation AUC when it is left out and the model refit (``dropped``), and permutation importance for one fitted
  model (``permuted``), judged on tables with planted signal, near copies and pure noise, so that the sign, AUCs
  instead of drops, each group scored alone, scores on training rows, a refit or a shuffle of whole rows are each
  named. Objective 4.

Expected values are recomputed from the inputs each test gives the learner's code, or compared as salted digests
(q3); none is stored in plain text.
Public checks use tables generated with other seeds and sizes than the ones the notebook shows.
"""

from __future__ import annotations

import functools
from typing import Any

from lepton_training.checks import (
    CheckResult,
    check_number,
    describe_type,
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

MODULE = "03-feature-engineering"

__all__ = ["q1", "q2", "q3", "q4", "q5", "q6", "exercises", "progress", "AUC_MARGIN_TALENT", "AUC_MARGIN_COMMENTS"]

#: How far below the reference model's held-back AUC, fit on the same rows, ``fit_and_score`` may be. The reference
#: is a logistic regression of the numeric, categorical and referral columns; a default depth-3 gradient boosting of
#: the same columns lands 0.01 to 0.04 below it, a model with the skills and dates up to 0.07 above.
AUC_MARGIN_TALENT = 0.05
#: The same for ``comment_fit_and_score``: TF-IDF of single words lands 0.01 to 0.03 below the reference (words
#: and word pairs) on 13 seeds; the lexicon falls far short.
AUC_MARGIN_COMMENTS = 0.035
#: More than this above the reference model's AUC, a model of hiring at application time is too good to be honest:
#: the interview score lifts it by 0.12 to 0.14 (13 seeds), the skills and dates by at most 0.07.
AUC_SUSPICIOUS = 0.10
#: Below this AUC predictions rank no better than chance, and tests that they stay the same prove nothing.
AUC_INFORMATIVE = 0.6

_LEAKS = ("decided_on", "interview_score", "onboarding_date")  # what q4 shuffles; q3's answer is hashed below
_NOT_FEATURES = ("candidate_id", "email", "group")
_NUMBERS = ("years_experience", "assessment_score", "salary_expectation_usd")  # numeric columns that can be missing
_GROUPS = ("numeric", "categorical", "referral", "skills", "dates")


# --- shared helpers ------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=16)
def _talent(n: int, seed: int):
    from lepton_training.datasets import clean_talent_pipeline, talent_pipeline

    return clean_talent_pipeline(talent_pipeline(n, seed=seed))


def _talent_copy(n: int, seed: int):
    return _talent(n, seed).copy()


@functools.lru_cache(maxsize=16)
def _comments(n: int, seed: int):
    from lepton_training.datasets import training_feedback

    feedback = training_feedback(n, seed=seed)
    return feedback[feedback["language"] == "en"].reset_index(drop=True)


def _changed(given: Any, original: Any, what: str) -> CheckResult | None:
    advice = ". Build new columns instead of modifying it (no `inplace=True`, no assignment into it)."
    return input_changed(given, original, what, advice)


def _align_rows(value: Any, index: Any) -> Any:
    """Return the learner's rows in the order of ``index``: by index when it is the input's, else by position."""
    if value.index.is_unique and len(value.index) == len(index) and set(value.index) == set(index):
        return value.loc[index]
    return value


def _names(values: Any, limit: int = 3) -> str:
    shown = [repr(v) for v in list(values)[:limit]]
    more = len(values) - limit
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


# --- q1: skills to indicator columns -------------------------------------------------------------------------------


class SkillIndicators(FunctionQuestion):
    """``skill_indicators(skills)``: one 0/1 column per skill, named by the skill, one row per candidate."""

    def _case(self, fn: Any, skills: Any) -> CheckResult:
        import numpy as np
        import pandas as pd

        from lepton_training.features.tabular import skill_indicators

        given = skills.copy()
        try:
            value = fn(given)
        except (TypeError, AttributeError) as exc:
            if not skills.isna().any():
                raise
            # "'float' object is not iterable" says nothing to a learner: name the missing value that caused it.
            return incorrect(
                f"your code raised {type(exc).__name__} on a missing skills value: a missing value is NaN, a float, "
                "not a string, so it cannot be split. Give it no skill (`str` methods such as `.str.get_dummies` "
                "skip it; in a loop, test `isinstance(text, str)`), without filling `skills` itself."
            )
        changed = _changed(given, skills, "Series")
        if changed is not None:
            return changed
        if not isinstance(value, pd.DataFrame):
            hint = " Did you forget a `return` statement?" if value is None else ""
            return invalid(f"The result should be a pandas DataFrame, but it is {describe_type(value)}.{hint}")
        expected = skill_indicators(skills)
        got = [str(c) for c in value.columns]
        if len(set(got)) != len(got):
            return invalid("The result has two columns with the same name: one column per skill.")
        want = list(expected.columns)
        if set(got) != set(want):
            if {c.strip() for c in got} == set(want):
                return incorrect(
                    "some column names have spaces around them, such as ' sql': split on '; ' (semicolon and "
                    "space), or strip each skill."
                )
            if {c.lower() for c in got} == {c.lower() for c in want}:
                changed_case = sorted(set(want) - set(got))
                return incorrect(
                    f"the column names have lost their capitals: the data has {_names(changed_case)}. Name each "
                    "column by the skill exactly as written (`str.lower` merges 'SQL' and 'sql', two ways "
                    "candidates wrote it)."
                )
            missing = sorted(set(want) - set(got))
            extra = sorted(set(got) - set(want))
            parts = []
            if missing:
                parts.append(f"no column for {_names(missing)}")
            if extra:
                parts.append(f"columns that are not single skills: {_names(extra)}")
            return incorrect(
                f"the result has {' and '.join(parts)}. Each skill, as written between the '; ', gets one column."
            )
        if len(value) != len(skills):
            return invalid(f"The result has {len(value)} rows, but there are {len(skills)} candidates.")
        frame = value.copy()
        frame.columns = got
        frame = _align_rows(frame, skills.index)
        for column in want:
            col = frame[column]
            if not (pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col)):
                return invalid(f"Column {column!r} should hold 0 and 1 (or True and False), not {col.dtype} values.")
            values = col.to_numpy(dtype=float)
            if np.isnan(values).any():
                return incorrect(f"column {column!r} has missing values: a candidate without the skill gets 0.")
            exp = expected[column].to_numpy(dtype=float)
            wrong = np.flatnonzero(values != exp)
            if len(wrong):
                row = int(wrong[0])
                text = skills.iloc[row]
                if values[row] == 1 and isinstance(text, str) and column in text:
                    return incorrect(
                        f"{column!r} is marked for a candidate whose skills are {show_value(text)}: the name appears "
                        "inside another skill. Compare whole skills (split the string first), not substrings."
                    )
                return incorrect(
                    f"column {column!r} differs in {len(wrong)} of {len(exp)} rows; the first is the candidate with "
                    f"skills {show_value(text)}."
                )
        return passed()

    @staticmethod
    def _inside() -> Any:
        import pandas as pd

        # "go" is inside "mongodb" and "django": a substring test marks it for all three. A missing value: code that
        # splits every cell crashes, and `fillna(..., inplace=True)` changes the learner's input.
        return pd.Series(["go; sql", "mongodb", None, "django; python"], name="skills")

    def public_tests(self, answer: Any) -> list[Test]:
        return [
            Test(
                "On the skills of another pipeline extract (talent_pipeline(300, seed=7), cleaned)",
                lambda: self._case(answer, _talent_copy(300, 7)["skills"]),
            ),
            Test(
                "On four candidates with the skills 'go', 'mongodb', none (a missing value) and 'django'",
                lambda: self._case(answer, self._inside()),
            ),
        ]

    def public_inputs(self) -> list[Any]:
        return [_talent_copy(300, 7)["skills"], self._inside()]

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        import numpy as np
        import pandas as pd

        seed = int(rng.integers(1_000, 1_000_000))
        # Skill names inside other names ("go" in "mongodb", "sql" in "nosql"), a regex character ("c++"), a
        # missing value, rows numbered from 10.
        fixed = pd.Series(
            ["go; mongodb", "sql; nosql; c++", "c++", np.nan, "product analytics; go"],
            index=[10, 11, 12, 13, 14],
            name="skills",
        )
        return [
            Test(
                f"On another extract (talent_pipeline(200, seed={seed}), cleaned)",
                lambda: self._case(answer, _talent_copy(200, seed)["skills"]),
            ),
            Test(
                "On five candidates with skills such as 'go' and 'mongodb', 'c++', and one missing",
                lambda: self._case(answer, fixed.copy()),
            ),
            Test(
                "On a single candidate",
                lambda: self._case(answer, pd.Series(["python; sql"], index=[7], name="skills")),
            ),
            Test(
                "On three candidates whose skills are written with capitals, 'SQL' beside 'sql'",
                lambda: self._case(answer, pd.Series(["Power BI; SQL", "sql; excel", "Excel"], name="skills")),
            ),
        ]


q1 = SkillIndicators(
    id="q1",
    module=MODULE,
    title="Skills as indicator columns",
    points=2,
    answer_name="skill_indicators",
    implementations=(
        "lepton_training.features.tabular.skill_indicators",
        "lepton_training.features.tabular.split_skills",
    ),
    parameters=("skills",),
    objectives=(2,),
    hints=(
        "Each cell holds several skills in one string. Split it into its skills first, then ask, for each "
        "distinct skill, which candidates have it.",
        "pandas can do both steps at once: `Series.str.get_dummies(sep=...)` splits each string at the separator "
        "and makes one 0/1 column per distinct piece. Substring tests such as `str.contains('go')` also match "
        "'mongodb', and 'c++' is not a valid pattern.",
        "Fill in the blank:\n\n```python\ndef skill_indicators(skills):\n"
        "    return skills.str.get_dummies(sep=____)\n```",
    ),
)


# --- q2: date features ---------------------------------------------------------------------------------------------


class DateFeaturesQuestion(FunctionQuestion):
    """``date_features(frame, as_of)``: applied_month, applied_weekday, days_since_applied."""

    columns = ("applied_month", "applied_weekday", "days_since_applied")

    def _case(self, fn: Any, frame: Any, as_of: Any) -> CheckResult:
        import numpy as np
        import pandas as pd

        from lepton_training.features.tabular import date_features

        given = frame.copy()
        value = fn(given, as_of)
        changed = _changed(given, frame, "table")
        if changed is not None:
            return changed
        if not isinstance(value, pd.DataFrame):
            hint = " Did you forget a `return` statement?" if value is None else ""
            return invalid(f"The result should be a pandas DataFrame, but it is {describe_type(value)}.{hint}")
        got = [str(c) for c in value.columns]
        missing = [c for c in self.columns if c not in got]
        extra = [c for c in got if c not in self.columns]
        if missing or extra:
            parts = ([f"missing column(s) {_names(missing)}"] if missing else []) + (
                [f"unexpected column(s) {_names(extra)}"] if extra else []
            )
            return invalid(f"The result has {' and '.join(parts)}; the columns are {', '.join(self.columns)}.")
        if len(value) != len(frame):
            return invalid(f"The result has {len(value)} rows, but the table has {len(frame)}.")
        result = value.copy()
        result.columns = got
        result = _align_rows(result, frame.index)
        expected = date_features(frame, as_of)
        applied = pd.to_datetime(frame["applied_on"])
        for column in self.columns:
            col = result[column]
            if pd.api.types.is_timedelta64_dtype(col):
                return invalid(f"Column {column!r} holds time differences; take their whole days with `.dt.days`.")
            if not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
                return invalid(f"Column {column!r} should hold whole numbers, not {col.dtype} values.")
            got_values = col.to_numpy(dtype=float)
            exp = expected[column].to_numpy(dtype=float)
            if np.array_equal(got_values, exp):
                continue
            if column == "applied_weekday" and np.array_equal(got_values, exp + 1):
                return incorrect(
                    "applied_weekday counts Monday as 1: count Monday as 0 and Sunday as 6 (`.dt.day_of_week`)."
                )
            if column == "applied_month" and np.array_equal(got_values, exp - 1):
                return incorrect("applied_month counts January as 0: January is 1 and December 12 (`.dt.month`).")
            if column == "days_since_applied":
                if np.array_equal(got_values, -exp):
                    return incorrect("days_since_applied is negative: count from applied_on forward to as_of.")
                latest = (applied.max() - applied).dt.days.to_numpy(dtype=float)
                if np.array_equal(got_values, latest):
                    return incorrect(
                        "days_since_applied is counted to the latest application in the table, not to `as_of`: then "
                        "a candidate's feature depends on which other rows are in the table."
                    )
                now = pd.Timestamp.now().normalize()
                today = (now - applied).dt.days.to_numpy(dtype=float)
                if abs((now - pd.Timestamp(as_of)).days) > 1 and np.abs(got_values - today).max() <= 1:
                    return incorrect(
                        "days_since_applied is counted to today, not to `as_of`: then the same row gets another value "
                        "every day you run the code. Count to the `as_of` the function is given."
                    )
                for fixed in {pd.Timestamp("2026-04-01"), pd.Timestamp("2026-03-31")} - {pd.Timestamp(as_of)}:
                    if np.array_equal(got_values, (fixed - applied).dt.days.to_numpy(dtype=float)):
                        return incorrect(
                            f"days_since_applied is counted to {fixed.date()}, a date written in your code, not to "
                            "the `as_of` the function is given: use the parameter."
                        )
                if np.array_equal(got_values, exp + 1) or np.array_equal(got_values, exp - 1):
                    return incorrect("days_since_applied is off by one day: the whole days of `as_of - applied_on`.")
            wrong = np.flatnonzero(got_values != exp)
            first = applied.iloc[int(wrong[0])].date().isoformat()
            return incorrect(
                f"column {column!r} differs in {len(wrong)} of {len(exp)} rows; the first is an application of {first}."
            )
        return passed()

    def public_tests(self, answer: Any) -> list[Test]:
        import pandas as pd

        as_of = pd.Timestamp("2026-06-30")
        return [
            Test(
                "On another extract (talent_pipeline(300, seed=8), cleaned), as_of 2026-06-30",
                lambda: self._case(answer, _talent_copy(300, 8), as_of),
            )
        ]

    def public_inputs(self) -> list[Any]:
        return [_talent_copy(300, 8)]

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        import pandas as pd

        seed = int(rng.integers(1_000, 1_000_000))
        as_of = pd.Timestamp("2026-04-01") + pd.Timedelta(days=int(rng.integers(0, 400)))
        # A Sunday, a Monday, the last and first days of a year; rows numbered from 20; as_of long after all.
        fixed = _talent_copy(300, 8).head(4).copy()
        fixed["applied_on"] = pd.to_datetime(["2026-03-01", "2026-03-02", "2025-12-31", "2026-01-01"])
        fixed.index = [20, 21, 22, 23]
        return [
            Test(
                f"On another extract (talent_pipeline(250, seed={seed}), cleaned), as_of {as_of.date()}",
                lambda: self._case(answer, _talent_copy(250, seed), as_of),
            ),
            Test(
                "On four applications made on a Sunday, a Monday, Dec 31 and Jan 1, as_of 2027-01-01",
                lambda: self._case(answer, fixed.copy(), pd.Timestamp("2027-01-01")),
            ),
        ]


q2 = DateFeaturesQuestion(
    id="q2",
    module=MODULE,
    title="Date features",
    points=2,
    answer_name="date_features",
    implementations=(
        "lepton_training.features.tabular.date_features",
        "lepton_training.features.tabular.DateFeatures",
    ),
    parameters=("frame", "as_of"),
    objectives=(1,),
    hints=(
        "A date is not a number a model can use as it is, but its parts are: which month, which day of the week, "
        "and how long ago. 'How long ago' needs a fixed reference date: `as_of`.",
        "A datetime column has the `.dt` accessor: `.dt.month`, `.dt.day_of_week` (Monday is 0). Subtracting two "
        "dates gives time differences; their `.dt.days` are whole days. Build the result with "
        "`pd.DataFrame({...}, index=frame.index)`.",
        "Fill in the blanks:\n\n```python\ndef date_features(frame, as_of):\n    applied = frame['applied_on']\n"
        "    return pd.DataFrame({\n        'applied_month': applied.dt.____,\n"
        "        'applied_weekday': applied.dt.____,\n        'days_since_applied': (____ - ____).dt.days,\n"
        "    }, index=frame.index)\n```",
    ),
)


# --- q3: which columns leak? ---------------------------------------------------------------------------------------

# Salted digests of "<column>:leak" or "<column>:known" for every candidate column of clean_talent_pipeline().
_COLUMN_DIGESTS = {
    "candidate_id": "ac01df05ecd4f9cb4d93860b07006bf398d621b39e452ddb597733669452f7f5",
    "email": "ab7bf860efc364c838f96f49c32d3790657bdedbb7ae55c3a4538dea1f2b58c8",
    "channel": "153d55386a9d8cbb0b217d00f1f75039f9a6d5ef2df6d7a3ededc2ad3190e531",
    "role": "808ffe698489e062c72704d79355407524d236c440fcb985ec6b7d4fe8740256",
    "country": "2f358e9752382e39e394d203840ba94033ffeff0dec078e6a48181249bd6fa15",
    "applied_on": "403b4fd7b82f77d17f21cd19bbf2bb0a2754596dc3138de770fb7ce854467416",
    "decided_on": "131c8dc522a4f6e42f04a0e953651007b6edcec71f0c615471301df1164ad058",
    "years_experience": "abf4189712ed33109ac3f2522420e7b97e2c882815d5c756010333d6df8c00e6",
    "education": "1777e0b7491fc94e15aa033a89292208186ce354e8014156265272e070534549",
    "skills": "d64dd392dee7610b9ec9e70d5fe3268c73ad61f8d0f77dfcec30ec4c42a22bb3",
    "assessment_score": "95eceea752dde6479ba3200c0b03abc6f33413ddce2076bee485daabbf1379b5",
    "interview_score": "38bb09e1a0647597e8e01c12fcc5cdc4e6d33c427bee4706bde853bb55aa437d",
    "salary_expectation_usd": "ddc5e368f285ede199f1f1a511f0b542bb96c7ef91d5d122870c5b0d33d15d2b",
    "referral": "546f50f0c8f05b413d09fcb5e8910d848ffec4aef3f76bd6bc0523b481bb98f3",
    "group": "24dd4768b5f68618382b74d2560222dc8f157d56eebad8a5529129070abb7c92",
    "onboarding_date": "9c55dd0f11c2b9da8085806394a250297c38884e0ee56e2f169c588c09d4d34b",
}


class LeakingColumns(LabelSetQuestion):
    """``leaking_columns``: the columns not known when a candidate applies (recorded later, or because of it)."""

    def validate(self, answer: Any) -> CheckResult:
        problem = label_set_problem(
            answer, "leaking_columns", "column names such as {'channel', 'role'}", "a column name written as text"
        )
        if problem is not None:
            return problem
        names = {c.strip() for c in answer}
        if "outcome" in names:
            return invalid("'outcome' is the target itself, not a feature that could leak it: leave it out of the set.")
        unknown = sorted(names - set(_COLUMN_DIGESTS))
        if unknown:
            return invalid(
                f"{_names(unknown)} {'is not a column' if len(unknown) == 1 else 'are not columns'} of "
                "clean_talent_pipeline(); copy the names exactly, as `list(talent.columns)` prints them."
            )
        return passed()

    def chosen(self, answer: Any) -> set[str]:
        return {c.strip() for c in answer} & set(_COLUMN_DIGESTS)

    def key(self) -> set[str]:
        return hashed_members(_COLUMN_DIGESTS, self.full_id, "leak")

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        # At grading, credit for each leak found and none for a column known at application time; the learner
        # sees these counts only in the feedback after grading, when they can no longer be searched.
        chosen, leaks = self.chosen(answer), self.key()
        named, wrong = len(chosen & leaks), len(chosen - leaks)

        def found(k: int) -> CheckResult:
            if named >= k:
                return passed()
            return incorrect(
                f"your set names {named} of the {len(leaks)} leaking columns. For each column ask: is it known on "
                "the day the candidate applies, or is it recorded later, during or after the hiring process?"
            )

        def nothing_known() -> CheckResult:
            if not wrong:
                return passed()
            return incorrect(
                f"{wrong} column{'s' if wrong > 1 else ''} of your set {'are' if wrong > 1 else 'is'} known on the day "
                "the candidate applies, so "
                f"{'they do' if wrong > 1 else 'it does'} not leak: a strong feature is not a leak unless it is "
                "recorded later or because of the outcome."
            )

        return [
            Test("Names at least one leaking column", lambda: found(1)),
            Test("Names at least two", lambda: found(2)),
            Test("Names all of them", lambda: found(len(leaks))),
            Test("Names no column known at application time", nothing_known),
        ]


#: What ``q3.explain()`` shows after an attempt, sealed (:mod:`lepton_training.explanations`); the text is the
#: instructor notebook's cell ``q3-explanation``.
_EXPLANATION_Q3 = (
    "c4Vv6f19Tx2tMfKzOWECSJGdI0YkYxZiSZ/eFGdvkJGzrWGxnijNDb2NFQ3WKYFKt0PSwBWV8s0UlieaNdnAYOLPPT19nWUTlz0F"
    "P/iGvt7Qt4C59bnCJ/pZIfHc2NBH7I/1c4FOkRJZYU5i1pOz+AXWlUEav0KKbgG6v4S7pNmtRrXhs6k9TZgoTHHcLmGUOQ3w2RKq"
    "kUwSEAKf1VY8A+ZJpGyEERyg0SfOklvuiS28erk1lMgk9hJAaf3inG+8OfKkKd6zUKkwr3Ou9DciVKbeb9g2BfjJrKj98KqkiqXu"
    "37ULlu6EGj/gqe1epxTpBnlehmkecdEu1o0on91T40hItE7QeysrE9+NgKt4gryUc71SiNrufQP6nJredG+8sBQZZENcwG6O9zME"
    "NZUkv4RU1+kNp45J8+yYgfq5WPSrMMtC1bNrGtEoBmckhrZVnWfEQFIQcfMuDpVWsBo75J4GA7Adh7tT6Rc5yLPxUnNAPQBPKqIg"
    "1ky2iiOzU7usXnfn1YqF7gd/wFd/4ZAcUDk5llzw8hans8jK5ZiZGpvDkNVFOARGRtgKBvatTK1XHUlAo5ASmocbkB7A+i9ECq0/"
    "1OLO+thfOYPVloGykoXvKF5tndEIj/KQHNT+8OMGz0JzwD70qYb8ifU0spxOpZDB2gr5LOWVHXlut5L088sSsdylQEALwi4v56In"
    "qZuLAUORuJdiGjAs/79USBb8RXpvLgd7yWg8EilkqW1ck8nVP88TNAp0Jd9B2uV3TaREnGhBOEvc1zunKmAfe/2+0AtEPR7wLuL9"
    "3DrYhCT0a83o28gMX9wc4vSGE3h+AJhPWKzb+c0rFQWON0L2eBV2m2mD1WFOjWnypA=="
)


q3 = LeakingColumns(
    id="q3",
    module=MODULE,
    title="Find the leaks",
    points=2,
    answer_name="leaking_columns",
    objectives=(3,),
    labels=tuple(_COLUMN_DIGESTS),
    advice=(
        "not yet right. For each column ask two questions: is it known on the day the candidate applies, and "
        "was it filled in because of what happened to the candidate later?"
    ),
    misconceptions=(
        Misconception(
            "c52f0bc76bfc4a6a9ac63329ab7116f51fe36a2aac68e8ec8493e2ccc0d99e79",
            "it is empty, but some columns of `talent` are only written during or after the hiring process.",
        ),
        Misconception(
            "c4d60acf1e18833f440d00d34577b584a350b2bc5c0d6931c8053acce8358220",
            "you listed every column. Most of them are known the day a candidate applies: a leak is recorded "
            "later, or because of the outcome.",
        ),
        Misconception(
            "716ad1b1124b610597bfb36ce560110e1871fb223c8da2bfb6edf8c2f6e4cebc",
            "you found the leak that is written at the very end of the hiring process. Others are written on the "
            "way there: walk through the process step by step, from the application to the first working day.",
        ),
    ),
    hints=(
        "Picture the day a candidate applies: which of the table's columns could the recruiter already fill in, "
        "and which are only written later, by the interviewers, at the decision or on the first working day?",
        "Two tools help. The data card's column descriptions say when each column is recorded. And the audit "
        "above shows the hiring rate where a column is missing and where it is present: a column whose mere "
        "presence gives the outcome away was written because of it. A date column may leak through its "
        "distance to `applied_on`.",
        'Fill in the blanks with the column names:\n\n```python\nleaking_columns = {"____", "____", "____"}\n```',
    ),
    explanation=unseal(_EXPLANATION_Q3, f"{MODULE}:q3"),
)


# --- q4: a leakage-free model of hiring ----------------------------------------------------------------------------


def _auc(y: Any, p: Any) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, p))


def _probabilities(value: Any, n: int, fn_name: str) -> tuple[Any, CheckResult | None]:
    """Return the learner's predictions as a float array of length n, or an invalid result saying what is wrong."""
    import numpy as np
    import pandas as pd

    if value is None:
        return None, invalid(f"`{fn_name}` returned None. Did you forget a `return` statement?")
    if not isinstance(value, (np.ndarray, list, tuple, pd.Series)):
        return None, invalid(
            f"`{fn_name}` should return a NumPy array of probabilities, but it returned {describe_type(value)}."
        )
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None, invalid(f"`{fn_name}` should return numbers, one probability per row of `test`.")
    if array.ndim == 2 and array.shape == (n, 2):
        return None, invalid(
            f"`{fn_name}` returned two columns, as `predict_proba` gives them: return the second one, the "
            "probability of the positive class, with `[:, 1]`."
        )
    if array.ndim == 2 and array.shape == (n, 1):
        array = array[:, 0]
    if array.shape != (n,):
        return None, invalid(
            f"`{fn_name}` returned {array.size} values for {n} rows of `test`: one per row is expected."
        )
    if np.isnan(array).any():
        return None, invalid(
            f"`{fn_name}` returned {int(np.isnan(array).sum())} missing (NaN) values: are there missing values in "
            "`test` that your features do not handle?"
        )
    if (array < 0).any() or (array > 1).any():
        return None, invalid(
            f"`{fn_name}` returned values outside 0 to 1: return probabilities (`predict_proba(...)[:, 1]`), not "
            "scores or labels."
        )
    if n >= 10 and np.isin(array, (0.0, 1.0)).all():
        return None, incorrect(
            f"`{fn_name}` returned only 0 and 1: decisions (`predict`), not probabilities, which cannot rank the "
            "rows. Return `predict_proba(test)[:, 1]`, the probability of the positive class."
        )
    return array, None


def _band(y: Any, p: Any, reference: float, margin: float, what: str, suspicious: float | None = None) -> CheckResult:

    auc = _auc(y, p)
    if auc < 0.5:
        return incorrect(
            f"the AUC on the held-back rows is {auc:.3f}, below 0.5: the predictions rank the wrong way round. Is "
            f"it the probability of {what}? Take column 1 of `predict_proba`, not column 0."
        )
    if suspicious is not None and auc > reference + suspicious:
        return incorrect(
            f"the AUC on the held-back rows is {auc:.3f}, far above the {reference:.3f} of a reference model of the "
            "columns known at application: too good to be true at application time. Does your model use a column "
            "that is recorded later, such as the interview score?"
        )
    if auc < reference - margin:
        return incorrect(
            f"the AUC on the held-back rows is {auc:.3f}, more than {margin:g} below the {reference:.3f} of the "
            "reference model fit on the same rows. Which useful features are missing or badly prepared?"
        )
    return passed(details=(f"AUC on the held-back rows: {auc:.3f} (reference model: {reference:.3f}).",))


_IGNORES_TRAIN = (
    "your predictions do not follow the `train` table they are given: fit on a `train` whose outcomes are all "
    "reversed, they still rank the test rows as a model fit on real outcomes would (AUC {auc:.3f} against the "
    "reversed outcomes, {reference:.3f} for the reference model fit on that same `train`). Fit on `train` and "
    "take the target from it, not from a table of the notebook ({table}) or from weights found beforehand."
)


def _reversed_train_test(
    predict: Any, data: tuple, reference: Any, culprit: str, description: str, weight: float = 1
) -> Test:
    """Return the test that fits the learner's function on a train table with reversed labels.

    ``data`` is (train, test, the reversed labels of test); the learner's ranking must reverse too, as the
    reference model's (``reference()``, its scores on test) does.
    """

    def run() -> CheckResult:
        train, test, y_reversed = data
        p, problem = predict("reversed", train, test)
        if problem is not None:
            return problem
        return _follows_reversed_train(y_reversed, p, _auc(y_reversed, reference()), culprit)

    return Test(description, run, weight=weight)


def _follows_reversed_train(y_reversed: Any, p: Any, reference: float, table: str) -> CheckResult:
    """Judge predictions from a model fit on a train table whose labels were reversed, against reversed labels."""
    auc = _auc(y_reversed, p)
    if auc < 0.5:
        return incorrect(_IGNORES_TRAIN.format(auc=auc, reference=reference, table=table))
    if auc < reference - 0.05:
        return incorrect(
            f"fit on a `train` whose outcomes are all reversed, your predictions reach an AUC of {auc:.3f} against "
            f"those reversed outcomes, against {reference:.3f} for the reference model fit on the same `train`: "
            "does your function fit on all of `train`, with its target?"
        )
    return passed()


class _Predictions:
    """Calls the learner's function once per distinct (train, test) case of one grading, and validates the result."""

    def __init__(self, fn: Any, fn_name: str):
        self.fn = fn
        self.fn_name = fn_name
        self.memo: dict[str, tuple[Any, CheckResult | None]] = {}

    def __call__(self, key: str, train: Any, test: Any) -> tuple[Any, CheckResult | None]:
        if key not in self.memo:
            given_train, given_test = train.copy(), test.copy()
            value = self.fn(given_train, given_test)
            # Not `a or b`: a CheckResult that did not pass is false.
            changed = _changed(given_test, test, "`test` table")
            if changed is None:
                changed = _changed(given_train, train, "`train` table")
            if changed is not None:
                self.memo[key] = (None, changed)
            else:
                self.memo[key] = _probabilities(value, len(test), self.fn_name)
        return self.memo[key]


def _shuffled(frame: Any, columns: tuple[str, ...], seed: int) -> Any:
    """Return a copy of ``frame`` whose given columns are each permuted over the rows (other columns untouched)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    out = frame.copy()
    for column in columns:
        out[column] = out[column].to_numpy()[rng.permutation(len(out))]
    return out


def _same(a: Any, b: Any) -> bool:
    import numpy as np

    return bool(np.allclose(a, b, rtol=0, atol=1e-6))


def _invariance(
    predict: _Predictions, key: str, train: Any, test: Any, columns: tuple[str, ...], why: str
) -> CheckResult:
    base, problem = predict(key, train, test)
    if problem is not None:
        return problem
    # One probe shuffles every column the model must ignore: both invariance tests share it.
    every = _LEAKS + _NOT_FEATURES
    probe, problem = predict(f"{key}:shuffled", train, _shuffled(test, every, 11))
    if problem is not None:
        return problem
    if _same(base, probe):
        return passed()
    used = []
    for column in columns:  # find which one, only when something changed
        one, problem = predict(f"{key}:shuffled:{column}", train, _shuffled(test, (column,), 11))
        if problem is None and not _same(base, one):
            used.append(column)
    if not used:
        return passed()  # the change came from the other test's columns
    named = ", ".join(f"`{c}`" for c in used)
    verb = "is" if len(used) == 1 else "are"
    return incorrect(f"the predictions change when {named} of `test` {verb} shuffled: {why}")


def _alone_rows(test: Any, k: int) -> Any:
    """Positions of ``k`` rows of ``test`` to score on their own: the first ones, with a row of missing numbers.

    A row with a missing number among them makes an imputer fit on ``test`` (its median) show, as a scaler or an
    encoder fit on ``test`` shows on any rows.
    """
    import numpy as np

    rows = list(range(min(k, len(test))))
    numbers = [c for c in _NUMBERS if c in test.columns]
    if numbers:
        missing = np.flatnonzero(test[numbers].isna().any(axis=1).to_numpy())
        if len(missing) and not set(missing) & set(rows):
            rows[-1] = int(missing[0])
    return rows


def _alone(predict: _Predictions, key: str, train: Any, test: Any, k: int) -> CheckResult:
    base, problem = predict(key, train, test)
    if problem is not None:
        return problem
    rows = _alone_rows(test, k)
    part, problem = predict(f"{key}:first{k}", train, test.iloc[rows])
    if problem is not None:
        return problem
    if _same(base[rows], part):
        return passed()
    return incorrect(
        f"{k} rows of `test` get other predictions when they are scored on their own: something is fit "
        "on the test rows (a scaler, an imputer, an encoder, `get_dummies`, a vectorizer). Fit every step on "
        "`train` only, then only transform `test`: put them in one Pipeline."
    )


_LEAK_WHY = (
    "the model uses it, but it is recorded after the candidate applies (it leaks the outcome). Leave it out of "
    "the features."
)
_ID_WHY = (
    "identifiers say nothing about a candidate, and the group attribute must not drive hiring decisions. Leave "
    "them out of the features."
)


def _odd_rows(n: int, seed: int) -> Any:
    """Six test rows: a country, a role and a skill never seen in training, and a candidate with no numbers."""
    import numpy as np

    odd = _talent_copy(n, seed).drop(columns="outcome").head(6).copy()
    odd.loc[odd.index[0], "country"] = "Japan"
    odd.loc[odd.index[1], "role"] = "robotics engineer"
    odd.loc[odd.index[2], "skills"] = "rust; julia"
    odd.loc[odd.index[3], list(_NUMBERS)] = np.nan
    return odd


def _shuffle_changes(frame: Any, columns: tuple[str, ...]) -> bool:
    """Whether shuffling moves a value in each of these columns: what an invariance test's description promises."""
    shuffled = _shuffled(frame, columns, 11)
    return all(not frame[c].reset_index(drop=True).equals(shuffled[c].reset_index(drop=True)) for c in columns)


def _odd_rows_are_odd(train: Any, odd: Any) -> bool:
    """Whether the rows of :func:`_odd_rows` hold what they say against this ``train``: unseen levels, no numbers."""
    skills = {s for text in train["skills"].dropna() for s in str(text).split("; ")}
    numbers = list(_NUMBERS)
    return (
        odd["country"].iloc[0] not in set(train["country"])
        and odd["role"].iloc[1] not in set(train["role"])
        and not set(str(odd["skills"].iloc[2]).split("; ")) & skills
        and bool(odd[numbers].iloc[3].isna().all())
    )


def _unseen(predict: _Predictions, train: Any, odd: Any) -> CheckResult:
    try:
        _, problem = predict("odd", train, odd)
    except ValueError as exc:
        if "unknown categor" not in str(exc).lower() and "not in" not in str(exc).lower():
            raise
        return incorrect(
            "your code raised ValueError on a test row whose country ('Japan') or role was never seen in `train`: "
            "a model in use meets new levels. Tell the encoder what to do with them, such as "
            "`OneHotEncoder(handle_unknown='ignore')` (all zeros) or `'infrequent_if_exist'`."
        )
    return problem if problem is not None else passed()


class FitAndScore(FunctionQuestion):
    """``fit_and_score(train, test)``: probabilities of being hired for ``test``, from a model fit on ``train``."""

    def _tests(self, answer: Any, key: str, train_spec: tuple[int, int], test_spec: tuple[int, int]) -> list[Test]:
        predict = _Predictions(answer, "fit_and_score")
        train = _talent_copy(*train_spec)
        labelled = _talent_copy(*test_spec)
        y = (labelled["outcome"] == "hired").to_numpy().astype(int)
        test = labelled.drop(columns="outcome")

        def band() -> CheckResult:
            from lepton_training.features.tabular import talent_model

            p, problem = predict(key, train, test)
            if problem is not None:
                return problem
            reference_model = talent_model(["numeric", "categorical", "referral"])
            reference = _auc(y, reference_model.fit(train, train["outcome"] == "hired").predict_proba(test)[:, 1])
            return _band(y, p, reference, AUC_MARGIN_TALENT, "being hired", AUC_SUSPICIOUS)

        where = (
            f"talent_pipeline({train_spec[0]}, seed={train_spec[1]}) to "
            f"talent_pipeline({test_spec[0]}, seed={test_spec[1]})"
        )
        band_test = Test(f"AUC close to the reference model, fit on {where}", band, weight=3)

        def ranks(check: Any) -> Any:
            """Run an invariance test only on predictions that rank the candidates: a constant is invariant too."""

            def run() -> CheckResult:
                p, problem = predict(key, train, test)
                if problem is not None:
                    return problem
                if _auc(y, p) < AUC_INFORMATIVE:
                    return incorrect(
                        f"the predictions rank these candidates no better than chance (AUC {_auc(y, p):.3f}), so "
                        "that they stay the same tells nothing. Fit a model on `train` and score `test` with it."
                    )
                return check()

            return run

        # The leak test comes first: its message names the column, where the band only says "too good".
        return [
            Test(
                "Predictions unchanged when the columns recorded after applying are shuffled",
                ranks(lambda: _invariance(predict, key, train, test, _LEAKS, _LEAK_WHY)),
                # A leak is the mistake this exercise is about: it costs more than a weak model.
                weight=10,
                premise=lambda: _shuffle_changes(test, _LEAKS),
            ),
            Test(
                "Predictions unchanged when identifiers and the group attribute are shuffled",
                ranks(lambda: _invariance(predict, key, train, test, _NOT_FEATURES, _ID_WHY)),
                weight=3,
                premise=lambda: _shuffle_changes(test, _NOT_FEATURES),
            ),
            Test(
                "A row gets the same prediction scored alone or with others",
                ranks(lambda: _alone(predict, key, train, test, 5)),
                weight=10,  # preparation fit on the test rows is a leak too
                premise=lambda: len(test) > 5,
            ),
            Test(
                "On test rows with an unseen country, role and skill, and a row with no numbers",
                lambda: _unseen(predict, train, _odd_rows(test_spec[0], test_spec[1])),
                weight=6,
                premise=lambda: _odd_rows_are_odd(train, _odd_rows(test_spec[0], test_spec[1])),
            ),
            band_test,
        ]

    def public_tests(self, answer: Any) -> list[Test]:
        return self._tests(answer, "public", (1500, 31), (1000, 32))

    def public_inputs(self) -> list[Any]:
        return [_talent_copy(1500, 31), _talent_copy(1000, 32).drop(columns="outcome")]

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        s1, s2 = (int(s) for s in rng.integers(1_000, 1_000_000, 2))
        # Every test of the public check again, on a new split (leaks and fit-on-test cost as much at every seed),
        # then a row scored alone among odd rows and a train table the notebook never had.
        tests = self._tests(answer, "hidden", (1500, s1), (1000, s2))
        train = _talent_copy(1500, s1)
        odd = _odd_rows(1000, s2)
        predict = _Predictions(answer, "fit_and_score")

        def one_row() -> CheckResult:
            together, problem = predict("odd", train, odd)
            if problem is not None:
                return problem
            alone, problem = predict("one", train, odd.iloc[[4]])
            if problem is not None:
                return problem
            if _same(together[4:5], alone):
                return passed()
            return incorrect(
                "a candidate scored alone gets another prediction than with others: something is fit on the test "
                "rows. Fit every step on `train` only."
            )

        return tests + [
            Test(
                "On a test table of one row, against the same row scored with others",
                one_row,
                weight=4,
                premise=lambda: len(odd) > 4,
            ),
            self._reversed_test(answer, s1, s2),
        ]

    def _reversed_test(self, answer: Any, s1: int, s2: int) -> Test:
        """Return the test on a train table the notebook never had: every outcome reversed (hired <-> not hired)."""
        train = _talent_copy(1500, s1)
        train["outcome"] = train["outcome"].map(lambda o: "rejected" if o == "hired" else "hired")
        labelled = _talent_copy(1000, s2)
        y_reversed = (labelled["outcome"] != "hired").to_numpy().astype(int)
        test = labelled.drop(columns="outcome")

        def reference() -> Any:
            from lepton_training.features.tabular import talent_model

            model = talent_model(["numeric", "categorical", "referral"]).fit(train, train["outcome"] == "hired")
            return model.predict_proba(test)[:, 1]

        return _reversed_train_test(
            _Predictions(answer, "fit_and_score"),
            (train, test, y_reversed),
            reference,
            "`talent`",
            f"Fit on talent_pipeline(1500, seed={s1}) with every outcome reversed (hired <-> not hired): the "
            "ranking reverses too",
            weight=4,
        )


q4 = FitAndScore(
    id="q4",
    module=MODULE,
    title="A leakage-free hiring model",
    points=3,
    answer_name="fit_and_score",
    implementations=(
        "lepton_training.features.tabular.talent_model",
        "lepton_training.features.tabular.talent_preprocessor",
    ),
    parameters=("train", "test"),
    objectives=(1, 3),
    hints=(
        "Three things make it honest: use only the columns known when a candidate applies; fit every "
        "preparation step (imputer, scaler, encoder) on `train` only; and let one object do both, so that "
        "`test` is only transformed.",
        "A `ColumnTransformer` sends each list of columns to its own preparation: numbers to "
        "`make_pipeline(SimpleImputer(strategy='median'), StandardScaler())`, categories to "
        "`OneHotEncoder(handle_unknown='ignore')`. Put it and a `LogisticRegression(max_iter=1000)` in one "
        "`make_pipeline(...)`, call `.fit(train, y)` and return `.predict_proba(test)[:, 1]`.",
        "Fill in the blanks:\n\n```python\ndef fit_and_score(train, test):\n"
        "    numeric = [____]\n    categorical = [____]\n    features = ColumnTransformer([\n"
        "        ('num', make_pipeline(SimpleImputer(strategy='median'), StandardScaler()), numeric),\n"
        "        ('cat', OneHotEncoder(handle_unknown='ignore'), categorical),\n    ])\n"
        "    model = make_pipeline(features, LogisticRegression(max_iter=1000))\n"
        "    model.fit(train, ____)\n    return model.predict_proba(____)[:, 1]\n```",
    ),
)


# --- q5: text features for the feedback comments -------------------------------------------------------------------


#: How far the mean predicted probability may be from the share of positive training comments. Fit on the stated
#: label, the reference model and other usual models stay within 0.03; ``rating > 4`` is about 0.09 below.
SHARE_MARGIN = 0.05


def _positive_share(p: Any, train: Any, with_fours_as_fives: Any = None) -> CheckResult:
    """Compare the mean prediction with the share of comments rated 4 or 5 in ``train`` (the stated label).

    ``with_fours_as_fives`` returns the learner's predictions after a fit on ``train`` with every 4 rated 5 (or
    None): where `rating > 4` and `rating >= 4` then agree, a learner whose mean comes right used `rating > 4`.
    """
    import numpy as np

    mean, positive = float(np.mean(p)), float((train["rating"] >= 4).mean())
    if abs(mean - positive) <= SHARE_MARGIN:
        return passed()
    said = (
        f"the mean predicted probability of a positive comment is {mean:.2f}, but {positive:.0%} of the training "
        "comments are rated 4 or 5."
    )
    probe = with_fours_as_fives() if with_fours_as_fives is not None else None
    if probe is not None and abs(float(np.mean(probe)) - positive) <= SHARE_MARGIN:
        return incorrect(
            f"{said} Fit on the same comments with every 4 rated 5, it comes right: is the label `rating > 4`? A "
            "rating of 4 is positive too (`>= 4`)."
        )
    return incorrect(
        f"{said} The probabilities are shifted: class weights (`class_weight='balanced'`), resampling the classes "
        "or another label than `rating >= 4` each move them away from the share of positive comments. Fit the "
        "stated label on the comments as they are."
    )


def _odd_comments_are_odd(train: Any, odd: Any) -> bool:
    """Whether the odd comments are what their test says: empty, of words no training comment has, in capitals."""
    import re

    words = {w for text in train["comment"] for w in re.findall(r"\w+", str(text).lower())}
    empty, unknown, capitals = (str(c) for c in odd["comment"].iloc[:3])
    return empty == "" and not set(re.findall(r"\w+", unknown.lower())) & words and capitals.isupper()


class CommentFitAndScore(FunctionQuestion):
    """``comment_fit_and_score(train, test)``: probability that each test comment is positive (rating 4 or 5)."""

    def _tests(self, answer: Any, key: str, train_spec: tuple[int, int], test_spec: tuple[int, int]) -> list[Test]:
        predict = _Predictions(answer, "comment_fit_and_score")
        train = _comments(*train_spec).copy()
        labelled = _comments(*test_spec)
        y = (labelled["rating"] >= 4).to_numpy().astype(int)
        test = labelled.drop(columns="rating")

        def band() -> CheckResult:
            from lepton_training.features.text import comment_model

            p, problem = predict(key, train, test)
            if problem is not None:
                return problem
            model = comment_model().fit(train["comment"], train["rating"] >= 4)
            reference = _auc(y, model.predict_proba(test["comment"])[:, 1])
            return _band(y, p, reference, AUC_MARGIN_COMMENTS, "a positive rating")

        where = (
            f"the English comments of training_feedback({train_spec[0]}, seed={train_spec[1]}) to those of "
            f"training_feedback({test_spec[0]}, seed={test_spec[1]})"
        )

        def share() -> CheckResult:
            p, problem = predict(key, train, test)
            if problem is not None:
                return problem

            def with_fours_as_fives() -> Any:
                probe, problem = predict(f"{key}:fours", train.assign(rating=train["rating"].replace(4, 5)), test)
                return probe if problem is None else None

            return _positive_share(p, train, with_fours_as_fives)

        return [
            Test(f"AUC close to the reference model, fit on {where}", band, weight=2),
            Test(
                "A comment gets the same prediction scored alone or with others",
                lambda: _alone(predict, key, train, test, 5),
                premise=lambda: len(test) > 5,
            ),
            Test(
                "The mean predicted probability is near the share of positive comments in `train`",
                share,
                # It separates the stated label from `rating > 4` only where their shares are apart.
                premise=lambda: abs((train["rating"] >= 4).mean() - (train["rating"] > 4).mean()) > SHARE_MARGIN,
            ),
        ]

    def public_tests(self, answer: Any) -> list[Test]:
        return self._tests(answer, "public", (1100, 41), (800, 42))

    def public_inputs(self) -> list[Any]:
        return [_comments(1100, 41), _comments(800, 42).drop(columns="rating")]

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        s1, s2 = (int(s) for s in rng.integers(1_000, 1_000_000, 2))
        tests = self._tests(answer, "hidden", (1100, s1), (800, s2))
        train = _comments(1100, s1).copy()
        odd = _comments(200, s2).drop(columns="rating").head(4).copy()
        odd.loc[odd.index[0], "comment"] = ""
        odd.loc[odd.index[1], "comment"] = "Zxqv blorf wibble."
        odd.loc[odd.index[2], "comment"] = "NOT HELPFUL AT ALL!!!"
        predict = _Predictions(answer, "comment_fit_and_score")

        def odd_comments() -> CheckResult:
            _, problem = predict("odd", train, odd)
            return problem if problem is not None else passed()

        return tests + [
            Test(
                "On an empty comment, one of unknown words and one in capitals",
                odd_comments,
                premise=lambda: _odd_comments_are_odd(train, odd),
            ),
            self._reversed_test(answer, s1, s2),
        ]

    def _reversed_test(self, answer: Any, s1: int, s2: int) -> Test:
        """Return the test on a train table the notebook never had: every rating mirrored (1 <-> 5, 2 <-> 4)."""
        train = _comments(1100, s1).copy()
        train["rating"] = 6 - train["rating"]
        labelled = _comments(800, s2)
        y_reversed = (6 - labelled["rating"] >= 4).to_numpy().astype(int)
        test = labelled.drop(columns="rating")

        def reference() -> Any:
            from lepton_training.features.text import comment_model

            model = comment_model().fit(train["comment"], train["rating"] >= 4)
            return model.predict_proba(test["comment"])[:, 1]

        return _reversed_train_test(
            _Predictions(answer, "comment_fit_and_score"),
            (train, test, y_reversed),
            reference,
            "`english` or `train_sentiment_model()`",
            f"Fit on the comments of training_feedback(1100, seed={s1}) with every rating mirrored (1 <-> 5, "
            "2 <-> 4): the ranking reverses too",
        )


q5 = CommentFitAndScore(
    id="q5",
    module=MODULE,
    title="Text features for comments",
    points=3,
    answer_name="comment_fit_and_score",
    implementations=(
        "lepton_training.features.text.tokenize",
        "lepton_training.features.text.lexicon_scores",
        "lepton_training.features.text.LexiconScore",
        "lepton_training.features.text.comment_model",
        "lepton_training.features.text.cv_comment_auc",
        "lepton_training.features.sentiment.train_sentiment_model",
    ),
    parameters=("train", "test"),
    objectives=(2,),
    hints=(
        "A model needs numbers: turn each comment into counts of its words, learned from the training comments "
        "only. Single words miss 'not helpful'; pairs of words catch it.",
        "`TfidfVectorizer(ngram_range=(1, 2))` makes one column per word and per pair of adjacent words, weighted "
        "by how rare they are; it learns its vocabulary in `fit`. Put it and a `LogisticRegression` in one "
        "`make_pipeline(...)`, fit it on `train['comment']` and the target `train['rating'] >= 4`.",
        "Fill in the blanks:\n\n```python\ndef comment_fit_and_score(train, test):\n"
        "    model = make_pipeline(TfidfVectorizer(ngram_range=____), LogisticRegression(C=10, max_iter=1000))\n"
        "    model.fit(train[____], train['rating'] >= ____)\n"
        "    return model.predict_proba(test['comment'])[:, ____]\n```",
    ),
)


# --- q6: the value of each feature group ---------------------------------------------------------------------------


#: How close the value of a group that carries signal must be to the reference model's (any reasonable model of the
#: same columns lands within it), and how near 0 a group of noise or a redundant copy must stay.
VALUE_MARGIN = 0.07
ZERO_MARGIN = 0.025
#: How far from 0 a near copy's 'dropped' value may be: a forest refit on other columns varies by a few hundredths.
COPY_MARGIN = 0.06


#: Names the groups of q6's tables take, drawn anew for each seed: an answer pasted from one table has other group
#: names, and other roles behind them, than the next table's (a constant answer earns nothing).
_GROUP_NAMES = ("experience", "skills", "region", "tenure", "schooling", "channel", "salary", "season", "network")
_ROLES = ("signal", "shared", "copy", "noise")


@functools.lru_cache(maxsize=16)
def _group_tables(seed: int, n_train: int = 150, n_valid: int = 1000) -> tuple[Any, Any, dict, dict[str, str]]:
    """Return (train, valid, groups, names): numeric columns with planted signal, a 0/1 ``hired``, four groups.

    ``names`` maps each role to its group's name at this seed (the names and their order are drawn from the seed):

    * ``signal``: two columns the outcome depends on, not shared with any other group;
    * ``shared`` and ``copy``: one column each, one a near copy of the other, the outcome depends on it: each is
      worth a lot alone and nothing once the other is in the model;
    * ``noise``: 30 columns of pure noise, which a model fit on 150 rows partly memorizes: worth nothing or less on
      validation rows, something on the training rows.
    """
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng([seed, 6])
    names = dict(zip(_ROLES, (str(x) for x in rng.choice(_GROUP_NAMES, size=4, replace=False)), strict=True))
    n = n_train + n_valid
    signal = rng.normal(size=(n, 2))
    shared = rng.normal(size=n)
    noise = rng.normal(size=(n, 30))
    z = 1.0 * signal[:, 0] + 0.7 * signal[:, 1] + 0.9 * shared + rng.logistic(size=n) * 0.7
    copy = shared + rng.normal(0, 0.05, n)
    columns = {
        "signal": signal.T,
        "shared": [shared],
        "copy": [copy],
        "noise": noise.T,
    }
    frame = pd.DataFrame(
        {f"{names[role]}_{k}": values for role in _ROLES for k, values in enumerate(columns[role], start=1)}
    )
    frame["hired"] = (z > np.quantile(z, 0.7)).astype(int)
    groups = {
        names[role]: [f"{names[role]}_{k}" for k in range(1, len(columns[role]) + 1)]
        for role in rng.permutation(_ROLES)
    }
    train = frame.iloc[:n_train].reset_index(drop=True)
    valid = frame.iloc[n_train:].reset_index(drop=True)
    return train, valid, groups, names


_MEASURES = ("dropped", "permuted")


def _aucs_or_flipped(measure: str, got: dict, ref: dict, n: dict, how: str) -> CheckResult | None:
    """Name the two mistakes both of q6's measures share: AUCs instead of drops, and drops with the sign flipped."""
    if got["noise"] > 0.5 and got["signal"] > 0.5:
        return incorrect(
            f"{measure!r} holds AUCs (the noise group {n['noise']!r} gets {got['noise']:.3f}): a group's value is "
            f"how much the AUC drops when it is {how}, the AUC before minus the AUC after."
        )
    if got["signal"] < -ZERO_MARGIN and abs(got["signal"] + ref["signal"]) <= VALUE_MARGIN:
        return incorrect(
            f"{measure!r}: the signs are flipped. A group's value is the AUC as it is minus the AUC when the group is "
            f"{how}, so a group that matters has a positive value."
        )
    return None


def _signal_in_range(measure: str, got: dict, ref: dict, n: dict, question: str) -> CheckResult | None:
    """Judge the value of the group the outcome depends on against a logistic regression's.

    Any classifier is accepted: a forest of 150 rows values the signal lower than a logistic regression does, so
    only a value far below it (or above it) is a mistake.
    """
    if ref["signal"] / 3 <= got["signal"] <= ref["signal"] + VALUE_MARGIN:
        return None
    return incorrect(
        f"{measure!r}: the group {n['signal']!r} is worth {got['signal']:.3f}, against {ref['signal']:.3f} for a "
        f"logistic regression of the same columns. {question}"
    )


class GroupValue(FunctionQuestion):
    """``group_value(train, valid, groups)``: two values per group of columns, both drops in validation AUC.

    ``dropped``: when the group is left out and the model refit; ``permuted``: when its columns are shuffled for one
    fitted model.
    """

    def _table(self, fn: Any, train: Any, valid: Any, groups: dict) -> tuple[Any, CheckResult | None]:
        """Call the learner's function and return {measure: {group: value}}, or a result saying what is wrong."""
        import copy

        import pandas as pd

        given = (train.copy(), valid.copy(), copy.deepcopy(groups))
        value = fn(*given)
        for table, original, what in ((given[0], train, "`train` table"), (given[1], valid, "`valid` table")):
            changed = _changed(table, original, what)
            if changed is not None:
                return None, changed
        if isinstance(value, dict) and set(map(str, value)) == set(_MEASURES):
            value = pd.DataFrame({str(k): v for k, v in value.items()})
        if not isinstance(value, pd.DataFrame):
            hint = " Did you forget a `return` statement?" if value is None else ""
            return None, invalid(
                "`group_value` should return a DataFrame with one row per group and the columns 'dropped' and "
                f"'permuted', but it returned {describe_type(value)}.{hint}"
            )
        columns = [str(c) for c in value.columns]
        if sorted(columns) != sorted(_MEASURES):
            return None, invalid(
                f"The result has the columns {_names(columns)}; it should have exactly 'dropped' (the value when the "
                "group is left out) and 'permuted' (when its columns are shuffled)."
            )
        keys = [str(k) for k in value.index]
        missing = [g for g in groups if g not in keys]
        extra = sorted(set(keys) - set(groups))
        if missing or extra:
            parts = ([f"no row for {_names(missing)}"] if missing else []) + (
                [f"rows that are not groups: {_names(extra)}"] if extra else []
            )
            return None, invalid(f"The result has {' and '.join(parts)}; one row per group of `groups`, by name.")
        out: dict[str, dict[str, float]] = {m: {} for m in _MEASURES}
        frame = value.copy()
        frame.columns, frame.index = columns, keys
        for measure in _MEASURES:
            for group in groups:
                result = check_number(
                    frame.loc[group, measure], 0.0, atol=1.0, name=f"The {measure} value of {group!r}"
                )
                if result.status == "invalid":
                    return None, result
                out[measure][group] = float(frame.loc[group, measure])
        return out, None

    @staticmethod
    def _dropped(got: dict, ref: dict, n: dict) -> CheckResult:
        """Judge 'dropped'; ``got`` and ``ref`` by role, ``n`` the name of each role's group."""
        problem = _aucs_or_flipped("dropped", got, ref, n, "left out (and the model refit without it)")
        if problem is not None:
            return problem
        if got["shared"] > 0.1 and got["copy"] > 0.1:
            return incorrect(
                f"'dropped': {n['shared']!r} and {n['copy']!r} are worth {got['shared']:.3f} and {got['copy']:.3f}, "
                "but each is a "
                "near copy of the other: with one in the model, the other adds nothing. Is each group scored alone? "
                "Its value is what it adds to all the others: leave it out of the full model."
            )
        if got["noise"] > ZERO_MARGIN:
            return incorrect(
                f"'dropped': {n['noise']!r}, 30 columns of pure noise, is worth {got['noise']:.3f}. Is the AUC "
                "measured on the "
                "training rows? A model partly memorizes its training rows, noise included; measure on `valid`, "
                "rows it never saw."
            )
        problem = _signal_in_range(
            "dropped",
            got,
            ref,
            n,
            "Is the model fit on every column of every group, refit without the group, and both scored by AUC on "
            "`valid` with the probability of `hired`?",
        )
        if problem is not None:
            return problem
        for g in ("shared", "copy"):
            if abs(got[g]) > COPY_MARGIN:
                return incorrect(
                    f"'dropped': the group {n[g]!r} is worth {got[g]:.3f}, where a model that has every other group "
                    f"loses almost nothing without it ({ref[g]:+.3f} for a logistic regression). Is the model without "
                    f"{n[g]!r} fit on all the other groups' columns?"
                )
        return passed(
            details=(f"dropped: {n['signal']!r} {got['signal']:.3f} (logistic regression: {ref['signal']:.3f}).",)
        )

    @staticmethod
    def _permuted(got: dict, ref: dict, n: dict) -> CheckResult:
        """Judge 'permuted'; ``got`` and ``ref`` by role, ``n`` the name of each role's group."""
        problem = _aucs_or_flipped("permuted", got, ref, n, "shuffled among the rows of `valid`")
        if problem is not None:
            return problem
        if abs(got["signal"]) <= 0.01:
            return incorrect(
                f"'permuted': shuffling the group {n['signal']!r} changes nothing. Are whole rows shuffled (the "
                "target with "
                "them), or is the model refit on the shuffled table? Shuffle only the group's columns of `valid`, keep "
                "every other column and `hired` in place, and score the model fitted once on `train`."
            )
        if got["shared"] + got["copy"] < 0.03:
            return incorrect(
                f"'permuted': {n['shared']!r} and {n['copy']!r} are worth {got['shared']:.3f} and {got['copy']:.3f}, "
                "but the fitted "
                "model uses them: shuffling one of them alone breaks its predictions. Nothing is refit in permutation "
                "importance: that measures what the data adds ('dropped'), not what this model uses."
            )
        problem = _signal_in_range(
            "permuted",
            got,
            ref,
            n,
            "Are all of its columns shuffled together, with the same order of rows, and is the drop averaged over "
            "several shuffles?",
        )
        if problem is not None:
            return problem
        if abs(got["noise"]) > ZERO_MARGIN:
            return incorrect(
                f"'permuted': {n['noise']!r}, 30 columns of pure noise, is worth {got['noise']:.3f}, where a model "
                "uses it very "
                f"little ({ref['noise']:+.3f} for a logistic regression). Is the AUC measured on `valid`, with every "
                "other column as it was?"
            )
        return passed(
            details=(f"permuted: {n['signal']!r} {got['signal']:.3f} (logistic regression: {ref['signal']:.3f}).",)
        )

    def _tests(self, answer: Any, seed: int, where: str) -> list[Test]:
        memo: dict[str, Any] = {}

        def table() -> tuple[Any, CheckResult | None]:
            if "value" not in memo:
                memo["value"] = self._table(answer, *_group_tables(seed)[:3])
            return memo["value"]

        def judge(measure: str) -> CheckResult:
            from lepton_training.features.tabular import drop_group_values, permutation_group_values

            got, problem = table()
            if problem is not None:
                return problem
            train, valid, groups, names = _group_tables(seed)
            reference = (drop_group_values if measure == "dropped" else permutation_group_values)(train, valid, groups)
            by_role = {role: got[measure][name] for role, name in names.items()}
            ref = {role: reference[name] for role, name in names.items()}
            judge_one = self._dropped if measure == "dropped" else self._permuted
            return judge_one(by_role, ref, names)

        return [
            Test(f"'dropped', {where}", lambda: judge("dropped"), weight=3),
            Test(f"'permuted', {where}", lambda: judge("permuted"), weight=3),
        ]

    def public_tests(self, answer: Any) -> list[Test]:
        where = "on 150 training and 1,000 validation rows with a signal group, near copies and noise (seed 5)"
        return self._tests(answer, 5, where)

    def public_inputs(self) -> list[Any]:
        return list(_group_tables(5)[:3])

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        s1, s2 = (int(s) for s in rng.integers(1_000, 1_000_000, 2))
        tests = []
        for s in (s1, s2):
            tests += self._tests(answer, s, f"on tables with a signal group, near copies and noise (seed {s})")
        return tests


q6 = GroupValue(
    id="q6",
    module=MODULE,
    title="What each feature group is worth, and what the model uses",
    points=3,
    answer_name="group_value",
    implementations=(
        "lepton_training.features.tabular.group_values",
        "lepton_training.features.tabular.drop_group_values",
        "lepton_training.features.tabular.permutation_group_values",
        "lepton_training.features.tabular.cv_auc",
        "lepton_training.features.tabular.talent_model",
        "lepton_training.features.tabular.talent_preprocessor",
    ),
    parameters=("train", "valid", "groups"),
    objectives=(4,),
    hints=(
        "Two measures, both scored by AUC on `valid`. 'dropped': fit the model with every group and the model without "
        "this one on `train`; the difference is what the group adds. 'permuted': fit one model once, then shuffle "
        "this group's columns in a copy of `valid` and see how much its AUC drops (average a few shuffles).",
        "List every column with `[c for cols in groups.values() for c in cols]`. A helper `auc(model, columns, "
        "frame)` returning `roc_auc_score(frame['hired'], model.predict_proba(frame[columns])[:, 1])` serves both. "
        "`valid[cols].to_numpy()[rng.permutation(len(valid))]` shuffles a group's columns together.",
        "Fill in the blanks:\n\n```python\ndef group_value(train, valid, groups):\n"
        "    every = [c for cols in groups.values() for c in cols]\n\n    def fit(columns):\n"
        "        return LogisticRegression(max_iter=1000).fit(train[columns], train['hired'])\n\n"
        "    def auc(model, columns, frame):\n"
        "        return roc_auc_score(frame['hired'], model.predict_proba(frame[columns])[:, 1])\n\n"
        "    full = fit(every)\n    full_auc = auc(full, every, valid)\n    rng = np.random.default_rng(0)\n"
        "    rows = {}\n    for g, cols in groups.items():\n"
        "        others = [c for c in every if c not in cols]\n"
        "        dropped = full_auc - auc(fit(____), others, valid)\n        drops = []\n"
        "        for _ in range(10):\n            shuffled = valid.copy()\n"
        "            shuffled[cols] = valid[cols].to_numpy()[rng.permutation(len(valid))]\n"
        "            drops.append(full_auc - auc(____, every, shuffled))\n"
        "        rows[g] = {'dropped': dropped, 'permuted': np.mean(drops)}\n"
        "    return pd.DataFrame.from_dict(rows, orient='index')\n```",
    ),
)

exercises = ExerciseSet(MODULE, [q1, q2, q3, q4, q5, q6])


def progress():
    """Show which questions of this module pass their public checks, and the points at stake.

    Returns
    -------
    lepton_training.exercises.Progress
    """
    return exercises.progress()
