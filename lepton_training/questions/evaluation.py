"""Graded questions of module 04, model evaluation.

* ``q1`` ``precision_recall_f1(y_true, scores, threshold)`` (objective 1): the three metrics at a threshold, as
  a dict; swapped precision and recall, ``>`` for ``>=``, flagging the scores below the threshold, the metrics
  of the negative class, a macro or weighted average over the classes and an arithmetic-mean F1 each get their
  own message. A library call and a hand computation both pass.
* ``q2`` ``best_threshold(y_true, scores, costs)`` (objective 2): ``costs`` prices every outcome (``"tp"``,
  ``"fp"``, ``"fn"``, ``"tn"``: a flagged candidate is interviewed, hired or not). Judged by the expected cost
  the threshold achieves, so every optimal threshold passes (ties); a free true positive (or true negative),
  swapped costs, equal costs (fewest errors), costs applied to rates or shares instead of counts, ``>`` for
  ``>=``, never trying "flag nobody" and the calibrated-probability formula are named, each by a fixed case.
* ``q3`` ``calibration_summary(y_true, probs, n_bins)`` (objective 2): the reliability diagram's points and the
  Brier score, in scikit-learn's bins (closed on the right); swapped axes, empty bins kept, a probability of
  exactly 1 in a bin of its own, a probability on an edge in the bin above (bins closed on the left),
  equal-count bins, a root or a sum instead of the mean squared error are named.
  ``sklearn.calibration.calibration_curve`` passes.
* ``q4`` ``paired_comparison(scores_a, scores_b)`` (objective 3, a judgement): the mean per-fold difference with
  its 95% paired t interval, and the decision it supports ("switch to B" or "keep A") with its reason, a letter
  of a fixed list; the sign, an unpaired (Welch) interval, the normal quantile for the t one, t with n degrees
  of freedom and the population standard deviation are named, then a switch on the mean alone (or on a count of
  folds) when the interval contains 0. The decision and its reason are judged together, so trying pairs one at
  a time tells nothing; fixed hidden cases put the interval above, across and below 0 at every seed.
  ``scipy.stats.ttest_rel`` passes.
* ``q5`` ``audit_fairness(y_true, y_pred, group)`` (objectives 3 and 4, a judgement): selection rate per group,
  four-fifths ratio and equal-opportunity difference, any group order, then the difference's 95% interval and
  a ship decision against a tolerance of 0.10 ("ship", "do not ship", "collect more data") with its reason.
  Hiring rates from the labels, an inverted ratio, a signed or fixed-order difference, true positive rates over
  the group's size, a selection-rate gap and a precision gap are named; so are a standard error over the
  group's size and a 90% or one-standard-error interval, then shipping because the interval contains 0,
  stopping because it excludes 0 and deciding on the difference alone. Hidden cases are weighted so that each
  verdict carries the same share.
* ``q6`` ``gain_with_ci(participants)`` (objectives 3 and 5): the class's normalized learning gain with a 95%
  bootstrap interval. The gain is recomputed exactly; the bounds are judged against a band around a reference
  bootstrap (a fraction of its standard error) and the width within 10%, so any seed, any number of resamples
  from 2,000 and SciPy's BCa pass. Dropouts kept in the pre-score mean, dropouts counted as no gain, the mean
  of per-learner gains and the relative gain ``(post - pre) / pre`` are named.

Expected values are recomputed from the inputs each test gives the learner's function, with the functions of
:mod:`lepton_training.evaluation` where there is one; none is stored here. Public checks use inputs drawn from
seeds the notebook does not show. Each question's fixed hidden cases separate every mistake it names, whatever
the seed (``tests/test_evaluation_mutants.py``).
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
    "SCREENING_COSTS",
    "DECISIONS",
    "REASONS",
    "SHIP_DECISIONS",
    "SHIP_REASONS",
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


def _first_difference(
    value: dict, expected: dict, words: dict[str, tuple[str, str]], rtol: float = 1e-7, atol: float = 1e-9
) -> CheckResult:
    """Return the first value that differs, named in words with what it is: ``words[key] = (name, advice)``."""
    for k in expected:
        name, advice = words[k]
        result = check_number(value[k], expected[k], rtol=rtol, atol=atol, name=name, advice=advice)
        if not result.passed:
            return result
    return passed()


# What each returned number is, for the messages of the mistakes no test names.
_PRF_WORDS = {
    "precision": (
        "The precision",
        "It is the share of the flagged candidates (score at or above the threshold) who were hired (label 1).",
    ),
    "recall": (
        "The recall",
        "It is the share of the hired candidates (label 1) whose score is at or above the threshold.",
    ),
    "f1": ("F1", "It is the harmonic mean of this precision and recall, 2PR / (P + R)."),
}
_PAIRED_WORDS = {
    "mean_difference": (
        "The mean difference",
        "It is the mean over the folds of model B's score minus model A's, fold by fold.",
    ),
    "low": (
        "The interval's `low`",
        "It is the mean difference minus t(0.975, n - 1) times the standard error of the differences, "
        "sd(ddof=1) / sqrt(n).",
    ),
    "high": (
        "The interval's `high`",
        "It is the mean difference plus t(0.975, n - 1) times the standard error of the differences, "
        "sd(ddof=1) / sqrt(n).",
    ),
}


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
        positive, other = expected, _prf(1 - np.asarray(y), scores < threshold)
        flagged = np.asarray(scores >= threshold)
        share = float(np.mean(np.asarray(y) == 1))
        for average, weights in (("macro", (0.5, 0.5)), ("weighted", (share, 1 - share))):
            mixed = {k: weights[0] * positive[k] + weights[1] * other[k] for k in self.keys}
            if flagged.any() and not flagged.all() and _close(value["precision"], mixed["precision"]):
                return incorrect(
                    f"precision is an average over the two classes (`average='{average}'`); the statement asks for "
                    "the positive class, 1: in scikit-learn, the default `average='binary'`."
                )
        same_pr = _close(value["precision"], expected["precision"]) and _close(value["recall"], expected["recall"])
        if same_pr and _close(value["f1"], (expected["precision"] + expected["recall"]) / 2):
            return incorrect(
                "F1 is the harmonic mean of precision and recall, 2PR / (P + R), not their arithmetic mean."
            )
        return _first_difference(value, expected, _PRF_WORDS)

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

#: The costs of exercise 2's public check and of the notebook's section 3: every flagged candidate is interviewed
#: (800 USD, hired or not), a missed hire costs 5,000 USD, a candidate rightly screened out costs nothing.
SCREENING_COSTS: dict[str, float] = {"tp": 800.0, "fp": 800.0, "fn": 5000.0, "tn": 0.0}

#: Seed of the public check's candidates: there, leaving out the true positives' cost, or pricing rates instead
#: of counts, picks another threshold, so the check names the mistake at once.
PUBLIC_Q2_SEED = 4058


def _outcomes_at(y: Any, scores: Any, thresholds: Any, *, strict: bool = False) -> dict[str, Any]:
    """Count the four outcomes at each threshold (``scores >= t``, or ``>`` when ``strict``), as arrays."""
    import numpy as np

    y = np.asarray(y).astype(bool)
    s = np.asarray(scores, dtype=float)
    t = np.asarray(thresholds, dtype=float)[:, None]
    flagged = s[None, :] > t if strict else s[None, :] >= t
    return {
        "tp": (flagged & y).sum(axis=1),
        "fp": (flagged & ~y).sum(axis=1),
        "fn": (~flagged & y).sum(axis=1),
        "tn": (~flagged & ~y).sum(axis=1),
    }


def _priced(costs: dict[str, float]) -> Any:
    """Return a cost model that prices the counts of each outcome."""
    return lambda c: sum(costs[k] * c[k] for k in ("tp", "fp", "fn", "tn"))


def _least_under(y: Any, scores: Any, threshold: float, model: Any, *, strict: bool = False) -> bool:
    """Whether ``threshold`` reaches the least of ``model(counts)`` over every threshold that changes a decision."""
    import numpy as np

    candidates = np.append(np.unique(np.asarray(scores, dtype=float)), np.inf)
    totals = np.asarray(model(_outcomes_at(y, scores, candidates)), dtype=float)
    here = float(np.asarray(model(_outcomes_at(y, scores, [threshold], strict=strict)), dtype=float)[0])
    best = float(np.nanmin(totals))
    return here <= best + 1e-9 * max(1.0, abs(best))


def _rates(costs: dict[str, float]) -> Any:
    """Apply the costs to rates (true and false positive rates over the positives, and so on), not to counts."""

    def model(c):
        positives, negatives = c["tp"] + c["fn"], c["fp"] + c["tn"]
        return (costs["tp"] * c["tp"] + costs["fn"] * c["fn"]) / positives + (
            costs["fp"] * c["fp"] + costs["tn"] * c["tn"]
        ) / negatives

    return model


def _shares(costs: dict[str, float]) -> Any:
    """Apply the costs to shares of the flagged and of the others (precision-like rates), not to counts."""
    import numpy as np

    def model(c):
        with np.errstate(divide="ignore", invalid="ignore"):
            flagged = np.where(c["tp"] + c["fp"] > 0, c["tp"] + c["fp"], 1)
            others = np.where(c["fn"] + c["tn"] > 0, c["fn"] + c["tn"], 1)
            return (costs["tp"] * c["tp"] + costs["fp"] * c["fp"]) / flagged + (
                costs["fn"] * c["fn"] + costs["tn"] * c["tn"]
            ) / others

    return model


def _calibrated(costs: dict[str, float]) -> float | None:
    wrong_fp, wrong_fn = costs["fp"] - costs["tn"], costs["fn"] - costs["tp"]
    return wrong_fp / (wrong_fp + wrong_fn) if wrong_fp > 0 and wrong_fn > 0 else None


def _grid_step(y: Any, scores: Any, threshold: float, costs: dict[str, float]) -> tuple[float, bool] | None:
    """Return ``(step, exact)`` of a regular grid on [0, 1] whose cheapest threshold decides as ``threshold`` does.

    ``exact`` is False for a grid computed in floating point (``np.linspace``, ``np.arange``), whose values land a
    hair off the round numbers; None when no usual grid explains the threshold.
    """
    import numpy as np

    from lepton_training.evaluation import expected_cost

    flagged = np.asarray(scores) >= threshold
    for step in (0.01, 0.005, 0.001):  # the grids people write; a coarse one matches other mistakes by chance
        n = round(1 / step)
        grids = (
            (np.round(np.linspace(0.0, 1.0, n + 1), 10), True),
            (np.linspace(0.0, 1.0, n + 1), False),
            (np.arange(0.0, 1.0 + step / 2, step), False),
        )
        for grid, exact in grids:
            grid = np.append(grid, np.inf)
            best = grid[int(np.argmin([expected_cost(y, scores, t, costs) for t in grid]))]
            if np.array_equal(np.asarray(scores) >= best, flagged):
                return step, exact
    return None


class BestThreshold(FunctionQuestion):
    """``best_threshold(y_true, scores, costs)``: a threshold of least expected cost (any), every outcome priced."""

    def _case(self, fn: Any, y: Any, scores: Any, costs: dict[str, float]) -> CheckResult:
        import numpy as np

        from lepton_training.evaluation import expected_cost

        value = fn(y.copy(), scores.copy(), dict(costs))
        if not _real(value):
            hint = " Did you forget a `return` statement?" if value is None else ""
            return invalid(
                f"`best_threshold` should return a number (the threshold), but it returned "
                f"{describe_type(value)}.{hint}"
            )
        threshold = float(value)
        if math.isnan(threshold):
            return invalid("`best_threshold` returned NaN (not a number).")
        if _least_under(y, scores, threshold, _priced(costs)):
            return passed()
        cost = expected_cost(y, scores, threshold, costs)
        at = (
            f"At your threshold {format_number(threshold, 4)} the expected cost is {format_number(cost, 4)} USD per "
            "candidate"
        )
        words = {"tp": "a true positive", "tn": "a true negative"}
        if _least_under(y, scores, math.inf, _priced(costs)) and threshold <= float(np.max(scores)):
            return incorrect(
                f"{at}: flagging nobody costs less here (no interview at all). The statement counts that as a "
                "threshold too: add one above every score (`np.inf`) to the thresholds you try."
            )
        # Checked before the cost models below: a grid's best can match one of them by chance.
        grid = _grid_step(y, scores, threshold, costs)
        if grid is not None:
            step, exact = grid
            why = (
                "two scores can be closer together than the grid's step, and the cheapest decision can lie between them"
                if exact
                else "grid values computed in floating point land a hair off the round numbers: "
                "`np.linspace(0, 1, 101)[35]` is 0.35000000000000003, above a score of 0.35, which it then "
                "does not flag"
            )
            return incorrect(
                f"{at}: your threshold is the best of a regular grid of thresholds (such as every "
                f"{format_number(step)}), but {why}. Try every distinct score as the threshold (`np.unique(scores)`), "
                "and flagging nobody."
            )
        for left_out in (("tp",), ("tn",), ("tp", "tn")):
            if all(costs[k] == 0 for k in left_out):
                continue
            if _least_under(y, scores, threshold, _priced({**costs, **dict.fromkeys(left_out, 0.0)})):
                named = " and ".join(words[k] for k in left_out)
                why = " (a hired candidate was flagged, so interviewed, too)" if left_out == ("tp",) else ""
                return incorrect(
                    f"{at}: your threshold is the cheapest if {named} costs nothing, but the statement gives "
                    f"{'them costs' if len(left_out) > 1 else 'it a cost'}{why}. Price every outcome: "
                    "`costs['tp'] * TP + costs['fp'] * FP + costs['fn'] * FN + costs['tn'] * TN`."
                )
        if _least_under(y, scores, threshold, _rates(costs)):
            return incorrect(
                f"{at}: your threshold is the cheapest if the costs multiply *rates* (false positives over the "
                "negatives, misses over the positives). The expected cost per candidate counts the outcomes "
                "themselves: multiply the number of false positives by `costs['fp']`, and so on, then divide by "
                "the number of candidates."
            )
        if _least_under(y, scores, threshold, _shares(costs)):
            return incorrect(
                f"{at}: your threshold is the cheapest if the costs multiply *shares* (of the flagged, of the "
                "others) instead of counts. Multiply the number of cases in each outcome by its cost, then divide "
                "by the number of candidates."
            )
        if _least_under(y, scores, threshold, _priced(costs), strict=True):
            return incorrect(
                f"{at}: your threshold is best if only scores strictly above it are flagged, but the statement flags "
                "a score equal to the threshold too (`>=`)."
            )
        swapped = {**costs, "fp": costs["fn"], "fn": costs["fp"]}
        if costs["fp"] != costs["fn"] and _least_under(y, scores, threshold, _priced(swapped)):
            return incorrect(
                f"{at}: the costs of the two errors look swapped. `costs['fp']` is the cost of flagging a negative "
                "case (a false positive), `costs['fn']` of missing a positive one (a false negative)."
            )
        errors = {"tp": 0.0, "fp": 1.0, "fn": 1.0, "tn": 0.0}
        if _least_under(y, scores, threshold, _priced(errors)):
            return incorrect(
                f"{at}: your threshold makes the fewest errors, as if every error cost the same and the right "
                "decisions nothing. Price each outcome with its own cost."
            )
        formula = _calibrated(costs)
        if formula is not None and (
            _close(threshold, formula, rtol=1e-6) or _close(threshold, costs["fp"] / (costs["fp"] + costs["fn"]))
        ):
            return incorrect(
                f"{at}: a threshold computed from the costs alone is the best one only for perfectly calibrated "
                "probabilities. On these candidates another threshold costs less: try every candidate threshold "
                "and keep the cheapest."
            )
        return incorrect(
            f"{at}, and another threshold costs less. Try every distinct score as the threshold, and flagging nobody."
        )

    def public_tests(self, answer: Any) -> list[Test]:
        import numpy as np

        y, scores = scored_cases(np.random.default_rng(PUBLIC_Q2_SEED), 80, prevalence=0.25)
        return [
            Test(
                "On 80 candidates, an interview costing 800 USD (true and false positives alike) and a missed hire "
                "5,000 USD",
                lambda: self._case(answer, y, scores, dict(SCREENING_COSTS)),
            )
        ]

    def public_inputs(self) -> list[Any]:
        import numpy as np

        return list(scored_cases(np.random.default_rng(PUBLIC_Q2_SEED), 80, prevalence=0.25))

    @staticmethod
    def fixed_cases() -> list[tuple[str, Any, Any, dict[str, float]]]:
        """Return the hidden cases that every seed has: ``(description, y_true, scores, costs)``.

        Each separates named mistakes from a right answer whatever the seed: a tie, "flag nobody", equal scores
        at the threshold, a true positive that costs as much as a false one, a true negative that costs something.
        """
        import numpy as np

        return [
            (
                # Two candidate thresholds tie for the least cost; a threshold between scores is fine too.
                "On 8 candidates where two thresholds tie for the least cost (every error 1,000 USD, right "
                "decisions free)",
                np.array([1, 0, 1, 0, 0, 1, 0, 0]),
                np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2]),
                {"tp": 0.0, "fp": 1000.0, "fn": 1000.0, "tn": 0.0},
            ),
            (
                # The case the statement names, "flag nobody", is the only cheapest: the two positives rank low
                # and flagging costs ten times a miss. A search over the observed scores alone misses it.
                "On 9 candidates where flagging nobody costs least (flagging 5,000 USD, a miss 500 USD)",
                np.array([0, 0, 0, 1, 0, 0, 1, 0, 0]),
                np.array([0.85, 0.7, 0.65, 0.5, 0.45, 0.35, 0.3, 0.25, 0.1]),
                {"tp": 5000.0, "fp": 5000.0, "fn": 500.0, "tn": 0.0},
            ),
            (
                # Pairs of equal scores, so `>` and `>=` pick different candidates.
                "On 10 candidates with equal scores (false positive 500 USD, miss 2,000 USD)",
                np.array([1, 1, 0, 1, 0, 0, 0, 1, 0, 0]),
                np.array([0.8, 0.6, 0.6, 0.45, 0.45, 0.45, 0.3, 0.3, 0.3, 0.1]),
                {"tp": 0.0, "fp": 500.0, "fn": 2000.0, "tn": 0.0},
            ),
            (
                # Interviews cost the same for the hired: leaving the true positives' cost out flags more, and
                # costs applied to rates pick yet another threshold.
                "On 12 candidates where an interview costs 1,000 USD, hired or not, and a miss 3,000 USD",
                np.array([1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]),
                np.array([0.86, 0.8, 0.78, 0.55, 0.54, 0.5, 0.45, 0.41, 0.24, 0.16, 0.11, 0.09]),
                {"tp": 1000.0, "fp": 1000.0, "fn": 3000.0, "tn": 0.0},
            ),
            (
                # Scores as a model gives them, not rounded: the cheapest decisions lie between 0.4206 and 0.4209,
                # where no usual grid of thresholds (0.01, 0.005, 0.001 apart) has a point.
                "On 10 candidates whose scores are four decimals long, some of them close together (every error "
                "1,000 USD, right decisions free)",
                np.array([1, 1, 1, 1, 1, 0, 0, 0, 0, 0]),
                np.array([0.9137, 0.8021, 0.6112, 0.4213, 0.4209, 0.4206, 0.4203, 0.2988, 0.1975, 0.0912]),
                {"tp": 0.0, "fp": 1000.0, "fn": 1000.0, "tn": 0.0},
            ),
            (
                # A true negative costs something too (a rejection the recruiters review by hand).
                "On 12 candidates where every outcome has a cost (a rejection reviewed by hand: 300 USD)",
                np.array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]),
                np.array([0.84, 0.63, 0.54, 0.49, 0.48, 0.44, 0.41, 0.34, 0.3, 0.27, 0.26, 0.12]),
                {"tp": 200.0, "fp": 600.0, "fn": 2500.0, "tn": 300.0},
            ),
        ]

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        tests = []
        for _ in range(3):
            n = int(rng.integers(40, 300))
            interview = float(rng.choice([300.0, 500.0, 800.0, 1500.0]))
            miss = float(rng.choice([1000.0, 2500.0, 5000.0, 10000.0]))
            costs = {"tp": interview, "fp": interview, "fn": miss, "tn": float(rng.choice([0.0, 0.0, 100.0]))}
            y, scores = scored_cases(rng, n, prevalence=float(rng.uniform(0.1, 0.5)))
            tests.append(
                Test(
                    f"On {n} other candidates, costs {format_number(costs['tp'])} USD (true positive), "
                    f"{format_number(costs['fp'])} USD (false positive), {format_number(costs['fn'])} USD (false "
                    f"negative), {format_number(costs['tn'])} USD (true negative)",
                    lambda y=y, s=scores, c=costs: self._case(answer, y, s, c),
                )
            )
        # Each lambda binds its own arrays (default arguments): a closure would see the last case's arrays.
        for description, y, scores, costs in self.fixed_cases():
            tests.append(Test(description, lambda y=y, s=scores, c=costs: self._case(answer, y, s, c)))
        return tests


q2 = BestThreshold(
    id="q2",
    module=MODULE,
    title="The threshold of least expected cost",
    points=2,
    answer_name="best_threshold",
    implementations=("lepton_training.evaluation",),
    parameters=("y_true", "scores", "costs"),
    objectives=(2,),
    hints=(
        "Only the observed scores can change who is flagged, so they are the only thresholds worth trying, with "
        "one more for flagging nobody. For each, count the four outcomes, price each with its cost, and keep "
        "the cheapest threshold.",
        '`np.unique(scores)` gives the candidate thresholds; add `np.inf` to them for "flag nobody". At a '
        "threshold `t`, `flagged = scores >= t`; `(flagged & (y_true == 1)).sum()` counts the true positives, "
        "`(flagged & (y_true == 0)).sum()` the false positives, and `~flagged` the others. `np.argmin` finds "
        "the position of the least cost.",
        "Fill in the blanks:\n\n```python\ndef best_threshold(y_true, scores, costs):\n"
        "    candidates = np.append(np.unique(scores), ____)\n"
        "    totals = []\n"
        "    for t in candidates:\n"
        "        flagged = scores >= t\n"
        "        tp = (flagged & (y_true == 1)).sum()\n"
        "        fp = ____\n"
        "        fn = ____\n"
        "        tn = ____\n"
        '        totals.append(costs["tp"] * tp + ____)\n'
        "    return candidates[____]\n```",
    ),
)


# --- q3: calibration: the reliability diagram and the Brier score -------------------------------------------------


def _bin_ids(probs: Any, n_bins: int, *, closed: str = "right") -> Any:
    """Each probability's bin among ``n_bins`` equal-width bins on [0, 1], from 0 to ``n_bins - 1``.

    ``closed="right"``: (a, b] with the first bin [0, 1/n], as ``sklearn.calibration.calibration_curve`` and
    ``pandas.cut`` do; ``closed="left"``: [a, b) with the last bin [(n-1)/n, 1], as ``np.histogram`` does.
    """
    import numpy as np

    edges = np.linspace(0.0, 1.0, n_bins + 1)
    return np.searchsorted(edges[1:-1], np.asarray(probs, dtype=float), side="left" if closed == "right" else "right")


def _points(y: Any, probs: Any, ids: Any, n_bins: int) -> tuple[Any, Any]:
    import numpy as np

    probs = np.asarray(probs, dtype=float)
    counts = np.bincount(ids, minlength=n_bins)
    keep = counts > 0
    mean_predicted = np.bincount(ids, weights=probs, minlength=n_bins)[keep] / counts[keep]
    observed = np.bincount(ids, weights=np.asarray(y, dtype=float), minlength=n_bins)[keep] / counts[keep]
    return mean_predicted, observed


def reliability_points(y: Any, probs: Any, n_bins: int, *, closed: str = "right") -> tuple[Any, Any]:
    """``(mean_predicted, observed_rate)`` per non-empty bin of ``n_bins`` equal-width bins on [0, 1].

    The bins are [0, 1/n], (1/n, 2/n], ..., ((n-1)/n, 1]: closed on the right, as in
    ``sklearn.calibration.calibration_curve`` (``closed="left"`` gives the other convention, for messages).
    """
    return _points(y, probs, _bin_ids(probs, n_bins, closed=closed), n_bins)


def equal_count_points(y: Any, probs: Any, n_bins: int) -> list[tuple[Any, Any]]:
    """Return the points of equal-count bins (``calibration_curve(..., strategy="quantile")``, ``pandas.qcut``)."""
    import numpy as np
    import pandas as pd

    probs = np.asarray(probs, dtype=float)
    edges = np.percentile(probs, np.linspace(0, 100, n_bins + 1))
    found = [_points(y, probs, np.searchsorted(edges[1:-1], probs), n_bins)]
    try:
        codes = pd.qcut(probs, n_bins, labels=False, duplicates="drop")
    except ValueError:  # pragma: no cover - too few distinct values
        return found
    found.append(_points(y, probs, np.asarray(codes, dtype=int), n_bins))
    return found


def _as_array(value: Any) -> Any:
    if type(value).__name__ == "Series":
        return value.to_numpy()
    return value


#: q3's second public case: labels and probabilities, four of them on an edge of 5 bins.
PUBLIC_EDGE_CASE = ((1, 0, 1, 0, 0, 1, 1, 0), (0.2, 0.4, 0.4, 0.1, 0.3, 0.8, 0.9, 0.55))


class CalibrationSummary(FunctionQuestion):
    """``calibration_summary(y_true, probs, n_bins)``: reliability-diagram points and the Brier score."""

    keys = ("brier", "mean_predicted", "observed_rate")
    # What each returned value is, for the messages of the mistakes no test names.
    ADVICE = {
        "mean_predicted": (
            "It is the mean predicted probability of the cases in each bin that is not empty, in bin order; the "
            "bins split 0 to 1 into `n_bins` equal widths, closed on the right, with 0 in the first bin."
        ),
        "observed_rate": "It is the share of positive cases (label 1) in each bin that is not empty, in bin order.",
        "brier": "It is the mean over the cases of (probability - label) squared.",
    }

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
            result = check_array(got, want, rtol=1e-7, atol=1e-9, name=f"`{key}`", advice=self.ADVICE[key])
            if result.passed:
                continue
            named = self._named_binning(y, probs, n_bins, got_pred, got_obs)
            if named is not None:
                return named
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
        return check_number(got, brier, rtol=1e-7, atol=1e-9, name="The Brier score", advice=self.ADVICE["brier"])

    @staticmethod
    def _named_binning(y: Any, probs: Any, n_bins: int, got_pred: Any, got_obs: Any) -> CheckResult | None:
        """Name another binning the points come from: equal-count bins, bins closed on the left, 0 in no bin."""
        import numpy as np

        def same(points):
            return (
                check_array(got_pred, points[0], rtol=1e-7, atol=1e-9).passed
                and check_array(got_obs, points[1], rtol=1e-7, atol=1e-9).passed
            )

        if any(same(points) for points in equal_count_points(y, probs, n_bins)):
            return incorrect(
                "these are the points of equal-count bins, each holding about the same number of cases "
                "(`strategy='quantile'`, `pd.qcut`). The statement asks for equal-width bins: [0, 1] cut into "
                "`n_bins` parts of the same width (`calibration_curve`'s default, `strategy='uniform'`)."
            )
        if same(reliability_points(y, probs, n_bins, closed="left")):
            return incorrect(
                "a probability exactly on a bin edge, such as 0.5, is in the wrong bin: the bins are closed on the "
                "right, as scikit-learn's, so 0.5 belongs to (0.4, 0.5], not [0.5, 0.6). `np.floor(p * n_bins)` "
                "and `np.digitize` without `right=True` put it in the bin above."
            )
        zero = np.asarray(probs) == 0
        if zero.any() and not zero.all():
            # `pd.cut` without `include_lowest=True` leaves a probability of exactly 0 out of every bin.
            kept = reliability_points(np.asarray(y)[~zero], np.asarray(probs)[~zero], n_bins)
            if same(kept):
                return incorrect(
                    "the cases with a probability of exactly 0 are in no bin: the first bin is [0, 0.1] for 10 "
                    "bins, 0 included. `pd.cut` leaves the lowest edge out unless `include_lowest=True`."
                )
        return None

    def public_tests(self, answer: Any) -> list[Test]:
        import numpy as np

        y, probs = self._calibration_cases(np.random.default_rng(4041), 200)
        y_edges, probs_edges = PUBLIC_EDGE_CASE
        return [
            Test("On 200 cases with 10 bins", lambda: self._case(answer, y, probs, 10)),
            Test(
                "On 8 cases, 4 of them exactly on a bin edge (0.2, 0.4, 0.8), 5 bins",
                lambda: self._case(answer, np.array(y_edges), np.array(probs_edges), 5),
            ),
        ]

    def public_inputs(self) -> list[Any]:
        import numpy as np

        return [*self._calibration_cases(np.random.default_rng(4041), 200), *map(np.array, PUBLIC_EDGE_CASE)]

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
        # Fixed: probabilities exactly on inner edges, where bins closed on the left and on the right differ, and
        # equal-count bins differ from equal-width ones.
        y_edges = np.array([0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 0])
        probs_edges = np.array([0.2, 0.2, 0.25, 0.4, 0.45, 0.5, 0.5, 0.55, 0.62, 0.8, 0.85, 0.05])
        tests.append(
            Test(
                "On 12 cases, 5 of them exactly on a bin edge (0.2, 0.4, 0.5, 0.8), 10 bins",
                lambda: self._case(answer, y_edges, probs_edges, 10),
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
        "`np.linspace(0, 1, n_bins + 1)` gives the bin edges; `np.digitize(probs, edges[1:-1], right=True)` "
        "gives each case's bin, from 0 to `n_bins - 1`, each bin including its right edge (so 1 is in the last "
        "bin and 0 in the first); `pd.cut` with `include_lowest=True` does the same. scikit-learn's "
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


def _reason_letter(value: Any, reasons: dict[str, str] | None = None) -> str | None:
    if not isinstance(value, str):
        return None
    letter = value.strip().strip("()").upper()
    return letter if letter in (REASONS if reasons is None else reasons) else None


def _ahead_within_noise(a: Any, b: Any) -> bool:
    """Whether model B is ahead on average while the 95% interval of the difference still reaches below 0."""
    interval = paired_t_interval(a, b)
    return interval["mean_difference"] > 0 > interval["low"]


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
            return _first_difference(value, expected, _PAIRED_WORDS, 1e-6)
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
        if _close(half, stats.t.ppf(0.975, n) * se, 1e-6):
            return incorrect(
                f"the t quantile has {n} degrees of freedom; with {n} folds the mean difference has {n - 1} "
                f"(one is used up by the mean): `scipy.stats.t.ppf(0.975, {n - 1})`."
            )
        if _close(half, stats.t.ppf(0.975, n - 1) * d.std(ddof=0) / math.sqrt(n), 1e-6):
            return incorrect(
                "the standard deviation of the differences is the sample one, with `ddof=1` (NumPy's `std` uses "
                "`ddof=0` by default)."
            )
        return _first_difference(value, expected, _PAIRED_WORDS, 1e-6)

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
        tests.append(
            Test(
                "On 10 folds where model B scores clearly higher",
                lambda a=a, b=b: self._case(answer, a, b),
                premise=lambda a=a, b=b: len(a) == 10 and paired_t_interval(a, b)["low"] > 0,
            )
        )
        a, b = self._fold_scores_where(rng, 8, 0.004, "across")
        tests.append(
            Test(
                "On 8 folds where model B is ahead on average and on most folds, by less than the folds vary",
                lambda a=a, b=b: self._case(answer, a, b),
                premise=lambda a=a, b=b: len(a) == 8 and 2 * sum(b > a) > len(a) and _ahead_within_noise(a, b),
            )
        )
        a, b = self._fold_scores_where(rng, 5, -0.02, "below")
        tests.append(
            Test(
                "On 5 folds where model B scores lower",
                lambda a=a, b=b: self._case(answer, a, b),
                premise=lambda a=a, b=b: len(a) == 5 and paired_t_interval(a, b)["high"] < 0,
            )
        )
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
    judgement=True,
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


# --- q5, second part: ship or not? A decision from the equal-opportunity difference and its interval ------------

#: The company's tolerance for the gap in true positive rates between the groups (exercise 5's statement).
TPR_TOLERANCE = 0.10

#: The decisions of exercise 5, and its reasons by letter (the statement lists the same words).
SHIP_DECISIONS: tuple[str, ...] = ("ship", "do not ship", "collect more data")
SHIP_REASONS: dict[str, str] = {
    "A": "the whole interval lies within -0.10 to 0.10",
    "B": "the whole interval lies beyond 0.10",
    "C": "the interval reaches both inside and outside -0.10 to 0.10",
    "D": "the interval contains 0",
    "E": "the interval does not contain 0",
    "F": "the equal-opportunity difference itself is at most 0.10",
}

#: The normal quantile of a 95% interval (the statement's 1.96 is accepted too).
_Z95 = 1.959963984540054


def eod_interval(y_true: Any, y_pred: Any, group: Any, z: float = _Z95, *, se_over: str = "hires") -> dict:
    """Return the equal-opportunity difference with its normal-approximation (Wald) interval.

    The gap is between the groups with the highest and the lowest true positive rate; its standard error is
    ``sqrt(p_hi * (1 - p_hi) / n_hi + p_lo * (1 - p_lo) / n_lo)`` with n the groups' hires (``se_over="size"``:
    the groups' sizes, a mistake the messages name).
    """
    import numpy as np

    y = np.asarray(y_true).astype(bool)
    flagged = np.asarray(y_pred).astype(bool)
    labels = np.asarray(group).astype(str)
    rates, counts = {}, {}
    for g in np.unique(labels):
        hired = y & (labels == g)
        if hired.any():
            rates[g] = float((flagged & hired).sum() / hired.sum())
            counts[g] = int(hired.sum()) if se_over == "hires" else int((labels == g).sum())
    high_group, low_group = max(rates, key=rates.get), min(rates, key=rates.get)
    gap = rates[high_group] - rates[low_group]
    se = math.sqrt(sum(rates[g] * (1 - rates[g]) / counts[g] for g in (high_group, low_group)))
    return {"equal_opportunity_difference": gap, "low": gap - z * se, "high": gap + z * se}


def _ship_key(interval: dict[str, float], tolerance: float = TPR_TOLERANCE) -> tuple[str, str]:
    """Return the decision and its reason for an interval of the gap, under the statement's policy."""
    low, high = interval["low"], interval["high"]
    if -tolerance <= low and high <= tolerance:
        return "ship", "A"
    if low > tolerance:
        return "do not ship", "B"
    return "collect more data", "C"


