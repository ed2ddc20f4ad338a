"""Benchmark of the governors' impact and value summary (issue 13, part 8) for a partnership
with years of records: the page and the PDF, through the same views a governor opens.

Run from the project root with no arguments:  .venv/bin/python bench/summary.py

The PDF is drawn while the person waits (``summary/pdf.py`` says why); this bench is the
figure behind that choice. A fresh temporary SQLite database (migrated; not timed) holds one
partnership of 30 schools named as the load bench's (real Trafford names) with ACTIONS actions
(every status, a third overdue), ACTIVITIES activities of every kind across the schools,
BENEFITS benefits and TRIGGERS early-warning triggers of every tier and state. The records
are written with ``bulk_create`` (their own services write one at a time, with an audit entry
each, which would take the set-up minutes); what is timed reads them as the page does. A
governor (no second factor needed) then opens ``summary:page`` and ``summary:download``
through Django's test client, RUNS times each after a warm-up, in English and in Welsh.

It prints

    bench summary actions=<n> activities=<n> benefits=<n> triggers=<n> page_ms=<median>
        pdf_ms=<median> pdf_cpu_ms=<median> pdf_kb=<size> page_queries=<n> pdf_queries=<n>

then "all goals met" or one line per missed goal (exit 1). Goals: the page under
GOAL_PAGE_MS and the PDF under GOAL_PDF_MS (a download a person waits for), with the query
count independent of the number of records.
"""

from __future__ import annotations

import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load_world

ACTIONS = 2_000
ACTIVITIES = 5_000
BENEFITS = 400
TRIGGERS = 600
RUNS = 7
GOAL_PAGE_MS = 500
GOAL_PDF_MS = 3_000


def build(scale: int = 1):
    """The partnership, its governor and its records; ``scale`` divides the record counts
    (1: the bench's; a larger number: the quick look the query-count check needs)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from partnerlens.actions.codes import ActivityKind, BenefitCategory, BenefitState, Status
    from partnerlens.actions.models import Action, Activity, Benefit
    from partnerlens.directory.models import (
        Membership,
        Organisation,
        OrganisationKind,
        Partnership,
        PartnershipKind,
        PartnershipRole,
        Role,
    )
    from partnerlens.triggers.models import Indicator, Kind, Tier, Trigger
    from partnerlens.triggers.models import Status as TriggerStatus

    rng = random.Random(13)
    partnership = Partnership.objects.create(
        name=f"Trafford summary partnership {scale}", kind=PartnershipKind.LA_PARTNERSHIP
    )
    made = Organisation.objects.bulk_create(
        Organisation(kind=OrganisationKind.SCHOOL, name=name)
        for name in load_world.school_names(load_world.SCHOOLS)
    )
    Membership.objects.bulk_create(
        Membership(partnership=partnership, organisation=school) for school in made
    )
    schools = [school.pk for school in made]
    governor = get_user_model().objects.create(username=f"governor{scale}", email="g@example.org")
    PartnershipRole.objects.create(partnership=partnership, user=governor, role=Role.GOVERNOR)
    today = timezone.localdate()
    actions = Action.objects.bulk_create(
        Action(
            partnership=partnership,
            title=f"Action {k}",
            title_cy=f"Cam gweithredu {k}" if k % 2 else "",
            start_on=today - timedelta(days=400),
            due_on=today + timedelta(days=rng.randint(-200, 300)),
            status=rng.choice(Status.values),
        )
        for k in range(ACTIONS // scale)
    )
    through = Action.schools.through
    through.objects.bulk_create(
        through(action_id=a.pk, organisation_id=rng.choice(schools)) for a in actions
    )
    activities = Activity.objects.bulk_create(
        Activity(
            partnership=partnership,
            title=f"Activity {k}",
            kind=rng.choice(ActivityKind.values),
            held_on=today - timedelta(days=rng.randint(0, 1_000)),
            hours=Decimal(rng.randint(1, 40)),
            cost=Decimal(rng.randint(0, 2_000)),
        )
        for k in range(ACTIVITIES // scale)
    )
    through = Activity.schools.through
    through.objects.bulk_create(
        through(activity_id=a.pk, organisation_id=school)
        for a in activities
        for school in rng.sample(schools, rng.randint(1, 4))
    )
    Benefit.objects.bulk_create(
        Benefit(
            partnership=partnership,
            category=rng.choice(BenefitCategory.values),
            state=rng.choice(BenefitState.values),
            description=f"Benefit {k}",
        )
        for k in range(BENEFITS // scale)
    )
    indicator = Indicator.objects.create(
        partnership=partnership,
        kind=Kind.ATTENDANCE_FALL,
        universal_at=1,
        targeted_at=2,
        intensive_at=3,
    )
    Trigger.objects.bulk_create(
        Trigger(
            partnership=partnership,
            indicator=indicator,
            organisation_id=schools[k % len(schools)],
            tier=rng.choice(Tier.values),
            period_now=f"{1900 + k // len(schools)}-{(1 + k // len(schools)) % 100:02d}",
            severity=rng.uniform(1, 5),
            deadline=today + timedelta(days=rng.randint(-60, 60)),
            status=rng.choice(TriggerStatus.values),
        )
        for k in range(TRIGGERS // scale)
    )
    return partnership, governor


def timed(client, url: str, language: str) -> tuple[float, float, int, int]:
    """(wall ms, CPU ms, queries, bytes) of one GET."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        began, began_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        wall = (time.perf_counter() - began) * 1000
        cpu = (time.process_time() - began_cpu) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return wall, cpu, len(queries), len(response.content)


