from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
URNS = {100010: "Fitzjohn's Primary", 100011: "Gospel Oak Primary", 100012: "Hampden Primary",
        100013: "Kentish Town Primary"}  # fmt: skip


@pytest.fixture
def camden(personas, make_school, make_user):
    """Partnership A with four Camden schools (the real URNs of tests/data), the
    recommended indicators, and a headteacher for the first school and for another."""
    from partnerlens.directory.models import Membership, PartnershipRole, Role
    from partnerlens.triggers.services.indicators import add_recommended

    a = personas["a"]
    schools = {urn: make_school(name, urn=urn) for urn, name in URNS.items()}
    for school in schools.values():
        Membership.objects.create(partnership=a, organisation=school)
    head = make_user("head_fitzjohns")
    other_head = make_user("head_gospel_oak")
    PartnershipRole.objects.create(
        partnership=a, user=head, role=Role.HEADTEACHER, organisation=schools[100010]
    )
    PartnershipRole.objects.create(
        partnership=a, user=other_head, role=Role.HEADTEACHER, organisation=schools[100011]
    )
    indicators = add_recommended(a, actor=personas["lead_a"])
    return {**personas, "schools": schools, "head": head, "other_head": other_head,
            "indicators": indicators}  # fmt: skip


def import_years(*names):
    from partnerlens.directory.importers.runner import import_file

    for name in names:
        report = import_file(DATA / name)
        assert report.ok, report.failure
