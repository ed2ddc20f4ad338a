"""A staff admin sees no answers, no free text, no small cells and nobody's completion."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from partnerlens.directory.models import Role
from partnerlens.enquiries.models import Answer
from partnerlens.enquiries.services.cycles import open_cycle
from partnerlens.enquiries.services.responses import start_or_resume_response, submit_response
from partnerlens.enquiries.tests.conftest import answer_everything, link_from

SECRET = "the only SENCo who walked out of the March meeting"


@pytest.fixture
def answered(make_cycle, invite, cluster, smtp_server):
    """An anonymous cycle in which one of two invitees submitted a telling story."""
    cycle = make_cycle("anonymous")
    invite(
        cycle,
        ("ann@example.org", Role.TEACHER, 0, "en"),
        ("bob@example.org", Role.TEACHER, 1, "en"),
    )
    open_cycle(cycle, actor=cluster["lead_a"])
    token = link_from(smtp_server.body(smtp_server.to("ann@example.org")[0]))
    response = start_or_resume_response(token)
    answer_everything(response)
    Answer.objects.filter(response=response, text="Some words").update(text=SECRET)
    submit_response(response, token=token)
    return cycle


def test_no_model_holding_answers_or_small_groups_has_an_admin_screen():
    registered = {m._meta.label for m in admin.site._registry}
    forbidden = {
        "enquiries.Response",
        "enquiries.Answer",
        "enquiries.Reflection",
        "enquiries.ReceiptSet",
        "insights.QuestionStat",
        "insights.ThemeRollup",
        "insights.ResponseThemeScore",
    }
    assert not registered & forbidden
    # Nor through an inline on another screen.
    for model_admin in admin.site._registry.values():
        for inline in model_admin.inlines:
            assert inline.model._meta.label not in forbidden


def test_every_admin_page_keeps_answers_and_completion_out_of_sight(answered, client, admin_user):
    client.force_login(admin_user)
    visited = set()
    for model in admin.site._registry:
        meta = model._meta
        changelist = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        assert changelist.status_code == 200, meta.label
        bodies = [changelist.text]
        first = model.objects.first()
        if first is not None:
            change = client.get(
                reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
            )
            assert change.status_code == 200, meta.label
            bodies.append(change.text)
        for body in bodies:
            assert SECRET not in body, meta.label
            assert "Some words" not in body, meta.label
        visited |= {meta.label} if len(bodies) == 2 else set()
    assert {"enquiries.Cycle", "enquiries.Invitee"} <= visited

    invitee_page = client.get(reverse("admin:enquiries_invitee_changelist"))
    assert "ann@example.org" in invitee_page.text  # who was asked is support's business
    assert "completed" not in invitee_page.text.lower()
    change = client.get(
        reverse("admin:enquiries_invitee_change", args=[answered.invitees.first().pk])
    )
    assert "completed" not in change.text.lower()
    # Nor can a staff member filter invitees by it.
    filtered = client.get(reverse("admin:enquiries_invitee_changelist") + "?completed__exact=0")
    assert filtered.status_code == 400
