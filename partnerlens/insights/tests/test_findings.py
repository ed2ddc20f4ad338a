"""No chance findings and fair trends: the false-discovery family of a release, the change
between cycles at a fixed role mix with pairing, the question mapping across versions, and
the summary's wording (issue 9)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from partnerlens.insights import dashboard
from partnerlens.insights.analytics import frames, multiplicity, scores, synthetic, trends
from partnerlens.insights.analytics.suppression import SuppressionPolicy
from partnerlens.insights.data import CycleFrames
from partnerlens.insights.models import InsightSettings

from .helpers import themes

# --- Benjamini-Hochberg -------------------------------------------------------------------


def test_adjusted_p_values_agree_with_scipys_benjamini_hochberg():
    p = np.random.default_rng(1).uniform(size=40) ** 3
    assert multiplicity.bh_adjust(p) == pytest.approx(stats.false_discovery_control(p))


def test_a_missing_p_value_is_no_test_and_does_not_dilute_the_others():
    q = multiplicity.bh_adjust([0.01, np.nan, 0.04])
    assert np.isnan(q[1])
    assert q[[0, 2]] == pytest.approx([0.02, 0.04])  # m = 2, not 3


def test_one_family_spans_every_table_it_is_given():
    role = pd.DataFrame({"p_value": [0.001, 0.2]})
    trend = pd.DataFrame({"p_value": [0.04, np.nan]})
    tests, clear = multiplicity.control({"role": role, "trend": trend})
    assert (tests, clear) == (3, 1)
    # On its own 0.04 < 0.05; second of three tests, its q is 0.04 x 3 / 2 = 0.06.
    assert trend["q_value"].iloc[0] == pytest.approx(0.06)
    assert role["clear"].tolist() == [True, False]
    assert trend["clear"].tolist() == [False, False]


# --- gaps under the control ---------------------------------------------------------------


def _findings(made, policy=None):
    policy = policy or SuppressionPolicy()
    valid = frames.validate_themes(made.themes)
    last = made.answers["cycle_id"].max()
    current = made.answers[made.answers["cycle_id"] == last]
    table = scores.breakdowns(current, valid, levels=("theme",), policy=policy)["theme"]
    change = None
    if made.answers["cycle_id"].nunique() > 1:
        cycles = pd.DataFrame({"cycle_id": [1, 2], "order": [0, 1]})
        change = trends.fair_trend(made.answers, valid, cycles, policy=policy)
    return multiplicity.release_findings(table, change)


def test_null_dashboards_rarely_name_anything_though_single_tests_often_would():
    named = alone = 0
    for seed in range(12):
        made = synthetic.synthetic_answers(
            respondents=150, organisations=6, cycles=2, drift=0.0, seed=seed
        )
        found = _findings(made)
        named += found.any_clear
        alone += bool(found.role["flagged"].any() or found.organisation["flagged"].any())
    assert alone >= 8  # uncorrected, nearly every null dashboard has a "finding"
    assert named <= 2


def test_a_real_half_point_gap_between_two_schools_of_thirty_is_usually_found():
    found = 0
    for seed in range(20):
        gaps = _findings(synthetic.two_groups(per_group=30, gap=0.5, seed=seed)).organisation
        clear = gaps[gaps["clear"]]
        assert set(clear["theme_key"]) <= {"theme-00"}  # nothing else is named here
        found += len(clear) > 0
    assert found >= 12


def test_optimism_is_called_only_when_the_controlled_test_and_its_margin_agree():
    made = synthetic.synthetic_answers(respondents=400, organisations=4, leader_lift=1.5, seed=3)
    optimism = _findings(made).optimism
    assert (optimism["verdict"] == "optimistic").any()
    optimistic = optimism[optimism["verdict"] == "optimistic"]
    assert optimistic["clear"].all()
    assert (optimistic["adj_ci_low"] > optimistic["margin"]).all()
    # The adjusted interval is wider than the plain 95% one (more than one test).
    assert (optimistic["adj_ci_low"] < optimistic["ci_low"]).all()


# --- fair trends --------------------------------------------------------------------------


def _two_cycles(rows: list[tuple[int, int, str, float, int]]) -> pd.DataFrame:
    """(cycle, response, role, value, person) -> theme-level answers on "trust"."""
    return pd.DataFrame(
        [
            {
                "cycle_id": cycle,
                "response_id": response,
                "role": role,
                "organisation_id": 1,
                "theme_key": "trust",
                "dimension": "",
                "question_key": "trust",
                "kind": "agreement",
                "value": value,
                "dont_know": False,
                "about_organisation_id": pd.NA,
                "source": "self",
                "person": person,
            }
            for cycle, response, role, value, person in rows
        ]
    )


CYCLES = pd.DataFrame({"cycle_id": [1, 2], "order": [0, 1], "label": ["Spring", "Autumn"]})


def test_a_shift_in_the_mix_of_roles_alone_is_no_change():
    teachers = [4.0, 4.5, 3.5, 4.0, 4.5, 3.5, 4.0, 4.0, 4.5, 3.5]
    parents = [2.0, 2.5, 1.5, 2.0, 2.5, 1.5, 2.0, 2.0, 2.5, 1.5]
    rows, response = [], 1
    for cycle, copies in ((1, 1), (2, 3)):  # parents: a third of respondents, then 3/4
        for role, values in (("teacher", teachers), ("parent", parents * copies)):
            for value in values:
                rows.append((cycle, response, role, value, 0))
                response += 1
    answers = _two_cycles(rows)
    scale = themes({"theme_key": "trust"})
    fair = trends.fair_trend(answers, scale, CYCLES).iloc[0]
    plain = trends.trend(answers, scale, CYCLES, groupings=("partnership",))
    assert plain.loc[plain["cycle_id"] == 2, "change"].iloc[0] == pytest.approx(-0.5)
    assert fair["change"] == pytest.approx(0.0, abs=1e-12)
    assert fair["strata"] == 2 and fair["p_value"] > 0.5


def test_the_same_people_answering_twice_are_paired_and_the_change_is_surer():
    rng = np.random.default_rng(5)
    lean = rng.normal(3, 0.8, size=20)
    rows = [(1, i + 1, "teacher", float(lean[i]), i + 1) for i in range(20)]
    rows += [(2, 21 + i, "teacher", float(lean[i] + 0.2), i + 1) for i in range(20)]
    linked = _two_cycles(rows)
    scale = themes({"theme_key": "trust", "scale_min": 0.0, "scale_max": 6.0})
    paired = trends.fair_trend(linked, scale, CYCLES).iloc[0]
    unlinked = trends.fair_trend(linked.assign(person=0), scale, CYCLES).iloc[0]
    assert paired["change"] == pytest.approx(unlinked["change"]) == pytest.approx(0.2)
    assert paired["n_paired"] == 20 and unlinked["n_paired"] == 0
    assert paired["se"] < unlinked["se"] / 5
    assert paired["p_value"] < 1e-6 < unlinked["p_value"]


def test_a_theme_whose_questions_changed_between_versions_is_marked_and_not_compared():
    rows = [(c, i + 10 * c, "teacher", float(2 + c + i % 2), 0) for c in (1, 2) for i in range(8)]
    answers = _two_cycles(rows)
    scale = themes({"theme_key": "trust"})
    asked = pd.DataFrame(
        {
            "cycle_id": [1, 1, 2, 2],
            "theme_key": "trust",
            "question_key": ["t1", "t2", "t1", "t3"],
            "kind": "agreement",
            "scale_min": 1.0,
            "scale_max": 5.0,
        }
    )
    changed = trends.fair_trend(answers, scale, CYCLES, questions=asked).iloc[0]
    assert changed["questions_changed"] and np.isnan(changed["p_value"])
    # Mapping t2 onto t3 (the same question, re-keyed) makes the versions comparable.
    mapped = trends.fair_trend(
        answers, scale, CYCLES, questions=asked, mapping={("trust", "t2"): ("trust", "t3")}
    ).iloc[0]
    assert not mapped["questions_changed"] and mapped["change"] == pytest.approx(1.0)


# --- what the dashboard says --------------------------------------------------------------


def _frames(made, cycle_id: int) -> CycleFrames:
    scale = made.themes.assign(title_en=made.themes["theme_key"].str.title())
    history = made.answers.copy()
    history["question_key"] = history["theme_key"]  # as stored: one score per theme
    history = (
        history.groupby(
            ["cycle_id", "response_id", "role", "organisation_id", "theme_key", "source"],
            as_index=False,
        )["value"]
        .mean()
        .assign(
            question_key=lambda f: f["theme_key"],
            dimension="",
            kind="agreement",
            dont_know=False,
            about_organisation_id=pd.NA,
        )
    )
    cycles = pd.DataFrame(
        {"cycle_id": [1, 2], "order": [0, 1], "label": ["Spring", "Autumn"]}
    ).query("cycle_id <= @cycle_id")
    return CycleFrames(
        cycle_id=cycle_id,
        cycle_title="Autumn",
        partnership_id=1,
        partnership_name="Test cluster",
        partnership_kind="cluster",
        framework_slug="",
        themes=scale,
        history=history[history["cycle_id"] <= cycle_id].reset_index(drop=True),
        cycles=cycles,
        relationships=pd.DataFrame(columns=list(frames.ANSWER_COLUMNS)),
        relationship_questions={},
        comments=pd.DataFrame(columns=["theme_key", "question_key", "text", "role"]),
        organisations={o: f"School {o}" for o in range(1, 7)},
        invited=0,
        completed=0,
        settings=InsightSettings(),
    )


def test_a_dashboard_of_pure_chance_says_nothing_stands_out():
    made = synthetic.synthetic_answers(
        respondents=120, questions=20, themes=4, organisations=4, cycles=2, drift=0.0, seed=7
    )
    built = dashboard.build(_frames(made, 2))
    text = " ".join(built.summary)
    assert "stands out beyond what chance alone would give" in text
    assert "No theme has changed since the previous cycle by more than chance" in text
    assert "biggest difference" not in text
    trends_section = built.section("trends")
    assert trends_section is not None
    assert any("fixed mix of roles" in t.caption for t in trends_section.tables)


def test_a_dashboard_names_a_real_difference_and_a_real_rise():
    made = synthetic.synthetic_answers(
        respondents=300,
        questions=20,
        themes=4,
        organisations=4,
        cycles=2,
        drift=0.8,
        role_level={"parent": -1.0},
        seed=8,
    )
    text = " ".join(dashboard.build(_frames(made, 2)).summary)
    assert "The biggest difference that stands out beyond chance is on" in text
    assert "Since the previous cycle," in text and "rose" in text
