"""Near misses of module 04's answers lose points, each with a message naming the mistake; every correct answer
(a library call or a hand computation, another optimal threshold, another bootstrap seed or method, another
group order) earns full points; hard-coded answers pass the public check at most."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.stats import norm
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss, f1_score, precision_score, recall_score

from lepton_training.datasets import training_participants
from lepton_training.questions.evaluation import PUBLIC_PARTICIPANTS, q1, q2, q3, q4, q5, q6

HIDDEN = 99


def _explained(score):
    return str(score.explanation())


def _loses(question, fn, phrase):
    score = question.grade(fn, hidden=HIDDEN)
    assert score.points < question.points, f"{question.id}: {fn.__name__} earned full points"
    assert phrase in _explained(score), _explained(score)


def _fixed_messages(question, fn, seed):
    """The messages of the hidden tests that every seed has (random cases say "other" or "another")."""
    tests = question.hidden_tests(fn, np.random.default_rng(seed))
    fixed = [t for t in tests if " other " not in t.description and "another" not in t.description]
    assert fixed, question.id
    results = [question.run_test(t).result for t in fixed]
    return [r.message for r in results if not r.passed]


def _named_by_fixed_cases(question, fn, phrase, seeds=range(20)):
    """Rule 1: at every seed, the fixed hidden cases alone fail ``fn`` with the words that name its mistake."""
    for seed in seeds:
        messages = _fixed_messages(question, fn, seed)
        assert any(phrase in m for m in messages), (question.id, fn.__name__, seed, messages)


def _full(question, fn):
    for seed in (HIDDEN, 7):
        score = question.grade(fn, hidden=seed)
        assert score.points == question.points, _explained(score)


# --- q1 ----------------------------------------------------------------------------------------------------------


def _prf(y, flagged):
    tp = np.sum(flagged & (y == 1))
    p, r = tp / np.sum(flagged), tp / np.sum(y == 1)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r)}


def test_q1_correct_answers():
    def by_hand(y_true, scores, threshold):
        return _prf(y_true, scores >= threshold)

    def with_sklearn(y_true, scores, threshold):
        flagged = (scores >= threshold).astype(int)
        return {
            "precision": precision_score(y_true, flagged),
            "recall": recall_score(y_true, flagged),
            "f1": f1_score(y_true, flagged),
        }

    _full(q1, by_hand)
    _full(q1, with_sklearn)


def test_q1_mistakes():
    def swapped(y_true, scores, threshold):
        m = _prf(y_true, scores >= threshold)
        return {"precision": m["recall"], "recall": m["precision"], "f1": m["f1"]}

    def strict(y_true, scores, threshold):
        return _prf(y_true, scores > threshold)

    def below(y_true, scores, threshold):
        return _prf(y_true, scores < threshold)

    def negative_class(y_true, scores, threshold):
        flagged = (scores >= threshold).astype(int)
        return {
            "precision": precision_score(y_true, flagged, pos_label=0),
            "recall": recall_score(y_true, flagged, pos_label=0),
            "f1": f1_score(y_true, flagged, pos_label=0),
        }

    def arithmetic_f1(y_true, scores, threshold):
        m = _prf(y_true, scores >= threshold)
        return {**m, "f1": (m["precision"] + m["recall"]) / 2}

    def as_tuple(y_true, scores, threshold):
        return tuple(_prf(y_true, scores >= threshold).values())

    assert "swapped" in q1.check(swapped).message
    assert "not `>`" in q1.check(strict).message
    assert "below" in q1.check(below).message
    assert "negative class" in q1.check(negative_class).message
    assert "harmonic mean" in q1.check(arithmetic_f1).message

    def averaged(average):
        def answer(y_true, scores, threshold):
            flagged = (scores >= threshold).astype(int)
            metrics = {"precision": precision_score, "recall": recall_score, "f1": f1_score}
            return {k: metric(y_true, flagged, average=average) for k, metric in metrics.items()}

        answer.__name__ = average
        return answer

    macro, weighted = averaged("macro"), averaged("weighted")

    assert "average over the two classes" in q1.check(macro).message
    _loses(q1, macro, "the statement asks for the positive class")
    _loses(q1, weighted, "`average='weighted'`")
    for fn, phrase in (
        (macro, "average over the two classes"),
        (swapped, "swapped"),
        (strict, "not `>`"),
        (below, "below"),
        (negative_class, "negative class"),
        (arithmetic_f1, "harmonic mean"),
    ):
        _named_by_fixed_cases(q1, fn, phrase)
    assert q1.check(as_tuple).status == "invalid"
    _loses(q1, swapped, "swapped")
    _loses(q1, strict, "not `>`")
    _loses(q1, below, "below")
    _loses(q1, negative_class, "negative class")
    _loses(q1, arithmetic_f1, "harmonic mean")


# --- q2 ----------------------------------------------------------------------------------------------------------

OUTCOMES = ("tp", "fp", "fn", "tn")


def _totals(y, scores, costs, *, strict=False, nobody=True, model=None):
    """Candidate thresholds and the total cost of each, priced by ``costs`` (or by ``model(counts)``)."""
    candidates = np.append(np.unique(scores), np.inf) if nobody else np.unique(scores)
    totals = []
    for t in candidates:
        flagged = scores > t if strict else scores >= t
        counts = {
            "tp": np.sum(flagged & (y == 1)),
            "fp": np.sum(flagged & (y == 0)),
            "fn": np.sum(~flagged & (y == 1)),
            "tn": np.sum(~flagged & (y == 0)),
        }
        totals.append(model(counts) if model else sum(costs[k] * counts[k] for k in OUTCOMES))
    return candidates, np.array(totals, dtype=float)


def _cheapest(candidates, totals):
    return float(candidates[np.argmin(totals)])


def test_q2_correct_answers():
    def lowest(y_true, scores, costs):
        return _cheapest(*_totals(y_true, scores, costs))

    def highest_tied(y_true, scores, costs):
        candidates, totals = _totals(y_true, scores, costs)
        return candidates[np.flatnonzero(totals == totals.min())[-1]]

    def midpoint(y_true, scores, costs):
        # Halfway between the optimal score and the next lower score: the same decisions.
        t = lowest(y_true, scores, costs)
        below = scores[scores < t]
        return (t + below.max()) / 2 if below.size and np.isfinite(t) else t

    def flagged_cost_form(y_true, scores, costs):
        # Another way to write it: every flagged candidate costs an interview, every missed hire its cost.
        candidates = np.append(np.unique(scores), np.inf)
        totals = [
            costs["tp"] * np.sum((scores >= t) & (y_true == 1))
            + costs["fp"] * np.sum((scores >= t) & (y_true == 0))
            + costs["fn"] * np.sum((scores < t) & (y_true == 1))
            + costs["tn"] * np.sum((scores < t) & (y_true == 0))
            for t in candidates
        ]
        return candidates[int(np.argmin(totals))]

    for fn in (lowest, highest_tied, midpoint, flagged_cost_form):
        _full(q2, fn)
    # The tied case really has two optimal thresholds, and the two answers above differ there.
    y, scores = np.array([1, 0, 1, 0, 0, 1, 0, 0]), np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2])
    costs = {"tp": 0.0, "fp": 1000.0, "fn": 1000.0, "tn": 0.0}
    assert lowest(y, scores, costs) != highest_tied(y, scores, costs)


def _rates(y, costs):
    positives, negatives = np.sum(y == 1), np.sum(y == 0)
    return lambda c: (
        (costs["tp"] * c["tp"] + costs["fn"] * c["fn"]) / positives
        + (costs["fp"] * c["fp"] + costs["tn"] * c["tn"]) / negatives
    )


Q2_MISTAKES = {
    # name: (answer, the words that name the mistake)
    "true positives free": (
        lambda y, s, c: _cheapest(*_totals(y, s, {**c, "tp": 0.0})),
        "a true positive costs nothing",
    ),
    "true negatives free": (
        lambda y, s, c: _cheapest(*_totals(y, s, {**c, "tn": 0.0})),
        "a true negative costs nothing",
    ),
    "only the errors": (
        lambda y, s, c: _cheapest(*_totals(y, s, {**c, "tp": 0.0, "tn": 0.0})),
        "costs nothing",
    ),
    "swapped": (
        lambda y, s, c: _cheapest(*_totals(y, s, {**c, "fp": c["fn"], "fn": c["fp"]})),
        "swapped",
    ),
    "fewest errors": (
        lambda y, s, c: _cheapest(*_totals(y, s, {"tp": 0.0, "fp": 1.0, "fn": 1.0, "tn": 0.0})),
        "fewest errors",
    ),
    "strict": (lambda y, s, c: _cheapest(*_totals(y, s, c, strict=True)), "`>=`"),
    "never flag nobody": (lambda y, s, c: _cheapest(*_totals(y, s, c, nobody=False)), "flagging nobody costs less"),
    "rates": (lambda y, s, c: _cheapest(*_totals(y, s, c, model=_rates(y, c))), "*rates*"),
    "error rates only": (
        lambda y, s, c: _cheapest(
            *_totals(y, s, c, model=lambda n: c["fp"] * n["fp"] / np.sum(y == 0) + c["fn"] * n["fn"] / np.sum(y == 1))
        ),
        "*rates*",
    ),
    "calibrated formula": (
        lambda y, s, c: (c["fp"] - c["tn"]) / ((c["fp"] - c["tn"]) + (c["fn"] - c["tp"])),
        "perfectly calibrated",
    ),
    "two-cost formula": (lambda y, s, c: c["fp"] / (c["fp"] + c["fn"]), "perfectly calibrated"),
    "default": (lambda y, s, c: 0.5, "another threshold costs less"),
    "a grid of 101 thresholds": (
        lambda y, s, c: _grid_best(y, s, c, np.linspace(0, 1, 101)),
        "a regular grid of thresholds",
    ),
    "a grid 0.005 apart": (
        lambda y, s, c: _grid_best(y, s, c, np.round(np.arange(0, 1.0025, 0.005), 10)),
        "a regular grid of thresholds",
    ),
}


def _grid_best(y, scores, costs, grid):
    """The cheapest threshold of a grid (and flagging nobody): right on round scores only."""
    from lepton_training.evaluation import expected_cost

    grid = np.append(grid, np.inf)
    return float(grid[int(np.argmin([expected_cost(y, scores, t, costs) for t in grid]))])


@pytest.mark.parametrize("name", sorted(Q2_MISTAKES))
def test_q2_mistakes_are_named(name):
    fn, phrase = Q2_MISTAKES[name]
    _loses(q2, fn, phrase)


@pytest.mark.parametrize("name", sorted(set(Q2_MISTAKES) - {"default"}))
def test_q2_fixed_cases_alone_name_each_mistake(name):
    """Rule 1: the fixed hidden cases alone catch every named mistake, whatever the seed (they do not depend on
    it, and the random cases are left out here)."""
    from lepton_training.questions.evaluation import BestThreshold

    fn, phrase = Q2_MISTAKES[name]
    messages = [q2._case(fn, y, s, c) for _, y, s, c in BestThreshold.fixed_cases()]
    assert any(not r.passed and phrase in r.message for r in messages), [r.message for r in messages]
    for seed in range(20):
        assert q2.grade(fn, hidden=seed).points < q2.points, (name, seed)


def test_q2_the_public_check_names_the_free_true_positive():
    """The issue's own mistake, pricing only the errors, is named by `check()` at once."""
    for name in ("true positives free", "rates"):
        result = q2.check(Q2_MISTAKES[name][0])
        assert not result.passed and Q2_MISTAKES[name][1] in result.message, result.message


