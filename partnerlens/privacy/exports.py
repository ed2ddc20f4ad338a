"""Subject access exports, made by the task worker (``core.jobs``): asking makes a queued
``SubjectExport``; the task gathers everything held (``subjects.collect``) within the
requester's scope, stores it as JSON through Django's storage, and marks it done. Errors
are tried again after 1, 5 and 25 minutes, then shown as failed with "Try again".
"""

from __future__ import annotations

import json
import logging
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from partnerlens.audit import verbs
from partnerlens.audit.services import pseudonym, record
from partnerlens.core import jobs, stored_files
from partnerlens.privacy import subjects, tasks
from partnerlens.privacy.models import SubjectExport

logger = logging.getLogger(__name__)
TARGET = "pk"


def ask_export(email: str, *, requester, scope: list[int] | None) -> SubjectExport:
    """Queue an export of everything held about ``email`` in ``scope`` (None: everything)."""
    export = SubjectExport.objects.create(
        requested_by=requester,
        subject=email.strip().lower(),
        scope=sorted(scope or []),
        everything=scope is None,
    )
    record(
        requester,
        verbs.PRIVACY_EXPORT_ASKED,
        export,
        subject=pseudonym(export.subject),
        scope=export.scope if scope is not None else "all",
    )
    return request(export)


def request(export: SubjectExport) -> SubjectExport:
    jobs.ask(SubjectExport, tasks.build_export, TARGET, export.pk, file="", size=0)
    export.refresh_from_db()
    return export


def document(export: SubjectExport) -> bytes:
    scope = None if export.everything else export.scope
    held = subjects.collect(subjects.find(export.subject), scope)
    return json.dumps(held, indent=2, ensure_ascii=False, default=str).encode()


def run_export_job(export_id: int, generation: int) -> str:
    if not jobs.claim(SubjectExport, TARGET, export_id, generation):
        return "superseded"
    try:
        export = SubjectExport.objects.get(pk=export_id)
        content = document(export)
        name = default_storage.save(f"privacy/{uuid.uuid4().hex}.json", ContentFile(content))
    except Exception as error:
        logger.exception("Subject export %s failed", export_id)
        jobs.retry_or_fail(
            SubjectExport, tasks.build_export, TARGET, export_id, generation, type(error).__name__
        )
        return "failed"
    jobs.finish(SubjectExport, TARGET, export_id, generation, file=name, size=len(content))
    return "made"


def read(export: SubjectExport) -> bytes | None:
    """The export's JSON; None (and the export asked for again) when the storage has lost
    it or cannot give it back."""
    content = stored_files.read(export.file.name)
    if content is None:
        request(export)
    return content
