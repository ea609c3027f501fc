"""Module 03 through a real nbgrader round trip: release, five submissions, one autograde, the gradebook.

The submissions: the instructor's answers; alternative correct answers (other libraries, another order, another
model); common mistakes; a blank release; hard-coded answers. Expected scores come from the question definitions,
evaluated in-process with the seeds of the instructor's hidden tests (conftest.expected_points).
"""

import json

import pytest
from conftest import cell_source, copy_course_root, expected_points, nbgrader, nbgrader_meta, submit, with_answers

from lepton_training.questions import feature_engineering

pytestmark = pytest.mark.slow

MODULE = "03-feature-engineering"

ALTERNATIVE = {
    "q1-answer": (
        "from sklearn.preprocessing import MultiLabelBinarizer\n\n"
        "def skill_indicators(skills):\n"
        "    lists = skills.fillna('').map(lambda s: [x.strip() for x in s.split(';') if x.strip()])\n"
        "    binarizer = MultiLabelBinarizer()\n"
        "    return pd.DataFrame(binarizer.fit_transform(lists), columns=binarizer.classes_).astype(bool)\n"
    ),
    "q2-answer": (
        "def date_features(frame, as_of):\n"
        "    applied = frame['applied_on']\n"
        "    return pd.DataFrame({'days_since_applied': [(as_of - d).days for d in applied],\n"
        "                         'applied_weekday': [d.weekday() for d in applied],\n"
        "                         'applied_month': [d.month for d in applied]})\n"
    ),
    "q3-answer": "leaking_columns = ['onboarding_date', 'interview_score', 'decided_on']\n",
    "q4-answer": (
        "from sklearn.compose import make_column_transformer\n"
        "from sklearn.impute import SimpleImputer\n"
        "from sklearn.linear_model import LogisticRegression\n"
        "from sklearn.pipeline import make_pipeline\n"
        "from sklearn.preprocessing import OneHotEncoder, StandardScaler\n\n"
        "def fit_and_score(train, test):\n"
        "    features = make_column_transformer(\n"
        "        (make_pipeline(SimpleImputer(), StandardScaler()), ['assessment_score', 'years_experience']),\n"
        "        (OneHotEncoder(handle_unknown='ignore'), ['channel', 'referral']),\n"
        "    )\n"
        "    model = make_pipeline(features, LogisticRegression(C=0.5, max_iter=500))\n"
        "    model.fit(train, train['outcome'].eq('hired'))\n"
        "    return model.predict_proba(test)[:, 1].tolist()\n"
    ),
    "q5-answer": (
        "from sklearn.feature_extraction.text import CountVectorizer\n"
        "from sklearn.linear_model import LogisticRegression\n"
        "from sklearn.pipeline import make_pipeline\n\n"
        "def comment_fit_and_score(train, test):\n"
        "    model = make_pipeline(CountVectorizer(ngram_range=(1, 2), binary=True), LogisticRegression(C=1.0))\n"
        "    model.fit(train['comment'], (train['rating'] >= 4).astype(int))\n"
        "    return model.predict_proba(test['comment'])[:, 1]\n"
    ),
    "q6-answer": (
        "from sklearn.metrics import roc_auc_score\n"
        "from sklearn.ensemble import RandomForestClassifier\n\n"
        "def group_value(train, valid, groups):\n"
        "    def fit(columns):\n"
        "        model = RandomForestClassifier(n_estimators=60, min_samples_leaf=10, random_state=0)\n"
        "        return model.fit(train[columns], train['hired'])\n"
        "    every = [c for cols in groups.values() for c in cols]\n"
        "    full = fit(every)\n"
        "    full_auc = roc_auc_score(valid['hired'], full.predict_proba(valid[every])[:, 1])\n"
        "    rng = np.random.default_rng(7)\n"
        "    out = {'dropped': {}, 'permuted': {}}\n"
        "    for g, cols in groups.items():\n"
        "        others = [c for c in every if c not in cols]\n"
        "        without = roc_auc_score(valid['hired'], fit(others).predict_proba(valid[others])[:, 1])\n"
        "        out['dropped'][g] = round(full_auc - without, 4)\n"
        "        drops = []\n"
        "        for _ in range(6):\n"
        "            order = rng.permutation(len(valid))\n"
        "            moved = valid[every].assign(**{c: valid[c].to_numpy()[order] for c in cols})\n"
        "            drops.append(full_auc - roc_auc_score(valid['hired'], full.predict_proba(moved)[:, 1]))\n"
        "        out['permuted'][g] = sum(drops) / len(drops)\n"
        "    return out\n"
    ),
}

