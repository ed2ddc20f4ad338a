"""Backing up the database and the stored files, and restoring them (``scripts/backup``,
``scripts/restore``; docs/operations.md says when and how).

A backup is one folder, written under a hidden name and renamed only once complete:

- ``database.sqlite3`` (SQLite: the online backup API, a consistent copy taken while the
  site runs) or ``database.dump`` (PostgreSQL: ``pg_dump`` in its custom format);
- ``media.tar.gz``: the files in Django's default storage, when that storage is this disk;
- ``manifest.json``: when, which engine, each table's row count and each file's SHA-256.
  On PostgreSQL the counts are taken in the very snapshot ``pg_dump`` copies.

Restoring goes into an EMPTY database only (a new SQLite file, or a PostgreSQL database just
made with ``createdb``), checks each file against its SHA-256 first, and afterwards counts
every table again: a restore whose counts differ from the manifest's fails.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connections, transaction
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media.tar.gz"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}


class BackupError(Exception):
    """A backup or restore that cannot go on, with what to do about it."""


def table_counts(cursor, vendor: str) -> dict[str, int]:
    """Every table of the database (Django's or not) and its number of rows."""
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
        )
    else:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
    counts = {}
    for (name,) in cursor.fetchall():
        quoted = '"' + name.replace('"', '""') + '"'
        cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608 (names from the catalogue)
        counts[name] = cursor.fetchone()[0]
    return counts


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _engine(using: str) -> str:
    vendor = connections[using].vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Backups cover SQLite and PostgreSQL, not {vendor}")
    return vendor


# PostgreSQL tools ------------------------------------------------------------------------


def _pg_environment(using: str) -> dict[str, str]:
    """libpq's variables for the database, so no password appears in a command line."""
    params = connections[using].settings_dict
    env = {**os.environ, "PGDATABASE": params["NAME"]}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if params.get(key):
            env[variable] = str(params[key])
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    if params.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = params["OPTIONS"]["sslmode"]
    return env


def _pg_tool(tool: str, using: str) -> str:
    """``pg_dump`` or ``pg_restore`` no older than the server: Debian installs each major
    version's tools in /usr/lib/postgresql/<major>/bin, and the newest on the PATH."""
    with connections[using].cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        server = int(cursor.fetchone()[0]) // 10000
    candidates = [Path(f"/usr/lib/postgresql/{server}/bin/{tool}"), shutil.which(tool)]
    for candidate in [c for c in candidates if c and Path(c).is_file()]:
        # The operator's own PostgreSQL tools, found by their fixed names: no outside input.
        version = subprocess.run(  # noqa: S603
            [str(candidate), "--version"], capture_output=True, text=True, check=True
        ).stdout
        if int(re.search(r"(\d+)(?:\.\d+)?", version).group(1)) >= server:
            return str(candidate)
    raise BackupError(
        f"No {tool} for PostgreSQL {server} or newer: install Debian's "
        f"postgresql-client-{server} (or the postgresql package)"
    )


def _run_tool(command: list[str], using: str) -> None:
    # A tool found by _pg_tool, with paths this module made; the password goes by environment.
    done = subprocess.run(  # noqa: S603
        command, env=_pg_environment(using), capture_output=True, text=True
    )
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()}")


# Backing up ------------------------------------------------------------------------------


def _back_up_database(vendor: str, target: Path, using: str) -> dict[str, int]:
    connection = connections[using]
    if vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
            return table_counts(copy.cursor(), vendor)
        finally:
            copy.close()
    pg_dump = _pg_tool("pg_dump", using)
    with transaction.atomic(using=using), connection.cursor() as cursor:
        # pg_dump copies this transaction's snapshot, so the counts describe the same data.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        _run_tool([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"], using)
        return table_counts(cursor, vendor)


def _back_up_media(target: Path) -> dict:
    if not isinstance(default_storage, FileSystemStorage):
        return {"included": False, "storage": type(default_storage).__name__}
    root = Path(default_storage.location)
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
    with tarfile.open(target, "w:gz") as archive:
        for path in files:
            archive.add(path, arcname=str(path.relative_to(root)))
    return {"included": True, "files": len(files)}


