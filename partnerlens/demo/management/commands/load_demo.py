"""``manage.py load_demo``: the demo ``make run`` serves, built from the real data in demo/data.

Safe to run every time. Each data file is imported once (a ``DemoStep`` records its
checksum, and its size and modification time so that an unchanged file is not even read
again); each later step (partnerships and people, frameworks, enquiry cycles with their
results, brokerage, Trafford's relationship cycle, networks) runs once and leaves its own
``DemoStep`` as a marker, so a second run does a handful of queries and keeps whatever the
user has changed since.

``--migrate`` (what ``make run`` passes) first applies any migration not yet applied, in the
same process, and skips ``migrate`` altogether when there is none: one Django start-up fewer.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from partnerlens.demo import builder, impact_story, network, outcomes, relationships
from partnerlens.demo.models import DemoStep
from partnerlens.demo.partnerships import BUILT, DEMO_EMAIL, build_partnerships, demo_partnerships
from partnerlens.directory.importers.reading import read_table
from partnerlens.directory.importers.registry import load_order, recognise
from partnerlens.directory.importers.runner import import_file
from partnerlens.directory.models import Organisation, Partnership

DEMO_DATA = Path(settings.BASE_DIR) / "demo" / "data"

__all__ = ["BUILT", "DEMO_DATA", "Command"]


def demo_files() -> list[Path]:
    """The demo CSV files in the order their formats load (registers before figures)."""
    found = []
    for path in sorted(DEMO_DATA.glob("*/*.csv")):
        fmt = recognise(set(read_table(path).columns))
        if fmt is not None:
            found.append((load_order(fmt.name), str(path), path))
    return [path for _, _, path in sorted(found)]


def data_step(path: Path) -> str:
    """The marker of one data file: its checksum, so a changed file is imported again."""
    return f"data:{hashlib.sha256(path.read_bytes()).hexdigest()}"


def file_stamp(path: Path) -> dict:
    """What identifies a data file without reading it: its name, size and modification time."""
    stat = path.stat()
    return {
        "file": str(path.relative_to(DEMO_DATA)),
        "size": stat.st_size,
        "mtime": stat.st_mtime_ns,
    }


def all_data_loaded() -> bool:
    """Whether every demo data file, unchanged since, has been imported (no file read)."""
    paths = sorted(DEMO_DATA.glob("*/*.csv"))
    if not paths:
        return False
    seen = {
        (d.get("file"), d.get("size"), d.get("mtime"))
        for d in DemoStep.objects.filter(name__startswith="data:").values_list("detail", flat=True)
    }
    stamps = [file_stamp(path) for path in paths]
    return all((s["file"], s["size"], s["mtime"]) in seen for s in stamps)


def migrate_if_needed() -> bool:
    """Apply the migrations not yet applied (as ``migrate`` would); False if there were none."""
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return False
    call_command("migrate", interactive=False, verbosity=0)
    return True


class Command(BaseCommand):
    # make run's web server (serve_demo) runs the system checks while this runs.
    requires_system_checks = []
    help = (
        "Import the real data in demo/data (once) and build the demo partnerships, frameworks, "
        "enquiry cycles, brokerage, relationships and networks (each once)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--migrate",
            action="store_true",
            help="Apply any unapplied migrations first, in this process (make run does).",
        )

    def handle(self, *args, **options):
        if options["migrate"]:
            started = time.monotonic()
            if migrate_if_needed():
                self.stdout.write(
                    f"Demo migrate: database brought up to date. "
                    f"[{time.monotonic() - started:.1f} s]"
                )
        self.import_data()
        steps = [
            ("partnerships", BUILT, self.partnerships),
            ("frameworks", builder.FRAMEWORKS_BUILT, self.frameworks),
            ("enquiries", builder.ENQUIRIES_BUILT, self.enquiries),
            ("brokerage", builder.BROKERAGE_BUILT, self.brokerage),
            # Before the networks: their snapshots hold this cycle's answered ties.
            ("relationships", relationships.RELATIONSHIPS_BUILT, self.relationships),
            ("network", network.NETWORK_BUILT, self.networks),
            ("outcomes", outcomes.OUTCOMES_BUILT, self.outcome_panel),
            ("impact", impact_story.IMPACT_BUILT, self.impact),
        ]
        done = [name for name, marker, _step in steps if DemoStep.has_run(marker)]
        if done:
            self.stdout.write(f"Demo {', '.join(done)}: already set up (your changes are kept).")
        for name, _marker, step in steps:
            if name not in done:
                started = time.monotonic()
                summary = step()
                self.stdout.write(f"{summary} [{time.monotonic() - started:.1f} s]")

    def import_data(self) -> None:
        started = time.monotonic()
        if all_data_loaded():
            self.stdout.write("Demo data: already loaded.")
            return
        imported, failed = [], []
        for path in demo_files():
            step = data_step(path)
            if DemoStep.has_run(step):
                continue
            report = import_file(path, progress=True)
            if report.ok:
                DemoStep.mark(step, **file_stamp(path))
            (imported if report.ok else failed).append(report)
            if not report.ok:
                self.stderr.write(report.summary())
        if imported:
            self.stdout.write(
                f"Demo data: imported {len(imported)} real data "
                f"file{'' if len(imported) == 1 else 's'} "
                f"({Organisation.objects.count():,} organisations, "
                f"{Partnership.objects.count():,} partnerships). "
                f"[{time.monotonic() - started:.1f} s]"
            )
        elif not failed:
            self.stdout.write("Demo data: already loaded.")
        if failed:
            raise CommandError(
                f"{len(failed)} demo data file{'' if len(failed) == 1 else 's'} could not be "
                "imported (reasons above); the demo partnerships were not built."
            )

    def partnerships(self) -> str:
        built = build_partnerships()
        return (
            f"Demo partnerships: {', '.join(p.name for p in built)}; {DEMO_EMAIL} leads them all."
        )

    def frameworks(self) -> str:
        return f"Demo frameworks: {builder.build_frameworks(demo_partnerships()).summary}."

    def enquiries(self) -> str:
        return f"Demo enquiries: {builder.build_enquiry_demo(demo_partnerships()).summary}."

    def brokerage(self) -> str:
        built = builder.build_brokerage_demo(DEMO_DATA)
        return f"Demo brokerage: {built.summary}; {DEMO_EMAIL} is its broker."

    def relationships(self) -> str:
        return f"Demo relationships: {relationships.build_relationship_demo()}."

    def networks(self) -> str:
        return f"Demo networks: {network.build_network_demo()}."

    def outcome_panel(self) -> str:
        return f"Demo outcome panel: {outcomes.build_outcome_demo()}."

    def impact(self) -> str:
        return f"Demo impact on pupils: {impact_story.build_impact_demo()}."
