"""Registrations and estimates: register a question, ask for an estimate, run it on the queue.

``register`` freezes a partnership's question, measure, schools and start year
(``Registration``, locked). ``create_estimate`` stores what is asked and queues its run
(``request_run``: ``core.jobs.ask``); the task worker calls ``run_estimate_job``, which chooses
the comparison families (``families.choose_families``), reads the panel, suppresses small
cohorts (or pools three years first, when asked) and calls ``analytics.did.estimate``. The
result is kept as numbers and codes (``Estimate.result``); too little data is a result
(``not_enough_data`` with its reasons), not a failure. An engine failure fails the job at once
with its code; any other error is tried again after 1, 5 and 25 minutes, then shown as failed.
"""

from __future__ import annotations

import logging
import math

import numpy as np
import pandas as pd
from django.db import transaction
from django.utils import timezone

from partnerlens.audit import verbs
from partnerlens.audit.services import record
from partnerlens.core import jobs
from partnerlens.impact import panel as panels
from partnerlens.impact import tasks
from partnerlens.impact.analytics import did, effects
from partnerlens.impact.analytics.families import FamilyError
from partnerlens.impact.analytics.registration import RegisteredSpec
from partnerlens.impact.families import choose_families, comparison_ids
from partnerlens.impact.models import Estimate, EstimateJob, Registration

logger = logging.getLogger(__name__)

# Shares of pupils reaching a standard: attainment, with a pupil-level SD sqrt(p(1-p)), so
# an effect size comparable with the EEF's and months' progress.
SHARES = frozenset(
    {
        "ks2.rwm_exp_pct",
        "ks2.rwm_high_pct",
        "ks4.basics_94_pct",
        "ks4.basics_95_pct",
        "ks4.ebacc_94_pct",
        "ks4.ebacc_95_pct",
    }
)
LOWER_IS_BETTER_PREFIXES = ("absence.",)
ENGINE_ERRORS = (FamilyError, np.linalg.LinAlgError, ValueError, ZeroDivisionError)


class EstimateError(ValueError):
    """Something asked for that cannot be (a code for the form to word)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def higher_is_better(measure: str) -> bool:
    return not measure.startswith(LOWER_IS_BETTER_PREFIXES)


def latest_year(measure: str, schools, partnership) -> int | None:
    frame = panels.outcome_panel(measure, list(schools), partnership=partnership)
    frame = frame[frame["value"].notna()]
    return int(frame["year"].max()) if len(frame) else None


def _check(partnership, measure: str, schools, start_year: int) -> list[int]:
    members = set(panels.member_ids(partnership))
    chosen = sorted({int(s) for s in schools})
    if not chosen:
        raise EstimateError("no_schools")
    if not set(chosen) <= members:
        raise EstimateError("not_member_schools")
    if measure not in {code for code, _years in panels.available_measures(partnership)}:
        raise EstimateError("measure_not_available")
    if not 2000 <= int(start_year) <= 2100:
        raise EstimateError("start_year_out_of_range")
    return chosen


def register(
    partnership,
    *,
    question: str,
    measure: str,
    schools,
    start_year: int,
    actor,
    question_cy: str = "",
):
    """Register the analysis: locked and timestamped from now on. The fingerprint is of the
    analysis (measure, schools, start year) and the English question; the Welsh question
    is locked with it but is not in it (docs/methods.md)."""
    chosen = _check(partnership, measure, schools, start_year)
    spec = RegisteredSpec.of(measure, chosen, start_year, question)
    with transaction.atomic():
        registration = Registration.objects.create(
            partnership=partnership,
            question=question,
            question_cy=question_cy,
            measure=measure,
            start_year=start_year,
            schools=chosen,
            spec_hash=spec.digest(),
            registered_by=actor if getattr(actor, "pk", None) else None,
            data_to_year=latest_year(measure, chosen, partnership),
        )
        record(
            actor,
            verbs.IMPACT_REGISTERED,
            registration,
            partnership_id=partnership.pk,
            measure=measure,
            start_year=start_year,
            schools=len(chosen),
            spec_hash=registration.spec_hash,
        )
    return registration


def spec_of(registration: Registration | None) -> RegisteredSpec | None:
    if registration is None:
        return None
    return RegisteredSpec.of(
        registration.measure, registration.schools, registration.start_year, registration.question
    )


def create_estimate(
    partnership,
    *,
    measure: str,
    schools,
    start_year: int,
    pool_years: bool = False,
    registration: Registration | None = None,
    actor,
) -> Estimate:
    """Store what is asked for and queue its run."""
    chosen = _check(partnership, measure, schools, start_year)
    if registration is not None and registration.partnership_id != partnership.pk:
        raise EstimateError("not_member_schools")
    with transaction.atomic():
        estimate = Estimate.objects.create(
            partnership=partnership,
            registration=registration,
            measure=measure,
            start_year=start_year,
            schools=chosen,
            pool_years=pool_years,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        record(
            actor,
            verbs.IMPACT_ESTIMATE_REQUESTED,
            estimate,
            partnership_id=partnership.pk,
            measure=measure,
            start_year=start_year,
            schools=len(chosen),
        )
        request_run(estimate, actor=actor)
    return estimate


def request_run(estimate: Estimate, *, actor) -> EstimateJob:
    """Queue a run of the estimate (the task worker runs it once the request commits)."""
    return jobs.ask(
        EstimateJob,
        tasks.run_estimate,
        "estimate_id",
        estimate.pk,
        requested_by=actor if getattr(actor, "pk", None) else None,
    )


def registration_for(estimate: Estimate) -> Registration | None:
    """The registration the estimate is judged against: its own, else the partnership's
    latest for the same measure (None: the analysis was not registered)."""
    if estimate.registration_id:
        return estimate.registration
    return (
        Registration.objects.filter(
            partnership_id=estimate.partnership_id, measure=estimate.measure
        )
        .order_by("-registered_at", "-id")
        .first()
    )


def prepare_panel(panel: pd.DataFrame, pool_years: bool) -> tuple[pd.DataFrame, dict]:
    """The engine's ``urn, year, value`` with small cohorts suppressed (after pooling three
    years, when asked), and what was done. A measure published without a cohort size
    (``cohort`` unknown throughout) cannot be suppressed and is used as it is."""
    frame = panel.rename(columns={"school": "urn"})[["urn", "year", "value", "cohort"]]
    has_cohort = bool(frame["cohort"].notna().any())
    notes = {"pooled": False, "suppressed": 0, "cohort_known": has_cohort}
    if pool_years and has_cohort:
        frame = effects.average_years(frame)
        notes["pooled"] = True
    if has_cohort:
        before = int(frame["value"].notna().sum())
        frame = effects.suppress_small_cohorts(frame)
        notes["suppressed"] = before - int(frame["value"].notna().sum())
    return frame[["urn", "year", "value"]], notes


def _number(value):
    if value is None:
        return None
    if isinstance(value, np.integer | int) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, np.floating | float):
        return None if math.isnan(value) else float(value)
    return value


def stored_result(result: did.Estimate, notes: dict, pupil_share: float | None = None) -> dict:
    """The engine's estimate as JSON: numbers (NaN as null) and codes."""
    fields = {
        name: _number(getattr(result, name))
        for name in (
            "effect", "se", "ci_low", "ci_high", "p_value", "method", "bootstrap_weights",
            "treated", "comparison", "years_before", "years_after", "pretrend", "pretrend_p",
            "sd", "sd_basis", "effect_size", "effect_size_low", "effect_size_high", "months",
            "registration", "spec_hash",
        )
    }  # fmt: skip
    events = [
        {key: _number(value) for key, value in row.items()}
        for row in result.event_study.to_dict("records")
    ]
    return {
        **fields,
        "reasons": list(result.reasons),
        "event_study": events,
        "pupil_share": pupil_share,
        **notes,
    }