def test_q2_fixed_cases_are_what_their_descriptions_say():
    from lepton_training.evaluation import cost_optimal_threshold, expected_cost
    from lepton_training.questions.evaluation import BestThreshold

    for description, y, s, costs in BestThreshold.fixed_cases():
        candidates = np.append(np.unique(s), np.inf)
        totals = np.array([expected_cost(y, s, t, costs) for t in candidates])
        if "tie" in description:
            assert np.sum(np.isclose(totals, totals.min())) >= 2
        if "flagging nobody costs least" in description:
            assert np.flatnonzero(np.isclose(totals, totals.min())).tolist() == [len(candidates) - 1]
            assert cost_optimal_threshold(y, s, costs) == np.inf
        if "equal scores" in description:
            assert len(np.unique(s)) < len(s)
        if "hired or not" in description:
            assert costs["tp"] == costs["fp"] > 0
        if "every outcome has a cost" in description:
            assert all(costs[k] > 0 for k in OUTCOMES)
        if "four decimals" in description:
            assert all(len(f"{v:.10g}".split(".")[1]) == 4 for v in s)
            assert np.min(np.diff(np.sort(s))) < 0.001


def test_q2_hard_coded_passes_the_check_only():
    from lepton_training.questions.evaluation import PUBLIC_Q2_SEED, SCREENING_COSTS, scored_cases

    y, scores = scored_cases(np.random.default_rng(PUBLIC_Q2_SEED), 80, prevalence=0.25)
    value = _cheapest(*_totals(y, scores, SCREENING_COSTS))

    def hard_coded(y_true, scores, costs):
        return value

    assert q2.check(hard_coded).passed
    assert q2.grade(hard_coded, hidden=HIDDEN).points < q2.points


