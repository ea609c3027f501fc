"""Graded questions of module 05, recruitment planning as a linear program.

Most questions work on a *channel table*: a DataFrame with one row per recruiting channel and the columns
``channel`` (name), ``cost`` (USD per candidate pursued), ``hire_rate`` (expected hires per candidate pursued)
and ``capacity`` (most candidates the channel can supply, ``np.inf`` for no limit). The decision variable is
``x[i]``, the number of candidates pursued through channel ``i``.

* ``q1`` ``cost_per_expected_hire(channels)`` (objective 1): the number that refutes the source documents'
  claim that school recruiting is cheapest; a Series by channel (the inverse ratio, the cost per candidate
  and a product get messages, and so does a loop that assumes rows labelled 0, 1, 2);
* ``q2`` ``errors`` (objectives 1 and 4): spot the errors of the source documents' code, as a set of codes
  from a documented list; partial credit per code, and the truth is stored only as salted digests;
* ``q3`` ``repaired_plan(channels, target, budget)`` (objectives 1, 2 and 4): the source's model repaired and
  solved with HiGHS, returning ``linprog``'s result; judged by its status and the plan it gives, so any
  equivalent model passes (a target written as an equality, scaled rows), and a missing budget row, the
  source's equality rows, a legacy solver, scaled costs and a greedy plan by cost per candidate are named;
* ``q4`` ``shadow_prices(channels, target)`` (objective 3): the marginal cost of the target and the saving
  per extra candidate of capacity, checked against slopes found by re-solving (every valid dual value passes;
  signs, averages, unscaled marginals and reduced costs get messages);
* ``q5`` ``whole_candidate_plan(channels, target)`` (objective 2): the integer plan; fractional plans,
  rounding the LP plan and truncating a solver's 66.99999999 to 66 get their own message;
* ``q6`` ``safe_plan(channels, goal, confidence)`` (objective 4): a whole-candidate plan that reaches the
  goal in actual (binomial) hires with the asked probability, judged on its exact probability and its cost,
  so any seed and simulation size passes.

Nothing expected is stored in plain text: every test recomputes what it needs by solving the inputs it gives
the learner's function with HiGHS, and hidden tests use channel tables drawn from the instructor's seed.
"""

from __future__ import annotations

import math
from typing import Any

from lepton_training.checks import (
    CheckResult,
    check_array,
    describe_type,
    format_number,
    hashed_members,
    incorrect,
    input_changed,
    invalid,
    label_set_problem,
    passed,
    show_value,
)
from lepton_training.exercises import ExerciseSet, FunctionQuestion, Test
from lepton_training.explanations import unseal
from lepton_training.label_sets import LabelSetQuestion, Misconception

MODULE = "05-recruitment-lp"

__all__ = [
    "q1",
    "q2",
    "q3",
    "q4",
    "q5",
    "q6",
    "exercises",
    "progress",
    "reference_lp",
    "random_channels",
    "seed_channels",
    "tied_channels",
    "practice_channels",
    "greedy_by_candidate_cost",
    "hires_distribution",
    "ERROR_CODES",
]

TARGET_UNIT = "USD per extra expected hire"
CAPACITY_UNIT = "USD saved per extra candidate of capacity"

_CHANNEL_NAMES = (
    "school",
    "social media",
    "technical forums",
    "referrals",
    "agency",
    "job boards",
    "meetups",
    "open source",
)


# --- shared: the reference model and the inputs of the tests ----------------------------------------------------


def reference_lp(channels: Any, target: float, *, budget: float | None = None, integer: bool = False):
    """Build the minimum-cost model of a channel table, as the checks see it.

    minimize ``cost @ x`` subject to ``hire_rate @ x >= target``, optionally ``cost @ x <= budget``, and
    ``0 <= x <= capacity``.

    Parameters
    ----------
    channels : pandas.DataFrame
        Columns ``channel``, ``cost``, ``hire_rate`` and optionally ``capacity``.
    target : float
        Expected hires required.
    budget : float, optional
        Spending cap in USD.
    integer : bool, default False
        Whole candidates only.

    Returns
    -------
    lepton_training.checks_lp.LinearProgram
    """
    import numpy as np

    from lepton_training.checks_lp import LinearProgram

    cost = channels["cost"].to_numpy(dtype=float)
    rates = channels["hire_rate"].to_numpy(dtype=float)
    capacity = channels["capacity"].to_numpy(dtype=float) if "capacity" in channels else np.full(len(cost), np.inf)
    rows, limits, names, units, flips = [-rates], [-float(target)], ["the hiring target"], ["expected hires"], [-1]
    if budget is not None:
        rows.append(cost)
        limits.append(float(budget))
        names.append("the budget")
        units.append("USD")
        flips.append(1)
    return LinearProgram(
        c=cost,
        A_ub=np.vstack(rows),
        b_ub=limits,
        lower=np.zeros(len(cost)),
        upper=capacity,
        row_names=names,
        row_units=units,
        row_flip=flips,
        variable_names=[str(name) for name in channels["channel"]],
        integer=integer,
    )


def seed_channels(capacity: Any = None):
    """Return the three channels of the source documents, with a ``capacity`` column (``np.inf`` by default).

    Parameters
    ----------
    capacity : sequence of float, optional
        Candidates each channel can supply.

    Returns
    -------
    pandas.DataFrame
    """
    import numpy as np
    import pandas as pd

    return pd.DataFrame(
        {
            "channel": ["school", "social media", "technical forums"],
            "cost": [2000.0, 1000.0, 1500.0],
            "hire_rate": [0.8, 0.5, 0.6],
            "capacity": np.full(3, np.inf) if capacity is None else np.asarray(capacity, dtype=float),
        }
    )


#: The module's worked case with capacities: school and forums tie at 2,500 USD per expected hire once
#: social media is full, so the cheapest plan for 50 expected hires is not unique.
SEED_CAPACITY = (60.0, 40.0, 60.0)


def practice_channels():
    """Return the table the public checks use: four channels the notebook never shows.

    No two channels cost the same per expected hire (2,000 / 2,500 / 2,800 / 3,000 USD), and the channel that
    is cheapest per *candidate* (job boards) is not the cheapest per expected hire, so a plan that fills
    channels by cost per candidate, the source documents' fallacy, is not optimal.

    Returns
    -------
    pandas.DataFrame
        Columns ``channel``, ``cost``, ``hire_rate``, ``capacity``.
    """
    import numpy as np
    import pandas as pd

    return pd.DataFrame(
        {
            "channel": ["referrals", "job boards", "meetups", "agency"],
            "cost": [1200.0, 500.0, 1400.0, 2700.0],
            "hire_rate": [0.6, 0.2, 0.5, 0.9],
            "capacity": [30.0, 120.0, 60.0, np.inf],
        }
    )


def tied_channels():
    """Return the hidden tests' fixed table: three channels the notebook never shows, with a tie.

    Referrals are the cheapest per expected hire (2,000 USD) and fill up at 40 candidates; meetups and open
    source then tie at 3,000 USD per expected hire, so the cheapest plan above 18 expected hires is not unique,
    as in the module's worked case. A target of 40 costs exactly 102,000 USD; at 43.3 rounding the LP plan up
    costs 900 USD more than the best whole-candidate plan.

    Returns
    -------
    pandas.DataFrame
        Columns ``channel``, ``cost``, ``hire_rate``, ``capacity``.
    """
    import pandas as pd

    return pd.DataFrame(
        {
            "channel": ["referrals", "meetups", "open source"],
            "cost": [900.0, 1200.0, 2100.0],
            "hire_rate": [0.45, 0.4, 0.7],
            "capacity": [40.0, 50.0, 50.0],
        }
    )


