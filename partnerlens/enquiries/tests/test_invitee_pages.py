"""Managing invitees with the mail server down, then up: the real database task backend
and the real worker command (core/testing_tasks.py), and the lead's invitee pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from partnerlens.core.testing_tasks import UNREACHABLE, make_due, run_worker
from partnerlens.enquiries.errors import LinkError
from partnerlens.enquiries.models import Invitee
from partnerlens.enquiries.services.responses import follow_link, submit_response
from partnerlens.enquiries.tests.conftest import answer_everything, link_from
from partnerlens.outbox.models import MailStatus, OutgoingMail

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = (
    "ann@example.org, Ann, Teacher, Northside Primary\nbob@example.org, Bob, Teacher, Hilltop High"
)


def _body(message) -> str:
    return message.get_payload(decode=True).decode()


def _statuses(page) -> list[str]:
    return [part.split('"')[0] for part in page.text.split('data-status="')[1:]]


@pytest.fixture
def lead(client, cluster):
    client.force_login(cluster["lead_a"])
    return client


def _open_with_people(lead, cycle):
    lead.post(f"/enquiries/cycles/{cycle.pk}/invite/", {"rows": PEOPLE})
    return lead.post(f"/enquiries/cycles/{cycle.pk}/open/", follow=True)


def test_opening_with_the_mail_server_down_queues_invitations_then_the_worker_sends_them(
    make_cycle, lead, mail_server
):
    cycle = make_cycle()
    reply = _open_with_people(lead, cycle)
    assert reply.status_code == 200
    assert "Invitations are queued" in reply.text
    page = lead.get(f"/enquiries/cycles/{cycle.pk}/invitees/")
    assert _statuses(page) == ["queued", "queued"]
    assert "2 invitations are waiting to be sent" in page.text

    run_worker()  # the server is still down: tried, kept for later
    assert set(OutgoingMail.objects.values_list("status", "attempts")) == {("queued", 1)}
    mail_server.start()
    make_due()
    run_worker()
    assert _statuses(lead.get(f"/enquiries/cycles/{cycle.pk}/invitees/")) == ["sent", "sent"]
    token = link_from(_body(mail_server.to("ann@example.org")[0]))
    assert follow_link(token).cycle == cycle


def test_failed_invitations_are_shown_and_sent_again_with_a_working_link(
    make_cycle, lead, mail_server
):
    cycle = make_cycle()
    _open_with_people(lead, cycle)
    for _attempt in range(4):
        make_due()
        run_worker()
    page = lead.get(f"/enquiries/cycles/{cycle.pk}/invitees/")
    assert _statuses(page) == ["failed", "failed"]
    assert "Send all 2 failed invitations again" in page.text

    mail_server.start()
    bob = Invitee.objects.get(email="bob@example.org")
    lead.post(f"/enquiries/cycles/{cycle.pk}/invitees/{bob.pk}/resend/")
    assert _statuses(lead.get(f"/enquiries/cycles/{cycle.pk}/invitees/")) == ["failed", "queued"]
    reply = lead.post(f"/enquiries/cycles/{cycle.pk}/invitees/resend/", follow=True)
    assert "1 invitation queued again" in reply.text
    run_worker()
    assert _statuses(lead.get(f"/enquiries/cycles/{cycle.pk}/invitees/")) == ["sent", "sent"]
    for address in ("ann@example.org", "bob@example.org"):
        [message] = mail_server.to(address)
        assert follow_link(link_from(_body(message))).cycle == cycle


def test_correcting_an_address_sends_a_new_link_and_retires_the_old_one(
    make_cycle, lead, mail_server
):
    cycle = make_cycle()
    mail_server.start()
    _open_with_people(lead, cycle)
    run_worker()
    old_token = link_from(_body(mail_server.to("bob@example.org")[0]))
    bob = Invitee.objects.get(email="bob@example.org")
    url = f"/enquiries/cycles/{cycle.pk}/invitees/{bob.pk}/correct/"

    refused = lead.post(url, {"email": "not an address"})
    assert refused.status_code == 400
    assert "govuk-error-summary" in refused.text and 'href="#id_email"' in refused.text
    taken = lead.post(url, {"email": "ANN@example.org"})
    assert "Someone with that email address is already invited" in taken.text

    reply = lead.post(url, {"email": "robert@example.org"}, follow=True)
    assert "A new invitation is queued for robert@example.org" in reply.text
    run_worker()
    new_token = link_from(_body(mail_server.to("robert@example.org")[0]))
    assert follow_link(new_token).cycle == cycle
    with pytest.raises(LinkError):
        follow_link(old_token)


def test_an_invitee_is_removed_only_after_confirming_and_only_before_being_sent(
    make_cycle, lead, mail_server
):
    cycle = make_cycle()
    lead.post(f"/enquiries/cycles/{cycle.pk}/invite/", {"rows": PEOPLE})
    ann = Invitee.objects.get(email="ann@example.org")
    url = f"/enquiries/cycles/{cycle.pk}/invitees/{ann.pk}/remove/"
    assert url in lead.get(f"/enquiries/cycles/{cycle.pk}/invitees/").text
    ask = lead.get(url)
    assert "Remove ann@example.org from this cycle?" in ask.text
    assert Invitee.objects.filter(pk=ann.pk).exists()  # asking changes nothing
    lead.post(url)
    assert not Invitee.objects.filter(pk=ann.pk).exists()

    mail_server.start()
    lead.post(f"/enquiries/cycles/{cycle.pk}/open/")
    run_worker()
    bob = Invitee.objects.get(email="bob@example.org")
    remove_bob = f"/enquiries/cycles/{cycle.pk}/invitees/{bob.pk}/remove/"
    assert remove_bob not in lead.get(f"/enquiries/cycles/{cycle.pk}/invitees/").text
    reply = lead.post(remove_bob, follow=True)
    assert "may have started answering" in reply.text
    assert Invitee.objects.filter(pk=bob.pk).exists()


def test_removing_someone_withdraws_their_queued_invitation(make_cycle, lead, mail_server):
    cycle = make_cycle()
    _open_with_people(lead, cycle)  # server down: both invitations wait
    ann = Invitee.objects.get(email="ann@example.org")
    lead.post(f"/enquiries/cycles/{cycle.pk}/invitees/{ann.pk}/remove/")
    mail_server.start()
    make_due()
    run_worker()
    assert mail_server.to("ann@example.org") == []
    assert len(mail_server.to("bob@example.org")) == 1


@pytest.mark.parametrize("mode", ["anonymous", "confidential"])
def test_the_page_never_tells_who_has_answered(make_cycle, lead, mail_server, mode):
    """Reminders go only to people who have not answered; the page shows invitations only,
    so responders and non-responders look alike."""
    from partnerlens.enquiries.services.invitees import send_reminders

    cycle = make_cycle(mode)
    mail_server.start()
    _open_with_people(lead, cycle)
    run_worker()
    token = link_from(_body(mail_server.to("ann@example.org")[0]))
    lead.post(f"/enquiries/r/{token}/")
    response = cycle.responses.get()
    answer_everything(response)
    submit_response(response, token=token)
    Invitee.objects.update(sent_at=timezone.now() - timedelta(days=4))
    cycle.refresh_from_db()  # opened by the page
    assert send_reminders(cycle) == 1
    run_worker()
    assert len(mail_server.to("bob@example.org")) == 2  # Bob was reminded, Ann was not

    page = lead.get(f"/enquiries/cycles/{cycle.pk}/invitees/")
    assert _statuses(page) == ["sent", "sent"]
    rows = page.text.split('id="invitee-')[1:]
    assert [row.count("Remove") for row in rows] == [0, 0]
    assert "Submitted" not in page.text and "Reminded" not in page.text
    tracked = OutgoingMail.objects.exclude(reference="").values_list("to", "status")
    assert sorted(tracked) == [("ann@example.org", "sent"), ("bob@example.org", "sent")]
    if mode == "anonymous":  # anonymous reminders are never stored at all
        assert OutgoingMail.objects.count() == 2


def test_only_the_cycles_leads_reach_the_invitee_pages(make_cycle, client, cluster):
    cycle = make_cycle()
    for person, status in (("teacher_a", 403), ("lead_b", 404), ("lead_a", 200)):
        client.force_login(cluster[person])
        assert client.get(f"/enquiries/cycles/{cycle.pk}/invitees/").status_code == status


def test_the_status_shown_is_the_outbox_status(make_cycle, lead, mail_server):
    cycle = make_cycle()
    _open_with_people(lead, cycle)
    ann = Invitee.objects.get(email="ann@example.org")
    OutgoingMail.objects.filter(reference=f"invitee:{ann.pk}").update(status=MailStatus.SENT)
    assert _statuses(lead.get(f"/enquiries/cycles/{cycle.pk}/invitees/")) == ["sent", "queued"]


def test_with_the_task_queue_down_opening_and_correcting_still_work_and_show_failed(
    make_cycle, lead, mail_server, settings, caplog
):
    cycle = make_cycle()
    lead.post(f"/enquiries/cycles/{cycle.pk}/invite/", {"rows": PEOPLE})
    settings.TASKS = {"default": {"BACKEND": UNREACHABLE}}
    reply = lead.post(f"/enquiries/cycles/{cycle.pk}/open/", follow=True)
    assert reply.status_code == 200  # the cycle opened; its invitations and reminders wait
    bob = Invitee.objects.get(email="bob@example.org")
    corrected = lead.post(
        f"/enquiries/cycles/{cycle.pk}/invitees/{bob.pk}/correct/", {"email": "rob@example.org"}
    )
    assert corrected.status_code == 302
    assert "Could not enqueue" in caplog.text
    page = lead.get(f"/enquiries/cycles/{cycle.pk}/invitees/")
    assert _statuses(page) == ["failed", "failed"]
    assert "Send all 2 failed invitations again" in page.text

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    mail_server.start()
    lead.post(f"/enquiries/cycles/{cycle.pk}/invitees/resend/")
    run_worker()
    assert _statuses(lead.get(f"/enquiries/cycles/{cycle.pk}/invitees/")) == ["sent", "sent"]
    [message] = mail_server.to("rob@example.org")
    assert follow_link(link_from(_body(message))).cycle == cycle