# --- q3 ----------------------------------------------------------------------------------------------------------


def _binned(y_true, probs, bins):
    """The answer of a binning: the Brier score, and the mean prediction and observed rate per bin."""
    frame = pd.DataFrame({"bin": bins, "p": probs, "y": y_true}).groupby("bin").mean()
    return {"brier": brier_score_loss(y_true, probs), "mean_predicted": frame["p"], "observed_rate": frame["y"]}


def test_q3_correct_answers():
    def with_sklearn(y_true, probs, n_bins):
        observed, predicted = calibration_curve(y_true, probs, n_bins=n_bins)
        return {"brier": brier_score_loss(y_true, probs), "mean_predicted": predicted, "observed_rate": observed}

    def as_series(y_true, probs, n_bins):
        bins = np.digitize(probs, np.linspace(0, 1, n_bins + 1)[1:-1], right=True)
        frame = pd.DataFrame({"bin": bins, "p": probs, "y": y_true}).groupby("bin").mean()
        return {
            "brier": float(np.mean((probs - y_true) ** 2)),
            "mean_predicted": frame["p"],
            "observed_rate": list(frame["y"]),
        }

    def with_cut(y_true, probs, n_bins):
        return _binned(y_true, probs, pd.cut(probs, np.linspace(0, 1, n_bins + 1), include_lowest=True, labels=False))

    _full(q3, with_sklearn)
    _full(q3, as_series)
    _full(q3, with_cut)


def test_q3_mistakes():
    def swapped(y_true, probs, n_bins):
        observed, predicted = calibration_curve(y_true, probs, n_bins=n_bins)
        return {"brier": brier_score_loss(y_true, probs), "mean_predicted": observed, "observed_rate": predicted}

    def root(y_true, probs, n_bins):
        observed, predicted = calibration_curve(y_true, probs, n_bins=n_bins)
        return {
            "brier": np.sqrt(brier_score_loss(y_true, probs)),
            "mean_predicted": predicted,
            "observed_rate": observed,
        }

    def total(y_true, probs, n_bins):
        observed, predicted = calibration_curve(y_true, probs, n_bins=n_bins)
        return {"brier": np.sum((probs - y_true) ** 2), "mean_predicted": predicted, "observed_rate": observed}

    def empty_bins_kept(y_true, probs, n_bins):
        bins = np.digitize(probs, np.linspace(0, 1, n_bins + 1)[1:-1], right=True)
        frame = pd.DataFrame({"bin": bins, "p": probs, "y": y_true}).groupby("bin").mean().reindex(range(n_bins))
        return {"brier": brier_score_loss(y_true, probs), "mean_predicted": frame["p"], "observed_rate": frame["y"]}

    def extra_bin(y_true, probs, n_bins):
        bins = np.floor(probs * n_bins).astype(int)  # a probability of 1 gets a bin of its own
        frame = pd.DataFrame({"bin": bins, "p": probs, "y": y_true}).groupby("bin").mean()
        return {"brier": brier_score_loss(y_true, probs), "mean_predicted": frame["p"], "observed_rate": frame["y"]}

    def equal_count(y_true, probs, n_bins):
        observed, predicted = calibration_curve(y_true, probs, n_bins=n_bins, strategy="quantile")
        return {"brier": brier_score_loss(y_true, probs), "mean_predicted": predicted, "observed_rate": observed}

    def with_qcut(y_true, probs, n_bins):
        return _binned(y_true, probs, pd.qcut(probs, n_bins, labels=False, duplicates="drop"))

    def closed_left(y_true, probs, n_bins):
        return _binned(y_true, probs, np.minimum(np.floor(probs * n_bins).astype(int), n_bins - 1))

    assert "equal-count bins" in q3.check(equal_count).message
    assert "closed on the" in q3.check(closed_left).message
    for fn, phrase in (
        (equal_count, "equal-count bins"),
        (with_qcut, "equal-count bins"),
        (closed_left, "closed on the"),
        (swapped, "swapped"),
        (root, "square root"),
        (total, "not their sum"),
        (empty_bins_kept, "leave the empty bins out"),
        (extra_bin, "exactly 1 belongs in the last bin"),
    ):
        _loses(q3, fn, phrase)
        _named_by_fixed_cases(q3, fn, phrase)
    assert "swapped" in q3.check(swapped).message
    assert "square root" in q3.check(root).message
    assert "not their sum" in q3.check(total).message


