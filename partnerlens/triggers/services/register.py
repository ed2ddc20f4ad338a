"""What the register of triggers, the recurring concerns and the heatmap show: read once
per page, with the pure engine's ``recurring`` and ``heatmap`` doing the sums."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from partnerlens.triggers import evaluation as engine
from partnerlens.triggers.loaders import member_schools
from partnerlens.triggers.models import Indicator, Trigger


def triggers_of(partnership):
    return Trigger.objects.filter(partnership=partnership).select_related(
        "indicator", "organisation"
    )


@dataclass(frozen=True)
class Concern:
    school: object
    periods: list[str]
    triggers: list[Trigger]


def recurring_concerns(triggers: list[Trigger]) -> list[Concern]:
    """Schools whose indicators fired in more than one period, most periods first."""
    periods = engine.recurring((t.organisation_id, t.period_now) for t in triggers)
    concerns = []
    for school_id, found in periods.items():
        own = [t for t in triggers if t.organisation_id == school_id]
        concerns.append(Concern(own[0].organisation, found, own))
    return sorted(concerns, key=lambda c: (-len(c.periods), c.school.name))


def register(partnership, *, status: str = "") -> dict:
    today = timezone.localdate()
    every = list(triggers_of(partnership))
    for trigger in every:
        trigger.overdue = trigger.is_overdue(today)
    shown = [t for t in every if not status or t.status == status]
    return {
        "triggers": shown,
        "concerns": recurring_concerns(every),
        "overdue": sum(1 for t in every if t.overdue),
        "total": len(every),
    }


@dataclass(frozen=True)
class Row:
    school: object
    cells: list  # (indicator, engine.Cell) in the columns' order


def heatmap(partnership) -> dict:
    """Member schools x indicators: each cell the highest unresolved tier, the count of
    triggers and whether one is overdue."""
    today = timezone.localdate()
    schools = member_schools(partnership)
    triggers = list(triggers_of(partnership))
    used = {t.indicator_id for t in triggers}
    indicators = [
        indicator
        for indicator in Indicator.objects.filter(partnership=partnership).order_by("kind", "pk")
        if indicator.active or indicator.pk in used
    ]
    cells = engine.heatmap(
        (t.organisation_id, t.indicator_id, t.tier, t.status, t.is_overdue(today)) for t in triggers
    )
    for trigger in triggers:  # a school that has left still shows what it raised
        schools.setdefault(trigger.organisation_id, trigger.organisation)
    empty = engine.Cell(None, 0, False)
    rows = [
        Row(school, [(ind, cells.get((school.pk, ind.pk), empty)) for ind in indicators])
        for school in sorted(schools.values(), key=lambda s: s.name)
    ]
    return {"indicators": indicators, "rows": rows}
