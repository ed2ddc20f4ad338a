"""The demo, step by step: frameworks, enquiry cycles with their results, and brokerage.

Each step runs once. It owns its transaction and ends by writing its marker (a ``DemoStep``),
so a second ``load_demo`` skips it in one query and never touches what the user has changed
since; a step that fails leaves no marker and nothing half-built, and runs again next time.
Every write goes through the owning app's services, as a person's actions would (the few
exceptions are listed in README.md).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from partnerlens.brokerage.models import AreaAssessment, Decision, ProposedMatch
from partnerlens.brokerage.services.matches import accept_match
from partnerlens.brokerage.services.offers import declare_offer
from partnerlens.brokerage.services.profiles import derive_assessments
from partnerlens.brokerage.services.scenarios import create_scenario, run_scenario
from partnerlens.brokerage.services.support import record_progress
from partnerlens.demo import stories
from partnerlens.demo.cycles import CyclePlan, run_cycle
from partnerlens.demo.models import DemoStep
from partnerlens.demo.partnerships import demo_lead, demo_partnership
from partnerlens.demo.synthetic import roster
from partnerlens.directory.models import (
    Membership,
    Organisation,
    Partnership,
    PartnershipKind,
)
from partnerlens.enquiries.models import AnonymityMode, Cycle
from partnerlens.enquiries.services import reflections
from partnerlens.frameworks.models import Framework, FrameworkVersion
from partnerlens.frameworks.services.versions import (
    flex_framework,
    load_builtin_frameworks,
    publish_version,
)

FRAMEWORKS_BUILT = "frameworks"
ENQUIRIES_BUILT = "enquiries"
BROKERAGE_BUILT = "brokerage"

TRAFFORD_NAME = "Trafford School Improvement Partnership"
TRAFFORD_FILE = Path("trafford_schools") / "trafford_schools_and_colleges_2023-04-27.csv"
BROKERED_AREAS = ("leadership", "curriculum", "behaviour_attendance")


@dataclass(frozen=True)
class Built:
    """What a step made, in words for the command's one-line summary."""

    summary: str


# --- frameworks ------------------------------------------------------------------------------


def sale_framework(cluster: Partnership) -> FrameworkVersion | None:
    """The cluster's own published partnership-quality framework, if the demo made one."""
    framework = (
        Framework.objects.filter(owner=cluster, based_on__framework__slug="partnership-quality")
        .order_by("pk")
        .first()
    )
    return framework.latest_published() if framework else None


@transaction.atomic
def build_frameworks(partnerships: dict[str, Partnership]) -> Built:
    """The built-in frameworks, and the Sale cluster's flexed, published partnership-quality."""
    lead = demo_lead()
    load_builtin_frameworks()
    made = ""
    cluster = partnerships.get("cluster")
    base = Framework.objects.builtin().filter(slug="partnership-quality").first()
    if cluster is not None and base is not None and sale_framework(cluster) is None:
        draft = flex_framework(
            cluster,
            base.latest_published(),
            theme_keys=stories.SALE_THEMES,
            targets=stories.SALE_TARGETS,
            weights=stories.SALE_WEIGHTS,
            actor=lead,
            name_en="Partnership quality: Sale cluster",
            name_cy="Ansawdd y bartneriaeth: clwstwr Sale",
        )
        publish_version(draft, actor=lead)
        made = f'; {cluster.name} flexed and published "{draft.framework.name_en}"'
    DemoStep.mark(FRAMEWORKS_BUILT)
    count = Framework.objects.builtin().count()
    return Built(f"{count} built-in frameworks{made}")


# --- enquiries and insights ------------------------------------------------------------------


def _schools(partnership: Partnership) -> list[int]:
    return list(
        Membership.objects.current()
        .filter(partnership=partnership, organisation__kind="school")
        .order_by("organisation__name")
        .values_list("organisation_id", flat=True)
    )


