"""Thin loaders: querysets in, plain inputs for the audit rule and the matching engine out.

No decisions live here beyond the mapping of directory fields to engine fields; the rules are
in audit.py and engine/, the workflow in services.py.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from django.db.models import Q

from partnerlens.brokerage import audit
from partnerlens.brokerage.engine import (
    Match,
    Need,
    Offer,
    Pair,
    Phase,
    Pin,
    Rules,
    School,
    wgs84_to_bng,
)
from partnerlens.brokerage.models import (
    AreaAssessment,
    Scenario,
    SupportOffer,
    SupportOfferArea,
    SupportRelationship,
    SupportStatus,
)
from partnerlens.core.messages import Message
from partnerlens.directory.models import (
    Membership,
    Organisation,
    OutcomeMeasure,
    Partnership,
    PartnershipKind,
)
from partnerlens.directory.models import Phase as DirectoryPhase

OUTCOME_CODES = (
    audit.ABSENCE_OVERALL,
    audit.ABSENCE_PERSISTENT,
    audit.P8,
    audit.P8_CI_LOW,
    audit.P8_CI_HIGH,
    audit.WALES_CATEGORY,
)
ABSENCE_CODES = (audit.ABSENCE_OVERALL, audit.ABSENCE_PERSISTENT)

ENGINE_PHASE = {
    DirectoryPhase.NURSERY: Phase.NURSERY,
    DirectoryPhase.PRIMARY: Phase.PRIMARY,
    DirectoryPhase.MIDDLE_PRIMARY: Phase.PRIMARY,
    DirectoryPhase.SECONDARY: Phase.SECONDARY,
    DirectoryPhase.MIDDLE_SECONDARY: Phase.SECONDARY,
    DirectoryPhase.ALL_THROUGH: Phase.ALL_THROUGH,
    DirectoryPhase.POST_16: Phase.POST_16,
    DirectoryPhase.SPECIAL: Phase.SPECIAL,
}
# Absence differs a lot by phase (secondary persistent absence runs about 5 points above
# primary), so schools are ranked within a phase group.
PHASE_GROUP = {
    DirectoryPhase.NURSERY: "primary",
    DirectoryPhase.PRIMARY: "primary",
    DirectoryPhase.MIDDLE_PRIMARY: "primary",
    DirectoryPhase.SECONDARY: "secondary",
    DirectoryPhase.MIDDLE_SECONDARY: "secondary",
    DirectoryPhase.ALL_THROUGH: "secondary",
    DirectoryPhase.POST_16: "secondary",
    DirectoryPhase.SPECIAL: "special",
}
SPECIAL_TYPES = ("special", "pupil referral", "alternative provision")


def engine_phase(organisation: Organisation) -> Phase | None:
    """The engine phase of a school; GIAS's "Not applicable" is resolved by type, if it can be."""
    if organisation.phase in ENGINE_PHASE:
        return ENGINE_PHASE[organisation.phase]
    kind = organisation.school_type.lower()
    if any(word in kind for word in SPECIAL_TYPES):
        return Phase.SPECIAL
    return None


def school_key(organisation_id: int) -> str:
    """Engine school id. Prefixed so ids can be told from other numbers in engine messages."""
    return f"s{organisation_id}"


def organisation_id(key: str) -> int:
    return int(key[1:])


def member_schools(partnership: Partnership):
    return Organisation.objects.schools().filter(
        pk__in=partnership.memberships.current().values("organisation_id")
    )


# --- audit inputs --------------------------------------------------------------------------


@dataclass
class OutcomeInputs:
    measures: dict[int, dict[str, tuple[str, float | None, str]]]  # org -> code -> latest
    references: dict[tuple[str, str], dict[str, audit.Reference]]  # (period, group) -> refs
    groups: dict[int, str]

    def references_for(self, organisation_id: int, period: str) -> dict[str, audit.Reference]:
        return self.references.get((period, self.groups[organisation_id]), {})


