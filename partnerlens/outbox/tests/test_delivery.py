"""Queued mail with the real database task backend and the real worker command."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from partnerlens.core.testing_tasks import make_due, run_worker
from partnerlens.outbox import services
from partnerlens.outbox.models import MailStatus, OutgoingMail

pytestmark = pytest.mark.django_db(transaction=True)


def _send(to: str = "ana@example.org", reference: str = "") -> None:
    headers = {services.REFERENCE_HEADER: reference} if reference else {}
    EmailMessage(
        "Croeso / Welcome", "Dyma'r ddolen. Here is the link.", to=[to], headers=headers
    ).send()


def test_sending_only_stores_and_queues_when_the_server_is_down(mail_server):
    _send(reference="invitee:7")

    stored = OutgoingMail.objects.get()
    assert (stored.status, stored.attempts, stored.to) == (MailStatus.QUEUED, 0, "ana@example.org")
    assert stored.reference == "invitee:7"
    task = DBTaskResult.objects.get()
    assert task.task_path == "partnerlens.outbox.tasks.deliver_mail"
    assert task.args_kwargs["args"] == [stored.pk]


def test_the_worker_sends_once_the_server_is_up(mail_server):
    _send()
    mail_server.start()
    run_worker()

    stored = OutgoingMail.objects.get()
    assert (stored.status, stored.attempts, stored.last_error) == (MailStatus.SENT, 1, "")
    assert stored.sent_at is not None
    assert bytes(stored.mime) == b""  # the body (with any live link) is not kept once sent
    [received] = mail_server.to("ana@example.org")
    assert received["Subject"] == "Croeso / Welcome"
    assert "Dyma'r ddolen" in received.get_payload(decode=True).decode()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_down_server_is_retried_with_back_off_then_the_mail_is_sent(mail_server):
    _send()
    before = timezone.now()
    run_worker()

    stored = OutgoingMail.objects.get()
    assert (stored.status, stored.attempts) == (MailStatus.QUEUED, 1)
    assert "Connection refused" in stored.last_error or "Errno" in stored.last_error
    retry = DBTaskResult.objects.get(status="READY")
    wait = retry.run_after - before
    assert timedelta(seconds=55) < wait < timedelta(minutes=1, seconds=30)
    run_worker()  # not due yet: nothing happens
    assert OutgoingMail.objects.get().attempts == 1

    mail_server.start()
    make_due()
    run_worker()
    stored.refresh_from_db()
    assert (stored.status, stored.attempts) == (MailStatus.SENT, 2)
    assert len(mail_server.to("ana@example.org")) == 1


def test_after_four_failed_attempts_the_mail_is_marked_failed(mail_server):
    _send()
    waits = []
    for _attempt in range(4):
        started = timezone.now()
        make_due()
        run_worker()
        pending = DBTaskResult.objects.filter(status="READY").first()
        if pending is not None:
            waits.append(round((pending.run_after - started).total_seconds() / 60))
    stored = OutgoingMail.objects.get()
    assert (stored.status, stored.attempts) == (MailStatus.FAILED, 4)
    assert waits == [1, 5, 25]
    assert stored.last_error
    assert bytes(stored.mime)  # kept, so it can be looked at or sent again


def test_a_rolled_back_change_sends_nothing(mail_server):
    with pytest.raises(RuntimeError), transaction.atomic():
        _send()
        raise RuntimeError("the page failed")
    assert not OutgoingMail.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_a_duplicate_task_does_not_send_twice(mail_server):
    from partnerlens.outbox.tasks import deliver_mail

    _send()
    deliver_mail.enqueue(OutgoingMail.objects.get().pk)  # e.g. two workers, one mail
    mail_server.start()
    run_worker()
    assert len(mail_server.to("ana@example.org")) == 1
    assert OutgoingMail.objects.get().attempts == 1


def test_stored_messages_keep_headers_and_attachments(mail_server, settings):
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    message = EmailMessage("Report", "See attached.", to=["a@example.org", "b@example.org"])
    message.attach("figures.csv", "school,score\nNorthside,3\n", "text/csv")
    message.bcc = ["audit@example.org"]
    message.send()
    mail.outbox = []
    run_worker()

    [delivered] = mail.outbox
    assert delivered.recipients() == ["a@example.org", "b@example.org", "audit@example.org"]
    wire = delivered.message().as_bytes(linesep="\r\n")
    assert b"\r\nSubject: Report\r\n" in wire and b"figures.csv" in wire
    assert b"audit@example.org" not in wire  # Bcc stays off the message itself


def test_latest_gives_each_reference_its_newest_mail(mail_server):
    _send("a@example.org", reference="invitee:1")
    _send("b@example.org", reference="invitee:2")
    _send("a.corrected@example.org", reference="invitee:1")
    found = services.latest(["invitee:1", "invitee:2", "invitee:3"])
    assert set(found) == {"invitee:1", "invitee:2"}
    assert found["invitee:1"].to == "a.corrected@example.org"
    assert found["invitee:2"].to == "b@example.org"
