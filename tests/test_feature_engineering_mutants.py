"""Near misses of module 03's answers lose points, each with a message naming the mistake; alternative correct
answers (another library, another order, another model) earn full marks; hard-coded answers are caught by the
hidden tests (course standard: mutate your own solution and watch a test fail)."""

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MultiLabelBinarizer, OneHotEncoder, StandardScaler

from lepton_training.datasets import clean_talent_pipeline, talent_pipeline
from lepton_training.features import lexicon_scores
from lepton_training.questions.feature_engineering import q1, q2, q3, q4, q5, q6

HIDDEN = 99


def full_marks(question, answer):
    score = question.grade(answer, hidden=HIDDEN)
    assert score.points == question.points, score.explanation()


def loses(question, answer, phrase):
    score = question.grade(answer, hidden=HIDDEN)
    assert score.points < question.points
    assert phrase in str(score.explanation()), str(score.explanation())


# --- q1 --------------------------------------------------------------------------------------------------------


def skills_reference(skills):
    return skills.str.get_dummies(sep="; ")


def test_q1_alternatives_earn_full_marks():
    def with_binarizer(skills):
        lists = skills.fillna("").map(lambda s: [x for x in s.split("; ") if x])
        binarizer = MultiLabelBinarizer()
        return pd.DataFrame(binarizer.fit_transform(lists), columns=binarizer.classes_)

    def as_bools_reversed(skills):
        out = skills_reference(skills).astype(bool)
        return out[out.columns[::-1]]

    for fn in (skills_reference, with_binarizer, as_bools_reversed):
        full_marks(q1, fn)


def test_q1_mutants():
    def no_strip(skills):
        return skills.str.get_dummies(sep=";")

    def substrings(skills):
        names = sorted({s for text in skills.dropna() for s in text.split("; ")})
        return pd.DataFrame({n: skills.fillna("").str.contains(n, regex=False).astype(int) for n in names})

    def hard_coded(skills):
        return skills_reference(clean_talent_pipeline(talent_pipeline(300, seed=7))["skills"])

    def in_place(skills):
        skills[:] = skills.fillna("")
        return skills_reference(skills)

    assert "spaces around them" in q1.check(no_strip).message
    assert "inside another skill" in q1.check(substrings).message
    loses(q1, no_strip, "spaces around them")
    loses(q1, substrings, "inside another skill")
    loses(q1, hard_coded, "rows")
    assert q1.check(lambda s: s.str.split("; ")).status == "invalid"
    assert q1.check(lambda s: None).status == "invalid"
    assert "changed" in str(q1.grade(in_place, hidden=HIDDEN).explanation())

    def fills_in_place(skills):
        skills.fillna("", inplace=True)
        return skills_reference(skills)

    def splits_every_cell(skills):  # crashes on a missing value: 'float' object has no attribute 'split'
        names = sorted({s for text in skills for s in text.split("; ")})
        return pd.DataFrame({n: [int(n in text.split("; ")) for text in skills] for n in names})

    # Issue 19: the public check already catches both (its cases hold a missing value).
    assert "changed" in q1.check(fills_in_place).message
    assert "missing skills value" in q1.check(splits_every_cell).message
    loses(q1, splits_every_cell, "missing skills value")


def test_q1_lower_cased_names_lose_points_at_every_seed():
    # "Named by the skill exactly as written": a fixed hidden case writes 'SQL' beside 'sql' (rule 1).
    def lower_cased(skills):
        return skills.str.lower().str.get_dummies(sep="; ")

    assert q1.check(lower_cased).passed  # the notebook's skills are all lower case
    loses(q1, lower_cased, "lost their capitals")
    for seed in range(20):
        assert q1.grade(lower_cased, hidden=seed).points < q1.points, seed


# --- q2 --------------------------------------------------------------------------------------------------------


def dates_reference(frame, as_of):
    applied = frame["applied_on"]
    return pd.DataFrame(
        {
            "applied_month": applied.dt.month,
            "applied_weekday": applied.dt.day_of_week,
            "days_since_applied": (as_of - applied).dt.days,
        },
        index=frame.index,
    )