def outcome_inputs(organisations: Iterable[Organisation]) -> OutcomeInputs:
    """Each school's latest figure per measure, and the absence reference groups.

    The reference group is every school in the database with the same phase group and year,
    so it is the national distribution once a national file is imported (and the imported
    region's otherwise); a group of fewer than audit.MIN_REFERENCE schools falls back to every
    school that year.
    """
    organisations = list(organisations)
    groups = {o.pk: PHASE_GROUP.get(o.phase, "") for o in organisations}
    measures: dict[int, dict[str, tuple[str, float | None, str]]] = defaultdict(dict)
    rows = (
        OutcomeMeasure.objects.filter(organisation__in=[o.pk for o in organisations])
        .filter(measure__in=OUTCOME_CODES)
        .order_by("organisation_id", "measure", "period")
        .values_list("organisation_id", "measure", "period", "value", "value_text")
    )
    for org, code, period, value, text in rows:
        measures[org][code] = (period, value, text)  # later periods overwrite earlier ones
    periods = {m[code][0] for m in measures.values() for code in ABSENCE_CODES if code in m}
    values: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for code, period, phase, value in OutcomeMeasure.objects.filter(
        measure__in=ABSENCE_CODES, period__in=periods, value__isnull=False
    ).values_list("measure", "period", "organisation__phase", "value"):
        values[(period, PHASE_GROUP.get(phase, ""), code)].append(value)
        values[(period, "*", code)].append(value)
    references: dict[tuple[str, str], dict[str, audit.Reference]] = {}
    for period in periods:
        for group in {*groups.values()}:
            chosen = {}
            for code in ABSENCE_CODES:
                own = values.get((period, group, code), []) if group else []
                if len(own) >= audit.MIN_REFERENCE:
                    chosen[code] = audit.Reference.of(own, group)
                elif values.get((period, "*", code)):
                    chosen[code] = audit.Reference.of(values[(period, "*", code)], "*")
            references[(period, group)] = chosen
    return OutcomeInputs(dict(measures), references, groups)


# --- engine inputs -------------------------------------------------------------------------


@dataclass
class Loaded:
    """One scenario as engine input, plus what was left out and why."""

    schools: list[School]
    needs: list[Need]
    offers: list[Offer]
    rules: Rules
    organisations: dict[str, Organisation]
    skipped: list[dict] = field(default_factory=list)  # {school, code, params}
    problems: list[Message] = field(default_factory=list)  # pins that cannot be honoured


def location(organisation: Organisation) -> tuple[float, float] | None:
    if organisation.easting is not None and organisation.northing is not None:
        return float(organisation.easting), float(organisation.northing)
    if organisation.latitude is not None and organisation.longitude is not None:
        easting, northing = wgs84_to_bng(organisation.latitude, organisation.longitude)
        return float(easting), float(northing)
    return None


def _pool(scenario: Scenario) -> list[Organisation]:
    schools = member_schools(scenario.partnership)
    if scenario.la_name:
        schools = schools.filter(la_name__iexact=scenario.la_name)
    if scenario.region:
        schools = schools.filter(region__iexact=scenario.region)
    return list(schools.order_by("name", "pk"))


def _schools(pool: list[Organisation], loaded: Loaded, offers: dict[int, SupportOffer]) -> None:
    # Missing context is filled with the pool's median, so it neither helps nor hurts a pair
    # much; the explanation shows the filled value.
    pupils = [o.pupils for o in pool if o.pupils is not None] or [0]
    fsm = [o.fsm_pct for o in pool if o.fsm_pct is not None] or [0.0]
    median_pupils, median_fsm = int(statistics.median(pupils)), float(statistics.median(fsm))
    for organisation in pool:
        phase, place = engine_phase(organisation), location(organisation)
        if phase is None or place is None:
            code = "skipped.no_location" if place is None else "skipped.no_phase"
            loaded.skipped.append({"school": organisation.name, "code": code, "params": {}})
            continue
        offer = offers.get(organisation.pk)
        key = school_key(organisation.pk)
        loaded.organisations[key] = organisation
        loaded.schools.append(
            School(
                key,
                organisation.name,
                phase,
                place[0],
                place[1],
                pupils=organisation.pupils if organisation.pupils is not None else median_pupils,
                fsm_pct=organisation.fsm_pct if organisation.fsm_pct is not None else median_fsm,
                capacity_total=offer.capacity_total if offer else None,
                max_km=offer.max_km if offer else None,
            )
        )


