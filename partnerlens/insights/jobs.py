"""Release building through the task queue.

Closing or publishing a cycle, and changing a partnership's insight settings, ask for a
release (``request_release``): the cycle's ``ReleaseJob`` row is marked queued and the
``build_release`` task is enqueued when the change commits, so the page that closed the
cycle returns at once. The worker runs ``run_release_job``, which calls ``make_release``.

Safe to run twice: a task claims its request's generation with one conditional UPDATE (a
duplicate, or a task a newer request overtook, does nothing), and ``make_release`` locks the
cycle's row and makes no second release for the same respondents and settings. Unexpected
errors are tried again after 1, 5 and 25 minutes, then the job is failed with the error's
class as its code; a lead can try again (``retry``).
"""

from __future__ import annotations

import logging

from django.db import transaction

from partnerlens.core import jobs
from partnerlens.enquiries.models import Cycle, CycleState
from partnerlens.insights import tasks
from partnerlens.insights.models import ReleaseJob

logger = logging.getLogger(__name__)

TARGET = "cycle_id"
REOPENED = "reopened"  # outcome when the cycle was reopened before the build ran


def request_release(cycle: Cycle, *, reason: str, actor=None, force: bool = False) -> ReleaseJob:
    """Queue a build of ``cycle``'s release (merged with a request still waiting: a forced
    rebuild stays forced)."""
    with transaction.atomic():
        waiting = (
            ReleaseJob.objects.select_for_update()
            .filter(cycle_id=cycle.pk, status=jobs.JobStatus.QUEUED, attempts=0)
            .values_list("force", flat=True)
            .first()
        )
        return jobs.ask(
            ReleaseJob,
            tasks.build_release,
            TARGET,
            cycle.pk,
            reason=reason,
            force=bool(force or waiting),
            requested_by=actor if getattr(actor, "pk", None) else None,
            outcome="",
        )


def retry(job: ReleaseJob, *, actor) -> ReleaseJob:
    """Ask again after a failure (the lead's "Try again")."""
    return request_release(job.cycle, reason=job.reason, actor=actor, force=job.force)


def run_release_job(cycle_id: int, generation: int) -> str:
    """The task's work: build the release for this request. Returns make_release's outcome
    code, or why nothing was done."""
    from partnerlens.insights.releases import make_release

    if not jobs.claim(ReleaseJob, TARGET, cycle_id, generation):
        return "not_claimed"
    job = ReleaseJob.objects.select_related("cycle__partnership", "requested_by").get(
        cycle_id=cycle_id
    )
    if job.cycle.state not in (CycleState.CLOSED, CycleState.PUBLISHED):
        # Reopened since it was asked for: the next close asks again.
        jobs.finish(ReleaseJob, TARGET, cycle_id, generation, outcome=REOPENED)
        return REOPENED
    try:
        outcome = make_release(
            job.cycle, reason=job.reason, actor=job.requested_by, force=job.force
        )
    except Exception as error:  # any failure is retried, then shown as failed
        code = type(error).__name__
        logger.exception("Release of cycle %s failed (attempt %s)", cycle_id, job.attempts)
        status = jobs.retry_or_fail(
            ReleaseJob, tasks.build_release, TARGET, cycle_id, generation, code
        )
        return f"{status}:{code}"
    jobs.finish(ReleaseJob, TARGET, cycle_id, generation, outcome=outcome.code)
    return outcome.code


def job_for(cycle: Cycle) -> ReleaseJob | None:
    return ReleaseJob.objects.filter(cycle_id=cycle.pk).first()
