"""``manage.py backup [DESTINATION]``: the database and stored files into one new folder
(core/backups.py; run by scripts/backup)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from partnerlens.core.backups import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database and the stored files into a new folder."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "destination",
            nargs="?",
            type=Path,
            default=Path(settings.BASE_DIR) / "var" / "backups",
            help="where to make the backup's folder (default: var/backups)",
        )

    def handle(self, *args, destination: Path, **options):
        try:
            folder = create_backup(destination.resolve())
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(folder))