def build_instance(scenario: Scenario) -> Loaded:
    """The scenario's pool, needs, offers and rules, as the engine takes them.

    - pool: the partnership's current member schools, narrowed by the scenario's LA/region;
      schools without a location or a known phase are left out (listed in `skipped`);
    - needs: audit needs (level 1-3) in the scenario's areas, except those already met by an
      active support relationship;
    - offers: strength = the declared strength, capped by the audit's expertise level (at
      least 1), so a claim counts only as far as evidence supports it; capacities are reduced
      by the school's active support relationships; an offer in an area where the school has a
      significant need itself is left out;
    - exclusions: the scenario's (rejected and excluded pairs), pairs whose earlier support
      ended early, and pairs already in the same other trust; relationships (a bonus): pairs
      that have worked together before; pins: the scenario's.
    """
    partnership = scenario.partnership
    areas = scenario.area_ids()
    pool = _pool(scenario)
    pool_ids = [o.pk for o in pool]
    offers = {
        offer.organisation_id: offer
        for offer in SupportOffer.objects.filter(
            partnership=partnership, organisation_id__in=pool_ids
        ).prefetch_related("areas")
    }
    loaded = Loaded([], [], [], Rules(), {})
    _schools(pool, loaded, offers)
    kept = {organisation_id(s.school_id) for s in loaded.schools}
    names = {o.pk: o.name for o in pool}

    relationships = list(
        SupportRelationship.objects.filter(partnership=partnership)
        .filter(Q(supporter_id__in=kept) | Q(supported_id__in=kept))
        .values_list("supporter_id", "supported_id", "area", "status")
    )
    active = [r for r in relationships if r[3] == SupportStatus.ACTIVE]
    met = {(supported, area) for _, supported, area, _ in active}
    busy_area = defaultdict(int)
    busy_total = defaultdict(int)
    for supporter, _, area, _ in active:
        busy_area[(supporter, area)] += 1
        busy_total[supporter] += 1

    assessments = {
        (a.organisation_id, a.area): a
        for a in AreaAssessment.objects.filter(
            partnership=partnership, organisation_id__in=kept, area__in=areas
        )
    }
    # A scenario for chosen schools matches only their needs; every school may still support.
    needing = kept & set(scenario.focus) if scenario.focus else kept
    _skip_absent_focus(scenario, kept, loaded)
    for (org, area), assessment in sorted(assessments.items()):
        if org in needing and assessment.need_level > 0 and (org, area) not in met:
            loaded.needs.append(Need(school_key(org), area, assessment.need_level))

    for org, offer in sorted(offers.items()):
        if org not in kept:
            continue
        for row in offer.areas.all():
            if row.area not in areas:
                continue
            own = assessments.get((org, row.area))
            if own is not None and own.need_level >= 2:
                loaded.skipped.append(
                    {
                        "school": names[org],
                        "code": "skipped.offer_where_in_need",
                        "params": {"area": row.area},
                    }
                )
                continue
            evidenced = max(1, own.expertise_level if own else 0)
            capacity = max(0, row.capacity - busy_area[(org, row.area)])
            loaded.offers.append(
                Offer(school_key(org), row.area, min(row.strength, evidenced), capacity)
            )
    # capacity_total shrinks by the supports already running.
    loaded.schools = [
        _with_total(s, busy_total[organisation_id(s.school_id)]) for s in loaded.schools
    ]

    exclusions = [
        Pair(school_key(e.school_a_id), school_key(e.school_b_id), e.area or None)
        for e in scenario.exclusions.all()
        if e.school_a_id in kept and e.school_b_id in kept
    ]
    exclusions += [
        Pair(school_key(a), school_key(b))
        for a, b, _, status in relationships
        if status == SupportStatus.ENDED_EARLY and a in kept and b in kept
    ]
    exclusions += _same_trust_pairs(partnership, kept)
    worked_together = {
        frozenset((a, b))
        for a, b, _, status in relationships
        if status != SupportStatus.ENDED_EARLY and a in kept and b in kept
    }
    pins = []
    for pin in scenario.pins.select_related("need_school", "support_school"):
        missing = [o.name for o in (pin.need_school, pin.support_school) if o.pk not in kept]
        if missing:
            values = {
                "support": pin.support_school.name,
                "need": pin.need_school.name,
                "area": pin.area,
                "missing": ", ".join(missing),
            }
            loaded.problems.append(Message("pin.out_of_pool", values))
            continue
        pins.append(
            Pin(school_key(pin.need_school_id), pin.area, school_key(pin.support_school_id))
        )
    loaded.rules = Rules(
        max_km=scenario.max_km,
        areas=areas,
        exclusions=tuple(exclusions),
        relationships=tuple(Pair(*map(school_key, sorted(p))) for p in worked_together),
        pins=tuple(pins),
    )
    return loaded