# --- q4 ----------------------------------------------------------------------------------------------------------


def _decided(numbers, *, rule="interval", reason=None):
    """Add a decision to the numbers: on the interval (right), on the mean, on a count of folds, or constant."""
    low, high, mean = numbers["low"], numbers["high"], numbers["mean_difference"]
    if rule == "interval":
        decision, why = ("switch to B", "A") if low > 0 else ("keep A", "C") if high < 0 else ("keep A", "B")
    elif rule == "mean":
        decision, why = ("switch to B", "D") if mean > 0 else ("keep A", "C")
    elif rule == "keep":
        decision, why = "keep A", "B"
    else:
        decision, why = "switch to B", "A"
    return {**numbers, "decision": decision, "reason": reason or why}


def _by_hand(scores_a, scores_b):
    d = scores_b - scores_a
    half = stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
    return {"mean_difference": d.mean(), "low": d.mean() - half, "high": d.mean() + half}


def test_q4_correct_answers():
    def with_scipy(scores_a, scores_b):
        result = stats.ttest_rel(scores_b, scores_a)
        ci = result.confidence_interval(0.95)
        numbers = {"mean_difference": np.mean(scores_b - scores_a), "low": ci.low, "high": ci.high}
        decided = _decided(numbers)
        return {**decided, "decision": decided["decision"].upper(), "reason": f" {decided['reason'].lower()} "}

    def by_hand(scores_a, scores_b):
        return _decided(_by_hand(scores_a, scores_b))

    _full(q4, with_scipy)
    _full(q4, by_hand)
    for seed in range(20):
        assert q4.grade(by_hand, hidden=seed).points == q4.points, seed


def test_q4_mistakes():
    def interval(d, quantile, ddof=1):
        half = quantile * d.std(ddof=ddof) / np.sqrt(len(d))
        return _decided({"mean_difference": d.mean(), "low": d.mean() - half, "high": d.mean() + half})

    def a_minus_b(scores_a, scores_b):
        d = scores_a - scores_b
        return interval(d, stats.t.ppf(0.975, len(d) - 1))

    def normal(scores_a, scores_b):
        d = scores_b - scores_a
        return interval(d, 1.96)

    def population_sd(scores_a, scores_b):
        d = scores_b - scores_a
        return interval(d, stats.t.ppf(0.975, len(d) - 1), ddof=0)

    def unpaired(scores_a, scores_b):
        ci = stats.ttest_ind(scores_b, scores_a, equal_var=False).confidence_interval(0.95)
        return _decided({"mean_difference": np.mean(scores_b) - np.mean(scores_a), "low": ci.low, "high": ci.high})

    def t_with_n(scores_a, scores_b):
        d = scores_b - scores_a
        return interval(d, stats.t.ppf(0.975, len(d)))

    assert "degrees of freedom" in q4.check(t_with_n).message
    _loses(q4, t_with_n, "degrees of freedom")
    _named_by_fixed_cases(q4, t_with_n, "degrees of freedom")
    for fn, phrase in ((a_minus_b, "sign is reversed"), (normal, "t distribution"), (unpaired, "independent")):
        _named_by_fixed_cases(q4, fn, phrase)
    assert "sign is reversed" in q4.check(a_minus_b).message
    assert "t distribution" in q4.check(normal).message
    assert "ddof=1" in q4.check(population_sd).message
    assert "independent samples" in q4.check(unpaired).message
    for fn, phrase in (
        (a_minus_b, "sign is reversed"),
        (normal, "t distribution"),
        (population_sd, "ddof=1"),
        (unpaired, "independent samples"),
    ):
        _loses(q4, fn, phrase)


Q4_JUDGEMENTS = {
    # a switch on the mean alone: named where the interval contains 0, and where it does not
    "mean alone": (lambda a, b: _decided(_by_hand(a, b), rule="mean"), "it contains 0"),
    "most folds": (
        lambda a, b: _decided(_by_hand(a, b), rule="mean", reason="E" if np.mean(b > a) > 0.5 else None),
        "it contains 0",
    ),
    "always keep": (lambda a, b: _decided(_by_hand(a, b), rule="keep"), "judged together"),
    "always switch": (lambda a, b: _decided(_by_hand(a, b), rule="switch"), "judged together"),
    "right decision, reason D": (lambda a, b: _decided(_by_hand(a, b), reason="D"), "not enough to switch"),
}


