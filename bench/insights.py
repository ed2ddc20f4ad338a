"""Benchmark of results releases (issue 8): building a release of the 5,000-respondent
partnership, and serving its results page from the stored release.

Run from the project root with no arguments:  .venv/bin/python bench/insights.py

It fills a fresh database (a temporary SQLite file, or a fresh test database on PostgreSQL
when DATABASE_URL is set) through the app's own code:

- frameworks: a 60-question built-in framework (12 themes x 5 questions, 3 dimensions) by
  ``frameworks.services.versions.import_framework``; cycles by
  ``enquiries.services.create_cycle`` and ``open_cycle``;
- a few responses through the respondent services (``start_open_link_response``,
  ``save_theme_answers``, ``submit_response``, whose ``response_submitted`` signal updates
  the aggregates), and all the rest by the bulk path an import uses: bulk-create submitted
  responses and their answers, then ``insights.aggregates.add_responses`` per batch, the
  same function the signal's receiver calls;
- one partnership of 40 schools x 5,000 respondents x 60 questions (300,000 answers), and
  other partnerships of 3 to 12 schools bringing the national set to exactly 1,000,000
  answers (5% "don't know").

Then it times exactly two paths, each as the median of a few runs after one warm-up run:

- release_s: closing the large partnership's cycle (``enquiries.services.close_cycle``,
  whose ``cycle_state_changed`` signal queues the build), then the work of the queued task
  (``insights.jobs.run_release_job``, what ``db_worker`` runs: it calls
  ``insights.releases.make_release``, from the aggregates through the anonymity checks to
  the dashboard in English and Welsh, stored as a ``Release``); each run is rolled back, so
  each is a first close. Goal < 2 s;
- page_s: the results page through its real URL (``insights:dashboard``) with Django's test
  client, signed in as a lead of the partnership: it reads the stored release only.
  Goal < 0.3 s.

and prints  ``bench insights release_s=<s> page_s=<s>``. Fill time and sizes go to stderr.
(The national set of 1,000,000 answers stays: the benchmarks of the fill are the same ones
other benches and the figures in docs/quality.md were made on.)
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED = 20261123
BIG_SCHOOLS = 40
BIG_RESPONDENTS = 5_000
THEMES = 12
PER_THEME = 5  # 4 agreement questions and 1 rubric (4 levels) per theme: 60 questions
QUESTIONS = THEMES * PER_THEME
NATIONAL_ANSWERS = 1_000_000
OTHER_PARTNERSHIPS = 140
THROUGH_SERVICES = 10  # respondents of the large partnership who answer page by page
BATCH = 500  # respondents per bulk insert and per add_responses call
DONT_KNOW = 0.05
REPEATS = 5
RELEASE_REPEATS = 3  # each run stores a release: a few are enough for a median
ROLE_MIX = {
    "partnership_lead": 0.01,
    "headteacher": 0.03,
    "senior_leader": 0.06,
    "middle_leader": 0.10,
    "teacher": 0.30,
    "support_staff": 0.15,
    "governor": 0.08,
    "parent": 0.27,
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def setup_django(folder: str = "") -> tuple[bool, str]:
    """A fresh database: a temporary SQLite file, or a new PostgreSQL test database."""
    # One BLAS thread: the engine's linear algebra is on small matrices, where OpenBLAS's
    # spinning worker threads only slow it down, badly when another process holds a core.
    # (Set before numpy is first imported; the deployment should do the same.)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("DEBUG", "false")  # as in production: no per-query debug log
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerlens.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    if not postgres:
        folder = folder or tempfile.mkdtemp(prefix="bench-insights-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    # Cycles opened here have no invitees; nothing is sent, but no SMTP server is needed.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    if postgres:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    else:
        call_command("migrate", verbosity=0)
    return postgres, folder


def framework_document() -> dict:
    rubric = [
        {"value": f"level-{i}", "label": {"en": f"Level {i}", "cy": f"Lefel {i}"}, "score": i}
        for i in range(1, 5)
    ]
    themes = []
    for t in range(THEMES):
        questions = [
            {
                "key": f"q-{t:02d}-{q}",
                "kind": "rubric" if q == PER_THEME - 1 else "agreement",
                "text": {"en": f"Question {q + 1} on strand {t + 1}", "cy": f"Cwestiwn {q + 1}"},
                "allow_dont_know": True,
                **({"options": rubric} if q == PER_THEME - 1 else {}),
            }
            for q in range(PER_THEME)
        ]
        themes.append(
            {
                "key": f"strand-{t + 1:02d}",
                "dimension": ["deep", "tight", "wide"][t % 3],
                "title": {"en": f"Strand {t + 1}", "cy": f"Llinyn {t + 1}"},
                "target_level": 3.5,
                "weight": [1.0, 1.0, 2.0][t % 3],
                "questions": questions,
            }
        )
    return {
        "schema_version": 1,
        "slug": "bench-sixty",
        "name": {"en": "Sixty questions", "cy": "Trigain cwestiwn"},
        "themes": themes,
    }


class Filler:
    """Makes partnerships, cycles, responses and answers, and counts the answers."""

    def __init__(self, rng):
        import numpy as np

        from partnerlens.frameworks.models import Question
        from partnerlens.frameworks.services.versions import import_framework

        self.rng = rng
        self.version = import_framework(framework_document(), publish=True)
        questions = list(
            Question.objects.filter(theme__version=self.version)
            .order_by("theme__order", "order")
            .select_related("theme")
            .prefetch_related("options")
        )
        self.questions = questions
        self.question_ids = np.array([q.pk for q in questions])
        self.theme_of = np.array([q.theme.key for q in questions], dtype=object)
        # option values by score, per question (agreement 1-5, rubric 1-4)
        self.values = [
            {int(o.score): o.value for o in q.options.all() if o.score is not None}
            for q in questions
        ]
        self.top = np.array([max(v) for v in self.values])
        self.memory: dict[str, list] = {
            "partnership_id": [],
            "theme_key": [],
            "role": [],
            "value": [],
        }
        self.answers = 0
        self.aggregate_s = 0.0  # time spent in add_responses

    def partnership(self, name: str, schools: int, kind: str):
        from datetime import timedelta

        from django.utils import timezone

        from partnerlens.directory.models import (
            Membership,
            Organisation,
            OrganisationKind,
            Partnership,
        )
        from partnerlens.enquiries.services.cycles import create_cycle, open_cycle

        partnership = Partnership.objects.create(name=name, kind=kind)
        organisations = Organisation.objects.bulk_create(
            [
                Organisation(kind=OrganisationKind.SCHOOL, name=f"{name} school {i + 1}")
                for i in range(schools)
            ]
        )
        Membership.objects.bulk_create(
            [Membership(partnership=partnership, organisation=o) for o in organisations]
        )
        today = timezone.localdate()
        cycle = create_cycle(
            partnership,
            actor=None,
            framework_version=self.version,
            title="Autumn review",
            opens_on=today,
            closes_on=today + timedelta(days=30),
            anonymity_mode="anonymous",
        )
        open_cycle(cycle, actor=None)
        return partnership, organisations, cycle

    def draw(self, respondents: int, organisations: list):
        """Roles, organisations and (respondents x questions) scores, NaN for don't know."""
        import numpy as np

        rng = self.rng
        roles = np.array(list(ROLE_MIX))
        mix = np.array(list(ROLE_MIX.values()))
        role = rng.choice(roles, size=respondents, p=mix / mix.sum())
        org = rng.integers(0, len(organisations), size=respondents)
        theme_level = rng.uniform(2.0, 4.0, size=THEMES)
        lift = np.where(
            np.isin(role, ["partnership_lead", "headteacher", "senior_leader"]), 0.4, 0.0
        )
        raw = (
            np.repeat(theme_level, PER_THEME)[None, :]
            + rng.normal(0, 0.5, size=(respondents, 1))
            + lift[:, None]
            + rng.normal(0, 0.8, size=(respondents, QUESTIONS))
        )
        score = np.clip(np.rint(raw), 1, self.top[None, :])
        score[rng.random(size=score.shape) < DONT_KNOW] = np.nan
        return role, org, score

    def respond_through_services(self, cycle, organisations, count: int) -> None:
        from partnerlens.enquiries.responding import AnswerValue, themes_for
        from partnerlens.enquiries.services.invitees import create_open_link
        from partnerlens.enquiries.services.responses import (
            save_theme_answers,
            start_open_link_response,
            submit_response,
        )

        link = create_open_link(cycle, actor=None)
        role, org, score = self.draw(count, organisations)
        column = {q.pk: i for i, q in enumerate(self.questions)}
        for r in range(count):
            response, _ = start_open_link_response(
                link, role=str(role[r]), organisation=organisations[org[r]]
            )
            for theme, questions in themes_for(response):
                answers = {}
                for question in questions:
                    s = score[r, column[question.pk]]
                    answers[(question.pk, None)] = (
                        AnswerValue(dont_know=True)
                        if s != s
                        else AnswerValue(option_value=self.values[column[question.pk]][int(s)])
                    )
                save_theme_answers(response, theme, answers)
            submit_response(response)
            self.remember(cycle.partnership_id, role[r : r + 1], score[r : r + 1])

    def remember(self, partnership_id: int, role, score) -> None:
        import numpy as np

        rows = score.size
        self.memory["partnership_id"].append(np.full(rows, partnership_id, dtype=np.int64))
        self.memory["theme_key"].append(np.tile(self.theme_of[: score.shape[1]], len(role)))
        self.memory["role"].append(np.repeat(role, score.shape[1]))
        self.memory["value"].append(score.ravel())
        self.answers += rows

    def respond_in_bulk(self, cycle, organisations, respondents: int, last_answers: int) -> None:
        """Bulk-create submitted responses and answers, then add each batch to the aggregates
        with ``add_responses``, as an import does. The very last respondent answers only the
        first ``last_answers`` questions (so the national set can be exactly 1,000,000)."""
        from django.db import transaction
        from django.utils import timezone

        from partnerlens.enquiries.models import Answer, Response, ResponseState
        from partnerlens.insights.aggregates import add_responses

        day = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        for start in range(0, respondents, BATCH):
            size = min(BATCH, respondents - start)
            role, org, score = self.draw(size, organisations)
            with transaction.atomic():
                responses = Response.objects.bulk_create(
                    [
                        Response(
                            cycle=cycle,
                            role=str(role[r]),
                            organisation=organisations[org[r]],
                            state=ResponseState.SUBMITTED,
                            started_at=day,
                            updated_at=day,
                            submitted_at=day,
                        )
                        for r in range(size)
                    ]
                )
                final = start + size == respondents
                answers = []
                for r, response in enumerate(responses):
                    width = last_answers if final and r == size - 1 else QUESTIONS
                    for q in range(width):
                        s = score[r, q]
                        answers.append(
                            Answer(
                                response=response,
                                question_id=int(self.question_ids[q]),
                                option_value="" if s != s else self.values[q][int(s)],
                                dont_know=s != s,
                            )
                        )
                Answer.objects.bulk_create(answers, batch_size=5_000)
                counted = time.perf_counter()
                add_responses([response.pk for response in responses])
                self.aggregate_s += time.perf_counter() - counted
            if final and last_answers < QUESTIONS:
                self.remember(cycle.partnership_id, role[:-1], score[:-1])
                self.remember(cycle.partnership_id, role[-1:], score[-1:, :last_answers])
            else:
                self.remember(cycle.partnership_id, role, score)


