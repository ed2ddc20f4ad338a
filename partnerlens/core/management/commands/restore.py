"""``manage.py restore FOLDER``: a backup into the empty database DATABASE_URL names, and its
stored files into the default storage (core/backups.py; run by scripts/restore)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partnerlens.core.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup into an empty database, then check every table's row count."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="a folder made by scripts/backup")
        parser.add_argument(
            "--media-root",
            type=Path,
            help="restore the stored files here (default: the default storage's folder)",
        )

    def handle(self, *args, folder: Path, media_root: Path | None, **options):
        try:
            restored = restore_backup(folder.resolve(), media_root=media_root)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            "Restored {tables} tables, {rows} rows (every count matches the backup) "
            "and {files} stored files.".format(**restored)
        )
