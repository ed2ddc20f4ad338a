"""The dashboard shows the engine's figures for a cycle answered through the real services.

Expected figures are worked out here by hand from ``helpers.PEOPLE`` (who answered
what), and separately by running the engine over the raw stored answers, so the dashboard's
fast path (stored theme scores) is checked against both.
"""

from __future__ import annotations

import statistics

import pandas as pd
import pytest

from partnerlens.directory.models import Role
from partnerlens.enquiries.services.cycles import publish_cycle
from partnerlens.insights import dashboard, data
from partnerlens.insights.analytics import frames, maturity, scores
from partnerlens.insights.analytics.suppression import SuppressionPolicy, published_rows
from partnerlens.insights.charts.text import SUPPRESSED
from partnerlens.insights.loaders.answers import answers_frame
from partnerlens.insights.loaders.questions import themes_frame
from partnerlens.insights.models import InsightSettings
from partnerlens.insights.tests.helpers import (
    SMALL_TEACHER_SCHOOL,
    fill_cycle,
    make_results_framework,
)
from partnerlens.insights.tests.reference import reference_interval


def _purpose(level: int, agreement: int) -> float:
    """A "Clarity of purpose" score: the rubric level (1-4) and the agreement answer (1-5)
    each placed on its own scale, averaged, and reported on the theme's 1-5 scale."""
    return 1 + 4 * ((level - 1) / 3 + (agreement - 1) / 4) / 2


# Each person's "Clarity of purpose" score, by group as in PEOPLE: (count, score).
PURPOSE = {
    "headteacher": [(4, _purpose(4, 5)), (2, _purpose(4, 4))],
    "teacher": [(7, _purpose(2, 3)), (6, _purpose(3, 3)), (2, _purpose(2, 2))],
    "governor": [(5, _purpose(3, 4))],
    "parent": [(10, _purpose(2, 4))],
    "peer_reviewer": [(5, _purpose(2, 3))],
}


def _row(export, **wanted):
    headers = export.headers
    for row in export.rows:
        record = dict(zip(headers, row, strict=True))
        if all(record[k] == v for k, v in wanted.items()):
            return record
    raise AssertionError(f"no row with {wanted}")


def _t_interval(values):
    return (statistics.fmean(values), *reference_interval(values))


@pytest.fixture
def built(filled_cycle):
    return dashboard.build(data.load_cycle(filled_cycle.cycle))


def test_the_partnership_score_and_interval_match_a_hand_computation(built):
    values = [score for groups in PURPOSE.values() for count, score in groups for _ in range(count)]
    mean, low, high = _t_interval(values)
    export = next(e for e in built.exports if e.key == "scores")
    row = _row(
        export, Level="Theme", **{"Theme or dimension": "Clarity of purpose"}, Group="Everyone"
    )
    assert row["Responses"] == 41
    assert row["Mean"] == pytest.approx(mean, abs=1e-3)
    assert row["95% interval from"] == pytest.approx(low, abs=1e-3)
    assert row["95% interval to"] == pytest.approx(high, abs=1e-3)
    assert row["Target"] == 3.0


def test_the_teachers_score_matches_a_hand_computation(built):
    values = [score for count, score in PURPOSE["teacher"] for _ in range(count)]
    mean, low, _high = _t_interval(values)
    export = next(e for e in built.exports if e.key == "scores")
    row = _row(
        export,
        Level="Theme",
        **{"Theme or dimension": "Clarity of purpose"},
        Group="Role",
        Role="Teacher",
    )
    assert (row["Responses"], row["Mean"]) == (15, pytest.approx(mean, abs=1e-3))
    assert row["95% interval from"] == pytest.approx(low, abs=1e-3)


def test_every_theme_figure_equals_the_engine_over_the_raw_answers(filled_cycle, built):
    raw = answers_frame(filled_cycle.cycle)
    themes = frames.validate_themes(themes_frame(filled_cycle.cycle.framework_version))
    everything = scores.breakdown(frames.validate_answers(raw, themes), themes, "theme")
    # Hidden cells of one role in one organisation are left out, like empty ones.
    expected = published_rows(everything)
    concealed = everything["suppressed"] & (everything["group"] == "role_organisation")
    assert concealed.any() and len(expected) == len(everything) - concealed.sum()
    export = next(e for e in built.exports if e.key == "scores")
    shown = [dict(zip(export.headers, r, strict=True)) for r in export.rows]
    shown = [r for r in shown if r["Level"] == "Theme"]
    assert len(shown) == len(expected)
    for row, figures in zip(shown, expected.to_dict("records"), strict=True):
        if figures["suppressed"]:
            assert row["Responses"] == SUPPRESSED
            assert row["Mean"] == SUPPRESSED
        else:
            assert row["Responses"] == figures["n"]
            assert row["Mean"] == pytest.approx(figures["mean"], abs=1e-3)
            assert row["95% interval to"] == pytest.approx(figures["ci_high"], abs=1e-3)


