"""One small world with something at every address of every app, for the project-wide
tests of who may reach what (``test_personas.py``) and what each page costs
(``test_query_counts.py``).

Everything is made through the apps' own services, as a person would make it. Partnership
A ("Northside Cluster") has a lead, a teacher (the plain member), a broker and a
headteacher; B ("Southside Trust") has its own lead and one person in every other role a
person can hold (``B_PEOPLE``), and a draft framework, a scenario and a draft cycle with an
invitee of its own, so an address can join B's objects to one of A's (``test_tenancy.py``).
Besides them: an outsider with no role anywhere, a member of staff (``is_staff``, no role)
and a superuser.
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from partnerlens.actions.tests import world as actions_world
from partnerlens.api.services import create_token
from partnerlens.brokerage.models import SupportRelationship
from partnerlens.brokerage.services.matches import exclude_pair, pin_match
from partnerlens.brokerage.services.offers import declare_offer
from partnerlens.brokerage.services.profiles import adjust_assessment
from partnerlens.brokerage.services.scenarios import create_scenario, run_scenario
from partnerlens.directory.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipKind,
    PartnershipRole,
    Phase,
    Role,
)
from partnerlens.directory.services import invite_person
from partnerlens.enquiries.invitee_files import InviteeRow
from partnerlens.enquiries.services.cycles import create_cycle, open_cycle
from partnerlens.enquiries.services.invitees import create_open_link, invite_people
from partnerlens.enquiries.services.responses import start_or_resume_response
from partnerlens.frameworks.services.versions import flex_framework, publish_version
from partnerlens.impact import own_measures
from partnerlens.impact.tests import world_estimates as impact_world
from partnerlens.insights.tests.helpers import fill_cycle, make_results_framework
from partnerlens.network.services import compute_snapshot
from partnerlens.triggers.tests import world as triggers_world

# The personas, in the order of the columns of test_personas.EXPECTED.
PERSONAS = ("anonymous", "outsider", "member", "lead", "lead_b", "broker", "staff", "superuser")
# Partnership B's people, one in each role (world key -> role); lead_b is its lead.
B_PEOPLE = {
    ("lead_b" if role == Role.PARTNERSHIP_LEAD else f"b_{role}"): role for role in Role.values
}
# Who answers the published cycle (as insights.tests.helpers.PEOPLE): two teachers at Ash.
ANSWERING = [(Role.TEACHER, 0, 2, "developing", "3", "networking")]
# Mail in memory, and background tasks (the published cycle's release) run at once.
LOCMEM = override_settings(
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    TASKS_ENQUEUE_ON_COMMIT=False,
)


def _user(username: str, **flags):
    # No password: tests sign in with force_login, and hashing one costs 0.1 s a person.
    return get_user_model().objects.create(
        username=username, email=f"{username}@example.org", **flags
    )


def _school(
    name: str, km_east: int, urn: int, la_code: str = "358", la_name: str = "Trafford"
) -> Organisation:
    return Organisation.objects.create(
        kind=OrganisationKind.SCHOOL,
        name=name,
        urn=urn,
        phase=Phase.PRIMARY,
        easting=400_000 + km_east * 1000,
        northing=300_000,
        pupils=300,
        fsm_pct=20.0,
        la_code=la_code,  # A's and B's in different areas: neither network holds the other's
        la_name=la_name,
    )


def _partnership(name: str, people: dict, schools) -> Partnership:
    partnership = Partnership.objects.create(name=name, kind=PartnershipKind.CLUSTER)
    for user, (role, organisation) in people.items():
        PartnershipRole.objects.create(
            partnership=partnership, user=user, role=role, organisation=organisation
        )
    for school in schools:
        Membership.objects.create(partnership=partnership, organisation=school)
    return partnership


def _brokerage(a: Partnership, lead, schools) -> dict:
    """Two schools in need of maths support, two offering it; a run with a pin, an
    exclusion, and a support relationship."""
    ash, birch, cedar, damson = schools
    for school, need, expertise in ((ash, 3, 0), (birch, 2, 0), (cedar, 0, 3), (damson, 0, 3)):
        adjust_assessment(
            a,
            school,
            "maths",
            need_level=need,
            expertise_level=expertise,
            reason="Local authority review",
            actor=lead,
        )
    for school in (cedar, damson):
        declare_offer(a, school, capacity_total=2, max_km=None, areas={"maths": (3, 1)}, actor=lead)
    scenario = create_scenario(a, name="Maths support", areas=["maths"], max_km=25, actor=lead)
    run = run_scenario(scenario, actor=lead)
    proposal = run.matches.get(need_school=ash)
    pin = pin_match(proposal, actor=lead)
    exclusion = exclude_pair(run.matches.get(need_school=birch), actor=lead)
    support = SupportRelationship.objects.create(
        partnership=a,
        supporter=cedar,
        supported=birch,
        area="english",
        started_on=timezone.localdate(),
    )
    return {
        "scenario": scenario,
        "proposal": proposal,
        "pin": pin,
        "exclusion": exclusion,
        "support": support,
    }


def _enquiry(a: Partnership, lead, schools, version) -> dict:
    """An open cycle with one invited teacher who has started, and an open link."""
    today = timezone.localdate()
    cycle = create_cycle(
        a,
        actor=lead,
        framework_version=version,
        title="Spring review",
        opens_on=today,
        closes_on=today + timedelta(days=21),
        anonymity_mode="confidential",
        audience_roles=[Role.TEACHER],
        audience_organisations=schools,
    )
    row = InviteeRow(2, "ann@example.org", "Ann", Role.TEACHER, schools[0], "en")
    invite_people(cycle, [row], actor=lead)
    mail.outbox = []
    open_cycle(cycle, actor=lead)
    token = re.search(r"/enquiries/r/([A-Za-z0-9_-]+)/", mail.outbox[-1].body).group(1)
    start_or_resume_response(token)
    return {
        "open_cycle": cycle,
        "token": token,
        "open_link_token": create_open_link(cycle, actor=lead),
    }


def _southside(b: Partnership, people: dict, south: Organisation, base) -> dict:
    """B's own draft framework, scenario, and draft cycle with one invitee."""
    lead = people["lead_b"]
    today = timezone.localdate()
    cycle = create_cycle(
        b,
        actor=lead,
        framework_version=base,
        title="Southside survey",
        opens_on=today,
        closes_on=today + timedelta(days=21),
        anonymity_mode="confidential",
        audience_roles=[Role.TEACHER],
        audience_organisations=[south],
    )
    row = InviteeRow(2, "bea@example.org", "Bea", Role.TEACHER, south, "en")
    invite_people(cycle, [row], actor=lead)
    return {
        "b_draft": flex_framework(b, base, theme_keys=["purpose"], actor=lead, slug="theirs"),
        "b_scenario": create_scenario(
            b, name="Southside maths", areas=["maths"], max_km=25, actor=lead
        ),
        "b_cycle": cycle,
    }