def fill():
    import numpy as np

    from partnerlens.directory.models import PartnershipKind

    rng = np.random.default_rng(SEED)
    filler = Filler(rng)
    started = time.perf_counter()
    _partnership, schools, big = filler.partnership("Large trust", BIG_SCHOOLS, PartnershipKind.MAT)
    filler.respond_through_services(big, schools, THROUGH_SERVICES)
    filler.respond_in_bulk(big, schools, BIG_RESPONDENTS - THROUGH_SERVICES, QUESTIONS)
    log(f"large partnership filled in {time.perf_counter() - started:.1f} s")
    # Other partnerships: respondents so that the answers add up to exactly NATIONAL_ANSWERS.
    remaining = NATIONAL_ANSWERS - filler.answers
    people, last = divmod(remaining, QUESTIONS)
    people += 1 if last else 0
    sizes = (
        rng.multinomial(
            people - 5 * OTHER_PARTNERSHIPS, np.full(OTHER_PARTNERSHIPS, 1 / OTHER_PARTNERSHIPS)
        )
        + 5
    )
    kinds = [k for k in PartnershipKind.values if k != PartnershipKind.MAT]
    for index, size in enumerate(sizes):
        _p, schools, cycle = filler.partnership(
            f"Partnership {index + 1}", int(rng.integers(3, 13)), kinds[index % len(kinds)]
        )
        final = index == len(sizes) - 1
        filler.respond_in_bulk(cycle, schools, int(size), last if final and last else QUESTIONS)
    log(
        f"national set filled in {time.perf_counter() - started:.1f} s: "
        f"{filler.answers:,} answers, {OTHER_PARTNERSHIPS + 1} partnerships; "
        f"add_responses took {filler.aggregate_s:.1f} s of it"
    )
    return filler, big


