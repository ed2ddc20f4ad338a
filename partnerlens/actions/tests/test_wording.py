"""Changing the wording of evidence, activities and benefits after they are recorded: a lead
adds the Welsh or corrects the English, an action's owner does so for evidence tagged to
their action, nobody else may, another partnership's record is not found, and only the texts
that changed are written, with an audit entry naming them."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partnerlens.actions.models import Activity, Benefit, EvidenceItem
from partnerlens.actions.services.evidence import add_evidence
from partnerlens.actions.services.plans import create_action
from partnerlens.actions.services.records import record_activity, record_benefit
from partnerlens.actions.services.wording import change_benefit_texts, change_evidence_texts
from partnerlens.actions.tests.conftest import PDF
from partnerlens.audit import verbs
from partnerlens.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
MISSING = "partnerlens-welsh-missing"


@pytest.fixture
def records(personas, schools):
    """A's action (owned by its teacher), a document tagged to it, a note tagged to nothing,
    an activity and a benefit: all in English only."""
    a, lead = personas["a"], personas["lead_a"]
    action = create_action(
        a,
        actor=lead,
        title="Shared moderation",
        owner=personas["teacher_a"],
        due_on=TODAY + timedelta(days=30),
    )
    activity = record_activity(
        a,
        actor=lead,
        schools=schools[:2],
        title="Heads' meeting",
        kind="meeting",
        held_on=TODAY,
        hours=Decimal("6.0"),
        cost=Decimal("40.00"),
        notes="Termly",
    )
    document = add_evidence(
        a,
        actor=lead,
        kind="document",
        title="Moderation notes",
        themes=["purpose"],
        upload=SimpleUploadedFile("notes.pdf", PDF),
        content_type="application/pdf",
        actions=[action],
        activities=[activity],
    )
    note = add_evidence(a, actor=lead, kind="note", title="Staff survey", text="Most agreed")
    benefit = record_benefit(
        a,
        actor=lead,
        category="cpd",
        state="realised",
        description="Less travel",
        evidence=[document],
    )
    return {
        "action": action,
        "activity": activity,
        "document": document,
        "note": note,
        "benefit": benefit,
    }


def url(name, partnership, record) -> str:
    key = {"evidence_edit": "item_pk", "activity_edit": "activity_pk"}.get(name, "benefit_pk")
    return reverse(f"actions:{name}", kwargs={"pk": partnership.pk, key: record.pk})


def snapshot(record) -> dict:
    """Every column and link of a record but its texts, to show they did not move."""
    texts = {"title", "title_cy", "text", "text_cy", "notes", "notes_cy"}
    texts |= {"description", "description_cy"}
    row = {f.attname: getattr(record, f.attname) for f in record._meta.concrete_fields}
    for name in ("schools", "actions", "activities", "evidence"):
        if hasattr(record, name):
            row[name] = sorted(getattr(record, name).values_list("pk", flat=True))
    return {k: str(v) for k, v in row.items() if k not in texts}


def test_a_lead_adds_the_welsh_of_evidence_and_nothing_else_on_it_changes(
    client, personas, records
):
    item = records["document"]
    before = snapshot(item)
    client.force_login(personas["lead_a"])
    page = client.get(url("evidence_edit", personas["a"], item))
    assert page.status_code == 200
    assert page.context["form"].initial["title"] == "Moderation notes"
    assert 'name="title_cy"' in page.text and 'lang="cy"' in page.text
    assert MISSING in page.text  # beside the blank Welsh title

    response = client.post(
        url("evidence_edit", personas["a"], item),
        {"title": "Moderation notes", "title_cy": "Nodiadau cymedroli", "text": ""},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#evidence-{item.pk}")
    item.refresh_from_db()
    assert (item.title, item.title_cy) == ("Moderation notes", "Nodiadau cymedroli")
    assert snapshot(item) == before
    assert default_storage.exists(item.file.name)  # the document is still there


def test_a_lead_corrects_an_activity_and_a_benefit_in_both_languages(client, personas, records):
    activity, benefit = records["activity"], records["benefit"]
    before = snapshot(activity), snapshot(benefit)
    client.force_login(personas["lead_a"])
    client.post(
        url("activity_edit", personas["a"], activity),
        {
            "title": "Heads’ meeting",
            "title_cy": "Cyfarfod y penaethiaid",
            "notes": "Every term",
            "notes_cy": "Bob tymor",
        },
    )
    client.post(
        url("benefit_edit", personas["a"], benefit),
        {"description": "Less time travelling", "description_cy": "Llai o amser yn teithio"},
    )
    activity.refresh_from_db()
    benefit.refresh_from_db()
    assert (activity.title, activity.title_cy, activity.notes, activity.notes_cy) == (
        "Heads’ meeting",
        "Cyfarfod y penaethiaid",
        "Every term",
        "Bob tymor",
    )
    assert (benefit.description, benefit.description_cy) == (
        "Less time travelling",
        "Llai o amser yn teithio",
    )
    assert (snapshot(activity), snapshot(benefit)) == before
    assert activity.hours == Decimal("6.0") and activity.cost == Decimal("40.00")


def test_the_audit_entry_names_the_fields_that_changed_and_who_changed_them(
    client, personas, records
):
    client.force_login(personas["lead_a"])
    client.post(
        url("activity_edit", personas["a"], records["activity"]),
        {"title": "Heads' meeting", "title_cy": "Cyfarfod y penaethiaid", "notes": "Termly"},
    )
    event = AuditEvent.objects.get(verb=verbs.ACTIVITY_CHANGED)
    assert event.detail["fields"] == ["title_cy"]
    assert event.partnership_id == personas["a"].pk
    assert event.actor_id == personas["lead_a"].pk
    assert (event.object_type, event.object_id) == ("Activity", str(records["activity"].pk))


def test_saving_the_same_words_writes_nothing_and_records_nothing(client, personas, records):
    benefit = records["benefit"]
    client.force_login(personas["lead_a"])
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            url("benefit_edit", personas["a"], benefit), {"description": "Less travel"}
        )
    assert response.status_code == 302
    assert not [q for q in queries if q["sql"].startswith('UPDATE "actions_benefit"')]
    assert not AuditEvent.objects.filter(verb=verbs.BENEFIT_CHANGED).exists()


def test_only_the_changed_texts_are_written(personas, records):
    item = records["note"]
    with CaptureQueriesContext(connection) as queries:
        changed = change_evidence_texts(
            item, actor=personas["lead_a"], title="Staff survey", text_cy="Cytunodd y rhan fwyaf"
        )
    assert changed == ["text_cy"]
    updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "actions_evidenceitem"')]
    assert len(updates) == 1
    assert '"text_cy"' in updates[0] and '"title"' not in updates[0]
    assert AuditEvent.objects.get(verb=verbs.EVIDENCE_CHANGED).detail["fields"] == ["text_cy"]


def test_the_service_changes_words_only(personas, records):
    with pytest.raises(TypeError, match="state"):
        change_benefit_texts(records["benefit"], actor=personas["lead_a"], state="expected")
    assert Benefit.objects.get().state == "realised"


def test_a_note_keeps_its_text_in_english(client, personas, records):
    client.force_login(personas["lead_a"])
    page = client.post(
        url("evidence_edit", personas["a"], records["note"]),
        {"title": "Staff survey", "text": "", "text_cy": "Cytunodd y rhan fwyaf"},
    )
    assert page.status_code == 200 and "Enter the note or case study" in page.text
    assert EvidenceItem.objects.get(pk=records["note"].pk).text == "Most agreed"


def test_a_teacher_is_refused_and_nothing_changes(client, personas, records):
    client.force_login(personas["teacher_a"])
    for name, record, body in (
        ("activity_edit", records["activity"], {"title": "Changed by a teacher"}),
        ("benefit_edit", records["benefit"], {"description": "Changed by a teacher"}),
        ("evidence_edit", records["note"], {"title": "Changed by a teacher"}),
    ):
        assert client.get(url(name, personas["a"], record)).status_code == 403
        assert client.post(url(name, personas["a"], record), body).status_code == 403
    assert Activity.objects.get().title == "Heads' meeting"
    assert Benefit.objects.get().description == "Less travel"
    assert EvidenceItem.objects.get(pk=records["note"].pk).title == "Staff survey"
    assert not AuditEvent.objects.filter(verb__endswith=".changed").exists()


def test_an_actions_owner_changes_the_wording_of_evidence_tagged_to_it(client, personas, records):
    item, action = records["document"], records["action"]
    client.force_login(personas["teacher_a"])  # owns the action the document is tagged to
    address = url("evidence_edit", personas["a"], item) + f"?action={action.pk}"
    response = client.post(address, {"title": "Moderation notes", "title_cy": "Nodiadau"})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "actions:action_detail", args=[personas["a"].pk, action.pk]
    )
    assert EvidenceItem.objects.get(pk=item.pk).title_cy == "Nodiadau"


def test_another_partnerships_record_is_not_found(client, personas, records):
    client.force_login(personas["lead_b"])
    b = personas["b"]
    for name, record, body in (
        ("evidence_edit", records["document"], {"title": "Renamed by B"}),
        ("activity_edit", records["activity"], {"title": "Renamed by B"}),
        ("benefit_edit", records["benefit"], {"description": "Renamed by B"}),
    ):
        assert client.get(url(name, b, record)).status_code == 404  # through B's own address
        assert client.post(url(name, b, record), body).status_code == 404
        assert client.post(url(name, personas["a"], record), body).status_code == 404
    assert EvidenceItem.objects.get(pk=records["document"].pk).title == "Moderation notes"
    assert Activity.objects.get().title == "Heads' meeting"
    assert Benefit.objects.get().description == "Less travel"


def test_each_welsh_missing_tag_has_a_change_link_naming_its_record(client, personas, records):
    a = personas["a"]
    client.force_login(personas["lead_a"])
    activities = client.get(reverse("actions:activity_list", args=[a.pk])).text
    link = url("activity_edit", a, records["activity"])
    assert (
        f'<a class="govuk-link govuk-body-s" href="{link}" id="change-activity-'
        f'{records["activity"].pk}">Change<span class="govuk-visually-hidden"> '
        "Heads&#x27; meeting</span></a>"
    ) in activities
    benefits = client.get(reverse("actions:benefits", args=[a.pk])).text
    assert url("benefit_edit", a, records["benefit"]) in benefits
    assert '<span class="govuk-visually-hidden"> Less travel</span>' in benefits
    evidence = client.get(reverse("actions:evidence_list", args=[a.pk])).text
    for item in (records["document"], records["note"]):
        assert f'id="change-evidence-{item.pk}"' in evidence
    detail = client.get(reverse("actions:action_detail", args=[a.pk, records["action"].pk]))
    assert url("evidence_edit", a, records["document"]) + f"?action={records['action'].pk}" in (
        detail.text
    )


def test_members_who_may_not_change_a_record_see_no_change_link(client, personas, records):
    a = personas["a"]
    client.force_login(personas["teacher_a"])
    activities = client.get(reverse("actions:activity_list", args=[a.pk])).text
    benefits = client.get(reverse("actions:benefits", args=[a.pk])).text
    assert "change-activity-" not in activities and "change-benefit-" not in benefits
    evidence = client.get(reverse("actions:evidence_list", args=[a.pk])).text
    # the owner of the action the document is tagged to may change it; not the untagged note
    assert f'id="change-evidence-{records["document"].pk}"' in evidence
    assert f'id="change-evidence-{records["note"].pk}"' not in evidence
