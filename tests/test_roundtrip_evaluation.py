"""A real nbgrader round trip of module 04 in a temporary course root: release, five submissions, one autograde.

A correct submission, an alternative-correct one (scikit-learn and SciPy calls, another optimal threshold,
SciPy's BCa bootstrap with another seed, groups in another order, SciPy's normal quantile for 1.96), one with a
common mistake in every answer, one that hard-codes the public examples' answers and a blank one. The expected
scores come from the question definitions, evaluated here in-process on each submission's answers with the seeds
of the instructor's hidden tests.
"""

import json

import pytest
from conftest import cell_source, copy_course_root, expected_points, nbgrader, nbgrader_meta, submit, with_answers

from lepton_training.questions import evaluation

pytestmark = pytest.mark.slow

MODULE = "04-evaluation"

ALTERNATIVE = {
    "q1-answer": """
from sklearn.metrics import f1_score, precision_score, recall_score


def precision_recall_f1(y_true, scores, threshold):
    flagged = (scores >= threshold).astype(int)
    return {
        "f1": f1_score(y_true, flagged),
        "recall": recall_score(y_true, flagged),
        "precision": precision_score(y_true, flagged),
    }
""",
    "q2-answer": """
def best_threshold(y_true, scores, costs):
    # The highest of the tied optimal thresholds, not the lowest; the outcomes counted from a confusion matrix.
    from sklearn.metrics import confusion_matrix

    candidates = np.append(np.unique(scores), np.inf)
    totals = []
    for t in candidates:
        tn, fp, fn, tp = confusion_matrix(y_true, scores >= t, labels=[0, 1]).ravel()
        totals.append(costs["tn"] * tn + costs["fp"] * fp + costs["fn"] * fn + costs["tp"] * tp)
    totals = np.array(totals)
    return candidates[np.flatnonzero(totals == totals.min())[-1]]
""",
    "q3-answer": """
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss


def calibration_summary(y_true, probs, n_bins):
    observed, predicted = calibration_curve(y_true, probs, n_bins=n_bins)
    return {"brier": brier_score_loss(y_true, probs), "mean_predicted": list(predicted), "observed_rate": observed}
""",
    "q4-answer": """
from scipy import stats


def paired_comparison(scores_a, scores_b):
    ci = stats.ttest_rel(scores_b, scores_a).confidence_interval(0.95)
    if ci.low > 0:
        decision, reason = "Switch to B", "A"
    else:
        decision, reason = "Keep A", "C" if ci.high < 0 else "B"
    return {"mean_difference": (scores_b - scores_a).mean(), "low": ci.low, "high": ci.high,
            "decision": decision, "reason": reason}
""",
    "q5-answer": """
from scipy import stats


def audit_fairness(y_true, y_pred, group):
    labels = sorted(set(group), reverse=True)
    rates = pd.Series({g: y_pred[group == g].mean() for g in labels})
    tpr = {g: y_pred[(group == g) & (y_true == 1)].mean() for g in labels}
    hires = {g: np.sum((group == g) & (y_true == 1)) for g in labels}
    hi, lo = max(tpr, key=tpr.get), min(tpr, key=tpr.get)
    gap = tpr[hi] - tpr[lo]
    half = stats.norm.ppf(0.975) * np.sqrt(sum(tpr[g] * (1 - tpr[g]) / hires[g] for g in (hi, lo)))
    low, high = gap - half, gap + half
    if low > 0.1:
        decision, reason = "Don't ship", "b"
    elif -0.1 <= low and high <= 0.1:
        decision, reason = "SHIP", "a"
    else:
        decision, reason = "collect more data", "(C)"
    return {"selection_rate": rates, "four_fifths_ratio": rates.min() / rates.max(),
            "equal_opportunity_difference": gap, "low": low, "high": high, "decision": decision, "reason": reason}
""",
    "q6-answer": """
from scipy import stats


def gain_with_ci(participants):
    both = participants[participants["post_score"].notna()]
    pre, post = both["pre_score"].to_numpy(), both["post_score"].to_numpy()

    def hake(pre, post, axis=-1):
        return (post.mean(axis=axis) - pre.mean(axis=axis)) / (100 - pre.mean(axis=axis))

    res = stats.bootstrap((pre, post), hake, paired=True, vectorized=True, n_resamples=3000, rng=31)
    return {"gain": hake(pre, post), "low": res.confidence_interval.low, "high": res.confidence_interval.high}
""",
}

