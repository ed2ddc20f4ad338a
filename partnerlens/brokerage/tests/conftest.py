"""Fixtures for the brokerage workflow: a small cluster of real-looking schools with a broker."""

from __future__ import annotations

import pytest

from partnerlens.brokerage.services.offers import declare_offer
from partnerlens.brokerage.services.profiles import adjust_assessment
from partnerlens.brokerage.services.scenarios import create_scenario
from partnerlens.directory.models import Membership, Phase, Role


@pytest.fixture
def cluster(personas, make_user, make_school):
    """Partnership A with a broker, two schools in need and two that can support.

    Grid positions (km east of 400,000 E): Ash 0, Birch 2 (need maths); Cedar 1 and Damson 5
    (offer maths, one school each). A headteacher leads Cedar.
    """
    a = personas["a"]
    broker = make_user("broker_a")
    head_cedar = make_user("head_cedar")
    a.roles.create(user=broker, role=Role.BROKER)

    def school(name, km_east, **extra):
        organisation = make_school(
            name,
            phase=Phase.PRIMARY,
            easting=400_000 + km_east * 1000,
            northing=300_000,
            pupils=300,
            fsm_pct=20.0,
            la_name="Trafford",
            **extra,
        )
        Membership.objects.create(partnership=a, organisation=organisation)
        return organisation

    ash, birch = school("Ash Primary", 0), school("Birch Primary", 2)
    cedar, damson = school("Cedar Primary", 1), school("Damson Primary", 5)
    a.roles.create(user=head_cedar, role=Role.HEADTEACHER, organisation=cedar)
    for needing, level in ((ash, 3), (birch, 2)):
        adjust_assessment(
            a,
            needing,
            "maths",
            need_level=level,
            expertise_level=0,
            reason="Local authority review, spring term",
            actor=broker,
        )
    for supporting in (cedar, damson):
        adjust_assessment(
            a,
            supporting,
            "maths",
            need_level=0,
            expertise_level=3,
            reason="Maths hub lead school",
            actor=broker,
        )
        declare_offer(
            a, supporting, capacity_total=2, max_km=None, areas={"maths": (3, 1)}, actor=broker
        )
    return {
        **personas,
        "broker": broker,
        "head_cedar": head_cedar,
        "ash": ash,
        "birch": birch,
        "cedar": cedar,
        "damson": damson,
    }


@pytest.fixture
def scenario(cluster):
    return create_scenario(
        cluster["a"], name="Maths support 2025", areas=["maths"], max_km=25, actor=cluster["broker"]
    )