#: How the hidden tests name :func:`tied_channels` to the learner.
TIED = "three other channels with capacities 40, 50 and 50 (two tie once the cheapest is full)"


def random_channels(rng: Any, *, n: int | None = None, finite: bool = False, tie: bool = False):
    """Draw a channel table for hidden tests.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    n : int, optional
        Number of channels; 3 to 6 by default.
    finite : bool, default False
        Give every channel a finite capacity (otherwise one or two channels have none).
    tie : bool, default False
        Make the two cheapest channels (per expected hire) tie exactly, as school and forums do in the
        source documents; otherwise draw again until no two channels tie.

    Returns
    -------
    pandas.DataFrame
        Columns ``channel``, ``cost``, ``hire_rate``, ``capacity``.
    """
    import numpy as np
    import pandas as pd

    n = int(rng.integers(3, 7)) if n is None else n
    while True:
        names = list(rng.choice(_CHANNEL_NAMES, size=n, replace=False))
        rates = (rng.integers(4, 19, size=n) * 0.05).round(2)  # 0.20 to 0.90 expected hires per candidate
        cost = rng.integers(8, 61, size=n) * 50.0  # 400 to 3,000 USD per candidate
        capacity = rng.integers(10, 80, size=n).astype(float)
        if not finite:
            capacity[rng.choice(n, size=int(rng.integers(1, 3)), replace=False)] = np.inf
        ratio = np.sort(cost / rates)
        if tie or np.diff(ratio).min() > 1.0:
            break
    if tie:
        order = np.argsort(cost / rates, kind="stable")
        first, second = order[0], order[1]
        cost[second] = round(cost[first] / rates[first] * rates[second], 2)
    return pd.DataFrame({"channel": names, "cost": cost, "hire_rate": rates, "capacity": capacity})


def reachable_hires(channels: Any) -> float:
    """Most expected hires the capacities allow (``inf`` when a channel has no capacity)."""
    return float((channels["capacity"] * channels["hire_rate"]).sum())


def random_target(rng: Any, channels: Any, *, share: tuple[float, float] = (0.3, 0.85)) -> float:
    """Draw a reachable hiring target, in expected hires (one decimal)."""
    reach = reachable_hires(channels)
    if math.isinf(reach):
        return round(float(rng.uniform(15, 120)), 1)
    return round(float(rng.uniform(*share) * reach), 1)


def _describe(channels: Any, target: float) -> str:
    caps = "all capacities finite" if reachable_hires(channels) < math.inf else "some channels without capacity"
    return f"{len(channels)} channels, {caps}, target {format_number(target)} expected hires"


def greedy_by_candidate_cost(channels: Any, target: float):
    """Fill channels cheapest *per candidate* first until the target is met: the source documents' fallacy.

    Parameters
    ----------
    channels : pandas.DataFrame
        A channel table.
    target : float
        Expected hires required.

    Returns
    -------
    numpy.ndarray
        Candidates per channel, in table order.
    """
    import numpy as np

    cost = channels["cost"].to_numpy(dtype=float)
    rates = channels["hire_rate"].to_numpy(dtype=float)
    capacity = channels["capacity"].to_numpy(dtype=float)
    x = np.zeros(len(cost))
    remaining = float(target)
    for i in np.argsort(cost, kind="stable"):
        if remaining <= 1e-12:
            break
        x[i] = min(capacity[i], remaining / rates[i])
        remaining -= x[i] * rates[i]
    return x


def _is_greedy(x: Any, channels: Any, target: float, *, whole: bool = False) -> bool:
    import numpy as np

    greedy = greedy_by_candidate_cost(channels, target)
    by_hire = _greedy_by_hire_cost(channels, target)
    if whole:
        greedy, by_hire = np.ceil(greedy - 1e-9), np.ceil(by_hire - 1e-9)
    if np.allclose(greedy, by_hire, rtol=1e-6, atol=1e-6):
        return False  # both orders give this plan: nothing tells the source's fallacy from the right order
    return bool(np.allclose(np.asarray(x, dtype=float), greedy, rtol=1e-6, atol=1e-6))


def _greedy_by_hire_cost(channels: Any, target: float) -> Any:
    """Fill the channels cheapest per expected hire first (the LP's optimum when only capacities bind)."""
    return greedy_by_candidate_cost(channels.assign(cost=channels["cost"] / channels["hire_rate"]), target)


_GREEDY_MESSAGE = (
    "your plan fills the channels that are cheapest per *candidate* first: the source documents' fallacy. "
    "Compare channels by cost per expected hire, or let the solver compare them."
)


def _judge_plan(x: Any, lp: Any, channels: Any, target: float, *, name: str, reference: Any = None) -> CheckResult:
    """Feasible and optimal (any optimum passes), with the greedy-by-cost-per-candidate plan named."""
    from lepton_training.checks_lp import check_optimal

    result = check_optimal(x, lp, name=name, reference=reference)
    wasteful = result.status == "incorrect" and "more than the optimum" in result.message
    if wasteful and _is_greedy(x, channels, target, whole=lp.integer):
        return incorrect(_GREEDY_MESSAGE, (result.message,))
    return result


# --- q1: cost per expected hire ----------------------------------------------------------------------------------


