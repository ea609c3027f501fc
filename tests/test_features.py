"""The feature-engineering package of module 03: transformers fit on training rows only, the course's talent model
and group values, text features, and the one sentiment model the course's tools reuse."""

import numpy as np
import pandas as pd
import pytest

from lepton_training.datasets import clean_talent_pipeline, talent_pipeline, training_feedback
from lepton_training.features import (
    FEATURE_GROUPS,
    DateFeatures,
    LexiconScore,
    comment_model,
    cv_auc,
    cv_comment_auc,
    date_features,
    english_comments,
    group_values,
    lexicon_scores,
    skill_indicators,
    split_skills,
    talent_model,
    talent_preprocessor,
    time_folds,
    tokenize,
    train_sentiment_model,
)
from lepton_training.features.tabular import drop_group_values, permutation_group_values


@pytest.fixture(scope="module")
def talent():
    return clean_talent_pipeline(talent_pipeline(1500, seed=3))


@pytest.fixture(scope="module")
def english():
    return english_comments(training_feedback(1200, seed=4))


def test_split_skills_and_indicators():
    assert split_skills(" go ;sql; c++ ") == ["go", "sql", "c++"]
    assert split_skills(np.nan) == [] and split_skills("") == []
    skills = pd.Series(["go; mongodb", np.nan, "c++; go"], index=[5, 6, 7])
    table = skill_indicators(skills)
    assert list(table.columns) == ["c++", "go", "mongodb"]
    assert table.index.tolist() == [5, 6, 7]
    assert table["go"].tolist() == [1, 0, 1] and table.loc[6].sum() == 0


def test_date_features_count_to_a_fixed_date():
    frame = pd.DataFrame({"applied_on": pd.to_datetime(["2026-03-01", "2026-03-02"])}, index=[3, 4])
    out = date_features(frame, pd.Timestamp("2026-03-11"))
    assert out.to_dict("list") == {
        "applied_month": [3, 3],
        "applied_weekday": [6, 0],  # a Sunday, then a Monday
        "days_since_applied": [10, 9],
    }
    # A row's features do not depend on the other rows.
    assert date_features(frame.iloc[[1]], pd.Timestamp("2026-03-11")).iloc[0].tolist() == out.iloc[1].tolist()


def test_date_transformer_is_cyclic():
    frame = pd.DataFrame({"applied_on": pd.to_datetime(["2025-12-31", "2026-01-01", "2026-06-30"])})
    x = DateFeatures().fit(frame).transform(frame)
    assert x.shape == (3, 4)  # month and weekday on circles; no age, which is 0 for every candidate in use
    december, january, june = x[:, :2]
    assert np.linalg.norm(december - january) < np.linalg.norm(december - june)
    assert list(DateFeatures().get_feature_names_out()) == ["month_sin", "month_cos", "weekday_sin", "weekday_cos"]


def test_time_folds_train_on_earlier_rows_only(talent):
    folds = time_folds(talent)
    assert len(folds) == 3
    applied = talent["applied_on"].to_numpy()
    for train, valid in folds:
        assert applied[train].max() <= applied[valid].min()
    covered = np.concatenate([folds[0][0]] + [v for _, v in folds])
    assert sorted(covered) == list(range(len(talent)))


def test_preprocessor_learns_from_training_rows_only(talent):
    train, test = talent.iloc[:1000], talent.iloc[1000:]
    prep = talent_preprocessor().fit(train)
    together = prep.transform(test)
    alone = prep.transform(test.iloc[:3])
    np.testing.assert_allclose(together[:3], alone)
    # Unseen levels, an unseen skill and missing numbers do not break it.
    odd = test.iloc[:2].copy()
    odd["country"] = "Japan"
    odd["skills"] = "rust"
    odd[list(FEATURE_GROUPS["numeric"])] = np.nan
    assert np.isfinite(prep.transform(odd)).all()


def test_preprocessor_groups_rare_levels(talent):
    prep = talent_preprocessor(["categorical"]).fit(talent)
    names = list(prep.get_feature_names_out())
    assert any("infrequent" in n for n in names)
    with pytest.raises(ValueError, match="Unknown feature group"):
        talent_preprocessor(["numbers"])


def test_talent_model_is_honest_and_leak_free(talent):
    scores = cv_auc(talent_model(), talent)
    assert len(scores) == 3
    assert 0.75 <= scores.mean() <= 0.92, scores  # measured 0.84 on the full data
    fitted = talent_model().fit(talent.iloc[:1000], talent.iloc[:1000]["outcome"] == "hired")
    test = talent.iloc[1000:].drop(columns="outcome")
    shuffled = test.copy()
    for column in ("decided_on", "interview_score", "onboarding_date", "group", "email", "candidate_id"):
        shuffled[column] = shuffled[column].sample(frac=1, random_state=0).to_numpy()
    np.testing.assert_allclose(fitted.predict_proba(test), fitted.predict_proba(shuffled))