def build() -> dict:
    """The world: personas by name, both partnerships and an object for every address."""
    people = {
        "outsider": _user("outsider"),
        "member": _user("teacher_a"),
        "lead": _user("lead_a"),
        "lead_b": _user("lead_b"),
        "broker": _user("broker_a"),
        "head": _user("head_cedar"),
        "staff": _user("helpdesk", is_staff=True),
        "superuser": _user("root", is_staff=True, is_superuser=True),
    }
    schools = [
        _school(name, km, 910_001 + n)
        for n, (name, km) in enumerate(
            [("Ash Primary", 0), ("Birch Primary", 2), ("Cedar Primary", 1), ("Damson Primary", 5)]
        )
    ]
    south = _school("Southside Academy", 40, 910_101, la_code="356", la_name="Stockport")
    lead = people["lead"]
    a = _partnership(
        "Northside Cluster",
        {
            lead: (Role.PARTNERSHIP_LEAD, None),
            people["member"]: (Role.TEACHER, schools[0]),
            people["broker"]: (Role.BROKER, None),
            people["head"]: (Role.HEADTEACHER, schools[2]),
        },
        schools,
    )
    for key, role in B_PEOPLE.items():
        people.setdefault(key, _user(f"{role}_b"))
    b = _partnership(
        "Southside Trust",
        {
            people[key]: (role, None if role == Role.PARTNERSHIP_LEAD else south)
            for key, role in B_PEOPLE.items()
        },
        [south],
    )
    base = make_results_framework("persona-results")
    draft = flex_framework(a, base, theme_keys=["purpose", "practice"], actor=lead, slug="ours")
    published = publish_version(
        flex_framework(a, base, theme_keys=["purpose"], actor=lead, slug="ours-short")
    )
    with LOCMEM:
        invitation = invite_person(a, actor=lead, email="new.head@example.org", role=Role.GOVERNOR)
        enquiry = _enquiry(a, lead, schools, base)
        results = fill_cycle(a, lead, schools, base, ANSWERING, title="Autumn review")
        southside = _southside(b, people, south, base)
    return {
        **people,
        "a": a,
        "b": b,
        "schools": schools,
        "membership": Membership.objects.get(partnership=a, organisation=schools[0]),
        "teacher_role": PartnershipRole.objects.get(partnership=a, role=Role.TEACHER),
        "invitation_token": invitation.link.rstrip("/").rsplit("/", 1)[-1],
        "base": base,
        "draft": draft,
        "published": published,
        "question": draft.questions_for()[0],
        "results_cycle": results,
        "api_token": create_token(a, actor=lead, name="Trust dashboard").token,
        **enquiry,
        **_brokerage(a, lead, schools),
        **southside,
        **_own_measure(a, lead, schools),
        **impact_world.build(a, lead, schools),
        **_triggers(a, lead, schools),
        **actions_world.build(a, lead, people["member"], schools),
        **_network(a, b),
    }


def _own_measure(a: Partnership, lead, schools) -> dict:
    """A measure of A's own with one figure (impact's panel and own-measure pages)."""
    measure = own_measures.create_measure(
        a, name="Northside reading age", unit="months", higher_is_better=True, actor=lead
    )
    figure = own_measures.Figure(2, schools[0], "2024-25", 101.5, 28)
    own_measures.save_figures(measure, [figure], actor=lead)
    return {"own_measure": measure}


def _triggers(a: Partnership, lead, schools) -> dict:
    """A's early-warning indicators and a trigger at Ash Primary (triggers' pages)."""
    with LOCMEM:
        return triggers_world.build(a, lead, schools)


def _network(a: Partnership, b: Partnership) -> dict:
    """Both partnerships' networks as they stand, after everything above (network's pages)."""
    return {"network": compute_snapshot(a), "b_network": compute_snapshot(b)}