class CostPerExpectedHire(FunctionQuestion):
    """``cost_per_expected_hire(channels)``: USD per expected hire of each channel, as a Series by channel."""

    def _case(self, fn: Any, channels: Any) -> CheckResult:
        import numpy as np
        import pandas as pd

        given = channels.copy()
        try:
            value = fn(given)
        except KeyError as error:
            labels = ", ".join(show_value(label) for label in channels.index[:4])
            return incorrect(
                f"your code raised KeyError: {error}. This table's rows are labelled {labels}, not 0, 1, 2, ...: "
                "a loop over `range(len(channels))` with `.loc` breaks on it. Divide whole columns instead."
            )
        changed = input_changed(given, channels, "table", "; compute a new Series instead.")
        if changed is not None:
            return changed
        names = [str(c) for c in channels["channel"]]
        cost, rates = channels["cost"].to_numpy(float), channels["hire_rate"].to_numpy(float)
        if isinstance(value, pd.DataFrame):
            return invalid(
                "The result is a DataFrame; return a Series (one number per channel), e.g. by dividing one "
                "column by another after `set_index('channel')`."
            )
        if isinstance(value, (np.ndarray, list, tuple)):
            return invalid(
                f"The result is {describe_type(value)}; return a pandas Series indexed by channel name, so that "
                "each number keeps its channel's name (divide two columns of `channels.set_index('channel')`)."
            )
        if not isinstance(value, pd.Series):
            return invalid(
                f"The result should be a pandas Series indexed by channel, but it is {describe_type(value)}."
            )
        labels = [str(label) for label in value.index]
        if sorted(labels) != sorted(names):
            shown = ", ".join(show_value(label) for label in value.index[:6])
            return invalid(
                f"The result's index should be the channel names; it is {shown}. "
                "Use `channels.set_index('channel')` before dividing."
            )
        vector = value.set_axis(labels).reindex(names).to_numpy()
        # "Tiny rounding differences are accepted": rounding to cents (half a cent off at most) passes.
        result = check_array(
            vector,
            cost / rates,
            rtol=1e-9,
            atol=0.005 + 1e-9,
            name="The cost per expected hire",
            advice="For each channel it is the cost of a candidate divided by the expected hires a candidate brings.",
        )
        if result.status != "incorrect":
            return result
        for wrong, why in (
            (rates / cost, "this is expected hires per USD (hire_rate / cost), the inverse of what is asked."),
            (cost, "this is the cost per *candidate*; a candidate is only a fraction of a hire."),
            (cost * rates, "cost times hire rate is not a cost per hire: how many candidates make one expected hire?"),
        ):
            if check_array(vector, wrong, rtol=1e-9).passed:
                return incorrect(why)
        return result

    def public_inputs(self) -> list[Any]:
        table = practice_channels()
        return [table, table.iloc[[2]]]

    def public_tests(self, answer: Any) -> list[Test]:
        table = practice_channels()
        return [
            Test("On a table of four channels", lambda: self._case(answer, table)),
            Test("On a one-row table cut from it (its row is labelled 2)", lambda: self._case(answer, table.iloc[[2]])),
        ]

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        tables = [random_channels(rng, n=n) for n in (4, 6)]
        order = rng.permutation(len(tables[1]))
        if (order == sorted(order)).all():  # a shuffle that left every row in place would not be one
            order = order[::-1]
        shuffled = tables[1].iloc[order]
        return [
            Test(
                f"On another table of {len(t)} channels",
                lambda t=t: self._case(answer, t),
                premise=lambda t=t: t["channel"].is_unique,  # the number in the description is len(t)
            )
            for t in tables
        ] + [
            Test(
                "On a table whose rows are shuffled",
                lambda: self._case(answer, shuffled),
                premise=lambda: not shuffled.index.equals(tables[1].index) and shuffled["channel"].is_unique,
            ),
            Test(
                "On a single channel",
                lambda t=tables[0].iloc[[1]]: self._case(answer, t),
                premise=lambda t=tables[0].iloc[[1]]: len(t) == 1,
            ),
        ]


q1 = CostPerExpectedHire(
    id="q1",
    module=MODULE,
    title="Cost per expected hire",
    points=1,
    answer_name="cost_per_expected_hire",
    implementations=(
        "lepton_training.recruitment.plan",
        "lepton_training.recruitment.multi_period",
    ),
    parameters=("channels",),
    objectives=(1,),
    hints=(
        "One candidate brings `hire_rate` expected hires. How many candidates make one expected hire, and what "
        "do they cost together?",
        "Cost per expected hire = cost per candidate x candidates per expected hire. Work with whole columns, "
        "not a loop over rows: pandas divides two columns element by element and keeps the index.",
        "```python\ndef cost_per_expected_hire(channels):\n    table = channels.set_index(____)\n"
        "    return table[____] / table[____]\n```",
    ),
)


# --- q2: spot the errors of the source documents' code -----------------------------------------------------------

#: The documented candidate codes of exercise 2, each with the claim it stands for. Which claims are true is
#: stored only as salted digests (see :data:`_CODE_DIGESTS`).
ERROR_CODES: dict[str, str] = {
    "B_EQ_SHAPE": "`b_eq` has one value for the three rows of `A_eq`, so `linprog` refuses to run.",
    "LEGACY_METHOD": "`method='simplex'` asks for a legacy solver that SciPy has deprecated; HiGHS is the one to use.",
    "EQUAL_CHANNELS": "`A_eq = np.eye(3)` with `b_eq` forces every channel to the same number of candidates.",
    "AT_MOST_TARGET": "The hires row caps expected hires at 50 instead of requiring at least 50.",
    "NO_BUDGET": "The budget of 1,000,000 USD never reaches `linprog`.",
    "MAXIMIZES_COST": "`c` must be negated: as written, `linprog` maximizes the total cost.",
    "NEGATIVE_CANDIDATES": "The bounds allow a negative number of candidates.",
    "MIXED_UNITS": "`c @ x` adds USD per candidate of different channels, which has no unit.",
    "UNBOUNDED": "With no upper bound on any channel, the cheapest plan is unbounded.",
    "NEEDS_INTEGERS": "`linprog` cannot plan candidates at all, because candidates are whole numbers.",
}

#: ``answer_digest(f"{code}:error")`` for a true claim, ``answer_digest(f"{code}:fine")`` for a false one.
_CODE_DIGESTS: dict[str, str] = {
    "B_EQ_SHAPE": "8ce31958609e2f74f17baaa251d9f2ebf9fd139e36358c2e0b3611b6e2757691",
    "LEGACY_METHOD": "4e28dcf3aae7fede8f6dd5829db9f6699d44d5e86d38803e3ceece8fe777462c",
    "EQUAL_CHANNELS": "8a0f9aa0847c91f5cad2921362beb15da2230e5c92cc633a740f587dfaa406e3",
    "AT_MOST_TARGET": "9253fecc0927fe0b16131184f9e89fc5b7b14ee67c54ef777b10367e8700cf95",
    "NO_BUDGET": "4ae2845a8d4df47e7f1f4c1566e52ae9e015da97dce37a1a1cbc267e71743ed6",
    "MAXIMIZES_COST": "5675d369b6a981d04004fa09b889be05382209a03233cb4a0ecb82c1a1500f99",
    "NEGATIVE_CANDIDATES": "4470a260c09cc4dea0f154ab5457df5d06cbdda8c602e61f7d26793cfa303d38",
    "MIXED_UNITS": "6444e52d4edfbe8e8e023c4acfebb382e482ece4ddb08c409f8bb52244c71fa2",
    "UNBOUNDED": "a94e8b20b3bc2c814afba4e8f5cfe97d7e344e053a28f693c8b64446f4c2d8e6",
    "NEEDS_INTEGERS": "4af908acb2f47d05172948bb947898a3fc3960438bb25d18c5e39b2163a2a7bd",
}


class SpotTheErrors(LabelSetQuestion):
    """``errors``: the set of codes, from :data:`ERROR_CODES`, of the errors in the source documents' code."""

    def validate(self, answer: Any) -> CheckResult:
        problem = label_set_problem(
            answer, "errors", "codes such as {'B_EQ_SHAPE', 'NO_BUDGET'}", "a code written as text, such as 'NO_BUDGET'"
        )
        if problem is not None:
            return problem
        unknown = sorted({code.strip().upper() for code in answer} - set(ERROR_CODES))
        if unknown:
            return invalid(
                f"{', '.join(map(repr, unknown[:3]))} {'is not a code' if len(unknown) == 1 else 'are not codes'} "
                "of the list in the statement; copy the codes exactly."
            )
        return passed()

    def chosen(self, answer: Any) -> set[str]:
        return {code.strip().upper() for code in answer}

    def key(self) -> set[str]:
        return hashed_members(_CODE_DIGESTS, self.full_id, "error")

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        # At grading, a share of the points for each code classified right; the learner sees which only in the
        # feedback after grading, when it can no longer be searched.
        chosen, errors = self.chosen(answer), self.key()

        def judged(code: str) -> CheckResult:
            if (code in chosen) == (code in errors):
                return passed()
            if code in chosen:
                return incorrect("listed, but this claim is not an error of this code.")
            return incorrect("left out, but this claim is an error of this code.")

        return [Test(f"Code {code}", lambda code=code: judged(code)) for code in ERROR_CODES]


