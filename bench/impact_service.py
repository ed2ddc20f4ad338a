"""Benchmark of the path a lead runs for issue 13's estimate, at national scale.

Run from the project root with no arguments:  .venv/bin/python bench/impact_service.py

``bench/impact.py`` times the pure engines on a simulated panel held in memory. This bench
times what the page sets going: ``impact.estimates.create_estimate`` (the form's call: checks,
the stored request, the queued job) and then ``impact.estimates.run_estimate_job``, the
function the queued task runs (claim, read the panel and the context from the database,
choose and store the families, suppress small cohorts, estimate, store, finish).

The database (a fresh temporary SQLite file, migrated; not timed) holds the national panel of
``bench/impact.py`` (its ``national_schools`` and ``national_panel``, the same seed): 20,000
schools x 6 years as ``directory.OutcomeMeasure`` rows written through ``bulk_create``, as the
importers write them. A primary school has KS2 rows (``ks2.rwm_exp_pct``, 60 + 47 points per
pupil SD, clipped to 0-100, and its cohort ``ks2.pupils``), a secondary school KS4 rows
(``ks4.att8``, 46 + 19 points per pupil SD, and ``ks4.pupils``); every school has, each year,
the school census figures families read (FSM ever, EAL, SEN support, EHC plan, pupils), the
key stage's own context columns (disadvantaged, EAL, SEN, EHCP, roll) and its prior
attainment (KS1 average or KS2 APS): 13 rows per school and year. One school in four is a
converter academy opened in the third year: its first two years sit on a closed predecessor
school, linked both ways in ``EstablishmentLink`` as GIAS does. PARTNERSHIPS partnerships of
5-15 schools (80% primary) gain TRUE_EFFECT pupil SDs from the fifth year.

The database is built in a child process, so ``peak_mb`` (this process's ru_maxrss: Python,
Django and the libraries included) is the service's alone. It prints

    bench impact_service schools=<n> years=<n> estimates=<n> per_estimate_s=<median>
        max_s=<max> peak_mb=<MB> queries=<median per estimate>

then "all goals met" or one line per missed goal (exit 1). Goals: each estimate (request and
job) under GOAL_S seconds, peak memory under GOAL_MB, and sane results: every job done and
estimated, the 95% interval holding the true effect (in the measure's points) in at least
80% of them. Each estimate's time, queries and result go to stderr.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as deployed: two busy cores
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerlens.settings")

import multiprocessing
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import impact as national  # noqa: E402  (bench/impact.py: the same simulated schools)
import numpy as np  # noqa: E402

PARTNERSHIPS, SIZES, PRIMARY_SHARE = 16, (5, 16), 0.8
CONVERTER_SHARE = 0.25
GOAL_S, GOAL_MB, GOAL_COVERAGE = 10.0, 1024.0, 0.8
# The measure each phase is estimated on: code, cohort code, points per pupil SD, centre.
OUTCOME = {
    "primary": ("ks2.rwm_exp_pct", "ks2.pupils", 47.0, 60.0),
    "secondary": ("ks4.att8", "ks4.pupils", 19.0, 46.0),
}
STAGE = {"primary": "ks2", "secondary": "ks4"}
PRIOR = {"primary": ("ks2.ks1_average", 16.0, 1.2), "secondary": ("ks4.ks2_aps", 28.5, 1.5)}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def period(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()


def choose_partnerships(rng, schools) -> list[np.ndarray]:
    free = {p: list(rng.permutation(g["urn"].to_numpy())) for p, g in schools.groupby("phase")}
    chosen = []
    for _ in range(PARTNERSHIPS):
        phase = "primary" if rng.random() < PRIMARY_SHARE else "secondary"
        chosen.append(np.array([free[phase].pop() for _ in range(int(rng.integers(*SIZES)))]))
    return chosen


def simulated():
    """The bench's schools, partnerships and panel (pupil SD units), from bench/impact.py."""
    rng = np.random.default_rng(national.SEED)
    schools = national.national_schools(rng)
    partnerships = choose_partnerships(rng, schools)
    panel = national.national_panel(rng, schools, np.concatenate(partnerships))
    converters = rng.random(len(schools)) < CONVERTER_SHARE
    return rng, schools, partnerships, panel, converters


