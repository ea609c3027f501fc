"""Lepton AI's hiring pipeline: one row per application, raw and messy, and its reference cleaning.

:func:`talent_pipeline` generates the raw export that module 01 audits and cleans; :func:`clean_talent_pipeline`
is the reference cleaning that modules 02 to 04 start from. Its steps are small functions of their own
(:func:`canonical_channel`, :func:`parse_date`, :func:`parse_salary_usd`, :func:`parse_yes_no`) so that exercises
can reuse them.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from typing import Any

from lepton_training.datasets.card import Column, DataCard, Quirk

__all__ = [
    "talent_pipeline",
    "clean_talent_pipeline",
    "canonical_channel",
    "parse_date",
    "parse_salary_usd",
    "parse_yes_no",
    "TALENT_PIPELINE_CARD",
    "EXCHANGE_RATES_TO_USD",
    "CHANNELS",
    "OUTCOMES",
    "CLEAN_TALENT_COLUMNS",
    "WRONG_VALUE_KINDS",
    "planted_wrong_values",
]

DEFAULT_SEED = 2026

CHANNELS: tuple[str, ...] = ("school", "social media", "technical forums", "agency", "careers site")
"""The canonical channel labels; the first three are module 05's channels, spelled the same way."""

OUTCOMES: tuple[str, ...] = ("hired", "declined", "rejected")
"""The outcomes of an application: hired (offer accepted), declined (offer refused), rejected (no offer)."""

EXCHANGE_RATES_TO_USD: dict[str, float] = {"USD": 1.0, "CNY": 0.14, "EUR": 1.08}
"""Fixed conversion rates of the course, USD per unit of currency. Chosen once and kept fixed so that results are
reproducible; they are not market rates."""

# Planted quirks: share of the rows of the raw frame.
_RATES = {
    "exact_duplicates": 0.02,
    "near_duplicates": 0.015,
    "inconsistent_channel_labels": 0.12,
    "non_iso_dates": 0.30,
    "experience_in_months": 0.015,
    "negative_experience": 0.005,
    "missing_experience": 0.02,
    "assessment_out_of_range": 0.005,
    "missing_assessment": 0.02,
    "missing_salary": 0.05,
    "salary_extra_zero": 0.005,
    "non_canonical_referral": 0.25,
}

# Plausible-but-wrong values: in range and in a valid format, so no rule of module 01's table catches them; a
# learner finds them by looking (module 01, exercise 6). Shares of the distinct applications, drawn from their own
# random stream so that every other value of the table is the same as without them. The card says only that the
# export was never reviewed for such values: naming them would give the exercise away.
_WRONG_RATES = {
    "salary_monthly": 0.01,  # a monthly salary typed where the yearly one is asked for: about 1/12 of the truth
    "decided_before_applied": 0.01,  # the decision date typed with the previous year: before the application
    "assessment_default": 0.02,  # the assessment platform's default score, written when a test was not submitted
    "email_typo": 0.01,  # rows of a person's two applications, the second with a typo in the email (0.5% pairs)
}
WRONG_VALUE_KINDS: tuple[str, ...] = tuple(_WRONG_RATES)
"""The kinds of plausible-but-wrong values planted in :func:`talent_pipeline` (module 01, exercise 6)."""
ASSESSMENT_DEFAULT = 50.0  # the platform's default score

_MAX_YEARS = 50.0  # above this, years_experience is impossible (the months-as-years entries are 60 or more)
_MAX_SALARY_USD = 1_000_000.0  # above this, a salary expectation is a data-entry error (an extra zero)

