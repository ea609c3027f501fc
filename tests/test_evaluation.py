"""The evaluation package (module 04, and the results report): learning gain, bootstrap intervals, fairness audit
and cost-based thresholds, checked against hand-computed values, brute force and textbook definitions."""

import sys

import numpy as np
import pandas as pd
import pytest

from lepton_training.datasets import training_participants
from lepton_training.evaluation import (
    bootstrap_ci,
    calibrated_threshold,
    cost_optimal_threshold,
    equal_opportunity_difference,
    expected_cost,
    fairness_audit,
    four_fifths_ratio,
    learning_gain,
    learning_gain_ci,
    outcome_counts,
    selection_rates,
    true_positive_rates,
)

# --- learning gain -----------------------------------------------------------------------------------------------


def test_hake_class_gain_from_class_means():
    # Hake's <g>: means 60 -> 80, room 40, gain 0.5; the mean of per-learner gains differs (0.583).
    pre, post = [40, 80], [60, 100]
    assert learning_gain(pre, post) == pytest.approx(0.5)
    assert np.mean(learning_gain(pre, post, per_learner=True)) == pytest.approx((1 / 3 + 1) / 2)


def test_gain_leaves_out_learners_without_both_scores():
    pre = [40, 80, 20, np.nan]
    post = [70, 90, np.nan, 50]
    assert learning_gain(pre, post) == pytest.approx(learning_gain([40, 80], [70, 90]))
    per = learning_gain(pre, post, per_learner=True)
    assert per[:2].tolist() == pytest.approx([0.5, 0.5]) and np.isnan(per[2:]).all()


def test_gain_at_the_maximum():
    # A learner at 100 before has no room: undefined per learner, harmless in the class gain.
    per = learning_gain([100, 50], [100, 75], per_learner=True)
    assert np.isnan(per[0]) and per[1] == pytest.approx(0.5)
    assert learning_gain([100, 50], [100, 75]) == pytest.approx(12.5 / 25)
    assert np.isnan(learning_gain([100, 100], [100, 90]))
    assert np.isnan(learning_gain([np.nan], [50]))
    assert learning_gain([50, 50], [40, 40]) == pytest.approx(-0.2)  # scores fell
    assert learning_gain([5, 5], [10, 10], max_score=10) == pytest.approx(1.0)