def test_q2_alternatives_earn_full_marks():
    def with_numpy(frame, as_of):
        days = frame["applied_on"].to_numpy().astype("datetime64[D]")
        ref = np.datetime64(as_of.date())
        return pd.DataFrame(
            {
                "days_since_applied": (ref - days).astype(int),
                "applied_weekday": [d.weekday() for d in frame["applied_on"]],
                "applied_month": [d.month for d in frame["applied_on"]],
            }
        )

    full_marks(q2, dates_reference)
    full_marks(q2, with_numpy)


def test_q2_mutants():
    def iso_weekday(frame, as_of):
        return dates_reference(frame, as_of).assign(applied_weekday=frame["applied_on"].dt.day_of_week + 1)

    def negative(frame, as_of):
        return dates_reference(frame, as_of).assign(days_since_applied=(frame["applied_on"] - as_of).dt.days)

    def to_latest(frame, as_of):
        latest = frame["applied_on"].max()
        return dates_reference(frame, as_of).assign(days_since_applied=(latest - frame["applied_on"]).dt.days)

    def timedelta(frame, as_of):
        return dates_reference(frame, as_of).assign(days_since_applied=as_of - frame["applied_on"])

    def to_today(frame, as_of):
        today = pd.Timestamp.now().normalize()
        return dates_reference(frame, as_of).assign(days_since_applied=(today - frame["applied_on"]).dt.days)

    def hard_coded(frame, as_of):
        return dates_reference(frame, pd.Timestamp("2026-04-01"))

    for fn, phrase in [
        (iso_weekday, "Monday as 1"),
        (negative, "negative"),
        (to_latest, "latest application"),
        (timedelta, "time differences"),
        (to_today, "counted to today"),
        (hard_coded, "a date written in your code"),
    ]:
        assert phrase in q2.check(fn).message
        loses(q2, fn, phrase)


# --- q3 --------------------------------------------------------------------------------------------------------


def test_q3_answers():
    assert q3.grade({"decided_on", "interview_score", "onboarding_date"}, hidden=HIDDEN).points == q3.points
    assert q3.grade(["onboarding_date", " decided_on", "interview_score"], hidden=HIDDEN).points == q3.points
    one = q3.grade({"onboarding_date"}, hidden=HIDDEN)
    two = q3.grade({"onboarding_date", "interview_score"}, hidden=HIDDEN)
    assert 0 < one.points < two.points < q3.points
    assert "1 of the 3" in str(one.explanation())  # at grading; check() gives no count
    assert "1 of the 3" not in q3.check({"onboarding_date", "email"}).message
    extra = q3.grade({"decided_on", "interview_score", "onboarding_date", "assessment_score"}, hidden=HIDDEN)
    assert extra.points < q3.points and "known on the day" in str(extra.explanation())
    assert q3.check({"outcome", "onboarding_date"}).status == "invalid"
    assert "not a column" in q3.check({"onboarding"}).message
    assert q3.check("onboarding_date").status == "invalid"


# --- q4 --------------------------------------------------------------------------------------------------------

NUMERIC = ["years_experience", "assessment_score", "salary_expectation_usd"]
CATEGORICAL = ["channel", "role", "country", "education", "referral"]


def talent_fit(numeric=NUMERIC, categorical=CATEGORICAL, scale_on=None, proba_column=1, labels=False):
    def fit_and_score(train, test):
        features = ColumnTransformer(
            [
                ("num", make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler()), numeric),
                ("cat", OneHotEncoder(handle_unknown="ignore"), categorical),
            ]
        )
        model = make_pipeline(features, LogisticRegression(max_iter=1000))
        model.fit(train, train["outcome"] == "hired")
        if labels:
            return model.predict(test).astype(float)
        return model.predict_proba(test)[:, proba_column]

    return fit_and_score


