"""Reading and deleting files kept through Django's default storage, where a storage that
fails (a disk gone, S3 unreachable: any exception its backend raises) is logged and
answered with None or nothing, never raised into a page or a scheduled job. Callers say
what happens next (make the file again, tell the person)."""

from __future__ import annotations

import logging

from django.core.files.storage import default_storage

logger = logging.getLogger(__name__)


def read(name: str) -> bytes | None:
    """The file's bytes, or None when it is missing or the storage cannot give it back."""
    try:
        with default_storage.open(name, "rb") as stored:
            return stored.read()
    except Exception:
        logger.exception("Stored file %s could not be read", name)
        return None


def delete(name: str) -> None:
    """Remove the file; a storage that fails is logged, and the file left for next time."""
    try:
        default_storage.delete(name)
    except Exception:
        logger.exception("Stored file %s could not be deleted", name)