def test_gain_rejects_mismatched_inputs():
    with pytest.raises(ValueError, match="same length"):
        learning_gain([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="at least two learners"):
        learning_gain_ci([50], [60])


def test_gain_on_the_course_data_matches_its_card():
    table = training_participants()
    gain = learning_gain(table["pre_score"], table["post_score"])
    assert 0.35 < gain < 0.45  # the card: team means 0.28 to 0.45 at 16 hours
    by_team = {t: learning_gain(d["pre_score"], d["post_score"]) for t, d in table.groupby("team")}
    assert by_team["Research"] > by_team["Sales"]


def test_gain_ci_is_reproducible_and_covers_the_estimate():
    table = training_participants()
    a = learning_gain_ci(table["pre_score"], table["post_score"], n_resamples=2000, seed=3)
    b = learning_gain_ci(table["pre_score"], table["post_score"], n_resamples=2000, seed=3)
    assert (a.low, a.high) == (b.low, b.high)
    assert a.low < a.estimate < a.high
    assert a.estimate == pytest.approx(learning_gain(table["pre_score"], table["post_score"]))
    # A 95% interval is about four standard errors wide.
    assert (a.high - a.low) / a.standard_error == pytest.approx(3.92, rel=0.1)
    estimate, low, high = a
    assert (estimate, low, high) == (a.estimate, a.low, a.high)


def test_gain_ci_matches_a_hand_written_bootstrap():
    table = training_participants(300, seed=5).dropna()
    pre, post = table["pre_score"].to_numpy(), table["post_score"].to_numpy()
    rng = np.random.default_rng(0)
    idx = rng.integers(0, len(pre), size=(20_000, len(pre)))
    gains = (post[idx].mean(1) - pre[idx].mean(1)) / (100 - pre[idx].mean(1))
    low, high = np.percentile(gains, [2.5, 97.5])
    ci = learning_gain_ci(pre, post, n_resamples=20_000, seed=1)
    assert ci.low == pytest.approx(low, abs=0.2 * gains.std())
    assert ci.high == pytest.approx(high, abs=0.2 * gains.std())


# --- bootstrap ---------------------------------------------------------------------------------------------------


def test_bootstrap_ci_of_a_mean_matches_the_t_interval():
    from scipy import stats

    sample = np.random.default_rng(1).normal(10, 2, 400)
    ci = bootstrap_ci(sample, np.mean, n_resamples=4000, seed=2)
    t = stats.ttest_1samp(sample, 0).confidence_interval()
    assert ci.estimate == pytest.approx(sample.mean())
    assert ci.low == pytest.approx(t.low, abs=0.05) and ci.high == pytest.approx(t.high, abs=0.05)
    assert ci.standard_error == pytest.approx(sample.std(ddof=1) / 20, rel=0.1)
    assert "95% CI" in str(ci)


def test_bootstrap_ci_keeps_pairs_together():
    # Perfectly correlated pairs: every resample's correlation is 1, so the interval is a point.
    x = np.arange(30.0)

    def correlation(a, b):
        return np.corrcoef(a, b)[0, 1]

    ci = bootstrap_ci((x, 2 * x + 1), correlation, n_resamples=500, seed=0)
    assert ci.low == pytest.approx(1.0) and ci.high == pytest.approx(1.0)


def test_bootstrap_ci_options_and_errors():
    sample = np.random.default_rng(3).exponential(1.0, 200)
    narrow = bootstrap_ci(sample, np.mean, n_resamples=2000, confidence=0.8, seed=1)
    wide = bootstrap_ci(sample, np.mean, n_resamples=2000, confidence=0.99, seed=1)
    assert wide.low < narrow.low < narrow.high < wide.high
    bca = bootstrap_ci(sample, np.mean, n_resamples=2000, seed=1, method="BCa")
    assert bca.method == "BCa" and bca.low < bca.estimate < bca.high
    with pytest.raises(ValueError, match="empty"):
        bootstrap_ci([], np.mean)
    with pytest.raises(ValueError, match="same length"):
        bootstrap_ci(([1.0, 2.0], [1.0]), lambda a, b: 0.0)
    with pytest.raises(ValueError, match="between 0 and 1"):
        bootstrap_ci([1.0, 2.0], np.mean, confidence=95)


# --- thresholds --------------------------------------------------------------------------------------------------


SCREENING = {"tp": 800.0, "fp": 800.0, "fn": 5000.0, "tn": 0.0}


def test_expected_cost_prices_each_outcome():
    # One case in each outcome at 0.5: 0.9 is a true positive, 0.6 a false positive, 0.4 a false negative, 0.1 a
    # true negative. Each outcome's cost, alone, is that cost over the four cases.
    y, s = [1, 0, 1, 0], [0.9, 0.6, 0.4, 0.1]
    assert outcome_counts(y, s, 0.5) == {"tp": 1, "fp": 1, "fn": 1, "tn": 1}
    for outcome in ("tp", "fp", "fn", "tn"):
        alone = {"tp": 0.0, "fp": 0.0, "fn": 0.0, "tn": 0.0, outcome: 100.0}
        assert expected_cost(y, s, 0.5, alone) == pytest.approx(100.0 / 4), outcome
    # The hired candidate was interviewed too: 800 (TP) + 800 (FP) + 5000 (FN) + 0 (TN), per candidate.
    assert expected_cost(y, s, 0.5, SCREENING) == pytest.approx((800 + 800 + 5000) / 4)
    assert expected_cost(y, s, 0.4, SCREENING) == pytest.approx((800 * 3) / 4)  # >=: 0.4 is flagged
    assert expected_cost(y, s, np.inf, SCREENING) == pytest.approx(2 * 5000 / 4)
    with pytest.raises(ValueError, match="'tp'"):
        expected_cost(y, s, 0.5, {"fp": 800.0, "fn": 5000.0, "tn": 0.0})


def test_the_interview_of_a_hire_moves_the_threshold():
    # Flagging costs 800 whatever the outcome: for calibrated probabilities, flag from 800 / 5000 = 0.16, not
    # from 800 / (800 + 5000) = 0.138, the threshold of a model that prices only the errors.
    assert calibrated_threshold(SCREENING) == pytest.approx(0.16)
    assert calibrated_threshold({**SCREENING, "tp": 0.0}) == pytest.approx(800 / 5800)
    with pytest.raises(ValueError, match="wrong decision"):
        calibrated_threshold({"tp": 0.0, "fp": 0.0, "fn": 1.0, "tn": 0.0})
    # On calibrated scores, the search lands next to the formula's threshold.
    rng = np.random.default_rng(3)
    p = np.round(rng.beta(1, 4, 20_000), 3)
    y = (rng.random(p.size) < p).astype(int)
    assert cost_optimal_threshold(y, p, SCREENING) == pytest.approx(0.16, abs=0.03)
    assert cost_optimal_threshold(y, p, {**SCREENING, "tp": 0.0}) < cost_optimal_threshold(y, p, SCREENING)


@pytest.mark.parametrize("seed", range(8))
def test_cost_optimal_threshold_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 80))
    y = rng.integers(0, 2, n)
    s = np.round(rng.random(n), 1)  # many ties
    costs = dict(zip(("tp", "fp", "fn", "tn"), rng.uniform(0, 10, 4), strict=True))
    candidates = np.append(np.unique(s), np.inf)
    brute = min(expected_cost(y, s, t, costs) for t in candidates)
    best = cost_optimal_threshold(y, s, costs)
    assert expected_cost(y, s, best, costs) == pytest.approx(brute)


