"""Write docs/privacy/data-map.md from the data map in code (privacy/datamap.py)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from partnerlens.privacy.datamap import markdown

PAGE = Path(settings.BASE_DIR) / "docs" / "privacy" / "data-map.md"


class Command(BaseCommand):
    help = "Write docs/privacy/data-map.md from privacy/datamap.py."

    def handle(self, *args, **options):
        PAGE.write_text(markdown(), encoding="utf-8")
        self.stdout.write(str(PAGE))