def _sale_plans(cluster: Partnership) -> list[CyclePlan]:
    schools = _schools(cluster)
    plans = []
    for number, (term, story, opens_on, closes_on) in enumerate(
        [
            ("spring", stories.SALE_SPRING, date(2026, 3, 2), date(2026, 3, 20)),
            ("autumn", stories.SALE_AUTUMN, date(2026, 10, 5), date(2026, 10, 23)),
        ]
    ):
        people = roster(
            schools,
            stories.SALE_INVITED[term],
            first_names=stories.ENGLISH_FIRST,
            surnames=stories.ENGLISH_SURNAMES,
            domain="sale-cluster.example",
            seed=2026 + number,
            non_responders=stories.SALE_SILENT[term],
        )
        plans.append(
            CyclePlan(
                title=f"Partnership review, {term} 2026",
                opens_on=opens_on,
                closes_on=closes_on,
                people=people,
                story=story,
                seed=20260 + number,
            )
        )
    return plans


def _reflect(lead, cycle: Cycle) -> None:
    texts = {
        prompt.pk: stories.SALE_REFLECTIONS[prompt.key]
        for prompt in reflections.prompts_for(lead, cycle)
        if prompt.key in stories.SALE_REFLECTIONS
    }
    if texts:
        reflections.save_reflections(lead, cycle, texts)


def _builtin(slug: str) -> FrameworkVersion | None:
    framework = Framework.objects.builtin().filter(slug=slug).first()
    return framework.latest_published() if framework else None


@transaction.atomic
def build_enquiry_demo(partnerships: dict[str, Partnership]) -> Built:
    """Published cycles with synthetic respondents: two in Sale (spring and autumn 2026, on
    the cluster's own framework), one on Anglesey (partly in Welsh), one in the trust."""
    lead = demo_lead()
    made: list[Cycle] = []
    cluster = partnerships.get("cluster")
    version = sale_framework(cluster) if cluster else None
    if version is not None:
        for plan in _sale_plans(cluster):
            made.append(run_cycle(cluster, version, plan, actor=lead))
        _reflect(lead, made[-1])
    wales, version = partnerships.get("wales"), _builtin("self-improving-system")
    if wales is not None and version is not None:
        people = roster(
            _schools(wales),
            stories.YNYS_MON_INVITED,
            first_names=stories.WELSH_FIRST,
            surnames=stories.WELSH_SURNAMES,
            domain="rhwydwaith-ynys-mon.example",
            seed=1284,
            welsh_share=0.65,
            non_responders=stories.YNYS_MON_SILENT,
        )
        plan = CyclePlan(
            title="Self-improving system review, 2026",
            title_cy="Adolygiad system hunanwella, 2026",
            opens_on=date(2026, 6, 8),
            closes_on=date(2026, 6, 26),
            people=people,
            story=stories.YNYS_MON,
            seed=1283,
            anonymity_mode=AnonymityMode.ANONYMOUS,
        )
        made.append(run_cycle(wales, version, plan, actor=lead))
    trust, version = partnerships.get("trust"), _builtin("deep-and-tight")
    if trust is not None and version is not None:
        people = roster(
            _schools(trust),
            stories.TRUST_INVITED,
            first_names=stories.ENGLISH_FIRST,
            surnames=stories.ENGLISH_SURNAMES,
            domain="trust-schools.example",
            seed=77,
            non_responders=stories.TRUST_SILENT,
        )
        plan = CyclePlan(
            title="Deep and tight, summer 2026",
            opens_on=date(2026, 5, 11),
            closes_on=date(2026, 5, 29),
            people=people,
            story=stories.TRUST,
            seed=78,
            anonymity_mode=AnonymityMode.NAMED,
        )
        made.append(run_cycle(trust, version, plan, actor=lead))
    DemoStep.mark(ENQUIRIES_BUILT, cycles=[c.pk for c in made])
    responses = sum(c.responses.count() for c in made)
    return Built(
        f"{len(made)} published cycle{'' if len(made) == 1 else 's'} with {responses} "
        "synthetic responses"
    )


# --- brokerage -------------------------------------------------------------------------------


