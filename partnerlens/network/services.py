"""Computing and reading a partnership's network snapshots.

``compute_snapshot`` loads the partnership's scope (``loaders``), runs the engine and stores
the result (``snapshots``) in one go: the task, the demo and tests call it. People ask for a
fresh one with ``request_snapshot``, which queues ``tasks.compute_network`` (one status row
per partnership, ``core.jobs``); a task queue that is down marks the request failed, shown on
the page with "Try again", never an error page.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from partnerlens.audit import verbs
from partnerlens.audit.services import record
from partnerlens.core import jobs
from partnerlens.directory.models import Partnership
from partnerlens.network import loaders, snapshots, tasks
from partnerlens.network.models import Snapshot, SnapshotEntry, SnapshotJob, entries_of

logger = logging.getLogger(__name__)


def compute_snapshot(partnership: Partnership, on: dt.date | None = None) -> Snapshot:
    """The partnership's network as it stands on ``on`` (today when None), stored."""
    on = on or timezone.localdate()
    fields = snapshots.build(loaders.load(partnership, on))
    with transaction.atomic():
        snapshot = Snapshot.objects.create(partnership=partnership, on=on, **fields)
        SnapshotEntry.objects.bulk_create(
            (
                SnapshotEntry(snapshot=snapshot, organisation_id=org_id, row=row, ties=ties)
                for org_id, row, ties in entries_of(fields["organisations"], fields["ties"])
            ),
            batch_size=500,
        )
    return snapshot


def latest_snapshot(partnership: Partnership, *fields: str) -> Snapshot | None:
    """The newest snapshot; with ``fields``, only those columns are read (a large scope's
    lists are megabytes, and most pages need one or two of them)."""
    found = snapshots_of(partnership)
    return (found.only("partnership", *fields) if fields else found).first()


def snapshots_of(partnership: Partnership):
    """Every stored snapshot of the partnership, newest first."""
    return Snapshot.objects.filter(partnership=partnership)


def request_snapshot(partnership: Partnership, *, actor, on: dt.date | None = None) -> SnapshotJob:
    """Queue a fresh snapshot (runs once the caller's transaction commits), audited."""
    with transaction.atomic():
        record(
            actor,
            verbs.NETWORK_REQUESTED,
            partnership,
            partnership_id=partnership.pk,
            on=on.isoformat() if on else "",
        )
        return jobs.ask(SnapshotJob, tasks.compute_network, "partnership_id", partnership.pk, on=on)


def run_network_job(partnership_id: int, generation: int) -> str:
    """The task's work for one request: claim it, compute, and record how it went."""
    if not jobs.claim(SnapshotJob, "partnership_id", partnership_id, generation):
        return "not_claimed"
    job = (
        SnapshotJob.objects.select_related("partnership")
        .filter(partnership_id=partnership_id)
        .first()
    )
    if job is None:
        return "gone"
    try:
        compute_snapshot(job.partnership, job.on)
    except Exception as error:  # tried again on the back-off, then shown as failed
        code = type(error).__name__
        logger.exception("Network snapshot of partnership %s failed", partnership_id)
        status = jobs.retry_or_fail(
            SnapshotJob, tasks.compute_network, "partnership_id", partnership_id, generation, code
        )
        return f"{status}:{code}"
    jobs.finish(SnapshotJob, "partnership_id", partnership_id, generation)
    return jobs.JobStatus.DONE
