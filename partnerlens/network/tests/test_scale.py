"""A partnership whose scope holds 3,000 schools (six local authorities, 250 public trusts):
the loader reads it in a fixed number of queries, and loading plus the engine take well under
a few seconds (0.35 s measured here on SQLite; the bound is loose for a busy machine)."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from partnerlens.brokerage.models import SupportRelationship
from partnerlens.directory.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipKind,
)
from partnerlens.network import loaders, snapshots

pytestmark = pytest.mark.django_db
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


def test_a_scope_of_3000_schools_loads_in_a_few_queries_and_well_under_seconds(
    django_assert_max_num_queries,
):
    partnership = large_scope()
    started = time.perf_counter()
    with django_assert_max_num_queries(12):
        loaded = loaders.load(partnership, dt.date.today())
    fields = snapshots.build(loaded)
    took = time.perf_counter() - started
    assert loaded.network.n_nodes == SCHOOLS
    assert fields["figures"]["members"] == MEMBERS
    assert len(fields["ties"]) > TRUSTS * PER_TRUST * (PER_TRUST - 1) / 2
    assert took < 5
