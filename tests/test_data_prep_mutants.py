"""Near misses of module 01's answers lose points, each with a message that names the mistake; alternative
correct answers (another library, another order, another valid tokenization) earn full marks; hard-coded
answers pass the public check at most and lose points in grading."""

import difflib
import itertools
import re

import numpy as np
import pandas as pd
import pytest

from lepton_training.datasets import CHANNELS, EXCHANGE_RATES_TO_USD, talent_pipeline
from lepton_training.questions.data_prep import PERSON_COLUMNS, WRONG_KINDS, q1, q2, q3, q4, q5, q6

HIDDEN = 99


def explanation(question, answer):
    return str(question.grade(answer, hidden=HIDDEN).explanation())


def full_marks(question, answer):
    score = question.grade(answer, hidden=HIDDEN)
    assert score.points == question.points, str(score.explanation())


def loses(question, answer, phrase):
    score = question.grade(answer, hidden=HIDDEN)
    assert score.points < question.points
    assert phrase in str(score.explanation()), str(score.explanation())


# --- reference answers, as a learner would write them ------------------------------------------------------------


def audit(raw):
    return pd.DataFrame(
        [
            {
                "column": c,
                "dtype": str(raw[c].dtype),
                "missing_share": raw[c].isna().mean(),
                "n_distinct": raw[c].nunique(),
            }
            for c in raw.columns
        ]
    )


VARIANTS = {
    "school recruiting": "school",
    "campus": "school",
    "sm": "social media",
    "socialmedia": "social media",
    "tech forum": "technical forums",
    "forums": "technical forums",
    "recruitment agency": "agency",
    "website": "careers site",
    "careers page": "careers site",
}


def normalize_channel(labels):
    key = labels.str.strip().str.lower().str.replace("-", " ")
    return key.map(lambda k: k if k in CHANNELS else VARIANTS.get(k, k))


def parse_dates(text, first="%d/%m/%Y"):
    out = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    for fmt in (first, "%b %d, %Y"):
        out = out.fillna(pd.to_datetime(text, format=fmt, errors="coerce"))
    return out


def salary_usd(text, rates=EXCHANGE_RATES_TO_USD, thousands=1000):
    if pd.isna(text):
        return np.nan
    currency = re.search(r"USD|CNY|RMB|EUR|\$|¥|€", text).group()
    currency = {"$": "USD", "¥": "CNY", "RMB": "CNY", "€": "EUR"}.get(currency, currency)
    amount = float(re.search(r"[\d,.]+", text).group().replace(",", ""))
    if "k" in text:
        amount *= thousands
    return amount * rates[currency]


def standardize(raw, **options):
    df = raw.copy()
    df["channel"] = normalize_channel(df["channel"])
    first = options.get("first", "%d/%m/%Y")
    df["applied_on"] = parse_dates(df["applied_on"], first)
    df["decided_on"] = parse_dates(df["decided_on"], first)
    rates = options.get("rates", EXCHANGE_RATES_TO_USD)
    df["salary_expectation_usd"] = df["salary_expectation"].map(
        lambda t: salary_usd(t, rates, options.get("thousands", 1000))
    )
    return df


def deduplicate(raw, keep="first"):
    df = raw.drop_duplicates()
    key = df["email"].str.strip().str.lower()
    return df[~key.duplicated(keep=keep)]


def by_groupby(raw):  # another method, rows sorted by id, email normalized in the result
    df = raw.drop_duplicates().assign(email=lambda d: d["email"].str.strip().str.lower())
    return df.groupby("email", sort=False).head(1).sort_values("candidate_id")


def drop_all_copies(raw):
    df = raw.drop_duplicates()
    return df[~df["email"].str.strip().str.lower().duplicated(keep=False)]


def lowest_id(raw):  # keeps the first *id*, not the first row: differs when the respelled row comes first
    df = raw.drop_duplicates().sort_values("candidate_id")
    return df[~df["email"].str.strip().str.lower().duplicated()]


COLUMNS = [
    "candidate_id", "email", "channel", "role", "country", "applied_on", "decided_on", "years_experience",
    "education", "skills", "assessment_score", "interview_score", "salary_expectation_usd", "referral", "group",
    "onboarding_date", "outcome",
]  # fmt: skip
YES_NO = {"yes": True, "y": True, "true": True, "1": True, "no": False, "n": False, "false": False, "0": False}