#: What ``q2.explain()`` shows after an attempt, sealed (:mod:`lepton_training.explanations`); the text is the
#: instructor notebook's cell ``q2-explanation``.
_EXPLANATION_Q2 = (
    "lCffZ5KXyxj/Wy9+oFTG4r/DOuIIejrnU3U1ST+LE04acPir+k47g8+XB+iiFQFZOO/Jg/YbtyKmDj+mSRBGGvDdetevOVSFG9U5"
    "/zyfSuEO788qUMUMwlRz2JRZ2S+WrdpQR+g/zQfOQrz91DEFqZcEREFWSuuckCEeE1vaBBka80ZV1sdq4a8z3UgXj+0p81WI0zMf"
    "YadyQ9+o09DDgwCsajkyubQnVDynGmYRWNf9RsDSOY//rSyJnkOBtFlScjypRxHD7psFzRoPzBLQVYt/FvP6cfTxySvlRcTHZB7E"
    "KyqTrqKDvT7YBxAgSjsSEYOoqVbZvCJhHhI1bWQTnTXrek8VqmnQIQYCpAHpcwHllWPZBURIUL526/L4SfTN0uTFrNCNqyeEho0K"
    "8Cy0K8cvbuUPgbrrwhan8bmkwa1RGwxjRLXwI6K75GH7352TtKFVAVr1u+AgA7mfooyBRfhMI090BTh5jsEHGpmCAkxBy3zEHw49"
    "4w434C0JOuS9Aq0BeYUmSBRQnSgJxbXnMmDn8Lv7LbcyukJNwDlne0J4OSUgD5B8qfbNHtSfxzhOsFBvaF8eYeMdP7LlGHMtNCDa"
    "kXPnxnSVdV05/lyc8jb5WjkyEmQFV0W9gUsvkylca1w+qGt7uUvyak3Dm6cDPguGpUA82aJk1pjTHdvhD4l6k3JQBfIrU2kSPiJ8"
    "dSQkok/kx/pAX4aUGFoVi3LgHMS8t6gDSUe4etTASRPCDYaBdB9Ll4lIsI3UOmudyI1Z30r8uQgiaNy3PNrPlVHWwwVNE0/HTW+i"
    "KAEOAfseGKZsNUsgYRxawcekcywrrsU0PiTmRxaBr2swfMXxzksD+Ky9mCLC7sjTMi2iq6ArMoBhbBfet+gPCQ+ZY46MuEG9lGkK"
    "XLgB0htqrJCp/mUoT93ug3wtzN7oulg8VXzHeX0FwXrmbhv2xyIYFCicZMVdb8+JnjQ5DMldSqM1Ym4/7OBfzPV/N9AyDYa5uuHG"
    "yFU1xycQXXf3JWoEG2+DE3tEgSwVXsxtNyDnOfmXefBYw/L38eJe9QyX76V4NP4OxCfgcaSSVe20HDc4OJWwACv6/mispE+/Vdst"
    "YK4jNbeUEd5EPAhexrrZiVE8RjlJQNE4Oeib3f7V0iGc5oyuJlpCpwSbD4E2zvuE1SqNW8shiDzXOZwxh5nLUzT+NYnWPqZAoh/D"
    "0W2fqVTi/Ml10OS39mer+rmfZ1KJ0o+RWjJHgje8i3UfQoHJLdroO3hr0ORC8saG/k/N5tYonzYCGZj+f4aIsD38inH0GScs1N50"
    "Oauy1f0cQ5m8RQeOZLsqx1dVQAwjKg5hpS0En04OfhWwkv/5Xd4xI/0W4zkLRtPUw6R+zppRl22u+GOI7bThNkS0wLXZe6PqkInu"
    "Bkq7nMfh/ej8iPUP"
)


q2 = SpotTheErrors(
    id="q2",
    module=MODULE,
    title="Spot the errors",
    points=2,
    answer_name="errors",
    objectives=(1, 4),
    labels=tuple(ERROR_CODES),
    advice=(
        "not yet right. Read each claim against the call and the problem (at least 50 expected hires, lowest "
        "cost, a budget of 1,000,000 USD), and test the claims you are unsure of by running the code."
    ),
    misconceptions=(
        Misconception(
            "bd1494f547bb64ce63b3f684ce3a89e7218ef05ce8a81318fec5e776a4f49868",
            "you listed every code. Some claims are traps: a claim is an error only if you can point to the line "
            "of the code that makes it true.",
        ),
        Misconception(
            "231a266fceffe1e316c55a1b5f0eebcd6d37e9cb05842afbea1571b2aaed6b99",
            "it is empty, but this code has errors: start by running it.",
        ),
        Misconception(
            "f14227ff4d23c8d1a6f8cef989ce5a8b0b781e2a45cd48cbcf894df776936438",
            "you listed only the error that stops the code from running. Suppose it ran: would the model then say "
            "what the planner wants?",
        ),
    ),
    hints=(
        "Take the problem in planner words first: at least 50 expected hires, at the lowest cost, within a budget "
        "of 1,000,000 USD, with candidates >= 0. Then read the call one argument at a time and ask what each says.",
        "Run the code in a scratch cell: the first error is SciPy's own. For each claim about the model, write "
        "the row out: `A_eq @ x == b_eq` with `A_eq` the identity says x_1 = ..., x_2 = ...; `A_ub @ x <= b_ub` "
        "is always an at-most row. `linprog` always minimizes.",
        'Five of the ten claims are true. Write them as\n```python\nerrors = {"____", "____", "____", '
        '"____", "____"}\n```',
    ),
    explanation=unseal(_EXPLANATION_Q2, f"{MODULE}:q2"),
)


# --- q3: the source's model, repaired and solved ----------------------------------------------------------------