def test_q4_alternatives_earn_full_marks():
    from sklearn.ensemble import HistGradientBoostingClassifier
    from threadpoolctl import threadpool_limits

    def gradient_boosting(train, test):
        # Another model family, missing values handled natively; shallow trees, as 1,500 rows call for.
        columns = NUMERIC + ["referral"]
        model = HistGradientBoostingClassifier(
            max_iter=80, learning_rate=0.05, max_depth=2, min_samples_leaf=40, random_state=0
        )
        with threadpool_limits(limits=1):  # OpenMP threads only slow it down on a shared machine
            model.fit(train[columns].astype(float), train["outcome"] == "hired")
            return model.predict_proba(test[columns].astype(float))[:, 1]

    def by_hand(train, test):
        # pandas preparation with the training medians, means and levels: leakage-free too.
        medians, means, stds = train[NUMERIC].median(), train[NUMERIC].mean(), train[NUMERIC].std()
        levels = sorted(train["channel"].unique())

        def prepare(frame):
            x = (frame[NUMERIC].fillna(medians) - means) / stds
            for level in levels:
                x[level] = (frame["channel"] == level).astype(float)
            return x.assign(referral=frame["referral"].astype(float))

        model = LogisticRegression(max_iter=1000).fit(prepare(train), train["outcome"] == "hired")
        return list(model.predict_proba(prepare(test))[:, 1])

    def default_boosting(train, test):
        # Issue 19: a default depth-3 gradient boosting of the numeric and categorical columns is reasonable too.
        from sklearn.ensemble import HistGradientBoostingClassifier

        features = ColumnTransformer(
            [
                ("num", "passthrough", NUMERIC),
                ("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False), CATEGORICAL),
            ]
        )
        model = make_pipeline(features, HistGradientBoostingClassifier(max_depth=3, random_state=0))
        with threadpool_limits(limits=1):
            return model.fit(train, train["outcome"] == "hired").predict_proba(test)[:, 1]

    for fn in (talent_fit(), gradient_boosting, by_hand, default_boosting):
        full_marks(q4, fn)


def test_q4_mutants():
    def leaky_interview(train, test):
        return talent_fit(numeric=NUMERIC + ["interview_score"])(train, test)

    def uses_group(train, test):
        return talent_fit(categorical=CATEGORICAL + ["group"])(train, test)

    def scaled_on_test(train, test):
        x_train = train[NUMERIC].fillna(train[NUMERIC].median())
        x_test = test[NUMERIC].fillna(test[NUMERIC].median())
        model = LogisticRegression().fit(StandardScaler().fit_transform(x_train), train["outcome"] == "hired")
        return model.predict_proba(StandardScaler().fit_transform(x_test))[:, 1]

    def dummies_apart(train, test):
        x_train = pd.get_dummies(train[["channel", "country"]]).astype(float)
        x_test = pd.get_dummies(test[["channel", "country"]]).astype(float)
        model = LogisticRegression().fit(x_train, train["outcome"] == "hired")
        return model.predict_proba(x_test)[:, 1]

    both_columns = talent_fit()

    def nan_without_numbers(train, test):  # no prediction for a candidate whose numbers are all missing
        predictions = talent_fit()(train, test)
        return np.where(test[NUMERIC].isna().all(axis=1), np.nan, predictions)

    def fills_test_in_place(train, test):  # edits the caller's `test` while the `train` table stays as it was
        test[NUMERIC] = test[NUMERIC].fillna(0)
        return talent_fit()(train, test)

    def two_columns(train, test):
        features = ColumnTransformer([("num", make_pipeline(SimpleImputer(), StandardScaler()), NUMERIC)])
        model = make_pipeline(features, LogisticRegression()).fit(train, train["outcome"] == "hired")
        return model.predict_proba(test)

    assert "`interview_score`" in q4.check(leaky_interview).message
    assert "`group`" in q4.check(uses_group).message
    assert "on their own" in q4.check(scaled_on_test).message
    assert "second one" in q4.check(two_columns).message
    loses(q4, leaky_interview, "`interview_score`")
    loses(q4, uses_group, "`group`")
    loses(q4, scaled_on_test, "on their own")
    loses(q4, talent_fit(proba_column=0), "below 0.5")
    loses(q4, talent_fit(labels=True), "only 0 and 1")
    loses(q4, talent_fit(numeric=["years_experience"], categorical=["education"]), "below the")
    assert q4.grade(dummies_apart, hidden=HIDDEN).points < q4.points
    assert "changed the `test` table" in q4.check(fills_test_in_place).message
    loses(q4, fills_test_in_place, "changed the `test` table")
    loses(q4, nan_without_numbers, "a row with no numbers: `fit_and_score` returned 1 missing (NaN) values")
    assert q4.grade(both_columns, hidden=HIDDEN).points == q4.points

    def crashes_on_unseen(train, test):
        features = ColumnTransformer(
            [
                ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), NUMERIC),
                ("cat", OneHotEncoder(), CATEGORICAL),
            ]
        )
        model = make_pipeline(features, LogisticRegression(max_iter=1000))
        return model.fit(train, train["outcome"] == "hired").predict_proba(test)[:, 1]

    # Issue 19: the public check names it, and it costs as much at every seed.
    assert "never seen in `train`" in q4.check(crashes_on_unseen).message
    for seed in (HIDDEN, 1, 2):
        assert q4.grade(crashes_on_unseen, hidden=seed).points <= 0.8 * q4.points


