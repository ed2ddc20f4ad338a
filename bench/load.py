"""Load benchmark of the respondent journey (issue 12, part 1).

Run from the project root with no arguments:  .venv/bin/python bench/load.py
Options: ``--quick`` (a scaled-down run: 200 respondents, pages of 2-8 s, short loops),
``--sqlite`` (the embedded SQLite database in WAL mode instead of PostgreSQL),
``--workers N`` (gunicorn workers, default 4). Needs the optional ``load`` dependency group
(locust): ``uv sync --group load``.

The set-up is the deployment's (docs/deployment.md): gunicorn with sync workers and
``OPENBLAS_NUM_THREADS=1`` on 127.0.0.1, one ``manage.py db_worker``, and a PostgreSQL
database of its own on loopback (``partnerlens_load``, dropped and made again), or a fresh
SQLite file. The world (``bench/load_world.py``): one partnership of 30 real Trafford
schools, a 40-question cycle (8 theme pages) and 2,000 invited respondents, plus spare
invitees for the closed loop. The simulated people (``bench/load_users.py``, locust) run:

1. the burst: 2,000 respondents complete the cycle, 1,000 of them arriving within two
   minutes and the rest within eight more; each spends 10-40 s on every page (a peak near
   1,000 people answering at once);
2. a closed loop with no pauses (48 people walking the cycle, 60 s): the saturation
   throughput of the journey;
3. a closed loop on ``/healthz`` on the same server (48 clients, 20 s); ratio = 2 / 3.

Afterwards it checks every acknowledged write against the database: each theme save
answered with a redirect must have its answers stored (the last acknowledged value of each
answer, the one a later save would replace), and each acknowledged submission must be
submitted. It prints

    bench load page=<name> p50_ms= p95_ms= p99_ms= requests=     (each page, in the burst)
    bench load saturation_rps=<r> healthz_rps=<r> ratio=<r>
    bench load respondents=<n> p95_ms=<ms> errors=<n> lost=<n> ratio=<r>

and a ``FAIL`` line for each goal missed (p95 < 200 ms, 0 errors, 0 lost, ratio >= 0.15).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import load_world  # noqa: E402

PG_URL = "postgres://partnerlens:partnerlens@127.0.0.1:5432/partnerlens_load"
PORT = 8765
# Sync workers are CPU-bound here, but each spends about a third of a request waiting on
# PostgreSQL: two per core keeps both cores busy without queueing requests behind a wait.
WORKERS = 4
FULL = {
    "respondents": 2000,
    "first": 1000,
    "first_window": 120,
    "rest_window": 480,
    "think": (10, 40),
    "closed_users": 48,
    "closed_s": 60,
    "healthz_s": 20,
    "spare": 1500,
}
QUICK = {
    "respondents": 200,
    "first": 100,
    "first_window": 12,
    "rest_window": 48,
    "think": (2, 8),
    "closed_users": 24,
    "closed_s": 20,
    "healthz_s": 10,
    "spare": 400,
}
GOALS = {"p95_ms": 200, "ratio": 0.15}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def fresh_database(sqlite: bool, folder: str) -> str:
    if sqlite:
        return f"sqlite:///{folder}/load.sqlite3"
    import psycopg

    with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as db:
        db.execute("DROP DATABASE IF EXISTS partnerlens_load WITH (FORCE)")
        db.execute("CREATE DATABASE partnerlens_load")
    return PG_URL


def serve(url: str, workers: int, folder: str) -> list[subprocess.Popen]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "OPENBLAS_NUM_THREADS": "1",
        "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    web = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "partnerlens.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--backlog",
            "4096",
        ],
        cwd=ROOT,
        env=env,
        stdout=open(f"{folder}/gunicorn.log", "w"),
        stderr=subprocess.STDOUT,
    )
    worker = subprocess.Popen(
        [str(ROOT / ".venv/bin/python"), "manage.py", "db_worker", "--no-reload"],
        cwd=ROOT,
        env=env,
        stdout=open(f"{folder}/worker.log", "w"),
        stderr=subprocess.STDOUT,
    )
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2)
            return [web, worker]
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not start: see {folder}/gunicorn.log")


def drive(plan: dict, folder: str, name: str) -> dict:
    plan_path, result_path = Path(folder, f"{name}-plan.json"), Path(folder, f"{name}.json")
    plan_path.write_text(json.dumps(plan))
    subprocess.run(
        [sys.executable, str(ROOT / "bench/load_users.py"), plan_path, result_path],
        check=True,
        cwd=ROOT,
    )
    return json.loads(result_path.read_text())


def lost_writes(acks: list[dict]) -> tuple[int, int]:
    """(acknowledged answers and submissions not found as acknowledged, how many checked)."""
    from partnerlens.core.tokens import hash_token
    from partnerlens.enquiries.models import Answer, Response

    expected: dict[str, dict[str, str]] = {}
    submitted: set[str] = set()
    for ack in acks:
        if ack.get("submitted"):
            submitted.add(ack["token"])
        else:
            expected.setdefault(ack["token"], {}).update(ack["answers"])
    keys = {}
    for token in expected.keys() | submitted:
        keys[hash_token(token, purpose="response")] = token
        keys[hash_token(token, purpose="submitted")] = token
    responses = {r.pk: r for r in Response.objects.filter(resume_key__in=keys)}
    token_of = {pk: keys[r.resume_key] for pk, r in responses.items()}
    stored: dict[str, dict[str, str]] = {}
    for answer in Answer.objects.filter(response_id__in=responses).iterator(chunk_size=5000):
        value = "dont-know" if answer.dont_know else answer.option_value or answer.text
        stored.setdefault(token_of[answer.response_id], {})[f"q{answer.question_id}"] = value
    lost = checked = 0
    for token, answers in expected.items():
        for name, value in answers.items():
            checked += 1
            lost += stored.get(token, {}).get(name, "") != value
    done = {keys[r.resume_key] for r in responses.values() if r.is_submitted}
    checked += len(submitted)
    lost += len(submitted - done)
    return lost, checked


def main() -> int:
    try:
        import locust  # noqa: F401
    except ImportError:
        print("locust is missing: install the load group with   uv sync --group load")
        return 2
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--workers", type=int, default=WORKERS)
    args = parser.parse_args()
    size = QUICK if args.quick else FULL
    folder = tempfile.mkdtemp(prefix="bench-load-")
    url = fresh_database(args.sqlite, folder)
    load_world.setup_django(url)
    from django.core.management import call_command
    from django.db import connections
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    _cycle, tokens = load_world.build(size["respondents"] + size["spare"])
    log(f"world: {len(tokens)} invitees in {time.perf_counter() - started:.0f} s ({folder})")
    connections.close_all()
    paths = {
        "start": reverse("enquiries:start", args=["TOKEN"]),
        "theme": reverse("enquiries:theme", args=["TOKEN", 999]),
        "review": reverse("enquiries:review", args=["TOKEN"]),
        "submit": reverse("enquiries:submit", args=["TOKEN"]),
        "healthz": reverse("healthz"),
    }
    base = {"host": f"http://127.0.0.1:{PORT}", "paths": paths, "themes": load_world.THEMES}
    processes = serve(url, args.workers, folder)
    try:
        burst = drive(
            {
                **base,
                "mode": "burst",
                "tokens": tokens[: size["respondents"]],
                "respondents": size["respondents"],
                "first": size["first"],
                "first_window": size["first_window"],
                "rest_window": size["rest_window"],
                "think": size["think"],
                "timeout": 900,
            },
            folder,
            "burst",
        )
        closed = drive(
            {
                **base,
                "mode": "closed",
                "tokens": tokens[size["respondents"] :],
                "users": size["closed_users"],
                "duration": size["closed_s"],
            },
            folder,
            "closed",
        )
        health = drive(
            {
                **base,
                "mode": "healthz",
                "users": size["closed_users"],
                "duration": size["healthz_s"],
            },
            folder,
            "healthz",
        )
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=60)
    return report(args, size, burst, closed, health)


def report(args, size: dict, burst: dict, closed: dict, health: dict) -> int:
    every = [t for times in burst["times"].values() for t in times]
    for name, times in sorted(burst["times"].items()):
        print(
            f"bench load page={name.replace(' ', '_').replace(':', '')} "
            f"p50_ms={statistics.median(times):.0f} p95_ms={percentile(times, 0.95):.0f} "
            f"p99_ms={percentile(times, 0.99):.0f} requests={len(times)}",
            flush=True,
        )
    saturation = sum(len(t) for t in closed["times"].values()) / closed["seconds"]
    healthz = sum(len(t) for t in health["times"].values()) / health["seconds"]
    ratio = saturation / healthz if healthz else 0.0
    errors = len(burst["failures"]) + len(closed["failures"]) + len(health["failures"])
    lost, checked = lost_writes(burst["acks"] + closed["acks"])
    for failure in (burst["failures"] + closed["failures"] + health["failures"])[:20]:
        log(f"error: {failure}")
    log(
        f"checked {checked} acknowledged writes; burst journeys completed: {burst['journeys']}"
        f" of {size['respondents']} in {burst['seconds']:.0f} s; uptime: "
        + subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    )
    p95 = percentile(every, 0.95)
    database = "sqlite" if args.sqlite else "postgresql"
    print(
        f"bench load saturation_rps={saturation:.0f} healthz_rps={healthz:.0f} "
        f"ratio={ratio:.3f} database={database} workers={args.workers}"
        f"{' quick=1' if args.quick else ''}",
        flush=True,
    )
    print(
        f"bench load respondents={size['respondents']} p95_ms={p95:.0f} errors={errors} "
        f"lost={lost} ratio={ratio:.3f}",
        flush=True,
    )
    failed = False
    for missed, line in (
        (p95 >= GOALS["p95_ms"], f"FAIL p95_ms={p95:.0f}: goal < {GOALS['p95_ms']}"),
        (errors > 0, f"FAIL errors={errors}: goal 0"),
        (lost > 0, f"FAIL lost={lost}: goal 0"),
        (burst["journeys"] < size["respondents"], f"FAIL journeys={burst['journeys']}"),
        (ratio < GOALS["ratio"], f"FAIL ratio={ratio:.3f}: goal >= {GOALS['ratio']}"),
    ):
        if missed:
            print(line, flush=True)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
