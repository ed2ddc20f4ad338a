"""A directory of schools with outcome and census rows, for the family and estimate tests.

The outcome values come from ``analytics.synthetic`` (the real KS2 panel's spread, in pupil
SDs) turned into a percentage of pupils meeting the expected standard, so the rows look and
behave like imported ``ks2.rwm_exp_pct`` figures; the partnership's schools are the first
``treated``. Everything is written as the importers write it: ``OutcomeMeasure`` rows with
dotted codes and "2018-19" periods.
"""

from __future__ import annotations

import numpy as np
from django.contrib.auth import get_user_model

from partnerlens.directory.models import (
    Membership,
    Organisation,
    OrganisationKind,
    OutcomeMeasure,
    Partnership,
    PartnershipKind,
    PartnershipRole,
    Phase,
    Role,
)
from partnerlens.impact.analytics import synthetic

MEASURE = "ks2.rwm_exp_pct"
COHORT = "ks2.pupils"
FIRST_YEAR, YEARS, START_INDEX = 2014, 6, 4
START = FIRST_YEAR + START_INDEX


def period(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def build(
    *,
    treated: int = 8,
    comparison: int = 120,
    effect: float = 0.0,
    pretrend: float = 0.0,
    seed: int = 3,
    small_cohort_school: bool = False,
    urn_base: int = 700_000,
) -> dict:
    """Schools, their rows, a partnership of the first ``treated`` with a lead, a governor
    and a teacher; ``effect`` in pupil SDs from START on, ``pretrend`` in pupil SDs a year
    for the partnership's schools throughout."""
    rng = np.random.default_rng(seed)
    frame, _t, _c, _start = synthetic.panel(
        rng,
        treated,
        comparison,
        YEARS,
        START_INDEX,
        effect=effect,
        pretrend=pretrend,
        first_year=FIRST_YEAR,
    )
    n = treated + comparison
    schools = Organisation.objects.bulk_create(
        Organisation(
            kind=OrganisationKind.SCHOOL,
            name=f"{'Partner' if i < treated else 'Other'} School {i:03d}",
            urn=urn_base + i,
            phase=Phase.PRIMARY,
            pupils=int(rng.integers(120, 600)),
        )
        for i in range(n)
    )
    ids = [s.pk for s in schools]
    cohorts = rng.integers(20, 60, n)
    if small_cohort_school:
        cohorts[0] = 4  # at or below 5 pupils: suppressed every year
    rows = []
    values = frame["value"].to_numpy().reshape(n, YEARS)
    for i, school in enumerate(ids):
        for t in range(YEARS):
            year = FIRST_YEAR + t
            share = float(np.clip(60 + 47 * values[i, t], 0, 100))  # 47 points = 1 pupil SD
            rows.append(OutcomeMeasure(organisation_id=school, measure=MEASURE,
                                       period=period(year), value=round(share, 1)))  # fmt: skip
            rows.append(OutcomeMeasure(organisation_id=school, measure=COHORT,
                                       period=period(year), value=float(cohorts[i])))  # fmt: skip
        for code, low, high in (
            ("census.fsm_ever_pct", 5, 50),
            ("census.eal_pct", 0, 40),
            ("census.sen_support_pct", 5, 20),
            ("census.ehcp_pct", 0, 4),
            ("census.pupils", 120, 600),
        ):
            rows.append(OutcomeMeasure(organisation_id=school, measure=code,
                                       period=period(START - 1),
                                       value=round(float(rng.uniform(low, high)), 1)))  # fmt: skip
    OutcomeMeasure.objects.bulk_create(rows, batch_size=2000)
    users = get_user_model().objects
    lead = users.create(username=f"lead{urn_base}", email=f"lead{urn_base}@example.org")
    governor = users.create(username=f"gov{urn_base}", email=f"gov{urn_base}@example.org")
    teacher = users.create(username=f"teach{urn_base}", email=f"teach{urn_base}@example.org")
    partnership = Partnership.objects.create(
        name=f"Impact Cluster {urn_base}", kind=PartnershipKind.CLUSTER
    )
    for user, role in ((lead, Role.PARTNERSHIP_LEAD), (governor, Role.GOVERNOR),
                       (teacher, Role.TEACHER)):  # fmt: skip
        PartnershipRole.objects.create(partnership=partnership, user=user, role=role)
    Membership.objects.bulk_create(
        Membership(partnership=partnership, organisation_id=school) for school in ids[:treated]
    )
    return {
        "partnership": partnership,
        "lead": lead,
        "governor": governor,
        "teacher": teacher,
        "treated": ids[:treated],
        "others": ids[treated:],
        "schools": schools,
    }