TALENT_PIPELINE_CARD = DataCard(
    name="talent_pipeline",
    summary=(
        "One row per application to Lepton AI's hiring pipeline, as exported from the applicant-tracking "
        "system before any cleaning: where the candidate came from, what they bring, how they scored, and the "
        "outcome (hired, declined an offer, or rejected). Synthetic: generated from a seed by "
        "`lepton_training.datasets.talent_pipeline`; no real person is in it. Module 01 audits and cleans it, "
        "and modules 02 to 04 start from a table cleaned by the same rules."
    ),
    columns=(
        Column("candidate_id", "str", "", 'id of the application, such as "C00042"'),
        Column("email", "str", "", "the candidate's (fictitious) email address; identifies a person"),
        Column(
            "channel",
            "str",
            "",
            "recruitment channel, canonically one of: school, social media, technical forums, agency, careers "
            "site; with planted variant spellings",
        ),
        Column(
            "role",
            "str",
            "",
            "role applied for: ML engineer, data scientist, software engineer, research scientist, product manager",
        ),
        Column("country", "str", "", "country of residence: China, United States, Singapore, Germany, France or India"),
        Column(
            "applied_on",
            "str",
            "",
            'date of application as text, in one of three formats: ISO "2026-03-05", day-first "05/03/2026" or '
            '"Mar 5, 2026"; between 2025-01-01 and 2026-03-31. Applications are spread evenly over the period, but '
            "the hiring rate follows a season (highest for applications in January to March, lowest in August)",
        ),
        Column("decided_on", "str", "", "date of the final decision, as text in the same three formats"),
        Column(
            "years_experience",
            "float",
            "years",
            "professional experience (years), to one decimal; NaN when not given",
        ),
        Column("education", "str", "", "highest degree: bachelor, master, phd or other"),
        Column(
            "skills",
            "str",
            "",
            'the candidate\'s skills as one lowercase string, separated by "; ", such as "python; sql; pytorch" '
            "(split with `str.split('; ')`); 1 to 5 skills, listed in the application form. Each role has core "
            "skills its interview tests; candidates list more of them the stronger they are",
        ),
        Column(
            "assessment_score",
            "float",
            "points",
            "online technical assessment (points), 0 to 100 in whole points, taken as part of the application, "
            "before any screening (so known on the day the candidate applies); NaN when not taken",
        ),
        Column(
            "interview_score",
            "float",
            "",
            "mean interview panel score, 1 (poor) to 5 (excellent), in half points; NaN when the candidate was "
            "rejected before the interview",
        ),
        Column(
            "salary_expectation",
            "str",
            "",
            'expected yearly salary as typed, in USD, CNY or EUR, such as "USD 120,000", "$120,000", "¥850,000", '
            '"CNY 850000", "€95k" or "95,000 EUR"; NaN when not given',
        ),
        Column(
            "referral", "str", "", 'referred by an employee, as typed: "yes", "no", "Y", "N", "true", "false", "1", "0"'
        ),
        Column(
            "group",
            "str",
            "",
            'synthetic protected attribute, "A" or "B": a stand-in for an attribute such as gender or ethnicity that '
            "must not drive hiring decisions; about 35% of candidates are in group B",
        ),
        Column(
            "onboarding_date",
            "str",
            "",
            "first working day, ISO date as text; recorded after the decision, so present only for hired "
            "candidates (NaN otherwise)",
        ),
        Column("outcome", "str", "", "hired, declined (an offer was made and refused) or rejected (no offer)"),
    ),
    generation=(
        "Each candidate gets a latent ability. The assessment score, the interview score and (weakly) the years of "
        "experience and education depend on it; channel and referral shift it (referrals and technical "
        "forums bring stronger candidates on average). The skills listed depend on it too: how many of their role's "
        "core skills a candidate lists rises with a match of ability and of what the interview sees beyond it "
        "(the panel tests those skills), plus noise; other skills fill up to 1 to 5. Applications are spread evenly "
        "over 2025-01-01 to 2026-03-31, and the hiring rate follows the season: its log-odds vary as 1.0 times the "
        "cosine of the day of the year's angle, peaking in mid-February, when the year's headcount opens. "
        "Screening passes about 43% of candidates to the interview, "
        "by a noisy logistic rule on assessment, experience, referral and channel; an offer follows a noisy rule "
        "on the interview and assessment scores; about 75% of offers are accepted, less often when the salary "
        "expectation is high for the role. Group B candidates are referred less often (a proxy) and their "
        "interview scores are about a third of a point lower on average for the same ability (a direct bias), so their "
        "hiring rate is lower. Salaries are drawn in USD by role, country and experience, then written in the "
        "country's currency (China: CNY; Germany and France: EUR; elsewhere USD) at the fixed rates of "
        "`EXCHANGE_RATES_TO_USD`: USD 1.0, CNY 0.14, EUR 1.08 (USD per unit). The quirks below are then planted, "
        "each in a fixed share of rows chosen at random, and rows are sorted by application date."
    ),
    quirks=(
        Quirk(
            "exact_duplicates",
            "Rows that repeat an earlier row exactly, candidate_id included (a double export).",
            _RATES["exact_duplicates"],
        ),
        Quirk(
            "near_duplicates",
            "The same application entered twice by hand: a new candidate_id, the email with other capitals or "
            "stray spaces, the channel or the dates written another way; everything else equal. Found by "
            "normalizing the email (strip, lowercase).",
            _RATES["near_duplicates"],
        ),
        Quirk(
            "inconsistent_channel_labels",
            'Channel written other than canonically: "Social Media", "social-media", "SM", " social media ", '
            '"School Recruiting", "campus", "tech forum", "Agency ", "website"...',
            _RATES["inconsistent_channel_labels"],
        ),
        Quirk(
            "non_iso_dates",
            'Dates of applied_on (and, independently, of decided_on) written "05/03/2026" (always day first) or '
            '"Mar 5, 2026" instead of ISO "2026-03-05".',
            _RATES["non_iso_dates"],
        ),
        Quirk(
            "experience_in_months",
            "Experience entered in months instead of years: values of 60 and more.",
            _RATES["experience_in_months"],
        ),
        Quirk("negative_experience", "Impossible negative years of experience.", _RATES["negative_experience"]),
        Quirk("missing_experience", "years_experience missing (NaN).", _RATES["missing_experience"]),
        Quirk(
            "assessment_out_of_range",
            "Assessment scores typed with an extra digit: above 100.",
            _RATES["assessment_out_of_range"],
        ),
        Quirk("missing_assessment", "assessment_score missing (NaN).", _RATES["missing_assessment"]),
        Quirk("missing_salary", "salary_expectation missing (NaN).", _RATES["missing_salary"]),
        Quirk(
            "salary_extra_zero",
            "Salary expectations typed with an extra zero: above 1,000,000 USD once converted.",
            _RATES["salary_extra_zero"],
        ),
        Quirk(
            "non_canonical_referral",
            'referral written other than "yes" or "no" ("Y", "N", "true", "false", "1", "0").',
            _RATES["non_canonical_referral"],
        ),
        Quirk(
            "unreviewed_values",
            "The export was never reviewed for values that are possible but wrong: in range and in a valid format, "
            "yet not what the form asked for. No rule of range or format finds them; looking at the data does.",
        ),
        Quirk(
            "mixed_currencies",
            "Salary expectations come in three currencies and several formats (about half are not in USD); convert "
            "with `EXCHANGE_RATES_TO_USD` before comparing.",
        ),
        Quirk(
            "interview_missing_not_at_random",
            "interview_score is missing exactly for the candidates rejected before the interview (about 57% of "
            "rows): its absence says a lot about the outcome, so it is not missing at random and must not be "
            "imputed with a mean as if it were.",
        ),
        Quirk(
            "outcome_leak",
            "onboarding_date is recorded after the decision and is present only for hired candidates: a feature "
            "built from it predicts the outcome perfectly and must not be used. decided_on leaks too: candidates "
            "rejected at screening are decided within about two weeks, offers take longer.",
        ),
        Quirk(
            "group_gap",
            "The hiring rate of group B is lower than that of group A (about 10% against 14%, a ratio near 0.7), "
            "partly through a proxy (fewer referrals) and partly through lower interview scores at equal ability.",
        ),
        Quirk(
            "skewed_outcome",
            "Outcomes are imbalanced: about 13% hired, 5% declined, 82% rejected.",
        ),
    ),
    not_for=(
        "Drawing conclusions about real candidates, real channels or real groups of people: it is synthetic and "
        "its group gap was planted for the fairness audit of module 04. Not a benchmark of hiring models."
    ),
)
"""The data card of :func:`talent_pipeline`."""

