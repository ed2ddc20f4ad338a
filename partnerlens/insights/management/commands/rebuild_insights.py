"""Recount the insights aggregates of some or all cycles from their raw answers."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from partnerlens.enquiries.models import Cycle
from partnerlens.insights.services import rebuild_aggregates


class Command(BaseCommand):
    help = (
        "Recompute the insights aggregates (question statistics, respondents' theme scores, "
        "roll-ups) of the given cycles, or of every cycle with --all, from the raw answers."
    )

    def add_arguments(self, parser):
        parser.add_argument("cycle_ids", nargs="*", type=int, help="ids of the cycles")
        parser.add_argument("--all", action="store_true", help="every cycle")

    def handle(self, *args, cycle_ids, all, **options):
        if bool(cycle_ids) == bool(all):
            raise CommandError("Give one or more cycle ids, or --all (not both).")
        cycles = Cycle.objects.select_related("partnership").order_by("pk")
        if cycle_ids:
            cycles = cycles.filter(pk__in=cycle_ids)
            missing = sorted(set(cycle_ids) - {c.pk for c in cycles})
            if missing:
                raise CommandError(f"No cycle with id {', '.join(map(str, missing))}.")
        for cycle in cycles:
            counted = rebuild_aggregates(cycle)
            self.stdout.write(
                f"cycle {cycle.pk} ({cycle.partnership.name}: {cycle.title}): "
                f"{counted} responses counted"
            )
