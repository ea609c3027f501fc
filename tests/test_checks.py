import numpy as np
import pandas as pd
import pytest

from lepton_training.checks import (
    CheckResult,
    answer_digest,
    check_array,
    check_frame,
    check_hashed,
    check_number,
    check_type,
    describe_type,
)


class EqualsEverything:
    """An answer that claims to equal anything: it must never pass a check."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __float__(self):
        return 0.75

    def __array__(self, dtype=None, copy=None):
        return np.array([0.75])


# --- results -------------------------------------------------------------------------------------------------------


def test_result_statuses_and_truthiness():
    assert CheckResult("passed", "ok")
    assert not CheckResult("incorrect", "no")
    with pytest.raises(ValueError, match="status must be one of"):
        CheckResult("maybe", "?")


def test_result_renders_as_text_and_html():
    result = CheckResult("incorrect", "too <high>", ("row 3",), title="Q1")
    assert "too <high>" in str(result)
    assert "too &lt;high&gt;" in result._repr_html_()
    assert "<high>" not in result._repr_html_()


def test_describe_type_is_specific():
    assert describe_type(None) == "None"
    assert describe_type("75%") == "a str ('75%')"
    assert describe_type([1, 2]) == "a list of 2 items"
    assert describe_type(np.zeros((2, 3))) == "a ndarray of shape (2, 3)"


def test_check_type_rejects_bool_for_int():
    assert check_type(3, int, "a whole number").passed
    result = check_type(True, int, "a whole number")
    assert result.status == "invalid"
    assert "bool" in result.message
    assert "return" in check_type(None, int, "a whole number").message


# --- numbers -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0.75, np.float64(0.75), np.float32(0.75), 3 / 4])
def test_number_accepts_numeric_types(value):
    assert check_number(value, 0.75, rtol=1e-6).passed


@pytest.mark.parametrize("value", ["0.75", None, [0.75], True, EqualsEverything(), np.array([0.75])])
def test_number_wrong_type_is_invalid_not_incorrect(value):
    result = check_number(value, 0.75)
    assert result.status == "invalid"
    assert "should be a number" in result.message


def test_number_direction_without_revealing_value():
    result = check_number(0.8, 0.75)
    assert result.status == "incorrect"
    assert "too high" in result.message
    assert "0.75" not in str(result)
    assert "too low" in check_number(0.7, 0.75).message


def test_number_nan_is_invalid():
    assert check_number(float("nan"), 1.0).status == "invalid"


def test_number_tolerance():
    assert check_number(1.0 + 1e-10, 1.0).passed
    assert not check_number(1.001, 1.0, rtol=1e-4).passed
    assert check_number(1.001, 1.0, rtol=1e-2).passed


# --- arrays --------------------------------------------------------------------------------------------------------


def test_array_shape_mismatch_is_invalid():
    result = check_array(np.zeros(3), np.zeros(4))
    assert result.status == "invalid"
    assert "(3,)" in result.message and "(4,)" in result.message


def test_array_non_numeric_is_invalid():
    assert check_array(np.array(["a", "b"]), [1, 2]).status == "invalid"
    assert check_array([EqualsEverything()], [0.75]).status == "invalid"
    assert check_array(np.array([True, False]), [1, 0]).status == "invalid"
    assert check_array(EqualsEverything(), [0.75]).status == "invalid"


def test_array_names_differing_positions():
    result = check_array([1.0, 2.0, 3.5, 4.0], [1.0, 2.0, 3.0, 4.0], name="The rates", advice="Divide by the count.")
    assert result.status == "incorrect"
    assert result.message == "The rates: 1 of 4 values differs. Divide by the count."
    assert "position 2" in result.details[0]


def test_array_order_insensitive():
    assert check_array([3.0, 1.0, 2.0], [1.0, 2.0, 3.0], ordered=False).passed
    assert not check_array([3.0, 1.0, 2.0], [1.0, 2.0, 3.0]).passed


def test_array_nan_reported():
    result = check_array([1.0, np.nan], [1.0, 2.0])
    assert result.status == "incorrect" and "NaN" in result.message


# --- DataFrames ----------------------------------------------------------------------------------------------------


@pytest.fixture
def expected_frame():
    return pd.DataFrame({"team": ["A", "B", "C"], "participants": [3, 1, 2], "total_hours": [4.5, 1.0, 2.25]})


def test_frame_any_row_and_column_order(expected_frame):
    shuffled = expected_frame.iloc[[2, 0, 1]][["total_hours", "team", "participants"]]
    assert check_frame(shuffled, expected_frame, key=["team"]).passed


def test_frame_row_order_when_asked(expected_frame):
    shuffled = expected_frame.iloc[[2, 0, 1]]
    assert not check_frame(shuffled, expected_frame, check_row_order=True).passed


def test_frame_missing_column_is_invalid_and_named(expected_frame):
    result = check_frame(expected_frame.drop(columns="participants"), expected_frame)
    assert result.status == "invalid"
    assert "'participants'" in result.message


def test_frame_column_in_index_gets_a_nudge(expected_frame):
    result = check_frame(expected_frame.set_index("team"), expected_frame)
    assert result.status == "invalid"
    assert "reset_index" in result.message


def test_frame_series_is_invalid_with_hint(expected_frame):
    result = check_frame(expected_frame["participants"], expected_frame)
    assert result.status == "invalid" and "Series" in result.message


def test_frame_wrong_row_count_is_invalid(expected_frame):
    assert check_frame(expected_frame.iloc[:2], expected_frame).status == "invalid"


def test_frame_names_column_and_row(expected_frame):
    wrong = expected_frame.copy()
    wrong.loc[1, "participants"] = 5
    result = check_frame(wrong, expected_frame, key=["team"])
    assert result.status == "incorrect"
    assert "'participants'" in result.message
    assert "team='B'" in result.details[0]


def test_frame_numeric_column_of_text_is_invalid(expected_frame):
    wrong = expected_frame.astype({"participants": str})
    result = check_frame(wrong, expected_frame, key=["team"])
    assert result.status == "invalid" and "numbers" in result.message


def test_frame_tolerance(expected_frame):
    close = expected_frame.copy()
    close["total_hours"] += 1e-12
    assert check_frame(close, expected_frame).passed


def test_frame_label_objects_claiming_equality_fail(expected_frame):
    wrong = expected_frame.copy()
    wrong["team"] = [EqualsEverything() for _ in range(3)]
    assert not check_frame(wrong, expected_frame, check_row_order=True).passed


def test_frame_not_a_frame(expected_frame):
    assert check_frame(EqualsEverything(), expected_frame).status == "invalid"


# --- hashes --------------------------------------------------------------------------------------------------------


def test_hashed_number_within_tolerance():
    digest = answer_digest(2 / 3, "m:q", decimals=4)
    assert check_hashed(0.666666, digest, salt="m:q", kind="number", decimals=4).passed
    assert check_hashed(0.66665, digest, salt="m:q", kind="number", decimals=4).passed
    assert not check_hashed(0.67, digest, salt="m:q", kind="number", decimals=4).passed


def test_hashed_is_salted():
    assert answer_digest(1, "a:q1") != answer_digest(1, "b:q1")


def test_hashed_text_normalised():
    digest = answer_digest("Social media", "m:q")
    assert check_hashed("  social   MEDIA ", digest, salt="m:q", kind="text").passed
    assert check_hashed(3, digest, salt="m:q", kind="text").status == "invalid"


def test_hashed_integer_kind():
    digest = answer_digest(50, "m:q")
    assert check_hashed(50, digest, salt="m:q", kind="integer").passed
    assert check_hashed(np.int64(50), digest, salt="m:q", kind="integer").passed
    assert check_hashed(50.5, digest, salt="m:q", kind="integer").status == "invalid"
    assert check_hashed(EqualsEverything(), digest, salt="m:q", kind="integer").status == "invalid"


def test_hash_of_unhashable_value_raises_for_authors():
    with pytest.raises(ValueError, match="Cannot hash"):
        answer_digest([1, 2], "m:q")


def test_input_changed_names_the_input_and_ignores_unchanged_ones():
    from lepton_training.checks import input_changed

    frame = pd.DataFrame({"a": [1.0, np.nan], "b": ["x", "y"]})
    assert input_changed(frame.copy(), frame, "table", ".") is None  # NaN in place is unchanged
    edited = frame.copy()
    edited["c"] = 1
    result = input_changed(edited, frame, "table", ": work on a copy.")
    assert result.status == "incorrect"
    assert result.message == "your function changed the table it was given: work on a copy."
    series = frame["a"]
    assert input_changed(series.fillna(0), series, "Series", ".").status == "incorrect"
    array = np.arange(3.0)
    assert input_changed(array.copy(), array, "array", ".") is None
    assert input_changed(array[::-1].copy(), array, "array", ".").status == "incorrect"
