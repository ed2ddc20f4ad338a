"""``manage.py import_data FILE [FILE ...]``: load published school data (docs/data.md)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from partnerlens.directory.importers import values
from partnerlens.directory.importers.registry import describe_known
from partnerlens.directory.importers.runner import import_file


def _period(raw: str) -> str:
    try:
        return values.academic_year(raw)
    except ValueError as error:
        raise CommandError(str(error)) from None


def _as_of(raw: str) -> date:
    try:
        found = values.day(raw)
    except ValueError as error:
        raise CommandError(f"--as-of {raw!r} {error}") from None
    if found is None:
        raise CommandError("--as-of needs a date")
    return found


class Command(BaseCommand):
    help = (
        "Import GIAS, DfE, Welsh Government and other published school data files. Each file "
        "is recognised by its header and applied in one transaction; re-importing is safe.\n"
        "Known formats:\n" + describe_known()
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and report, save nothing"
        )
        parser.add_argument(
            "--period",
            help="academic year of the figures, e.g. 2018-19 (default: from the file or "
            "folder name, else the format's default; see docs/data.md)",
        )
        parser.add_argument(
            "--as-of",
            help="date of the register snapshot, dd/mm/yyyy or yyyy-mm-dd (default: from "
            "the data, else the format's default)",
        )

    def handle(self, *args, files, dry_run, period, as_of, **options):
        chosen_period = _period(period) if period else None
        chosen_as_of = _as_of(as_of) if as_of else None
        failed = []
        for name in files:
            report = import_file(
                name,
                dry_run=dry_run,
                period=chosen_period,
                as_of=chosen_as_of,
                progress=True,
            )
            for line in report.rejection_lines():
                self.stderr.write(line)
            if report.ok:
                self.stdout.write(report.summary())
            else:
                self.stderr.write(report.summary())
                failed.append(name)
        if failed:
            raise CommandError(
                f"{len(failed)} of {len(files)} file(s) not imported: " + ", ".join(failed)
            )