def _notebook_talent():
    """The table the notebook calls `talent`: a global a learner's function might fit on instead of `train`."""
    return clean_talent_pipeline()


def test_q4_ignoring_train_loses_points_at_every_seed():
    notebook_talent = _notebook_talent()

    def fits_on_the_notebook_table(train, test):
        return talent_fit()(notebook_talent, test)

    fitted = make_pipeline(
        ColumnTransformer([("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), NUMERIC)]),
        LogisticRegression(max_iter=1000),
    ).fit(notebook_talent, notebook_talent["outcome"] == "hired")

    def pasted_weights(train, test):  # a formula with weights found in the notebook, fit on nothing
        return fitted.predict_proba(test)[:, 1]

    for fn in (fits_on_the_notebook_table, pasted_weights):
        for seed in (HIDDEN, 1, 2):
            score = q4.grade(fn, hidden=seed)
            assert score.points < q4.points, f"{fn.__name__} seed {seed}"
            assert "do not follow the `train` table" in str(score.explanation())


def test_q4_leak_and_fit_on_test_lose_points_on_hidden_tests_too():
    def leaky_interview(train, test):
        return talent_fit(numeric=NUMERIC + ["interview_score"])(train, test)

    def fit_on_both(train, test):
        both = pd.concat([train.drop(columns="outcome"), test])
        numeric = SimpleImputer(strategy="median").fit(both[NUMERIC])
        scale = StandardScaler().fit(numeric.transform(both[NUMERIC]))
        model = LogisticRegression().fit(
            scale.transform(numeric.transform(train[NUMERIC])), train["outcome"] == "hired"
        )
        return model.predict_proba(scale.transform(numeric.transform(test[NUMERIC])))[:, 1]

    for fn, phrase in ((leaky_interview, "`interview_score`"), (fit_on_both, "on their own")):
        score = q4.grade(fn, hidden=HIDDEN)
        hidden = score.outcomes[len(q4.public_tests(fn)) :]
        failed = [o for o in hidden if not o.result.passed]
        assert any(phrase in o.result.message for o in failed), f"{fn.__name__}: the hidden tests catch it too"
        assert score.points <= 0.75 * q4.points, f"{fn.__name__}: {score.points}"


# --- q5 --------------------------------------------------------------------------------------------------------


def comment_fit(vectorizer_factory, C=10.0):  # noqa: N803
    def comment_fit_and_score(train, test):
        model = make_pipeline(vectorizer_factory(), LogisticRegression(C=C, max_iter=1000))
        model.fit(train["comment"], train["rating"] >= 4)
        return model.predict_proba(test["comment"])[:, 1]

    return comment_fit_and_score


def test_q5_alternatives_earn_full_marks():
    full_marks(q5, comment_fit(lambda: TfidfVectorizer(ngram_range=(1, 2))))
    full_marks(q5, comment_fit(lambda: CountVectorizer(ngram_range=(1, 2), binary=True), C=1.0))
    full_marks(q5, comment_fit(lambda: TfidfVectorizer(ngram_range=(1, 3)), C=3.0))


def test_q5_mutants():
    def fit_on_both(train, test):
        vectorizer = TfidfVectorizer(ngram_range=(1, 2)).fit(pd.concat([train["comment"], test["comment"]]))
        model = LogisticRegression(C=10, max_iter=1000)
        model.fit(vectorizer.transform(train["comment"]), train["rating"] >= 4)
        return model.predict_proba(vectorizer.transform(test["comment"]))[:, 1]

    def lexicon_only(train, test):
        return 1 / (1 + np.exp(-lexicon_scores(test["comment"])))

    def labels(train, test):
        model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2)), LogisticRegression(C=10, max_iter=1000))
        return model.fit(train["comment"], train["rating"] >= 4).predict(test["comment"]).astype(float)

    def nan_when_empty(train, test):  # no prediction for an empty comment
        predictions = comment_fit(lambda: TfidfVectorizer(ngram_range=(1, 2)))(train, test)
        return np.where(test["comment"].fillna("").str.strip() == "", np.nan, predictions)

    def strict_label(train, test):  # rating > 4: a 4 is positive too
        model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2)), LogisticRegression(C=10, max_iter=1000))
        return model.fit(train["comment"], train["rating"] > 4).predict_proba(test["comment"])[:, 1]

    assert "`rating > 4`" in q5.check(strict_label).message
    loses(q5, strict_label, "`rating > 4`")
    assert "on their own" in q5.check(fit_on_both).message
    loses(q5, nan_when_empty, "one in capitals: `comment_fit_and_score` returned 1 missing (NaN) values")
    loses(q5, fit_on_both, "on their own")
    loses(q5, lexicon_only, "below the")
    loses(q5, labels, "only 0 and 1")