CLEAN_TALENT_COLUMNS: dict[str, str] = {
    "candidate_id": "str",
    "email": "str",
    "channel": "str",
    "role": "str",
    "country": "str",
    "applied_on": "datetime",
    "decided_on": "datetime",
    "years_experience": "float",
    "education": "str",
    "skills": "str",
    "assessment_score": "float",
    "interview_score": "float",
    "salary_expectation_usd": "float",
    "referral": "bool",
    "group": "str",
    "onboarding_date": "datetime",
    "outcome": "str",
}
"""The columns of :func:`clean_talent_pipeline` and their dtypes (card dtype words)."""

# --- vocabulary of the generator -----------------------------------------------------------------------------------

_CHANNEL_WEIGHTS = (0.25, 0.25, 0.2, 0.12, 0.18)
_CHANNEL_ABILITY = (0.0, -0.25, 0.3, 0.1, -0.1)  # shift of mean latent ability by channel
_CHANNEL_VARIANTS = {
    "school": ("School", "school recruiting", "School Recruiting", "campus", " school"),
    "social media": ("Social Media", "social-media", "SM", " social media ", "socialmedia"),
    "technical forums": ("Technical Forums", "tech forum", "forums", "technical-forums", "technical forums "),
    "agency": ("Agency", "agency ", "recruitment agency", "AGENCY"),
    "careers site": ("Careers Site", "careers-site", "website", "careers page"),
}
_CHANNEL_ALIASES = {
    **{c: c for c in CHANNELS},
    "school recruiting": "school",
    "campus": "school",
    "sm": "social media",
    "socialmedia": "social media",
    "tech forum": "technical forums",
    "tech forums": "technical forums",
    "forums": "technical forums",
    "technical forum": "technical forums",
    "recruitment agency": "agency",
    "website": "careers site",
    "careers page": "careers site",
}
_ROLES = ("ML engineer", "data scientist", "software engineer", "research scientist", "product manager")
_ROLE_WEIGHTS = (0.25, 0.2, 0.3, 0.1, 0.15)
_ROLE_SALARY = (150_000, 130_000, 125_000, 170_000, 135_000)  # mean USD in the United States, 5 years
_COUNTRIES = ("China", "United States", "Singapore", "Germany", "France", "India")
_COUNTRY_WEIGHTS = (0.35, 0.2, 0.12, 0.12, 0.06, 0.15)
_COUNTRY_SALARY = (0.55, 1.0, 0.8, 0.75, 0.7, 0.35)
_COUNTRY_CURRENCY = ("CNY", "USD", "USD", "EUR", "EUR", "USD")
_EDUCATION = ("bachelor", "master", "phd", "other")
_SKILLS = (
    "python",
    "sql",
    "pytorch",
    "tensorflow",
    "scikit-learn",
    "spark",
    "docker",
    "kubernetes",
    "statistics",
    "c++",
    "java",
    "go",
    "excel",
    "product analytics",
)
# --- module 03's signal: skills and application days, drawn from a stream of their own ------------------------------

#: The second entropy word of that stream: ``np.random.default_rng([seed, _SIGNAL_STREAM])``. Its own stream, so
#: that every other column (drawn from ``default_rng(seed)``) is the same as in the first edition, byte for byte.
_SIGNAL_STREAM = 1803
#: The core skills of each role, in the order of ``_ROLES``: the ones its interview tests.
_ROLE_SKILLS = (
    ("python", "pytorch", "tensorflow", "docker", "kubernetes"),  # ML engineer
    ("python", "sql", "statistics", "scikit-learn", "spark"),  # data scientist
    ("java", "go", "c++", "docker", "sql"),  # software engineer
    ("python", "pytorch", "statistics", "c++", "tensorflow"),  # research scientist
    ("sql", "excel", "product analytics", "statistics", "python"),  # product manager
)
#: Hiring season: the log-odds of being hired vary over the year as ``_SEASON * cos(2 pi (day - peak) / 365.25)``,
#: highest for applications in mid-February (the year's headcount opens), lowest in mid-August.
_SEASON = 1.0
_SEASON_PEAK = 45  # day of the year