# One common mistake in every answer.
MISTAKES = {
    "q1-answer": """
def precision_recall_f1(y_true, scores, threshold):
    flagged = scores > threshold
    tp = np.sum(flagged & (y_true == 1))
    p, r = tp / np.sum(flagged), tp / np.sum(y_true == 1)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r)}
""",
    "q2-answer": """
def best_threshold(y_true, scores, costs):
    # Only the errors priced: the true positives' interviews are left out.
    candidates = np.append(np.unique(scores), np.inf)
    totals = [costs["fp"] * np.sum((scores >= t) & (y_true == 0)) + costs["fn"] * np.sum((scores < t) & (y_true == 1))
              for t in candidates]
    return candidates[np.argmin(totals)]
""",
    "q3-answer": """
from sklearn.calibration import calibration_curve


def calibration_summary(y_true, probs, n_bins):
    observed, predicted = calibration_curve(y_true, probs, n_bins=n_bins)
    return {"brier": np.mean((probs - y_true) ** 2), "mean_predicted": observed, "observed_rate": predicted}
""",
    "q4-answer": """
def paired_comparison(scores_a, scores_b):
    d = scores_b - scores_a
    half = 1.96 * d.std(ddof=1) / np.sqrt(len(d))
    return {"mean_difference": d.mean(), "low": d.mean() - half, "high": d.mean() + half}
""",
    "q5-answer": """
def audit_fairness(y_true, y_pred, group):
    df = pd.DataFrame({"y": y_true, "pred": y_pred, "group": group})
    rates = df.groupby("group")["y"].mean()
    tpr = df[df["y"] == 1].groupby("group")["pred"].mean()
    return {"selection_rate": rates.to_dict(), "four_fifths_ratio": rates.min() / rates.max(),
            "equal_opportunity_difference": tpr.max() - tpr.min()}
""",
    "q6-answer": """
def gain_with_ci(participants):
    pre, post = participants["pre_score"], participants["post_score"]
    gain = (post.mean() - pre.mean()) / (100 - pre.mean())
    return {"gain": gain, "low": gain - 0.02, "high": gain + 0.02}
""",
}

# Answers that return the public checks' results whatever the input.
HARD_CODED = {
    "q2-answer": """
def best_threshold(y_true, scores, costs):
    from lepton_training.evaluation import cost_optimal_threshold
    from lepton_training.questions.evaluation import PUBLIC_Q2_SEED, SCREENING_COSTS, scored_cases

    y, s = scored_cases(np.random.default_rng(PUBLIC_Q2_SEED), 80, prevalence=0.25)
    return cost_optimal_threshold(y, s, SCREENING_COSTS)
""",
    "q6-answer": """
def gain_with_ci(participants):
    from lepton_training.datasets import training_participants
    from lepton_training.evaluation import learning_gain_ci

    table = training_participants(250, seed=11)
    ci = learning_gain_ci(table["pre_score"], table["post_score"], n_resamples=4000, seed=3)
    return {"gain": ci.estimate, "low": ci.low, "high": ci.high}
""",
}


def test_release_submit_autograde(tmp_path, jupyter_env):
    root = copy_course_root(tmp_path, [MODULE])
    jupyter_env.pop("LEPTON_GRADEBOOK_URL", None)

    generated = nbgrader(root, jupyter_env, "generate_assignment", MODULE, "--force")
    assert generated.returncode == 0, generated.stderr[-3000:]
    release = json.loads((root / "course" / MODULE / f"{MODULE}.ipynb").read_text())
    source = json.loads((root / "solutions" / MODULE / f"{MODULE}.ipynb").read_text())

    solutions = {
        nbgrader_meta(c)["grade_id"]: cell_source(c) for c in source["cells"] if nbgrader_meta(c).get("solution")
    }
    alternative = {**solutions, **ALTERNATIVE}
    mistakes = {**solutions, **MISTAKES}
    hard_coded = {**solutions, **HARD_CODED}

    exercises = evaluation.exercises
    total = exercises.total_points
    assert expected_points(alternative, source, exercises) == pytest.approx(total)
    mistake_points = expected_points(mistakes, source, exercises)
    assert mistake_points < total / 2
    hard_coded_points = expected_points(hard_coded, source, exercises)
    assert hard_coded_points < total

    submit(root, MODULE, "alice", with_answers(release, solutions))  # correct
    submit(root, MODULE, "tia", with_answers(release, alternative))  # other libraries and optima
    submit(root, MODULE, "mo", with_answers(release, mistakes))  # a common mistake in every answer
    submit(root, MODULE, "carol", with_answers(release, hard_coded))  # public answers hard-coded
    submit(root, MODULE, "bob", release)  # blank

    graded = nbgrader(root, jupyter_env, "autograde", MODULE, "--create")
    log = graded.stdout + graded.stderr

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course_id="lepton-training") as gb:
        scores = {s.student.id: s.score for s in gb.assignment_submissions(MODULE)}
        max_score = gb.find_assignment(MODULE).max_score

    assert max_score == total
    assert scores["alice"] == pytest.approx(total), log[-3000:]
    assert scores["tia"] == pytest.approx(total), log[-3000:]
    assert scores["mo"] == pytest.approx(mistake_points, abs=1e-3), log[-3000:]
    assert scores["carol"] == pytest.approx(hard_coded_points, abs=1e-3), log[-3000:]
    assert scores["bob"] == 0