def clean(
    raw, max_years=50, drop_rows=False, log_offset=0, exclusive=False, fill=False, as_bool=False, dedupe=deduplicate
):
    exact = raw.drop_duplicates()
    df = dedupe(raw)
    log = {"exact_duplicates_dropped": len(raw) - len(exact), "near_duplicates_dropped": len(exact) - len(df)}
    df = standardize(df)
    df["email"] = df["email"].str.strip().str.lower()
    df["onboarding_date"] = parse_dates(df["onboarding_date"])
    rules = {
        "experience_set_missing": (
            "years_experience",
            (lambda s: (s > 0) & (s < max_years)) if exclusive else (lambda s: (s >= 0) & (s <= max_years)),
        ),
        "assessment_set_missing": ("assessment_score", lambda s: (s >= 0) & (s <= 100)),
        "salary_set_missing": ("salary_expectation_usd", lambda s: s <= 1_000_000),
    }
    for key, (column, possible) in rules.items():
        before = df[column]
        if drop_rows:
            df = df[possible(before) | before.isna()]
            log[key] = 0
            continue
        df[column] = before.where(possible(before))
        log[key] = int((before.notna() & df[column].isna()).sum())
    if fill:
        df["years_experience"] = df["years_experience"].fillna(df["years_experience"].median())
    df["referral"] = df["referral"].astype(bool) if as_bool else df["referral"].str.strip().str.lower().map(YES_NO)
    log["salary_set_missing"] += log_offset
    return df[COLUMNS].reset_index(drop=True), log


def tokenize(comment):
    return re.findall(r"[a-z0-9]+(?:'[a-z0-9]+)*|[\u4e00-\u9fff]", comment.lower())


# --- q1 ----------------------------------------------------------------------------------------------------------


def test_q1_alternatives_pass():
    full_marks(q1, audit)

    def from_series(raw):  # vectorized, columns in another order, dtype objects, rows reversed
        out = pd.DataFrame(
            {
                "n_distinct": raw.nunique(),
                "missing_share": raw.isna().mean(),
                "dtype": raw.dtypes,
                "column": raw.columns,
            }
        )
        return out.iloc[::-1]

    full_marks(q1, from_series)

    def object_columns(raw):  # built from a list of lists: every column is object; text dtypes named "object"
        rows = [[c, "object" if str(raw[c].dtype) == "str" else str(raw[c].dtype), raw[c].isna().mean(),
                 raw[c].nunique()] for c in raw.columns]  # fmt: skip
        return pd.DataFrame(np.array(rows, dtype=object), columns=["column", "dtype", "missing_share", "n_distinct"])

    full_marks(q1, object_columns)


@pytest.mark.parametrize(
    ("change", "phrase"),
    [
        (lambda raw, out: out.assign(missing_share=out["missing_share"] * len(raw)), "counts of missing"),
        (lambda raw, out: out.assign(missing_share=out["missing_share"] * 100), "percentage"),
        (lambda raw, out: out.assign(n_distinct=[raw[c].nunique(dropna=False) for c in raw.columns]), "counts missing"),
        (lambda raw, out: out.set_index("column"), "reset_index"),
    ],
)
def test_q1_mutants(change, phrase):
    loses(q1, lambda raw: change(raw, audit(raw)), phrase)


def test_q1_hard_coded_loses_in_grading():
    public = audit(talent_pipeline(600, seed=11))
    assert q1.check(lambda raw: public).passed
    assert q1.grade(lambda raw: public, hidden=HIDDEN).points < q1.points


# --- q2 ----------------------------------------------------------------------------------------------------------


def test_q2_alternatives_pass():
    full_marks(q2, standardize)

    def dates_as_objects(raw):  # dates as datetime.date objects, salary column replaced, index reset
        df = standardize(raw).drop(columns="salary_expectation").reset_index(drop=True)
        for col in ("applied_on", "decided_on"):
            df[col] = [d.date() for d in df[col]]
        return df

    full_marks(q2, dates_as_objects)


