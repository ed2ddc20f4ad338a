"""The audit rule (audit.py): outcome evidence in, need and expertise levels out. No database."""

from __future__ import annotations

import pytest

from partnerlens.brokerage import audit
from partnerlens.brokerage.audit import Reference


def levels(judgements):
    return {j.area: (j.need, j.expertise) for j in judgements}


@pytest.fixture
def references():
    # 100 schools: persistent absence 5.0 .. 24.8 %, overall absence 3.0 .. 7.95 %.
    return {
        audit.ABSENCE_PERSISTENT: Reference.of([5 + 0.2 * i for i in range(100)], "*"),
        audit.ABSENCE_OVERALL: Reference.of([3 + 0.05 * i for i in range(100)], "*"),
    }


def test_percentile_rank_counts_half_of_the_ties():
    reference = Reference.of([1, 2, 2, 3], "four")
    assert reference.rank(2) == pytest.approx(0.5)
    assert reference.rank(0) == 0 and reference.rank(9) == 1


@pytest.mark.parametrize(
    ("persistent", "overall", "expected"),
    [
        (24.8, 7.95, (3, 0)),  # the worst school on both
        (23.0, 7.5, (2, 0)),  # ranks 0.905 and 0.905
        (21.5, 7.0, (1, 0)),  # ranks about 0.83
        (15.0, 5.5, None),  # the middle: no judgement at all
        (8.0, 3.7, (0, 1)),  # ranks 0.155 and 0.145
        (5.0, 3.0, (0, 2)),  # the best
    ],
)
def test_attendance_levels_follow_the_mean_rank(references, persistent, overall, expected):
    found = audit.judge_attendance(overall, persistent, references, "2018-19")
    assert (levels(found).get("behaviour_attendance")) == expected


def test_attendance_is_not_judged_against_too_few_schools():
    small = {audit.ABSENCE_PERSISTENT: Reference.of(range(10), "ten schools")}
    assert audit.judge_attendance(None, 9, small, "2018-19") == []


def test_attendance_evidence_gives_the_figures_compared_as_values(references):
    (found,) = audit.judge_attendance(7.95, 24.8, references, "2018-19")
    assert found.code == "evidence.absence_both"
    assert found.params["persistent_pct"] == 24.8 and found.params["persistent_schools"] == 100
    assert found.params["persistent_rank"] == 100 and found.params["persistent_group"] == "*"
    (alone,) = audit.judge_attendance(None, 24.8, references, "2018-19")
    assert alone.code == "evidence.absence_persistent" and "overall_pct" not in alone.params
    assert found.source == audit.OUTCOME_DATA and found.date == "2018-19"


@pytest.mark.parametrize(
    ("p8", "low", "high", "expected"),
    [
        (-0.8, -1.0, -0.6, {"curriculum": (3, 0), "leadership": (2, 0)}),  # floor standard
        (-0.3, -0.5, -0.1, {"curriculum": (1, 0)}),  # significantly below
        (-0.6, -1.3, 0.1, {}),  # well below on the point, but not significantly
        (0.3, 0.1, 0.5, {"curriculum": (0, 1)}),
        (0.7, 0.5, 0.9, {"curriculum": (0, 2), "leadership": (0, 1)}),
    ],
)
def test_progress8_counts_only_significant_differences(p8, low, high, expected):
    assert levels(audit.judge_progress8(p8, low, high, "2018-19")) == expected


def test_progress8_without_its_interval_is_not_judged():
    assert audit.judge_progress8(-1.2, None, None, "2018-19") == []


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        ("Red", {"leadership": (3, 0), "curriculum": (2, 0)}),
        ("amber", {"leadership": (2, 0), "curriculum": (1, 0)}),
        ("Yellow", {}),
        ("Green", {"leadership": (0, 2), "curriculum": (0, 1)}),
    ],
)
def test_welsh_support_categories(category, expected):
    assert levels(audit.judge_wales_category(category, "2019-20")) == expected


def test_an_unknown_welsh_category_is_named():
    with pytest.raises(ValueError, match="'Purple'"):
        audit.judge_wales_category("Purple", "2019-20")


def test_self_evaluation_shows_need_but_little_expertise():
    found = audit.judge_self_evaluation(
        [
            {"area": "maths", "level": 1, "scale_max": 4, "date": "2025-02-01"},
            {"area": "send", "level": 4, "scale_max": 4, "date": "2025-02-01"},
            {"area": "english", "level": 2, "scale_max": 4, "date": "2025-02-01"},
        ]
    )
    assert levels(found) == {"maths": (2, 0), "send": (0, 1), "english": (1, 0)}


def test_peer_review_can_show_strong_expertise_and_urgent_need():
    found = audit.judge_peer_review(
        [
            {"area": "send", "level": 4, "scale_max": 4, "date": "2025-03-01", "detail": "hub"},
            {"area": "governance", "level": 1, "scale_max": 4, "date": "2025-03-01"},
        ]
    )
    assert levels(found) == {"send": (0, 3), "governance": (3, 0)}
    assert found[0].code == "evidence.rubric_notes" and found[0].params["notes"] == "hub"
    assert found[1].code == "evidence.rubric" and found[1].params["count"] == 1


def test_a_rubric_answer_off_its_scale_is_rejected_with_its_position():
    with pytest.raises(ValueError, match="peer_review item 2: level 5 is not on the scale 1 to 4"):
        audit.judge_peer_review(
            [
                {"area": "send", "level": 4, "scale_max": 4},
                {"area": "send", "level": 5, "scale_max": 4},
            ]
        )


def test_combine_takes_the_highest_need_and_drops_expertise_beside_a_significant_need():
    profile = audit.combine(
        [
            audit.Judgement("curriculum", 0, 2, audit.OUTCOME_DATA, "p8", {}, "2018-19"),
            audit.Judgement("curriculum", 2, 0, audit.PEER_REVIEW, "review", {}, "2025-01-01"),
            audit.Judgement("maths", 1, 0, audit.SELF_EVALUATION, "self", {}, "2025-01-01"),
            audit.Judgement("maths", 0, 1, audit.OUTCOME_DATA, "data", {}, "2018-19"),
        ]
    )
    assert (profile["curriculum"].need, profile["curriculum"].expertise) == (2, 0)
    assert (profile["maths"].need, profile["maths"].expertise) == (1, 1)
    assert [s["source"] for s in profile["curriculum"].sources] == ["outcome_data", "peer_review"]