def _skills_and_days(
    rng: Any, role_idx: Any, ability: Any, interview_noise: Any, hired: Any, n_days: int, start: date
) -> tuple[Any, Any]:
    """Draw each candidate's skills and application day, with the signal the data card describes.

    Skills: the number of the role's core skills a candidate lists rises with a "match" that mixes ability and
    the part of the interview score ability does not explain (the panel tests those skills), plus noise; other
    skills fill up to 1 to 5 in all. Days: uniform over the period overall, with a hiring rate that follows the
    season (:data:`_SEASON`), drawn given the outcome so that no other column changes.
    """
    import numpy as np

    m = len(ability)
    match = 0.3 * ability + interview_noise / 0.55 + rng.normal(0, 0.3, m)
    match = (match - match.mean()) / match.std()
    n_core = np.clip(np.round(1.6 + 1.3 * match), 0, 5).astype(int)
    n_other = np.round(rng.uniform(0, 2, m) + 0.4 * match).astype(int)
    n_other = np.clip(np.maximum(n_other, 1 - n_core), 0, 5 - n_core)
    skills = np.empty(m, dtype=object)
    for i in range(m):
        core = _ROLE_SKILLS[role_idx[i]]
        others = [s for s in _SKILLS if s not in core]
        chosen = list(rng.choice(core, size=n_core[i], replace=False)) + list(
            rng.choice(others, size=n_other[i], replace=False)
        )
        skills[i] = "; ".join(str(s) for s in rng.permutation(chosen))

    days = np.arange(n_days)
    day_of_year = np.array([(start + timedelta(days=int(d))).timetuple().tm_yday for d in days])
    weight = np.exp(_SEASON * np.cos(2 * np.pi * (day_of_year - _SEASON_PEAK) / 365.25))
    rate = hired.mean() * weight / weight.mean()  # hiring rate by application day; the mean is the overall rate
    applied_day = np.empty(m, dtype=int)
    for is_hired, share in ((True, rate), (False, 1 - rate)):
        rows = np.flatnonzero(hired == is_hired)
        applied_day[rows] = rng.choice(n_days, size=len(rows), p=share / share.sum())
    return skills, applied_day


_FIRST = ("wei", "li", "ming", "anna", "lukas", "sofia", "raj", "priya", "james", "emma", "chen", "yuki", "omar")
_LAST = ("zhang", "wang", "liu", "smith", "muller", "martin", "sharma", "tan", "lee", "garcia", "kumar", "dubois")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _format_date(day: date, style: int) -> str:
    if style == 0:
        return day.isoformat()
    if style == 1:
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


def _format_salary(usd: float, currency: str, style: int) -> str:
    amount = usd / EXCHANGE_RATES_TO_USD[currency]
    whole = int(round(amount / 1000) * 1000)
    thousands = whole // 1000
    formats = {
        "USD": (f"USD {whole:,}", f"${whole:,}", f"{thousands}k USD"),
        "CNY": (f"¥{whole:,}", f"CNY {whole}", f"RMB {thousands}k"),
        "EUR": (f"€{thousands}k", f"EUR {whole:,}", f"{whole:,} EUR"),
    }
    return formats[currency][style]


def _respell_email(email: str, rng: Any) -> str:
    local, domain = email.split("@")
    styles = (
        lambda: f" {email}",
        lambda: f"{email} ",
        lambda: f"{local.capitalize()}@{domain}",
        lambda: email.upper(),
        lambda: f"{local.title()}@{domain.capitalize()} ",
    )
    return styles[int(rng.integers(len(styles)))]()