def test_q2_mutants():
    def channel_lower_only(raw):
        df = standardize(raw)
        df["channel"] = raw["channel"].str.strip().str.lower()
        return df

    loses(q2, channel_lower_only, "still have labels that are not one of the five channels")

    def sm_forgotten(raw):
        df = standardize(raw)
        df.loc[raw["channel"].reset_index(drop=True).eq("SM").to_numpy(), "channel"] = "SM"
        return df

    assert re.search(r"^On .*: \d+ rows? still ha(s|ve) 'SM' in `channel`\.$", q2.check(sm_forgotten).message)

    def month_first(raw):
        return standardize(raw, first="%m/%d/%Y")

    loses(q2, month_first, "read month first")
    # The three parts earn their points separately: dates read month first cost the dates' share only.
    assert q2.grade(month_first, hidden=HIDDEN).points == pytest.approx(2 * q2.points / 3)

    def mixed_guess(raw):
        df = standardize(raw)
        df["applied_on"] = pd.to_datetime(raw["applied_on"], format="mixed")
        return df

    loses(q2, mixed_guess, "read month first")

    def dayfirst_everywhere(raw):  # dateutil reads "2025-01-02" day first too
        df = standardize(raw)
        df["applied_on"] = pd.to_datetime(raw["applied_on"], format="mixed", dayfirst=True).to_numpy()
        return df

    loses(q2, dayfirst_everywhere, "`dayfirst=True` applies to ISO dates too")
    loses(q2, lambda raw: standardize(raw, thousands=1), 'a "k" means 1,000')
    loses(q2, lambda raw: standardize(raw, rates={c: 1.0 for c in EXCHANGE_RATES_TO_USD}), "not converted to USD")
    inverse = {c: 1 / r for c, r in EXCHANGE_RATES_TO_USD.items()}
    loses(q2, lambda raw: standardize(raw, rates=inverse), "divided by the rate")

    def dates_as_text(raw):
        df = standardize(raw)
        df["decided_on"] = raw["decided_on"]
        return df

    loses(q2, dates_as_text, "should hold dates")

    def in_place(raw):
        raw["channel"] = normalize_channel(raw["channel"])
        return standardize(raw)

    loses(q2, in_place, "changed the table it was given")
    loses(q2, lambda raw: standardize(raw).drop_duplicates(subset="candidate_id"), "keep every row")


# --- q3 ----------------------------------------------------------------------------------------------------------


def test_q3_alternatives_pass():
    full_marks(q3, clean)

    def nullable_and_reordered(raw):
        frame, log = clean(raw)
        frame = frame.convert_dtypes()[COLUMNS[::-1]].sample(frac=1, random_state=0)
        for col in ("applied_on", "decided_on", "onboarding_date"):
            frame[col] = frame[col].astype("datetime64[s]")
        return frame, {**log, "note": "extra keys are fine"}

    full_marks(q3, nullable_and_reordered)
    full_marks(q3, lambda raw: clean(raw, dedupe=by_groupby))


def test_q3_mutants():
    loses(q3, lambda raw: clean(raw, max_years=60), "years_experience")
    loses(q3, lambda raw: clean(raw, drop_rows=True), "too few")
    loses(q3, lambda raw: clean(raw, log_offset=1), "log['salary_set_missing'] is too high")
    loses(q3, lambda raw: clean(raw)[0], "pair")

    def referral_text(raw):
        frame, log = clean(raw)
        frame["referral"] = frame["referral"].map({True: "yes", False: "no"})
        return frame, log

    loses(q3, referral_text, "True or False")

    def email_as_typed(raw):
        frame, log = clean(raw)
        kept = deduplicate(raw).set_index("candidate_id")["email"]
        frame["email"] = frame["candidate_id"].map(kept)
        return frame, log

    loses(q3, email_as_typed, "'email'")


def test_q3_deduplication_mistakes():
    loses(q3, lambda raw: clean(raw, dedupe=lambda r: r.drop_duplicates()), "near duplicate")
    loses(q3, lambda raw: clean(raw, dedupe=lambda r: r), "drop exact duplicates first")
    loses(q3, lambda raw: clean(raw, dedupe=lambda r: deduplicate(r, keep="last")), "the last row")
    loses(q3, lambda raw: clean(raw, dedupe=drop_all_copies), "every copy")
    loses(q3, lambda raw: clean(raw, dedupe=lowest_id), "smallest `candidate_id`")


@pytest.mark.parametrize(
    ("options", "phrase"),
    [
        ({"exclusive": True}, "exactly at a bound (0 or 50)"),
        ({"fill": True}, "asks for no filling"),
        ({"as_bool": True}, "`astype(bool)` makes every non-empty text True"),
        ({"max_years": 60}, "keep an impossible value"),
        ({"dedupe": lambda r: deduplicate(r, keep="last")}, "you kept the last row in the table's order;"),
        ({"dedupe": lowest_id}, "you kept the row with the smallest `candidate_id`"),
        ({"dedupe": drop_all_copies}, "every copy of a repeated application was dropped"),
    ],
)
def test_q3_named_mistakes_fail_the_fixed_case_at_every_seed(options, phrase):
    for seed in range(20):
        score = q3.grade(lambda raw: clean(raw, **options), hidden=seed)
        fixed = [o for o in score.outcomes if "values at the limits" in o.test.description]
        assert not fixed[0].result.passed and phrase in fixed[0].result.message, fixed[0].result.message
    hard = clean(talent_pipeline(900, seed=14))
    assert q3.check(lambda raw: hard).passed
    assert q3.grade(lambda raw: hard, hidden=HIDDEN).points < q3.points