def run_estimate(estimate: Estimate) -> Estimate:
    """Choose families, read the panel and estimate; store the result (numbers and codes)."""
    partnership = estimate.partnership
    panel = panels.outcome_panel(estimate.measure, None, partnership=partnership)
    group = choose_families(
        partnership, estimate.measure, estimate.schools, estimate.start_year, panel=panel
    )
    treated, comparison = set(estimate.schools), set(comparison_ids(group))
    rows = panel[panel["school"].isin(treated | comparison)]
    frame, notes = prepare_panel(rows, estimate.pool_years)
    pupil_sd, share = None, None
    if estimate.measure in SHARES:
        before = frame[(frame["year"] < estimate.start_year) & frame["value"].notna()]
        if len(before):
            share = float(np.clip(before["value"].mean() / 100, 0.0, 1.0))
            pupil_sd = effects.pupil_sd_of_share(share) * 100
    registration = registration_for(estimate)
    result = did.estimate(
        frame,
        treated,
        comparison,
        estimate.start_year,
        pupil_sd=pupil_sd,
        attainment=estimate.measure in SHARES,
        spec=spec_of(registration),
        measure=estimate.measure,
        seed=estimate.seed,
    )
    estimate.group = group
    estimate.status = result.status
    estimate.result = stored_result(result, notes, share)
    estimate.estimated_at = timezone.now()
    estimate.save(update_fields=["group", "status", "result", "estimated_at"])
    return estimate


def run_estimate_job(estimate_id: int, generation: int) -> str:
    """The task's work: run the estimate for this request and record how it went."""
    if not jobs.claim(EstimateJob, "estimate_id", estimate_id, generation):
        return "not_claimed"
    job = EstimateJob.objects.select_related("estimate__partnership").get(estimate_id=estimate_id)
    try:
        with transaction.atomic():
            run_estimate(job.estimate)
    except ENGINE_ERRORS as error:  # the same data would fail the same way: no retry
        code = f"engine:{type(error).__name__}"
        logger.exception("Estimate %s failed in the engine", estimate_id)
        jobs.fail(EstimateJob, "estimate_id", estimate_id, generation, code)
        return code
    except Exception as error:  # anything else is tried again, then shown as failed
        code = type(error).__name__
        logger.exception("Estimate %s failed (attempt %s)", estimate_id, job.attempts)
        status = jobs.retry_or_fail(
            EstimateJob, tasks.run_estimate, "estimate_id", estimate_id, generation, code
        )
        return f"{status}:{code}"
    jobs.finish(EstimateJob, "estimate_id", estimate_id, generation)
    return jobs.JobStatus.DONE