def timed(function, repeats: int = REPEATS) -> tuple[float, object]:
    """Median of ``repeats`` runs after one untimed warm-up run (imports, caches)."""
    function()
    times, cpu, result = [], [], None
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = function()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    # CPU seconds (every thread of this process) tell a busy machine's wait apart.
    log(
        f"  {function.__name__}: runs {', '.join(f'{t:.3f}' for t in times)} s, cpu "
        f"{', '.join(f'{t:.3f}' for t in cpu)} s, load average {os.getloadavg()[0]:.1f}"
    )
    return statistics.median(times), result


def main() -> None:
    postgres, folder = setup_django()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse

    from partnerlens.directory.models import PartnershipRole, Role
    from partnerlens.enquiries.models import Answer, CycleState
    from partnerlens.enquiries.services.cycles import close_cycle
    from partnerlens.insights.jobs import run_release_job
    from partnerlens.insights.models import Release, ReleaseJob

    filler, big = fill()
    stored = Answer.objects.count()
    assert stored == NATIONAL_ANSWERS == filler.answers, (stored, filler.answers)
    del filler  # what a web process would not hold: the fill's leftovers
    gc.collect()

    def build_queued_release() -> None:
        # What the task worker runs for the build that closing queued (insights.tasks).
        job = ReleaseJob.objects.get(cycle=big)
        assert run_release_job(big.pk, job.generation) == "made"

    def release():
        # Closing the cycle (which queues the build), then the queued task's work, which
        # builds, checks and stores the first release. Rolled back after each timed run, so
        # every run is a first close.
        with transaction.atomic():
            close_cycle(big, actor=None)
            build_queued_release()
            made = Release.objects.get(cycle=big)
            transaction.set_rollback(True)
        big.state = CycleState.OPEN
        return made

    release_s, _made = timed(release, RELEASE_REPEATS)
    close_cycle(big, actor=None)
    build_queued_release()
    made = Release.objects.filter(cycle=big).values_list("respondents", "page", "exports")[0]
    log(
        f"release: {made[0]:,} respondents, page {len(str(made[1])) / 1e6:.1f} MB, downloads "
        f"{len(str(made[2])) / 1e6:.1f} MB of JSON (both languages)"
    )

    lead = get_user_model().objects.create_user(username="bench-lead", email="lead@bench.example")
    PartnershipRole.objects.create(
        user=lead, partnership=big.partnership, role=Role.PARTNERSHIP_LEAD
    )
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(lead)
    url = reverse("insights:dashboard", args=[big.pk])

    def page():
        response = client.get(url, secure=True)
        assert response.status_code == 200, response.status_code
        return response

    page_s, shown = timed(page)
    assert b"Release " in shown.content
    print(f"bench insights release_s={release_s:.3f} page_s={page_s:.3f}")
    if postgres:
        from django.db import connection as db

        db.creation.destroy_test_db(db.settings_dict["NAME"], verbosity=0)
    elif folder:
        for path in Path(folder).iterdir():
            path.unlink()
        Path(folder).rmdir()


if __name__ == "__main__":
    main()
