"""``manage.py load_demo``: the demo ``make run`` serves, built from the real data in demo/data.

Safe to run every time. Each data file is imported once (an audit entry records its
checksum); the demo partnerships and people are made once (an audit entry marks it), so a
second run takes about a second and keeps whatever the user has changed since.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count, Q

from partnerlens.audit import services as audit
from partnerlens.audit.models import AuditEvent
from partnerlens.directory.importers.reading import read_table
from partnerlens.directory.importers.registry import load_order, recognise
from partnerlens.directory.importers.runner import import_file
from partnerlens.directory.models import (
    Membership,
    Organisation,
    Partnership,
    PartnershipKind,
    PartnershipRole,
    Role,
)

DEMO_DATA = Path(settings.BASE_DIR) / "demo" / "data"
DEMO_EMAIL = "demo@partnerlens.example"
DEMO_PASSWORD = "partnerlens-demo"  # noqa: S105 - a published demo login, never used in production
BUILT = "demo_built"

COLLEAGUES = (
    # (email, first name, last name, role, which demo partnership)
    ("priya.shah@partnerlens.example", "Priya", "Shah", Role.HEADTEACHER, "cluster"),
    ("tom.evans@partnerlens.example", "Tom", "Evans", Role.TEACHER, "cluster"),
    ("sam.riley@partnerlens.example", "Sam", "Riley", Role.SENIOR_LEADER, "trust"),
    ("grace.okafor@partnerlens.example", "Grace", "Okafor", Role.GOVERNOR, "trust"),
    ("dafydd.jones@partnerlens.example", "Dafydd", "Jones", Role.EXTERNAL_ADVISER, "wales"),
)


def demo_files() -> list[Path]:
    """The demo CSV files in the order their formats load (registers before figures)."""
    found = []
    for path in sorted(DEMO_DATA.glob("*/*.csv")):
        fmt = recognise(set(read_table(path).columns))
        if fmt is not None:
            found.append((load_order(fmt.name), str(path), path))
    return [path for _, _, path in sorted(found)]


def already_imported(path: Path) -> bool:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return AuditEvent.objects.filter(verb="data_imported", detail__sha256=digest).exists()


def person(email: str, first: str, last: str):
    user, created = get_user_model().objects.get_or_create(
        username=email, defaults={"email": email, "first_name": first, "last_name": last}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


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
    for school in schools:
        Membership.objects.get_or_create(
            partnership=partnership,
            organisation=school,
            left__isnull=True,
            defaults={"source": "demo"},
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
def build_demo() -> list[Partnership]:
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
            "Sale Primary Cluster",
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
            "Ynys Môn Secondary Network",
            PartnershipKind.NETWORK,
            "Secondary schools on Anglesey (GwE) working together on "
            "bilingual curriculum design and peer review.",
            anglesey,
        )
    lead = person(DEMO_EMAIL, "Demo", "Lead")
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
    audit.record(None, BUILT, None, partnerships=[p.pk for p in partnerships.values()])
    return list(partnerships.values())


class Command(BaseCommand):
    help = "Import the real data in demo/data (once) and build the demo partnerships (once)."

    def handle(self, *args, **options):
        imported, failed = [], []
        for path in demo_files():
            if already_imported(path):
                continue
            report = import_file(path, progress=True)
            (imported if report.ok else failed).append(report)
            if not report.ok:
                self.stderr.write(report.summary())
        if imported:
            self.stdout.write(
                f"Demo data: imported {len(imported)} real data "
                f"file{'' if len(imported) == 1 else 's'} "
                f"({Organisation.objects.count():,} organisations, "
                f"{Partnership.objects.count():,} partnerships)."
            )
        elif not failed:
            self.stdout.write("Demo data: already loaded.")
        if failed:
            raise CommandError(
                f"{len(failed)} demo data file{'' if len(failed) == 1 else 's'} could not be "
                "imported (reasons above); the demo partnerships were not built."
            )
        if AuditEvent.objects.filter(verb=BUILT).exists():
            self.stdout.write("Demo partnerships: already set up (your changes are kept).")
            return
        built = build_demo()
        self.stdout.write(
            f"Demo partnerships: {', '.join(p.name for p in built)}; {DEMO_EMAIL} leads them all."
        )