MISTAKES = {
    "q1-answer": "def skill_indicators(skills):\n    return skills.str.get_dummies(sep=';')\n",
    "q2-answer": (
        "def date_features(frame, as_of):\n"
        "    applied = frame['applied_on']\n"
        "    return pd.DataFrame({'applied_month': applied.dt.month,\n"
        "                         'applied_weekday': applied.dt.day_of_week + 1,\n"
        "                         'days_since_applied': (as_of - applied).dt.days}, index=frame.index)\n"
    ),
    "q3-answer": "leaking_columns = {'onboarding_date', 'interview_score', 'assessment_score'}\n",
    "q4-answer": (
        "from sklearn.impute import SimpleImputer\n"
        "from sklearn.linear_model import LogisticRegression\n"
        "from sklearn.pipeline import make_pipeline\n"
        "from sklearn.preprocessing import StandardScaler\n\n"
        "def fit_and_score(train, test):\n"
        "    columns = ['assessment_score', 'years_experience', 'interview_score']\n"
        "    model = make_pipeline(SimpleImputer(add_indicator=True), StandardScaler(), LogisticRegression())\n"
        "    model.fit(train[columns], train['outcome'] == 'hired')\n"
        "    return model.predict_proba(test[columns])[:, 1]\n"
    ),
    "q5-answer": (
        "from sklearn.feature_extraction.text import TfidfVectorizer\n"
        "from sklearn.linear_model import LogisticRegression\n\n"
        "def comment_fit_and_score(train, test):\n"
        "    vectorizer = TfidfVectorizer(ngram_range=(1, 2)).fit(pd.concat([train['comment'], test['comment']]))\n"
        "    model = LogisticRegression(C=10).fit(vectorizer.transform(train['comment']), train['rating'] >= 4)\n"
        "    return model.predict_proba(vectorizer.transform(test['comment']))[:, 1]\n"
    ),
    "q6-answer": (
        "from sklearn.linear_model import LogisticRegression\n"
        "from sklearn.metrics import roc_auc_score\n\n"
        "def group_value(train, valid, groups):  # each group scored alone, and 'permuted' refits\n"
        "    def auc(columns, frame=train):\n"
        "        model = LogisticRegression(max_iter=1000).fit(frame[columns], frame['hired'])\n"
        "        return roc_auc_score(valid['hired'], model.predict_proba(valid[columns])[:, 1])\n"
        "    every = [c for cols in groups.values() for c in cols]\n"
        "    rng = np.random.default_rng(0)\n"
        "    return pd.DataFrame({\n"
        "        'dropped': {g: auc(cols) - 0.5 for g, cols in groups.items()},\n"
        "        'permuted': {g: auc(every) - auc(every, train.assign(**{c: train[c].to_numpy()[\n"
        "            rng.permutation(len(train))] for c in cols})) for g, cols in groups.items()},\n"
        "    })\n"
    ),
}

# Answers that reproduce the public checks' results without computing them for other inputs.
HARD_CODED = {
    "q1-answer": (
        "from lepton_training.datasets import clean_talent_pipeline, talent_pipeline\n\n"
        "_public = clean_talent_pipeline(talent_pipeline(300, seed=7))['skills']\n\n"
        "def skill_indicators(skills):\n"
        "    if len(skills) == 4:\n"
        "        return pd.DataFrame({'go': [1, 0, 0, 0], 'sql': [1, 0, 0, 0], 'mongodb': [0, 1, 0, 0],\n"
        "                             'django': [0, 0, 0, 1], 'python': [0, 0, 0, 1]})\n"
        "    return _public.str.get_dummies(sep='; ')\n"
    ),
    "q3-answer": "leaking_columns = {'decided_on', 'interview_score', 'onboarding_date'}\n",
    "q6-answer": (
        "def group_value(train, valid, groups):\n"
        "    return pd.DataFrame({\n"
        "        'dropped': {'season': 0.003, 'channel': 0.141, 'region': 0.004, 'experience': -0.099},\n"
        "        'permuted': {'season': 0.047, 'channel': 0.156, 'region': 0.041, 'experience': -0.018},\n"
        "    })\n"
    ),
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
    hard_coded = {**solutions, **HARD_CODED}

    submit(root, MODULE, "alice", with_answers(release, solutions))  # the instructor's answers
    submit(root, MODULE, "bob", with_answers(release, ALTERNATIVE))  # other correct answers
    submit(root, MODULE, "carol", with_answers(release, MISTAKES))  # one common mistake per question
    submit(root, MODULE, "dave", release)  # blank
    submit(root, MODULE, "erin", with_answers(release, hard_coded))  # hard-coded q1, q3, q6

    graded = nbgrader(root, jupyter_env, "autograde", MODULE, "--create")
    log = graded.stdout + graded.stderr

    from nbgrader.api import Gradebook

    exercises = feature_engineering.exercises
    total = exercises.total_points
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course_id="lepton-training") as gb:
        scores = {s.student.id: s.score for s in gb.assignment_submissions(MODULE)}
        max_score = gb.find_assignment(MODULE).max_score

    assert max_score == total
    assert scores["alice"] == pytest.approx(total), log[-3000:]
    assert scores["bob"] == pytest.approx(total), log[-3000:]
    assert scores["bob"] == pytest.approx(expected_points(ALTERNATIVE, source, exercises), abs=1e-3)
    mistakes = expected_points(MISTAKES, source, exercises)
    assert scores["carol"] == pytest.approx(mistakes, abs=1e-3), log[-3000:]
    assert 0 < scores["carol"] < total / 2
    assert scores["dave"] == 0
    assert scores["erin"] == pytest.approx(expected_points(hard_coded, source, exercises), abs=1e-3)
    assert scores["erin"] < total
