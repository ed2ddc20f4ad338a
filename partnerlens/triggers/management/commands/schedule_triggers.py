"""``manage.py schedule_triggers``: start the daily evaluation chain if none is alive."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from partnerlens.triggers.services.schedule import ensure_scheduled


class Command(BaseCommand):
    help = "Queue the daily evaluation of early-warning indicators (harmless when queued)."

    def handle(self, *args, **options):
        moment = ensure_scheduled()
        if moment is None:
            self.stdout.write("The task backend cannot run tasks later; nothing queued.")
        else:
            self.stdout.write(
                f"Next evaluation of early-warning indicators: {moment:%Y-%m-%d %H:%M}"
            )
