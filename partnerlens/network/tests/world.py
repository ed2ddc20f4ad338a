"""A small named world for the network's tests (``network_world`` in conftest.py).

Partnership A (Northside Cluster, an informal cluster) has three member schools in
Manchester (LA 352) and a youth club; Lonely Primary is an open Manchester school outside it,
Closed Primary closed in 2020, and Faraway Primary is in another authority. Bridge Academy
Trust, a public GIAS group (a multi-academy trust), joined Hilltop High and Lonely Primary in
September 2021. Partnership B (Southside Trust, private) also holds Lonely Primary and
Riverside Infants, with a support relationship of its own between them: A must never see it.

A's published cycle asks how closely each member works with each partner: five heads at
Northside say collaboration, five at Riverside say networking, two teachers at Hilltop say
collaboration (too few to show on their own: k is 5).
"""

from __future__ import annotations

import datetime as dt

from partnerlens.brokerage.models import DEFAULT_AREAS, SupportRelationship
from partnerlens.directory.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipKind,
    PartnershipRole,
    Role,
)
from partnerlens.insights.tests.helpers import fill_cycle, make_results_framework

MANCHESTER = {"la_code": "352", "la_name": "Manchester"}
TRUST_JOINED = dt.date(2021, 9, 1)
SUPPORT_STARTED = dt.date(2024, 1, 8)
PEOPLE = [
    (Role.HEADTEACHER, 0, 5, "leading", "5", "collaboration"),
    (Role.HEADTEACHER, 1, 5, "leading", "5", "networking"),
    (Role.TEACHER, 2, 2, "developing", "3", "collaboration"),
]


def build(personas, make_school, make_user, *, answered: bool = True) -> dict:
    a, b = personas["a"], personas["b"]
    northside = personas["school_a"]
    Organisation.objects.filter(pk=northside.pk).update(**MANCHESTER)
    northside.refresh_from_db()
    riverside = make_school("Riverside Infants", **MANCHESTER)
    hilltop = make_school("Hilltop High", **MANCHESTER)
    lonely = make_school("Lonely Primary", **MANCHESTER)
    make_school("Closed Primary", close_date=dt.date(2020, 8, 31), **MANCHESTER)
    faraway = make_school("Faraway Primary", la_code="999", la_name="Elsewhere")
    club = Organisation.objects.create(kind=OrganisationKind.COMMUNITY, name="Riverside Youth Club")
    for member in (riverside, hilltop, club):
        Membership.objects.create(partnership=a, organisation=member)

    trust = Partnership.objects.create(
        name="Bridge Academy Trust", kind=PartnershipKind.MAT, gias_group_uid=4001
    )
    for member in (hilltop, lonely, faraway):
        Membership.objects.create(partnership=trust, organisation=member, joined=TRUST_JOINED)

    for member in (lonely, riverside):
        Membership.objects.create(partnership=b, organisation=member)
    area = DEFAULT_AREAS[0]
    SupportRelationship.objects.create(
        partnership=b, supporter=lonely, supported=riverside, area=area
    )
    SupportRelationship.objects.create(
        partnership=a,
        supporter=northside,
        supported=riverside,
        area=area,
        started_on=SUPPORT_STARTED,
    )
    broker = make_user("broker_a")
    PartnershipRole.objects.create(partnership=a, user=broker, role=Role.BROKER)
    schools = [northside, riverside, hilltop]
    cycle = None
    if answered:
        cycle = fill_cycle(
            a, personas["lead_a"], schools, make_results_framework("network-test"), PEOPLE
        )
    return {
        **personas,
        "northside": northside,
        "riverside": riverside,
        "hilltop": hilltop,
        "lonely": lonely,
        "faraway": faraway,
        "club": club,
        "trust": trust,
        "broker": broker,
        "cycle": cycle,
    }