def rows_of(rng, school, values, owner, predecessor) -> list:
    """One school's 13 rows a year; years before the conversion on its predecessor."""
    from partnerlens.directory.models import OutcomeMeasure

    phase = school.phase
    code, cohort_code, points, centre = OUTCOME[phase]
    prior_code, prior_centre, prior_sd = PRIOR[phase]
    stage = STAGE[phase]
    cohort = max(3, round(school.pupils / (7 if phase == "primary" else 5)))
    sen = school.sen
    out = []
    for t, value in enumerate(values):
        organisation = predecessor if predecessor and t < 2 else owner
        figures = {
            code: float(np.clip(centre + points * value, 0, 100 if phase == "primary" else 90)),
            cohort_code: float(cohort + rng.integers(-3, 4)),
            prior_code: prior_centre + prior_sd * school.z + rng.normal(0, 0.2),
            "census.pupils": float(school.pupils),
            "census.fsm_ever_pct": school.fsm,
            "census.eal_pct": school.eal,
            f"{stage}.roll": float(school.pupils),
            f"{stage}.disadvantaged_pct": school.fsm,
            f"{stage}.eal_pct": school.eal,
        }
        if not np.isnan(sen):
            figures |= {
                "census.sen_support_pct": 0.85 * sen,
                "census.ehcp_pct": 0.15 * sen,
                f"{stage}.sen_support_pct": 0.85 * sen,
                f"{stage}.ehcp_pct": 0.15 * sen,
            }
        out.extend(
            OutcomeMeasure(
                organisation_id=organisation,
                measure=name,
                period=period(national.FIRST_YEAR + t),
                value=round(float(v), 1),
                source="bench",
            )
            for name, v in figures.items()
        )
    return out


def build(url: str) -> None:
    """The national directory, outcome rows and partnerships (in a child process)."""
    setup_django(url)
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from partnerlens.directory.models import (
        EstablishmentLink,
        Membership,
        Organisation,
        OrganisationKind,
        OutcomeMeasure,
        Partnership,
        PartnershipKind,
        PartnershipRole,
        Role,
    )

    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    rng, schools, partnerships, panel, converters = simulated()
    z = schools.groupby("phase")["prior"].transform(lambda s: (s - s.mean()) / s.std())
    schools = schools.assign(z=z)
    orgs = Organisation.objects.bulk_create(
        (
            Organisation(
                kind=OrganisationKind.SCHOOL,
                name=f"School {row.urn}",
                urn=int(row.urn),
                phase=row.phase,
                pupils=int(row.pupils),
                fsm_pct=round(float(row.fsm), 1),
                status="Open",
            )
            for row in schools.itertuples()
        ),
        batch_size=2000,
    )
    by_urn = {o.urn: o.pk for o in orgs}
    converted = schools.loc[converters, ["urn", "phase"]]
    predecessors = Organisation.objects.bulk_create(
        (
            Organisation(
                kind=OrganisationKind.SCHOOL,
                name=f"Former school {row.urn}",
                urn=int(row.urn) + 500_000,
                phase=row.phase,
                status="Closed",
            )
            for row in converted.itertuples()
        ),
        batch_size=2000,
    )
    before = {o.urn - 500_000: o.pk for o in predecessors}
    EstablishmentLink.objects.bulk_create(
        [
            EstablishmentLink(urn=urn, link_urn=urn + 500_000, link_type="Predecessor")
            for urn in before
        ]
        + [
            EstablishmentLink(urn=urn + 500_000, link_urn=urn, link_type="Successor")
            for urn in before
        ],
        batch_size=2000,
    )
    values = panel["value"].to_numpy().reshape(len(schools), national.YEARS)
    batch, written = [], 0
    for i, school in enumerate(schools.itertuples()):
        batch += rows_of(rng, school, values[i], by_urn[school.urn], before.get(school.urn))
        if len(batch) >= 50_000:
            OutcomeMeasure.objects.bulk_create(batch, batch_size=5000)
            written, batch = written + len(batch), []
    OutcomeMeasure.objects.bulk_create(batch, batch_size=5000)
    written += len(batch)
    users = get_user_model().objects
    for k, members in enumerate(partnerships):
        partnership = Partnership.objects.create(
            name=f"Bench partnership {k}", kind=PartnershipKind.CLUSTER
        )
        lead = users.create(username=f"lead{k}", email=f"lead{k}@example.org")
        PartnershipRole.objects.create(
            partnership=partnership, user=lead, role=Role.PARTNERSHIP_LEAD
        )
        Membership.objects.bulk_create(
            Membership(partnership=partnership, organisation_id=by_urn[int(u)]) for u in members
        )
    log(
        f"built schools={len(orgs)} predecessors={len(predecessors)} rows={written} "
        f"partnerships={len(partnerships)} in {time.perf_counter() - began:.0f} s"
    )