@pytest.mark.parametrize("k", [3, 5, 12, 13, 17, 18, 40])
def test_relationship_levels_from_the_aggregates_equal_those_from_the_raw_answers(filled_cycle, k):
    policy = SuppressionPolicy(k=k, role_k={"parent": max(k, 10)})
    raw = answers_frame(filled_cycle.cycle)
    raw = raw[raw["kind"] == "relationship"]
    stored = data.load_cycle(filled_cycle.cycle)
    assert set(stored.relationship_questions) == set(raw["question_key"]) == {"closeness"}
    from_raw = raw[raw["organisation_id"] != frames.NO_ORGANISATION]
    from_stored = stored.relationships[
        stored.relationships["organisation_id"] != frames.NO_ORGANISATION
    ]
    expected = maturity.relationship_levels(from_raw, policy)
    found = maturity.relationship_levels(from_stored, policy)
    assert len(expected) == 3  # the three pairs of the three schools
    pd.testing.assert_frame_equal(found, expected)
    assert stored.relationship_respondents == {
        "closeness": raw.loc[raw["value"].notna(), "response_id"].nunique()
    }
    assert maturity.partnership_relationship_level(
        stored.relationships, policy, respondents=stored.relationship_respondents["closeness"]
    ) == maturity.partnership_relationship_level(raw, policy)


def test_the_relationship_comparison_above_covers_shown_and_hidden_pairs(filled_cycle):
    """The k values above are chosen around the pairs' sizes, so some pairs show and some
    hide; this keeps that true if the fixture changes."""
    stored = data.load_cycle(filled_cycle.cycle).relationships
    pairs = stored[stored["organisation_id"] != frames.NO_ORGANISATION]
    hidden = {
        k: set(maturity.relationship_levels(pairs, SuppressionPolicy(k=k))["suppressed"])
        for k in (3, 13, 40)
    }
    assert hidden == {3: {False}, 13: {False, True}, 40: {True}}


def test_the_two_teachers_at_one_school_never_appear_with_a_number(built):
    export = next(e for e in built.exports if e.key == "scores")
    rows = [dict(zip(export.headers, r, strict=True)) for r in export.rows]
    hilltop_teachers = [
        r for r in rows if r["Organisation"] == SMALL_TEACHER_SCHOOL and r["Role"] == "Teacher"
    ]
    # A hidden role in one school is left out altogether, like an empty one, so the download
    # does not even say that the cell holds anyone (docs/anonymity.md).
    assert hilltop_teachers == []
    in_schools = [r for r in rows if r["Organisation"] and r["Role"]]
    assert in_schools and all(r["Responses"] != SUPPRESSED for r in in_schools)
    organisations = built.section("organisations").tables[-1].rows
    hilltop = [r for r in organisations if r[0] == SMALL_TEACHER_SCHOOL]
    assert hilltop and all(r[2:] == [SUPPRESSED] * 3 for r in hilltop)


def test_the_summary_names_the_strongest_and_weakest_themes_and_the_response_count(built):
    text = " ".join(built.summary)
    assert 3 <= len(built.summary) <= 5
    assert "41 people responded" in text
    assert "strongest theme is Depth of practice" in text
    assert "weakest is Working with partners" in text
    assert "Of the 2 themes with a target" in text


def test_leaders_rating_far_above_everyone_else_is_called_possible_optimism(built):
    assert "too optimistic" in " ".join(built.summary)
    roles = built.section("roles")
    optimism = next(t for t in roles.tables if t.caption == "Leaders compared with everyone else")
    assert all(row[-1] == "Leaders markedly higher (possible optimism)" for row in optimism.rows)


def test_peer_reviewers_are_compared_with_self_evaluation(built):
    review = built.section("review")
    assert review is not None
    gap_rows = review.tables[1].rows
    assert {(r[1], r[2]) for r in gap_rows} == {("Self-evaluation", "Peer review")}


