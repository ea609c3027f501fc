"""Checks: compare a learner's answer with what is expected and say precisely what differs.

Every check returns a :class:`CheckResult` and never raises for a wrong answer. A result has one of three
statuses, in the order a check decides them:

``"invalid"``
    The answer is not the kind of thing asked for (wrong type, wrong shape, a missing column). Nothing is
    compared, because the comparison would not mean anything.
``"incorrect"``
    The answer is well-formed but differs from what is expected; the message says where (which element,
    which column, which row) without giving the expected value away.
``"passed"``
    The answer matches, within the stated tolerance.

The same helpers serve the learner's instant ``check()`` and the nbgrader test cells, so the two cannot
disagree. Expected values are never stored in the package in plain text: a question recomputes them from the
inputs it gives the learner's code, checks properties, or compares salted hashes (:func:`answer_digest`).

Comparisons never call the answer's own ``__eq__``: an object that claims to equal everything is invalid,
not correct.
"""

from __future__ import annotations

import hashlib
import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

__all__ = [
    "CheckResult",
    "passed",
    "incorrect",
    "invalid",
    "check_type",
    "check_number",
    "check_array",
    "check_frame",
    "check_hashed",
    "answer_digest",
    "hashed_members",
    "input_changed",
    "label_set_problem",
    "describe_type",
    "format_number",
    "show_value",
    "tolerance_words",
]

Status = Literal["passed", "incorrect", "invalid"]