# --- q4 ----------------------------------------------------------------------------------------------------------


def test_q4():
    full_marks(q4, {"B", "C", "D"})
    full_marks(q4, ["d", " c", "B"])
    one_wrong = q4.grade({"B", "C"}, hidden=HIDDEN)
    assert 0 < one_wrong.points < q4.points
    # The check judges the whole set, without a count (tests/test_set_questions.py); grading names the statement.
    assert "not yet right" in q4.check({"B", "C"}).message and "1 of" not in q4.check({"B", "C"}).message
    assert "Statement D: misjudged" in str(one_wrong.explanation())
    assert q4.grade({"A", "B", "C", "D", "E", "F"}, hidden=HIDDEN).points < q4.points
    assert q4.check("BCD").status == "invalid"
    assert q4.check({"G"}).status == "invalid"


# --- q5 ----------------------------------------------------------------------------------------------------------


def test_q5_alternatives_pass():
    full_marks(q5, tokenize)

    def without_apostrophes(comment):  # apostrophes and hyphens dropped with the rest of the punctuation
        text = re.sub(r"['\-]", "", comment.lower())
        return re.findall(r"[a-z0-9]+|[\u4e00-\u9fff]", text)

    full_marks(q5, without_apostrophes)

    def treebank_style(comment):  # "wasn't" -> "was", "n't"; hyphenated words kept whole
        tokens = []
        for word in re.findall(r"[a-z0-9]+(?:['\-][a-z0-9]+)*|[\u4e00-\u9fff]", comment.lower()):
            if word.endswith("n't"):
                tokens += [word[:-3], "n't"]
            else:
                tokens.append(word)
        return tokens

    full_marks(q5, treebank_style)


def test_q5_mutants():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    loses(q5, lambda c: c.lower().split(), "punctuation")
    loses(q5, lambda c: re.findall(r"[A-Za-z0-9']+|[\u4e00-\u9fff]", c), "capitals")
    loses(q5, lambda c: [t for t in tokenize(c) if t not in ENGLISH_STOP_WORDS], "negation")
    letters_only = lambda c: re.findall(r"[a-z]+(?:'[a-z]+)*|[\u4e00-\u9fff]", c.lower())  # noqa: E731
    assert "the number '2' is missing" in q5.check(letters_only).message
    for seed in range(20):
        score = q5.grade(letters_only, hidden=seed)
        fixed = [o for o in score.outcomes if "numbers" in o.test.description]
        assert not fixed[0].result.passed and "letters *and digits*" in fixed[0].result.message
    loses(q5, lambda c: re.findall(r"[a-z0-9]+|[\u4e00-\u9fff]", c.lower()), "apostrophe split")
    loses(q5, lambda c: re.findall(r"[a-z0-9']+|[\u4e00-\u9fff]+", c.lower()), "one token per Chinese character")
    loses(q5, lambda c: " ".join(tokenize(c)), "list of str")
    spelled = lambda c: re.findall(r"[^\W_]", c.lower()) if re.search(r"[\u4e00-\u9fff]", c) else tokenize(c)  # noqa: E731
    loses(q5, spelled, "came back letter by letter")


# --- q6 ----------------------------------------------------------------------------------------------------------


def typo_pairs(clean, block=PERSON_COLUMNS, cutoff=0.9):
    found = set()
    for _, rows in clean.groupby(block, dropna=False):
        pairs = itertools.combinations(zip(rows["candidate_id"], rows["email"], strict=True), 2)
        found |= {
            i for (i, a), (j, b) in pairs if difflib.SequenceMatcher(None, a, b).ratio() >= cutoff for i in (i, j)
        }
    return found