def _skip_absent_focus(scenario: Scenario, kept: set[int], loaded: Loaded) -> None:
    """Name the focus schools that are not in this run's pool: they left the partnership, or
    the scenario's LA or region leaves them out (those without a location or phase are
    already named)."""
    named = {item["school"] for item in loaded.skipped}
    absent = [org for org in scenario.focus if org not in kept]
    for organisation in Organisation.objects.filter(pk__in=absent).order_by("name", "pk"):
        if organisation.name not in named:
            loaded.skipped.append(
                {"school": organisation.name, "code": "skipped.focus_not_in_pool", "params": {}}
            )


def _with_total(school: School, busy: int) -> School:
    if not busy or school.capacity_total is None:
        return school
    return replace(school, capacity_total=max(0, school.capacity_total - busy))


def _same_trust_pairs(partnership: Partnership, kept: set[int]) -> list[Pair]:
    """Pairs of pool schools that are both in one other trust, which supports them itself.

    The brokering partnership's own membership never excludes (a trust brokers among its
    own schools).
    """
    trusts = defaultdict(list)
    for trust, org in (
        Membership.objects.current()
        .filter(partnership__kind=PartnershipKind.MAT, organisation_id__in=kept)
        .exclude(partnership=partnership)
        .values_list("partnership_id", "organisation_id")
    ):
        trusts[trust].append(org)
    pairs = set()
    for members in trusts.values():
        members.sort()
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pairs.add((a, b))
    return [Pair(school_key(a), school_key(b)) for a, b in sorted(pairs)]


def match_evidence(partnership: Partnership, matches: Sequence[Match]):
    """The audit evidence behind each pair: the need's sources and the supporter's expertise."""
    wanted = {(organisation_id(m.need_school_id), m.area) for m in matches}
    wanted |= {(organisation_id(m.support_school_id), m.area) for m in matches}
    ids = {org for org, _ in wanted}
    rows = {
        (a.organisation_id, a.area): a
        for a in AreaAssessment.objects.filter(partnership=partnership, organisation_id__in=ids)
    }
    declared = {
        (row.offer.organisation_id, row.area): row.strength
        for row in SupportOfferArea.objects.filter(
            offer__partnership=partnership, offer__organisation_id__in=ids
        ).select_related("offer")
    }

    def evidence(m) -> dict:
        need = rows.get((organisation_id(m.need_school_id), m.area))
        support_key = (organisation_id(m.support_school_id), m.area)
        support = rows.get(support_key)
        return {
            "need_sources": need.sources if need else [],
            "expertise_level": support.expertise_level if support else 0,
            "expertise_sources": support.sources if support else [],
            "declared_strength": declared.get(support_key),
        }

    return evidence
