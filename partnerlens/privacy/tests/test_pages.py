"""The privacy pages: who may use them, the export through the task queue, and erasure only
after confirmation."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from partnerlens.audit import verbs
from partnerlens.audit.models import AuditEvent
from partnerlens.enquiries.models import Invitee
from partnerlens.privacy.models import SubjectExport

pytestmark = pytest.mark.django_db
ANN = "ann@example.org"  # invited to A's open cycle (world)
BEA = "bea@example.org"  # invited to B's draft cycle (world)


def _export(client, user, email):
    client.force_login(user)
    response = client.post(reverse("privacy:home"), {"email": email})
    assert response.status_code == 302
    return SubjectExport.objects.filter(requested_by=user).latest("pk")


@pytest.mark.parametrize("persona", ["outsider", "member", "broker", "staff"])
def test_people_who_lead_no_partnership_are_told_the_pages_do_not_exist(world, client, persona):
    client.force_login(world[persona])
    for name in ("privacy:home", "privacy:erase"):
        assert client.get(reverse(name)).status_code == 404


def test_a_lead_exports_within_their_partnership_only(world, client):
    export = _export(client, world["lead"], ANN)
    assert export.status == "done", "prepared on the task queue (run at once in tests)"
    page = client.get(reverse("privacy:home"))
    assert reverse("privacy:download", args=[export.pk]) in page.content.decode()
    held = json.loads(client.get(reverse("privacy:download", args=[export.pk])).content)
    assert [i["email"] for i in held["invitations_to_answer"]] == [ANN]
    assert "account" not in held and "mail" not in held, "service-wide data: site admin only"
    other = _export(client, world["lead"], BEA)
    held = json.loads(client.get(reverse("privacy:download", args=[other.pk])).content)
    assert held["invitations_to_answer"] == [], "B's invitee is not A's lead's to see"
    asked = AuditEvent.objects.filter(verb=verbs.PRIVACY_EXPORT_ASKED, actor=world["lead"])
    assert asked.count() == 2 and "@" not in str(list(asked.values_list("detail", flat=True)))
    assert (
        AuditEvent.objects.filter(verb=verbs.EXPORT_DOWNLOADED, object_type="SubjectExport").count()
        == 2
    )


def test_a_site_admin_exports_everything_about_an_account(world, client):
    email = world["member"].email
    export = _export(client, world["superuser"], email)
    held = json.loads(client.get(reverse("privacy:download", args=[export.pk])).content)
    assert held["account"]["username"] == world["member"].username
    assert {r["role"] for r in held["roles"]} == {"teacher"}
    assert "sign_in_attempts" in held and "mail" in held


def test_someone_else_cannot_download_an_export(world, client):
    export = _export(client, world["superuser"], ANN)
    client.force_login(world["lead"])
    assert client.get(reverse("privacy:download", args=[export.pk])).status_code == 404


def test_erasure_asks_for_confirmation_first(world, client):
    client.force_login(world["superuser"])
    shown = client.post(reverse("privacy:erase"), {"email": ANN})
    assert shown.status_code == 200
    assert "1 invitation to answer" in shown.content.decode()
    assert Invitee.objects.filter(email=ANN).exists(), "nothing erased yet"
    unconfirmed = client.post(reverse("privacy:erase"), {"email": ANN, "confirm_step": "1"})
    assert unconfirmed.status_code == 200
    assert Invitee.objects.filter(email=ANN).exists()
    done = client.post(
        reverse("privacy:erase"), {"email": ANN, "confirm_step": "1", "confirm": "on"}
    )
    assert done.status_code == 302
    assert not Invitee.objects.filter(email=ANN).exists()
    assert AuditEvent.objects.filter(verb=verbs.PRIVACY_ERASED).count() == 1


def test_a_lead_may_not_erase(world, client):
    client.force_login(world["lead"])
    response = client.post(
        reverse("privacy:erase"), {"email": ANN, "confirm_step": "1", "confirm": "on"}
    )
    assert response.status_code == 404
    assert Invitee.objects.filter(email=ANN).exists()


def test_the_pages_speak_welsh(world, client):
    client.force_login(world["superuser"])
    page = client.get("/cy" + reverse("privacy:erase")).content.decode()
    assert 'lang="cy"' in page


def test_an_export_the_storage_lost_is_made_again_not_an_error(world, client):
    from django.core.files.storage import default_storage

    export = _export(client, world["lead"], ANN)
    default_storage.delete(export.file.name)
    answer = client.get(reverse("privacy:download", args=[export.pk]), follow=True)
    assert answer.redirect_chain == [(reverse("privacy:home"), 302)]
    assert "could not be read back" in answer.content.decode()
    again = SubjectExport.objects.get(pk=export.pk)
    assert again.status == "done" and again.file.name != export.file.name
    held = json.loads(client.get(reverse("privacy:download", args=[export.pk])).content)
    assert [i["email"] for i in held["invitations_to_answer"]] == [ANN]


def test_an_unreachable_storage_is_never_a_500(world, client, settings):
    """The files in S3-compatible storage whose server does not answer (a closed port)."""
    import socket

    export = _export(client, world["lead"], ANN)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "gone",
                "endpoint_url": f"http://127.0.0.1:{closed}",
                "access_key": "k",
                "secret_key": "s",
                "region_name": "eu-west-2",
            },
        },
    }
    answer = client.get(reverse("privacy:download", args=[export.pk]))
    assert answer.status_code == 302 and answer["Location"] == reverse("privacy:home")
    assert client.get(reverse("privacy:home")).status_code == 200
