"""The daily evaluation as a chain of scheduled tasks on the database backend, run by the
real worker, with the emails delivered over SMTP by the outbox (and retried when down)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from partnerlens.core.testing_tasks import make_due, run_worker
from partnerlens.outbox.models import OutgoingMail
from partnerlens.triggers.models import DailySchedule, Trigger
from partnerlens.triggers.services.schedule import ensure_scheduled, next_run, run_daily
from partnerlens.triggers.tests.conftest import import_years

pytestmark = pytest.mark.django_db(transaction=True)
DAILY = "partnerlens.triggers.tasks.daily_evaluation"


def _daily():
    return DBTaskResult.objects.filter(task_path=DAILY, status="READY")


def test_the_next_run_is_the_next_six_in_the_morning():
    now = timezone.now()
    moment = next_run(now)
    assert now < moment <= now + timezone.timedelta(days=1)
    assert timezone.localtime(moment).hour == 6


def test_the_daily_round_evaluates_tells_people_and_queues_the_next(camden, mail_server):
    import_years("england_abs_2018-19.csv", "england_abs_2019-20.csv")
    run_worker()  # the import asked for an evaluation once it committed; drain it first
    Trigger.objects.all().delete()
    OutgoingMail.objects.all().delete()
    moment = ensure_scheduled()
    assert ensure_scheduled() == moment  # one chain, however often it is started
    assert _daily().count() == 1
    token = DailySchedule.objects.get().token

    mail_server.stop()  # the mail server is down at first: the evaluation still succeeds
    make_due()
    run_worker()  # the daily run, then the evaluation it asked for
    assert Trigger.objects.filter(partnership=camden["a"]).count() == 2
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {"queued"}
    assert _daily().count() == 1  # tomorrow's run
    assert DailySchedule.objects.get().token != token
    assert run_daily(token) == 0  # a run of the old chain does nothing

    mail_server.start()
    make_due()
    run_worker()  # the outbox's retries
    told = sorted(m["To"] for m in mail_server.messages)
    assert told == sorted(["lead_a@example.org", "head_fitzjohns@example.org"] * 2)
