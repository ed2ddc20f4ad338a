from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from partnerlens.insights.analytics import gaps, scores, trends

from .helpers import answers, themes

HEADS = [5, 5, 4, 5, 4, 5]
TEACHERS = [2, 3, 2, 2, 3, 2, 3, 2]
GOVERNORS = [3, 2, 3, 2, 3, 3]


def _table(groups, scale=None, cycle=1, start=1):
    scale = scale if scale is not None else themes({"theme_key": "trust"})
    rows, response = [], start
    for role, values in groups.items():
        for value in values:
            source = "external" if role == "external_adviser" else "self"
            rows.append(
                {
                    "cycle_id": cycle,
                    "response_id": response,
                    "role": role,
                    "value": float(value),
                    "source": source,
                }
            )
            response += 1
    return answers(rows, scale), scale


def test_a_gap_larger_than_its_uncertainty_is_flagged_with_welchs_interval():
    frame, scale = _table({"headteacher": HEADS, "teacher": TEACHERS, "governor": GOVERNORS})
    table = scores.breakdown(frame, scale, "theme")
    found = gaps.perception_gaps(table, "role", prior_df=0).set_index(["group_a", "group_b"])
    heads_teachers = found.loc[("headteacher", "teacher")]
    welch = stats.ttest_ind(HEADS, TEACHERS, equal_var=False).confidence_interval(0.95)
    assert heads_teachers["difference"] == pytest.approx(np.mean(HEADS) - np.mean(TEACHERS))
    assert (heads_teachers["ci_low"], heads_teachers["ci_high"]) == pytest.approx(
        (welch.low, welch.high)
    )
    assert heads_teachers["flagged"]
    teachers_governors = found.loc[("teacher", "governor")]
    assert not teachers_governors["flagged"]
    # The p-value the release's false-discovery control reads is Welch's test's.
    p = stats.ttest_ind(TEACHERS, GOVERNORS, equal_var=False).pvalue
    assert teachers_governors["p_value"] == pytest.approx(p)


def test_a_small_group_that_happens_to_agree_is_not_taken_for_a_precise_one():
    unanimous = [4, 4, 4, 4, 4]
    frame, scale = _table({"headteacher": unanimous, "teacher": TEACHERS * 3})
    table = scores.breakdown(frame, scale, "theme")
    plain = gaps.perception_gaps(table, "role", prior_df=0).iloc[0]
    found = gaps.perception_gaps(table, "role").iloc[0]
    assert found["difference"] == plain["difference"]
    # Plain Welch leans on the teachers' spread alone; moderated, the heads' zero spread is
    # pulled towards everyone's (sd of all 29 answers), so the gap is less certain.
    everyone = np.var(unanimous + TEACHERS * 3, ddof=1)
    heads = 4 * everyone / (4 + 4)  # (n - 1) x 0 + 4 x s0^2 over (n - 1) + 4
    teachers = (23 * np.var(TEACHERS * 3, ddof=1) + 4 * everyone) / 27
    assert found["se"] == pytest.approx(np.sqrt(heads / 5 + teachers / 24))
    assert found["se"] > plain["se"] and found["p_value"] > plain["p_value"]


def test_a_hidden_group_never_feeds_a_gap():
    frame, scale = _table({"headteacher": HEADS[:3], "teacher": TEACHERS, "governor": GOVERNORS})
    table = scores.breakdown(frame, scale, "theme")
    found = gaps.perception_gaps(table, "role")
    assert "headteacher" not in set(found["group_a"]) | set(found["group_b"])


def test_leaders_rating_markedly_higher_are_called_optimistic():
    frame, scale = _table({"headteacher": HEADS, "teacher": TEACHERS, "governor": GOVERNORS})
    result = gaps.optimism(scores.breakdown(frame, scale, "theme")).iloc[0]
    assert result["verdict"] == "optimistic"
    assert result["ci_low"] > 0.5  # 0.125 x (5 - 1)


def test_leaders_in_step_with_everyone_are_not_optimistic():
    frame, scale = _table(
        {"headteacher": [3, 2, 3, 2, 3], "teacher": TEACHERS, "governor": GOVERNORS}
    )
    result = gaps.optimism(scores.breakdown(frame, scale, "theme")).iloc[0]
    assert result["verdict"] == "similar"
    assert not result["optimistic"]


def test_self_evaluation_is_compared_with_external_review():
    frame, scale = _table({"teacher": [4, 5, 4, 5, 4, 5], "external_adviser": [2, 3, 2, 2, 3]})
    found = gaps.self_review_gaps(scores.breakdown(frame, scale, "theme"))
    assert list(zip(found["group_a"], found["group_b"], strict=True)) == [("self", "external")]
    assert found.iloc[0]["flagged"]


def test_trends_map_renamed_questions_and_flag_real_change():
    scale = themes({"theme_key": "trust"})
    old, _ = _table({"teacher": [2, 2, 3, 2, 2, 3]}, scale, cycle=1)
    old["question_key"] = "old-q"
    new, _ = _table({"teacher": [4, 5, 4, 4, 5, 4]}, scale, cycle=2, start=100)
    cycles = pd.DataFrame({"cycle_id": [1, 2], "order": [1, 2], "label": ["2024", "2025"]})
    both = pd.concat([old, new], ignore_index=True)
    mapped = trends.trend(
        both,
        scale,
        cycles,
        level="question",
        mapping={("trust", "old-q"): ("trust", "q1")},
        groupings=("partnership",),
    )
    series = mapped[mapped["group"] == "partnership"]
    assert list(series["label"]) == ["2024", "2025"]
    assert set(series["question_key"]) == {"q1"}
    assert series.iloc[1]["change"] == pytest.approx(13 / 3 - 7 / 3)
    assert series.iloc[1]["change_flagged"]
    assert (series["cycles_present"] == 2).all()


def test_a_trend_rejects_answers_from_an_unlisted_cycle():
    frame, scale = _table({"teacher": [2, 3, 4, 5, 3]})
    with pytest.raises(ValueError, match="not listed"):
        trends.trend(frame, scale, pd.DataFrame({"cycle_id": [9], "order": [1]}))
