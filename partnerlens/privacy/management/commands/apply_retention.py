"""Remove or anonymise personal data past its retention period (privacy/retention.py).

Run daily by cron or a systemd timer (docs/operations.md). Prints one line per kind with
how many rows it changed; a second run the same day prints zeros. With ``--queue`` the work
is handed to the task worker instead (``tasks.apply_retention``), for a timer on a host
that should not do it itself; the worker's log then has the counts."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from partnerlens.core import jobs
from partnerlens.privacy import tasks
from partnerlens.privacy.retention import apply_retention


class Command(BaseCommand):
    help = "Remove or anonymise personal data past its retention period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue", action="store_true", help="hand the work to the task worker instead"
        )

    def handle(self, *args, queue=False, **options):
        if queue:
            jobs.enqueue(tasks.apply_retention)
            self.stdout.write("retention queued")
            return
        counts = apply_retention()
        for code, count in counts.items():
            self.stdout.write(f"{code} {count}")
        self.stdout.write(f"retention total={sum(counts.values())}")