def find_wrong_values(clean, ratio=0.25, before=lambda d, a: d < a, default=lambda s: s == 50, typos=typo_pairs):
    usd = clean["salary_expectation_usd"]
    usual = clean.groupby(["role", "country"])["salary_expectation_usd"].transform("median")
    return {
        "salary_monthly": clean.loc[usd < ratio * usual, "candidate_id"],
        "decided_before_applied": clean.loc[before(clean["decided_on"], clean["applied_on"]), "candidate_id"],
        "assessment_default": clean.loc[default(clean["assessment_score"]), "candidate_id"],
        "email_typo": typos(clean),
    }


def same_answers(clean):  # every row that shares the person's answers with another, whatever the emails
    size = clean.groupby(PERSON_COLUMNS, dropna=False)["candidate_id"].transform("size")
    return clean.loc[size > 1, "candidate_id"]


def same_number(clean):  # the same answers and the same number in the email: misses typos in the digits
    number = clean["email"].str.extract(r"(\d+)@")[0]
    size = clean.assign(number=number).groupby(["number", *PERSON_COLUMNS], dropna=False)["candidate_id"]
    return clean.loc[size.transform("size") > 1, "candidate_id"]


def _q6_hidden_tests(answer, seed, fixed_only=False):
    """q6's hidden tests at a seed, run one by one (cheaper than a whole grade: no public check)."""
    tests = q6.hidden_tests(answer, np.random.default_rng(seed))
    return [(t.description, t.run()) for t in tests if not fixed_only or "three decisions" in t.description]


def test_q6_alternatives_pass():
    # The reference answer at many seeds; its findings do not depend on the extract's size or seed.
    for seed in range(12):
        failed = [(d, r.message) for d, r in _q6_hidden_tests(find_wrong_values, seed) if not r.passed]
        assert not failed, (seed, failed)

    def other_methods(clean):  # an absolute threshold, day counts, isin; sets and lists of ids
        scores = clean["assessment_score"]
        days = (clean["decided_on"] - clean["applied_on"]).dt.days
        return {
            "salary_monthly": set(clean.loc[clean["salary_expectation_usd"] < 20_000, "candidate_id"]),
            "decided_before_applied": list(clean.loc[days < 0, "candidate_id"]),
            "assessment_default": set(clean.loc[scores.isin([50.0]), "candidate_id"]),
            "email_typo": list(typo_pairs(clean, cutoff=0.85)),
        }

    full_marks(q6, other_methods)


@pytest.mark.parametrize(
    ("options", "kind", "phrase"),
    [
        ({"before": lambda d, a: d <= a}, "decided_before_applied", "the same day as the application"),
        ({"ratio": 0.7}, "salary_monthly", "low is not enough"),
        ({"default": lambda s: (s == 50) | s.isna()}, "assessment_default", "no assessment score at all"),
        ({"typos": same_answers}, "email_typo", "two people can share a country"),
        ({"typos": same_number}, "email_typo", "the typo is in the number of the address"),
        ({"typos": lambda c: typo_pairs(c, block=["country"])}, "email_typo", "repeat no other row's answers"),
    ],
)
def test_q6_named_mistakes_fail_the_fixed_case_at_every_seed(options, kind, phrase):
    # The fixed case does not depend on the seed (it is built from fixed extracts): two seeds show it.
    for seed in (0, 20):
        results = _q6_hidden_tests(lambda clean: find_wrong_values(clean, **options), seed, fixed_only=True)
        failed = [(d, r.message) for d, r in results if not r.passed]
        assert any(phrase in m and WRONG_KINDS[kind] in d for d, m in failed), failed


def test_q6_mutants():
    def z_score(clean):
        found = find_wrong_values(clean)
        usd = clean["salary_expectation_usd"]
        found["salary_monthly"] = clean.loc[((usd - usd.mean()) / usd.std()).abs() > 2, "candidate_id"]
        return found

    loses(q6, z_score, "not in the wrong unit")
    loses(q6, lambda clean: dict.fromkeys(find_wrong_values(clean), []), "found 0 of")
    everything = lambda clean: dict.fromkeys(find_wrong_values(clean), clean["candidate_id"])  # noqa: E731
    assert q6.grade(everything, hidden=HIDDEN).points == 0
    loses(q6, lambda clean: {**find_wrong_values(clean), "salary_monthly": clean.index}, "not a `candidate_id`")
    assert q6.check(lambda clean: list(find_wrong_values(clean).values())).status == "invalid"
    hard = find_wrong_values(q6.public_inputs()[0])
    assert q6.check(lambda clean: hard).passed
    assert q6.grade(lambda clean: hard, hidden=HIDDEN).points < q6.points / 2
