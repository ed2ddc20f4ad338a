"""Recovery: scripts/backup, then scripts/restore into an EMPTY database, finds everything.

The world of the persona tests (answers, a release of results, audit entries, a matching
run...) is built and committed, a stored file is put in the media folder, and the two
scripts run as an operator runs them, in their own processes. On SQLite the test database
lives in memory, so it is first copied to a file the scripts can open; on PostgreSQL the
scripts use the test database itself (pg_dump, pg_restore) and restore into a database of
its own, dropped afterwards.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from partnerlens.audit.models import AuditEvent
from partnerlens.core.backups import table_counts
from partnerlens.directory.models import Partnership
from partnerlens.enquiries.models import Answer
from partnerlens.insights.models import Release
from partnerlens.tests import world

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
STORED = ("exports/autumn-review.csv", b"school,score\nAsh Primary,3\n")
SAMPLED = {"answers": Answer, "releases": Release, "audit log": AuditEvent}


def run(script: str, *args, database_url: str, media_root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "MEDIA_ROOT": str(media_root)}
    return subprocess.run(
        [str(ROOT / "scripts" / script), *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def postgres_url(name: str) -> str:
    p = connection.settings_dict
    return (
        f"postgres://{quote(p['USER'])}:{quote(p['PASSWORD'])}@{p['HOST'] or 'localhost'}:"
        f"{p['PORT'] or 5432}/{name}"
    )


def postgres_connect(name: str):
    p = connection.settings_dict
    return psycopg.connect(
        dbname=name,
        user=p["USER"],
        password=p["PASSWORD"],
        host=p["HOST"] or "localhost",
        port=p["PORT"] or 5432,
    )


@pytest.fixture
def databases(tmp_path):
    """(the source's URL once the data is in, the empty target's URL, a raw connection to
    the source, a maker of raw connections to the target)."""
    if connection.vendor == "sqlite":
        source_file, target_file = tmp_path / "source.sqlite3", tmp_path / "restored.sqlite3"

        def source_url():
            connection.ensure_connection()
            copy = sqlite3.connect(source_file)
            connection.connection.backup(copy)  # the in-memory test database, for the scripts
            copy.close()
            return f"sqlite:///{source_file}"

        def target():
            # Read as Django's connection reads (its date and number conversions).
            return sqlite3.connect(
                target_file, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES
            )

        yield source_url, f"sqlite:///{target_file}", connection.connection, target
        return
    source_name = connection.settings_dict["NAME"]
    target_name = f"{source_name}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{target_name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{target_name}"')
    source = postgres_connect(source_name)
    opened = []

    def target():
        opened.append(postgres_connect(target_name))
        return opened[-1]

    try:
        yield lambda: postgres_url(source_name), postgres_url(target_name), source, target
    finally:
        for handle in (source, *opened):
            handle.close()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target_name}" WITH (FORCE)')


def rows(handle, table: str) -> list[tuple]:
    cursor = handle.cursor()
    cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')  # noqa: S608
    return [tuple(row) for row in cursor.fetchall()]


def test_a_backup_restored_into_an_empty_database_has_every_row_and_file(
    tmp_path, settings, databases
):
    built = world.build()
    assert Answer.objects.exists() and Release.objects.exists() and AuditEvent.objects.exists()
    settings.MEDIA_ROOT = tmp_path / "media"
    default_storage.save(STORED[0], ContentFile(STORED[1]))
    source_url, target_url, source, target = databases

    backed_up = run(
        "backup", tmp_path / "backups", database_url=source_url(), media_root=tmp_path / "media"
    )
    assert backed_up.returncode == 0, backed_up.stderr
    (folder,) = (tmp_path / "backups").iterdir()
    assert Path(backed_up.stdout.strip()) == folder
    assert oct(folder.stat().st_mode & 0o777) == "0o700"

    restored_media = tmp_path / "restored-media"
    restored = run("restore", folder, database_url=target_url, media_root=restored_media)
    assert restored.returncode == 0, restored.stderr
    assert "every count matches" in restored.stdout

    with connection.cursor() as cursor:
        expected = table_counts(cursor, connection.vendor)
    found = table_counts(target().cursor(), connection.vendor)
    assert found == expected
    assert len(expected) > 40 and expected[Answer._meta.db_table] > 0
    for what, model in SAMPLED.items():
        table = model._meta.db_table
        assert rows(target(), table) == rows(source, table), f"the {what} differ"
    assert (restored_media / STORED[0]).read_bytes() == STORED[1]
    # And the restored data is the world's.
    partnerships = rows(target(), Partnership._meta.db_table)
    assert any(built["a"].name in row for row in partnerships)


def test_restore_refuses_a_database_that_is_not_empty_and_a_damaged_backup(
    tmp_path, settings, databases
):
    settings.MEDIA_ROOT = tmp_path / "media"
    source_url, target_url, _source, _target = databases
    backed_up = run(
        "backup", tmp_path / "backups", database_url=source_url(), media_root=tmp_path / "media"
    )
    assert backed_up.returncode == 0, backed_up.stderr
    folder = Path(backed_up.stdout.strip())

    over_itself = run("restore", folder, database_url=source_url(), media_root=tmp_path / "m1")
    assert over_itself.returncode != 0
    assert "restore into an empty database" in over_itself.stderr

    database_file = next(folder.glob("database.*"))
    damaged = bytearray(database_file.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    database_file.write_bytes(bytes(damaged))
    refused = run("restore", folder, database_url=target_url, media_root=tmp_path / "m2")
    assert refused.returncode != 0
    assert "damaged" in refused.stderr
    assert table_counts(_target().cursor(), connection.vendor) == {}, "nothing was restored"
