"""The demo's relationship cycle: how some of Trafford's schools say they work with each other.

One published cycle of the built-in collaboration-continuum framework in the Trafford
partnership (made by the brokerage step), run like every demo cycle (``cycles.run_cycle``:
create, invite, open, answer, submit, close, publish). Its released levels are the answered
ties of the partnership's network, so this step runs before the network step. Who answers
about whom comes from the real data (trusts on the public register, phases, places); how
each side sees each tie from ``stories.TRAFFORD_VIEWS``. The step runs once
(``RELATIONSHIPS_BUILT``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date

from django.db import transaction

from partnerlens.demo import stories
from partnerlens.demo.builder import BROKERAGE_BUILT
from partnerlens.demo.cycles import CyclePlan, run_cycle
from partnerlens.demo.models import DemoStep
from partnerlens.demo.partnerships import demo_lead
from partnerlens.demo.synthetic import roster
from partnerlens.directory.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipKind,
)
from partnerlens.frameworks.models import Framework

RELATIONSHIPS_BUILT = "relationships"
FRAMEWORK = "collaboration-continuum"
# Trusts and federations share one governance: their schools work together most closely.
ONE_BODY = (PartnershipKind.MAT, PartnershipKind.FEDERATION)


@dataclass(frozen=True)
class Answering:
    """The schools whose people answer (in roster order) and each side's view of its ties:
    {school: {partner: view on the continuum's scores}}."""

    schools: list[int]
    views: dict[int, dict[int, float]]


def _km(a: Organisation, b: Organisation) -> float:
    # Short distances within one borough: a flat projection is close enough to rank them.
    dy = (a.latitude - b.latitude) * 111.0
    dx = (a.longitude - b.longitude) * 111.0 * math.cos(math.radians(a.latitude))
    return math.hypot(dx, dy)


def _nearest(school: Organisation, among: list[Organisation], count: int) -> list[Organisation]:
    return sorted(among, key=lambda other: (_km(school, other), other.name))[:count]


def _trusts(member_ids: set[int]) -> list[list[int]]:
    """The public trusts and federations with two or more of the partnership's members, the
    biggest first: their members, by name."""
    groups: dict[int, list[int]] = {}
    for group, school in (
        Membership.objects.current()
        .filter(
            organisation_id__in=member_ids,
            partnership__gias_group_uid__isnull=False,
            partnership__kind__in=ONE_BODY,
        )
        .order_by("partnership_id", "organisation__name")
        .values_list("partnership_id", "organisation_id")
    ):
        groups.setdefault(group, []).append(school)
    return sorted((g for g in groups.values() if len(g) > 1), key=lambda g: (-len(g), g))


def answering(partnership: Partnership) -> Answering:
    """Who answers about whom in the partnership, from the real data: see ``stories``."""
    members = list(
        Organisation.objects.filter(
            pk__in=Membership.objects.current()
            .filter(partnership=partnership)
            .values("organisation_id"),
            kind=OrganisationKind.SCHOOL,
            latitude__isnull=False,
            longitude__isnull=False,
        ).order_by("name", "pk")
    )
    trusts = _trusts({m.pk for m in members})
    in_trust = {pk for group in trusts for pk in group}
    free = [m for m in members if m.pk not in in_trust]
    secondaries = [m for m in free if m.phase == "secondary"][: stories.TRAFFORD_SECONDARIES]
    primaries = [m for m in free if m.phase == "primary"]
    views: dict[int, dict[int, float]] = {}
    view = stories.TRAFFORD_VIEWS

    def says(own: int, other: int, level: float) -> None:
        views.setdefault(own, {})[other] = level

    order: list[int] = []
    for secondary in secondaries:
        feeders = _nearest(secondary, primaries, 2)
        primaries = [p for p in primaries if p not in feeders]
        order += [secondary.pk, *(f.pk for f in feeders)]
        for number, feeder in enumerate(feeders):
            # The first feeder of each: the secondary sees far more than the primary does.
            ahead, behind = ("sees_more", "sees_less") if number == 0 else ("feeder", "feeder")
            says(secondary.pk, feeder.pk, view[ahead])
            says(feeder.pk, secondary.pk, view[behind])
    for a in secondaries:
        for b in secondaries:
            if a != b:
                says(a.pk, b.pk, view["secondaries"])
    for group in trusts:
        order += group
        for a in group:
            for b in group:
                if a != b:
                    says(a, b, view["same_trust"])
    by_pk = {m.pk: m for m in members}
    outside = [m for m in members if m.pk not in set(order)]
    for pk in order:
        for other in _nearest(by_pk[pk], outside, 1):
            says(pk, other.pk, view["nearest"])
    return Answering(schools=order, views=views)


def _version():
    framework = Framework.objects.builtin().filter(slug=FRAMEWORK).first()
    return framework.latest_published() if framework else None


@transaction.atomic
def build_relationship_demo() -> str:
    """The Trafford partnership's working-relationships cycle, summer 2026, published."""
    lead = demo_lead()
    trafford = DemoStep.detail_of(BROKERAGE_BUILT).get("partnership")
    partnership = Partnership.objects.filter(pk=trafford).first() if trafford else None
    version = _version()
    found = answering(partnership) if partnership and version else None
    if found is None or not found.schools:
        DemoStep.mark(RELATIONSHIPS_BUILT)
        return "no Trafford partnership or framework, so no relationship cycle"
    schools = len(found.schools)
    people = roster(
        found.schools,
        {role: n * schools for role, n in stories.TRAFFORD_TIES_PER_SCHOOL.items()},
        first_names=stories.ENGLISH_FIRST,
        surnames=stories.ENGLISH_SURNAMES,
        domain="trafford-schools.example",
        seed=161,
        non_responders=stories.TRAFFORD_TIES_SILENT,
    )
    plan = CyclePlan(
        title="Working relationships, summer 2026",
        title_cy="Perthnasoedd gwaith, haf 2026",
        opens_on=date(2026, 6, 15),
        closes_on=date(2026, 7, 3),
        people=people,
        story=replace(stories.TRAFFORD_TIES, relationships=found.views),
        seed=162,
    )
    cycle = run_cycle(partnership, version, plan, actor=lead)
    DemoStep.mark(RELATIONSHIPS_BUILT, cycle=cycle.pk)
    answered = cycle.responses.submitted().count()
    return (
        f'{partnership.name}: "{cycle.title}" published, {answered} synthetic responses from '
        f"{schools} schools about their working relationships"
    )
