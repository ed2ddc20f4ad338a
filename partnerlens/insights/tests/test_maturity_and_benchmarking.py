from __future__ import annotations

import pandas as pd
import pytest

from partnerlens.insights.analytics import benchmarking, maturity, scores

from .helpers import answers, themes


@pytest.mark.parametrize(
    ("inputs", "stage"),
    [
        ({"relationship_level": 0.5}, "working_alone"),
        ({"relationship_level": 2.0, "tightness": 0.3}, "informal_cluster"),
        ({"relationship_level": 3.0, "tightness": 0.3}, "formal_partnership"),
        ({"relationship_level": 2.0, "tightness": 0.6}, "formal_partnership"),
        ({"relationship_level": 2.0, "partnership_kind": "federation"}, "federation_or_chain"),
        ({"depth": 0.8, "tightness": 0.8}, "shared_teaching_and_learning"),
        ({"depth": 0.4, "partnership_kind": "mat"}, "federation_or_chain"),
    ],
)
def test_the_spectrum_rule_places_partnerships(inputs, stage):
    assert maturity.spectrum_stage(**inputs).key == stage


def test_no_evidence_gives_no_stage():
    assert maturity.spectrum_stage().stage is None


def _relationship_rows(pairs):
    rows, response = [], 1
    for (own, other), values in pairs.items():
        for value in values:
            rows.append(
                {
                    "response_id": response,
                    "role": "headteacher",
                    "organisation_id": own,
                    "theme_key": "links",
                    "kind": "relationship",
                    "about_organisation_id": other,
                    "value": float(value),
                }
            )
            response += 1
    return answers(rows)


def test_a_relationship_level_is_the_median_of_both_sides_rounded_down():
    frame = _relationship_rows({(1, 2): [1, 2, 2], (2, 1): [3, 3, 4], (1, 3): [2, 2]})
    levels = maturity.relationship_levels(frame).set_index(["organisation_a", "organisation_b"])
    one_two = levels.loc[(1, 2)]
    assert one_two["median"] == 2.5 and one_two["level_key"] == "co_ordination"
    assert levels.loc[(1, 3), "suppressed"]  # two people only
    assert pd.isna(levels.loc[(1, 3), "median"])


def test_priorities_rank_low_scores_on_important_themes_first():
    scale = themes(
        {"theme_key": "trust", "weight": 2.0, "target_level": 4.0},
        {"theme_key": "purpose", "weight": 1.0, "target_level": 4.0},
        {"theme_key": "impact", "weight": 1.0, "target_level": 3.0},
    )
    rows = []
    for response in range(1, 7):
        for theme, value in (("trust", 3.0), ("purpose", 2.0), ("impact", 4.0)):
            rows.append(
                {"response_id": response, "role": "teacher", "theme_key": theme, "value": value}
            )
    table = scores.breakdown(answers(rows, scale), scale, "theme")
    ranked = maturity.priorities(table, scale)
    # trust: 2/2 x (4-3)/4 = 0.25; purpose: 1/2 x (4-2)/4 = 0.25, lower score first on a tie?
    # No: equal priority, so the lower mean (purpose) ranks first; impact is above target.
    assert list(ranked["theme_key"]) == ["purpose", "trust"]
    assert ranked["priority"].tolist() == pytest.approx([0.25, 0.25])


def test_a_theme_without_a_target_is_never_measured_against_the_top_of_the_scale():
    scale = themes(
        {"theme_key": "trust", "target_level": 3.0},
        {"theme_key": "purpose"},
        {"theme_key": "impact"},
        {"theme_key": "voice"},
    )
    means = {"trust": 3.5, "purpose": 4.5, "impact": 3.0, "voice": 4.0}
    rows = [
        {"response_id": r, "role": "teacher", "theme_key": t, "value": m + (0.5 if r % 2 else -0.5)}
        for r in range(1, 9)
        for t, m in means.items()
    ]
    table = scores.breakdown(answers(rows, scale), scale, "theme")
    ranked = maturity.priorities(table, scale).set_index("theme_key")
    # trust is above its target; purpose (4.5 of 5) would be short of the top of the scale,
    # but it is the partnership's strongest theme: no priority. The middle of the four
    # themes' positions is (3.5 + 4.0) / 2 on this 1-5 scale: impact is below it.
    assert list(ranked.index) == ["impact"]
    assert ranked.loc["impact", "basis"] == "relative"
    assert ranked.loc["impact", "reference"] == pytest.approx(3.75)
    assert ranked.loc["impact", "shortfall"] == pytest.approx(0.75 / 4)


def test_strand_profile_insists_on_three_dimensions_of_four_strands():
    scale = themes(*({"theme_key": f"s{i}", "dimension": f"d{i // 4}"} for i in range(11)))
    with pytest.raises(ValueError, match="3 dimensions x 4 strands"):
        maturity.check_strands(scale, 3, 4)


def _others(count, kind="mat", shares=True):
    return pd.DataFrame(
        {
            "partnership_id": range(10, 10 + count),
            "partnership_kind": kind,
            "shares": shares,
            "theme_key": "trust",
            "mean": [2.0 + 0.25 * i for i in range(count)],
            "n": 20,
        }
    )


def test_fewer_than_ten_comparable_partnerships_give_no_comparison():
    # (More benchmark rules and attacks: test_benchmarking.py.)
    own = pd.DataFrame({"theme_key": ["trust"], "mean": [3.0]})
    others = pd.concat(
        [
            _others(9),
            _others(3, kind="cluster").assign(partnership_id=[40, 41, 42]),
            _others(2, shares=False).assign(partnership_id=[50, 51]),
        ]
    )
    result = benchmarking.benchmark_position(
        own, others, partnership_id=1, partnership_kind="mat"
    ).iloc[0]
    assert result["status"] == "not_enough_partnerships"
    assert pd.isna(result["position"]) and pd.isna(result["others_median"])


def test_a_position_among_ten_or_more_never_shows_a_single_partnership():
    own = pd.DataFrame({"theme_key": ["trust"], "mean": [3.0]})
    result = benchmarking.benchmark_position(own, _others(12), 1, "mat").iloc[0]
    assert result["compared"] == 12
    assert result["position"] == "no_clear_difference"  # no interval: no side given
    assert set(result.index) >= {"others_q1", "others_median", "others_q3"}
    assert not {"partnership_id", "min", "max", "percentile"} & set(result.index)


def test_a_comparison_cannot_be_configured_below_ten_partnerships():
    with pytest.raises(ValueError, match="at least 10"):
        benchmarking.benchmark_position(pd.DataFrame(), _others(12), 1, "mat", min_partnerships=5)
