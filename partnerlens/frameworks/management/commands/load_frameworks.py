"""Load the built-in frameworks from partnerlens/frameworks/builtin/*.yaml.

Safe to run any number of times: an unchanged file creates nothing, a changed file adds
and publishes a new version (earlier versions stay, so past cycles keep theirs).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from partnerlens.frameworks.schema import DocumentError
from partnerlens.frameworks.services.versions import load_builtin_frameworks


class Command(BaseCommand):
    help = "Load or update the built-in frameworks (idempotent)."

    def handle(self, *args, **options):
        try:
            results = load_builtin_frameworks()
        except DocumentError as exc:
            raise CommandError("\n".join(exc.errors)) from None
        for version, created in results:
            state = "published new version" if created else "unchanged"
            self.stdout.write(f"{version.framework.slug}: v{version.number} {state}")