def create_backup(destination: Path, using: str = "default") -> Path:
    """Back up the database and the stored files into a new folder under ``destination``."""
    vendor = _engine(using)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%fZ")
    destination.mkdir(parents=True, exist_ok=True)
    folder = destination / f"partnerlens-{stamp}"
    partial = destination / f".partnerlens-{stamp}.partial"
    partial.mkdir(mode=0o700)  # it holds personal data: the owner alone may read it
    database_file = DATABASE_FILES[vendor]
    counts = _back_up_database(vendor, partial / database_file, using)
    media = _back_up_media(partial / MEDIA)
    files = [database_file] + ([MEDIA] if media["included"] else [])
    manifest = {
        "format": FORMAT,
        "created": timezone.now().isoformat(),
        "engine": vendor,
        "database_file": database_file,
        "tables": counts,
        "media": media,
        "sha256": {name: _sha256(partial / name) for name in files},
    }
    (partial / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    for path in partial.iterdir():
        path.chmod(0o600)
    partial.rename(folder)
    return folder


# Restoring -------------------------------------------------------------------------------


def read_manifest(folder: Path) -> dict:
    """The backup's manifest, once every file it lists matches its SHA-256."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder} is not a complete backup (no readable {MANIFEST})") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{folder}: backup format {manifest.get('format')!r} is not known")
    for name, expected in manifest["sha256"].items():
        if not (folder / name).is_file() or _sha256(folder / name) != expected:
            raise BackupError(f"{folder / name} is missing or damaged (its SHA-256 differs)")
    return manifest


def _restore_database(manifest: dict, source: Path, using: str) -> None:
    connection = connections[using]
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} already has {len(tables)} "
            "tables: restore into an empty database (a new SQLite file, or one made with "
            "createdb)"
        )
    if manifest["engine"] == "sqlite":
        connection.close()
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        target = sqlite3.connect(connection.settings_dict["NAME"])
        try:
            backup.backup(target)
            if target.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("The restored SQLite database fails its integrity check")
        finally:
            backup.close()
            target.close()
        return
    pg_restore = _pg_tool("pg_restore", using)
    connection.close()
    _run_tool(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(source),
        ],
        using,
    )


def _restore_media(archive_path: Path, media_root: Path | None) -> int:
    if media_root is None:
        if not isinstance(default_storage, FileSystemStorage):
            raise BackupError(
                "The default storage is not this disk: give --media-root and copy the files "
                "into the storage from there"
            )
        media_root = Path(default_storage.location)
    with tarfile.open(archive_path, "r:gz") as archive:
        members = archive.getmembers()
        clashes = [m.name for m in members if (media_root / m.name).exists()]
        if clashes:
            raise BackupError(f"{media_root} already holds {clashes[0]}: restore files afresh")
        archive.extractall(media_root, filter="data")
    return len(members)


def restore_backup(folder: Path, using: str = "default", media_root: Path | None = None) -> dict:
    """Restore ``folder`` into the (empty) database ``using`` and the stored files; returns
    what was restored. Raises BackupError if anything differs from the manifest."""
    manifest = read_manifest(folder)
    vendor = _engine(using)
    if manifest["engine"] != vendor:
        raise BackupError(f"This is a {manifest['engine']} backup; the database is {vendor}")
    _restore_database(manifest, folder / manifest["database_file"], using)
    with connections[using].cursor() as cursor:
        counts = table_counts(cursor, vendor)
    expected = manifest["tables"]
    differ = {t: (expected.get(t), counts.get(t)) for t in expected.keys() | counts.keys()}
    differ = {t: pair for t, pair in differ.items() if pair[0] != pair[1]}
    if differ:
        raise BackupError(f"Row counts differ from the backup's (expected, found): {differ}")
    files = 0
    if manifest["media"]["included"]:
        files = _restore_media(folder / MEDIA, media_root)
    return {"tables": len(counts), "rows": sum(counts.values()), "files": files}
