"""Impact's part of the persona world (``partnerlens/tests/world.py``): three years of KS2
results for partnership A's schools, a registered question and an estimate of it (which,
with four schools and no census, says "not enough data" and keeps a comparison group)."""

from __future__ import annotations

import numpy as np
from django.test import override_settings
from django.utils import timezone

from partnerlens.directory.models import OutcomeMeasure
from partnerlens.impact.analytics import did, synthetic
from partnerlens.impact.estimates import create_estimate, register, stored_result
from partnerlens.impact.models import Estimate

MEASURE = "ks2.rwm_exp_pct"
QUESTION = "Will more Northside pupils meet the expected standard by 2020?"
IMMEDIATE = override_settings(
    TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    TASKS_ENQUEUE_ON_COMMIT=False,
)


def build(a, lead, schools) -> dict:
    OutcomeMeasure.objects.bulk_create(
        OutcomeMeasure(
            organisation=school,
            measure=MEASURE,
            period=f"{year}-{(year + 1) % 100:02d}",
            value=60.0 + n + (year - 2016),
        )
        for n, school in enumerate(schools)
        for year in (2016, 2017, 2018)
    )
    ids = [school.pk for school in schools]
    registration = register(
        a, question=QUESTION, measure=MEASURE, schools=ids, start_year=2018, actor=lead
    )
    with IMMEDIATE:
        estimate = create_estimate(
            a,
            measure=MEASURE,
            schools=ids,
            start_year=2018,
            registration=registration,
            actor=lead,
        )
    estimate.refresh_from_db()
    return {
        "impact_registration": registration,
        "impact_estimate": estimate,
        "impact_group": estimate.group,
        "impact_estimated": _estimated(a, lead, ids),
    }


def _estimated(a, lead, ids) -> Estimate:
    """A finished estimate with numbers, its result from the real engine on a simulated
    panel (the world's four schools are too few for one): the page's chart and tables."""
    frame, treated, comparison, start = synthetic.panel(
        np.random.default_rng(5), 8, 40, effect=0.3, first_year=2015
    )
    result = did.estimate(
        frame, treated, comparison, start, pupil_sd=1.0, attainment=True, measure=MEASURE
    )
    return Estimate.objects.create(
        partnership=a,
        measure=MEASURE,
        start_year=start,
        schools=ids,
        created_by=lead,
        status=result.status,
        result=stored_result(result, {"pooled": False, "suppressed": 2, "cohort_known": True}),
        estimated_at=timezone.now(),
    )