def run_one(partnership, lead, phase: str) -> dict:
    """A lead asks for an estimate; the job runs as the task does. Timed together."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from partnerlens.impact.estimates import create_estimate, run_estimate_job
    from partnerlens.impact.models import EstimateJob

    members = list(partnership.memberships.values_list("organisation_id", flat=True))
    measure = OUTCOME[phase][0]
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        estimate = create_estimate(
            partnership,
            measure=measure,
            schools=members,
            start_year=national.FIRST_YEAR + national.START_INDEX,
            actor=lead,
        )
        asked = time.perf_counter()
        job = EstimateJob.objects.get(estimate=estimate)
        outcome = run_estimate_job(estimate.pk, job.generation)
        ended = time.perf_counter()
    estimate.refresh_from_db()
    return {
        "estimate": estimate,
        "phase": phase,
        "outcome": str(outcome),
        "ask_s": asked - began,
        "job_s": ended - asked,
        "total_s": ended - began,
        "queries": len(queries),
    }


def measure_all() -> list[dict]:
    from django.contrib.auth import get_user_model

    from partnerlens.directory.models import Partnership

    _rng, schools, partnerships, _panel, _c = simulated()
    phase_of = dict(zip(schools["urn"], schools["phase"], strict=True))
    runs = []
    for k, members in enumerate(partnerships):
        partnership = Partnership.objects.get(name=f"Bench partnership {k}")
        lead = get_user_model().objects.get(username=f"lead{k}")
        run = run_one(partnership, lead, phase_of[members[0]])
        result = run["estimate"].result
        log(
            f"estimate {k} {run['phase']} schools={len(members)} ask_s={run['ask_s']:.2f} "
            f"job_s={run['job_s']:.2f} queries={run['queries']} job={run['outcome']} "
            f"status={run['estimate'].status} effect={result.get('effect')} "
            f"ci=({result.get('ci_low')}, {result.get('ci_high')}) "
            f"comparison={result.get('comparison')} suppressed={result.get('suppressed')}"
        )
        runs.append(run)
    return runs


def coverage(runs: list[dict]) -> tuple[float, int]:
    """The share of estimates whose interval holds the true effect in the measure's points
    (the outcome is near linear in pupil SDs where schools sit), and how many estimated."""
    held = []
    for run in runs:
        result = run["estimate"].result
        if run["estimate"].status != "estimated" or result.get("ci_low") is None:
            continue
        true = national.TRUE_EFFECT * OUTCOME[run["phase"]][2]
        held.append(result["ci_low"] <= true <= result["ci_high"])
    return (float(np.mean(held)) if held else 0.0), len(held)


def main() -> int:
    folder = tempfile.mkdtemp(prefix="bench-impact-service-")
    url = f"sqlite:///{folder}/bench.sqlite3"
    try:
        child = multiprocessing.get_context("spawn").Process(target=build, args=(url,))
        child.start()
        child.join()
        if child.exitcode != 0:
            log("building the database failed")
            return 2
        setup_django(url)
        began_cpu = time.process_time()
        runs = measure_all()
        cpu = time.process_time() - began_cpu
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    times = [r["total_s"] for r in runs]
    share, estimated = coverage(runs)
    done = sum(r["outcome"] == "done" for r in runs)
    print(
        f"bench impact_service schools={national.SCHOOLS} "
        f"years={national.YEARS} estimates={len(runs)} "
        f"per_estimate_s={statistics.median(times):.2f} max_s={max(times):.2f} "
        f"peak_mb={peak_mb:.0f} queries={statistics.median(r['queries'] for r in runs):.0f}"
    )
    log(
        f"cpu_s={cpu:.2f} done={done} estimated={estimated} coverage={share:.2f} "
        f"ask_s_median={statistics.median(r['ask_s'] for r in runs):.2f}"
    )
    missed = []
    if max(times) >= GOAL_S:
        missed.append(f"goal missed: max_s {max(times):.2f} >= {GOAL_S}")
    if peak_mb >= GOAL_MB:
        missed.append(f"goal missed: peak_mb {peak_mb:.0f} >= {GOAL_MB:.0f}")
    if done < len(runs) or estimated < len(runs):
        missed.append(f"goal missed: {done} jobs done, {estimated} estimated of {len(runs)}")
    if share < GOAL_COVERAGE:
        missed.append(f"goal missed: coverage {share:.2f} < {GOAL_COVERAGE}")
    print("\n".join(missed) if missed else "all goals met")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
