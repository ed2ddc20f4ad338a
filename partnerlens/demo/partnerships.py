"""The demo's people and its three partnerships around real schools from demo/data."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q

from partnerlens.audit import services as audit
from partnerlens.audit.models import AuditEvent
from partnerlens.directory.models import (
    Membership,
    Organisation,
    Partnership,
    PartnershipKind,
    PartnershipRole,
    Role,
)

DEMO_EMAIL = "demo@partnerlens.example"
DEMO_PASSWORD = "partnerlens-demo"  # noqa: S105 - a published demo login, never used in production
BUILT = "demo_built"
CLUSTER_NAME = "Sale Primary Cluster"
WALES_NAME = "Ynys Môn Secondary Network"

COLLEAGUES = (
    # (email, first name, last name, role, which demo partnership)
    ("priya.shah@partnerlens.example", "Priya", "Shah", Role.HEADTEACHER, "cluster"),
    ("tom.evans@partnerlens.example", "Tom", "Evans", Role.TEACHER, "cluster"),
    ("sam.riley@partnerlens.example", "Sam", "Riley", Role.SENIOR_LEADER, "trust"),
    ("grace.okafor@partnerlens.example", "Grace", "Okafor", Role.GOVERNOR, "trust"),
    ("dafydd.jones@partnerlens.example", "Dafydd", "Jones", Role.EXTERNAL_ADVISER, "wales"),
)


def person(email: str, first: str, last: str):
    """The demo account with this email, made once with the demo password (never reset)."""
    user, created = get_user_model().objects.get_or_create(
        username=email, defaults={"email": email, "first_name": first, "last_name": last}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def demo_lead():
    return person(DEMO_EMAIL, "Demo", "Lead")


def give_role(partnership: Partnership, user, role: str, organisation=None) -> None:
    PartnershipRole.objects.get_or_create(
        partnership=partnership,
        user=user,
        role=role,
        ended__isnull=True,
        defaults={"organisation": organisation},
    )


def demo_partnership(name: str, kind: str, purpose: str, schools) -> Partnership:
    """The named partnership (made once) with each of ``schools`` a current member."""
    partnership, _ = Partnership.objects.get_or_create(
        name=name, defaults={"kind": kind, "purpose": purpose}
    )
    existing = set(
        Membership.objects.filter(partnership=partnership, left__isnull=True).values_list(
            "organisation_id", flat=True
        )
    )
    Membership.objects.bulk_create(
        Membership(partnership=partnership, organisation=school, source="demo")
        for school in schools
        if school.pk not in existing
    )
    return partnership


def biggest_trust() -> Partnership | None:
    """The real multi-academy trust with most member schools in the imported data."""
    return (
        Partnership.objects.filter(kind=PartnershipKind.MAT, gias_group_uid__isnull=False)
        .annotate(members=Count("memberships", filter=Q(memberships__left__isnull=True)))
        .filter(members__gte=2)
        .order_by("-members", "name")
        .first()
    )


@transaction.atomic
def build_partnerships() -> list[Partnership]:
    """The trust, the Sale cluster and the Anglesey network, led by the demo user."""
    partnerships: dict[str, Partnership] = {}
    trust = biggest_trust()
    if trust is not None:
        if not trust.purpose:
            trust.purpose = (
                "A multi-academy trust using Partnerlens to show its board what working "
                "together across its schools has changed."
            )
            trust.save(update_fields=["purpose"])
        partnerships["trust"] = trust
    sale = list(
        Organisation.objects.schools()
        .filter(postcode_compact__startswith="M33", phase="primary", la_code="358")
        .order_by("name")[:6]
    )
    if sale:
        partnerships["cluster"] = demo_partnership(
            CLUSTER_NAME,
            PartnershipKind.CLUSTER,
            "Primary schools in Sale, Trafford, sharing work on early reading, "
            "maths mastery and transition to secondary school.",
            sale,
        )
    anglesey = list(
        Organisation.objects.schools()
        .filter(nation="wales", la_name="Isle of Anglesey", phase="secondary")
        .order_by("name")
    )
    if anglesey:
        partnerships["wales"] = demo_partnership(
            WALES_NAME,
            PartnershipKind.NETWORK,
            "Secondary schools on Anglesey (GwE) working together on "
            "bilingual curriculum design and peer review.",
            anglesey,
        )
    lead = demo_lead()
    for partnership in partnerships.values():
        give_role(partnership, lead, Role.PARTNERSHIP_LEAD)
    for email, first, last, role, where in COLLEAGUES:
        if where in partnerships:
            school = partnerships[where].memberships.order_by("organisation__name").first()
            give_role(
                partnerships[where],
                person(email, first, last),
                role,
                school.organisation if school else None,
            )
    audit.record(
        None,
        BUILT,
        None,
        partnerships=[p.pk for p in partnerships.values()],
        by_key={key: p.pk for key, p in partnerships.items()},
    )
    return list(partnerships.values())


def demo_partnerships() -> dict[str, Partnership]:
    """The demo partnerships by key (trust, cluster, wales), as the partnership step left them.

    Found through the step's audit entry, so a partnership the user renamed is still found; one
    the user deleted is simply absent. Entries written before keys were kept fall back to names.
    """
    marker = AuditEvent.objects.filter(verb=BUILT).order_by("-pk").first()
    keyed = (marker.detail.get("by_key") if marker else None) or {}
    if keyed:
        found = Partnership.objects.in_bulk(keyed.values())
        return {key: found[pk] for key, pk in keyed.items() if pk in found}
    named = {"cluster": CLUSTER_NAME, "wales": WALES_NAME}
    result = {
        key: p
        for key, name in named.items()
        if (p := Partnership.objects.filter(name=name).first())
    }
    trust = biggest_trust()
    if trust is not None:
        result["trust"] = trust
    return result