def test_comments_show_only_for_roles_with_enough_respondents(personas, results_schools):
    version = make_results_framework()
    people = [
        (Role.TEACHER, 0, 6, "embedded", "4", "networking"),
        (Role.GOVERNOR, None, 2, "embedded", "4", "networking"),
        (Role.TEACHER, 1, 5, "embedded", "3", "networking"),
        # Hiding the 2 governors also hides the next smallest role (complementary
        # suppression), so that their comments cannot be told apart by elimination.
        (Role.SUPPORT_STAFF, None, 6, "embedded", "3", "networking"),
    ]
    notes = {Role.TEACHER: "Teacher note", Role.GOVERNOR: "Governor note"}
    cycle = fill_cycle(
        personas["a"], personas["lead_a"], results_schools, version, people, comments=notes
    )
    built = dashboard.build(data.load_cycle(cycle))
    texts = [row[2] for table in built.section("comments").tables for row in table.rows]
    assert len(texts) == 11 and all(t.startswith("Teacher note") for t in texts)
    assert not any("Governor note" in str(v) for e in built.exports for r in e.rows for v in r)


def test_trends_follow_the_questions_across_versions_of_the_framework(personas, results_schools):
    first = make_results_framework("lineage")
    second = make_results_framework(previous=first)
    old = fill_cycle(personas["a"], personas["lead_a"], results_schools, first, title="Autumn")
    new = fill_cycle(personas["a"], personas["lead_a"], results_schools, second, title="Spring")
    assert old.opens_on == new.opens_on  # same day: ordered by creation, as in lineage_cycles
    built = dashboard.build(data.load_cycle(new))
    trends = built.section("trends")
    assert trends is not None and trends.svg.startswith("<svg")
    cycles = {row[1] for row in trends.tables[0].rows}
    assert cycles == {"Autumn", "Spring"}


def test_a_welsh_reader_sees_each_cycle_by_its_welsh_title_in_the_trends(personas, results_schools):
    from django.utils import translation

    first = make_results_framework("lineage")
    second = make_results_framework(previous=first)
    old = fill_cycle(personas["a"], personas["lead_a"], results_schools, first, title="Autumn")
    new = fill_cycle(personas["a"], personas["lead_a"], results_schools, second, title="Spring")
    old.title_cy, new.title_cy = "Hydref", "Gwanwyn"
    old.save(update_fields=["title_cy"])
    new.save(update_fields=["title_cy"])
    with translation.override("cy"):
        trends = dashboard.build(data.load_cycle(new)).section("trends")
    assert {row[1] for row in trends.tables[0].rows} == {"Hydref", "Gwanwyn"}
    assert "Hydref" in trends.svg and "Autumn" not in trends.svg


def test_a_member_sees_no_trend_from_a_cycle_that_is_only_closed(personas, results_schools):
    from partnerlens.directory.access import get_access

    first = make_results_framework("lineage")
    fill_cycle(
        personas["a"], personas["lead_a"], results_schools, first, title="Autumn", publish=False
    )
    new = fill_cycle(personas["a"], personas["lead_a"], results_schools, first, title="Spring")
    states = data.result_cycle_states(get_access(personas["teacher_a"], new.partnership))
    assert data.load_cycle(new, states).cycles["label"].tolist() == ["Spring"]
    states = data.result_cycle_states(get_access(personas["lead_a"], new.partnership))
    assert data.load_cycle(new, states).cycles["label"].tolist() == ["Autumn", "Spring"]


# The other partnerships' people: enough for each theme to be shown, fewer than PEOPLE.
FEWER = [
    (Role.HEADTEACHER, 0, 3, "leading", "4", "collaboration"),
    (Role.TEACHER, 1, 5, "developing", "3", "networking"),
]