def test_group_values_are_paired_differences_and_remembered():
    talent = clean_talent_pipeline(talent_pipeline(800, seed=5))
    table = group_values(talent)
    assert list(table.index) == list(FEATURE_GROUPS)
    full = cv_auc(talent_model(), talent).mean()
    np.testing.assert_allclose(table["value"], full - table["auc_without"])
    assert table.loc["numeric", "value"] > 0.05
    assert "seed" not in group_values.__doc__  # time-ordered folds: nothing is shuffled
    again = group_values(talent)
    again.loc["numeric", "value"] = -1.0  # a copy: changing it changes nothing remembered
    assert group_values(talent).loc["numeric", "value"] > 0.05


def test_skills_and_dates_add_to_the_full_model_on_later_data():
    """Issue 18: each engineered group is worth something on the course's data, validated on later applications."""
    table = group_values(clean_talent_pipeline())
    for group in ("numeric", "referral", "skills", "dates"):
        assert table.loc[group, "value"] > 0.003, table  # measured 0.106, 0.004, 0.012, 0.017


def test_drop_and_permutation_values_differ_on_near_copies():
    rng = np.random.default_rng(0)
    n = 1500
    x, b = rng.normal(size=n), rng.normal(size=n)
    frame = pd.DataFrame({"x": x, "b": b, "b2": b + rng.normal(0, 0.05, n)})
    frame["hired"] = (x + b + rng.logistic(size=n) * 0.5 > 1).astype(int)
    train, valid = frame.iloc[:500], frame.iloc[500:]
    groups = {"x": ["x"], "b": ["b"], "b2": ["b2"]}
    dropped = drop_group_values(train, valid, groups)
    used = permutation_group_values(train, valid, groups, n_repeats=5)
    assert dropped["x"] > 0.1 and used["x"] > 0.1
    assert abs(dropped["b"]) < 0.01 and abs(dropped["b2"]) < 0.01  # each adds nothing to the other
    assert used["b"] + used["b2"] > 0.05  # yet the fitted model uses them


def test_tokenize_and_lexicon_negation():
    assert tokenize("Wasn't CLEAR, thanks!") == ["wasn't", "clear", "thanks"]
    assert tokenize(None) == []
    lexicon = {"helpful": 1.0, "boring": -1.0}
    plain = lexicon_scores(["not helpful at all", "never boring", "helpful"], lexicon)
    negated = lexicon_scores(["not helpful at all", "never boring", "helpful"], lexicon, negation=True)
    assert plain.tolist() == [1.0, -1.0, 1.0]
    assert negated.tolist() == [-1.0, 1.0, 1.0]
    assert LexiconScore(lexicon).fit(["x"]).transform(["helpful helpful"]).tolist() == [[2.0]]


def test_text_features_rank_as_documented(english):
    tfidf = cv_comment_auc(comment_model("tfidf"), english).mean()
    words = cv_comment_auc(comment_model("tfidf", ngram_range=(1, 1)), english).mean()
    lexicon = cv_comment_auc(comment_model("lexicon"), english).mean()
    assert tfidf > words > lexicon
    assert lexicon < 0.75 < words
    with pytest.raises(ValueError, match="Unknown kind"):
        comment_model("embeddings")


def test_comment_model_learns_its_vocabulary_from_training_rows_only(english):
    train, test = english.iloc[:700], english.iloc[700:]
    model = comment_model(lexicon=True, negation=True).fit(train["comment"], train["rating"] >= 4)
    together = model.predict_proba(test["comment"])[:, 1]
    alone = model.predict_proba(test["comment"].iloc[:4])[:, 1]
    np.testing.assert_allclose(together[:4], alone)
    assert np.isfinite(model.predict_proba(["", "zxqv"])).all()


def test_train_sentiment_model_reports_its_error_rate(english):
    result = train_sentiment_model(english, seed=1, folds=3)
    pipeline, error_rate = result[:2]
    assert result.n_comments == len(english)
    assert 0.08 < error_rate < 0.25
    assert error_rate < 1 - result.positive_share  # better than always saying "positive"
    assert result.error_rate_sd >= 0
    probabilities = pipeline.predict_proba(["The labs were really helpful.", "The pace was confusing."])[:, 1]
    assert probabilities[0] > 0.5 > probabilities[1]


def test_train_sentiment_model_keeps_english_only_and_rejects_tiny_data():
    feedback = training_feedback(300, seed=6)
    result = train_sentiment_model(feedback, folds=3)
    assert result.n_comments == int((feedback["language"] == "en").sum())
    with pytest.raises(ValueError, match="at least"):
        train_sentiment_model(feedback.head(4), folds=3)


def test_features_package_is_imported_lazily_by_the_questions():
    import subprocess
    import sys

    code = (
        "import sys, lepton_training.questions.feature_engineering; "
        "print(sorted(m for m in ('numpy', 'pandas', 'sklearn', 'scipy', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
