"""Where the time of one respondent page goes: queries and milliseconds per theme GET and
POST, in one process through Django's test client (no network, no server).

Run from the project root:  .venv/bin/python bench/load_profile.py
(a fresh PostgreSQL database ``partnerlens_load_profile`` on loopback, or set
LOAD_PROFILE_DATABASE_URL; ``sqlite`` uses a temporary SQLite file; LOAD_PROFILE_STATS=<file>
keeps a cProfile of the walk).

It builds the load bench's world for 40 respondents (``bench/load_world.py``) and walks 20 of
them through the first theme page: a GET, then a POST of every answer (Save and continue),
and prints the medians: ``bench load_profile page=theme_get ms=<ms> cpu_ms=<ms>
queries=<n>`` and the same for ``theme_post`` (``cpu_ms`` is this process's CPU time, which
a busy machine disturbs less than the wall-clock ``ms``).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load_world

PEOPLE = 20
DEFAULT_URL = "postgres://partnerlens:partnerlens@127.0.0.1:5432/partnerlens_load_profile"


def main() -> None:
    url = os.environ.get("LOAD_PROFILE_DATABASE_URL", DEFAULT_URL)
    if url == "sqlite":
        url = f"sqlite:///{tempfile.mkdtemp(prefix='load-profile-')}/profile.sqlite3"
    load_world.setup_django(url)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    if url.startswith("postgres"):
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    else:
        call_command("migrate", verbosity=0)
    _cycle, tokens = load_world.build(PEOPLE * 2)
    rng = random.Random(1)
    times: dict[str, list[float]] = {"theme_get": [], "theme_post": []}
    cpu: dict[str, list[float]] = {"theme_get": [], "theme_post": []}
    queries: dict[str, list[int]] = {"theme_get": [], "theme_post": []}
    profiler = None
    if os.environ.get("LOAD_PROFILE_STATS"):  # a cProfile of the walk, to read with pstats
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    for token in tokens[:PEOPLE]:
        client = Client()
        client.post(reverse("enquiries:start", args=[token]))  # makes the draft
        address = reverse("enquiries:theme", args=[token, 1])
        for page in ("theme_get", "theme_post"):
            with CaptureQueriesContext(connection) as captured:
                start, start_cpu = time.perf_counter(), time.process_time()
                if page == "theme_get":
                    reply = client.get(address)
                    html = reply.content.decode()
                else:
                    reply = client.post(address, load_world.answers_for(html, 1, rng))
                times[page].append((time.perf_counter() - start) * 1000)
                cpu[page].append((time.process_time() - start_cpu) * 1000)
            assert reply.status_code in (200, 302), (page, reply.status_code)
            queries[page].append(len(captured))
    if profiler:
        profiler.disable()
        profiler.dump_stats(os.environ["LOAD_PROFILE_STATS"])
    for page in times:
        print(
            f"bench load_profile page={page} ms={statistics.median(times[page]):.1f} "
            f"cpu_ms={statistics.median(cpu[page]):.1f} "
            f"queries={statistics.median(queries[page]):.0f}",
            flush=True,
        )
    if url.startswith("postgres"):
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
