"""The demo's people and its three partnerships around real schools from demo/data.

Partnerships, memberships and roles go through the directory services, so each leaves the
audit entry a person's action would: the demo lead creates the partnerships and adds their
schools, and colleagues join by accepting a role invitation. Two writes bypass the services
(see README.md): the demo lead's own account, and the first lead of the imported trust.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q

from partnerlens.audit import services as audit
from partnerlens.audit import verbs
from partnerlens.demo.mailbox import caught_mail
from partnerlens.demo.models import DemoStep
from partnerlens.directory import services as directory
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
BUILT = "partnerships"
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


def demo_lead():
    """The demo account, made once with the demo password (never reset).

    Bypass: accounts are otherwise only opened by accepting a role invitation, and someone
    has to be the first to send one.
    """
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_EMAIL,
        defaults={"email": DEMO_EMAIL, "first_name": "Demo", "last_name": "Lead"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _invitation_token(partnership: Partnership, lead, email: str, role: str, organisation):
    """Send a role invitation from the lead; the email is caught (nobody reads the demo's)."""
    with caught_mail():
        sent = directory.invite_person(
            partnership, actor=lead, email=email, role=role, organisation=organisation
        )
    return sent.link.rstrip("/").rsplit("/", 1)[-1]


def give_role(partnership: Partnership, lead, email: str, role: str, organisation=None, name=""):
    """The person with ``email`` holds ``role`` in the partnership: invited by the lead, and
    accepted (opening their account with the demo password if they have none)."""
    user = get_user_model().objects.filter(username=email).first()
    held = PartnershipRole.objects.current().filter(partnership=partnership, role=role)
    if user is not None and held.filter(user=user).exists():
        return user
    token = _invitation_token(partnership, lead, email, role, organisation)
    if user is None:
        return directory.create_account_and_accept(token, name=name, password=DEMO_PASSWORD).user
    return directory.accept_invitation(token, user=user).user


def first_lead(partnership: Partnership, lead) -> None:
    """Make the demo user lead of an imported partnership that has no lead yet.

    Bypass: an imported partnership gets its first lead from an administrator; no service
    does it, so the demo writes the role itself, with an audit entry saying so.
    """
    held = PartnershipRole.objects.current().filter(
        partnership=partnership, user=lead, role=Role.PARTNERSHIP_LEAD
    )
    if held.exists():
        return
    role = PartnershipRole.objects.create(
        partnership=partnership, user=lead, role=Role.PARTNERSHIP_LEAD
    )
    audit.record(
        None,
        verbs.ROLE_GRANTED,
        role,
        partnership_id=partnership.pk,
        user_id=lead.pk,
        role=role.role,
        source="demo",
    )


def demo_partnership(
    name: str, kind: str, purpose: str, schools, lead, *, name_cy: str = "", purpose_cy: str = ""
) -> Partnership:
    """The named partnership, created by the lead once, with each of ``schools`` a current
    member (added by the lead)."""
    partnership = Partnership.objects.filter(name=name).order_by("pk").first()
    if partnership is None:
        partnership = directory.create_partnership(
            creator=lead,
            name=name,
            kind=kind,
            purpose=purpose,
            name_cy=name_cy,
            purpose_cy=purpose_cy,
        )
    else:
        first_lead(partnership, lead)
    existing = set(
        Membership.objects.current()
        .filter(partnership=partnership)
        .values_list("organisation_id", flat=True)
    )
    for school in schools:
        if school.pk not in existing:
            directory.add_member(partnership, school, actor=lead)
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
    lead = demo_lead()
    partnerships: dict[str, Partnership] = {}
    trust = biggest_trust()
    if trust is not None:
        first_lead(trust, lead)
        if not trust.purpose:
            directory.update_partnership(
                trust,
                actor=lead,
                purpose=(
                    "A multi-academy trust using Partnerlens to show its board what working "
                    "together across its schools has changed."
                ),
            )
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
            lead,
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
            lead,
            name_cy="Rhwydwaith Uwchradd Ynys Môn",
            purpose_cy="Ysgolion uwchradd Ynys Môn (GwE) yn cydweithio ar gynllunio cwricwlwm "
            "dwyieithog ac ar adolygu gan gymheiriaid.",
        )
    for email, first, last, role, where in COLLEAGUES:
        if where in partnerships:
            school = partnerships[where].memberships.order_by("organisation__name").first()
            give_role(
                partnerships[where],
                lead,
                email,
                role,
                school.organisation if school else None,
                name=f"{first} {last}",
            )
    DemoStep.mark(BUILT, by_key={key: p.pk for key, p in partnerships.items()})
    return list(partnerships.values())


def demo_partnerships() -> dict[str, Partnership]:
    """The demo partnerships by key (trust, cluster, wales), as the partnership step left them.

    Found through the step's marker, so a partnership the user renamed is still found; one the
    user deleted is simply absent.
    """
    keyed = DemoStep.detail_of(BUILT).get("by_key") or {}
    found = Partnership.objects.in_bulk(keyed.values())
    return {key: found[pk] for key, pk in keyed.items() if pk in found}