@pytest.mark.parametrize("name", sorted(Q4_JUDGEMENTS))
def test_q4_wrong_judgements_lose_points(name):
    fn, phrase = Q4_JUDGEMENTS[name]
    assert not q4.check(fn).passed, name  # the public check catches each one too
    _loses(q4, fn, phrase)
    for seed in range(20):  # a fixed case separates each of them, at every seed
        assert q4.grade(fn, hidden=seed).points <= q4.points * 5 / 6 + 1e-9, (name, seed)


def test_q4_missing_decision_is_invalid_and_says_what_to_add():
    result = q4.check(_by_hand)
    assert not result.passed
    assert "'decision'" in result.message and "switch to B" in result.message, result.message


def test_q4_check_does_not_say_which_part_of_the_decision_is_off():
    """With the numbers right, every wrong (decision, reason) pair gets the same words, but for the switches on the
    mean or on a count of folds, which are named whole: trying the ten pairs one by one says nothing else."""
    from lepton_training.questions.evaluation import DECISIONS, REASONS, PairedComparison

    for a, b in PairedComparison.public_cases():
        numbers = _by_hand(a, b)
        right = _decided(numbers)
        messages = set()
        for decision in DECISIONS:
            for reason in REASONS:
                answer = {**numbers, "decision": decision, "reason": reason}
                result = q4._case(lambda x, y, answer=answer: answer, a, b)
                if (decision, reason) == (right["decision"], right["reason"]):
                    assert result.passed
                elif decision == "switch to B" and reason in {"D", "E"}:
                    assert not result.passed
                else:
                    assert not result.passed
                    messages.add(result.message)
        assert len(messages) == 1, messages


def test_q4_fixed_cases_are_what_their_descriptions_say():
    from lepton_training.questions.evaluation import paired_t_interval

    for seed in range(20):
        seen = []

        def spy(a, b, seen=seen):
            seen.append((a.copy(), b.copy()))
            return _decided(_by_hand(a, b))

        tests = q4.hidden_tests(spy, np.random.default_rng(seed))
        for test in tests:
            assert test.run().passed
        for test, (a, b) in zip(tests, seen, strict=True):
            ci = paired_t_interval(a, b)
            if "clearly higher" in test.description:
                assert ci["low"] > 0, seed
            elif "scores lower" in test.description:
                assert ci["high"] < 0, seed
            elif "by less than the folds vary" in test.description:
                assert ci["low"] < 0 < ci["mean_difference"] and np.mean(b > a) > 0.5, seed


# --- q5 ----------------------------------------------------------------------------------------------------------


def _gap(y, pred, group, *, z=1.96, se_over="hires"):
    """The equal-opportunity difference and an interval of ``z`` standard errors of it."""
    rates, ns = {}, {}
    for g in np.unique(group):
        hired = (y == 1) & (group == g)
        rates[g] = np.sum(hired & (pred == 1)) / np.sum(hired)
        ns[g] = np.sum(hired) if se_over == "hires" else np.sum(group == g)
    hi, lo = max(rates, key=rates.get), min(rates, key=rates.get)
    gap = rates[hi] - rates[lo]
    se = np.sqrt(sum(rates[g] * (1 - rates[g]) / ns[g] for g in (hi, lo)))
    return {"low": gap - z * se, "high": gap + z * se}


def _ship(numbers, rule="interval"):
    low, high, d = numbers["low"], numbers["high"], (numbers["low"] + numbers["high"]) / 2
    if rule == "interval":
        decision = ("ship", "A") if low >= -0.1 and high <= 0.1 else None
        decision = decision or (("do not ship", "B") if low > 0.1 else ("collect more data", "C"))
    elif rule == "zero":  # significance logic: ship when no gap is shown, stop when one is
        decision = ("ship", "D") if low <= 0 <= high else ("do not ship", "E")
    elif rule == "point":  # the difference alone
        decision = ("ship", "F") if abs(d) <= 0.1 else ("do not ship", "F")
    else:
        decision = rule
    return {**numbers, "decision": decision[0], "reason": decision[1]}


def _audit(y, pred, group, *, rates_from=None, ratio=None, eod=None, interval=None, rule="interval"):
    """The audit (each part replaceable by a mistake), with the interval and the decision of the statement."""
    df = pd.DataFrame({"y": y, "pred": pred, "group": group})
    rates = df.groupby("group")[rates_from or "pred"].mean()
    tpr = df[df["y"] == 1].groupby("group")["pred"].mean()
    numbers = interval(y, pred, group) if interval else _gap(y, pred, group)
    return {
        "selection_rate": rates.to_dict(),
        "four_fifths_ratio": ratio(rates) if ratio else rates.min() / rates.max(),
        "equal_opportunity_difference": eod(df, rates, tpr) if eod else tpr.max() - tpr.min(),
        **_ship(numbers, rule),
    }