def test_benchmarks_need_the_opt_in_and_ten_other_sharing_partnerships(
    personas, results_schools, make_partnership, make_school
):
    from partnerlens.directory.models import Membership

    version = make_results_framework("shared")
    own = fill_cycle(personas["a"], personas["lead_a"], results_schools, version)
    assert dashboard.build(data.load_cycle(own)).section("benchmark").tables == []
    InsightSettings.objects.create(partnership=personas["a"], share_benchmarks=True)
    others = []
    for number in range(10):
        lead = personas["lead_b"] if number == 0 else None
        other = make_partnership(
            f"Other {number}", people={lead: Role.PARTNERSHIP_LEAD} if lead else {}
        )
        schools = [make_school(f"Other {number} school {i}") for i in range(3)]
        for school in schools:
            Membership.objects.create(partnership=other, organisation=school)
        InsightSettings.objects.create(partnership=other, share_benchmarks=number < 9)
        others.append(fill_cycle(other, personas["lead_a"], schools, version, people=FEWER))
    table = dashboard.build(data.load_cycle(own)).section("benchmark").tables[0]
    assert {row[1] for row in table.rows} == {"not enough partnerships to compare"}
    InsightSettings.objects.filter(partnership=others[9].partnership).update(share_benchmarks=True)
    table = dashboard.build(data.load_cycle(own)).section("benchmark").tables[0]
    assert all(row[3] == "10" for row in table.rows)
    positions = {
        "In the lowest quarter",
        "Below the middle",
        "No clear difference",
        "Above the middle",
        "In the top quarter",
    }
    assert all(row[1] in positions for row in table.rows)


def test_a_cycle_without_responses_says_so(personas, results_schools):
    version = make_results_framework()
    cycle = fill_cycle(
        personas["a"], personas["lead_a"], results_schools, version, people=[], publish=False
    )
    publish_cycle(cycle, actor=personas["lead_a"])
    built = dashboard.build(data.load_cycle(cycle))
    assert built.respondents == 0
    assert "nothing to report" in built.summary[0]


def _builtin(slug: str):
    from django.core.management import call_command

    from partnerlens.frameworks.models import FrameworkVersion

    call_command("load_frameworks", verbosity=0)
    return FrameworkVersion.objects.get(framework__slug=slug, framework__owner__isnull=True)


def test_the_self_improving_system_framework_gets_its_twelve_strand_profile(
    personas, results_schools
):
    people = [
        (Role.HEADTEACHER, None, 6, "leading", "5", "collaboration"),
        (Role.TEACHER, None, 8, "developing", "3", "networking"),
    ]
    version = _builtin("self-improving-system")
    cycle = fill_cycle(personas["a"], personas["lead_a"], results_schools, version, people)
    built = dashboard.build(data.load_cycle(cycle))
    profile = built.section("maturity")
    assert profile is not None and 'role="img"' in profile.svg
    rows = profile.tables[0].rows
    assert len(rows) == 12
    # Everyone answers one rubric per strand: 6 at level 4 and 8 at level 2.
    assert {row[3] for row in rows} == {f"{(6 * 4 + 8 * 2) / 14:.2f}"}
    assert built.section("deep_tight") is None


def test_the_deep_and_tight_framework_places_the_partnership_on_the_plane(
    personas, results_schools
):
    people = [
        (Role.HEADTEACHER, None, 6, "leading", "5", "collaboration"),
        (Role.TEACHER, None, 6, "emerging", "3", "networking"),
    ]
    version = _builtin("deep-and-tight")
    cycle = fill_cycle(personas["a"], personas["lead_a"], results_schools, version, people)
    built = dashboard.build(data.load_cycle(cycle))
    plane = built.section("deep_tight")
    assert plane is not None and 'role="img"' in plane.svg
    axes = {row[0]: row[1] for row in plane.tables[0].rows}
    # Six leaders chose the top level (position 1) on every question they were asked and six
    # teachers the bottom one (position 0) on theirs, so both axes sit at the middle.
    assert axes["Depth: sharing of practice"] == "0.50"
    assert axes["Tightness: firmness of shared structures"] == "0.50"
    assert built.section("spectrum") is not None
    assert built.section("maturity") is None


def test_a_cycle_whose_scores_are_all_hidden_says_so_without_saying_why(personas, results_schools):
    # Three teachers: fewer than k, so every theme is hidden. The summary must not claim a
    # reason ("too few answered"): the same words serve a cycle hidden because the invitation
    # list would pin its counts, and no output tells those apart (docs/anonymity.md).
    version = make_results_framework()
    people = [(Role.TEACHER, 0, 3, "embedded", "4", "networking")]
    cycle = fill_cycle(personas["a"], personas["lead_a"], results_schools, version, people)
    text = " ".join(dashboard.build(data.load_cycle(cycle)).summary)
    assert "No theme's score can be shown without putting someone's anonymity at risk." in text
    assert "few" not in text.lower()
