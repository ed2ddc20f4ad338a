"""Benchmark of the network as the product runs it (issue 15): the snapshot the task builds
and the pages that read it, for a partnership whose scope holds 3,000 schools.

Run from the project root with no arguments:  .venv/bin/python bench/network_service.py

``bench/network.py`` times the pure engine on a national graph held in memory. This bench
times ``network.services.compute_snapshot`` (what the queued task runs: read the scope from
the database, the engine, the layout, store the snapshot) and then the pages a lead opens,
through Django's test client: the picture (force layout and map), the isolated schools of
one local authority and one school's profile. The database is a fresh temporary SQLite file
(migrated; not timed) holding ``partnerlens/network/tests/large.py``'s world: 3,000 schools
in six local authorities, 250 public trusts of 8, a cluster of 60 members with 30 support
pairs.

It prints

    bench network_service schools=<n> ties=<n> snapshot_s=<median of RUNS> snapshot_mb=<stored JSON>
        peak_mb=<MB> home_ms=<median> map_ms=<median> isolated_ms=<median> profile_ms=<median>
        home_kb=<page size>

then "all goals met" or one line per missed goal (exit 1). Goals: a snapshot under
GOAL_SNAPSHOT_S (it runs in the background, with its status shown), each page under
GOAL_PAGE_MS, peak memory under GOAL_MB.
"""

from __future__ import annotations

import json
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load_world

RUNS = 3
PAGE_RUNS = 5
GOAL_SNAPSHOT_S = 10
GOAL_PAGE_MS = 1_000
GOAL_MB = 1_024


def _get_ms(client, url: str) -> tuple[float, int]:
    began = time.perf_counter()
    response = client.get(url)
    took = (time.perf_counter() - began) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return took, len(response.content)


def main() -> int:
    folder = tempfile.mkdtemp(prefix="bench-network-service-")
    try:
        load_world.setup_django(f"sqlite:///{folder}/bench.sqlite3")
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.test import Client
        from django.test.utils import setup_test_environment
        from django.urls import reverse

        from partnerlens.directory.models import PartnershipRole, Role
        from partnerlens.network import services
        from partnerlens.network.tests.large import SCHOOLS, large_scope

        setup_test_environment()
        settings.ALLOWED_HOSTS = ["*"]
        call_command("migrate", verbosity=0)
        partnership = large_scope()
        lead = get_user_model().objects.create(username="lead", email="lead@example.org")
        PartnershipRole.objects.create(
            partnership=partnership, user=lead, role=Role.PARTNERSHIP_LEAD
        )
        took = []
        for _ in range(RUNS):
            began = time.perf_counter()
            snapshot = services.compute_snapshot(partnership)
            took.append(time.perf_counter() - began)
        stored_mb = (
            sum(
                len(json.dumps(getattr(snapshot, name)))
                for name in ("organisations", "ties", "figures", "areas", "components")
            )
            / 1e6
        )
        member = next(o for o in snapshot.organisations if o["member"])
        pk = partnership.pk
        pages = {
            "home": reverse("network:home", args=[pk]),
            "map": reverse("network:home", args=[pk]) + "?view=map",
            "isolated": reverse("network:isolated", args=[pk]) + f"?la={member['la_code']}",
            "profile": reverse("network:organisation", args=[pk, member["id"]]),
        }
        client = Client()
        client.force_login(lead)
        times: dict[str, list[float]] = {name: [] for name in pages}
        sizes: dict[str, int] = {}
        for name, url in pages.items():
            _get_ms(client, url)  # warm-up
            for _ in range(PAGE_RUNS):
                ms, sizes[name] = _get_ms(client, url)
                times[name].append(ms)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    medians = {name: statistics.median(values) for name, values in times.items()}
    snapshot_s = statistics.median(took)
    print(
        f"bench network_service schools={SCHOOLS} ties={len(snapshot.ties)} "
        f"snapshot_s={snapshot_s:.2f} snapshot_mb={stored_mb:.1f} peak_mb={peak_mb:.0f} "
        + " ".join(f"{name}_ms={ms:.0f}" for name, ms in medians.items())
        + f" home_kb={sizes['home'] / 1024:.0f}"
    )
    missed = []
    if snapshot_s >= GOAL_SNAPSHOT_S:
        missed.append(f"goal missed: snapshot_s {snapshot_s:.2f} >= {GOAL_SNAPSHOT_S}")
    for name, ms in medians.items():
        if ms >= GOAL_PAGE_MS:
            missed.append(f"goal missed: {name}_ms {ms:.0f} >= {GOAL_PAGE_MS}")
    if peak_mb >= GOAL_MB:
        missed.append(f"goal missed: peak_mb {peak_mb:.0f} >= {GOAL_MB}")
    print("\n".join(missed) if missed else "all goals met")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