def test_q5_correct_answers():
    def with_pandas(y_true, y_pred, group):
        return _audit(y_true, y_pred, group)

    def reversed_series(y_true, y_pred, group):
        # Groups in reverse order, rates as a Series, NumPy numbers: all accepted.
        labels = sorted(set(group), reverse=True)
        rates = pd.Series({g: y_pred[group == g].mean() for g in labels})
        tpr = [y_pred[(group == g) & (y_true == 1)].mean() for g in labels]
        decided = _ship(_gap(y_true, y_pred, group, z=norm.ppf(0.975)))
        words = {"ship": "Ship", "do not ship": "don't ship", "collect more data": "Collect more data"}
        return {
            "selection_rate": rates,
            "four_fifths_ratio": rates.min() / rates.max(),
            "equal_opportunity_difference": max(tpr) - min(tpr),
            **decided,
            "decision": words[decided["decision"]],
            "reason": f"({decided['reason'].lower()})",
        }

    _full(q5, with_pandas)
    _full(q5, reversed_series)
    for seed in range(20):
        assert q5.grade(with_pandas, hidden=seed).points == q5.points, seed


def test_q5_mistakes():
    def hiring_rates(y_true, y_pred, group):
        return _audit(y_true, y_pred, group, rates_from="y")

    def inverted(y_true, y_pred, group):
        return _audit(y_true, y_pred, group, ratio=lambda r: r.max() / r.min())

    def fixed_order(y_true, y_pred, group):
        return _audit(y_true, y_pred, group, ratio=lambda r: r.iloc[-1] / r.iloc[0])

    def signed(y_true, y_pred, group):
        return _audit(y_true, y_pred, group, eod=lambda df, r, tpr: tpr.iloc[-1] - tpr.iloc[0])

    def selection_gap(y_true, y_pred, group):
        return _audit(y_true, y_pred, group, eod=lambda df, r, tpr: r.max() - r.min())

    def precision_gap(y_true, y_pred, group):
        def gap(df, r, tpr):
            precision = df[df["pred"] == 1].groupby("group")["y"].mean()
            return precision.max() - precision.min()

        return _audit(y_true, y_pred, group, eod=gap)

    def signed_first(y_true, y_pred, group):
        return _audit(y_true, y_pred, group, eod=lambda df, r, tpr: tpr.iloc[0] - tpr.iloc[-1])

    def over_group_size(y_true, y_pred, group):
        def gap(df, r, tpr):
            share = df.assign(hit=(df["y"] == 1) & (df["pred"] == 1)).groupby("group")["hit"].mean()
            return share.max() - share.min()

        return _audit(y_true, y_pred, group, eod=gap)

    # A signed difference fails the public check in either order (its second case has three groups, the highest
    # true positive rate in the middle), with a message that names it.
    for fn in (signed, signed_first):
        result = q5.check(fn)
        assert not result.passed and ("fixed order" in result.message or "positive number" in result.message)
    assert "size of the whole group" in q5.check(over_group_size).message
    for fn, phrase in ((signed, "fixed order"), (signed_first, "fixed order"), (over_group_size, "size of the whole")):
        _loses(q5, fn, phrase)
        _named_by_fixed_cases(q5, fn, phrase)
    assert "y_true" in q5.check(hiring_rates).message
    for fn, phrase in (
        (hiring_rates, "`y_pred`"),
        (inverted, "at most 1"),
        (fixed_order, "four-fifths ratio"),
        (selection_gap, "gap in selection rates"),
        (precision_gap, "compares precision"),
    ):
        _loses(q5, fn, phrase)


# --- q6 ----------------------------------------------------------------------------------------------------------


def _both(participants):
    both = participants.dropna(subset=["pre_score", "post_score"])
    return both["pre_score"].to_numpy(), both["post_score"].to_numpy()


def _hake(pre, post, axis=-1):
    return (np.mean(post, axis=axis) - np.mean(pre, axis=axis)) / (100 - np.mean(pre, axis=axis))


def _percentile_ci(pre, post, n_resamples, seed, level=95.0, separately=False):
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(pre), size=(n_resamples, len(pre)))
    post_idx = rng.integers(0, len(pre), size=(n_resamples, len(pre))) if separately else idx
    gains = _hake(pre[idx], post[post_idx], axis=1)
    tail = (100 - level) / 2
    return np.percentile(gains, [tail, 100 - tail])


def test_q6_correct_answers():
    def loop_other_seed(participants):
        pre, post = _both(participants)
        rng = np.random.default_rng(123)
        gains = []
        for _ in range(2000):
            rows = rng.integers(0, len(pre), len(pre))
            gains.append(_hake(pre[rows], post[rows]))
        low, high = np.percentile(gains, [2.5, 97.5])
        return {"gain": _hake(pre, post), "low": low, "high": high}

    def scipy_bca(participants):
        pre, post = _both(participants)
        res = stats.bootstrap((pre, post), _hake, paired=True, vectorized=True, n_resamples=3000, rng=5)
        return {"gain": _hake(pre, post), "low": res.confidence_interval.low, "high": res.confidence_interval.high}

    def many_resamples(participants):
        pre, post = _both(participants)
        low, high = _percentile_ci(pre, post, 20_000, seed=77)
        return {"gain": _hake(pre, post), "low": low, "high": high}

    for fn in (loop_other_seed, scipy_bca, many_resamples):
        _full(q6, fn)


