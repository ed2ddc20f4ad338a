"""Remind non-responders in every open cycle; safe to run daily from cron (rate-limited).

With a task worker running, reminder rounds are also scheduled as tasks when a cycle opens
(services/reminders.py); running both is harmless, as nobody is reminded twice within
three days.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from partnerlens.enquiries.errors import EnquiryError
from partnerlens.enquiries.models import Cycle, CycleState
from partnerlens.enquiries.services.invitees import send_reminders


class Command(BaseCommand):
    help = "Email reminders to people who have not yet responded to an open cycle."

    def handle(self, *args, **options):
        total = 0
        for cycle in Cycle.objects.filter(state=CycleState.OPEN).select_related("partnership"):
            try:
                sent = send_reminders(cycle)
            except EnquiryError as error:  # e.g. the mail server is down: the others still go
                self.stderr.write(f"{cycle.partnership.name}: {cycle.title}: {error}")
                continue
            total += sent
            if sent:
                self.stdout.write(f"{cycle.partnership.name}: {cycle.title}: {sent} reminders")
        self.stdout.write(f"{total} reminders sent")