class RepairedPlan(FunctionQuestion):
    """``repaired_plan(channels, target, budget)``: linprog's result for the repaired model, judged by its plan."""

    def _case(self, fn: Any, channels: Any, target: float, budget: float) -> CheckResult:
        import numpy as np

        from lepton_training.checks_lp import describe_result, solve, violations

        lp = reference_lp(channels, target, budget=budget)
        try:
            res = fn(channels.copy(), target, budget)
        except Exception as error:
            if solve(lp).optimal:
                raise
            return incorrect(
                f"your function raised {type(error).__name__}: {error}, on a case where no plan meets the target "
                "within the budget. The statement asks for the result anyway: return `res` as `linprog` gives it; "
                "its `status` (2, infeasible) tells the caller there is no plan."
            )
        if not all(hasattr(res, attr) for attr in ("status", "x", "fun")):
            looks_like_plan = isinstance(res, (np.ndarray, list, tuple))
            return invalid(
                f"The result should be what `linprog` returns, an OptimizeResult with `status`, `x` and `fun`, but "
                f"it is {describe_type(res)}."
                + (" It looks like a plan: return `res` itself, not `res.x`." if looks_like_plan else "")
            )
        if not hasattr(res, "ineqlin") and hasattr(res, "mip_gap"):
            return incorrect(
                "this result comes from `milp`, the solver of whole candidates (exercise 5). This exercise asks "
                "for `linprog`'s result, with fractional candidate numbers allowed: it carries the marginals that "
                "section 5 reads."
            )
        if not hasattr(res, "ineqlin"):
            return incorrect(
                "this result did not come from HiGHS (it has no `ineqlin` marginals): `method='simplex'` is a "
                "legacy solver that SciPy has deprecated. Use `method='highs'`, the default."
            )
        best = solve(lp)
        status = int(res.status)
        if not best.optimal:
            if status == 2:
                return passed()
            found = f"{describe_result(res)}"
            broken = violations(lp, np.asarray(res.x, float)) if status == 0 and res.x is not None else []
            details = [v.sentence for v in broken[:3]]
            # The plan returned shows which limit the model left out: a capacity it exceeds, or else the budget.
            missing = (
                "is each channel's capacity a bound of your model, `(0, capacity)`?"
                if broken and all(v.kind == "upper" for v in broken)
                else "is the budget a row of your model?"
            )
            return incorrect(
                f"no plan reaches the target within this budget and the capacities, but your function returns "
                f"{found}: {missing}",
                details,
            )
        if status != 0:
            return incorrect(
                f"your function returns {describe_result(res)}, yet plans that meet the target within the budget "
                "exist. The source's equality rows, or a target written as an at-most row, can do that.",
            )
        x = np.asarray(res.x, dtype=float)
        all_equal = len(x) > 1 and np.allclose(x, x[0]) and x[0] > 0
        if all_equal and not _judge_plan(x, lp, channels, target, name="Your plan", reference=best).passed:
            return incorrect(
                "every channel gets the same number of candidates: that is what the source's equality rows "
                "(`A_eq = np.eye(3)` with `b_eq`) force. Does the problem ask for them?"
            )
        verdict = _judge_plan(x, lp, channels, target, name="The plan in your result (`res.x`)", reference=best)
        if not verdict.passed:
            return verdict
        cost = lp.objective(x)
        if not math.isclose(float(res.fun), cost, rel_tol=1e-6, abs_tol=1e-6):
            ratio = float(res.fun) / cost if cost else math.nan
            scaled = any(math.isclose(ratio, 10.0**-k, rel_tol=1e-6) for k in (1, 2, 3, 6))
            why = "costs in thousands of USD? " if scaled else ""
            return incorrect(
                f"`res.fun` is {format_number(float(res.fun))}, but the plan costs {format_number(cost)} USD: "
                f"{why}The objective should be the total cost in USD, unscaled, so that `res.fun` can be reported."
            )
        return passed()

    def public_inputs(self) -> list[Any]:
        return [practice_channels()]

    def public_tests(self, answer: Any) -> list[Test]:
        table = practice_channels()
        return [
            Test(
                "On four channels, target 30 expected hires, budget 100,000 USD",
                lambda: self._case(answer, table, 30.0, 100_000.0),
            ),
            Test(
                "On the same channels with a budget of 60,000 USD, too small for the target",
                lambda: self._case(answer, table, 30.0, 60_000.0),
            ),
        ]

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        tests = []
        for finite in (False, True):
            table = random_channels(rng, finite=finite)
            target = random_target(rng, table)
            floor_cost = reference_cost(table, target)
            budget = round(floor_cost * float(rng.uniform(1.2, 2.0)), -2)
            tests.append(
                Test(
                    f"On another table ({_describe(table, target)}, budget {format_number(budget)} USD)",
                    lambda t=table, g=target, b=budget: self._case(answer, t, g, b),
                )
            )
            poor = round(floor_cost * 0.8, -2)
            tests.append(
                Test(
                    f"On the same table with a budget of {format_number(poor)} USD, too small for the target",
                    lambda t=table, g=target, b=poor: self._case(answer, t, g, b),
                )
            )
        capped = random_channels(rng, finite=True)
        too_many = round(reachable_hires(capped) * 1.2, 1)
        tests += [
            Test(
                f"On a target the capacities cannot reach ({len(capped)} channels, target {format_number(too_many)})",
                lambda: self._case(answer, capped, too_many, 10_000_000.0),
            ),
            # Fixed cases on a table the notebook never shows (a pasted worked example earns nothing here).
            Test(
                f"On {TIED}, with a budget that is just enough (target 40, budget 102,000 USD)",
                lambda: self._case(answer, tied_channels(), 40.0, 102_000.0),
            ),
            Test(
                f"On {TIED}, target 45.1, budget 1,000,000 USD",
                lambda: self._case(answer, tied_channels(), 45.1, 1_000_000.0),
            ),
        ]
        return tests


def reference_cost(channels: Any, target: float, *, integer: bool = False) -> float:
    """Cost of the cheapest plan for a target (``inf`` when none exists), in USD."""
    from lepton_training.checks_lp import solve

    best = solve(reference_lp(channels, target, integer=integer))
    return best.fun if best.optimal else math.inf


q3 = RepairedPlan(
    id="q3",
    module=MODULE,
    title="Repair the source's model",
    points=2,
    answer_name="repaired_plan",
    implementations=(
        "lepton_training.recruitment.plan",
        "lepton_training.recruitment.multi_period",
    ),
    parameters=("channels", "target", "budget"),
    objectives=(1, 2, 4),
    hints=(
        "Write the problem in planner words, one line per requirement: what is minimized, what is at least, "
        "what is at most, and what bounds each channel. Then map each line to an argument of `linprog`.",
        "Two at-most rows: the target, negated (`-hire_rate @ x <= -target`), and the budget "
        "(`cost @ x <= budget`). Stack rows with `np.vstack`; the capacities go in `bounds`. No `A_eq`, and "
        "`method='highs'`. Return the result whatever its status.",
        '```python\ndef repaired_plan(channels, target, budget):\n    cost = channels["cost"].to_numpy()\n'
        '    rate = channels["hire_rate"].to_numpy()\n    A_ub = np.vstack([____, ____])\n    b_ub = [____, ____]\n'
        '    bounds = [(0, cap) for cap in channels["capacity"]]\n'
        '    return linprog(____, A_ub=A_ub, b_ub=b_ub, bounds=bounds, method="highs")\n```',
    ),
)


# --- q4: shadow prices and the value of capacity ------------------------------------------------------------------


def capacity_lp(channels: Any, target: float):
    """Build the minimum-cost model with each finite capacity written as a row, so that it has a shadow price.

    Returns
    -------
    tuple of (LinearProgram, list of int)
        The model, and for each channel the index of its capacity row (-1 when it has no capacity).
    """
    import numpy as np

    from lepton_training.checks_lp import LinearProgram

    base = reference_lp(channels, target)
    finite = [j for j in range(base.n) if math.isfinite(base.upper[j])]
    rows = [base.A_ub[0]] + [np.eye(base.n)[j] for j in finite]
    limits = [base.b_ub[0]] + [base.upper[j] for j in finite]
    names = ["the hiring target"] + [f"the capacity of {base.variable_names[j]!r}" for j in finite]
    lp = LinearProgram(
        c=base.c,
        A_ub=np.vstack(rows),
        b_ub=limits,
        lower=base.lower,
        upper=np.full(base.n, np.inf),
        row_names=names,
        row_units=["expected hires"] + ["candidates"] * len(finite),
        row_flip=[-1] + [1] * len(finite),
        variable_names=base.variable_names,
    )
    index = [-1] * base.n
    for k, j in enumerate(finite, start=1):
        index[j] = k
    return lp, index