def talent_pipeline(n: int = 4000, seed: int = DEFAULT_SEED, *, _planted: dict | None = None) -> Any:
    """Generate the raw hiring-pipeline export described by :data:`TALENT_PIPELINE_CARD`.

    Parameters
    ----------
    n : int, default 4000
        Number of rows, duplicates included (at least 100, so that every quirk is planted).
    seed : int, default 2026
        Seed of the generator: the same seed gives the same table, byte for byte, on every machine.
    _planted : dict, optional
        For the grader only (:func:`planted_wrong_values`): filled with the ids of the rows that hold each kind of
        plausible-but-wrong value.

    Returns
    -------
    pandas.DataFrame
        The columns of the card, in its order; text columns hold strings or NaN.

    Examples
    --------
    >>> df = talent_pipeline(200, seed=1)
    >>> df.shape
    (200, 17)
    >>> sorted(df["outcome"].unique())
    ['declined', 'hired', 'rejected']
    """
    import numpy as np
    import pandas as pd

    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 100:
        raise ValueError(f"n must be an integer of at least 100, not {n!r}")
    rng = np.random.default_rng(seed)
    n_exact = round(_RATES["exact_duplicates"] * n)
    n_near = round(_RATES["near_duplicates"] * n)
    m = n - n_exact - n_near  # distinct applications

    def pick(options: tuple, weights: tuple | None = None, size: int = m) -> Any:
        return np.asarray(options, dtype=object)[rng.choice(len(options), size=size, p=weights)]

    channel_idx = rng.choice(len(CHANNELS), size=m, p=_CHANNEL_WEIGHTS)
    channel = np.asarray(CHANNELS, dtype=object)[channel_idx]
    role_idx = rng.choice(len(_ROLES), size=m, p=_ROLE_WEIGHTS)
    country_idx = rng.choice(len(_COUNTRIES), size=m, p=_COUNTRY_WEIGHTS)
    group_b = rng.random(m) < 0.35
    referral = rng.random(m) < np.where(group_b, 0.08, 0.22)
    ability = rng.normal(0, 1, m) + np.asarray(_CHANNEL_ABILITY)[channel_idx] + 0.35 * referral

    years = np.clip(rng.gamma(2.2, 2.3, m) + 0.6 * ability, 0, 30).round(1)
    edu_score = ability * 0.5 + rng.normal(0, 1, m)
    education = np.asarray(_EDUCATION, dtype=object)[
        np.select([edu_score > 1.3, edu_score > 0.1, edu_score > -1.6], [2, 1, 0], 3)
    ]
    # The first edition drew skills uniformly here; the draws are kept (and discarded) so that the main stream, and
    # every column it makes, stays the same. Skills are drawn below, from their own stream, with their signal.
    for k in rng.integers(1, 6, m):
        rng.choice(_SKILLS, size=int(k), replace=False)
    assessment = np.clip(np.round(62 + 14 * ability + rng.normal(0, 9, m)), 0, 100)

    # Screening: assessment, experience, referral, channel, noise.
    z_screen = (
        -0.55
        + 0.06 * (assessment - 62)
        + 0.08 * (np.minimum(years, 15) - 5)
        + 0.8 * referral
        + np.asarray((0.0, -0.3, 0.2, 0.4, -0.1))[channel_idx]
        + rng.logistic(0, 1, m)
    )
    interviewed = z_screen > 0
    interview_noise = rng.normal(0, 0.55, m)  # what the interview sees beyond ability: the skills drawn below
    interview = np.clip(np.round(2 * (3.1 + 0.75 * ability - 0.35 * group_b + interview_noise)) / 2, 1, 5)
    z_offer = -1.0 + 2.2 * (interview - 3.3) + 0.02 * (assessment - 62) + rng.logistic(0, 1, m)
    offered = interviewed & (z_offer > 0)

    salary = (
        np.asarray(_ROLE_SALARY)[role_idx]
        * np.asarray(_COUNTRY_SALARY)[country_idx]
        * (1 + 0.04 * (np.minimum(years, 20) - 5))
        * np.exp(rng.normal(0, 0.18, m))
    )
    salary = np.clip(salary, 20_000, 400_000)
    salary_ratio = salary / (np.asarray(_ROLE_SALARY)[role_idx] * np.asarray(_COUNTRY_SALARY)[country_idx])
    z_accept = 1.3 - 2.5 * (salary_ratio - 1) + 0.7 * referral - 0.25 * (interview - 3.5) + rng.logistic(0, 1, m)
    accepted = offered & (z_accept > 0)
    outcome = np.where(accepted, "hired", np.where(offered, "declined", "rejected")).astype(object)

    start = date(2025, 1, 1)
    n_days = (date(2026, 3, 31) - start).days + 1
    rng.integers(0, n_days, m)  # the first edition's application days, drawn independently; kept for the stream
    skills, applied_day = _skills_and_days(
        np.random.default_rng([seed, _SIGNAL_STREAM]), role_idx, ability, interview_noise, accepted, n_days, start
    )
    decision_days = np.where(
        offered, rng.integers(20, 61, m), np.where(interviewed, rng.integers(12, 46, m), rng.integers(2, 15, m))
    )
    onboarding_days = decision_days + rng.integers(14, 61, m)
    applied = [start + timedelta(days=int(d)) for d in applied_day]
    decided = [a + timedelta(days=int(d)) for a, d in zip(applied, decision_days, strict=True)]
    onboarding = np.array(
        [
            (a + timedelta(days=int(d))).isoformat() if h else np.nan
            for a, d, h in zip(applied, onboarding_days, accepted, strict=True)
        ],
        dtype=object,
    )

    first = pick(_FIRST)
    last = pick(_LAST)
    email = np.array([f"{f}.{la}{k + 1}@example.com" for k, (f, la) in enumerate(zip(first, last, strict=True))])

    frame = pd.DataFrame(
        {
            "candidate_id": [f"C{k + 1:05d}" for k in range(m)],
            "email": email.astype(object),
            "channel": channel,
            "role": np.asarray(_ROLES, dtype=object)[role_idx],
            "country": np.asarray(_COUNTRIES, dtype=object)[country_idx],
            "applied_on": [a.isoformat() for a in applied],
            "decided_on": [d.isoformat() for d in decided],
            "years_experience": years,
            "education": education,
            "skills": skills,
            "assessment_score": assessment,
            "interview_score": np.where(interviewed, interview, np.nan),
            "salary_expectation": [
                _format_salary(s, _COUNTRY_CURRENCY[c], int(st))
                for s, c, st in zip(salary, country_idx, rng.integers(0, 3, m), strict=True)
            ],
            "referral": np.where(referral, "yes", "no").astype(object),
            "group": np.where(group_b, "B", "A").astype(object),
            "onboarding_date": onboarding,
            "outcome": outcome,
        }
    ).copy(deep=True)  # own copies: planting quirks must not write through into the arrays used below

    # --- planted quirks, each in an exact number of rows of the distinct applications ---------------------------
    def rows(rate_name: str, eligible: Any = None) -> Any:
        pool = np.arange(m) if eligible is None else np.flatnonzero(eligible)
        k = round(_RATES[rate_name] * n)
        return rng.choice(pool, size=min(k, len(pool)), replace=False)

    for col, days in (("applied_on", applied), ("decided_on", decided)):
        idx = rows("non_iso_dates")
        styles = rng.integers(1, 3, len(idx))
        frame.loc[idx, col] = [_format_date(days[i], int(s)) for i, s in zip(idx, styles, strict=True)]

    idx = rows("inconsistent_channel_labels")
    frame.loc[idx, "channel"] = [
        _CHANNEL_VARIANTS[c][int(rng.integers(len(_CHANNEL_VARIANTS[c])))] for c in frame.loc[idx, "channel"]
    ]

    # Experience: months for people with 5+ years (so the value is 60+), negatives, missing; disjoint rows.
    idx = rows("experience_in_months", years >= 5)
    frame.loc[idx, "years_experience"] = np.round(years[idx] * 12)
    taken = np.zeros(m, bool)
    taken[idx] = True
    idx = rows("negative_experience", ~taken & (years >= 1))
    frame.loc[idx, "years_experience"] = -years[idx]
    taken[idx] = True
    idx = rows("missing_experience", ~taken)
    frame.loc[idx, "years_experience"] = np.nan

    idx = rows("assessment_out_of_range", assessment >= 11)
    frame.loc[idx, "assessment_score"] = assessment[idx] * 10
    taken = np.zeros(m, bool)
    taken[idx] = True
    idx = rows("missing_assessment", ~taken)
    frame.loc[idx, "assessment_score"] = np.nan

    # An extra zero on salaries of 100,000 USD and more, so that the converted value exceeds 1,000,000 USD.
    idx = rows("salary_extra_zero", salary >= 100_000)
    frame.loc[idx, "salary_expectation"] = [
        _format_salary(salary[i] * 10, _COUNTRY_CURRENCY[country_idx[i]], int(rng.integers(0, 3))) for i in idx
    ]
    taken = np.zeros(m, bool)
    taken[idx] = True
    idx = rows("missing_salary", ~taken)
    frame.loc[idx, "salary_expectation"] = np.nan

    idx = rows("non_canonical_referral")
    variants = {True: ("Y", "true", "1"), False: ("N", "false", "0")}
    frame.loc[idx, "referral"] = [variants[bool(referral[i])][int(rng.integers(3))] for i in idx]

    wrong = _plant_wrong_values(frame, np.random.default_rng([seed, 1801]), salary, country_idx, taken)

    # Near duplicates: the same application typed again, with a new id and a respelled email, channel or date.
    source = rng.choice(m, size=n_near, replace=False)
    near = frame.iloc[source].copy()
    near["candidate_id"] = [f"C{m + k + 1:05d}" for k in range(n_near)]
    near["email"] = [_respell_email(e, rng) for e in near["email"]]
    for pos, i in enumerate(source):
        if rng.random() < 0.5:
            c = channel[i]
            near.iloc[pos, near.columns.get_loc("channel")] = _CHANNEL_VARIANTS[c][
                int(rng.integers(len(_CHANNEL_VARIANTS[c])))
            ]
        near.iloc[pos, near.columns.get_loc("applied_on")] = _format_date(applied[i], int(rng.integers(3)))
    frame = pd.concat([frame, near], ignore_index=True)
    if _planted is not None:  # a near duplicate copies its source's wrong value
        ids = frame["candidate_id"].to_numpy()
        copies = {int(i): str(ids[m + k]) for k, i in enumerate(source)}
        for kind, rows_ in wrong.items():
            _planted[kind] = frozenset(str(ids[i]) for i in rows_) | {copies[i] for i in rows_ if i in copies}

    # Exact duplicates of distinct applications (never of a near duplicate, so that both rates stay exact).
    exact_source = rng.choice(m, size=n_exact, replace=False)
    frame = pd.concat([frame, frame.iloc[exact_source]], ignore_index=True)

    # Export order: by application date; ties (and each duplicate's place among them) at random.
    order_key = np.concatenate([applied_day, applied_day[source], applied_day[exact_source]])
    shuffle = rng.permutation(len(frame))
    order = shuffle[np.argsort(order_key[shuffle], kind="stable")]
    return frame.iloc[order].reset_index(drop=True)


