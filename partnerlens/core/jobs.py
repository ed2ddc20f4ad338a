"""Background jobs people wait for (a release of results, a matching run): one status row
per thing being built, and the task that builds it.

Each app keeps a concrete model on ``JobFields`` (one row per cycle, per scenario) and a
task that calls ``claim`` / ``finish`` / ``retry_or_fail`` around its work:

- asking for a build (``ask``) bumps the row's ``generation``, marks it queued and enqueues
  the task with that generation once the caller's transaction commits (``enqueue``);
- the task claims its generation (queued -> running) with one conditional UPDATE, so a
  duplicate task, or one a newer request has overtaken, does nothing;
- failures are tried again after ``BACKOFF`` (1, 5 and 25 minutes; the outbox's deliveries
  use the same schedule), then the row is marked failed with a short error code; the page
  offers "Try again".

``enqueue`` never raises into the page that asked: if the task backend cannot take the task
once the change has committed, the error is logged and the row stays queued.

Tests set ``TASKS_ENQUEUE_ON_COMMIT = False`` with the immediate backend (tests run inside a
transaction that never commits), so the work is done when ``ask`` returns.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=25))
MAX_ATTEMPTS = len(BACKOFF) + 1


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class JobFields(models.Model):
    """The status of the latest request to build something (abstract)."""

    status = models.CharField(max_length=7, choices=JobStatus.choices, default=JobStatus.QUEUED)
    generation = models.PositiveIntegerField(default=0)  # requests so far; tasks carry theirs
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=100, blank=True)  # a code, e.g. the exception's class
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def pending(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def failed(self) -> bool:
        return self.status == JobStatus.FAILED


def enqueue(task, *args, delay: timedelta | None = None, on_error=None) -> None:
    """Enqueue ``task(*args)`` when the surrounding transaction commits (at once outside one,
    or when ``TASKS_ENQUEUE_ON_COMMIT`` is off); ``delay`` defers it (queues that can wait).

    The change has committed by then, so a task backend that is down must not turn the
    page into an error: the failure is logged and handed to ``on_error(code)`` (which marks
    the work failed, so people can try again), and the page carries on."""

    def send():
        chosen = task
        if delay is not None:
            chosen = chosen.using(run_after=timezone.now() + delay)
        chosen.enqueue(*args)

    def send_after_commit():
        try:
            send()
        except Exception as error:  # the task backend is down or refuses the task
            logger.exception("Could not enqueue %s%r", getattr(task, "name", task), args)
            if on_error is not None:
                on_error(type(error).__name__)

    if getattr(settings, "TASKS_ENQUEUE_ON_COMMIT", True):
        transaction.on_commit(send_after_commit, robust=True)
    else:
        send()


def ask(model, task, target_field: str, target_id: int, **fields) -> JobFields:
    """A new request to build for ``target``: queued now, its task enqueued on commit."""
    with transaction.atomic():
        job, _created = model.objects.select_for_update().get_or_create(**{target_field: target_id})
        job.generation += 1
        job.status = JobStatus.QUEUED
        job.queued_at = timezone.now()
        job.started_at = job.finished_at = job.next_attempt_at = None
        job.attempts = 0
        job.error = ""
        for name, value in fields.items():
            setattr(job, name, value)
        job.save()
        enqueue(task, target_id, job.generation, on_error=partial(_not_queued, model, job))
    return job


def _not_queued(model, job: JobFields, code: str) -> None:
    """The task for this request could not be queued: show it failed ("Try again")."""
    model.objects.filter(pk=job.pk, generation=job.generation, status=JobStatus.QUEUED).update(
        status=JobStatus.FAILED, finished_at=timezone.now(), error=code[:100]
    )


def claim(model, target_field: str, target_id: int, generation: int) -> bool:
    """Start this generation's attempt; False when a newer request or another worker has it."""
    return bool(
        model.objects.filter(
            **{target_field: target_id}, generation=generation, status=JobStatus.QUEUED
        ).update(
            status=JobStatus.RUNNING,
            started_at=timezone.now(),
            attempts=F("attempts") + 1,
            next_attempt_at=None,
        )
    )


def finish(model, target_field: str, target_id: int, generation: int, **fields) -> None:
    """Mark this generation done (a newer request's row is left alone)."""
    model.objects.filter(
        **{target_field: target_id}, generation=generation, status=JobStatus.RUNNING
    ).update(status=JobStatus.DONE, finished_at=timezone.now(), error="", **fields)


def fail(model, target_field: str, target_id: int, generation: int, code: str, **fields) -> None:
    """Mark this generation failed for good (no retry: e.g. a problem people must fix)."""
    model.objects.filter(
        **{target_field: target_id}, generation=generation, status=JobStatus.RUNNING
    ).update(status=JobStatus.FAILED, finished_at=timezone.now(), error=code[:100], **fields)


def retry_or_fail(model, task, target_field: str, target_id: int, generation: int, code: str):
    """After an unexpected error: queue the next attempt with back-off, else mark failed.
    Returns the new status."""
    rows = model.objects.filter(
        **{target_field: target_id}, generation=generation, status=JobStatus.RUNNING
    )
    job = rows.first()
    if job is None:
        return None
    can_wait = getattr(task.get_backend(), "supports_defer", False)
    if job.attempts < MAX_ATTEMPTS and can_wait:
        delay = BACKOFF[job.attempts - 1]
        rows.update(
            status=JobStatus.QUEUED, error=code[:100], next_attempt_at=timezone.now() + delay
        )
        enqueue(task, target_id, generation, delay=delay, on_error=partial(_not_queued, model, job))
        return JobStatus.QUEUED
    fail(model, target_field, target_id, generation, code)
    return JobStatus.FAILED