class ShadowPrices(FunctionQuestion):
    """``shadow_prices(channels, target)``: ``(hire_price, capacity_value)`` in planner terms."""

    def _call(self, fn: Any, channels: Any, target: float) -> Any:
        value = fn(channels.copy(), target)
        if not isinstance(value, tuple) or len(value) != 2:
            return invalid(
                "`shadow_prices` should return a tuple of two items, `(hire_price, capacity_value)`, but it "
                f"returned {describe_type(value)}."
            )
        return value

    def _hire_price(self, fn: Any, channels: Any, target: float) -> CheckResult:
        from lepton_training.checks_lp import check_shadow_price, shadow_price_interval, solve

        value = self._call(fn, channels, target)
        if isinstance(value, CheckResult):
            return value
        price = value[0]
        lp = reference_lp(channels, target)
        result = check_shadow_price(
            price,
            lp,
            0,
            unit=TARGET_UNIT,
            name="Your `hire_price`",
            advice="It is what the cheapest plan's cost rises by when the target asks for one more expected hire.",
        )
        if result.status != "incorrect" or "sign" in result.message:
            return result
        price = float(price)
        low, high = shadow_price_interval(lp, 0)
        tol = 1e-4 * max(1.0, abs(high))
        average = solve(lp).fun / target
        if math.isclose(price, average, rel_tol=1e-6) and not low - tol <= average <= high + tol:
            return incorrect(
                "your `hire_price` is the plan's *average* cost per expected hire (total cost / target). The "
                "shadow price is the *marginal* cost: what the cheapest plan's cost rises by per extra expected "
                "hire (the slope), which the marginal channel sets."
            )
        cheapest = float((channels["cost"] / channels["hire_rate"]).min())
        if math.isclose(price, cheapest, rel_tol=1e-6) and not low - tol <= cheapest <= high + tol:
            return incorrect(
                "your `hire_price` is the cheapest channel's cost per expected hire. When that channel is at its "
                "capacity, the next hire comes from another channel: read the marginal from the solver."
            )
        for k in (10.0, 100.0, 1000.0):
            for factor, words in ((k, "small"), (1 / k, "large")):
                if low - tol <= price * factor <= high + tol:
                    return incorrect(
                        f"your `hire_price` is {format_number(k)} times too {words}: did you solve a scaled "
                        "model (costs in thousands of USD, or a scaled target row)? Convert the marginal back to "
                        f"{TARGET_UNIT}."
                    )
        return result

    def _capacity_value(self, fn: Any, channels: Any, target: float) -> CheckResult:
        import numpy as np
        import pandas as pd

        from lepton_training.checks_lp import shadow_price_interval

        value = self._call(fn, channels, target)
        if isinstance(value, CheckResult):
            return value
        series = value[1]
        names = [str(c) for c in channels["channel"]]
        if not isinstance(series, pd.Series):
            return invalid(
                f"`capacity_value` should be a pandas Series indexed by channel name, but it is "
                f"{describe_type(series)}; build it with `pd.Series(values, index=channels['channel'])`."
            )
        labels = [str(label) for label in series.index]
        if sorted(labels) != sorted(names) or len(set(labels)) != len(labels):
            shown = ", ".join(show_value(label) for label in series.index[:6])
            return invalid(f"`capacity_value`'s index should be the channel names, once each; it is {shown}.")
        if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            return invalid(f"`capacity_value` should hold numbers, but it has dtype {series.dtype}.")
        v = series.set_axis(labels).reindex(names).to_numpy(dtype=float)
        if not np.isfinite(v).all():
            return invalid("`capacity_value` holds NaN or infinite values: a channel with no capacity saves 0 USD.")
        lp, index = capacity_lp(channels, target)
        low, high = np.zeros(len(v)), np.zeros(len(v))
        for j, row in enumerate(index):
            if row >= 0:
                slope_low, slope_high = shadow_price_interval(lp, row)
                low[j], high[j] = -slope_high, -slope_low  # a saving is minus the change of the cost
        tol = 1e-4 * np.maximum(1.0, np.abs(high))

        def valid(w):
            return bool(((low - tol <= w) & (w <= high + tol)).all())

        if valid(v):
            return passed()
        if np.any(np.abs(v) > tol) and valid(-v):
            return incorrect(
                "`capacity_value` has the wrong sign: a saving is a positive number of USD. HiGHS's "
                "`res.upper.marginals` is the change of the cost per extra unit of an upper bound, negative "
                "when more capacity saves money."
            )
        cost, rates = channels["cost"].to_numpy(float), channels["hire_rate"].to_numpy(float)
        prices = shadow_price_interval(reference_lp(channels, target), 0)
        for price in prices:
            reduced = cost - price * rates
            if np.allclose(v, reduced, rtol=1e-6, atol=1e-6) or np.allclose(v, -reduced, rtol=1e-6, atol=1e-6):
                return incorrect(
                    "these are the reduced costs of every channel. More capacity is worth something only in a "
                    "channel that is full: for a channel with spare capacity it saves 0 USD."
                )
            per_hire = np.where(high > tol, price - cost / rates, 0.0)
            if np.any(high > tol) and np.allclose(v, per_hire, rtol=1e-6, atol=1e-6):
                return incorrect(
                    "these are savings per extra expected hire; the question asks per extra *candidate* of "
                    "capacity, and one candidate brings `hire_rate` expected hires."
                )
        bad = [j for j in range(len(v)) if not low[j] - tol[j] <= v[j] <= high[j] + tol[j]]
        details = []
        for j in bad[:3]:
            direction = "too high" if v[j] > high[j] else "too low"
            spare = " (this channel has spare capacity)" if high[j] <= tol[j] else ""
            details.append(f"{names[j]!r}: {format_number(v[j])} is {direction}{spare}.")
        return incorrect(
            f"{len(bad)} of the {len(v)} values of `capacity_value` are off ({CAPACITY_UNIT}). Each is what one "
            "more candidate of that channel's capacity saves on the cheapest plan: 0 for a channel the plan does "
            "not fill.",
            details,
        )

    def _tests(self, answer: Any, channels: Any, target: float, label: str) -> list[Test]:
        return [
            Test(f"{label}: `hire_price`", lambda: self._hire_price(answer, channels, target)),
            Test(f"{label}: `capacity_value`", lambda: self._capacity_value(answer, channels, target)),
        ]

    def public_inputs(self) -> list[Any]:
        return [practice_channels()]

    def public_tests(self, answer: Any) -> list[Test]:
        table = practice_channels()
        return self._tests(answer, table, 30.0, "Four channels, target 30") + self._tests(
            answer, table, 60.0, "The same channels, target 60"
        )

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        tests = []
        for finite in (True, False):
            table = random_channels(rng, finite=finite)
            target = random_target(rng, table, share=(0.4, 0.9))
            tests += self._tests(answer, table, target, f"Another table ({_describe(table, target)})")
        tests += self._tests(answer, tied_channels(), 45.1, f"On {TIED}, target 45.1")
        return tests