def test_q5_shifted_probabilities_are_not_called_the_strict_label():
    # Class weights pull the probabilities toward 0.5: the mean prediction is off, the label is the stated one.
    def balanced(train, test):
        model = make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2)), LogisticRegression(C=10, max_iter=1000, class_weight="balanced")
        )
        return model.fit(train["comment"], train["rating"] >= 4).predict_proba(test["comment"])[:, 1]

    loses(q5, balanced, "class_weight='balanced'")
    assert "`rating > 4`" not in str(q5.grade(balanced, hidden=HIDDEN).explanation())


def test_q4_an_imputer_fit_on_test_loses_points():
    # The median of `test` fills its missing numbers: rows scored alone get other values (the probe rows hold one).
    def imputes_with_test_medians(train, test):
        columns = ["years_experience", "assessment_score", "salary_expectation_usd"]
        medians = train[columns].median()
        X = train[columns].fillna(medians)
        Xt = test[columns].fillna(test[columns].median())
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(X, train["outcome"] == "hired")
        return model.predict_proba(Xt)[:, 1]

    assert "on their own" in q4.check(imputes_with_test_medians).message
    loses(q4, imputes_with_test_medians, "on their own")


def test_q5_ignoring_train_loses_points_at_every_seed():
    from lepton_training.datasets import training_feedback
    from lepton_training.features import train_sentiment_model

    feedback = training_feedback()
    english = feedback[feedback["language"] == "en"].reset_index(drop=True)

    def fits_on_the_notebook_table(train, test):
        return comment_fit(lambda: TfidfVectorizer(ngram_range=(1, 2)))(english, test)

    sentiment = train_sentiment_model()

    def course_model(train, test):
        return sentiment.pipeline.predict_proba(test["comment"])[:, 1]

    for fn in (fits_on_the_notebook_table, course_model):
        for seed in (HIDDEN, 1):
            score = q5.grade(fn, hidden=seed)
            assert score.points < q5.points, f"{fn.__name__} seed {seed}"
            assert "do not follow the `train` table" in str(score.explanation())


# --- q6, q7 ----------------------------------------------------------------------------------------------------

SEEDS = (HIDDEN, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181, 6765)


