"""A drop in a theme score, read from published insights releases made by the real
pipeline: the school whose staff rated the partnership lower in the second cycle fires;
a school too small to show (suppressed in the release) never does."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from partnerlens.directory.models import Membership, Role
from partnerlens.enquiries.models import Cycle
from partnerlens.insights.tests.helpers import fill_cycle, make_results_framework
from partnerlens.triggers.loaders import theme_scores
from partnerlens.triggers.models import Indicator
from partnerlens.triggers.services.evaluating import evaluate_partnership

pytestmark = pytest.mark.django_db

# (role, school index, how many, rubric level, agreement answer, relationship level). Cedar's
# two teachers are too few to show, and one more cell is hidden beside them so theirs cannot
# be worked out (the smallest other: Birch's); Ash's eight stay visible.
BEFORE = [
    (Role.TEACHER, 0, 8, "leading", "5", "collaboration"),
    (Role.TEACHER, 1, 6, "embedded", "4", "coordination"),
    (Role.TEACHER, 2, 2, "leading", "5", "collaboration"),  # too few to show
]
AFTER = [
    (Role.TEACHER, 0, 8, "emerging", "1", "networking"),  # fell a long way
    (Role.TEACHER, 1, 6, "embedded", "4", "coordination"),  # as before
    (Role.TEACHER, 2, 2, "emerging", "1", "networking"),  # fell, but hidden
]


@pytest.fixture
def two_cycles(personas, make_school):
    a, lead = personas["a"], personas["lead_a"]
    schools = [make_school(name) for name in ("Ash Primary", "Birch Primary", "Cedar Primary")]
    for school in schools:
        Membership.objects.create(partnership=a, organisation=school)
    version = make_results_framework("theme-drop")
    first = fill_cycle(a, lead, schools, version, BEFORE, title="Spring")
    earlier = timezone.localdate() - timedelta(days=200)
    Cycle.objects.filter(pk=first.pk).update(opens_on=earlier, closes_on=earlier)
    fill_cycle(a, lead, schools, version, AFTER, title="Autumn")
    Indicator.objects.create(
        partnership=a, kind="theme_drop", universal_at=0.3, notify_roles=[Role.PARTNERSHIP_LEAD]
    )
    return {"a": a, "schools": schools}


def test_only_published_unsuppressed_school_means_are_read(two_cycles):
    ash, _birch, cedar = two_cycles["schools"]
    rows = theme_scores(two_cycles["a"], [s.pk for s in two_cycles["schools"]])
    assert cedar.pk not in {row.school_id for row in rows}  # suppressed: never read
    assert len({row.period for row in rows if row.school_id == ash.pk}) == 2


def test_the_school_whose_theme_fell_fires_and_the_steady_one_does_not(two_cycles, smtp_server):
    ash = two_cycles["schools"][0]
    made = evaluate_partnership(two_cycles["a"])
    assert [(t.organisation_id, t.indicator.kind) for t in made] == [(ash.pk, "theme_drop")]
    trigger = made[0]
    assert trigger.value_now < trigger.value_before
    assert trigger.severity == pytest.approx(trigger.value_before - trigger.value_now)
    assert trigger.measure  # the theme that fell furthest
