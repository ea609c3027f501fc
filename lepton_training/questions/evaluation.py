"""Graded questions of module 04, model evaluation.

* ``q1`` ``precision_recall_f1(y_true, scores, threshold)`` (objective 1): the three metrics at a threshold, as
  a dict; swapped precision and recall, ``>`` for ``>=``, flagging the scores below the threshold, the metrics
  of the negative class and an arithmetic-mean F1 each get their own message. A library call and a hand
  computation both pass.
* ``q2`` ``best_threshold(y_true, scores, cost_fp, cost_fn)`` (objective 2): judged by the expected cost the
  threshold achieves, so every optimal threshold passes (ties); swapped costs, equal costs (fewest errors),
  ``>`` for ``>=`` and the calibrated-probability formula ``cost_fp / (cost_fp + cost_fn)`` are named.
* ``q3`` ``calibration_summary(y_true, probs, n_bins)`` (objective 2): the reliability diagram's points and the
  Brier score; swapped axes, empty bins kept, a probability of exactly 1 in a bin of its own, a root or a sum
  instead of the mean squared error are named. ``sklearn.calibration.calibration_curve`` passes.
* ``q4`` ``paired_comparison(scores_a, scores_b)`` (objective 3, a judgement): the mean per-fold difference with
  its 95% paired t interval, and the decision it supports ("switch to B" or "keep A") with its reason, a letter
  of a fixed list; the sign, an unpaired (Welch) interval, the normal quantile for the t one and the population
  standard deviation are named, then a switch on the mean alone (or on a count of folds) when the interval
  contains 0. The decision and its reason are judged together, so trying pairs one at a time tells nothing;
  fixed hidden cases put the interval above, across and below 0 at every seed. ``scipy.stats.ttest_rel``
  passes.
* ``q5`` ``audit_fairness(y_true, y_pred, group)`` (objective 4): selection rate per group, four-fifths ratio
  and equal-opportunity difference, any group order; hiring rates from the labels, an inverted ratio, a signed
  difference, a selection-rate gap and a precision gap are named.
* ``q6`` ``gain_with_ci(participants)`` (objectives 3 and 5): the class's normalized learning gain with a 95%
  bootstrap interval. The gain is recomputed exactly; the bounds are judged against a band around a reference
  bootstrap (a fraction of its standard error) and the width within 10%, so any seed, any number of resamples
  from 2,000 and SciPy's BCa pass. Dropouts kept in the pre-score mean, dropouts counted as no gain and the mean
  of per-learner gains are named.

Expected values are recomputed from the inputs each test gives the learner's function, with the functions of
:mod:`lepton_training.evaluation` where there is one; none is stored here. Public checks use inputs drawn from
seeds the notebook does not show.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

from lepton_training.checks import (
    CheckResult,
    check_array,
    check_number,
    describe_type,
    format_number,
    incorrect,
    input_changed,
    invalid,
    passed,
    show_value,
)
from lepton_training.exercises import ExerciseSet, FunctionQuestion, Test
from lepton_training.explanations import unseal

MODULE = "04-evaluation"

__all__ = [
    "q1",
    "q2",
    "q3",
    "q4",
    "q5",
    "q6",
    "exercises",
    "progress",
    "scored_cases",
    "PUBLIC_PARTICIPANTS",
    "DECISIONS",
    "REASONS",
]

#: The participants table of q6's public check (the notebook shows ``training_participants()``).
PUBLIC_PARTICIPANTS = {"n": 250, "seed": 11}


# --- shared helpers ----------------------------------------------------------------------------------------------


def scored_cases(rng: Any, n: int, prevalence: float = 0.3, separation: float = 1.5, decimals: int = 2):
    """Labels and model scores for a test: ``(y_true, scores)``, scores rounded so that ties occur.

    Parameters
    ----------
    rng : numpy.random.Generator
    n : int
        Number of cases.
    prevalence : float
        Expected share of positives; at least one positive and one negative are guaranteed.
    separation : float
        How far apart the two classes' scores are (in logit units): larger is an easier problem.
    decimals : int
        Scores are rounded to this many decimals, so some equal a threshold such as 0.35 exactly.

    Returns
    -------
    tuple of numpy.ndarray
        ``y_true`` (ints 0 and 1) and ``scores`` (floats between 0 and 1).
    """
    import numpy as np

    y = (rng.random(n) < prevalence).astype(int)
    y[0], y[1] = 1, 0
    logit = rng.normal(0.0, 1.0, n) + separation * (y - prevalence) - 0.8
    scores = np.round(1.0 / (1.0 + np.exp(-logit)), decimals)
    return y, scores


def _real(value: Any) -> bool:
    # NumPy numbers register as numbers.Real; bools (Python's and NumPy's) are not accepted as numbers.
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and type(value).__name__ != "bool_"


def _returned_dict(value: Any, keys: tuple[str, ...], fn: str) -> CheckResult | None:
    """Return an invalid result when the function did not return a dict with these keys, else None."""
    if not isinstance(value, dict):
        hint = " Did you forget a `return` statement?" if value is None else ""
        wanted = ", ".join(f"'{k}'" for k in keys)
        got = describe_type(value)
        return invalid(f"`{fn}` should return a dict with the keys {wanted}, but it returned {got}.{hint}")
    missing = [k for k in keys if k not in value]
    if missing:
        return invalid(
            f"The dict `{fn}` returns has no key {', '.join(repr(k) for k in missing)}; its keys are "
            f"{', '.join(repr(k) for k in value)}."
        )
    for k in keys:
        if k == "selection_rate":
            continue
        if not _real(value[k]):
            return invalid(f"`{fn}(...)['{k}']` should be a number, but it is {describe_type(value[k])}.")
        if math.isnan(float(value[k])):
            return invalid(f"`{fn}(...)['{k}']` is NaN (not a number): check what you divide by, and missing values.")
    return None


def _close(a: Any, b: float, rtol: float = 1e-7, atol: float = 1e-9) -> bool:
    return math.isclose(float(a), float(b), rel_tol=rtol, abs_tol=atol)


def _all_close(value: dict, expected: dict, rtol: float = 1e-7, atol: float = 1e-9) -> bool:
    return all(_close(value[k], expected[k], rtol, atol) for k in expected)


def _first_difference(value: dict, expected: dict, fn: str, rtol: float = 1e-7, atol: float = 1e-9) -> CheckResult:
    for k in expected:
        result = check_number(value[k], expected[k], rtol=rtol, atol=atol, name=f"`{fn}(...)['{k}']`")
        if not result.passed:
            return result
    return passed()


def _show_array(values: Any, digits: int = 2) -> str:
    return "[" + ", ".join(format_number(round(float(v), digits)) for v in values) + "]"


# --- q1: precision, recall and F1 at a threshold -----------------------------------------------------------------


def _prf(y: Any, flagged: Any) -> dict[str, float]:
    import numpy as np

    y = np.asarray(y).astype(bool)
    flagged = np.asarray(flagged).astype(bool)
    tp = float((y & flagged).sum())
    precision = tp / flagged.sum() if flagged.sum() else 0.0
    recall = tp / y.sum() if y.sum() else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


class PrecisionRecallF1(FunctionQuestion):
    """``precision_recall_f1(y_true, scores, threshold)``: the three metrics when ``scores >= threshold`` is flagged."""

    keys = ("precision", "recall", "f1")

    def _case(self, fn: Any, y: Any, scores: Any, threshold: float) -> CheckResult:
        import numpy as np

        value = fn(y.copy(), scores.copy(), threshold)
        bad = _returned_dict(value, self.keys, "precision_recall_f1")
        if bad is not None:
            return bad
        expected = _prf(y, scores >= threshold)
        if _all_close(value, expected):
            return passed()
        if (
            not math.isclose(expected["precision"], expected["recall"], abs_tol=1e-9)
            and _close(value["precision"], expected["recall"])
            and _close(value["recall"], expected["precision"])
        ):
            return incorrect(
                "precision and recall are swapped. Precision is the share of the flagged candidates who are positive, "
                "TP / (TP + FP); recall is the share of the positive candidates who were flagged, TP / (TP + FN)."
            )
        if _all_close(value, _prf(y, scores > threshold)):
            return incorrect(
                "a score equal to the threshold should count as flagged: use `scores >= threshold`, not `>`."
            )
        if _all_close(value, _prf(y, scores < threshold)) or _all_close(value, _prf(y, scores <= threshold)):
            return incorrect(
                "you flagged the candidates whose score is *below* the threshold. The scores are the model's "
                "probability of the positive class (1): flag the scores at or above the threshold."
            )
        negative = _prf(1 - np.asarray(y), scores < threshold)
        if _all_close(value, negative):
            return incorrect(
                "these are the precision, recall and F1 of the negative class (0). Compute them for the positive "
                "class, 1 (in scikit-learn, `pos_label=1`, the default)."
            )
        same_pr = _close(value["precision"], expected["precision"]) and _close(value["recall"], expected["recall"])
        if same_pr and _close(value["f1"], (expected["precision"] + expected["recall"]) / 2):
            return incorrect(
                "F1 is the harmonic mean of precision and recall, 2PR / (P + R), not their arithmetic mean."
            )
        return _first_difference(value, expected, "precision_recall_f1")

    def public_tests(self, answer: Any) -> list[Test]:
        import numpy as np

        # Twelve candidates, three of them exactly at the threshold 0.4: `>` and `>=` differ here.
        y = np.array([1, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0])
        scores = np.array([0.92, 0.4, 0.4, 0.71, 0.55, 0.12, 0.33, 0.4, 0.08, 0.27, 0.64, 0.81])
        y2, s2 = scored_cases(np.random.default_rng(404), 60)
        return [
            Test(
                "On 12 candidates, three of them scored exactly at the threshold 0.4",
                lambda: self._case(answer, y, scores, 0.4),
            ),
            Test("On 60 other candidates at the threshold 0.3", lambda: self._case(answer, y2, s2, 0.3)),
        ]

    def public_inputs(self) -> list[Any]:
        import numpy as np

        return list(scored_cases(np.random.default_rng(404), 60))

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        import numpy as np

        tests = []
        for _ in range(3):
            n = int(rng.integers(30, 300))
            threshold = float(rng.choice([0.2, 0.25, 0.35, 0.5, 0.6]))
            y, scores = scored_cases(rng, n, prevalence=float(rng.uniform(0.1, 0.5)))
            tests.append(
                Test(
                    f"On {n} other candidates at the threshold {format_number(threshold)}",
                    lambda y=y, s=scores, t=threshold: self._case(answer, y, s, t),
                )
            )
        # Fixed: positives are rare (precision and recall far apart) and several scores sit at the threshold.
        y = np.array([0] * 14 + [1] * 4)
        scores = np.array(
            [0.1, 0.2, 0.5, 0.5, 0.3, 0.7, 0.6, 0.5, 0.05, 0.15, 0.25, 0.55, 0.45, 0.35, 0.9, 0.5, 0.4, 0.8]
        )
        tests.append(
            Test(
                "On 18 candidates, 4 positive, four scores exactly at the threshold 0.5",
                lambda: self._case(answer, y, scores, 0.5),
            )
        )
        return tests


q1 = PrecisionRecallF1(
    id="q1",
    module=MODULE,
    title="Precision, recall and F1",
    points=1,
    answer_name="precision_recall_f1",
    implementations=("lepton_training.evaluation",),
    parameters=("y_true", "scores", "threshold"),
    objectives=(1,),
    hints=(
        "First decide who is flagged: the candidates whose score is at or above the threshold. Then count the "
        "true positives, false positives and false negatives, and build the three metrics from the counts.",
        "`flagged = scores >= threshold` is a boolean array. `(flagged & (y_true == 1)).sum()` counts the true "
        "positives. scikit-learn's `precision_score(y_true, flagged)`, `recall_score` and `f1_score` compute the "
        "same from the labels and the decisions.",
        "Fill in the blanks:\n\n```python\ndef precision_recall_f1(y_true, scores, threshold):\n"
        "    flagged = scores ____ threshold\n"
        "    tp = (flagged & (y_true == 1)).sum()\n"
        "    precision = tp / ____\n"
        "    recall = tp / ____\n"
        "    f1 = ____\n"
        '    return {"precision": precision, "recall": recall, "f1": f1}\n```',
    ),
)


# --- q2: the threshold of least expected cost --------------------------------------------------------------------


def _optimal_for(y: Any, scores: Any, threshold: float, cost_fp: float, cost_fn: float, *, strict=False) -> bool:
    """Whether ``threshold`` reaches the least expected cost (``>`` instead of ``>=`` when ``strict``)."""
    import numpy as np

    from lepton_training.evaluation import cost_optimal_threshold, expected_cost

    best = expected_cost(y, scores, cost_optimal_threshold(y, scores, cost_fp, cost_fn), cost_fp, cost_fn)
    if strict:
        # Flagging score > t is flagging score >= the next score above t.
        above = np.asarray(scores)[np.asarray(scores) > threshold]
        threshold = float(above.min()) if above.size else math.inf
    return expected_cost(y, scores, threshold, cost_fp, cost_fn) <= best + 1e-9 * max(1.0, abs(best))


class BestThreshold(FunctionQuestion):
    """``best_threshold(y_true, scores, cost_fp, cost_fn)``: a threshold of least expected cost (any of them)."""

    def _case(self, fn: Any, y: Any, scores: Any, cost_fp: float, cost_fn: float) -> CheckResult:
        import numpy as np

        from lepton_training.evaluation import expected_cost

        value = fn(y.copy(), scores.copy(), cost_fp, cost_fn)
        if not _real(value):
            hint = " Did you forget a `return` statement?" if value is None else ""
            return invalid(
                f"`best_threshold` should return a number (the threshold), but it returned "
                f"{describe_type(value)}.{hint}"
            )
        threshold = float(value)
        if math.isnan(threshold):
            return invalid("`best_threshold` returned NaN (not a number).")
        if _optimal_for(y, scores, threshold, cost_fp, cost_fn):
            return passed()
        cost = expected_cost(y, scores, threshold, cost_fp, cost_fn)
        at = (
            f"At your threshold {format_number(threshold, 4)} the expected cost is {format_number(cost, 4)} USD per "
            "candidate"
        )
        if _optimal_for(y, scores, math.inf, cost_fp, cost_fn) and threshold <= float(np.max(scores)):
            return incorrect(
                f"{at}: flagging nobody costs less here (only missed positives, no false alarm). The statement "
                "counts that as a threshold too: add one above every score (`np.inf`) to the thresholds you try."
            )
        n_pos, n_neg = int(np.sum(y == 1)), int(np.sum(y == 0))
        if n_pos and n_neg and _optimal_for(y, scores, threshold, cost_fp / n_neg, cost_fn / n_pos):
            return incorrect(
                f"{at}: your threshold is the cheapest if the costs multiply error *rates* (false positives over "
                "the negatives, misses over the positives). The expected cost per candidate counts the errors "
                "themselves: multiply the number of false positives by `cost_fp` and of misses by `cost_fn`."
            )
        if _optimal_for(y, scores, threshold, cost_fp, cost_fn, strict=True):
            return incorrect(
                f"{at}: your threshold is best if only scores strictly above it are flagged, but the statement flags "
                "a score equal to the threshold too (`>=`)."
            )
        if _optimal_for(y, scores, threshold, cost_fn, cost_fp):
            return incorrect(
                f"{at}: the costs look swapped. `cost_fp` is the cost of flagging a negative case (a false "
                "positive), `cost_fn` of missing a positive one (a false negative)."
            )
        if cost_fp != cost_fn and _optimal_for(y, scores, threshold, 1.0, 1.0):
            return incorrect(
                f"{at}: your threshold makes the fewest errors, as if both errors cost the same. Weigh each false "
                "positive by `cost_fp` and each false negative by `cost_fn`."
            )
        if _close(threshold, cost_fp / (cost_fp + cost_fn), rtol=1e-6):
            return incorrect(
                f"{at}: `cost_fp / (cost_fp + cost_fn)` is the best threshold only for perfectly calibrated "
                "probabilities. On these candidates another threshold costs less: try every candidate threshold "
                "and keep the cheapest."
            )
        return incorrect(f"{at}, and another threshold costs less. Try every distinct score as the threshold.")

    def public_tests(self, answer: Any) -> list[Test]:
        import numpy as np

        y, scores = scored_cases(np.random.default_rng(4040), 80, prevalence=0.25)
        return [
            Test(
                "On 80 candidates, a false positive costing 800 USD and a false negative 5,000 USD",
                lambda: self._case(answer, y, scores, 800.0, 5000.0),
            )
        ]

    def public_inputs(self) -> list[Any]:
        import numpy as np

        return list(scored_cases(np.random.default_rng(4040), 80, prevalence=0.25))

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        import numpy as np

        tests = []
        for _ in range(3):
            n = int(rng.integers(40, 300))
            cost_fp = float(rng.choice([300.0, 500.0, 800.0, 1500.0]))
            cost_fn = float(rng.choice([1000.0, 2500.0, 5000.0, 10000.0]))
            if rng.random() < 0.5:
                cost_fp, cost_fn = cost_fn, cost_fp  # false positives can be the dearer error too
            y, scores = scored_cases(rng, n, prevalence=float(rng.uniform(0.1, 0.5)))
            tests.append(
                Test(
                    f"On {n} other candidates, costs {format_number(cost_fp)} USD (false positive) and "
                    f"{format_number(cost_fn)} USD (false negative)",
                    lambda y=y, s=scores, a=cost_fp, b=cost_fn: self._case(answer, y, s, a, b),
                )
            )
        # Each lambda binds its own arrays (default arguments): a closure would see the last case's arrays.
        # Fixed: two candidate thresholds tie for the least cost; a threshold between scores is fine too.
        y = np.array([1, 0, 1, 0, 0, 1, 0, 0])
        scores = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2])
        tests.append(
            Test(
                "On 8 candidates where two thresholds tie for the least cost (costs 1,000 and 1,000 USD)",
                lambda y=y, scores=scores: self._case(answer, y, scores, 1000.0, 1000.0),
            )
        )
        # Fixed: the case the statement names, "flag nobody", is the only cheapest choice: the two positives
        # rank low and a false alarm costs ten times a miss. A search over the observed scores alone misses it.
        y = np.array([0, 0, 0, 1, 0, 0, 1, 0, 0])
        scores = np.array([0.85, 0.7, 0.65, 0.5, 0.45, 0.35, 0.3, 0.25, 0.1])
        tests.append(
            Test(
                "On 9 candidates where flagging nobody costs least (costs 5,000 and 500 USD)",
                lambda y=y, scores=scores: self._case(answer, y, scores, 5000.0, 500.0),
            )
        )
        # Fixed: pairs of equal scores, so `>` and `>=` pick different candidates.
        y = np.array([1, 1, 0, 1, 0, 0, 0, 1, 0, 0])
        scores = np.array([0.8, 0.6, 0.6, 0.45, 0.45, 0.45, 0.3, 0.3, 0.3, 0.1])
        tests.append(
            Test(
                "On 10 candidates with equal scores, costs 500 and 2,000 USD",
                lambda y=y, scores=scores: self._case(answer, y, scores, 500.0, 2000.0),
            )
        )
        return tests


q2 = BestThreshold(
    id="q2",
    module=MODULE,
    title="The threshold of least expected cost",
    points=2,
    answer_name="best_threshold",
    implementations=("lepton_training.evaluation",),
    parameters=("y_true", "scores", "cost_fp", "cost_fn"),
    objectives=(2,),
    hints=(
        "Only the observed scores can change who is flagged, so they are the only thresholds worth trying. For "
        "each one, count the false positives and false negatives, price them, and keep the cheapest threshold.",
        '`np.unique(scores)` gives the candidate thresholds; add `np.inf` to them for "flag nobody". At a '
        "threshold `t`, `flagged = scores >= t`; "
        "`(flagged & (y_true == 0)).sum()` counts the false positives and `(~flagged & (y_true == 1)).sum()` "
        "the false negatives. `np.argmin` finds the position of the least cost.",
        "Fill in the blanks:\n\n```python\ndef best_threshold(y_true, scores, cost_fp, cost_fn):\n"
        "    candidates = np.append(np.unique(scores), ____)\n"
        "    costs = []\n"
        "    for t in candidates:\n"
        "        flagged = scores >= t\n"
        "        fp = ____\n"
        "        fn = ____\n"
        "        costs.append(____)\n"
        "    return candidates[____]\n```",
    ),
)


# --- q3: calibration: the reliability diagram and the Brier score -------------------------------------------------


def reliability_points(y: Any, probs: Any, n_bins: int) -> tuple[Any, Any]:
    """``(mean_predicted, observed_rate)`` per non-empty bin of ``n_bins`` equal-width bins on [0, 1].

    The bins are [0, 1/n), [1/n, 2/n), ..., [(n-1)/n, 1], as in ``sklearn.calibration.calibration_curve``.
    """
    import numpy as np

    probs = np.asarray(probs, dtype=float)
    y = np.asarray(y, dtype=float)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    ids = np.searchsorted(edges[1:-1], probs, side="right")
    counts = np.bincount(ids, minlength=n_bins)
    keep = counts > 0
    mean_predicted = np.bincount(ids, weights=probs, minlength=n_bins)[keep] / counts[keep]
    observed = np.bincount(ids, weights=y, minlength=n_bins)[keep] / counts[keep]
    return mean_predicted, observed


def _as_array(value: Any) -> Any:
    if type(value).__name__ == "Series":
        return value.to_numpy()
    return value


class CalibrationSummary(FunctionQuestion):
    """``calibration_summary(y_true, probs, n_bins)``: reliability-diagram points and the Brier score."""

    keys = ("brier", "mean_predicted", "observed_rate")

    def _case(self, fn: Any, y: Any, probs: Any, n_bins: int) -> CheckResult:
        import numpy as np

        value = fn(y.copy(), probs.copy(), n_bins)
        if not isinstance(value, dict):
            return _returned_dict(value, self.keys, "calibration_summary")
        missing = [k for k in self.keys if k not in value]
        if missing:
            return _returned_dict(value, self.keys, "calibration_summary")
        predicted, observed = reliability_points(y, probs, n_bins)
        name = "`calibration_summary(...)['{}']`"
        got_pred, got_obs = _as_array(value["mean_predicted"]), _as_array(value["observed_rate"])
        for key, got, want in (("mean_predicted", got_pred, predicted), ("observed_rate", got_obs, observed)):
            result = check_array(got, want, rtol=1e-7, atol=1e-9, name=name.format(key))
            if result.passed:
                continue
            if result.status == "invalid" and np.ndim(got) == 1 and len(got) != len(want):
                n_empty = n_bins - len(want)
                if len(got) == n_bins and n_empty:
                    return incorrect(
                        f"{name.format(key)} has one value per bin, but {n_empty} of the {n_bins} bins are empty: "
                        "leave the empty bins out (their mean is undefined)."
                    )
                if (np.asarray(probs) == 1.0).any() and len(got) == len(want) + 1:
                    return incorrect(
                        f"{name.format(key)} has one value too many: a probability of exactly 1 belongs in the last "
                        "bin, [0.9, 1] for 10 bins, not in a bin of its own."
                    )
                return result
            if (
                check_array(got_pred, observed, rtol=1e-7, atol=1e-9).passed
                and check_array(got_obs, predicted, rtol=1e-7, atol=1e-9).passed
            ):
                return incorrect(
                    "`mean_predicted` and `observed_rate` are swapped: `mean_predicted` is the mean predicted "
                    "probability in each bin, `observed_rate` the share of positives among its cases."
                )
            return result
        y_float = np.asarray(y, dtype=float)
        brier = float(np.mean((np.asarray(probs) - y_float) ** 2))
        if not _real(value["brier"]):
            return invalid(f"{name.format('brier')} should be a number, but it is {describe_type(value['brier'])}.")
        got = float(value["brier"])
        if _close(got, brier):
            return passed()
        if _close(got, math.sqrt(brier)):
            return incorrect("the Brier score is the mean squared difference itself, without a square root.")
        if _close(got, brier * len(y_float)):
            return incorrect("the Brier score is the *mean* of the squared differences, not their sum.")
        if _close(got, float(np.mean((1 - np.asarray(probs) - y_float) ** 2))):
            return incorrect(
                "the Brier score compares the probability of the positive class with the label 1 or 0; yours "
                "uses the probability of the other class."
            )
        return check_number(got, brier, rtol=1e-7, atol=1e-9, name=name.format("brier"))

    def public_tests(self, answer: Any) -> list[Test]:
        import numpy as np

        y, probs = self._calibration_cases(np.random.default_rng(4041), 200)
        return [Test("On 200 cases with 10 bins", lambda: self._case(answer, y, probs, 10))]

    def public_inputs(self) -> list[Any]:
        import numpy as np

        return list(self._calibration_cases(np.random.default_rng(4041), 200))

    @staticmethod
    def _calibration_cases(rng: Any, n: int, *, overconfident: float = 1.8) -> tuple[Any, Any]:
        """Labels drawn from true probabilities, and predictions that exaggerate them (overconfident)."""
        import numpy as np

        truth = 1.0 / (1.0 + np.exp(-rng.normal(-0.7, 1.2, n)))
        y = (rng.random(n) < truth).astype(int)
        logit = np.log(truth / (1 - truth)) * overconfident
        return y, 1.0 / (1.0 + np.exp(-logit))

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        import numpy as np

        tests = []
        for _ in range(2):
            n = int(rng.integers(100, 600))
            n_bins = int(rng.choice([5, 8, 10, 20]))
            y, probs = self._calibration_cases(rng, n, overconfident=float(rng.uniform(0.6, 2.0)))
            tests.append(
                Test(
                    f"On {n} other cases with {n_bins} bins", lambda y=y, p=probs, b=n_bins: self._case(answer, y, p, b)
                )
            )
        # Fixed: probabilities of exactly 0 and 1, and empty bins in the middle.
        y = np.array([0, 0, 1, 0, 1, 1, 1, 0, 1, 1])
        probs = np.array([0.0, 0.04, 0.08, 0.12, 0.93, 0.97, 1.0, 1.0, 0.91, 0.55])
        tests.append(
            Test(
                "On 10 cases with probabilities of exactly 0 and 1 and empty bins, 10 bins",
                lambda: self._case(answer, y, probs, 10),
            )
        )
        return tests


q3 = CalibrationSummary(
    id="q3",
    module=MODULE,
    title="Reliability diagram and Brier score",
    points=2,
    answer_name="calibration_summary",
    implementations=("lepton_training.evaluation",),
    parameters=("y_true", "probs", "n_bins"),
    objectives=(2,),
    hints=(
        "Cut [0, 1] into `n_bins` equal bins and put each case in the bin of its predicted probability. In each "
        "bin that has cases, compare the mean prediction with the share of positives. The Brier score needs no "
        "bins: it is the mean squared difference between the probability and the label.",
        "`np.linspace(0, 1, n_bins + 1)` gives the bin edges; `np.digitize(probs, edges[1:-1])` gives each "
        "case's bin, from 0 to `n_bins - 1`, and puts a probability of exactly 1 in the last bin. scikit-learn's "
        "`calibration_curve(y_true, probs, n_bins=n_bins)` returns `(observed, predicted)` per non-empty bin, "
        "in that order, and `brier_score_loss(y_true, probs)` the Brier score.",
        "Fill in the blanks:\n\n```python\ndef calibration_summary(y_true, probs, n_bins):\n"
        "    observed, predicted = calibration_curve(____, ____, n_bins=n_bins)\n"
        "    brier = np.mean((____ - ____) ** 2)\n"
        '    return {"brier": brier, "mean_predicted": ____, "observed_rate": ____}\n```',
    ),
)


# --- q4: comparing two models on the same folds -------------------------------------------------------------------


def paired_t_interval(scores_a: Any, scores_b: Any, confidence: float = 0.95) -> dict[str, float]:
    """Mean of ``b - a`` over the folds and its paired t interval."""
    import numpy as np
    from scipy import stats

    d = np.asarray(scores_b, dtype=float) - np.asarray(scores_a, dtype=float)
    n = len(d)
    half = stats.t.ppf(0.5 + confidence / 2, n - 1) * d.std(ddof=1) / math.sqrt(n)
    return {"mean_difference": float(d.mean()), "low": float(d.mean() - half), "high": float(d.mean() + half)}


#: The decisions of exercise 4, and its reasons by letter (the statement lists the same words).
DECISIONS: tuple[str, ...] = ("switch to B", "keep A")
REASONS: dict[str, str] = {
    "A": "the whole interval is above 0",
    "B": "the interval contains 0",
    "C": "the whole interval is below 0",
    "D": "the mean difference is above 0",
    "E": "model B scores higher on more than half of the folds",
}


def _decision_key(interval: dict[str, float]) -> tuple[str, str]:
    """Return the decision and its reason for an interval of B minus A."""
    if interval["low"] > 0:
        return "switch to B", "A"
    if interval["high"] < 0:
        return "keep A", "C"
    return "keep A", "B"


def _decision_words(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    squeezed = " ".join(value.lower().replace("_", " ").replace("-", " ").split())
    return next((decision for decision in DECISIONS if decision.lower() == squeezed), None)


def _reason_letter(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    letter = value.strip().strip("()").upper()
    return letter if letter in REASONS else None


class PairedComparison(FunctionQuestion):
    """``paired_comparison(scores_a, scores_b)``: B - A with its paired t interval, a decision and its reason."""

    keys = ("mean_difference", "low", "high")

    def _case(self, fn: Any, a: Any, b: Any) -> CheckResult:
        numbers = self._numbers(fn, a, b)
        if isinstance(numbers, CheckResult):
            return numbers
        value, expected = numbers
        if "decision" not in value or "reason" not in value:
            return invalid(
                "The dict `paired_comparison` returns has the numbers right, but no "
                + " or ".join(repr(k) for k in ("decision", "reason") if k not in value)
                + ' key: add your decision, "switch to B" or "keep A", and the letter of its reason.'
            )
        decision, reason = _decision_words(value["decision"]), _reason_letter(value["reason"])
        if decision is None:
            return invalid(
                f'`paired_comparison(...)["decision"]` should be "switch to B" or "keep A", but it is '
                f"{show_value(value['decision'])}."
            )
        if reason is None:
            return invalid(
                f'`paired_comparison(...)["reason"]` should be one of the letters {", ".join(REASONS)}, but it is '
                f"{show_value(value['reason'])}."
            )
        right = _decision_key(expected)
        if (decision, reason) == right:
            return passed()
        # The decision and its reason are judged together, so that trying the ten pairs one by one on a case
        # says nothing about either part; whole answers that hold a known misconception are named.
        if decision == "switch to B" and reason in {"D", "E"} and expected["low"] <= 0:
            return incorrect(
                "you switch to B because it is ahead on average or on most folds, but the 95% interval of the "
                f"difference runs from {format_number(expected['low'], 3)} to "
                f"{format_number(expected['high'], 3)}: it contains 0, so these folds cannot tell the two "
                "models apart, and a difference this size could be the luck of the folds."
            )
        if decision == "switch to B" and right[0] == "switch to B" and reason in {"D", "E"}:
            return incorrect(
                "a mean (or a count of folds) above 0 is not enough to switch: it would say the same of a "
                "difference that is only the luck of the folds. Which fact about these numbers rules that out?"
            )
        return incorrect(
            "the numbers are right, but the decision and its reason are not, yet: they are judged together. Look "
            "at where the interval lies with respect to 0, and ask what a difference of 0 would mean."
        )

    def _numbers(self, fn: Any, a: Any, b: Any) -> CheckResult | tuple[dict, dict]:
        import numpy as np
        from scipy import stats

        value = fn(a.copy(), b.copy())
        bad = _returned_dict(value, self.keys, "paired_comparison")
        if bad is not None:
            return bad
        expected = paired_t_interval(a, b)
        if _all_close(value, expected, rtol=1e-6, atol=1e-9):
            return value, expected
        if _all_close(value, paired_t_interval(b, a), 1e-6):
            return incorrect(
                "the sign is reversed: the statement asks for model B minus model A, so a positive difference "
                "means B scores higher."
            )
        if not _close(value["mean_difference"], expected["mean_difference"], 1e-6):
            return _first_difference(value, expected, "paired_comparison", 1e-6)
        d = np.asarray(b, dtype=float) - np.asarray(a, dtype=float)
        n = len(d)
        half = value["high"] - value["mean_difference"]
        unpaired = [stats.ttest_ind(b, a, equal_var=equal).confidence_interval(0.95) for equal in (False, True)]
        if any(_close(half, (ci.high - ci.low) / 2, 1e-6) for ci in unpaired):
            return incorrect(
                "this interval treats the two models' scores as independent samples. They were measured on the "
                "same folds: take the difference fold by fold and build the interval from those differences."
            )
        se = d.std(ddof=1) / math.sqrt(n)
        if _close(half, 1.959963984540054 * se, 1e-4):
            return incorrect(
                f"the interval uses the normal distribution's 1.96. With {n} folds, use the t distribution with "
                f"{n - 1} degrees of freedom (`scipy.stats.t.ppf(0.975, {n - 1})`): the interval is wider."
            )
        if _close(half, stats.t.ppf(0.975, n - 1) * d.std(ddof=0) / math.sqrt(n), 1e-6):
            return incorrect(
                "the standard deviation of the differences is the sample one, with `ddof=1` (NumPy's `std` uses "
                "`ddof=0` by default)."
            )
        return _first_difference(value, expected, "paired_comparison", 1e-6)

    @staticmethod
    def _fold_scores(rng: Any, n_folds: int, gain: float) -> tuple[Any, Any]:
        """Per-fold scores of two models that share most of their fold-to-fold variation (the folds' difficulty)."""
        import numpy as np

        fold = rng.normal(0.0, 0.03, n_folds)
        a = np.round(0.78 + fold + rng.normal(0.0, 0.008, n_folds), 4)
        b = np.round(0.78 + gain + fold + rng.normal(0.0, 0.008, n_folds), 4)
        return a, b

    @classmethod
    def _fold_scores_where(cls, rng: Any, n_folds: int, gain: float, where: str) -> tuple[Any, Any]:
        """Return fold scores whose interval lies "above", "below" or "across" 0 (B ahead on average and on most folds).

        The "across" case separates a decision on the mean alone, or on a count of folds, from one on the interval.
        """
        import numpy as np

        for _ in range(500):
            a, b = cls._fold_scores(rng, n_folds, gain)
            ci = paired_t_interval(a, b)
            ahead = int(np.sum(b > a))
            if where == "above" and ci["low"] > 0.002:
                return a, b
            if where == "below" and ci["high"] < -0.002:
                return a, b
            if where == "across" and ci["low"] < -0.002 and ci["mean_difference"] > 0.001 and 2 * ahead > n_folds:
                return a, b
        raise AssertionError(f"no fold scores {where} 0 in 500 draws")  # pragma: no cover

    @classmethod
    def public_cases(cls) -> list[tuple[Any, Any]]:
        """Return the public fold scores: B clearly ahead on 10 folds, then ahead by less than the folds vary."""
        import numpy as np

        return [
            cls._fold_scores(np.random.default_rng(4042), 10, 0.01),
            cls._fold_scores_where(np.random.default_rng(4043), 8, 0.004, "across"),
        ]

    def public_tests(self, answer: Any) -> list[Test]:
        (a1, b1), (a2, b2) = self.public_cases()
        return [
            Test("On two models' scores on 10 folds", lambda: self._case(answer, a1, b1)),
            Test("On two other models' scores on 8 folds", lambda: self._case(answer, a2, b2)),
        ]

    def public_inputs(self) -> list[Any]:
        return [scores for case in self.public_cases() for scores in case]

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        tests = []
        for _ in range(2):
            n_folds = int(rng.choice([5, 8, 10, 20]))
            a, b = self._fold_scores(rng, n_folds, float(rng.uniform(-0.02, 0.02)))
            tests.append(
                Test(f"On two models' scores on {n_folds} other folds", lambda a=a, b=b: self._case(answer, a, b))
            )
        # Fixed, at every seed: one case per place of the interval, so that a constant decision, or a decision on
        # the mean alone, fails at least one. B worse on 5 folds is also where t and 1.96 differ most.
        a, b = self._fold_scores_where(rng, 10, 0.02, "above")
        tests.append(Test("On 10 folds where model B scores clearly higher", lambda a=a, b=b: self._case(answer, a, b)))
        a, b = self._fold_scores_where(rng, 8, 0.004, "across")
        tests.append(
            Test(
                "On 8 folds where model B is ahead on average and on most folds, by less than the folds vary",
                lambda a=a, b=b: self._case(answer, a, b),
            )
        )
        a, b = self._fold_scores_where(rng, 5, -0.02, "below")
        tests.append(Test("On 5 folds where model B scores lower", lambda a=a, b=b: self._case(answer, a, b)))
        return tests


#: What ``q4.explain()`` shows after an attempt, sealed (:mod:`lepton_training.explanations`); the text is the
#: instructor notebook's cell ``q4-explanation``.
_EXPLANATION_Q4 = (
    "JjLHgucF5QBRvf4RCiV578GbQ4dFkyqHje7COJwFfXAOHDvBcrzPpmeCr7GcPIwi1/cKZPvumnGl86Vc+uBbPZUc0Ud1TB/oMDI4"
    "i48ID7Bgpm8kg2FWVb6ekckg/xtoTUhr/OM0TDVcY3hzr2+4iMVq2aHqXoUdAxW2IXEf7KR79t8F3zf2vYCVtjIANj6Q/zznppSq"
    "d3qedR+ECdCdX94qQ6iVjgpLayqDd4Ofsk1zI2HAW4GQuQ1dQH6Fqd63AWaF5UWvB+MDn/IWUTdOB51tEGUj/Jsr8XTgEcUyi8XL"
    "4l2GuIL696SmH/SCRPODfsQ2kLxyyzrtCyLPjAUT69e0oF+4W0rXv+F22JvHn92qCGRB2wicQQUa/v8YFiIvp5JtkjhxRHws3phd"
    "GtrIXN+t2pNQ5AtbvVCXVli+FWoGLzsfm4jb7qnaLUvDz3YK/9LCKKHk5Se7OboFlS8K7gekiNzeNFqmaTCHv6n4BQ9FiWyJy5WI"
    "M4vH/11bgJk/xh6yNBZgz080kyK8Gt/IP9bYlHukD6B48ZchCfolnM399NxfALZM7kBLbY9hjTq+dJQ4BmKTItmtIHu/xjRyLwkr"
    "m8Jl9f7DqCTKKHw8pYIldFiODdXklG4KHt0w6/5jORdEg8eusRb7Zwd69LwHwWVUUwip3MGP9R6xhCCvnJX7Gf8tYQBm39mV5Gct"
    "c6JL35A7oneK9ORJCgXv+8fmnOWff4y5WeHFGIPDwLGHntQXtz3AEZBDgqApIOanbaB4eUwHme0cieMdFF+Hizd5KnayCd07oKPf"
    "ZPMlZ1qhOx+FgT1BkGK4MV7+O8VhLIBgsw8LlnTnPEhA0HAT+3LEboIX6JfmVifYhCtpnnwRMk0EwrHTbj/7JyvgTo4/vTKxH6nQ"
    "jmAm+dYl2KFL2lIhXm2PHRgO3fK69UewW2rA4iUoayf/rYzlf0wYm0bjDmbYyyqG5jCWtteucDkS0JzbYz4Jeul1j63nZ8SODAVi"
    "7BYOjfYKJXFcfx3JbUAxYGXBkorbeueGS0isuDkvymVYy/pSlryJqG+z1z/BgGFJMKtJ0UqKOsBgh3xscdoSWHgxbCFm965om69A"
    "frmaXc+LJPBI+7Xk3macsPbXRcCJN8nlF/DP9HPecyn1AuwfO5XGpxmOfrTPZTxvMrkXpp8rYYh6kPVIpX5NZ+7SIz5Ubo/3sb7R"
    "4SaZu7eTe3Fnvz5i0A05UhCdbQ=="
)


q4 = PairedComparison(
    id="q4",
    module=MODULE,
    title="A paired comparison of two models, and a decision",
    points=2,
    answer_name="paired_comparison",
    implementations=("lepton_training.evaluation",),
    parameters=("scores_a", "scores_b"),
    objectives=(3,),
    hints=(
        "The two models were scored on the same folds, so compare them fold by fold: one difference per fold. "
        "The question becomes the mean of those differences and its uncertainty.",
        "With `d = scores_b - scores_a`, the interval is the mean of `d` plus or minus "
        "`t * d.std(ddof=1) / sqrt(n)`, with `t = scipy.stats.t.ppf(0.975, n - 1)`. "
        "`scipy.stats.ttest_rel(scores_b, scores_a).confidence_interval()` gives the same bounds.",
        "Then the decision: switching has a cost, so switch only when the folds show that B is better. Ask where "
        "the interval lies with respect to 0, and what a difference of 0 would mean; the reason is the letter "
        "that says that.",
        "Fill in the blanks:\n\n```python\ndef paired_comparison(scores_a, scores_b):\n"
        "    d = ____ - ____\n"
        "    n = len(d)\n"
        "    half = stats.t.ppf(0.975, ____) * d.std(ddof=____) / np.sqrt(n)\n"
        "    low, high = d.mean() - half, d.mean() + half\n"
        "    if ____:\n"
        '        decision, reason = "switch to B", ____\n'
        "    elif ____:\n"
        '        decision, reason = "keep A", ____\n'
        "    else:\n"
        '        decision, reason = "keep A", ____\n'
        '    return {"mean_difference": d.mean(), "low": low, "high": high,\n'
        '            "decision": decision, "reason": reason}\n```',
    ),
    explanation=unseal(_EXPLANATION_Q4, f"{MODULE}:q4"),
)


# --- q5: a group fairness audit -----------------------------------------------------------------------------------


class AuditFairness(FunctionQuestion):
    """``audit_fairness(y_true, y_pred, group)``: selection rates, four-fifths ratio, equal-opportunity difference."""

    keys = ("selection_rate", "four_fifths_ratio", "equal_opportunity_difference")

    def _case(self, fn: Any, y: Any, pred: Any, group: Any) -> CheckResult:
        import numpy as np

        from lepton_training.evaluation import (
            equal_opportunity_difference,
            four_fifths_ratio,
            selection_rates,
        )

        value = fn(y.copy(), pred.copy(), group.copy())
        bad = _returned_dict(value, self.keys, "audit_fairness")
        if bad is not None:
            return bad
        rates = value["selection_rate"]
        if type(rates).__name__ == "Series":
            rates = rates.to_dict()
        if not isinstance(rates, dict):
            return invalid(
                "`audit_fairness(...)['selection_rate']` should be a dict (or a pandas Series) from group label to "
                f"selection rate, but it is {describe_type(rates)}."
            )
        expected_rates = selection_rates(pred, group)
        labels = [str(g) for g in expected_rates.index]
        got_labels = sorted(str(g) for g in rates)
        if got_labels != sorted(labels):
            return invalid(
                f"`audit_fairness(...)['selection_rate']` has the groups {got_labels}; the data has the groups "
                f"{sorted(labels)}."
            )
        rates = {str(k): v for k, v in rates.items()}
        if not all(_real(v) for v in rates.values()):
            return invalid("The selection rates should be numbers.")
        by_label = {str(k): float(v) for k, v in rates.items()}
        hiring = selection_rates(y, group)
        if all(_close(by_label[g], float(hiring[g])) for g in labels) and not all(
            _close(by_label[g], float(expected_rates[g])) for g in labels
        ):
            return incorrect(
                "these selection rates come from `y_true`: they are the groups' rates in the data (who was in fact "
                "hired). The audit is of the model: use its decisions, `y_pred`."
            )
        for g in labels:
            if not _close(by_label[g], float(expected_rates[g])):
                got, want = by_label[g], float(expected_rates[g])
                return incorrect(
                    f"the selection rate of group {g!r} is {'too high' if got > want else 'too low'}: it is the share "
                    "of the group's members the model selects."
                )
        ratio = four_fifths_ratio(expected_rates)
        got_ratio = float(value["four_fifths_ratio"])
        if not _close(got_ratio, ratio):
            if ratio > 0 and _close(got_ratio, 1 / ratio):
                return incorrect(
                    "the four-fifths ratio is the *lowest* selection rate divided by the *highest*, so it is at most 1."
                )
            return incorrect(
                "the four-fifths ratio differs: it is the lowest group's selection rate divided by the highest's, "
                "whichever groups those are."
            )
        eod = equal_opportunity_difference(y, pred, group)
        got_eod = float(value["equal_opportunity_difference"])
        if _close(got_eod, eod):
            return passed()
        if _close(got_eod, -eod):
            return incorrect(
                "the equal-opportunity difference is a gap: give it as a positive number, the highest true "
                "positive rate minus the lowest."
            )
        if _close(got_eod, float(expected_rates.max() - expected_rates.min())):
            return incorrect(
                "this is the gap in selection rates. Equal opportunity compares the true positive rates: among the "
                "candidates who are in fact positive (`y_true == 1`), the share each group's model selects."
            )
        frame_pred = np.asarray(pred).astype(bool)
        precision = {
            g: float(np.asarray(y)[frame_pred & (np.asarray(group) == g)].mean())
            for g in np.unique(group)
            if (frame_pred & (np.asarray(group) == g)).any()
        }
        if precision and _close(got_eod, max(precision.values()) - min(precision.values())):
            return incorrect(
                "this compares precision (the share of the selected who are positive). Equal opportunity compares "
                "recall: among the positive candidates, the share selected."
            )
        return incorrect(
            "the equal-opportunity difference differs: it is the highest true positive rate minus the lowest."
        )

    @staticmethod
    def _decisions(rng: Any, n: int, groups: tuple[str, ...], shift: float) -> tuple[Any, Any, Any]:
        """Labels, decisions and group labels, the later groups selected less often (by ``shift``)."""
        import numpy as np

        group = np.asarray(groups, dtype=object)[rng.integers(0, len(groups), n)]
        index = np.array([groups.index(g) for g in group])
        y = (rng.random(n) < 0.3).astype(int)
        p = np.clip(0.15 + 0.5 * y - shift * index, 0.02, 0.98)
        pred = (rng.random(n) < p).astype(int)
        for g in groups:  # every group has a positive and a selected case
            where = np.flatnonzero(group == g)
            y[where[0]], pred[where[0]] = 1, 1
            y[where[1]], pred[where[1]] = 1, 0
        group = group.astype(str)
        return y, pred, group

    def public_tests(self, answer: Any) -> list[Test]:
        import numpy as np

        y, pred, group = self._decisions(np.random.default_rng(4043), 120, ("A", "B"), 0.08)
        return [Test("On 120 candidates in groups A and B", lambda: self._case(answer, y, pred, group))]

    def public_inputs(self) -> list[Any]:
        import numpy as np

        return list(self._decisions(np.random.default_rng(4043), 120, ("A", "B"), 0.08))

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        import numpy as np

        tests = []
        for groups in (("A", "B"), ("north", "south", "east")):
            n = int(rng.integers(80, 400))
            shift = float(rng.uniform(0.02, 0.12))
            y, pred, group = self._decisions(rng, n, groups, shift)
            tests.append(
                Test(
                    f"On {n} other candidates in the groups {', '.join(groups)}",
                    lambda y=y, p=pred, g=group: self._case(answer, y, p, g),
                )
            )
        # Fixed: the *first* group (in order of appearance and of the alphabet) is selected less: a ratio of
        # B / A or A / B in a fixed order is then above 1 or wrong; the true positive rates differ in the other
        # direction from the selection rates.
        y = np.array([1, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0])
        pred = np.array([1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1])
        group = np.array(["A"] * 6 + ["B"] * 6)
        tests.append(
            Test(
                "On 12 candidates where group A is selected less often than group B",
                lambda: self._case(answer, y, pred, group),
            )
        )
        return tests


q5 = AuditFairness(
    id="q5",
    module=MODULE,
    title="A group fairness audit",
    points=2,
    answer_name="audit_fairness",
    implementations=("lepton_training.evaluation",),
    parameters=("y_true", "y_pred", "group"),
    objectives=(4,),
    hints=(
        "Three numbers about the model's decisions: in each group, the share selected; the lowest of those "
        "shares divided by the highest; and the gap between groups in the share selected among the candidates "
        "who are in fact positive.",
        "Put the three arrays in a DataFrame and use `groupby('group')`: the mean of a 0/1 column is a share. "
        "For the true positive rates, keep only the rows with `y_true == 1` before grouping. `Series.to_dict()` "
        "turns the rates into a dict, and `.min()`, `.max()` give the extremes whatever the group order.",
        "Fill in the blanks:\n\n```python\ndef audit_fairness(y_true, y_pred, group):\n"
        '    df = pd.DataFrame({"y": y_true, "pred": y_pred, "group": group})\n'
        '    rates = df.groupby("group")["____"].mean()\n'
        '    tpr = df[df["____"] == 1].groupby("group")["pred"].mean()\n'
        "    return {\n"
        '        "selection_rate": rates.to_dict(),\n'
        '        "four_fifths_ratio": ____,\n'
        '        "equal_opportunity_difference": ____,\n'
        "    }\n```",
    ),
)


# --- q6: did the training work? The normalized learning gain with a confidence interval -------------------------

#: The bounds must lie within this many bootstrap standard errors of a reference interval's, and the width within
#: ``_WIDTH_TOLERANCE`` of its width. The Monte Carlo error of a 95% percentile bound from 2,000 resamples is about
#: 0.06 standard errors, and 0.05 from the reference's 4,000: the band is about four times their combined error,
#: while a 90% interval (each bound 0.32 standard errors inside, 16% narrower) or a 68% one fails.
_BAND_IN_SE = 0.3
_WIDTH_TOLERANCE = 0.10


def _gain_reference(participants: Any, seed: int = 0):
    from lepton_training.evaluation import learning_gain_ci

    return learning_gain_ci(participants["pre_score"], participants["post_score"], n_resamples=4000, seed=seed)


class GainWithCI(FunctionQuestion):
    """``gain_with_ci(participants)``: the class's normalized gain with a 95% bootstrap interval."""

    keys = ("gain", "low", "high")

    def _case(self, fn: Any, participants: Any) -> CheckResult:
        import numpy as np

        from lepton_training.evaluation import learning_gain

        given = participants.copy()
        value = fn(given)
        advice = (
            " (a `dropna(inplace=True)`, a new column): work on a copy, or select what you need without modifying "
            "`participants`."
        )
        changed = input_changed(given, participants, "table", advice)
        if changed is not None:
            return changed
        bad = _returned_dict(value, self.keys, "gain_with_ci")
        if bad is not None:
            return bad
        pre, post = participants["pre_score"], participants["post_score"]
        gain = learning_gain(pre, post)
        got = float(value["gain"])
        if not _close(got, gain, 1e-6):
            all_pre = (post.mean() - pre.mean()) / (100 - pre.mean())
            if _close(got, all_pre, 1e-6):
                return incorrect(
                    "the mean pre-score includes the dropouts, but the mean post-score cannot: the two means are over "
                    "different people. Leave out the employees without a post-score before taking either mean."
                )
            if _close(got, learning_gain(pre, post.fillna(pre)), 1e-6):
                return incorrect(
                    "the dropouts were counted as learning nothing (post-score = pre-score). Their post-score is "
                    "unknown, not unchanged: leave them out, as the statement says."
                )
            if _close(got, float(np.nanmean(learning_gain(pre, post, per_learner=True))), 1e-6):
                return incorrect(
                    "this is the mean of each employee's own normalized gain. The class gain asked for is Hake's: "
                    "(mean post - mean pre) / (100 - mean pre), from the class's mean scores."
                )
            if _close(got, float((post - pre).mean()), 1e-6) or _close(got, float((post - pre).mean()) / 100, 1e-6):
                return incorrect(
                    "this is the raw gain in points; the normalized gain divides it by the room there was to "
                    "improve, 100 - mean pre."
                )
            return check_number(got, gain, rtol=1e-6, name="`gain_with_ci(...)['gain']`")
        low, high = float(value["low"]), float(value["high"])
        if not low <= gain <= high:
            if low > high:
                return incorrect("the interval's `low` is above its `high`: are they swapped?")
            return incorrect(
                "the interval does not contain the gain. Resample the employees (pairs of scores) with replacement "
                "and recompute the class gain on each resample."
            )
        reference = _gain_reference(participants)
        se = reference.standard_error
        width, ref_width = high - low, reference.high - reference.low
        if width < (1 - _WIDTH_TOLERANCE) * ref_width:
            ratio = width / ref_width
            which = " (a 68% interval: one standard error either way?)" if ratio < 0.6 else ""
            if ratio < 0.2:
                which = (
                    " Did you divide by the square root of the number of resamples? The standard deviation of "
                    "the bootstrap estimates already is the standard error."
                )
            elif 0.75 < ratio < 0.9:
                which = " (a 90% interval? The 95% one runs from the 2.5th to the 97.5th percentile.)"
            return incorrect(
                f"the interval is too narrow, about {format_number(100 * (1 - ratio), 2)}% narrower than "
                f"a 95% bootstrap interval of the class gain.{which}"
            )
        if width > (1 + _WIDTH_TOLERANCE) * ref_width:
            ratio = width / ref_width
            return incorrect(
                f"the interval is too wide, about {format_number(100 * (ratio - 1), 2)}% wider than a "
                "95% bootstrap interval of the class gain. Did you resample pre- and post-scores "
                "separately? Resample employees, keeping each one's two scores together."
            )
        for name, got_bound, want in (("low", low, reference.low), ("high", high, reference.high)):
            if abs(got_bound - want) > _BAND_IN_SE * se:
                return incorrect(
                    f"`{name}` is {'too high' if got_bound > want else 'too low'} for a 95% bootstrap interval of the "
                    "class gain (the check allows for the randomness of the bootstrap, within about a third of a "
                    "standard error)."
                )
        return passed()

    def public_tests(self, answer: Any) -> list[Test]:
        from lepton_training.datasets import training_participants

        table = training_participants(**PUBLIC_PARTICIPANTS)
        return [
            Test(
                f"On another participants table, training_participants({PUBLIC_PARTICIPANTS['n']}, "
                f"seed={PUBLIC_PARTICIPANTS['seed']})",
                lambda: self._case(answer, table),
            )
        ]

    def public_inputs(self) -> list[Any]:
        from lepton_training.datasets import training_participants

        return [training_participants(**PUBLIC_PARTICIPANTS)]

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        import numpy as np
        import pandas as pd

        from lepton_training.datasets import training_participants

        n = int(rng.integers(120, 500))
        seed = int(rng.integers(1_000, 1_000_000))
        table = training_participants(n, seed=seed)
        # Fixed: the low scorers dropped out, so keeping their pre-scores in the mean moves the gain a lot; the
        # rows are numbered from 100, as in a part of a larger table.
        fixed_rng = np.random.default_rng(7)
        pre = np.round(fixed_rng.uniform(20, 90, 60))
        post = np.round(np.clip(pre + 0.4 * (100 - pre) + fixed_rng.normal(0, 6, 60), 0, 100))
        post[np.argsort(pre)[:12]] = np.nan
        fixed = pd.DataFrame(
            {
                "employee_id": [f"E{k:04d}" for k in range(60)],
                "team": "Sales",
                "level": "mid",
                "hours_attended": 16.0,
                "pre_score": pre,
                "post_score": post,
            },
            index=range(100, 160),
        )
        return [
            Test(
                f"On another participants table (training_participants({n}, seed={seed}))",
                lambda: self._case(answer, table),
            ),
            Test(
                "On 60 employees, the 12 with the lowest pre-scores without a post-score",
                lambda: self._case(answer, fixed),
            ),
        ]


q6 = GainWithCI(
    id="q6",
    module=MODULE,
    title="The learning gain with a confidence interval",
    points=2,
    answer_name="gain_with_ci",
    implementations=("lepton_training.evaluation",),
    parameters=("participants",),
    objectives=(3, 5),
    hints=(
        "Two steps. Keep the employees who have both scores, and compute the class gain from their mean scores. "
        "Then resample those employees with replacement many times, recompute the class gain each time, and read "
        "the interval off the spread of the results.",
        "`participants.dropna(subset=['post_score'])` keeps the employees with a post-score. "
        "`rng.integers(0, n, size=(n_resamples, n))` draws all resamples at once as row positions; "
        "`pre[idx].mean(axis=1)` then gives each resample's mean. `np.percentile(estimates, [2.5, 97.5])` "
        "reads off a 95% interval.",
        "Fill in the blanks:\n\n```python\ndef gain_with_ci(participants):\n"
        '    both = participants.dropna(subset=["____"])\n'
        '    pre, post = both["pre_score"].to_numpy(), both["post_score"].to_numpy()\n'
        "    gain = (post.mean() - pre.mean()) / (____)\n"
        "    idx = np.random.default_rng(0).integers(0, len(pre), size=(4000, len(pre)))\n"
        "    pre_means, post_means = pre[idx].mean(axis=1), post[idx].mean(axis=1)\n"
        "    gains = ____\n"
        "    low, high = np.percentile(gains, [____, ____])\n"
        '    return {"gain": gain, "low": low, "high": high}\n```',
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
