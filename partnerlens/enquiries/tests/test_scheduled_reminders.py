"""Reminder rounds as scheduled tasks, run by the real worker on the database backend."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from partnerlens.core.testing_tasks import make_due, run_worker
from partnerlens.enquiries.models import Cycle, Invitee
from partnerlens.enquiries.services.cycles import open_cycle
from partnerlens.enquiries.services.reminders import reschedule_reminders

pytestmark = pytest.mark.django_db(transaction=True)
ROUND = "partnerlens.enquiries.tasks.remind_cycle"


def _rounds():
    return DBTaskResult.objects.filter(task_path=ROUND, status="READY").order_by("run_after")


@pytest.fixture
def opened(make_cycle, invite, cluster, mail_server):
    def make(mode="confidential"):
        cycle = make_cycle(mode)
        invite(
            cycle, ("ann@example.org", "teacher", 0, "en"), ("bob@example.org", "teacher", 1, "cy")
        )
        mail_server.start()
        open_cycle(cycle, actor=cluster["lead_a"])
        run_worker()  # the invitations
        return cycle

    return make


def test_opening_a_cycle_queues_its_reminder_rounds(opened):
    before = timezone.now()
    cycle = opened()
    days = [round((task.run_after - before) / timedelta(days=1)) for task in _rounds()]
    assert days == [3, 6, 9]  # every three days, all before the cycle closes three weeks on
    assert all(task.run_after < cycle.closing_moment for task in _rounds())


def test_a_due_round_reminds_those_who_have_not_answered(opened, mail_server):
    opened()
    Invitee.objects.update(sent_at=timezone.now() - timedelta(days=4))
    first = _rounds().first()
    DBTaskResult.objects.filter(pk=first.pk).update(run_after=timezone.now())
    run_worker()
    assert len(mail_server.to("ann@example.org")) == 2  # invitation, then reminder
    assert set(Invitee.objects.values_list("reminder_count", flat=True)) == {1}
    assert _rounds().count() == 2  # the later rounds still wait


def test_rounds_for_old_dates_do_nothing_and_new_ones_are_queued(opened, mail_server):
    cycle = opened()
    Invitee.objects.update(sent_at=timezone.now() - timedelta(days=4))
    Cycle.objects.filter(pk=cycle.pk).update(closes_on=cycle.closes_on + timedelta(days=7))
    cycle.refresh_from_db()
    make_due()
    run_worker()
    assert len(mail_server.to("ann@example.org")) == 1  # only the invitation
    assert set(Invitee.objects.values_list("reminder_count", flat=True)) == {0}

    moments = reschedule_reminders(cycle)
    assert len(moments) == 3 and _rounds().count() == 3
    make_due()
    run_worker()
    assert len(mail_server.to("ann@example.org")) == 2


def test_an_anonymous_round_with_the_mail_server_down_writes_nothing_and_tries_later(
    opened, mail_server
):
    opened("anonymous")
    mail_server.stop()
    Invitee.objects.update(sent_at=timezone.now() - timedelta(days=4))
    first = _rounds().first()
    DBTaskResult.objects.filter(pk=first.pk).update(run_after=timezone.now())
    run_worker()
    assert set(Invitee.objects.values_list("reminder_count", flat=True)) == {0}
    retry = _rounds().first()
    assert retry.args_kwargs["args"][2] == 1  # the same round, attempt 1, in five minutes
    assert retry.run_after < timezone.now() + timedelta(minutes=6)

    mail_server.start()
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
    assert set(Invitee.objects.values_list("reminder_count", flat=True)) == {1}
    assert len(mail_server.to("bob@example.org")) == 2  # the invitation, then the reminder


def test_the_daily_command_goes_on_past_a_cycle_it_cannot_remind(opened, mail_server):
    from io import StringIO

    from django.core.management import call_command

    anonymous, confidential = opened("anonymous"), opened("confidential")
    mail_server.stop()
    Invitee.objects.update(sent_at=timezone.now() - timedelta(days=4))
    out, err = StringIO(), StringIO()
    call_command("send_reminders", stdout=out, stderr=err)
    assert "mail server cannot be reached" in err.getvalue()
    assert out.getvalue().strip().endswith("2 reminders sent")  # queued for the other cycle
    counts = dict(Invitee.objects.values_list("cycle_id", "reminder_count").distinct())
    assert counts == {anonymous.pk: 0, confidential.pk: 1}


class RefusingEveryone:
    """An SMTP server that answers but refuses every recipient (e.g. a relay misconfigured)."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "550 5.7.1 Relaying denied"


def test_a_mail_server_refusing_anonymous_reminders_is_told_not_a_500(
    opened, client, cluster, mail_server, settings
):
    from aiosmtpd.controller import Controller

    cycle = opened("anonymous")
    Invitee.objects.update(sent_at=timezone.now() - timedelta(days=4))
    mail_server.stop()
    refusing = Controller(RefusingEveryone(), hostname="127.0.0.1", port=mail_server.port)
    refusing.start()
    try:
        client.force_login(cluster["lead_a"])
        reply = client.post(f"/enquiries/cycles/{cycle.pk}/remind/", follow=True)
    finally:
        refusing.stop()
    assert reply.status_code == 200
    assert "did not accept all the reminders" in reply.text
    for person in ("ann@example.org", "bob@example.org"):
        assert len(mail_server.to(person)) == 1  # the invitation; no reminder got through


def test_staff_never_see_who_was_reminded_and_the_mark_stays_off_the_wire(
    opened, mail_server, client, admin_user
):
    from django.urls import reverse

    from partnerlens.outbox.models import OutgoingMail
    from partnerlens.outbox.services import CONFIDENTIAL_HEADER

    opened()
    Invitee.objects.update(sent_at=timezone.now() - timedelta(days=4))
    DBTaskResult.objects.filter(pk=_rounds().first().pk).update(run_after=timezone.now())
    run_worker()
    reminders = OutgoingMail.objects.filter(confidential=True)
    invitations = OutgoingMail.objects.filter(confidential=False)
    assert reminders.count() == 2 and invitations.count() == 2
    reminder = mail_server.to("ann@example.org")[1]
    assert "Reminder" in reminder["Subject"] or "Nodyn" in reminder["Subject"]
    assert CONFIDENTIAL_HEADER not in reminder
    client.force_login(admin_user)
    page = client.get(reverse("admin:outbox_outgoingmail_changelist")).text
    assert "2 outgoing mails" in page  # the invitations, which staff may see
    found = client.get(reverse("admin:outbox_outgoingmail_changelist") + "?q=ann%40example.org")
    assert "1 outgoing mail" in found.text
    hidden = client.get(reverse("admin:outbox_outgoingmail_change", args=[reminders.first().pk]))
    assert hidden.status_code == 302  # the admin's "does not exist" answer