_TITLES = {"passed": "Correct", "incorrect": "Not yet", "invalid": "Invalid answer"}


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check.

    Attributes
    ----------
    status : {"passed", "incorrect", "invalid"}
        What the check found; see the module docstring.
    message : str
        One sentence for the learner: what is wrong and a nudge, never the expected answer.
    details : tuple of str
        Further specifics (the first differing rows, the columns that are missing, ...).
    title : str
        Short heading, such as the question's title.
    reason : str
        Machine-readable cause, where one is known: ``"not-defined"`` (the answer's variable does not exist
        yet) or ``"not-written"`` (the answer is still the stub that raises ``NotImplementedError``).
    """

    status: Status
    message: str
    details: tuple[str, ...] = field(default_factory=tuple)
    title: str = ""
    reason: str = ""

    def __post_init__(self):
        if self.status not in _TITLES:
            raise ValueError(f"status must be one of {sorted(_TITLES)}, not {self.status!r}")
        object.__setattr__(self, "details", tuple(str(d) for d in self.details))

    @property
    def passed(self) -> bool:
        """True when the answer matched."""
        return self.status == "passed"

    def __bool__(self) -> bool:
        return self.passed

    def with_title(self, title: str) -> CheckResult:
        """Return the same result under another heading."""
        return replace(self, title=title)

    def _render(self):
        # Imported here: rendering is a separate concern and checks must stay importable on their own.
        from lepton_training import render

        heading = self.title or _TITLES[self.status]
        return render.feedback(self.status, heading, self.message, self.details)

    def _repr_html_(self) -> str:
        return self._render()._repr_html_()

    def __str__(self) -> str:
        return str(self._render())

    __repr__ = __str__


def passed(message: str = "Correct.", details: Sequence[str] = ()) -> CheckResult:
    """Return a passing result.

    Parameters
    ----------
    message : str
        What the learner got right.
    details : sequence of str
        Optional specifics.

    Returns
    -------
    CheckResult
    """
    return CheckResult("passed", message, tuple(details))


def incorrect(message: str, details: Sequence[str] = ()) -> CheckResult:
    """Return a result for a well-formed answer that differs from what is expected.

    Parameters
    ----------
    message : str
        What differs, and a nudge; never the expected value.
    details : sequence of str
        Optional specifics, such as the first differing rows.

    Returns
    -------
    CheckResult
    """
    return CheckResult("incorrect", message, tuple(details))


def invalid(message: str, details: Sequence[str] = ()) -> CheckResult:
    """Return a result for an answer of the wrong type, shape or structure.

    Parameters
    ----------
    message : str
        What kind of answer was expected and what was received.
    details : sequence of str
        Optional specifics.

    Returns
    -------
    CheckResult
    """
    return CheckResult("invalid", message, tuple(details))


# --- types -------------------------------------------------------------------------------------------------------


def describe_type(value: Any) -> str:
    """Describe a value's type in words a learner recognises.

    Parameters
    ----------
    value : object
        Any value.

    Returns
    -------
    str
        For example ``"None"``, ``"a str ('75%')"``, ``"a list of 3 items"``, ``"a DataFrame of shape (2, 3)"``.

    Examples
    --------
    >>> describe_type([1, 2, 3])
    'a list of 3 items'
    """
    if value is None:
        return "None"
    kind = type(value).__name__
    if isinstance(value, str):
        shown = value if len(value) <= 20 else value[:17] + "..."
        return f"a str ({shown!r})"
    if isinstance(value, bool) or _is_bool_scalar(value):
        return f"a bool ({bool(value)})"
    shape = getattr(value, "shape", None)
    if shape == () and _is_real_number(value):  # a NumPy scalar such as np.float64(0.5)
        return f"a number ({format_number(value)})"
    if isinstance(shape, tuple):
        return f"{_article(kind)} {kind} of shape {shape}"
    if isinstance(value, (list, tuple, set, dict)):
        return f"a {kind} of {len(value)} item{'s' if len(value) != 1 else ''}"
    if callable(value):
        return f"{_article(kind)} {kind} (did you mean to call it?)" if kind != "function" else "a function"
    return f"{_article(kind)} {kind}"


def _plural(n: int, word: str) -> str:
    return word if n == 1 else word + "s"


def _count(n: int, words: str) -> str:
    """``"1 value"``, ``"3 values"``: the count and its noun (the last word made plural)."""
    return f"{n} {_plural(n, words)}"


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _is_real_number(value: Any) -> bool:
    # bool is an int in Python, but True is never a sensible answer to "how many" or "what fraction".
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and not _is_bool_scalar(value)


def _is_bool_scalar(value: Any) -> bool:
    # numpy.bool_ (named "bool" since NumPy 2), recognised without importing NumPy.
    kind = type(value)
    return kind.__module__ == "numpy" and kind.__name__ in {"bool_", "bool"}


def _wrong_type(name: str, what: str, value: Any, extra: str = "") -> CheckResult:
    hint = " Did you forget a `return` statement?" if value is None else extra
    return invalid(f"{name} should be {what}, but it is {describe_type(value)}.{hint}")


def check_type(value: Any, expected: type | tuple[type, ...], what: str, name: str = "Your answer") -> CheckResult:
    """Check that ``value`` is an instance of ``expected``.

    Parameters
    ----------
    value : object
        The learner's answer.
    expected : type or tuple of types
        Acceptable types.
    what : str
        The expected kind in words, such as ``"a pandas DataFrame"``.
    name : str
        How to call the answer in the message.

    Returns
    -------
    CheckResult
        ``passed`` when the type fits, ``invalid`` otherwise with what was received.
    """
    if isinstance(value, expected) and not (expected is not bool and isinstance(value, bool)):
        return passed()
    return _wrong_type(name, what, value)


# --- numbers -----------------------------------------------------------------------------------------------------


def check_number(
    value: Any,
    expected: float,
    *,
    rtol: float = 1e-7,
    atol: float = 1e-9,
    name: str = "Your answer",
    unit: str = "",
    advice: str = "",
) -> CheckResult:
    """Check a real number against the expected one within a tolerance.

    Parameters
    ----------
    value : object
        The learner's answer. Python and NumPy real numbers are accepted; bools, strings, containers and
        objects that merely compare equal are invalid.
    expected : float
        The value recomputed by the question (never stored in plain text in the package).
    rtol, atol : float
        Accepted when ``abs(value - expected) <= atol + rtol * abs(expected)``.
    name : str
        How to call the answer in the message.
    unit : str
        Unit named in the message, such as ``"USD"``.
    advice : str
        What the quantity is and where a wrong one usually comes from, in words, added to an ``incorrect``
        message: a fallback that only says "too low" names neither the quantity nor the mistake.

    Returns
    -------
    CheckResult
        ``incorrect`` results say whether the answer is too high or too low, not by how much (the expected
        value is never shown), followed by ``advice``.

    Examples
    --------
    >>> check_number(0.1 + 0.2, 0.3).passed
    True
    >>> check_number("0.3", 0.3).status
    'invalid'
    """
    if not _is_real_number(value):
        return _wrong_type(name, "a number", value)
    value = float(value)
    if math.isnan(value) or (math.isinf(value) and math.isfinite(expected)):
        return invalid(_not_finite(name, value))
    if math.isclose(value, expected, rel_tol=rtol, abs_tol=atol):
        return passed()
    direction = "too high" if value > expected else "too low"
    unit_text = f" ({unit})" if unit else ""
    return incorrect(_with_advice(f"{name}{unit_text} is {direction}.", advice), (tolerance_words(rtol, atol, unit),))


def _with_advice(message: str, advice: str) -> str:
    return f"{message} {advice}" if advice else message


def _not_finite(name: str, value: float) -> str:
    if math.isnan(value):
        return (
            f"{name} is NaN (not a number). A NaN usually comes from missing values in the data, or from dividing "
            "zero by zero: leave missing values out, or check what you divide by."
        )
    return f"{name} is infinite: did you divide by zero?"


def tolerance_words(rtol: float, atol: float = 0.0, unit: str = "") -> str:
    """Say in a learner's words how close a number must be to pass.

    Parameters
    ----------
    rtol, atol : float
        The relative and absolute tolerances of the comparison.
    unit : str
        Unit of the absolute tolerance, such as ``"USD"``.

    Returns
    -------
    str
        One sentence, with no tolerance jargon.

    Examples
    --------
    >>> tolerance_words(1e-9)
    'Tiny rounding differences are accepted, nothing more.'
    >>> tolerance_words(0.01, 0.5, "USD")
    'Answers within 1% of the expected value, or within 0.5 USD of it, are accepted.'
    """
    if rtol <= 1e-6 and atol <= 1e-6:
        return "Tiny rounding differences are accepted, nothing more."
    parts = []
    if rtol > 1e-6:
        parts.append(f"within {format_number(100 * rtol)}% of the expected value")
    if atol > 1e-6:
        parts.append(f"within {format_number(atol)}{' ' + unit if unit else ''} of it")
    return f"Answers {', or '.join(parts)}, are accepted." if len(parts) > 1 else f"Answers {parts[0]} are accepted."


def format_number(value: Any, digits: int = 6) -> str:
    """Format a number for a learner: ``17``, ``0.75``, ``1,250``, never ``np.float64(17.0)``.

    Parameters
    ----------
    value : number
        A Python or NumPy number.
    digits : int, default 6
        Significant digits kept for non-integers.

    Returns
    -------
    str

    Examples
    --------
    >>> format_number(17.0)
    '17'
    >>> format_number(1250.0)
    '1,250'
    >>> format_number(0.123456789)
    '0.123457'
    """
    if _is_bool_scalar(value) or isinstance(value, bool):
        return str(bool(value))
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "infinity" if number > 0 else "minus infinity"
    if number == int(number) and abs(number) < 1e15:
        return f"{int(number):,}"
    return f"{number:,.{digits}g}"


def show_value(value: Any) -> str:
    """Show a cell value in a message: numbers as :func:`format_number`, text quoted, missing as ``missing``.

    Parameters
    ----------
    value : object
        A scalar from a learner's answer or the data.

    Returns
    -------
    str

    Examples
    --------
    >>> show_value("SM"), show_value(3.0), show_value(None)
    ("'SM'", '3', 'missing')
    """
    missing_types = {"NaTType", "NAType"}
    if value is None or (isinstance(value, float) and math.isnan(value)) or type(value).__name__ in missing_types:
        return "missing"
    if _is_real_number(value) or isinstance(value, bool) or _is_bool_scalar(value):
        return format_number(value)
    if isinstance(value, str):
        return repr(value)
    return str(value)


# --- arrays ------------------------------------------------------------------------------------------------------


def check_array(
    value: Any,
    expected: Any,
    *,
    rtol: float = 1e-7,
    atol: float = 1e-9,
    ordered: bool = True,
    name: str = "Your answer",
    max_details: int = 3,
    advice: str = "",
) -> CheckResult:
    """Check a numeric array (or list) against the expected one, element by element.

    Parameters
    ----------
    value : object
        The learner's answer: a NumPy array, or a list or tuple of numbers.
    expected : array_like
        The expected values, recomputed by the question.
    rtol, atol : float
        Tolerances as in :func:`numpy.isclose`.
    ordered : bool
        When False the order of the elements does not matter (both are sorted before comparing).
    name : str
        How to call the answer in the message.
    max_details : int
        How many differing positions to list.
    advice : str
        What the values are and where wrong ones usually come from, in words, added to an ``incorrect`` message.

    Returns
    -------
    CheckResult
        ``invalid`` for a non-numeric value or a wrong shape; ``incorrect`` names the first differing
        positions and how many differ.

    Examples
    --------
    >>> check_array([3, 1, 2], [1, 2, 3], ordered=False).passed
    True
    >>> print(check_array([1.0, 2.5], [1.0, 2.0], name="The rates").message)
    The rates: 1 of 2 values differs.
    """
    import numpy as np

    if not isinstance(value, (np.ndarray, list, tuple)):
        return _wrong_type(name, "a NumPy array", value)
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError):
        return invalid(f"{name} cannot be read as an array: are all rows the same length?")
    if arr.dtype == bool or not (np.issubdtype(arr.dtype, np.number)):
        return invalid(
            f"{name} should hold numbers, but its elements are of type {arr.dtype} "
            f"(the first is {describe_type(arr.flat[0]) if arr.size else 'missing'})."
        )
    exp = np.asarray(expected, dtype=float)
    if arr.shape != exp.shape:
        return invalid(f"{name} has shape {arr.shape}, but shape {exp.shape} is expected.")
    arr = arr.astype(float)
    if not ordered:
        arr, exp = np.sort(arr, axis=None), np.sort(exp, axis=None)
    if np.isnan(arr).any() and not np.isnan(exp).any():
        where = [str(tuple(int(i) for i in ix)) for ix in np.argwhere(np.isnan(arr))[:max_details]]
        n_nan = int(np.isnan(arr).sum())
        values = "a NaN (missing) value" if n_nan == 1 else f"{n_nan} NaN (missing) values"
        return incorrect(f"{name} has {values} at {', '.join(where)}.")
    close = np.isclose(arr, exp, rtol=rtol, atol=atol, equal_nan=True)
    if close.all():
        return passed()
    bad = np.argwhere(~close)
    details = []
    for ix in bad[:max_details]:
        pos = tuple(int(i) for i in ix)
        shown = pos[0] if len(pos) == 1 else pos
        direction = "too high" if arr[tuple(ix)] > exp[tuple(ix)] else "too low"
        label = "sorted position" if not ordered else "position"
        details.append(f"At {label} {shown}: {arr[tuple(ix)]:.6g} is {direction}.")
    n_bad = int((~close).sum())
    verb = "differs" if n_bad == 1 else "differ"
    return incorrect(_with_advice(f"{name}: {n_bad} of {close.size} values {verb}.", advice), details)


# --- DataFrames --------------------------------------------------------------------------------------------------


def check_frame(
    value: Any,
    expected: Any,
    *,
    key: Sequence[str] | None = None,
    check_row_order: bool = False,
    check_column_order: bool = False,
    rtol: float = 1e-7,
    atol: float = 1e-9,
    name: str = "Your DataFrame",
    max_details: int = 3,
    advice: Mapping[str, str] | None = None,
) -> CheckResult:
    """Check a pandas DataFrame against the expected one, column by column.

    The index is ignored: compare the columns that matter. Rows are matched by ``key`` columns when given,
    otherwise (when the order does not matter) by sorting on all columns.

    Parameters
    ----------
    value : object
        The learner's answer.
    expected : pandas.DataFrame
        The expected frame, recomputed by the question.
    key : sequence of str, optional
        Columns that identify a row; used to name differing rows in messages and to align rows.
    check_row_order, check_column_order : bool
        Whether the order of rows or columns was asked for.
    rtol, atol : float
        Tolerances for numeric columns.
    name : str
        How to call the answer in the message.
    max_details : int
        How many differing rows to list.
    advice : mapping of str to str, optional
        Per column, what its values are in words, added to the message when that column differs first.

    Returns
    -------
    CheckResult
        ``invalid`` for a non-DataFrame, missing or extra columns or a wrong number of rows;
        ``incorrect`` names the first column that differs and the rows where it does.
    """
    import numpy as np
    import pandas as pd

    if not isinstance(value, pd.DataFrame):
        hint = (
            " Use a DataFrame, not a Series: `.reset_index()` or `.to_frame()`." if isinstance(value, pd.Series) else ""
        )
        return _wrong_type(name, "a pandas DataFrame", value, hint)
    want = list(expected.columns)
    got = [str(c) for c in value.columns]
    missing = [c for c in want if c not in got]
    extra = [c for c in got if c not in want]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing {_plural(len(missing), 'column')} {', '.join(map(repr, missing))}")
        if extra:
            parts.append(f"unexpected {_plural(len(extra), 'column')} {', '.join(map(repr, extra))}")
        hint = ""
        if any(c in (value.index.names or []) for c in missing):
            hint = " Some are in the index: call `.reset_index()`."
        return invalid(f"{name} has {' and '.join(parts)}.{hint}", (f"Expected columns: {', '.join(want)}.",))
    if check_column_order and got != want:
        return incorrect(f"{name}'s columns are in the order {got}; the order {want} was asked for.")
    if len(value) != len(expected):
        return invalid(f"{name} has {len(value)} rows, but {len(expected)} rows are expected.")

    actual = value.copy()
    actual.columns = got
    actual = actual[want].reset_index(drop=True)
    exp = expected[want].reset_index(drop=True)
    if not check_row_order:
        by = list(key) if key else want
        try:
            actual = actual.sort_values(by, kind="mergesort").reset_index(drop=True)
            exp = exp.sort_values(by, kind="mergesort").reset_index(drop=True)
        except TypeError:
            return invalid(f"{name} mixes types within a column, so its rows cannot be ordered for comparison.")

    for column in want:
        a, e = actual[column], exp[column]
        numeric = pd.api.types.is_numeric_dtype(e) and not pd.api.types.is_bool_dtype(e)
        if numeric:
            if not pd.api.types.is_numeric_dtype(a) or pd.api.types.is_bool_dtype(a):
                return invalid(f"Column {column!r} should hold numbers, but it has dtype {a.dtype}.")
            same = np.isclose(a.to_numpy(float), e.to_numpy(float), rtol=rtol, atol=atol, equal_nan=True)
        else:
            same = np.array([_same_label(x, y) for x, y in zip(a, e, strict=True)], dtype=bool)
        if not same.all():
            rows = np.flatnonzero(~same)
            details = [_describe_row(actual, key, int(r), column) for r in rows[:max_details]]
            order = "" if check_row_order else " (rows compared after sorting, since their order was not asked for)"
            message = f"Column {column!r} differs in {len(rows)} of {len(same)} rows{order}."
            return incorrect(_with_advice(message, (advice or {}).get(column, "")), details)
    return passed()


def _same_label(x: Any, y: Any) -> bool:
    import pandas as pd

    if pd.isna(y):
        return x is None or x is pd.NA or x is pd.NaT or (_is_real_number(x) and math.isnan(float(x)))
    if isinstance(x, str) and isinstance(y, str):
        return x == y
    if _is_real_number(x) and _is_real_number(y):
        return float(x) == float(y)
    if _is_bool(x) and _is_bool(y):
        return bool(x) == bool(y)
    # Other values compare only with their own, well-known type: a learner's object that claims to equal
    # everything must not pass.
    if type(x) is type(y) and type(x).__module__.split(".")[0] in {"builtins", "datetime", "pandas", "numpy"}:
        return bool(x == y)
    return False


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool) or _is_bool_scalar(value)


def _describe_row(frame: Any, key: Sequence[str] | None, row: int, column: str) -> str:
    if key:
        ident = ", ".join(f"{k}={show_value(frame.at[row, k])}" for k in key)
        return f"Row with {ident}: {column}={show_value(frame.at[row, column])} does not match."
    return f"Row {row}: {column}={show_value(frame.at[row, column])} does not match."


# --- hashed answers ----------------------------------------------------------------------------------------------


def _canonical(value: Any, decimals: int | None) -> str | None:
    if isinstance(value, str):
        return "str:" + " ".join(value.split()).casefold()
    if _is_real_number(value):
        number = float(value)
        if math.isnan(number) or math.isinf(number):
            return None
        if decimals is None:
            if number != int(number):
                return None
            return f"int:{int(number)}"
        return f"float:{round(number, decimals):.{decimals}f}"
    return None


def answer_digest(value: Any, salt: str, decimals: int | None = None) -> str:
    """Return the salted SHA-256 digest under which an expected answer is stored.

    Strings are compared case-insensitively with white space folded; numbers as integers, or rounded to
    ``decimals`` places.

    Parameters
    ----------
    value : str or number
        The answer.
    salt : str
        A per-question salt (the question's full id), so equal answers of different questions hash apart.
    decimals : int, optional
        For non-integer numbers: the decimal places compared.

    Returns
    -------
    str
        A hexadecimal digest.

    Notes
    -----
    A hash hides an answer only when the answer space is large. A digest of a yes/no answer, a module id or
    an integer below a million is found by trying every candidate in well under a second; such digests only
    keep the answer from being *read* off the package. nbgrader 0.9's ``### HASHED AUTOTEST`` has the same
    limit (it stores a salted SHA-1 of the value's text next to the salt). Prefer recomputation from the
    learner's inputs or property checks, and hidden tests on other inputs, for anything that is graded.

    Examples
    --------
    >>> answer_digest(0.75, salt="demo:q1", decimals=2) == answer_digest(0.7501, salt="demo:q1", decimals=2)
    True
    """
    canonical = _canonical(value, decimals)
    if canonical is None:
        raise ValueError(f"Cannot hash {describe_type(value)} with decimals={decimals}.")
    return hashlib.sha256(f"{salt}\x1f{canonical}".encode()).hexdigest()


def input_changed(given: Any, original: Any, what: str, advice: str) -> CheckResult | None:
    """Say so when a learner's function changed an input it was given (a pandas table or Series, an array).

    A test gives the learner's function a copy of its input (``given``) and compares the copy with the input
    afterwards: a function that edits its input in place breaks the caller's data, and cannot be run twice.

    Parameters
    ----------
    given : object
        The copy the learner's function received, after the call.
    original : object
        The input as the test made it.
    what : str
        The input in the message, such as ``"table"``.
    advice : str
        The rest of the message, from its punctuation on: ``": compute new values instead of modifying it."``.

    Returns
    -------
    CheckResult or None
        An incorrect result naming the mistake, or None when the input is unchanged.
    """
    import numpy as np

    if hasattr(original, "equals"):  # pandas
        same = type(given) is type(original) and given.shape == original.shape and given.equals(original)
    else:
        same = np.shape(given) == np.shape(original) and np.array_equal(given, original)
    return None if same else incorrect(f"your function changed the {what} it was given{advice}")


def hashed_members(digests: dict[str, str], salt: str, member: str) -> set[str]:
    """Return the labels an answer key stores as members of a set, read from their salted digests.

    A question whose answer is a set of labels (the true statements, the leaking columns, the errors in some
    code) stores, for every label, the digest of ``"<label>:<member>"`` or of ``"<label>:<other word>"``, so
    the key is not in the package as text (with the limits :func:`answer_digest` describes).

    Parameters
    ----------
    digests : dict
        Label -> its stored digest.
    salt : str
        The question's full id.
    member : str
        The word of the members, such as ``"true"``.

    Returns
    -------
    set of str

    Examples
    --------
    >>> key = {"A": answer_digest("A:true", "demo:q1"), "B": answer_digest("B:false", "demo:q1")}
    >>> hashed_members(key, "demo:q1", "true")
    {'A'}
    """
    return {label for label, digest in digests.items() if answer_digest(f"{label}:{member}", salt) == digest}


def label_set_problem(answer: Any, name: str, kind: str, element: str) -> CheckResult | None:
    """Say why an answer is not a set of labels written as text, or return None when it is one.

    Parameters
    ----------
    answer : object
        The learner's answer.
    name : str
        The answer's variable name, such as ``"errors"``.
    kind : str
        What the set holds, with an example: ``"codes such as {'NO_BUDGET'}"``.
    element : str
        One element, for the message about a non-text element: ``"a code written as text"``.

    Returns
    -------
    CheckResult or None
        An invalid result, or None. Lists and tuples are accepted as sets.
    """
    if not isinstance(answer, (set, frozenset, list, tuple)):
        return invalid(f"`{name}` should be a set of {kind}, but it is {describe_type(answer)}.")
    if not all(isinstance(x, str) for x in answer):
        return invalid(f"Every element of `{name}` should be {element}.")
    return None


def check_hashed(
    value: Any,
    digest: str,
    *,
    salt: str,
    kind: Literal["number", "integer", "text"],
    decimals: int | None = None,
    name: str = "Your answer",
) -> CheckResult:
    """Check an answer against a stored salted digest (see :func:`answer_digest`).

    Parameters
    ----------
    value : object
        The learner's answer.
    digest : str
        The stored digest of the expected answer.
    salt : str
        The salt the digest was made with.
    kind : {"number", "integer", "text"}
        What kind of answer is expected; anything else is invalid.
    decimals : int, optional
        For ``kind="number"``: the decimal places compared. The answer is also tried half a unit of the
        last place either way, so a value within about ``10**-decimals`` passes whatever its rounding.
    name : str
        How to call the answer in the message.

    Returns
    -------
    CheckResult
        A digest cannot say *how* an answer differs, only that it does.
    """
    if kind == "text":
        if not isinstance(value, str):
            return _wrong_type(name, "text (a str)", value)
        candidates = [value]
    elif kind == "integer":
        if not _is_real_number(value) or float(value) != int(value):
            return _wrong_type(name, "a whole number (an int)", value)
        candidates = [int(value)]
    elif kind == "number":
        if decimals is None:
            raise ValueError("kind='number' needs decimals")
        if not _is_real_number(value):
            return _wrong_type(name, "a number", value)
        if not math.isfinite(float(value)):
            return invalid(_not_finite(name, float(value)))
        half = 0.5 * 10.0**-decimals
        candidates = [float(value), float(value) - half, float(value) + half]
    else:
        raise ValueError(f"kind must be 'number', 'integer' or 'text', not {kind!r}")
    if any(answer_digest(c, salt, decimals if kind == "number" else None) == digest for c in candidates):
        return passed()
    precision = f" (compared to {decimals} decimal places)" if kind == "number" else ""
    return incorrect(f"{name} does not match the expected value{precision}.")
