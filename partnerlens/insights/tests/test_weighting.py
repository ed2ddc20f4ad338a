"""Uneven response across schools: response rates and the school-weighted (post-stratified)
estimate, worked out by hand."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from partnerlens.insights.analytics import intervals, scores, weighting
from partnerlens.insights.analytics.suppression import SuppressionPolicy
from partnerlens.insights.dashboard import scores as score_section
from partnerlens.insights.dashboard.parts import Context

from .helpers import answers, themes

SCALE = themes({"theme_key": "trust"})
POLICY = SuppressionPolicy(k=3)


def _answers(schools: dict[int, list[float]]) -> pd.DataFrame:
    rows, person = [], 0
    for school, values in schools.items():
        for value in values:
            person += 1
            rows.append(
                {
                    "response_id": person,
                    "role": "teacher",
                    "organisation_id": school,
                    "value": value,
                }
            )
    return answers(rows, SCALE)


def _table(schools):
    return scores.breakdown(_answers(schools), SCALE, "theme", policy=POLICY)


def test_the_weighted_score_gives_each_school_its_share_of_the_people_invited():
    # School 1: 8 of 10 invited answered (mean 4); school 2: 4 of 40 answered (mean 2).
    schools = {1: [4.0, 4.0, 5.0, 3.0, 4.0, 4.0, 5.0, 3.0], 2: [2.0, 1.0, 3.0, 2.0]}
    result = weighting.post_stratified(_table(schools), {1: 10, 2: 40}).iloc[0]
    assert result["mean"] == pytest.approx(np.mean(schools[1] + schools[2]))
    assert result["weighted_mean"] == pytest.approx(0.2 * 4.0 + 0.8 * 2.0)
    # Stratified variance, Kish's effective size, then the usual interval.
    variance = 0.2**2 * np.var(schools[1], ddof=1) / 8 + 0.8**2 * np.var(schools[2], ddof=1) / 4
    effective = 1 / (0.2**2 / 8 + 0.8**2 / 4)
    low, high = intervals.interval(
        np.array([effective]), np.array([2.4]), np.array([np.sqrt(variance * effective)]), 1, 5
    )
    assert (result["weighted_ci_low"], result["weighted_ci_high"]) == pytest.approx(
        (low[0], high[0])
    )
    assert result["uneven"]
    assert result["distance"] == pytest.approx(abs(0.2 - 8 / 12))


def test_even_response_is_not_called_uneven():
    schools = {1: [4.0, 3.0, 5.0, 4.0], 2: [2.0, 3.0, 2.0, 3.0]}
    result = weighting.post_stratified(_table(schools), {1: 8, 2: 8}).iloc[0]
    assert not result["uneven"]
    assert result["weighted_mean"] == pytest.approx(result["mean"])


def test_hidden_schools_are_weighted_together_from_published_figures_only():
    # School 3 has two respondents: hidden, with the smallest other school as complement.
    schools = {1: [4.0] * 3 + [5.0] * 3, 2: [2.0, 3.0, 2.0], 3: [1.0, 5.0]}
    table = _table(schools)
    hidden = set(table.loc[table["suppressed"], "organisation_id"].dropna().astype(int))
    assert 3 in hidden
    visible = [s for s in schools if s not in hidden]
    rest = [v for s in hidden for v in schools[s]]
    invited = {1: 6, 2: 30, 3: 4}
    result = weighting.post_stratified(table, invited).iloc[0]
    weights = {s: invited[s] for s in visible}
    weights[-1] = sum(invited[s] for s in hidden)
    means = {s: np.mean(schools[s]) for s in visible} | {-1: np.mean(rest)}
    total = sum(weights.values())
    expected = sum(weights[s] / total * means[s] for s in weights)
    assert result["weighted_mean"] == pytest.approx(expected)


def test_response_rates_hide_the_schools_whose_group_is_hidden():
    rates = weighting.response_rates({1: 8, 2: 2}, {1: 10, 2: 40, 3: 5}, {1: True, 2: False})
    rows = rates.set_index("organisation_id")
    assert rows.loc[1, "responses"] == 8 and rows.loc[1, "rate"] == pytest.approx(0.8)
    assert pd.isna(rows.loc[2, "responses"]) and np.isnan(rows.loc[2, "rate"])
    assert rows.loc[3, "responses"] == 0 and rows.loc[3, "rate"] == 0.0


def test_the_scores_section_shows_rates_and_the_weighted_scores_when_uneven(db):
    schools = {1: [4.0, 4.0, 5.0, 3.0, 4.0, 4.0, 5.0, 3.0], 2: [2.0, 1.0, 3.0, 2.0]}
    frames = SimpleNamespace(
        answers=_answers(schools),
        invited_by=pd.DataFrame(
            {"organisation_id": [1, 2], "role": ["teacher"] * 2, "invited": [10, 40]}
        ),
        organisations={1: "Oak Primary", 2: "Elm Primary"},
    )
    context = Context(frames, SCALE, {"trust": "Trust"}, POLICY, _table(schools))
    rates = score_section.response_rate_table(context)
    assert rates.rows == [["Oak Primary", "10", "8", "80%"], ["Elm Primary", "40", "4", "10%"]]
    weighted = score_section.weighted_table(context)
    assert weighted.rows[0][0] == "Trust"
    assert weighted.rows[0][3] == "2.40"
    assert score_section.weighted_exports(context)[0].rows[0][5] == pytest.approx(2.4)
    frames.invited_by["invited"] = [8, 4]  # as many answered as were invited: even
    even = Context(frames, SCALE, {"trust": "Trust"}, POLICY, _table(schools))
    assert score_section.weighted_table(even) is None
    assert score_section.weighted_exports(even) == []
