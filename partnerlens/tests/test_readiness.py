"""/healthz (liveness) and /readyz (readiness: database, task queue, storage).

Each part of /readyz is made to fail for real: storage at a place no file can be written,
the queue with its table gone, the database in another process whose database cannot be
reached. The answer is then 503 naming the part, never a 500, and never the error's text.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from partnerlens.core.readiness import QUEUE_STALLED_SECONDS
from partnerlens.outbox.tasks import deliver_mail

ROOT = Path(__file__).resolve().parents[2]
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def readyz(client) -> tuple[int, dict]:
    response = client.get("/readyz")
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    return response.status_code, response.json()


def statuses(report: dict) -> dict:
    return {name: check["status"] for name, check in report["checks"].items()}


def test_healthz_answers_without_the_database(client):
    # No database access is allowed in this test: one query would raise.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_readyz_is_200_when_every_part_works(client, db, media, settings):
    settings.TASKS = DATABASE_TASKS
    status, report = readyz(client)
    assert status == 200
    assert report["status"] == "ok"
    assert statuses(report) == {"database": "ok", "queue": "ok", "storage": "ok"}
    assert report["checks"]["queue"]["ready_tasks"] == 0
    assert report["checks"]["queue"]["oldest_ready_seconds"] is None
    assert list(media.rglob("*.probe")) == [], "the storage probe is deleted"


def test_readyz_reports_the_oldest_waiting_task_and_a_stalled_queue(client, db, media, settings):
    settings.TASKS = DATABASE_TASKS
    deliver_mail.enqueue(1)
    deliver_mail.enqueue(2)
    waited = QUEUE_STALLED_SECONDS + 60
    DBTaskResult.objects.filter(args_kwargs__args=[1]).update(
        enqueued_at=timezone.now() - timedelta(seconds=waited)
    )
    status, report = readyz(client)
    queue = report["checks"]["queue"]
    assert queue["ready_tasks"] == 2
    assert waited <= queue["oldest_ready_seconds"] < waited + 30
    assert queue["stalled"] is True
    assert queue["last_started_seconds_ago"] is None  # no worker has taken a task yet
    assert status == 200, "a stalled queue is for monitoring; this server still serves"

    DBTaskResult.objects.filter(args_kwargs__args=[1]).update(
        status="RUNNING", started_at=timezone.now() - timedelta(seconds=30)
    )
    queue = readyz(client)[1]["checks"]["queue"]
    assert queue["ready_tasks"] == 1
    assert queue["oldest_ready_seconds"] < QUEUE_STALLED_SECONDS
    assert queue["stalled"] is False
    assert 30 <= queue["last_started_seconds_ago"] < 60


def test_a_task_waiting_out_its_back_off_counts_from_when_it_was_due(client, db, settings):
    settings.TASKS = DATABASE_TASKS
    deliver_mail.using(run_after=timezone.now() + timedelta(minutes=5)).enqueue(1)
    assert readyz(client)[1]["checks"]["queue"]["ready_tasks"] == 0  # not due yet
    DBTaskResult.objects.update(
        enqueued_at=timezone.now() - timedelta(hours=1),
        run_after=timezone.now() - timedelta(seconds=20),
    )
    queue = readyz(client)[1]["checks"]["queue"]
    assert queue["ready_tasks"] == 1
    assert 20 <= queue["oldest_ready_seconds"] < 60


def test_storage_that_cannot_be_written_makes_it_503_naming_storage(client, db, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("a file where the media folder should be")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(blocker / "media")},
        },
    }
    status, report = readyz(client)
    assert status == 503
    assert report["status"] == "fail"
    assert statuses(report) == {"database": "ok", "queue": "ok", "storage": "fail"}
    assert report["checks"]["storage"]["error"]  # the exception's class
    assert str(tmp_path) not in json.dumps(report)


def test_a_queue_table_that_is_gone_makes_it_503_naming_the_queue(client, db, media, settings):
    settings.TASKS = DATABASE_TASKS
    table = DBTaskResult._meta.db_table
    with connection.cursor() as cursor:  # rolled back with the test's transaction
        cursor.execute(f'ALTER TABLE "{table}" RENAME TO "readiness_moved_away"')
    status, report = readyz(client)
    assert status == 503
    assert statuses(report) == {"database": "ok", "queue": "fail", "storage": "ok"}
    assert report["checks"]["queue"]["error"] in ("OperationalError", "ProgrammingError")
    assert table not in json.dumps(report)


READYZ_IN_ANOTHER_PROCESS = """
import json, django
django.setup()
from django.test import Client
response = Client(HTTP_HOST="localhost").get("/readyz")
print(json.dumps({"status": response.status_code, "body": response.content.decode()}))
"""


@pytest.mark.parametrize(
    "database_url",
    [
        "sqlite:///{tmp}/no-such-folder/partnerlens.sqlite3",
        "postgres://partnerlens:s3cret-Pa55@127.0.0.1:1/nowhere",
    ],
    ids=["sqlite-file-cannot-open", "postgres-refuses"],
)
def test_a_database_that_cannot_be_reached_makes_it_503_naming_it(tmp_path, database_url):
    url = database_url.format(tmp=tmp_path)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "partnerlens.settings",
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DEBUG": "false",
    }
    done = subprocess.run(
        [sys.executable, "-c", READYZ_IN_ANOTHER_PROCESS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    report = json.loads(answer["body"])
    # The queue lives in the same database, so it cannot be reached either.
    assert statuses(report) == {"database": "fail", "queue": "fail", "storage": "ok"}
    for secret in ("s3cret-Pa55", "127.0.0.1", str(tmp_path), "nowhere"):
        assert secret not in answer["body"]
