"""The leads' pages refuse a POST from anyone who may not make it, and it changes nothing.

Which persona gets which status on every page is in partnerlens/tests/test_personas.py;
here each refused POST carries a form that would have worked for partnership A's lead.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerlens.audit.models import AuditEvent
from partnerlens.enquiries.models import Cycle, Invitee, Reflection


def _dates(prefix: str, day) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


@pytest.fixture
def lead_pages(make_cycle, make_framework, cluster):
    """(url, a form A's lead could post) for each lead page that changes something."""
    cycle = make_cycle()
    prompt = cycle.framework_version.reflection_prompts.get()
    today = timezone.localdate()
    new_cycle = {
        "title": "Autumn review",
        "framework_version": make_framework(slug="autumn").pk,
        **_dates("opens_on", today),
        **_dates("closes_on", today + timedelta(days=14)),
        "anonymity_mode": "anonymous",
        "audience_roles": ["teacher"],
        "audience_organisations": [s.pk for s in cluster["schools"]],
    }
    return {
        "cycle_create": (
            reverse("enquiries:cycle_create", args=[cluster["a"].pk]),
            new_cycle,
        ),
        "invite": (
            reverse("enquiries:invite", args=[cycle.pk]),
            {"rows": "eve@example.org,Eve,Teacher,Northside Primary"},
        ),
        "reflection": (
            reverse("enquiries:reflection", args=[cycle.pk]),
            {f"prompt-{prompt.pk}": "I will chair the steering group."},
        ),
        "open": (reverse("enquiries:cycle_action", args=[cycle.pk, "open"]), {}),
    }


def state() -> tuple:
    return (
        Cycle.objects.count(),
        list(Cycle.objects.order_by("pk").values_list("state", flat=True)),
        Invitee.objects.count(),
        Reflection.objects.count(),
        AuditEvent.objects.changes().count(),  # not sign-ins and refusals
    )


@pytest.mark.parametrize("persona", ["outsider", "lead_b"])
@pytest.mark.parametrize("page", ["cycle_create", "invite", "reflection", "open"])
def test_people_outside_the_partnership_find_nothing_and_change_nothing(
    client, cluster, lead_pages, persona, page
):
    url, form = lead_pages[page]
    before = state()
    client.force_login(cluster[persona])
    assert client.post(url, form).status_code == 404
    assert state() == before


@pytest.mark.parametrize("page", ["cycle_create", "invite", "open"])
def test_a_member_who_does_not_lead_is_refused_and_changes_nothing(
    client, cluster, lead_pages, page
):
    url, form = lead_pages[page]
    before = state()
    client.force_login(cluster["teacher_a"])
    assert client.post(url, form).status_code == 403
    assert state() == before


@pytest.mark.parametrize("page", ["cycle_create", "invite", "reflection", "open"])
def test_the_same_forms_work_for_the_lead(client, cluster, lead_pages, smtp_server, page):
    url, form = lead_pages[page]
    before = state()
    client.force_login(cluster["lead_a"])
    assert client.post(url, form).status_code == 302
    assert state() != before
