"""A partnership with something in every part of the summary, each figure chosen so the
totals can be worked out by hand in the tests (``build``)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import numpy as np
import pytest
from django.utils import timezone

from partnerlens.actions.models import Action
from partnerlens.actions.services.plans import create_action
from partnerlens.actions.services.records import record_activity, record_benefit
from partnerlens.directory.models import Membership, PartnershipRole, Role
from partnerlens.impact.analytics import did, synthetic
from partnerlens.impact.estimates import stored_result
from partnerlens.impact.models import Estimate
from partnerlens.triggers.models import Indicator, Trigger

MEASURE = "ks2.rwm_exp_pct"
OTHER_MEASURE = "ks2.mat_progress"


def finished_estimate(partnership, lead, ids, *, effect=0.3, seed=5, measure=MEASURE):
    """A finished estimate whose result comes from the real engine on a simulated panel."""
    frame, treated, comparison, start = synthetic.panel(
        np.random.default_rng(seed), 8, 40, effect=effect, first_year=2015
    )
    result = did.estimate(
        frame, treated, comparison, start, pupil_sd=1.0, attainment=True, measure=measure
    )
    return Estimate.objects.create(
        partnership=partnership,
        measure=measure,
        start_year=start,
        schools=ids,
        created_by=lead,
        status=result.status,
        result=stored_result(result, {"pooled": False, "suppressed": 0, "cohort_known": True}),
        estimated_at=timezone.now(),
    )


@pytest.fixture
def summary_world(personas, make_school, make_user):
    a, lead = personas["a"], personas["lead_a"]
    second, third = make_school("Riverside Infants"), make_school("Hilltop High")
    for school in (second, third):
        Membership.objects.create(partnership=a, organisation=school)
    schools = [personas["school_a"], second, third]
    governor = make_user("governor_a")
    PartnershipRole.objects.create(partnership=a, user=governor, role=Role.GOVERNOR)
    today = timezone.localdate()

    # Time and money: 12 + 7.5 + 3 = 22.5 people-hours, 150 + 0.50 + 40 = £190.50.
    record_activity(
        a, actor=lead, schools=schools[:2], title="Maths CPD", kind="cpd",
        held_on=today, hours=Decimal("12"), cost=Decimal("150"),
    )  # fmt: skip
    record_activity(
        a, actor=lead, title="Heads' meeting", kind="meeting",
        held_on=today, hours=Decimal("7.5"), cost=Decimal("0.50"),
    )  # fmt: skip
    record_activity(
        a, actor=lead, schools=[second], title="Writing moderation", kind="cpd",
        held_on=today, hours=Decimal("3"), cost=Decimal("40"),
    )  # fmt: skip
    # B's activity must count nowhere in A's summary.
    record_activity(
        personas["b"], actor=personas["lead_b"], title="Southside only", kind="cpd",
        held_on=today, hours=Decimal("100"), cost=Decimal("999"),
    )  # fmt: skip

    # Actions: planned (overdue), under way (not yet due), done (past due, so not overdue).
    for title, status, due in (
        ("Overdue plan", Action._meta.get_field("status").default, today - timedelta(days=3)),
        ("Reading buddies", "under_way", today + timedelta(days=30)),
        ("Finished", "done", today - timedelta(days=1)),
    ):
        create_action(
            a, actor=lead, title=title, owner=lead, start_on=today - timedelta(days=40),
            due_on=due, status=status,
        )  # fmt: skip

    # Triggers: two targeted (one open past its deadline), one intensive resolved.
    indicator = Indicator.objects.create(
        partnership=a, kind="attendance_fall", targeted_at=1.0, intensive_at=3.0,
        notify_roles=[Role.PARTNERSHIP_LEAD],
    )  # fmt: skip
    for school, tier, status, deadline, period in (
        (schools[0], "targeted", "open", today - timedelta(days=2), "2024-25"),
        (schools[1], "targeted", "acknowledged", today - timedelta(days=2), "2024-25"),
        (schools[2], "intensive", "resolved", today - timedelta(days=9), "2024-25"),
    ):
        Trigger.objects.create(
            partnership=a, indicator=indicator, organisation=school, tier=tier,
            period_before="2023-24", period_now=period, value_before=4.0, value_now=6.0,
            severity=2.0, deadline=deadline, status=status,
        )  # fmt: skip

    # Benefits: 2 expected (standards, CPD), 1 realised (CPD).
    for category, state in (("standards", "expected"), ("cpd", "expected"), ("cpd", "realised")):
        record_benefit(a, actor=lead, category=category, state=state, description="Said so")

    ids = [school.pk for school in schools]
    older = finished_estimate(a, lead, ids, effect=0.0, seed=9)
    older.created_at = timezone.now() - timedelta(days=10)
    older.save(update_fields=["created_at"])
    latest = finished_estimate(a, lead, ids)
    not_enough = Estimate.objects.create(
        partnership=a, measure=OTHER_MEASURE, start_year=2018, schools=ids, created_by=lead,
        status=Estimate.Status.NOT_ENOUGH_DATA,
        result={"reasons": ["too_few_years_before"], "treated": 3, "comparison": 0,
                "registration": "not_registered", "effect": 9.87, "ci_low": 1.0,
                "ci_high": 2.0},
    )  # fmt: skip
    pending = Estimate.objects.create(
        partnership=a, measure="absence.overall_pct", start_year=2018, schools=ids,
        created_by=lead,
    )  # fmt: skip
    return {
        **personas,
        "schools": schools,
        "governor": governor,
        "older": older,
        "latest": latest,
        "not_enough": not_enough,
        "pending": pending,
    }