def trafford_urns(data_dir: Path) -> list[int]:
    path = data_dir / TRAFFORD_FILE
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            int(row["unique_reference_number"])
            for row in csv.DictReader(handle)
            if row.get("unique_reference_number", "").strip().isdigit()
        ]


def _offers(partnership: Partnership) -> dict[int, dict[str, tuple[int, int]]]:
    """What each school with a strong record offers: {school: {area: (strength, capacity)}}.

    Schools whose outcome data shows good expertise (level 2) somewhere offer in every area
    the data shows them doing well, never where they have a significant need of their own;
    capacity 2 where the record is strong, else 1.
    """
    needy = set(
        AreaAssessment.objects.filter(partnership=partnership, need_level__gte=2).values_list(
            "organisation_id", flat=True
        )
    )
    rows = AreaAssessment.objects.filter(
        partnership=partnership, expertise_level__gte=1, area__in=BROKERED_AREAS
    ).exclude(organisation_id__in=needy)
    evidenced: dict[int, dict[str, int]] = {}
    for row in rows.order_by("organisation__name", "area"):
        evidenced.setdefault(row.organisation_id, {})[row.area] = row.expertise_level
    return {
        school: {area: (level, 2 if level >= 2 else 1) for area, level in areas.items()}
        for school, areas in evidenced.items()
        if max(areas.values()) >= 2
    }


@transaction.atomic
def build_brokerage_demo(data_dir: Path) -> Built:
    """The Trafford partnership: audit profiles from real outcome data, offers, one scenario
    run, one match accepted and under way with a progress note. The demo user, its lead,
    brokers it."""
    lead = demo_lead()
    schools = list(Organisation.objects.filter(urn__in=trafford_urns(data_dir)).order_by("name"))
    if not schools:
        DemoStep.mark(BROKERAGE_BUILT)
        return Built("no Trafford schools in the data, so no brokerage demo")
    partnership = demo_partnership(
        TRAFFORD_NAME,
        PartnershipKind.LA_PARTNERSHIP,
        "Trafford's schools and the local authority brokering school-to-school support: "
        "schools with a strong record help schools that need it, close to home.",
        schools,
        lead,
    )
    # The demo user brokers as its lead (a lead may broker). The Broker role itself would call
    # for two-factor sign-in, which `make run` keeps out of the way (docs/decisions.md).
    derive_assessments(partnership, actor=lead)
    places = {o.pk: o for o in schools}
    offers = _offers(partnership)
    for school_id, areas in offers.items():
        secondary = places[school_id].phase in ("secondary", "all_through")
        declare_offer(
            partnership,
            places[school_id],
            capacity_total=2 if len(areas) > 1 else 1,
            max_km=15.0 if secondary else 10.0,
            areas=areas,
            actor=lead,
        )
    scenario = create_scenario(
        partnership,
        name="Autumn 2026 support round",
        areas=list(BROKERED_AREAS),
        max_km=15.0,
        actor=lead,
    )
    run = run_scenario(scenario, actor=lead)
    proposals = list(run.matches.order_by("-severity", "-score", "pk"))
    supported = ""
    if proposals:
        started = timezone.localdate() - timedelta(days=42)
        relationship = accept_match(proposals[0], actor=lead, started_on=started)
        record_progress(
            relationship,
            text=(
                "First joint meeting held. The two heads agreed three things to work on this "
                "term, and the supporting school's lead will visit every fortnight. Early "
                "signs are good: staff at both schools are keen."
            ),
            noted_on=started + timedelta(days=21),
            actor=lead,
        )
        supported = f"; {relationship.supporter.name} supports {relationship.supported.name}"
    DemoStep.mark(BROKERAGE_BUILT, partnership=partnership.pk)
    pending = ProposedMatch.objects.filter(run=run, decision=Decision.PENDING).count()
    return Built(
        f"{partnership.name}: {len(schools)} schools, {len(offers)} offers, "
        f"{len(proposals)} proposed matches ({pending} to review){supported}"
    )