q4 = ShadowPrices(
    id="q4",
    module=MODULE,
    title="Shadow prices as planning decisions",
    points=2,
    answer_name="shadow_prices",
    implementations=(
        "lepton_training.recruitment.plan",
        "lepton_training.recruitment.multi_period",
    ),
    parameters=("channels", "target"),
    objectives=(3,),
    hints=(
        "Two questions a hiring manager asks: what does one more expected hire add to the cheapest cost (the "
        "slope, not the average)? And for each channel, how much would one more candidate of capacity save? "
        "A channel with spare capacity saves nothing.",
        "Solve the model of exercise 3 without a budget. HiGHS gives `res.ineqlin.marginals` for the rows and "
        "`res.upper.marginals` for the upper bounds: each is the change of `res.fun` per unit increase of the "
        "limit *as stored*. Your target row is stored negated, and a saving is minus a change of cost.",
        '```python\ndef shadow_prices(channels, target):\n    res = linprog(...)  # your model, method="highs"\n'
        "    hire_price = float(____ * res.ineqlin.marginals[0])\n"
        '    capacity_value = pd.Series(____ * res.upper.marginals, index=channels["channel"])\n'
        "    return hire_price, capacity_value\n```",
    ),
)


# --- q5: whole candidates ----------------------------------------------------------------------------------------


def _call_with_hair_below_solvers(fn: Any, *args: Any) -> tuple[Any, list[Any]]:
    """Call the learner's function while SciPy's solvers return values such as 66.99999999 for 67.

    Returns the function's result and the solver values it was handed (:mod:`lepton_training.conditions`: at
    grading, the sandbox calls the function under the same condition and records what it saw).
    """
    from lepton_training.conditions import under

    with under("solvers-hair-below") as condition:
        return fn(*args), condition.seen


class WholeCandidatePlan(FunctionQuestion):
    """``whole_candidate_plan(channels, target)``: the cheapest plan in whole candidates, from milp."""

    def _judge(self, plan: Any, channels: Any, target: float, *, solver_values: Any = ()) -> CheckResult:
        import numpy as np

        from lepton_training.checks_lp import as_plan_vector, solve

        lp = reference_lp(channels, target, integer=True)
        result = _judge_plan(plan, lp, channels, target, name="Your plan")
        if result.passed or result.status == "invalid" or result.message == _GREEDY_MESSAGE:
            return result
        x = as_plan_vector(plan, lp)
        if not isinstance(x, np.ndarray):
            return result
        rates = channels["hire_rate"].to_numpy(dtype=float)
        whole = bool(np.allclose(x, np.round(x), atol=1e-6))
        if whole and math.isclose(float(rates @ x), target, rel_tol=1e-9, abs_tol=1e-6):
            return incorrect(
                f"your plan brings exactly {format_number(target)} expected hires: the target looks written as an "
                "equality. The statement asks for *at least* the target; in whole candidates an exact target is "
                "often more expensive, or impossible.",
                result.details,
            )
        for values in solver_values:
            if values is not None and np.shape(values) == x.shape and np.allclose(x, np.floor(values)):
                return incorrect(
                    "your plan looks truncated: the solver returned values a hair below whole numbers (such as "
                    "65.99999999 for 66), and `astype(int)` or `int()` cut them down to the number below. Round to "
                    "the nearest whole number instead (`np.round`).",
                    result.details,
                )
        relaxed = solve(reference_lp(channels, target))
        if relaxed.optimal and not np.allclose(relaxed.x, np.round(relaxed.x)):
            if np.allclose(x, np.ceil(relaxed.x - 1e-9)):
                return incorrect(
                    "this is the LP plan rounded up, which is also what filling the channels cheapest per expected "
                    "hire first and rounding the last one up gives: it is feasible here, but rounding is not "
                    "optimizing. Another whole-candidate plan is cheaper; let `milp` search for it.",
                    result.details,
                )
            if np.allclose(x, np.floor(relaxed.x + 1e-9)):
                return incorrect("this is the LP plan rounded down, which misses the target.", result.details)
        return result

    def _case(self, fn: Any, channels: Any, target: float) -> CheckResult:
        try:
            plan = fn(channels.copy(), target)
        except (TypeError, AttributeError) as error:
            if "NoneType" not in str(error):
                raise
            return incorrect(
                f"your code raised {type(error).__name__}: {error}. The solver found no plan, so its `x` is None: "
                "a target written as an equality (exactly the target in whole candidates) often has no solution. "
                "The statement asks for at least the target; check `res.status` before reading `res.x`."
            )
        return self._judge(plan, channels, target)

    def _hair_case(self, fn: Any, channels: Any, target: float) -> CheckResult:
        plan, seen = _call_with_hair_below_solvers(fn, channels.copy(), target)
        return self._judge(plan, channels, target, solver_values=seen)

    def public_inputs(self) -> list[Any]:
        return [practice_channels()]

    def public_tests(self, answer: Any) -> list[Test]:
        table = practice_channels()
        return [
            Test("On four channels, target 31.9 expected hires", lambda: self._case(answer, table, 31.9)),
            Test(
                "On the same channels when the solver returns values a hair below whole numbers (65.99999999)",
                lambda: self._hair_case(answer, table, 44.1),
            ),
        ]

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        tests = [
            Test(
                f"On {TIED}, target 43.3 (rounding the LP plan up is not optimal)",
                lambda: self._case(answer, tied_channels(), 43.3),
            ),
            Test(
                f"On {TIED}, target 40, when the solver returns 39.99999999 for 40",
                lambda: self._hair_case(answer, tied_channels(), 40.0),
            ),
        ]
        for finite in (True, False):
            table = random_channels(rng, finite=finite)
            target = random_target(rng, table)
            tests.append(
                Test(
                    f"On another table ({_describe(table, target)})", lambda t=table, g=target: self._case(answer, t, g)
                )
            )
        return tests


q5 = WholeCandidatePlan(
    id="q5",
    module=MODULE,
    title="Whole candidates",
    points=2,
    answer_name="whole_candidate_plan",
    implementations=(
        "lepton_training.recruitment.plan",
        "lepton_training.recruitment.multi_period",
    ),
    parameters=("channels", "target"),
    objectives=(2,),
    hints=(
        "`milp` takes the same cost vector as `linprog`, plus `integrality` (1 for a whole-number variable), "
        "`bounds` (a `Bounds` object) and `constraints` (a `LinearConstraint`). Check `res.status` first.",
        "`LinearConstraint(A, lower, upper)` accepts at-least rows as they are: the target row needs no negation. "
        "HiGHS may return 2.9999999 for 3: round to the nearest whole number before you return the plan.",
        "```python\ndef whole_candidate_plan(channels, target):\n    res = milp(\n        ____,\n"
        "        integrality=np.ones(len(channels)),\n        bounds=Bounds(0, ____),\n"
        "        constraints=LinearConstraint(____, ____, np.inf),\n    )\n    return ____\n```",
    ),
)


# --- q6: a plan that is safe, not only right on average --------------------------------------------------------


def hires_distribution(plan: Any, hire_rate: Any):
    """Exact distribution of actual hires when each candidate is hired independently with its channel's rate.

    Actual hires from channel ``i`` are binomial (``plan[i]`` candidates, probability ``hire_rate[i]``); the
    total is their sum, whose distribution is the convolution of the channels' distributions.

    Parameters
    ----------
    plan : array_like of int
        Whole candidates per channel.
    hire_rate : array_like of float
        Probability that one candidate of each channel is hired.

    Returns
    -------
    numpy.ndarray
        ``p[k]``, the probability of exactly ``k`` hires, for ``k = 0 .. sum(plan)``.

    Examples
    --------
    >>> p = hires_distribution([40, 50], [0.5, 0.6])
    >>> round(float(p[50:].sum()), 2)  # the chance of at least 50 hires from a plan for 50 expected hires
    0.54
    """
    import numpy as np

    pmf = np.array([1.0])
    counts = np.rint(np.asarray(plan, dtype=float)).astype(int)
    for n, rate in zip(counts, np.asarray(hire_rate, dtype=float), strict=True):
        if n <= 0:
            continue
        if rate >= 1:
            channel = np.zeros(n + 1)
            channel[n] = 1.0
        else:
            k = np.arange(n + 1)
            log_choose = np.array([math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1) for i in k])
            channel = np.exp(log_choose + k * math.log(rate) + (n - k) * math.log1p(-rate))
        pmf = np.convolve(pmf, channel)
    return pmf


