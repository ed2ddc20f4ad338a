"""The evidence log: notes, links and documents; uploads checked by content and kept
through Django's storage; downloads only for the partnership's people, never cached; a
storage that fails is explained, never a 500."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from partnerlens.actions.models import EvidenceItem
from partnerlens.actions.services.plans import create_action
from partnerlens.actions.tests.conftest import PDF, UNREACHABLE_STORAGE
from partnerlens.audit import verbs
from partnerlens.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(personas):
    return create_action(
        personas["a"],
        actor=personas["lead_a"],
        title="Peer review of writing",
        owner=personas["teacher_a"],
        due_on=timezone.localdate() + timedelta(days=20),
    )


def document(name="review.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def post_document(client, personas, action, **extra):
    url = reverse("actions:evidence_add", args=[personas["a"].pk])
    data = {
        "kind": "document",
        "title": "Review report",
        "file": document(),
        "actions": [action.pk],
    }
    return client.post(url, data | extra)


def test_a_document_is_kept_through_storage_and_downloaded_by_members_only(
    client, personas, action
):
    client.force_login(personas["lead_a"])
    response = post_document(client, personas, action)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/{action.pk}/")  # back to the action
    item = EvidenceItem.objects.get()
    assert item.content_type == "application/pdf" and item.size == len(PDF)
    assert item.filename == "review.pdf" and "review" not in item.file.name  # a random name
    assert default_storage.open(item.file.name).read() == PDF
    assert list(item.actions.all()) == [action]
    assert AuditEvent.objects.filter(verb=verbs.EVIDENCE_ADDED, object_id=str(item.pk)).exists()

    url = reverse("actions:evidence_download", args=[personas["a"].pk, item.pk])
    client.force_login(personas["teacher_a"])
    download = client.get(url)
    assert download.status_code == 200 and download.content == PDF
    assert "no-store" in download["Cache-Control"]
    assert download["Content-Disposition"] == 'attachment; filename="review.pdf"'
    assert AuditEvent.objects.filter(verb=verbs.EXPORT_DOWNLOADED).count() == 1

    client.force_login(personas["lead_b"])
    assert client.get(url).status_code == 404
    mixed = reverse("actions:evidence_download", args=[personas["b"].pk, item.pk])
    assert client.get(mixed).status_code == 404


def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_kept(client, personas, action):
    client.force_login(personas["lead_a"])
    response = post_document(client, personas, action, file=document("minutes.docx", PDF))
    assert response.status_code == 200
    assert "The file’s content is not the type its name says it is" in response.content.decode()
    assert not EvidenceItem.objects.exists()


def test_a_storage_that_fails_is_explained_not_a_500(client, personas, action, settings):
    client.force_login(personas["lead_a"])
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": UNREACHABLE_STORAGE}}
    response = post_document(client, personas, action)
    assert response.status_code == 200
    assert "The document could not be kept just now" in response.content.decode()
    assert not EvidenceItem.objects.exists()


def test_a_file_that_cannot_be_read_back_says_so(client, personas, action, settings):
    client.force_login(personas["lead_a"])
    post_document(client, personas, action)
    item = EvidenceItem.objects.get()
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": UNREACHABLE_STORAGE}}
    response = client.get(reverse("actions:evidence_download", args=[personas["a"].pk, item.pk]))
    assert response.status_code == 503
    assert "could not be read from storage" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_the_owner_adds_evidence_to_their_own_action_only(client, personas, action):
    other = create_action(
        personas["a"], actor=personas["lead_a"], title="Not theirs", due_on=action.due_on
    )
    client.force_login(personas["teacher_a"])
    page = client.get(reverse("actions:evidence_add", args=[personas["a"].pk]))
    assert list(page.context["form"].fields["actions"].queryset) == [action]
    assert post_document(client, personas, other).status_code == 200  # not a choice for them
    untagged = post_document(client, personas, action, actions=[])
    assert "Select the action this evidence is for" in untagged.content.decode()
    assert not EvidenceItem.objects.exists()
    assert post_document(client, personas, action).status_code == 302
    client.force_login(personas["lead_b"])
    assert client.get(reverse("actions:evidence_add", args=[personas["a"].pk])).status_code == 404


def test_a_member_who_owns_nothing_may_not_add_evidence(client, personas, action, make_user):
    from partnerlens.directory.models import PartnershipRole, Role

    governor = make_user("governor_a")
    PartnershipRole.objects.create(partnership=personas["a"], user=governor, role=Role.GOVERNOR)
    client.force_login(governor)
    assert client.get(reverse("actions:evidence_add", args=[personas["a"].pk])).status_code == 403
    assert client.get(reverse("actions:evidence_list", args=[personas["a"].pk])).status_code == 200


def test_notes_and_links_are_tagged_and_filtered(client, personas, action, published):
    client.force_login(personas["lead_a"])
    url = reverse("actions:evidence_add", args=[personas["a"].pk])
    note = {
        "kind": "case_study",
        "title": "Astudiaeth achos",
        "text": "Disgyblion yn ffynnu",
        "themes": ["purpose"],
    }
    assert client.post(url, note).status_code == 302
    link = {
        "kind": "link",
        "title": "Trust report",
        "url": "https://example.org/report",
        "actions": [action.pk],
    }
    assert client.post(url, link).status_code == 302
    missing = client.post(url, {"kind": "link", "title": "No address"})
    assert "Enter the link’s web address" in missing.content.decode()

    listing = reverse("actions:evidence_list", args=[personas["a"].pk])
    titles = [i.title for i in client.get(listing, {"theme": "purpose"}).context["items"]]
    assert titles == ["Astudiaeth achos"]
    titles = [i.title for i in client.get(listing, {"action": action.pk}).context["items"]]
    assert titles == ["Trust report"]
    assert len(client.get(listing).context["items"]) == 2
