"""A partnership whose scope holds 3,000 schools in six local authorities, 250 public trusts
of 8 and 30 support pairs: for ``test_scale.py`` (queries) and ``bench/network_service.py``
(time and memory of the path the task and the pages run)."""

from __future__ import annotations

from partnerlens.brokerage.models import SupportRelationship
from partnerlens.directory.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipKind,
)

SCHOOLS, TRUSTS, PER_TRUST, MEMBERS = 3000, 250, 8, 60


def large_scope() -> Partnership:
    Organisation.objects.bulk_create(
        Organisation(
            kind=OrganisationKind.SCHOOL,
            name=f"School {i}",
            la_code=str(300 + i % 6),
            la_name=f"Authority {i % 6}",
        )
        for i in range(SCHOOLS)
    )
    ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    Partnership.objects.bulk_create(
        Partnership(name=f"Trust {t}", kind=PartnershipKind.MAT, gias_group_uid=10_000 + t)
        for t in range(TRUSTS)
    )
    trusts = Partnership.objects.filter(gias_group_uid__isnull=False).order_by("pk")
    Membership.objects.bulk_create(
        Membership(partnership=trust, organisation_id=ids[(t * PER_TRUST + k) % SCHOOLS])
        for t, trust in enumerate(trusts)
        for k in range(PER_TRUST)
    )
    partnership = Partnership.objects.create(name="Big cluster", kind=PartnershipKind.CLUSTER)
    # Every 49th school: members in all six authorities.
    Membership.objects.bulk_create(
        Membership(partnership=partnership, organisation_id=ids[i * 49]) for i in range(MEMBERS)
    )
    SupportRelationship.objects.bulk_create(
        SupportRelationship(
            partnership=partnership,
            supporter_id=ids[i * 49],
            supported_id=ids[i * 49 + 49],
            area="leadership",
        )
        for i in range(MEMBERS // 2)
    )
    return partnership
