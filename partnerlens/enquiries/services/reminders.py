"""Reminders as scheduled tasks: each open cycle has reminder rounds queued at its dates.

``reschedule_reminders(cycle)`` queues a round every ``REMINDER_GAP`` after the cycle opens
(at most ``MAX_REMINDERS``, all before it closes). Call it whenever a cycle opens or its
dates change. A queued round carries the schedule it was made for (the cycle's dates); a
round whose schedule no longer matches the cycle does nothing, so moving the dates needs
no clean-up. Each round runs ``send_reminders``, which itself reminds nobody twice within
``REMINDER_GAP``, so a duplicate round is harmless. The ``send_reminders`` command still
works as before (e.g. from cron) when no worker runs.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from django.utils import timezone

from partnerlens.core import jobs
from partnerlens.enquiries import tasks
from partnerlens.enquiries.errors import EnquiryError
from partnerlens.enquiries.models import Cycle, CycleState
from partnerlens.enquiries.services.invitees import MAX_REMINDERS, REMINDER_GAP, send_reminders

logger = logging.getLogger(__name__)

# When the mail server is down (anonymous rounds send directly), try again after these.
ROUND_RETRIES = (timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))


def schedule_of(cycle: Cycle) -> str:
    return f"{cycle.opens_on.isoformat()}/{cycle.closes_on.isoformat()}"


def reminder_moments(cycle: Cycle, *, now: datetime | None = None) -> list[datetime]:
    """When this cycle's reminder rounds fall: every REMINDER_GAP after it opens (or now,
    if later), before it closes."""
    now = now or timezone.now()
    opening = timezone.make_aware(datetime.combine(cycle.opens_on, time(9, 0)))
    start = max(now, opening)
    moments = [start + REMINDER_GAP * n for n in range(1, MAX_REMINDERS + 1)]
    return [moment for moment in moments if moment < cycle.closing_moment]


def reschedule_reminders(cycle: Cycle) -> list[datetime]:
    """Queue this cycle's reminder rounds for its current dates; rounds queued for other
    dates will do nothing. Returns the moments queued (none unless the cycle is open, or
    when the task backend cannot run tasks later)."""
    if cycle.state != CycleState.OPEN:
        return []
    if not getattr(tasks.remind_cycle.get_backend(), "supports_defer", False):
        return []
    now = timezone.now()
    moments = reminder_moments(cycle, now=now)
    for moment in moments:
        # On commit, and never failing the page that opened the cycle or moved its dates.
        jobs.enqueue(tasks.remind_cycle, cycle.pk, schedule_of(cycle), delay=moment - now)
    return moments


def run_scheduled_round(cycle_id: int, schedule: str, attempt: int = 0) -> int:
    """Send the reminders due now, if the round still belongs to the cycle's schedule."""
    cycle = Cycle.objects.filter(pk=cycle_id).first()
    if cycle is None or cycle.state != CycleState.OPEN or schedule_of(cycle) != schedule:
        return 0
    try:
        return send_reminders(cycle)
    except EnquiryError as error:
        if attempt < len(ROUND_RETRIES):
            later = timezone.now() + ROUND_RETRIES[attempt]
            tasks.remind_cycle.using(run_after=later).enqueue(cycle_id, schedule, attempt + 1)
        logger.warning("Reminder round for cycle %s not sent: %s", cycle_id, error)
        return 0
