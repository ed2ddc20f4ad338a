"""Operations figures: the readiness probe, the cost of the request log, and a backup and
restore of the demo database.

Run from the project root:  .venv/bin/python bench/operations.py [--postgres URL]

Builds the demo (``load_demo --migrate``) in a temporary SQLite database, or, with
``--postgres postgres://user:password@host:port/name``, in a new PostgreSQL database of
that server named ``<name>_bench_ops`` (dropped afterwards, with its restored copy). Then:

- ``readyz_ms``: the median CPU time of /readyz (database, queue, storage) over 200
  requests through Django's test client, in this process;
- ``log_us``: the CPU time the request line and its redaction add to one request: /healthz
  with LOG_REQUESTS on and JSON lines written, against /healthz with the middleware removed
  and request lines off (median of 9 alternating rounds of 1,000 requests each);
- ``mask_us``: the CPU time of masking one respondent path from scratch (resolving it
  against the URLconf), as the filter does for Django's own lines; a request line reuses
  the request's URL match instead;
- ``backup_s`` and ``restore_s``: ``scripts/backup`` and ``scripts/restore`` (into an empty
  database, counting every table after) as an operator runs them, process start included;
  ``rows`` and ``backup_mb`` say how much was copied.

It prints  bench operations engine=<e> readyz_ms=<ms> log_us=<us> mask_us=<us>
backup_s=<s> restore_s=<s> rows=<n> backup_mb=<mb> load=<1-minute load average>
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def cpu_us(client, path: str, n: int = 1000) -> float:
    """CPU microseconds per request (this process's CPU time, so other work on a busy
    machine does not count)."""
    started = time.process_time()
    for _ in range(n):
        client.get(path)
    return (time.process_time() - started) / n * 1e6


def measure_in_process(database_url: str, media: Path) -> dict:
    os.environ.update(
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media),
        DJANGO_SETTINGS_MODULE="partnerlens.settings",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import copy
    import logging.config

    from django.conf import settings
    from django.test import Client, override_settings

    from partnerlens.core.request_log import mask_path

    readyz = []
    client = Client(HTTP_HOST="localhost")
    for _ in range(200):
        started = time.process_time()
        assert client.get("/readyz").status_code == 200
        readyz.append((time.process_time() - started) * 1000)

    config = copy.deepcopy(settings.LOGGING)
    config["handlers"]["console"].update(formatter="json", stream=io.StringIO())
    config["loggers"]["partnerlens.requests"]["level"] = "INFO"
    bare = [m for m in settings.MIDDLEWARE if "request_log" not in m]
    logged, plain = Client(HTTP_HOST="localhost"), Client(HTTP_HOST="localhost")
    differences = []
    for _ in range(9):  # alternate, so drift in the machine's speed hits both alike
        logging.config.dictConfig(config)
        with_log = cpu_us(logged, "/healthz")
        logging.config.dictConfig(settings.LOGGING)
        with override_settings(MIDDLEWARE=bare):
            differences.append(with_log - cpu_us(plain, "/healthz"))

    path = "/enquiries/r/Qk3-2rT9xYzA1bC4dE5fG6hI7jK8lM9nO0pQ1rS2tU3/theme/2/"
    started = time.process_time()
    for _ in range(10_000):
        mask_path(path)
    mask_us = (time.process_time() - started) / 10_000 * 1e6
    return {
        "readyz_ms": round(statistics.median(readyz), 2),
        "log_us": round(statistics.median(differences), 1),
        "mask_us": round(mask_us, 1),
    }


def postgres_databases(url: str):
    import psycopg

    parts = urlparse(url)
    base = parts.path.lstrip("/")
    names = (f"{base}_bench_ops", f"{base}_bench_ops_restore")
    admin = psycopg.connect(
        dbname=base,
        user=parts.username,
        password=parts.password,
        host=parts.hostname,
        port=parts.port or 5432,
        autocommit=True,
    )
    for name in names:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    urls = [urlunparse(parts._replace(path=f"/{name}")) for name in names]

    def drop():
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    return urls, drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--postgres", help="a PostgreSQL URL whose server may hold two scratch databases"
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        drop = None
        if options.postgres:
            (source, target), drop = postgres_databases(options.postgres)
            engine = "postgresql"
        else:
            source, target = (
                f"sqlite:///{tmp / 'demo.sqlite3'}",
                f"sqlite:///{tmp / 'restored.sqlite3'}",
            )
            engine = "sqlite"
        try:
            env = {**os.environ, "DATABASE_URL": source, "MEDIA_ROOT": str(tmp / "media")}
            python = str(ROOT / ".venv" / "bin" / "python")
            subprocess.run(
                [python, "manage.py", "load_demo", "--migrate"],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
            )
            backup_s = timed([str(ROOT / "scripts" / "backup"), str(tmp / "backups")], env)
            (folder,) = (tmp / "backups").iterdir()
            manifest = json.loads((folder / "manifest.json").read_text())
            size = sum(p.stat().st_size for p in folder.iterdir())
            restore_env = {**env, "DATABASE_URL": target, "MEDIA_ROOT": str(tmp / "restored-media")}
            restore_s = timed([str(ROOT / "scripts" / "restore"), str(folder)], restore_env)
            figures = measure_in_process(source, tmp / "media")
        finally:
            if drop:
                from django.db import connections

                connections.close_all()
                drop()
    print(
        f"bench operations engine={engine} readyz_ms={figures['readyz_ms']} "
        f"log_us={figures['log_us']} mask_us={figures['mask_us']} backup_s={backup_s:.2f} "
        f"restore_s={restore_s:.2f} rows={sum(manifest['tables'].values())} "
        f"backup_mb={size / 1e6:.1f} load={os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
