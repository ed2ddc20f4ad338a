"""The daily evaluation: one chain of tasks, each queuing the next (as reminders do).

``ensure_scheduled()`` starts the chain when none is alive (called whenever a lead saves an
indicator, and by ``manage.py schedule_triggers``): it stores a fresh token in the one
``DailySchedule`` row and queues ``daily_evaluation(token)`` for the next ``RUN_AT``. A run
whose token is no longer the row's belongs to an older chain and does nothing, so starting
twice never doubles the rounds. Each run asks for every watching partnership's evaluation
(each its own task, with its own retries) and queues the next day's run.
"""

from __future__ import annotations

import secrets
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from partnerlens.core import jobs
from partnerlens.triggers import tasks
from partnerlens.triggers.models import DailySchedule
from partnerlens.triggers.services.evaluating import partnerships_watching, request_evaluation

RUN_AT = time(6, 0)  # local time: figures imported overnight are in by then
LATE = timedelta(hours=6)  # a chain this far behind its next run has died: start another


def next_run(now: datetime) -> datetime:
    local = timezone.localtime(now)
    moment = timezone.make_aware(datetime.combine(local.date(), RUN_AT))
    return moment if moment > now else moment + timedelta(days=1)


def _queue_next(schedule: DailySchedule, now: datetime) -> datetime:
    moment = next_run(now)
    schedule.token = secrets.token_hex(16)
    schedule.next_run_at = moment
    schedule.save(update_fields=["token", "next_run_at"])
    jobs.enqueue(tasks.daily_evaluation, schedule.token, delay=moment - now)
    return moment


def ensure_scheduled(*, now: datetime | None = None) -> datetime | None:
    """The next daily run: the live chain's, or a new chain's. None when the task backend
    cannot run tasks later (the tests' immediate backend)."""
    if not getattr(tasks.daily_evaluation.get_backend(), "supports_defer", False):
        return None
    now = now or timezone.now()
    with transaction.atomic():
        schedule, _created = DailySchedule.objects.select_for_update().get_or_create(pk=1)
        if schedule.token and schedule.next_run_at and schedule.next_run_at + LATE > now:
            return schedule.next_run_at
        return _queue_next(schedule, now)


def run_daily(token: str, *, now: datetime | None = None) -> int:
    """One daily round, if it belongs to the live chain: returns how many partnerships
    were asked to evaluate."""
    now = now or timezone.now()
    with transaction.atomic():
        schedule = DailySchedule.objects.select_for_update().filter(pk=1).first()
        if schedule is None or schedule.token != token:
            return 0
        _queue_next(schedule, now)
    watching = partnerships_watching()
    for partnership_id in watching:
        request_evaluation(partnership_id)
    return len(watching)