def test_cost_optimal_threshold_can_flag_nobody():
    assert cost_optimal_threshold([0, 0, 1], [0.9, 0.8, 0.1], {"tp": 0, "fp": 100, "fn": 1, "tn": 0}) == np.inf


# --- calibration bins (exercise 3) -------------------------------------------------------------------------------


def test_reliability_bins_are_scikit_learns_closed_on_the_right():
    from sklearn.calibration import calibration_curve

    from lepton_training.questions.evaluation import reliability_points

    # 0.2, 0.4, 0.5 and 0.8 sit exactly on edges of 10 bins; 0 and 1 at the ends.
    y = np.array([0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 0, 1])
    p = np.array([0.2, 0.2, 0.25, 0.4, 0.45, 0.5, 0.5, 0.55, 0.62, 0.8, 0.85, 0.0, 1.0])
    observed, predicted = calibration_curve(y, p, n_bins=10)
    ours_predicted, ours_observed = reliability_points(y, p, 10)
    np.testing.assert_allclose(ours_predicted, predicted)
    np.testing.assert_allclose(ours_observed, observed)
    # 0.5 is in (0.4, 0.5] with 0.45, not in [0.5, 0.6) with 0.55: the bins closed on the left differ.
    assert ours_predicted[4] == pytest.approx(np.mean([0.45, 0.5, 0.5]))
    left_predicted, _ = reliability_points(y, p, 10, closed="left")
    assert len(left_predicted) == 7 and np.mean([0.5, 0.5, 0.55]) == pytest.approx(left_predicted[3])


# --- fairness ----------------------------------------------------------------------------------------------------


def test_fairness_measures_by_hand():
    y = [1, 1, 0, 0, 1, 1, 1, 0, 0, 0]
    pred = [1, 0, 1, 0, 1, 1, 0, 0, 0, 0]
    group = list("AAAABBBBBB")
    rates = selection_rates(pred, group)
    assert rates.to_dict() == pytest.approx({"A": 0.5, "B": 2 / 6})
    assert four_fifths_ratio(rates) == pytest.approx((2 / 6) / 0.5)
    assert true_positive_rates(y, pred, group).to_dict() == pytest.approx({"A": 0.5, "B": 2 / 3})
    assert equal_opportunity_difference(y, pred, group) == pytest.approx(2 / 3 - 0.5)
    audit = fairness_audit(y, pred, group)
    assert list(audit.table.columns) == ["group", "n", "positives", "selection_rate", "true_positive_rate"]
    assert audit.table["n"].tolist() == [4, 6] and audit.table["positives"].tolist() == [2, 3]
    assert audit.flagged  # 0.67 < 0.8


def test_fairness_group_order_does_not_matter():
    rng = np.random.default_rng(0)
    y, pred = rng.integers(0, 2, 200), rng.integers(0, 2, 200)
    group = rng.choice(["x", "y", "z"], 200)
    relabel = {"x": "c", "y": "b", "z": "a"}
    other = np.array([relabel[g] for g in group])
    assert four_fifths_ratio(selection_rates(pred, group)) == pytest.approx(
        four_fifths_ratio(selection_rates(pred, other))
    )
    assert equal_opportunity_difference(y, pred, group) == pytest.approx(equal_opportunity_difference(y, pred, other))
    assert four_fifths_ratio({"A": 0.0, "B": 0.0}) != four_fifths_ratio({"A": 0.0, "B": 0.0})  # NaN
    assert four_fifths_ratio(pd.Series({"A": 0.4, "B": 0.5})) == pytest.approx(0.8)


def test_importing_the_questions_stays_light():
    import subprocess

    code = (
        "import sys, lepton_training.questions.evaluation; "
        "print(sorted(m for m in ('numpy', 'pandas', 'scipy', 'sklearn', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
