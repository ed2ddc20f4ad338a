"""Activities (the time and money the partnership puts in) and the benefits register."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Sum

from partnerlens.actions.codes import BenefitCategory, BenefitState
from partnerlens.actions.models import Activity, Benefit
from partnerlens.audit import verbs
from partnerlens.audit.services import record


def record_activity(partnership, *, actor, schools=(), **fields) -> Activity:
    with transaction.atomic():
        activity = Activity.objects.create(partnership=partnership, created_by=actor, **fields)
        activity.schools.set(schools)
        record(
            actor,
            verbs.ACTIVITY_RECORDED,
            activity,
            partnership_id=partnership.pk,
            kind=activity.kind,
        )
    return activity


def activity_totals(activities) -> dict:
    """How many activities, people-hours and pounds (for the governors' summary)."""
    found = activities.order_by().aggregate(count=Count("pk"), hours=Sum("hours"), cost=Sum("cost"))
    return {
        "count": found["count"] or 0,
        "hours": found["hours"] or Decimal("0"),
        "cost": found["cost"] or Decimal("0"),
    }


def record_benefit(
    partnership, *, actor, category, state, description, description_cy="", evidence=()
) -> Benefit:
    with transaction.atomic():
        benefit = Benefit.objects.create(
            partnership=partnership,
            category=category,
            state=state,
            description=description,
            description_cy=description_cy,
            recorded_by=actor,
        )
        benefit.evidence.set(evidence)
        record(
            actor,
            verbs.BENEFIT_RECORDED,
            benefit,
            partnership_id=partnership.pk,
            category=category,
            state=state,
        )
    return benefit


def register_rows(partnership) -> list[dict]:
    """The register: every category, in order, with the benefits expected and realised."""
    benefits = (
        Benefit.objects.filter(partnership=partnership)
        .select_related("recorded_by")
        .prefetch_related("evidence")
    )
    by_category: dict[str, dict[str, list]] = {
        c: {BenefitState.EXPECTED: [], BenefitState.REALISED: []} for c in BenefitCategory.values
    }
    for benefit in benefits:
        by_category[benefit.category][benefit.state].append(benefit)
    return [
        {
            "code": code,
            "label": label,
            "expected": by_category[code][BenefitState.EXPECTED],
            "realised": by_category[code][BenefitState.REALISED],
        }
        for code, label in BenefitCategory.choices
    ]
