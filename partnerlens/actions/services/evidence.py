"""The evidence log: adding a note, link, case study or document. A document is checked
(``uploads.check``) by the form, then kept through Django's storage under a random name
before its row is written; a storage that fails is an ``EvidenceError`` for the page to
explain, never a 500, and a file whose row could not be written is removed again."""

from __future__ import annotations

import logging
import secrets
from pathlib import PurePath

from django.core.files.storage import default_storage
from django.db import transaction

from partnerlens.actions.models import EvidenceItem
from partnerlens.actions.uploads import safe_filename
from partnerlens.audit import verbs
from partnerlens.audit.services import record
from partnerlens.core import stored_files

logger = logging.getLogger(__name__)
STORAGE_FAILED = "storage_failed"


class EvidenceError(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _store(partnership_id: int, upload) -> str:
    suffix = PurePath(upload.name or "").suffix.lower()
    name = f"evidence/{partnership_id}/{secrets.token_hex(16)}{suffix}"
    upload.seek(0)
    try:
        return default_storage.save(name, upload)
    except Exception:
        logger.exception("Evidence for partnership %s could not be stored", partnership_id)
        raise EvidenceError(STORAGE_FAILED) from None


def add_evidence(
    partnership,
    *,
    actor,
    kind: str,
    title: str,
    title_cy: str = "",
    text: str = "",
    text_cy: str = "",
    url: str = "",
    upload=None,
    content_type: str = "",
    themes=(),
    actions=(),
    activities=(),
) -> EvidenceItem:
    stored = _store(partnership.pk, upload) if upload is not None else ""
    try:
        with transaction.atomic():
            item = EvidenceItem.objects.create(
                partnership=partnership,
                kind=kind,
                title=title,
                title_cy=title_cy,
                text=text,
                text_cy=text_cy,
                url=url,
                file=stored,
                filename=safe_filename(upload.name) if upload is not None else "",
                content_type=content_type if upload is not None else "",
                size=upload.size if upload is not None else 0,
                themes=list(themes),
                added_by=actor,
            )
            item.actions.set(actions)
            item.activities.set(activities)
            record(
                actor,
                verbs.EVIDENCE_ADDED,
                item,
                partnership_id=partnership.pk,
                kind=kind,
                content_type=item.content_type,
                size=item.size,
                actions=sorted(a.pk for a in actions),
            )
    except Exception:
        if stored:
            stored_files.delete(stored)
        raise
    return item
