from __future__ import annotations

import math
import statistics

import numpy as np
import pandas as pd
import pytest

from partnerlens.insights.analytics import frames, intervals, scores
from partnerlens.insights.analytics.suppression import SuppressionPolicy

from .helpers import answers, themes
from .reference import reference_interval

NAN = float("nan")
# Six teachers in organisation 1. Trust has two questions, purpose one; "dk" = don't know.
TRUST = {1: (4, 5), 2: (3, 3), 3: (2, "dk"), 4: (5, 4), 5: (4, 2), 6: ("dk", "dk")}
PURPOSE = {1: 2, 2: 3, 3: 4, 4: 5, 5: 1, 6: "dk"}


def _row(response, theme, question, answer):
    if answer == "dk":
        return {
            "response_id": response,
            "role": "teacher",
            "theme_key": theme,
            "question_key": question,
            "dont_know": True,
        }
    return {
        "response_id": response,
        "role": "teacher",
        "theme_key": theme,
        "question_key": question,
        "value": float(answer),
    }


@pytest.fixture
def known():
    scale = themes(
        {"theme_key": "trust", "weight": 2.0, "target_level": 4.0},
        {"theme_key": "purpose", "weight": 1.0},
    )
    rows = []
    for response, (q1, q2) in TRUST.items():
        rows += [_row(response, "trust", "q1", q1), _row(response, "trust", "q2", q2)]
    for response, answer in PURPOSE.items():
        rows.append(_row(response, "purpose", "q1", answer))
    return answers(rows, scale), scale


def _cell(table, group="partnership", **keys):
    rows = table[table["group"] == group]
    for key, value in keys.items():
        rows = rows[rows[key] == value]
    assert len(rows) == 1
    return rows.iloc[0]


def test_a_theme_score_is_the_mean_of_respondents_own_theme_means(known):
    frame, scale = known
    table = scores.breakdown(frame, scale, "theme")
    trust = _cell(table, theme_key="trust")
    # Respondent means worked out by hand: (4+5)/2, (3+3)/2, 2 (q2 don't know), (5+4)/2, (4+2)/2.
    by_respondent = [4.5, 3.0, 2.0, 4.5, 3.0]
    low, high = reference_interval(by_respondent)
    assert trust["n"] == 5
    assert trust["n_dont_know"] == 2  # respondents 3 and 6
    assert trust["n_responses"] == 6
    assert trust["mean"] == pytest.approx(3.4)
    assert trust["sd"] == pytest.approx(math.sqrt(4.7 / 4))
    assert trust["median"] == pytest.approx(3.0)
    assert (trust["ci_low"], trust["ci_high"]) == pytest.approx((low, high))


def test_progress_against_target_carries_the_interval(known):
    frame, scale = known
    trust = _cell(scores.breakdown(frame, scale, "theme"), theme_key="trust")
    low, high = reference_interval([4.5, 3.0, 2.0, 4.5, 3.0])
    assert trust["gap"] == pytest.approx(3.4 - 4.0)
    assert (trust["gap_ci_low"], trust["gap_ci_high"]) == pytest.approx((low - 4, high - 4))
    assert trust["progress"] == ("below_target" if high < 4 else "around_target")


def test_the_framework_score_weights_each_respondents_themes(known):
    frame, scale = known
    framework = _cell(scores.breakdown(frame, scale, "framework"))
    # (2 x trust + 1 x purpose) / 3 per respondent; respondent 6 answered nothing.
    by_respondent = [(9 + 2) / 3, (6 + 3) / 3, (4 + 4) / 3, (9 + 5) / 3, (6 + 1) / 3]
    low, high = reference_interval(by_respondent)
    assert framework["n"] == 5
    assert framework["mean"] == pytest.approx(statistics.fmean(by_respondent))
    assert framework["median"] == pytest.approx(statistics.median(by_respondent))
    assert (framework["ci_low"], framework["ci_high"]) == pytest.approx((low, high))
    assert (framework["scale_min"], framework["scale_max"]) == (1.0, 5.0)


def test_question_scores_count_dont_know_apart_and_give_a_level_distribution(known):
    frame, scale = known
    table = scores.breakdown(frame, scale, "question")
    q1 = _cell(table, theme_key="trust", question_key="q1")
    assert (q1["n"], q1["n_dont_know"], q1["median"]) == (5, 1, 4.0)
    counts = scores.level_distribution(frame, table, "question")
    mine = counts[
        (counts["group"] == "partnership")
        & (counts["theme_key"] == "trust")
        & (counts["question_key"] == "q1")
    ]
    assert dict(zip(mine["level"], mine["count"], strict=True)) == {2.0: 1, 3.0: 1, 4.0: 2, 5.0: 1}


