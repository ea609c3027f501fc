"""Module 01 through a real nbgrader round trip: release, submissions (correct, alternative-correct, common
mistakes, hard-coded, blank), one autograde, gradebook. Expected scores come from the question definitions,
evaluated in-process with the seeds of the instructor's hidden tests."""

import json

import pytest
from conftest import cell_source, copy_course_root, expected_points, nbgrader, nbgrader_meta, submit, with_answers

from lepton_training.questions import data_prep

pytestmark = pytest.mark.slow

MODULE = "01-data-prep"

# Another library or method for each answer, all correct.
ALTERNATIVE = {
    "q1-answer": "def audit(raw):\n"
    "    out = pd.DataFrame({'n_distinct': raw.nunique(), 'missing_share': raw.isna().mean(), 'dtype': raw.dtypes})\n"
    "    return out.rename_axis('column').reset_index()\n",
    "q4-answer": "true_statements = ['d', 'C', 'b']\n",
    "q5-answer": "def tokenize(comment):\n"
    "    return re.findall(r'[a-z0-9]+|[\\u4e00-\\u9fff]', re.sub(r\"['-]\", '', comment.lower()))\n",
    # An absolute salary threshold, day counts, isin, and get_close_matches within each block.
    "q6-answer": "PERSON_COLUMNS = ['country', 'education', 'group', 'years_experience', 'salary_expectation_usd']\n\n"
    "def find_wrong_values(clean):\n"
    "    typos = []\n"
    "    for _, block in clean.groupby(PERSON_COLUMNS, dropna=False):\n"
    "        ids = dict(zip(block['email'], block['candidate_id']))\n"
    "        for email, cid in ids.items():\n"
    "            others = [e for e in ids if e != email]\n"
    "            if difflib.get_close_matches(email, others, n=1, cutoff=0.88):\n"
    "                typos.append(cid)\n"
    "    days = (clean['decided_on'] - clean['applied_on']).dt.days\n"
    "    return {'salary_monthly': list(clean.loc[clean['salary_expectation_usd'] < 20000, 'candidate_id']),\n"
    "            'decided_before_applied': set(clean.loc[days < 0, 'candidate_id']),\n"
    "            'assessment_default': clean.loc[clean['assessment_score'].isin([50]), 'candidate_id'],\n"
    "            'email_typo': typos}\n",
}

# The mistakes the checks name: counts for shares, a set with a false statement, split on spaces, a z-score.
MISTAKES = {
    "q1-answer": "def audit(raw):\n"
    "    return pd.DataFrame({'column': raw.columns, 'dtype': raw.dtypes.astype(str).to_numpy(),\n"
    "                         'missing_share': raw.isna().sum().to_numpy(), 'n_distinct': raw.nunique().to_numpy()})\n",
    "q4-answer": "true_statements = {'A', 'B', 'C', 'D'}\n",
    "q5-answer": "def tokenize(comment):\n    return comment.lower().split()\n",
    # A z-score on the whole salary column, and emails matched on the person's answers alone.
    "q6-answer": "PERSON_COLUMNS = ['country', 'education', 'group', 'years_experience', 'salary_expectation_usd']\n\n"
    "def find_wrong_values(clean):\n"
    "    usd = clean['salary_expectation_usd']\n"
    "    size = clean.groupby(PERSON_COLUMNS, dropna=False)['candidate_id'].transform('size')\n"
    "    return {'salary_monthly': clean.loc[((usd - usd.mean()) / usd.std()).abs() > 2, 'candidate_id'],\n"
    "            'decided_before_applied': clean.loc[clean['decided_on'] < clean['applied_on'], 'candidate_id'],\n"
    "            'assessment_default': clean.loc[clean['assessment_score'] == 50, 'candidate_id'],\n"
    "            'email_typo': clean.loc[size > 1, 'candidate_id']}\n",
}

# Answers that return what the public checks saw, whatever the input.
HARD_CODED = {
    "q1-answer": "from lepton_training.datasets import talent_pipeline as _tp\n_seen = None\n\ndef audit(raw):\n"
    "    t = _tp(600, seed=11)\n"
    "    return pd.DataFrame([{'column': c, 'dtype': str(t[c].dtype), 'missing_share': t[c].isna().mean(),\n"
    "                          'n_distinct': t[c].nunique()} for c in t.columns])\n",
}


# The cleaning's deduplication line in the solution, and what replaces it: another method (correct), and the last
# copy of each application kept (a mistake its check names).
DEDUPE = '    df = exact[~exact["email"].str.strip().str.lower().duplicated(keep="first")]\n'
DEDUPE_BY_GROUPBY = (
    '    df = exact.assign(_key=exact["email"].str.strip().str.lower()).groupby("_key", sort=False).head(1)\n'
    '    df = df.drop(columns="_key")\n'
)
DEDUPE_KEEP_LAST = DEDUPE.replace('keep="first"', 'keep="last"')


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
    assert DEDUPE in solutions["q3-answer"]
    submissions = {
        "alice": {**solutions},
        "bob": {},
        "carol": {**solutions, **MISTAKES, "q3-answer": solutions["q3-answer"].replace(DEDUPE, DEDUPE_KEEP_LAST)},
        "dave": {**solutions, **ALTERNATIVE, "q3-answer": solutions["q3-answer"].replace(DEDUPE, DEDUPE_BY_GROUPBY)},
        "erin": {**solutions, **HARD_CODED},
    }
    for student, answers in submissions.items():
        submit(root, MODULE, student, with_answers(release, answers) if answers else release)

    graded = nbgrader(root, jupyter_env, "autograde", MODULE, "--create")
    log = graded.stdout + graded.stderr

    from nbgrader.api import Gradebook

    total = data_prep.exercises.total_points
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course_id="lepton-training") as gb:
        scores = {s.student.id: s.score for s in gb.assignment_submissions(MODULE)}
        assert gb.find_assignment(MODULE).max_score == total

    assert scores["alice"] == pytest.approx(total), log[-3000:]
    assert scores["dave"] == pytest.approx(total), log[-3000:]
    assert scores["bob"] == 0
    for student in ("carol", "erin"):
        want = expected_points(submissions[student], source, data_prep.exercises)
        assert scores[student] == pytest.approx(want, abs=1e-3), (student, log[-3000:])
        assert scores[student] < total
