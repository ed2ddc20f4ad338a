"""Snapshots through the services: computing and reading them, and asking for one on the task
queue (queued -> done, a failure recorded with its code, a queue that is down shown as a
status, never an error)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from partnerlens.audit import verbs
from partnerlens.audit.models import AuditEvent
from partnerlens.core.testing_tasks import UNREACHABLE, run_worker
from partnerlens.network import snapshots
from partnerlens.network.models import Snapshot, SnapshotJob
from partnerlens.network.services import (
    compute_snapshot,
    latest_snapshot,
    request_snapshot,
    snapshots_of,
)

pytestmark = pytest.mark.django_db


def test_snapshots_are_kept_and_read_newest_first(network_world):
    a = network_world["a"]
    assert latest_snapshot(a) is None
    old = compute_snapshot(a, dt.date(2022, 1, 1))
    new = compute_snapshot(a)
    assert latest_snapshot(a) == new
    assert list(snapshots_of(a)) == [new, old]
    assert new.on == timezone.localdate()
    assert list(snapshots_of(network_world["b"])) == []


def test_an_organisations_row_and_ties_are_found_by_its_id(network_world):
    w = network_world
    snapshot = compute_snapshot(w["a"])
    assert snapshot.organisation(w["hilltop"].pk)["name"] == "Hilltop High"
    assert snapshot.organisation(w["faraway"].pk) is None  # another authority: out of scope
    assert snapshot.organisation("not a number") is None
    levels = [t["level"] for t in snapshot.ties_of(w["hilltop"].pk)]
    assert levels[0] == "collaboration" and len(levels) == 4
    assert all(w["hilltop"].pk in (t["a"], t["b"]) for t in snapshot.ties_of(w["hilltop"].pk))


def test_a_requested_snapshot_runs_on_the_queue_and_is_audited(network_world):
    w = network_world
    job = request_snapshot(w["a"], actor=w["broker"], on=dt.date(2023, 3, 1))
    job.refresh_from_db()
    assert (job.status, job.generation, job.error) == ("done", 1, "")
    assert latest_snapshot(w["a"]).on == dt.date(2023, 3, 1)
    event = AuditEvent.objects.get(verb=verbs.NETWORK_REQUESTED)
    assert (event.actor, event.partnership_id) == (w["broker"], w["a"].pk)
    assert event.detail["on"] == "2023-03-01"
    again = request_snapshot(w["a"], actor=w["broker"])
    again.refresh_from_db()
    assert (again.generation, again.on, again.status) == (2, None, "done")
    assert Snapshot.objects.filter(partnership=w["a"]).count() == 2


def test_a_failed_computation_is_recorded_on_the_job_with_its_code(network_world, monkeypatch):
    def broken(loaded):
        raise ZeroDivisionError("a bug in the engine")

    monkeypatch.setattr(snapshots, "build", broken)
    job = request_snapshot(network_world["a"], actor=network_world["lead_a"])
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", "ZeroDivisionError")
    assert job.failed and not job.pending
    assert latest_snapshot(network_world["a"]) is None


@pytest.mark.django_db(transaction=True)
def test_with_the_queue_down_the_request_is_a_failed_status_and_try_again_works(
    network_world, settings
):
    w = network_world
    settings.TASKS_ENQUEUE_ON_COMMIT = True
    settings.TASKS = {"default": {"BACKEND": UNREACHABLE}}
    job = request_snapshot(w["a"], actor=w["lead_a"])  # no exception reaches the caller
    job = SnapshotJob.objects.get(pk=job.pk)
    assert (job.status, job.error) == ("failed", "ConnectionRefusedError")

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    request_snapshot(w["a"], actor=w["lead_a"])
    assert SnapshotJob.objects.get(pk=job.pk).status == "queued"
    run_worker()
    job = SnapshotJob.objects.get(pk=job.pk)
    assert (job.status, job.generation) == ("done", 2)
    assert latest_snapshot(w["a"]) is not None


def test_a_partnership_with_no_members_on_the_day_has_an_empty_network(personas):
    from partnerlens.directory.models import Membership

    Membership.objects.filter(partnership=personas["a"]).update(joined=dt.date(2024, 9, 1))
    snapshot = compute_snapshot(personas["a"], dt.date(2024, 8, 31))
    assert (snapshot.organisations, snapshot.ties, snapshot.areas) == ([], [], [])
    assert snapshot.components == [] and snapshot.figures["members"] == 0