def _plant_wrong_values(frame: Any, rng: Any, salary: Any, country_idx: Any, salary_taken: Any) -> dict:
    """Plant the plausible-but-wrong values of :data:`WRONG_VALUE_KINDS` in place; return their row positions.

    Every draw comes from ``rng``, a stream of its own, so the rest of the table is unchanged. Only rows whose value
    is present and possible are eligible, and the three kinds fall in disjoint rows.
    """
    import numpy as np

    m = len(frame)
    free = np.ones(m, bool)

    def pick(kind: str, eligible: Any) -> Any:
        pool = np.flatnonzero(eligible & free)
        idx = np.sort(rng.choice(pool, size=min(round(_WRONG_RATES[kind] * m), len(pool)), replace=False))
        free[idx] = False
        return idx

    # A monthly figure where the yearly one is asked for: a twelfth of the salary, in the row's currency and a
    # random style, so that it looks like any other entry.
    has_salary = frame["salary_expectation"].notna().to_numpy() & ~salary_taken
    monthly = pick("salary_monthly", has_salary)
    frame.loc[monthly, "salary_expectation"] = [
        _format_salary(salary[i] / 12, _COUNTRY_CURRENCY[country_idx[i]], int(rng.integers(0, 3))) for i in monthly
    ]
    # The decision date typed with the previous year, in the format it already had: a valid date, a year too early.
    before = pick("decided_before_applied", np.ones(m, bool))
    frame.loc[before, "decided_on"] = [
        re.sub(r"\d{4}", lambda y: str(int(y.group()) - 1), text) for text in frame.loc[before, "decided_on"]
    ]
    # The platform's default score where a test was not submitted: in range, and common enough to hide.
    score = frame["assessment_score"].to_numpy(dtype=float)
    stuck = pick("assessment_default", (score >= 0) & (score <= 100) & (score != ASSESSMENT_DEFAULT))
    frame.loc[stuck, "assessment_score"] = ASSESSMENT_DEFAULT
    # The same person applying a second time with a typo in the email: row j becomes person i's second
    # application. What belongs to the person (email with a typo, country, education, group, experience, salary)
    # is copied; the application itself (role, skills, dates, scores, outcome...) stays row j's own. Half the
    # typos fall in the email's digits, half in its letters.
    pairs = round(_WRONG_RATES["email_typo"] * m / 2)
    person = pick("email_typo", np.ones(m, bool))[:pairs]
    free[person] = False
    second = np.sort(rng.choice(np.flatnonzero(free), size=len(person), replace=False))
    free[second] = False
    taken_emails = set(frame["email"])
    for i, j in zip(person, second, strict=True):
        typo = _email_typo(frame.at[i, "email"], rng, digits=bool(rng.random() < 0.5))
        while typo in taken_emails:
            typo = _email_typo(frame.at[i, "email"], rng, digits=bool(rng.random() < 0.5))
        taken_emails.add(typo)
        frame.loc[j, _PERSON_COLUMNS] = frame.loc[i, _PERSON_COLUMNS].to_numpy()
        frame.at[j, "email"] = typo
    return {
        "salary_monthly": monthly,
        "decided_before_applied": before,
        "assessment_default": stuck,
        "email_typo": np.sort(np.concatenate([person, second])),
    }