def group_measure(model_factory=lambda: LogisticRegression(max_iter=1000), **mistakes):
    """``group_value``: 'dropped' and 'permuted' of each group; near misses by keyword.

    on_train: scored on the training rows; alone: each group scored alone; sign: -1 flips both; refit: 'permuted'
    refits the model on shuffled training columns; whole_rows: shuffles whole rows of `valid`; in_place: shuffles
    `valid` itself.
    """

    def group_value(train, valid, groups):
        scored = train if mistakes.get("on_train") else valid
        sign = mistakes.get("sign", 1)
        every = [c for cols in groups.values() for c in cols]

        def fit(columns, frame=train):
            return model_factory().fit(frame[columns], frame["hired"])

        def auc(model, columns, frame):
            return roc_auc_score(frame["hired"], model.predict_proba(frame[columns])[:, 1])

        full = fit(every)
        full_auc = auc(full, every, scored)
        rng = np.random.default_rng(0)
        rows = {}
        for g, cols in groups.items():
            others = [c for c in every if c not in cols]
            if mistakes.get("alone"):
                dropped = auc(fit(list(cols)), list(cols), scored) - 0.5
            else:
                dropped = full_auc - auc(fit(others), others, scored)
            drops = []
            for _ in range(5):
                shuffled = valid if mistakes.get("in_place") else valid.copy()
                order = rng.permutation(len(valid))
                if mistakes.get("whole_rows"):
                    shuffled = shuffled.iloc[order]
                else:
                    shuffled[cols] = shuffled[cols].to_numpy()[order]
                model = full
                if mistakes.get("refit"):
                    moved = train.copy()
                    moved[cols] = moved[cols].to_numpy()[rng.permutation(len(train))]
                    model = fit(every, moved)
                drops.append(full_auc - auc(model, every, shuffled))
            rows[g] = {"dropped": sign * dropped, "permuted": sign * float(np.mean(drops))}
        return pd.DataFrame.from_dict(rows, orient="index")

    return group_value


def test_q6_alternatives_and_mutants():
    from sklearn.ensemble import RandomForestClassifier

    full_marks(q6, group_measure())
    full_marks(q6, group_measure(lambda: RandomForestClassifier(n_estimators=60, min_samples_leaf=10, random_state=0)))
    as_dict = group_measure()
    full_marks(q6, lambda *args: as_dict(*args).to_dict())  # {"dropped": {...}, "permuted": {...}} is accepted
    for mistakes, phrase in (
        ({"sign": -1}, "flipped"),
        ({"alone": True}, "scored alone"),
        ({"on_train": True}, "training rows"),
        ({"refit": True}, "Nothing is refit"),
        ({"whole_rows": True}, "whole rows"),
    ):
        mutant = group_measure(**mistakes)
        assert phrase in q6.check(mutant).message, mistakes
        # Rule 1: the hidden tests alone catch it, at every seed.
        for seed in SEEDS:
            score = q6.grade(mutant, hidden=seed)
            hidden = score.outcomes[len(q6.public_tests(mutant)) :]
            assert any(phrase in o.result.message for o in hidden), (phrase, seed)
            assert score.points <= 0.5 * q6.points, (phrase, seed)
    assert "changed the `valid` table" in q6.check(group_measure(in_place=True)).message


def test_q6_auc_instead_of_drop_and_wrong_shape_are_named():
    right = group_measure()

    def aucs(train, valid, groups):
        table = right(train, valid, groups)
        return table + 0.7  # AUCs, not drops

    loses(q6, aucs, "holds AUCs")
    assert q6.check(lambda train, valid, groups: {g: 0.1 for g in groups}).status == "invalid"
    assert q6.check(lambda train, valid, groups: right(train, valid, groups)[["dropped"]]).status == "invalid"


@pytest.mark.parametrize("question", [q1, q2, q4, q5, q6])
def test_an_object_equal_to_everything_is_not_an_answer(question):
    class Anything:
        def __eq__(self, other):
            return True

        def __call__(self, *args):
            return Anything()

    assert not question.check(Anything()).passed
