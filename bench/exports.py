"""Benchmark of every download a large partnership offers (issue 12, part 4).

Run from the project root with no arguments:  .venv/bin/python bench/exports.py

It fills a fresh database (a temporary SQLite file, or a fresh test database on PostgreSQL
when DATABASE_URL is set) with the large partnership of ``bench/insights.py``, through the
same builder (``Filler``): 40 schools x 5,000 respondents x 60 questions, ten respondents
through the respondent services and the rest by the bulk path an import uses. The national
set of other partnerships is left out: no download reads it. Then it closes the cycle and
runs the queued release build (``insights.jobs.run_release_job``, what the task worker does),
and gives the partnership's lead a private reflection on each of the framework's prompts.

Each download is then requested through its real URL with Django's test client, signed in
as that lead, exactly as a browser asks for it (the view, its access checks, reading the
release, rendering or reading the file); the time is the median of a few requests after one
warm-up:

- ``csv_s``, ``xlsx_s``: the results tables (``insights:download``), made while one waits;
- the governors' report is prepared in the background (``insights.exporters.prepared``):
  ``pdf_ask_s`` is the first request for it (the view queues it and sends the person to its
  status page), ``pdf_status_s`` that status page, ``pdf_prepare_s`` the task worker making
  it (the real ``db_worker`` command, in English; ``pdf_cy_prepare_s`` in Welsh; not a
  request: nobody waits on it, the status page shows its progress) and ``pdf_s`` the
  download once it is ready (served from storage);
- ``reflections_csv_s``: the lead's own reflections (``enquiries:reflections_export``);
- ``framework_yaml_s``, ``framework_json_s``: the 60-question framework
  (``frameworks:download_yaml`` / ``download_json``).

It prints ``bench exports respondents=5000 xlsx_s=<s> csv_s=<s> pdf_s=<s> ...`` and a line
``FAIL <name>=<s>: goal < 3 s`` for each request over the goal (the preparation times are
not requests and have no such goal). Fill time, sizes and each run's times go to stderr.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import insights as builder  # noqa: E402  (bench/insights.py: the same partnership and fill)

GOAL_S = 3.0
PREPARE_REPEATS = 3  # each makes the whole PDF: a few are enough for a median
SIXTY_QUESTIONS = builder.framework_document
REPEATS = 5
PROMPTS = 12


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def framework_with_prompts() -> dict:
    """The bench's 60-question framework, with reflection prompts for leaders."""
    document = SIXTY_QUESTIONS()
    document["reflection_prompts"] = [
        {
            "key": f"prompt-{i + 1}",
            "text": {"en": f"What will you change in strand {i + 1}?", "cy": f"Cwestiwn {i + 1}"},
        }
        for i in range(PROMPTS)
    ]
    return document


def fill():
    import numpy as np

    from partnerlens.directory.models import PartnershipKind

    builder.framework_document = framework_with_prompts  # the Filler imports this one
    filler = builder.Filler(np.random.default_rng(builder.SEED))
    started = time.perf_counter()
    _partnership, schools, big = filler.partnership(
        "Large trust", builder.BIG_SCHOOLS, PartnershipKind.MAT
    )
    filler.respond_through_services(big, schools, builder.THROUGH_SERVICES)
    filler.respond_in_bulk(
        big, schools, builder.BIG_RESPONDENTS - builder.THROUGH_SERVICES, builder.QUESTIONS
    )
    log(f"large partnership filled in {time.perf_counter() - started:.1f} s")
    return big


def release(cycle) -> None:
    from partnerlens.enquiries.services.cycles import close_cycle, publish_cycle
    from partnerlens.insights.jobs import run_release_job
    from partnerlens.insights.models import ReleaseJob

    started = time.perf_counter()
    close_cycle(cycle, actor=None)
    job = ReleaseJob.objects.get(cycle=cycle)
    assert run_release_job(cycle.pk, job.generation) == "made"
    publish_cycle(cycle, actor=None)
    job = ReleaseJob.objects.get(cycle=cycle)
    run_release_job(cycle.pk, job.generation)  # publishing asks again; nothing changed
    log(f"released in {time.perf_counter() - started:.1f} s")


def lead_of(cycle):
    from django.contrib.auth import get_user_model

    from partnerlens.directory.models import PartnershipRole, Role
    from partnerlens.enquiries.services.reflections import prompts_for, save_reflections

    lead = get_user_model().objects.create_user(username="bench-lead", email="lead@bench.example")
    PartnershipRole.objects.create(
        user=lead, partnership=cycle.partnership, role=Role.PARTNERSHIP_LEAD
    )
    texts = {
        p.pk: f'=HYPERLINK("x") and a long thought about strand {p.order + 1}. ' * 20
        for p in prompts_for(lead, cycle)
    }
    assert save_reflections(lead, cycle, texts) == PROMPTS
    return lead


