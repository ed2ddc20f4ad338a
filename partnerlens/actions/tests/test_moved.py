"""Which actions moved which figure: published theme scores of the cycles either side of an
action's start (hidden ones stay hidden), and outcome measures of its schools in the
academic years either side."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerlens.actions import movement
from partnerlens.actions.moved import moved_rows
from partnerlens.actions.services.plans import create_action
from partnerlens.directory.models import OutcomeMeasure, Role
from partnerlens.enquiries.models import Cycle
from partnerlens.insights.models import Release
from partnerlens.insights.tests.helpers import PEOPLE, fill_cycle, make_results_framework

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
# The second cycle's people rate "direction" higher (5 where PEOPLE gave 3 or 4).
HAPPIER = [(role, school, n, rubric, "5", rel) for role, school, n, rubric, _a, rel in PEOPLE]
FEW = [(Role.TEACHER, 0, 2, "developing", "3", "networking")]  # too few to show


def published_score(cycle, theme_key):
    release = Release.objects.filter(cycle=cycle).order_by("-number").first()
    [row] = [
        r
        for r in release.tables["theme"]
        if r["group"] == "partnership" and r["theme_key"] == theme_key
    ]
    return row


def dated(cycle, opens, closes):
    Cycle.objects.filter(pk=cycle.pk).update(opens_on=opens, closes_on=closes)


def theme_action(personas, start):
    return create_action(
        personas["a"],
        actor=personas["lead_a"],
        title="Shared aims day",
        start_on=start,
        due_on=start + timedelta(days=30),
        success_kind="theme",
        success_code="purpose",
    )


def test_a_theme_score_before_and_after_the_start_is_the_published_one(client, personas, schools):
    version = make_results_framework()
    first = fill_cycle(personas["a"], personas["lead_a"], schools, version, title="Spring")
    second = fill_cycle(
        personas["a"], personas["lead_a"], schools, version, HAPPIER, title="Autumn"
    )
    dated(first, TODAY - timedelta(days=200), TODAY - timedelta(days=180))
    dated(second, TODAY - timedelta(days=40), TODAY - timedelta(days=30))
    action = theme_action(personas, TODAY - timedelta(days=100))

    [row] = moved_rows(personas["a"])
    before, after = published_score(first, "purpose"), published_score(second, "purpose")
    assert not before["suppressed"] and not after["suppressed"]
    assert row.movement.before == pytest.approx(before["mean"])
    assert row.movement.after == pytest.approx(after["mean"])
    assert row.movement.direction == movement.UP
    assert (row.before_label, row.after_label) == ("Spring", "Autumn")

    client.force_login(personas["teacher_a"])
    page = client.get(reverse("actions:moved", args=[personas["a"].pk])).content.decode()
    assert f'id="moved-{action.pk}"' in page
    assert "not proof" in page and "Rose by" in page


def test_a_hidden_score_stays_hidden(personas, schools):
    version = make_results_framework()
    first = fill_cycle(personas["a"], personas["lead_a"], schools, version, title="Spring")
    small = fill_cycle(personas["a"], personas["lead_a"], schools, version, FEW, title="Small")
    dated(first, TODAY - timedelta(days=200), TODAY - timedelta(days=180))
    dated(small, TODAY - timedelta(days=40), TODAY - timedelta(days=30))
    theme_action(personas, TODAY - timedelta(days=100))
    [row] = moved_rows(personas["a"])
    assert row.movement.after is None
    assert row.movement.direction == movement.HIDDEN, row.movement
    assert row.movement.before is not None


def test_without_a_cycle_after_the_start_there_is_no_answer_yet(personas, schools, published):
    dated(published, TODAY - timedelta(days=200), TODAY - timedelta(days=180))
    theme_action(personas, TODAY - timedelta(days=100))
    [row] = moved_rows(personas["a"])
    assert row.movement.direction == movement.NO_AFTER and row.movement.before is not None


def test_an_outcome_measure_compares_the_actions_schools_in_the_years_either_side(
    personas, schools
):
    rows = {
        schools[0]: {"2022-23": 9.0, "2023-24": 7.0, "2024-25": 6.0},
        schools[1]: {"2022-23": 5.0, "2024-25": 5.5},
        schools[2]: {"2022-23": 20.0, "2024-25": 2.0},  # not the action's school
    }
    for school, values in rows.items():
        for period, value in values.items():
            OutcomeMeasure.objects.create(
                organisation=school, measure="absence.overall_pct", period=period, value=value
            )
    action = create_action(
        personas["a"],
        actor=personas["lead_a"],
        title="Attendance mentors",
        start_on=date(2024, 1, 10),
        due_on=date(2024, 7, 1),
        success_kind="outcome",
        success_code="absence.overall_pct",
    )
    action.schools.set(schools[:2])
    [row] = moved_rows(personas["a"])
    assert (row.before_label, row.after_label) == ("2022-23", "2024-25")
    assert row.movement.before == pytest.approx(7.0)  # (9 + 5) / 2
    assert row.movement.after == pytest.approx(5.75)  # (6 + 5.5) / 2
    assert row.movement.schools == 2
    assert row.movement.direction == movement.DOWN and row.movement.better is True