def test_a_relationship_question_counts_each_respondent_once():
    scale = themes({"theme_key": "links", "scale_min": 0, "scale_max": 4})
    rows = []
    for response in range(1, 6):
        for partner, value in ((2, 1.0), (3, 3.0)):
            rows.append(
                {
                    "response_id": response,
                    "role": "headteacher",
                    "theme_key": "links",
                    "kind": "relationship",
                    "about_organisation_id": partner,
                    "value": value,
                }
            )
    table = scores.breakdown(answers(rows, scale), scale, "question")
    cell = _cell(table, theme_key="links")
    assert (cell["n"], cell["mean"]) == (5, pytest.approx(2.0))


def test_a_dimension_mixing_scales_is_reported_in_percent_of_scale():
    scale = themes(
        {"theme_key": "a", "dimension": "d", "scale_min": 1, "scale_max": 5},
        {"theme_key": "b", "dimension": "d", "scale_min": 1, "scale_max": 4},
    )
    rows = []
    for response in range(1, 6):
        rows.append(
            {
                "response_id": response,
                "role": "teacher",
                "theme_key": "a",
                "dimension": "d",
                "value": 5.0,
            }
        )
        rows.append(
            {
                "response_id": response,
                "role": "teacher",
                "theme_key": "b",
                "dimension": "d",
                "value": 1.0,
            }
        )
    cell = _cell(scores.breakdown(answers(rows, scale), scale, "dimension"), dimension="d")
    assert (cell["scale_min"], cell["scale_max"]) == (0.0, 100.0)
    assert cell["mean"] == pytest.approx(50.0)


def test_one_respondent_has_no_interval_rather_than_a_narrow_one():
    low, high = intervals.interval(np.array([1]), np.array([3.0]), np.array([np.nan]), 1.0, 5.0)
    assert math.isnan(low[0]) and math.isnan(high[0])


def test_intervals_are_kept_on_the_scale_and_lopsided_near_its_end():
    scale = themes({"theme_key": "trust"})
    rows = [
        {"response_id": r, "role": "teacher", "value": v}
        for r, v in enumerate([5.0, 5.0, 5.0, 5.0, 1.0], start=1)
    ]
    cell = _cell(scores.breakdown(answers(rows, scale), scale, "theme"), theme_key="trust")
    assert 1.0 <= cell["ci_low"] < cell["mean"] < cell["ci_high"] <= 5.0
    # Answers piled at the top: more room below the mean than above it.
    assert cell["mean"] - cell["ci_low"] > cell["ci_high"] - cell["mean"]


def test_scores_match_an_independent_computation_on_a_generated_partnership():
    rng = np.random.default_rng(42)
    people = 400
    roles = rng.choice(
        ["teacher", "parent", "governor", "headteacher"], people, p=[0.5, 0.3, 0.15, 0.05]
    )
    orgs = rng.integers(1, 5, people)
    records = []
    for person in range(people):
        for question in ("q1", "q2", "q3"):
            draw = rng.random()
            records.append(
                {
                    "cycle_id": 7,
                    "response_id": person + 1,
                    "role": roles[person],
                    "organisation_id": int(orgs[person]),
                    "theme_key": "trust",
                    "dimension": "",
                    "question_key": question,
                    "kind": "agreement",
                    "value": float(rng.integers(1, 6)) if draw > 0.1 else NAN,
                    "dont_know": bool(draw <= 0.05),
                    "about_organisation_id": None,
                }
            )
    raw = pd.DataFrame(records)
    scale = themes({"theme_key": "trust"})
    table = scores.breakdown(
        frames.validate_answers(raw), scale, "theme", policy=SuppressionPolicy(k=5)
    )
    # Independently: pandas for respondent means, scipy for the interval.
    per_person = raw.groupby(["response_id", "role", "organisation_id"])["value"].mean()
    per_person = per_person.dropna().reset_index()
    checked = 0
    for (role, org), group in per_person.groupby(["role", "organisation_id"]):
        row = _cell(table, "role_organisation", role=role, organisation_id=org)
        if row["suppressed"]:
            continue
        values = group["value"].to_numpy()
        low, high = reference_interval(values.tolist())
        assert row["n"] == len(values)
        assert row["mean"] == pytest.approx(values.mean())
        assert row["sd"] == pytest.approx(values.std(ddof=1))
        assert row["median"] == pytest.approx(np.median(values))
        assert row["ci_low"] == pytest.approx(low)
        assert row["ci_high"] == pytest.approx(high)
        checked += 1
    assert checked >= 8