def timed(name: str, client, url: str) -> tuple[float, int]:
    """Median seconds of ``REPEATS`` requests after one warm-up, and the file's size."""
    sizes, times, cpu = [], [], []
    for run in range(REPEATS + 1):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, secure=True)
        body = b"".join(response) if response.streaming else response.content
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, (name, response.status_code)
        assert response["Content-Disposition"].startswith("attachment"), name
        if run:
            times.append(elapsed)
            cpu.append(time.process_time() - started_cpu)
            sizes.append(len(body))
    log(
        f"  {name}: {sizes[-1] / 1e6:.2f} MB, runs {', '.join(f'{t:.3f}' for t in times)} s, "
        f"cpu {', '.join(f'{t:.3f}' for t in cpu)} s, load average {os.getloadavg()[0]:.1f}"
    )
    return statistics.median(times), sizes[-1]


def address(name: str, *args, language: str = "en") -> str:
    """The address of ``name`` in ``language`` (Welsh under /cy/)."""
    from django.urls import reverse
    from django.utils import translation

    with translation.override(language):
        return reverse(name, args=args)


def prepared_pdf(client, cycle, language: str) -> dict[str, float]:
    """The background path of the PDF, through the views and the real task worker: the
    first request (queues it), the status page, the worker's making of it; each run starts
    with no file (the rows and files of the runs before are removed)."""
    from django.core.files.storage import default_storage

    from partnerlens.core.testing_tasks import run_worker
    from partnerlens.insights.models import PreparedDownload

    pdf = address("insights:download", cycle.pk, "pdf", language=language)
    status = address("insights:download_status", cycle.pk, "pdf", language=language)
    asks, statuses, makes = [], [], []
    for run in range(PREPARE_REPEATS + 1):
        for row in PreparedDownload.objects.filter(language=language):
            if row.file.name:
                default_storage.delete(row.file.name)
            row.delete()
        started = time.perf_counter()
        asked = client.get(pdf, secure=True)
        asked_s = time.perf_counter() - started
        assert asked.status_code == 302 and asked["Location"].endswith(status), asked
        started = time.perf_counter()
        page = client.get(status, secure=True)
        status_s = time.perf_counter() - started
        assert b'data-status="queued"' in page.content
        started = time.perf_counter()
        run_worker()
        make_s = time.perf_counter() - started
        assert PreparedDownload.objects.get(language=language).status == "done"
        if run:
            asks.append(asked_s)
            statuses.append(status_s)
            makes.append(make_s)
    log(
        f"  pdf ({language}): ask {', '.join(f'{t:.3f}' for t in asks)} s, status "
        f"{', '.join(f'{t:.3f}' for t in statuses)} s, worker "
        f"{', '.join(f'{t:.3f}' for t in makes)} s, load average {os.getloadavg()[0]:.1f}"
    )
    return {
        "ask": statistics.median(asks),
        "status": statistics.median(statuses),
        "prepare": statistics.median(makes),
    }


def main() -> None:
    postgres, folder = builder.setup_django()
    from django.conf import settings
    from django.test import Client, override_settings

    big = fill()
    release(big)
    lead = lead_of(big)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(lead)
    version = big.framework_version
    partnership = big.partnership_id
    media = tempfile.mkdtemp(prefix="bench-exports-media-")
    override_settings(
        MEDIA_ROOT=media, TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    ).enable()
    english = prepared_pdf(client, big, "en")
    welsh = prepared_pdf(client, big, "cy")
    downloads = {
        "csv_s": address("insights:download", big.pk, "csv"),
        "xlsx_s": address("insights:download", big.pk, "xlsx"),
        "pdf_s": address("insights:download", big.pk, "pdf"),
        "pdf_cy_s": address("insights:download", big.pk, "pdf", language="cy"),
        "reflections_csv_s": address("enquiries:reflections_export", "csv"),
        "framework_yaml_s": address("frameworks:download_yaml", partnership, version.pk),
        "framework_json_s": address("frameworks:download_json", partnership, version.pk),
    }
    figures = {"pdf_ask_s": english["ask"], "pdf_status_s": english["status"]}
    for name, url in downloads.items():
        figures[name], _size = timed(name, client, url)
    requests = " ".join(f"{name}={seconds:.3f}" for name, seconds in figures.items())
    print(
        f"bench exports respondents={builder.BIG_RESPONDENTS} {requests} "
        f"pdf_prepare_s={english['prepare']:.3f} pdf_cy_prepare_s={welsh['prepare']:.3f} "
        f"load={os.getloadavg()[0]:.1f}"
    )
    for name, seconds in figures.items():
        if seconds >= GOAL_S:
            print(f"FAIL {name}={seconds:.3f}: goal < {GOAL_S:g} s")
    shutil.rmtree(media, ignore_errors=True)
    if postgres:
        from django.db import connection as db

        db.creation.destroy_test_db(db.settings_dict["NAME"], verbosity=0)
    elif folder:
        for path in Path(folder).iterdir():
            path.unlink()
        Path(folder).rmdir()


if __name__ == "__main__":
    main()
