"""Evaluating a partnership's indicators: raise new triggers and tell the named people.

``request_evaluation(partnership)`` queues an evaluation (one status row per partnership,
``core.jobs``); the task runs ``evaluate_partnership``, which reads each active indicator's
figures (``loaders``), asks the pure engine (``evaluation``) which schools it fires for,
leaves out comparisons that have raised a trigger already, and stores the rest, each with
its deadline, in one transaction. The emails go through the outbox once it commits, so a
mail server that is down never fails the evaluation: the outbox retries the delivery.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from partnerlens.audit import verbs
from partnerlens.audit.services import record
from partnerlens.core import jobs
from partnerlens.directory.models import Partnership
from partnerlens.triggers import evaluation as engine
from partnerlens.triggers import loaders, tasks
from partnerlens.triggers.emails import send_notices
from partnerlens.triggers.models import Evaluation, Indicator, Trigger

logger = logging.getLogger(__name__)


def request_evaluation(partnership: Partnership | int) -> Evaluation:
    """Queue an evaluation of the partnership's indicators (runs once the caller commits)."""
    pk = getattr(partnership, "pk", partnership)
    return jobs.ask(Evaluation, tasks.evaluate_partnership, "partnership_id", pk)


def partnerships_watching(kinds=None) -> list[int]:
    """Partnerships with an active indicator (of one of ``kinds``, when given)."""
    rows = Indicator.objects.filter(active=True)
    if kinds is not None:
        rows = rows.filter(kind__in=list(kinds))
    return sorted(set(rows.values_list("partnership_id", flat=True)))


def _trigger(indicator: Indicator, finding: engine.Finding, now) -> Trigger:
    measure = finding.measure or indicator.measure or loaders.ABSENCE.get(indicator.kind, "")
    if not measure and indicator.kind == engine.PROGRESS_DROP:
        measure = loaders.DEFAULT_PROGRESS
    return Trigger(
        partnership_id=indicator.partnership_id,
        indicator=indicator,
        organisation_id=finding.school_id,
        tier=finding.tier,
        measure=measure,
        period_before=finding.period_before,
        period_now=finding.period_now,
        value_before=finding.value_before,
        value_now=finding.value_now,
        text_before=finding.text_before[:60],
        text_now=finding.text_now[:60],
        severity=finding.severity,
        raised_at=now,
        deadline=timezone.localdate(now) + timedelta(days=indicator.deadline_days),
    )


def evaluate_indicator(indicator: Indicator, schools, now) -> list[Trigger]:
    """New triggers of one indicator (saved); comparisons raised before are left out."""
    findings = engine.evaluate(indicator.rule(), loaders.observations(indicator, schools))
    raised = Trigger.objects.filter(indicator=indicator).values_list(
        "indicator_id", "organisation_id", "period_before", "period_now"
    )
    made = []
    for finding in engine.unseen(findings, raised):
        trigger = _trigger(indicator, finding, now)
        try:
            with transaction.atomic():  # a concurrent evaluation may have raised it just now
                trigger.save()
        except IntegrityError:
            continue
        made.append(trigger)
    return made


def evaluate_partnership(partnership: Partnership, *, now=None) -> list[Trigger]:
    """Raise every new trigger of the partnership's active indicators and tell people."""
    now = now or timezone.now()
    schools = loaders.member_schools(partnership)
    made: list[Trigger] = []
    with transaction.atomic():
        for indicator in partnership.trigger_indicators.filter(active=True).order_by("pk"):
            indicator.partnership = partnership
            made += evaluate_indicator(indicator, schools, now)
        for trigger in made:
            record(
                None,
                verbs.TRIGGERS_RAISED,
                trigger,
                partnership_id=partnership.pk,
                indicator=trigger.indicator_id,
                school=trigger.organisation_id,
                tier=trigger.tier,
                period=trigger.period_now,
            )
        for trigger in made:
            trigger.organisation = schools.get(trigger.organisation_id) or trigger.organisation
            send_notices(trigger)
    return made


def run_evaluation_job(partnership_id: int, generation: int) -> str:
    """The task's work for one request: evaluate, record how many were raised."""
    if not jobs.claim(Evaluation, "partnership_id", partnership_id, generation):
        return "not_claimed"
    partnership = Partnership.objects.filter(pk=partnership_id).first()
    if partnership is None:
        return "gone"
    try:
        made = evaluate_partnership(partnership)
    except Exception as error:  # tried again on the back-off, then shown as failed
        code = type(error).__name__
        logger.exception("Trigger evaluation of partnership %s failed", partnership_id)
        status = jobs.retry_or_fail(
            Evaluation, tasks.evaluate_partnership, "partnership_id", partnership_id,
            generation, code,
        )  # fmt: skip
        return f"{status}:{code}"
    jobs.finish(Evaluation, "partnership_id", partnership_id, generation, raised=len(made))
    return jobs.JobStatus.DONE
