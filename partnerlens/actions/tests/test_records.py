"""Activities add up the time and money invested; the benefits register shows every
category with what is expected and realised, and its evidence."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerlens.actions.codes import BenefitCategory
from partnerlens.actions.models import Activity, Benefit, EvidenceItem
from partnerlens.actions.services.records import activity_totals
from partnerlens.audit import verbs
from partnerlens.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def activity(schools, title, hours, cost):
    today = timezone.localdate()
    return {
        "title": title,
        "kind": "cpd",
        "held_on_0": today.day,
        "held_on_1": today.month,
        "held_on_2": today.year,
        "schools": [s.pk for s in schools],
        "hours": hours,
        "cost": cost,
    }


def test_activities_are_recorded_by_the_lead_and_totalled(client, personas, schools):
    url = reverse("actions:activity_add", args=[personas["a"].pk])
    client.force_login(personas["teacher_a"])
    assert client.post(url, activity(schools, "Maths CPD", "12", "150")).status_code == 403
    client.force_login(personas["lead_a"])
    assert client.post(url, activity(schools[:2], "Maths CPD", "12", "150")).status_code == 302
    assert client.post(url, activity([], "Heads' meeting", "7.5", "0.50")).status_code == 302
    refused = client.post(url, activity([], "Negative", "-1", "0"))
    assert refused.status_code == 200 and Activity.objects.count() == 2

    totals = activity_totals(Activity.objects.filter(partnership=personas["a"]))
    assert totals == {"count": 2, "hours": Decimal("19.5"), "cost": Decimal("150.50")}
    page = client.get(reverse("actions:activity_list", args=[personas["a"].pk]))
    html = page.content.decode()
    assert "19.5" in html and "£150.50" in html
    assert AuditEvent.objects.filter(verb=verbs.ACTIVITY_RECORDED).count() == 2
    client.force_login(personas["lead_b"])
    assert client.get(reverse("actions:activity_list", args=[personas["a"].pk])).status_code == 404


def test_the_register_lists_every_category_with_expected_and_realised(client, personas):
    evidence = EvidenceItem.objects.create(
        partnership=personas["a"], kind="note", title="Shared supply pool saved money"
    )
    client.force_login(personas["lead_a"])
    url = reverse("actions:benefit_add", args=[personas["a"].pk])
    realised = {
        "category": "economies",
        "state": "realised",
        "description": "Joint buying of supply cover",
        "evidence": [evidence.pk],
    }
    assert client.post(url, realised).status_code == 302
    expected = {"category": "transition", "state": "expected", "description": "Smoother Y6-7"}
    assert client.post(url, expected).status_code == 302

    page = client.get(reverse("actions:benefits", args=[personas["a"].pk]))
    rows = {row["code"]: row for row in page.context["rows"]}
    assert list(rows) == list(BenefitCategory.values)
    assert [b.description for b in rows["economies"]["realised"]] == [
        "Joint buying of supply cover"
    ]
    assert rows["economies"]["expected"] == []
    assert [b.description for b in rows["transition"]["expected"]] == ["Smoother Y6-7"]
    html = page.content.decode()
    assert "Shared supply pool saved money" in html
    assert "Work with other agencies" in html
    assert Benefit.objects.get(category="economies").evidence.get() == evidence
    assert AuditEvent.objects.filter(verb=verbs.BENEFIT_RECORDED).count() == 2