def _ship_words(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    squeezed = " ".join(value.lower().replace("_", " ").replace("-", " ").replace("'", "").split())
    squeezed = {"dont ship": "do not ship"}.get(squeezed, squeezed)
    return next((decision for decision in SHIP_DECISIONS if decision == squeezed), None)


def _interval_problem(value: dict, y: Any, pred: Any, group: Any) -> tuple[CheckResult | None, dict]:
    """Judge the interval's bounds; return ``(message or None, the expected interval)``."""
    expected = eod_interval(y, pred, group, z=1.96)
    got = {k: float(value[k]) for k in ("equal_opportunity_difference", "low", "high")}
    for z in (1.96, _Z95):
        candidate = eod_interval(y, pred, group, z=z)
        if _all_close(got, candidate, rtol=1e-6, atol=1e-9):
            return None, candidate
    half, want = got["high"] - got["equal_opportunity_difference"], expected["high"] - expected["low"]
    want /= 2
    if want > 0 and _close(half, want * 1.6448536269514722 / 1.96, 1e-3):
        return incorrect("this is a 90% interval (1.645 standard errors): a 95% one uses 1.96."), expected
    if want > 0 and _close(half, want / 1.96, 1e-3):
        return incorrect(
            "the interval is one standard error either way (a 68% interval): a 95% one is 1.96 standard errors."
        ), expected
    by_size = eod_interval(y, pred, group, z=1.96, se_over="size")
    if _close(half, by_size["high"] - by_size["equal_opportunity_difference"], 1e-3):
        return incorrect(
            "the standard error divides by the size of each group; a true positive rate is a share of the group's "
            "hires, so its standard error divides by the number of hires: `sqrt(p * (1 - p) / hires)`."
        ), expected
    return incorrect(
        f"the interval is not right: it runs from {format_number(got['low'], 4)} to {format_number(got['high'], 4)}. "
        "It is the equal-opportunity difference plus or minus 1.96 standard errors, with the standard error of the "
        "gap between the two groups it compares: `sqrt(p_1 * (1 - p_1) / n_1 + p_2 * (1 - p_2) / n_2)`, n the "
        "number of hires in each."
    ), expected


def _decision_problem(value: dict, expected: dict) -> CheckResult:
    """Judge the decision and its reason together; the interval is already right."""
    if "decision" not in value or "reason" not in value:
        return invalid(
            "The dict `audit_fairness` returns has the numbers right, but no "
            + " or ".join(repr(k) for k in ("decision", "reason") if k not in value)
            + ' key: add your decision, "ship", "do not ship" or "collect more data", and the letter of its reason.'
        )
    decision, reason = _ship_words(value["decision"]), _reason_letter(value["reason"], SHIP_REASONS)
    if decision is None:
        return invalid(
            '`audit_fairness(...)["decision"]` should be "ship", "do not ship" or "collect more data", but it is '
            f"{show_value(value['decision'])}."
        )
    if reason is None:
        return invalid(
            f'`audit_fairness(...)["reason"]` should be one of the letters {", ".join(SHIP_REASONS)}, but it is '
            f"{show_value(value['reason'])}."
        )
    right = _ship_key(expected)
    if (decision, reason) == right:
        return passed()
    low, high = format_number(expected["low"], 3), format_number(expected["high"], 3)
    # Judged together, as in exercise 4: a whole answer that holds a known misconception is named, every other
    # wrong pair gets the same advice, so trying the pairs one at a time tells nothing.
    if decision == "ship" and reason == "D":
        if right[0] == "ship":
            return incorrect(
                "containing 0 is not enough to ship: an interval from -0.30 to 0.30 contains 0 too. Which fact "
                "about these numbers rules out a gap larger than the company tolerates?"
            )
        return incorrect(
            f"you ship because the interval, {low} to {high}, contains 0: no gap is shown. But it also reaches "
            "beyond 0.10: a gap larger than the company tolerates is not ruled out either. Not finding a gap is "
            "not showing that there is none."
        )
    if decision == "do not ship" and reason == "E":
        if right[0] == "do not ship":
            return incorrect(
                "excluding 0 is not enough to stop the model: a real gap of 0.02 would exclude 0 too, and the "
                "policy tolerates it. Which fact about these numbers shows a gap larger than 0.10?"
            )
        return incorrect(
            f"you stop the model because the interval, {low} to {high}, excludes 0: a gap is shown. But the policy "
            "tolerates a gap up to 0.10, and a gap can be real and still small enough: where does the interval lie "
            "with respect to 0.10?"
        )
    if reason == "F" and decision != "collect more data":
        low, high = format_number(expected["low"], 3), format_number(expected["high"], 3)
        return incorrect(
            "you decided on the equal-opportunity difference alone, but it is one estimate among the plausible "
            f"values: here the data allow any gap from {low} to {high}, and the whole interval says which gaps "
            "the decision must be safe for."
        )
    return incorrect(
        "the numbers are right, but the decision and its reason are not, yet: they are judged together. Look at "
        "where the whole interval lies with respect to -0.10 and 0.10, the company's tolerance."
    )


def counted_decisions(spec: tuple[tuple[str, int, int, int], ...]) -> tuple[Any, Any, Any]:
    """Build labels, decisions and groups from counts, the rows mixed in a fixed order.

    ``spec`` holds ``(label, hires, flagged hires, others)`` per group; a quarter of each group's others are
    flagged.
    """
    import numpy as np

    y, pred, group = [], [], []
    for label, hires, tp, others in spec:
        fp = others // 4
        y += [1] * hires + [0] * others
        pred += [1] * tp + [0] * (hires - tp) + [1] * fp + [0] * (others - fp)
        group += [label] * (hires + others)
    order = np.random.default_rng(len(y)).permutation(len(y))
    return np.array(y)[order], np.array(pred)[order], np.array(group)[order]


def _drawn_decisions(rng: Any, verdict: str) -> tuple[Any, Any, Any]:
    """Draw groups A and B from the seed, whose right decision is ``verdict``."""
    for _ in range(1000):
        if verdict == "ship":
            n_a, n_b = int(rng.integers(400, 900)), int(rng.integers(400, 900))
            gap = float(rng.uniform(-0.03, 0.03))
        elif verdict == "do not ship":
            n_a, n_b = int(rng.integers(80, 300)), int(rng.integers(80, 300))
            gap = float(rng.choice([-1, 1]) * rng.uniform(0.25, 0.35))
        else:
            n_a, n_b = int(rng.integers(20, 60)), int(rng.integers(20, 60))
            gap = float(rng.uniform(-0.08, 0.08))
        tpr_a = float(rng.uniform(0.55, 0.8))
        tp_a, tp_b = round(tpr_a * n_a), round((tpr_a - gap) * n_b)
        if not 0 < tp_b < n_b:
            continue
        spec = (("A", n_a, tp_a, int(rng.integers(2, 6)) * n_a), ("B", n_b, tp_b, int(rng.integers(2, 6)) * n_b))
        y, pred, group = counted_decisions(spec)
        if _ship_key(eod_interval(y, pred, group, z=1.96))[0] == verdict:
            return y, pred, group
    raise AssertionError(f"no case for {verdict!r} in 1000 draws")  # pragma: no cover


#: The hidden cases of the decision that every seed has: one per verdict, and one per named misconception.
SHIP_FIXED_CASES: tuple[tuple[str, tuple], ...] = (
    (
        "On groups of 2,000 and 1,500 hires whose true positive rates differ by 0.04: the interval excludes 0 "
        "but lies within the tolerance",
        (("A", 2000, 1500, 6000), ("B", 1500, 1065, 4500)),
    ),
    (
        "On groups of 1,200 and 1,000 hires whose true positive rates differ by 0.01: the interval holds 0 and "
        "lies within the tolerance",
        (("A", 1200, 864, 3600), ("B", 1000, 710, 3000)),
    ),
    (
        "On groups of 150 and 160 hires whose true positive rates differ by 0.3",
        (("A", 150, 75, 450), ("B", 160, 128, 480)),
    ),
    (
        "On groups of 200 and 180 hires whose true positive rates differ by 0.35",
        (("A", 200, 160, 600), ("B", 180, 81, 540)),
    ),
    (
        "On groups of 30 and 25 hires whose true positive rates differ by 0.02: the interval holds 0 and reaches "
        "beyond 0.10",
        (("A", 30, 21, 90), ("B", 25, 17, 75)),
    ),
    (
        "On groups of 60 and 50 hires whose true positive rates differ by 0.09, the interval reaching well beyond 0.10",
        (("A", 60, 45, 180), ("B", 50, 33, 150)),
    ),
    (
        "On groups of 45 and 40 hires whose true positive rates differ by 0.125, the interval reaching below 0.10",
        (("A", 45, 36, 135), ("B", 40, 27, 120)),
    ),
)

#: The decision's public case: two large groups whose interval lies within the tolerance.
PUBLIC_SHIP_CASE = (("A", 900, 648, 2700), ("B", 800, 568, 2400))


#: q5's second public case: ``(group, size, positives, selected positives, selected negatives)``.
PUBLIC_THREE_GROUPS = (("X", 6, 2, 1, 1), ("Y", 6, 3, 3, 0), ("Z", 8, 4, 1, 2))


class AuditFairness(FunctionQuestion):
    """``audit_fairness(y_true, y_pred, group)``: selection rates, four-fifths ratio, equal-opportunity difference."""

    keys = ("selection_rate", "four_fifths_ratio", "equal_opportunity_difference")

    def _case(self, fn: Any, y: Any, pred: Any, group: Any) -> CheckResult:
        import numpy as np

        from lepton_training.evaluation import (
            equal_opportunity_difference,
            four_fifths_ratio,
            selection_rates,
            true_positive_rates,
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
            return self._judge_decision(value, y, pred, group)
        if _close(got_eod, -eod):
            return incorrect(
                "the equal-opportunity difference is a gap: give it as a positive number, the highest true "
                "positive rate minus the lowest."
            )
        tpr = true_positive_rates(y, pred, group).dropna()
        for first in tpr.index:
            for second in tpr.index:
                if first != second and _close(got_eod, float(tpr[first] - tpr[second])):
                    return incorrect(
                        f"this is the true positive rate of group {first!r} minus that of group {second!r}, two "
                        "groups taken in a fixed order. The equal-opportunity difference is the highest true "
                        f"positive rate minus the lowest, whichever groups those are (here {tpr.idxmax()!r} and "
                        f"{tpr.idxmin()!r})."
                    )
        is_pos = np.asarray(y).astype(bool)
        flagged = np.asarray(pred).astype(bool)
        labels_all = np.asarray(group)
        over_size = [
            float((flagged & is_pos & (labels_all == g)).sum() / (labels_all == g).sum()) for g in np.unique(group)
        ]
        if _close(got_eod, max(over_size) - min(over_size)):
            return incorrect(
                "these true positive rates divide each group's selected positives by the size of the whole group. "
                "The true positive rate divides by the group's positives, the candidates with `y_true == 1`: among "
                "them, the share the model selects."
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

    @staticmethod
    def _judge_decision(value: dict, y: Any, pred: Any, group: Any) -> CheckResult:
        """With the audit right, judge the interval of the equal-opportunity difference, then the decision."""
        missing = [k for k in ("low", "high") if k not in value]
        if missing:
            return invalid(
                "The dict `audit_fairness` returns has the audit right, but no "
                + " or ".join(repr(k) for k in missing)
                + " key: add the 95% interval of the equal-opportunity difference, then the decision."
            )
        for k in ("low", "high"):
            if not _real(value[k]) or math.isnan(float(value[k])):
                return invalid(f"`audit_fairness(...)['{k}']` should be a number, but it is {show_value(value[k])}.")
        problem, expected = _interval_problem(value, y, pred, group)
        if problem is not None:
            return problem
        return _decision_problem(value, expected)

    @staticmethod
    def _counted(spec: tuple[tuple[str, int, int, int, int], ...]) -> tuple[Any, Any, Any]:
        """Build labels, decisions and groups from the counts of each group, the rows mixed in a fixed order.

        ``spec`` holds ``(label, size, positives, selected positives, selected negatives)`` per group.
        """
        import numpy as np

        y, pred, group = [], [], []
        for label, size, positives, tp, fp in spec:
            y += [1] * positives + [0] * (size - positives)
            pred += [1] * tp + [0] * (positives - tp) + [1] * fp + [0] * (size - positives - fp)
            group += [label] * size
        order = np.random.default_rng(len(y)).permutation(len(y))
        return np.array(y)[order], np.array(pred)[order], np.array(group)[order]

    def public_tests(self, answer: Any) -> list[Test]:
        import numpy as np

        y, pred, group = self._decisions(np.random.default_rng(4043), 120, ("A", "B"), 0.08)
        y3, pred3, group3 = self._counted(PUBLIC_THREE_GROUPS)
        y_big, pred_big, group_big = counted_decisions(PUBLIC_SHIP_CASE)
        return [
            Test("On 120 candidates in groups A and B", lambda: self._case(answer, y, pred, group)),
            Test(
                "On 20 candidates in the groups X, Y, Z, where Y has the highest true positive rate",
                lambda: self._case(answer, y3, pred3, group3),
            ),
            Test(
                "On groups of 900 and 800 hires whose true positive rates differ by 0.01",
                lambda: self._case(answer, y_big, pred_big, group_big),
            ),
        ]

    def public_inputs(self) -> list[Any]:
        import numpy as np

        return [
            *self._decisions(np.random.default_rng(4043), 120, ("A", "B"), 0.08),
            *self._counted(PUBLIC_THREE_GROUPS),
            *counted_decisions(PUBLIC_SHIP_CASE),
        ]

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        import numpy as np

        cases = []
        for groups in (("A", "B"), ("north", "south", "east")):
            n = int(rng.integers(80, 400))
            shift = float(rng.uniform(0.02, 0.12))
            cases.append(
                (f"On {n} other candidates in the groups {', '.join(groups)}", *self._decisions(rng, n, groups, shift))
            )
        # Fixed: the *first* group (in order of appearance and of the alphabet) is selected less: a ratio of
        # B / A or A / B in a fixed order is then above 1 or wrong; the true positive rates differ in the other
        # direction from the selection rates.
        cases.append(
            (
                "On 12 candidates where group A is selected less often than group B",
                np.array([1, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0]),
                np.array([1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1]),
                np.array(["A"] * 6 + ["B"] * 6),
            )
        )
        # Fixed: four groups, the highest true positive rate in the middle of the alphabet and of the rows: a
        # difference between two groups in a fixed order is not the gap between the extremes; dividing by the
        # group's size instead of its positives gives another gap.
        cases.append(
            (
                "On 39 candidates in four groups, the highest true positive rate neither first nor last",
                *self._counted(
                    (("north", 8, 5, 4, 0), ("south", 12, 3, 1, 2), ("east", 10, 4, 2, 1), ("west", 9, 2, 1, 3))
                ),
            )
        )
        # The decision: one case per verdict drawn from the seed, and the fixed cases of every verdict and of
        # every named misconception.
        for verdict in ("ship", "do not ship", "collect more data"):
            y, pred, group = _drawn_decisions(rng, verdict)
            hires = [int(((group == g) & (y == 1)).sum()) for g in ("A", "B")]
            cases.append((f"On other decisions, {hires[0]} hires in group A and {hires[1]} in group B", y, pred, group))
        for description, spec in SHIP_FIXED_CASES:
            cases.append((description, *counted_decisions(spec)))
        # Balanced by verdict: small audits are uncertain, so "collect more data" is right on most cases; each
        # verdict carries the same share of the weight, and a constant decision (numbers right) earns about a third.
        verdicts = [_ship_key(eod_interval(y, p, g, z=1.96))[0] for _, y, p, g in cases]
        share = {v: len(cases) / (len(SHIP_DECISIONS) * verdicts.count(v)) for v in set(verdicts)}
        return [
            Test(description, lambda y=y, p=p, g=g: self._case(answer, y, p, g), weight=share[verdict])
            for (description, y, p, g), verdict in zip(cases, verdicts, strict=True)
        ]


#: What ``q5.explain()`` shows after an attempt, sealed; the text is the instructor notebook's cell ``q5-explanation``.
_EXPLANATION_Q5 = (
    "i7rIg0JDPfWOZBMJ8+mcEXYySBT/EZTTLBWQN5MAJiYZPrKEqmZS/bSRaXmJViI0HFtfM7vPw4XF0KRPvkv0w3RmVjDIl0oMt7/H"
    "rt81m4ge5E/2HwNpo+qR6UmnBQP2N2ZSvR1P35/k14i4ltu1LYxjl9PckMNAjTqgcxQ7KP4t24d32sUuG9Qhh8+WCK5zQdSTNWZJ"
    "VPf8IHVb4U0CniGubV+5aXEdwKmRSQAsIgrlca765k+kC0je4KbGW/h1k9gDD6kqANrDNjjOze+8J9wUTNlltxd6TMVGpYDXEbFM"
    "V+424Vugh9x7xPAwxh9fpyyCmsL78NsGbKe4jJNyQd3qoh6aAhbjM1L6Nz+jSJVMoYpRnqV9lNWPQ93qNsqCMkVLitm53RjYT5L9"
    "8tq54BgORU3Lj9BA2Gi/rJYG+ZOxQ6DtjKkoItdugZD/wy/ugelig8UFPXT8PmiJyZUS8sha2tE2mhxoFRS+L3e7oMs3nqQr2LQk"
    "DeBmfFCmjGZrjmY+igndlE9iPXqteEOczLSmAvYVrIVDy7FTczNYXb2wKLFksBd85SV5PGr099EPH8pdAQA03nF+bn2lZicYjMzr"
    "ggf+7sOK/b9QLM0Xwmng4NvGmb/YrPjrPtoQS35hViMcbqwAljjoxws0f3tq4t/7ZPztXY7J8A+i1dYmSvZk9j4OrfpPq0zk2Xmq"
    "Nds3k0q/s2V682horB3Sfu9JhF+pmAA3QaNeS6X3HOB+6PUAb4YJprAt43/cqp87dcI/n3kQBTylHjJeag0mpxC5kT1OeB4ILSWp"
    "CyQxJ42G9YNNgw8zOyQziUoJWVUeJ631W2f9OpVYruXANAASUrIs0BDMP0o9ITEyk8o6+fEqIMTDKiCLS3s8IUNkT/tSHgR9M29n"
    "5n+ihB53Jb9We+/Zm6xi80EPQn9boH6LkzFbopCKw8NSXz+Lm089tk2mU+XfxyFO5ggTlfokS6kSWgdzF67Aw1wvBJMPkwflHwF6"
    "DnhyfOxIzesccmHfAhmQfMpUPAY3oeMYF2msyDm/13WoQdtTMw8s1FF/DUMCpyeq3W4vCdzOHAFFs1+X3sUJum2o080JmafEdUF+"
)


q5 = AuditFairness(
    id="q5",
    module=MODULE,
    title="A group fairness audit, and a ship decision",
    points=3,
    judgement=True,
    answer_name="audit_fairness",
    implementations=("lepton_training.evaluation",),
    parameters=("y_true", "y_pred", "group"),
    objectives=(3, 4),
    hints=(
        "Three numbers about the model's decisions: in each group, the share selected; the lowest of those "
        "shares divided by the highest; and the gap between groups in the share selected among the candidates "
        "who are in fact positive. Then the gap's uncertainty, and a decision that compares its whole interval, "
        "not only its middle, with the tolerance of 0.10.",
        "Put the three arrays in a DataFrame and use `groupby('group')`: the mean of a 0/1 column is a share. "
        "For the true positive rates, keep only the rows with `y_true == 1` before grouping, and count them per "
        "group too (`.agg(['mean', 'size'])`): those counts are the n of the standard error. `.idxmax()` and "
        "`.idxmin()` name the two groups the gap compares.",
        "Three places the interval can be: entirely within -0.10 to 0.10 (the data show the gap is small), entirely "
        "beyond 0.10 (they show it is large), or across 0.10 (they cannot tell). Whether 0 is inside says "
        "something else: whether any gap at all is shown.",
        "Fill in the blanks:\n\n```python\ndef audit_fairness(y_true, y_pred, group):\n"
        '    df = pd.DataFrame({"y": y_true, "pred": y_pred, "group": group})\n'
        '    rates = df.groupby("group")["____"].mean()\n'
        '    tpr = df[df["____"] == 1].groupby("group")["pred"].agg(["mean", "size"])\n'
        '    hi, lo = tpr["mean"].idxmax(), tpr["mean"].idxmin()\n'
        '    gap = tpr.loc[hi, "mean"] - tpr.loc[lo, "mean"]\n'
        "    se = np.sqrt(sum(p * (1 - p) / n for p, n in tpr.loc[[hi, lo]].to_numpy()))\n"
        "    low, high = gap - 1.96 * se, gap + 1.96 * se\n"
        "    if ____:\n"
        '        decision, reason = "ship", ____\n'
        "    elif ____:\n"
        '        decision, reason = "do not ship", ____\n'
        "    else:\n"
        '        decision, reason = "collect more data", ____\n'
        "    return {\n"
        '        "selection_rate": rates.to_dict(),\n'
        '        "four_fifths_ratio": ____,\n'
        '        "equal_opportunity_difference": gap,\n'
        '        "low": low, "high": high, "decision": decision, "reason": reason,\n'
        "    }\n```",
    ),
    explanation=unseal(_EXPLANATION_Q5, f"{MODULE}:q5"),
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
            both = pre.notna() & post.notna()
            relative = (
                float((post[both].mean() - pre[both].mean()) / pre[both].mean()),
                float(((post[both] - pre[both]) / pre[both]).mean()),
            )
            if any(_close(got, r, 1e-6) for r in relative):
                return incorrect(
                    "this is the relative gain, (post - pre) / pre: the gain as a share of the starting score. The "
                    "normalized gain divides by the room there was to improve, 100 - mean pre, so that a class "
                    "that starts high is not held to the same number of points."
                )
            if _close(got, float((post - pre).mean()), 1e-6) or _close(got, float((post - pre).mean()) / 100, 1e-6):
                return incorrect(
                    "this is the raw gain in points; the normalized gain divides it by the room there was to "
                    "improve, 100 - mean pre."
                )
            return check_number(
                got,
                gain,
                rtol=1e-6,
                name="The class's normalized gain",
                advice=(
                    "It is (mean post - mean pre) / (100 - mean pre), from the mean scores of the employees who "
                    "took both tests."
                ),
            )
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