def test_q6_mistakes():
    def all_pre(participants):
        pre, post = participants["pre_score"], participants["post_score"]
        gain = (post.mean() - pre.mean()) / (100 - pre.mean())
        return {"gain": gain, "low": gain - 0.02, "high": gain + 0.02}

    def dropouts_no_gain(participants):
        pre = participants["pre_score"].to_numpy()
        post = participants["post_score"].fillna(participants["pre_score"]).to_numpy()
        low, high = _percentile_ci(pre, post, 2000, 1)
        return {"gain": _hake(pre, post), "low": low, "high": high}

    def per_learner(participants):
        pre, post = _both(participants)
        gain = np.mean((post - pre) / (100 - pre))
        return {"gain": gain, "low": gain - 0.02, "high": gain + 0.02}

    def ninety(participants):
        pre, post = _both(participants)
        low, high = _percentile_ci(pre, post, 4000, 1, level=90.0)
        return {"gain": _hake(pre, post), "low": low, "high": high}

    def one_se(participants):
        pre, post = _both(participants)
        rng = np.random.default_rng(1)
        idx = rng.integers(0, len(pre), size=(4000, len(pre)))
        se = _hake(pre[idx], post[idx], axis=1).std()
        gain = _hake(pre, post)
        return {"gain": gain, "low": gain - se, "high": gain + se}

    def separately(participants):
        pre, post = _both(participants)
        low, high = _percentile_ci(pre, post, 4000, 1, separately=True)
        return {"gain": _hake(pre, post), "low": low, "high": high}

    def in_place(participants):
        participants.dropna(subset=["post_score"], inplace=True)
        pre, post = _both(participants)
        low, high = _percentile_ci(pre, post, 2000, 1)
        return {"gain": _hake(pre, post), "low": low, "high": high}

    def relative(participants):
        pre, post = _both(participants)
        gain = (post.mean() - pre.mean()) / pre.mean()
        return {"gain": gain, "low": gain - 0.02, "high": gain + 0.02}

    def relative_per_learner(participants):
        pre, post = _both(participants)
        gain = np.mean((post - pre) / pre)
        return {"gain": gain, "low": gain - 0.02, "high": gain + 0.02}

    for fn in (relative, relative_per_learner):
        assert "relative gain" in q6.check(fn).message
        _loses(q6, fn, "relative gain")
        _named_by_fixed_cases(q6, fn, "relative gain", seeds=range(3))
    assert "dropouts" in q6.check(all_pre).message
    assert "per" in q6.check(per_learner).message or "own normalized gain" in q6.check(per_learner).message
    for fn, phrase in (
        (all_pre, "includes the dropouts"),
        (dropouts_no_gain, "learning nothing"),
        (per_learner, "own normalized gain"),
        (ninety, "90% interval"),
        (one_se, "68% interval"),
        (separately, "too wide"),
        (in_place, "changed the table"),
    ):
        _loses(q6, fn, phrase)


def test_q6_hard_coded_passes_the_check_only():
    table = training_participants(**PUBLIC_PARTICIPANTS)
    pre, post = _both(table)
    low, high = _percentile_ci(pre, post, 4000, 3)
    values = {"gain": float(_hake(pre, post)), "low": float(low), "high": float(high)}

    def hard_coded(participants):
        return dict(values)

    assert q6.check(hard_coded).passed
    assert q6.grade(hard_coded, hidden=HIDDEN).points < q6.points


# --- q5, the decision ---------------------------------------------------------------------------------------------

Q5_NUMBERS = {
    "se over group size": (
        lambda y, p, g: _audit(y, p, g, interval=lambda *a: _gap(*a, se_over="size")),
        "standard error divides by the size",
    ),
    "90% interval": (lambda y, p, g: _audit(y, p, g, interval=lambda *a: _gap(*a, z=1.645)), "90% interval"),
    "one standard error": (lambda y, p, g: _audit(y, p, g, interval=lambda *a: _gap(*a, z=1.0)), "one standard error"),
}
Q5_JUDGEMENTS = {
    "ship when 0 is inside": (lambda y, p, g: _audit(y, p, g, rule="zero"), "Not finding a gap"),
    "stop when 0 is outside": (lambda y, p, g: _audit(y, p, g, rule="zero"), "a gap can be real and still small"),
    "the difference alone": (lambda y, p, g: _audit(y, p, g, rule="point"), "the data allow any gap from"),
    "always ship": (lambda y, p, g: _audit(y, p, g, rule=("ship", "A")), "judged together"),
    "always collect more data": (lambda y, p, g: _audit(y, p, g, rule=("collect more data", "C")), "judged together"),
    "never ship": (lambda y, p, g: _audit(y, p, g, rule=("do not ship", "B")), "judged together"),
}


@pytest.mark.parametrize("name", sorted(Q5_NUMBERS))
def test_q5_interval_mistakes_are_named(name):
    fn, phrase = Q5_NUMBERS[name]
    assert phrase in q5.check(fn).message
    _loses(q5, fn, phrase)
    _named_by_fixed_cases(q5, fn, phrase)


@pytest.mark.parametrize("name", sorted(Q5_JUDGEMENTS))
def test_q5_wrong_decisions_lose_points(name):
    fn, phrase = Q5_JUDGEMENTS[name]
    assert not q5.check(fn).passed, name
    _loses(q5, fn, phrase)
    _named_by_fixed_cases(q5, fn, phrase)
    for seed in range(20):  # the audit right and a constant decision: about a third of the hidden weight
        score = q5.grade(fn, hidden=seed)
        assert score.points <= q5.points / 2 + 1e-9, (name, seed, score.points)


def test_q5_audit_without_a_decision_says_what_to_add():
    def audit_only(y_true, y_pred, group):
        answer = _audit(y_true, y_pred, group)
        return {k: answer[k] for k in ("selection_rate", "four_fifths_ratio", "equal_opportunity_difference")}

    result = q5.check(audit_only)
    assert result.status == "invalid" and "'low'" in result.message and "interval" in result.message