# What a second application of the same person repeats (beside the email, typed again with a typo).
_PERSON_COLUMNS = ["country", "education", "group", "years_experience", "salary_expectation"]


def _email_typo(email: str, rng: Any, digits: bool) -> str:
    """Return ``email`` with one typo in its local part: a character dropped, doubled, replaced or two swapped.

    With ``digits``, the typo falls on the number of the address, otherwise on a letter of the name.
    """
    local, domain = email.split("@")
    spots = [k for k, c in enumerate(local) if (c.isdigit() if digits else c.isalpha())]
    k = int(rng.choice(spots))
    kind = int(rng.integers(4))
    c = local[k]
    if kind == 0 and len(spots) > 1:
        local = local[:k] + local[k + 1 :]
    elif kind == 1:
        local = local[:k] + c + local[k:]
    elif kind == 2 and k + 1 < len(local) and local[k + 1] != c and local[k + 1] != ".":
        local = local[:k] + local[k + 1] + c + local[k + 2 :]
    else:
        pool = "0123456789" if digits else "abcdefghijklmnopqrstuvwxyz"
        local = local[:k] + str(rng.choice([x for x in pool if x != c])) + local[k + 1 :]
    return f"{local}@{domain}"


def planted_wrong_values(n: int = 4000, seed: int = DEFAULT_SEED) -> dict[str, frozenset[str]]:
    """Return the ids of the rows of ``talent_pipeline(n, seed)`` that hold each kind of plausible-but-wrong value.

    The grader's key to module 01's exercise 6; an answer must find these values by looking at the data.

    Parameters
    ----------
    n, seed : int
        As for :func:`talent_pipeline`.

    Returns
    -------
    dict
        ``{kind: frozenset of candidate_id}`` for each kind of :data:`WRONG_VALUE_KINDS`; near duplicates that
        copy a planted row are included.
    """
    planted: dict[str, frozenset[str]] = {}
    talent_pipeline(n, seed, _planted=planted)
    return planted


# --- the reference cleaning ----------------------------------------------------------------------------------------


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def canonical_channel(label: object) -> Any:
    """Return the canonical channel of a label as typed, or None for a missing label.

    Parameters
    ----------
    label : str or None
        A channel as found in :func:`talent_pipeline`, such as ``" Social-Media"`` or ``"SM"``.

    Returns
    -------
    str or None
        One of :data:`CHANNELS`.

    Raises
    ------
    ValueError
        If the label is not a known spelling of a channel.

    Examples
    --------
    >>> canonical_channel(" Social-Media "), canonical_channel("SM"), canonical_channel("campus")
    ('social media', 'social media', 'school')
    """
    if _is_missing(label):
        return None
    key = " ".join(re.sub(r"[-_]", " ", str(label)).lower().split())
    if key not in _CHANNEL_ALIASES:
        raise ValueError(f"Unknown channel {label!r}; the channels are: {', '.join(CHANNELS)}.")
    return _CHANNEL_ALIASES[key]


def parse_date(text: object) -> Any:
    """Parse a date written as in :func:`talent_pipeline`: ISO, day-first with slashes, or "Mar 5, 2026".

    Parameters
    ----------
    text : str or None
        ``"2026-03-05"``, ``"05/03/2026"`` (day first) or ``"Mar 5, 2026"``.

    Returns
    -------
    datetime.date or None
        The date; None for a missing value.

    Raises
    ------
    ValueError
        If the text is in none of the three formats.

    Examples
    --------
    >>> parse_date("05/03/2026") == parse_date("Mar 5, 2026") == parse_date("2026-03-05")
    True
    """
    if _is_missing(text):
        return None
    s = str(text).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%b %d, %Y"):
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"Unknown date format {text!r}; expected 2026-03-05, 05/03/2026 or Mar 5, 2026.")