def chance_of_goal(plan: Any, hire_rate: Any, goal: float) -> float:
    """Probability that a plan brings at least ``goal`` actual hires (exact)."""
    pmf = hires_distribution(plan, hire_rate)
    first = max(0, math.ceil(goal - 1e-9))
    return float(pmf[first:].sum()) if first < len(pmf) else 0.0


def safe_reference(channels: Any, goal: float, confidence: float, *, extra: float = 2.0) -> tuple[float, float]:
    """Find the smallest whole target whose cheapest whole plan is safe enough, and the cost limit allowed.

    Raises the target from ``goal`` one expected hire at a time; at each step the cheapest whole-candidate plan
    is found with ``milp`` and its exact chance of at least ``goal`` hires computed.

    Returns
    -------
    tuple of float
        ``(target, cost_limit)``: the first target whose plan reaches ``confidence``, and the cost of the cheapest
        whole plan for ``extra`` more expected hires (any safe plan up to that cost passes).
    """
    from lepton_training.checks_lp import solve

    rates = channels["hire_rate"].to_numpy(dtype=float)
    target = float(math.ceil(goal))
    while True:
        best = solve(reference_lp(channels, target, integer=True))
        if not best.optimal:
            raise ValueError(f"no plan reaches {goal} hires with probability {confidence}")
        if chance_of_goal(best.x, rates, goal) >= confidence:
            break
        target += 1.0
    limit = reference_cost(channels, target + extra, integer=True)
    return target, limit if math.isfinite(limit) else best.fun


class SafePlan(FunctionQuestion):
    """``safe_plan(channels, goal, confidence)``: whole candidates reaching ``goal`` hires with that chance."""

    SLACK = 0.01  # simulation noise allowed on the chance, as a probability

    def _case(self, fn: Any, channels: Any, goal: float, confidence: float) -> CheckResult:
        from lepton_training.checks_lp import as_plan_vector, check_feasible, format_amount

        plan = fn(channels.copy(), goal, confidence)
        lp = reference_lp(channels, 0.0, integer=True)  # whole candidates within the capacities
        feasible = check_feasible(plan, lp, name="Your plan")
        if not feasible.passed:
            return feasible
        x = as_plan_vector(plan, lp)
        rates = channels["hire_rate"].to_numpy(dtype=float)
        chance = chance_of_goal(x, rates, goal)
        expected = float(rates @ x)
        _, limit = safe_reference(channels, goal, confidence)
        if chance < confidence - self.SLACK:
            why = ""
            if expected < goal + 0.5:
                why = (
                    f" It brings {format_amount(expected)} expected hires: a plan built on expected values meets "
                    "its goal only about half the time. Plan for more expected hires than the goal."
                )
            return incorrect(
                f"your plan reaches {format_number(goal)} hires with probability {chance:.1%}, below the "
                f"{confidence:.0%} asked for.{why}"
            )
        cost = lp.objective(x)
        if cost > limit * (1 + 1e-6):
            return incorrect(
                f"your plan is safe enough ({chance:.1%}) but costs {format_amount(cost - limit, 'USD')} more than "
                "the cheapest plan for two expected hires beyond the smallest safe target. Raise the target in "
                "small steps and take the cheapest whole plan at each step."
            )
        return passed()

    def public_inputs(self) -> list[Any]:
        return [practice_channels()]

    def public_tests(self, answer: Any) -> list[Test]:
        table = practice_channels()
        return [
            Test(
                "On four channels, at least 30 hires with probability 90%",
                lambda: self._case(answer, table, 30, 0.9),
            )
        ]

    def hidden_tests(self, answer: Any, rng: Any) -> list[Test]:
        tests = [
            Test(
                f"On {TIED}: 40 hires with probability 90%",
                lambda: self._case(answer, tied_channels(), 40, 0.9),
            )
        ]
        for confidence in (0.8, 0.95):
            table = random_channels(rng, finite=False)
            goal = int(rng.integers(15, 60))
            tests.append(
                Test(
                    f"On another table ({len(table)} channels): {goal} hires with probability {confidence:.0%}",
                    lambda t=table, g=goal, c=confidence: self._case(answer, t, g, c),
                )
            )
        return tests


_EXPLANATION_Q6 = (
    "tOEiCY9+gGxNh/CMkewg9Wy4ZVGtuXqxz2XT1Fp5sZhI/5VuFfE/29AYy+o7aeSO4JKz1TrDdQPNXlOeG0IUvQQjFZJJOWZQyXv7"
    "Wn5ShceY8AHg0Ny5t/gOT3pFckrSEwY/RbuuNm7Yc0AQGE4fIV7lsKd1EQOqOARZcdaFrxRQ2czckHT7Y6OSNI1Ijj3bUCZUPSDt"
    "YlfIR30FZYIz8QsoeNLhaGEIf+hDoEBrBNX8q3ng/GVTtC2fWVXRxk3IisfOl8bzJZnQNHfKqh2UF64blWutXpndh3FF0CDPt9Q9"
    "JRUYKERXCv4eTH8fdDy5/s2f3IeTrmiUcguCdEjbnr4b1m8+jqN5vu/YwbwoRug+Ef/UILlv534ukNL7qs77Q0fxw7OqfMvhVBRi"
    "NIRZ1LShFOeWMOlawU6/u6OT56OmKumn76bnwHQKDlwfn7RA+h6PG2SIGf1+6yNwITn2DyUDPHHSh3LTlTmy4CJrN95p+099cu6b"
    "ACG1QKyHB3uL5OT3Ug=="
)


q6 = SafePlan(
    id="q6",
    module=MODULE,
    title="A plan with a safety margin",
    points=2,
    explanation=unseal(_EXPLANATION_Q6, f"{MODULE}:q6"),
    answer_name="safe_plan",
    implementations=(
        "lepton_training.recruitment.plan",
        "lepton_training.recruitment.multi_period",
    ),
    parameters=("channels", "goal", "confidence"),
    objectives=(4,),
    hints=(
        "A plan for `goal` expected hires reaches the goal only about half the time. Plan for a higher target, "
        "and raise it until the simulated chance of at least `goal` actual hires reaches `confidence`.",
        "For a target, take the cheapest whole plan (your `whole_candidate_plan`). Simulate actual hires with "
        "`rng.binomial(plan, hire_rate, size=(10_000, n)).sum(axis=1)`: one row per simulated quarter. The chance "
        "is the share of rows with at least `goal` hires.",
        "```python\ndef safe_plan(channels, goal, confidence):\n    rng = np.random.default_rng(1)\n"
        "    target = goal\n    while True:\n        plan = ____\n        hires = ____\n"
        "        if ____ >= confidence:\n            return plan\n        target += 1\n```",
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
