"""Make a new release of some or all closed and published cycles (after a repair)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from partnerlens.enquiries.models import Cycle, CycleState
from partnerlens.insights.models import ReleaseReason
from partnerlens.insights.releases import make_release


class Command(BaseCommand):
    help = (
        "Build, check and store a new release of the given closed or published cycles, or of "
        "every one with --all. Nothing changed since the latest release: none is made unless "
        "--force. The partnership changed by fewer than k people: none is made at all."
    )

    def add_arguments(self, parser):
        parser.add_argument("cycle_ids", nargs="*", type=int, help="ids of the cycles")
        parser.add_argument("--all", action="store_true", help="every closed or published cycle")
        parser.add_argument("--force", action="store_true", help="even if nothing changed")

    def handle(self, *args, cycle_ids, all, force, **options):
        if bool(cycle_ids) == bool(all):
            raise CommandError("Give one or more cycle ids, or --all (not both).")
        cycles = (
            Cycle.objects.select_related("partnership", "framework_version__framework")
            .filter(state__in=(CycleState.CLOSED, CycleState.PUBLISHED))
            .order_by("pk")
        )
        if cycle_ids:
            cycles = cycles.filter(pk__in=cycle_ids)
            missing = sorted(set(cycle_ids) - {c.pk for c in cycles})
            if missing:
                raise CommandError(
                    f"No closed or published cycle with id {', '.join(map(str, missing))}."
                )
        for cycle in cycles:
            outcome = make_release(cycle, reason=ReleaseReason.REBUILT, force=force)
            number = outcome.release.number if outcome.release else "-"
            self.stdout.write(
                f"cycle {cycle.pk} ({cycle.partnership.name}: {cycle.title}): {outcome.code}, "
                f"latest release {number}"
            )
