"""Downloads made in the background: an exporter marked ``prepared`` (the governors' PDF) is
made once per release x language by the task worker and kept in Django's storage.

Why: the PDF of the 5,000-respondent partnership takes 2-3 s of CPU (WeasyPrint and every
chart), 5-12 s on a busy machine (bench/exports.py), too long for a request that a
reverse proxy or gunicorn may time out. A release never changes, so its file never does
either: once made, everyone who may see that release gets the same stored file at once.

- ``prepared_for`` finds the file's row (``models.PreparedDownload``), asking for it when
  nobody has yet (``core.jobs.ask``: queued, the task enqueued when the request commits);
- ``run_prepare_job`` is the task's work: render, save through ``default_storage``, mark it
  done; any error (the storage is full or unreachable, the renderer failed) is tried again
  after 1, 5 and 25 minutes, then shown as failed with "Try again";
- ``read`` returns the stored bytes, or None when the storage cannot give them (then the
  file is asked for again, and the page says so): never an error page.

The task queue being down is not an error page either: ``core.jobs.enqueue`` marks the
request failed and the status page offers "Try again".
"""

from __future__ import annotations

import logging
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from partnerlens.core import jobs, stored_files
from partnerlens.insights import tasks
from partnerlens.insights.dashboard import codec
from partnerlens.insights.exporters import ExportContext, Exporter, get_exporter
from partnerlens.insights.models import PreparedDownload, Release

logger = logging.getLogger(__name__)

TARGET = "pk"
FOLDER = "downloads"


def export_context(release: Release, language: str) -> ExportContext:
    """What every exporter renders: the release's dashboard in ``language`` (call with that
    language active; the release must have its download tables, not ``light``)."""
    return ExportContext(
        dashboard=codec.decode(release.page[language], release.exports[language]),
        generated_at=timezone.localtime(release.created_at),
        language=language,
    )


def prepared_for(
    release: Release, language: str, exporter: Exporter, *, again: bool = False
) -> PreparedDownload:
    """This release's file in ``language``: asked for when it has never been, and asked for
    again when ``again`` and the last attempt failed (the status page's "Try again")."""
    fields = {"release_id": release.pk, "language": language, "identifier": exporter.identifier}
    row = PreparedDownload.objects.filter(**fields).first()
    if row is None:
        try:
            with transaction.atomic():
                row = PreparedDownload.objects.create(**fields)
        except IntegrityError:  # someone asked at the same moment: theirs is on its way
            return PreparedDownload.objects.get(**fields)
        return request(row)
    if again and row.failed:
        return request(row)
    return row


def request(row: PreparedDownload) -> PreparedDownload:
    """Queue (again) the making of ``row``'s file."""
    jobs.ask(PreparedDownload, tasks.prepare_download, TARGET, row.pk, file="", size=0)
    row.refresh_from_db()  # the immediate backend (tests) has already made it
    return row


def run_prepare_job(download_id: int, generation: int) -> str:
    """The task's work: render the file, store it, mark it done. Returns "made" or why not."""
    if not jobs.claim(PreparedDownload, TARGET, download_id, generation):
        return "not_claimed"
    row = PreparedDownload.objects.select_related("release").get(pk=download_id)
    exporter = get_exporter(row.identifier)
    try:
        with translation.override(row.language):
            context = export_context(row.release, row.language)
            body = exporter.render(context)
            filename = exporter.filename(context)
        name = default_storage.save(
            f"{FOLDER}/{uuid.uuid4().hex}.{exporter.extension}", ContentFile(body)
        )
    except Exception as error:  # storage or renderer: tried again, then shown as failed
        code = type(error).__name__
        logger.exception("Preparing download %s failed (attempt %s)", download_id, row.attempts)
        status = jobs.retry_or_fail(
            PreparedDownload, tasks.prepare_download, TARGET, download_id, generation, code
        )
        return f"{status}:{code}"
    jobs.finish(
        PreparedDownload,
        TARGET,
        download_id,
        generation,
        file=name,
        filename=filename,
        size=len(body),
    )
    return "made"


def read(row: PreparedDownload) -> bytes | None:
    """The stored file's bytes; None (and the file asked for again) when it is not ready or
    the storage cannot give it back."""
    if row.status != jobs.JobStatus.DONE:
        return None
    body = stored_files.read(row.file.name)
    if body is None:  # lost, or the storage is unreachable: make it again, say so
        request(row)
    return body


def delete_file(name: str) -> None:
    """Remove a stored file whose row is gone; a storage that fails is logged, not raised."""
    stored_files.delete(name)