def test_q5_check_does_not_say_which_part_of_the_decision_is_off():
    """With the numbers right, every wrong (decision, reason) pair gets the same words, but the whole answers that
    hold a named misconception: trying the eighteen pairs one by one says nothing else."""
    from lepton_training.questions.evaluation import (
        PUBLIC_SHIP_CASE,
        SHIP_DECISIONS,
        SHIP_FIXED_CASES,
        SHIP_REASONS,
        counted_decisions,
    )

    named = ("Not finding a gap", "a gap can be real", "alone", "containing 0 is not", "excluding 0 is not")
    for spec in (PUBLIC_SHIP_CASE, SHIP_FIXED_CASES[2][1], SHIP_FIXED_CASES[4][1]):
        y, pred, group = counted_decisions(spec)
        right = _audit(y, pred, group)
        messages = set()
        for decision in SHIP_DECISIONS:
            for reason in SHIP_REASONS:
                answer = {**right, "decision": decision, "reason": reason}
                result = q5._case(lambda *args, answer=answer: answer, y, pred, group)
                if (decision, reason) == (right["decision"], right["reason"]):
                    assert result.passed
                else:
                    assert not result.passed
                    if not any(words in result.message for words in named):
                        messages.add(result.message)
        assert len(messages) == 1, messages


def test_q5_hidden_cases_are_what_their_descriptions_say_and_balanced():
    from lepton_training.questions.evaluation import eod_interval

    for seed in range(20):
        seen = []

        def spy(y, p, g, seen=seen):
            seen.append((y.copy(), p.copy(), g.copy()))
            return _audit(y, p, g)

        tests = q5.hidden_tests(spy, np.random.default_rng(seed))
        for test in tests:
            assert test.run().passed, (seed, test.description)
        weight = {}
        for test, (y, p, g) in zip(tests, seen, strict=True):
            interval = eod_interval(y, p, g, z=1.96)
            verdict = _ship(interval)["decision"]
            weight[verdict] = weight.get(verdict, 0.0) + test.weight
            if "hires" in test.description:
                hires = [int(np.sum((y == 1) & (g == k))) for k in ("A", "B")]
                assert f"{hires[0]:,} and {hires[1]:,} hires" in test.description or (
                    f"{hires[0]} hires in group A and {hires[1]} in group B" in test.description
                ), (seed, test.description, hires)
            if "excludes 0 but lies within" in test.description:
                assert interval["low"] > 0 and interval["high"] <= 0.1
            if "holds 0 and lies within" in test.description:
                assert -0.1 <= interval["low"] < 0 < interval["high"] <= 0.1
            if "holds 0 and reaches beyond" in test.description:
                assert interval["low"] < 0 < interval["high"] and interval["high"] > 0.1
            if "reaching well beyond 0.10" in test.description:
                assert interval["equal_opportunity_difference"] <= 0.1 < interval["high"]
            if "reaching below 0.10" in test.description:
                assert interval["equal_opportunity_difference"] > 0.1 > interval["low"]
            if "differ by" in test.description:
                stated = float(test.description.split("differ by ")[1].split(":")[0].split(",")[0])
                assert interval["equal_opportunity_difference"] == pytest.approx(stated, abs=0.0051), test.description
        # Rule 3: each verdict is right on cases carrying the same share of the weight.
        assert set(weight) == {"ship", "do not ship", "collect more data"}, weight
        assert max(weight.values()) == pytest.approx(min(weight.values())), weight


def test_q5_hard_coded_passes_the_check_only():
    from lepton_training.questions.evaluation import (
        PUBLIC_SHIP_CASE,
        PUBLIC_THREE_GROUPS,
        AuditFairness,
        counted_decisions,
    )

    publics = [
        AuditFairness._decisions(np.random.default_rng(4043), 120, ("A", "B"), 0.08),
        AuditFairness._counted(PUBLIC_THREE_GROUPS),
        counted_decisions(PUBLIC_SHIP_CASE),
    ]
    answers = {len(y): _audit(y, p, g) for y, p, g in publics}

    def hard_coded(y_true, y_pred, group):
        return dict(answers.get(len(y_true), answers[120]))

    assert q5.check(hard_coded).passed
    assert q5.grade(hard_coded, hidden=HIDDEN).points < q5.points / 2


@pytest.mark.parametrize("question", [q1, q2, q3, q4, q5, q6], ids=lambda q: q.id)
def test_objects_that_claim_equality_are_invalid(question):
    class Liar:
        def __eq__(self, other):
            return True

        def __float__(self):
            return 0.5

    def liar(*args):
        return Liar()

    score = question.grade(liar, hidden=HIDDEN)
    assert score.points == 0


def test_q3_pd_cut_without_include_lowest_is_named():
    # `pd.cut` leaves a probability of exactly 0 in no bin; the fixed case with a 0 catches it at every seed.
    def cut_without_lowest(y_true, probs, n_bins):
        bins = pd.cut(probs, np.linspace(0, 1, n_bins + 1))
        table = pd.DataFrame({"bin": bins, "prob": probs, "y": y_true})
        per_bin = table.groupby("bin", observed=True).agg(mean_predicted=("prob", "mean"), observed_rate=("y", "mean"))
        return {
            "brier": float(np.mean((probs - y_true) ** 2)),
            "mean_predicted": per_bin["mean_predicted"].to_numpy(),
            "observed_rate": per_bin["observed_rate"].to_numpy(),
        }

    _loses(q3, cut_without_lowest, "`include_lowest=True`")
    _named_by_fixed_cases(q3, cut_without_lowest, "`include_lowest=True`")