def main() -> int:
    folder = tempfile.mkdtemp(prefix="bench-summary-")
    try:
        load_world.setup_django(f"sqlite:///{folder}/bench.sqlite3")
        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client
        from django.test.utils import setup_test_environment
        from django.urls import reverse

        setup_test_environment()
        settings.ALLOWED_HOSTS = ["*"]
        call_command("migrate", verbosity=0)
        small, small_governor = build(scale=20)
        partnership, governor = build()
        client = Client()
        figures: dict[str, list] = {"page": [], "pdf": [], "pdf_cpu": []}
        counts: dict[str, set[int]] = {"page": set(), "pdf": set(), "small_page": set()}
        size = 0
        for language in ("en", "cy"):
            client.force_login(small_governor)
            counts["small_page"].add(
                timed(client, reverse("summary:page", args=[small.pk]), language)[2]
            )
            client.force_login(governor)
            page = reverse("summary:page", args=[partnership.pk])
            pdf = reverse("summary:download", args=[partnership.pk])
            timed(client, page, language), timed(client, pdf, language)  # warm-up
            for _ in range(RUNS):
                wall, _cpu, queries, _bytes = timed(client, page, language)
                figures["page"].append(wall)
                counts["page"].add(queries)
                wall, cpu, queries, size = timed(client, pdf, language)
                figures["pdf"].append(wall)
                figures["pdf_cpu"].append(cpu)
                counts["pdf"].add(queries)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    page_ms = statistics.median(figures["page"])
    pdf_ms = statistics.median(figures["pdf"])
    print(
        f"bench summary actions={ACTIONS} activities={ACTIVITIES} benefits={BENEFITS} "
        f"triggers={TRIGGERS} page_ms={page_ms:.0f} pdf_ms={pdf_ms:.0f} "
        f"pdf_cpu_ms={statistics.median(figures['pdf_cpu']):.0f} pdf_kb={size / 1024:.0f} "
        f"page_queries={max(counts['page'])} pdf_queries={max(counts['pdf'])}"
    )
    missed = []
    if page_ms >= GOAL_PAGE_MS:
        missed.append(f"goal missed: page_ms {page_ms:.0f} >= {GOAL_PAGE_MS}")
    if pdf_ms >= GOAL_PDF_MS:
        missed.append(f"goal missed: pdf_ms {pdf_ms:.0f} >= {GOAL_PDF_MS}")
    if max(counts["page"]) != max(counts["small_page"]):
        missed.append(
            f"goal missed: the page's queries grow with the records "
            f"({max(counts['small_page'])} for a twentieth, {max(counts['page'])} for all)"
        )
    print("\n".join(missed) if missed else "all goals met")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