_SALARY = re.compile(r"^\s*(USD|CNY|RMB|EUR|\$|¥|€)?\s*([\d,]+(?:\.\d+)?)\s*(k)?\s*(USD|CNY|RMB|EUR)?\s*$", re.I)
_CURRENCY = {"USD": "USD", "$": "USD", "CNY": "CNY", "RMB": "CNY", "¥": "CNY", "EUR": "EUR", "€": "EUR"}


def parse_salary_usd(text: object, rates: dict[str, float] | None = None) -> float:
    """Convert a salary expectation as typed into USD per year.

    Parameters
    ----------
    text : str or None
        Such as ``"USD 120,000"``, ``"$120,000"``, ``"120k USD"``, ``"¥850,000"``, ``"CNY 850000"``,
        ``"RMB 850k"``, ``"€95k"``, ``"EUR 95,000"`` or ``"95,000 EUR"``.
    rates : dict, optional
        USD per unit of each currency; :data:`EXCHANGE_RATES_TO_USD` by default.

    Returns
    -------
    float
        The amount in USD; NaN for a missing value.

    Raises
    ------
    ValueError
        If the text has no amount or no single currency.

    Examples
    --------
    >>> parse_salary_usd("€95k"), parse_salary_usd("CNY 850000"), parse_salary_usd("$120,000")
    (102600.0, 119000.0, 120000.0)
    """
    if _is_missing(text):
        return float("nan")
    rates = EXCHANGE_RATES_TO_USD if rates is None else rates
    match = _SALARY.match(str(text))
    if not match:
        raise ValueError(f"Cannot read the salary {text!r}; expected an amount and a currency, such as 'USD 120,000'.")
    before, amount, thousands, after = match.groups()
    currencies = {_CURRENCY[c.upper() if c.isalpha() else c] for c in (before, after) if c}
    if len(currencies) != 1:
        raise ValueError(f"The salary {text!r} should name exactly one currency.")
    value = float(amount.replace(",", "")) * (1000 if thousands else 1)
    return round(value * rates[currencies.pop()], 2)


_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


def parse_yes_no(value: object) -> Any:
    """Read a yes/no value as typed ("yes", "Y", "true", "1", True...) as a bool; None when missing.

    Examples
    --------
    >>> parse_yes_no("Y"), parse_yes_no("0"), parse_yes_no(True)
    (True, False, True)
    """
    if _is_missing(value):
        return None
    key = str(value).strip().lower()
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise ValueError(f"Cannot read {value!r} as yes or no.")


def clean_talent_pipeline(raw: Any = None, seed: int = DEFAULT_SEED) -> Any:
    """Return the cleaned hiring pipeline: the reference cleaning used after module 01.

    Module 01 teaches these steps; modules 02 to 04 start from this function's result. In order:

    1. drop exact duplicate rows;
    2. normalize the email (strip, lowercase) and keep the first application of each email (near duplicates);
    3. map each channel to its canonical label (:func:`canonical_channel`);
    4. parse ``applied_on``, ``decided_on`` and ``onboarding_date`` into datetimes (:func:`parse_date`);
    5. set impossible values to NaN: negative years of experience or more than 50 (months typed as years),
       assessment scores outside 0 to 100;
    6. convert ``salary_expectation`` into ``salary_expectation_usd`` (:func:`parse_salary_usd`), NaN above
       1,000,000 USD (an extra zero);
    7. read ``referral`` as a bool (:func:`parse_yes_no`).

    ``interview_score`` keeps its NaN (missing not at random: no interview) and ``onboarding_date`` is kept, as
    documented: it leaks the outcome and must not be used as a feature.

    Parameters
    ----------
    raw : pandas.DataFrame, optional
        A frame shaped like :func:`talent_pipeline`'s; by default ``talent_pipeline(seed=seed)``.
    seed : int, default 2026
        Seed of the raw frame when ``raw`` is not given.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`CLEAN_TALENT_COLUMNS`, in its order, one row per application, index 0 to n-1.

    Examples
    --------
    >>> clean = clean_talent_pipeline(talent_pipeline(300, seed=1))
    >>> sorted(clean["channel"].unique())
    ['agency', 'careers site', 'school', 'social media', 'technical forums']
    >>> clean["email"].is_unique
    True
    """
    import numpy as np
    import pandas as pd

    df = talent_pipeline(seed=seed) if raw is None else raw.copy()
    df = df.drop_duplicates()
    df["email"] = df["email"].str.strip().str.lower()
    df = df.drop_duplicates(subset="email", keep="first")
    df["channel"] = df["channel"].map(canonical_channel)
    for col in ("applied_on", "decided_on", "onboarding_date"):
        df[col] = pd.to_datetime(df[col].map(parse_date)).astype("datetime64[ns]")
    years = df["years_experience"].astype(float)
    df["years_experience"] = years.where((years >= 0) & (years <= _MAX_YEARS))
    score = df["assessment_score"].astype(float)
    df["assessment_score"] = score.where((score >= 0) & (score <= 100))
    usd = df["salary_expectation"].map(parse_salary_usd).astype(float)
    df["salary_expectation_usd"] = usd.where(usd <= _MAX_SALARY_USD, np.nan)
    df["referral"] = df["referral"].map(parse_yes_no).astype(bool)
    return df[list(CLEAN_TALENT_COLUMNS)].reset_index(drop=True)
