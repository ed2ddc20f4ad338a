"""Scenarios: create one, run the engine on it and store the proposals, and manage the pins
and exclusions the next run honours.

The scenario page asks for a run (``request_run``); the task worker runs it
(``run_scenario_job``, which calls ``run_scenario``) and records how it went in the
scenario's ``ScenarioJob``: a refused run (``BrokerageError``) fails at once with its
problems as message codes; any other error is tried again after 1, 5 and 25 minutes."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict

from django.db import transaction
from django.utils.translation import gettext as _

from partnerlens.audit import verbs
from partnerlens.audit.services import record
from partnerlens.brokerage import loaders, tasks
from partnerlens.brokerage.engine import InputErrors, match
from partnerlens.brokerage.errors import BrokerageError
from partnerlens.brokerage.models import (
    Decision,
    ProposedMatch,
    Scenario,
    ScenarioExclusion,
    ScenarioJob,
    ScenarioPin,
    ScenarioRun,
    UnmetNeed,
    area_label,
    partnership_areas,
)
from partnerlens.core import jobs
from partnerlens.core.messages import Message
from partnerlens.directory.models import Organisation, Partnership

logger = logging.getLogger(__name__)


def create_scenario(
    partnership: Partnership,
    *,
    name: str,
    areas: Sequence[str],
    max_km: float,
    name_cy: str = "",
    la_name: str = "",
    region: str = "",
    actor,
    focus: Sequence[int] = (),
) -> Scenario:
    """A scenario of ``partnership``. ``focus``: the ids of the current member schools it is
    for (only their needs are matched; any school of the partnership may support them);
    empty: every school."""
    allowed = partnership_areas(partnership)
    outside = [a for a in areas if a not in allowed]
    if outside:
        named = ", ".join(area_label(area) for area in outside)  # never the area's code
        raise BrokerageError(_("Not areas of this partnership: %s") % named)
    if max_km <= 0:
        raise BrokerageError(_("The distance limit must be above 0 km."))
    focus = _checked_focus(partnership, focus)
    with transaction.atomic():
        scenario = Scenario.objects.create(
            partnership=partnership,
            name=name,
            name_cy=name_cy,
            areas=list(areas),
            max_km=max_km,
            la_name=la_name,
            region=region,
            focus=focus,
            created_by=actor,
        )
        record(
            actor,
            verbs.BROKERAGE_SCENARIO_CREATED,
            scenario,
            partnership_id=partnership.pk,
            focus=focus,
        )
    return scenario


def _checked_focus(partnership: Partnership, focus: Sequence[int]) -> list[int]:
    """The focus as sorted distinct ids, or BrokerageError naming what is not a current
    member school (by name where the organisation exists, else by its number)."""
    try:
        wanted = sorted({int(org) for org in focus})
    except (TypeError, ValueError):
        raise BrokerageError(
            _("The schools a scenario is for must be given by their ids.")
        ) from None
    members = set(
        loaders.member_schools(partnership).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    strangers = [org for org in wanted if org not in members]
    if strangers:
        names = dict(Organisation.objects.filter(pk__in=strangers).values_list("pk", "name"))
        named = ", ".join(names.get(org, str(org)) for org in strangers)
        raise BrokerageError(
            _("A scenario can be only for current member schools of this partnership; not: %s")
            % named
        )
    return wanted


def _named(problem, loaded: loaders.Loaded) -> Message:
    """An engine problem about pins, its engine school ids replaced by the schools' names."""

    def name(value):
        organisation = loaded.organisations.get(value) if isinstance(value, str) else None
        return organisation.name if organisation else value

    return Message(problem.reason, {key: name(v) for key, v in (problem.params or {}).items()})


def run_scenario(scenario: Scenario, *, actor) -> ScenarioRun:
    """Build the engine input from the partnership's data, match, and store the proposals."""
    with transaction.atomic():
        loaded = loaders.build_instance(scenario)
        if loaded.problems:
            raise BrokerageError(loaded.problems)
        try:
            result = match(loaded.schools, loaded.needs, loaded.offers, loaded.rules)
        except InputErrors as errors:
            raise BrokerageError([_named(p, loaded) for p in errors.problems]) from None
        run = ScenarioRun.objects.create(
            scenario=scenario,
            run_by=actor,
            settings={
                "areas": list(loaded.rules.areas),
                "max_km": loaded.rules.max_km,
                "pins": len(loaded.rules.pins),
                "exclusions": len(loaded.rules.exclusions),
                "relationships": len(loaded.rules.relationships),
                "schools": len(loaded.schools),
                "needs": len(loaded.needs),
                "offers": len(loaded.offers),
                "focus": list(scenario.focus),
            },
            totals=asdict(result.totals),
            skipped=loaded.skipped,
        )
        evidence = loaders.match_evidence(scenario.partnership, result.matches)
        ProposedMatch.objects.bulk_create(
            ProposedMatch(
                run=run,
                need_school_id=loaders.organisation_id(m.need_school_id),
                support_school_id=loaders.organisation_id(m.support_school_id),
                area=m.area,
                severity=m.severity,
                strength=m.strength,
                distance_km=round(m.distance_km, 3),
                score=m.score,
                pinned=m.explanation["pinned"],
                decision=Decision.PINNED if m.explanation["pinned"] else Decision.PENDING,
                explanation={**m.explanation, "evidence": evidence(m)},
            )
            for m in result.matches
        )
        UnmetNeed.objects.bulk_create(
            UnmetNeed(
                run=run,
                school_id=loaders.organisation_id(u.school_id),
                area=u.area,
                severity=u.severity,
                reason=u.reason.value,
                params={k: v for k, v in u.params.items() if k != "area"},
            )
            for u in result.unmet
        )
        record(
            actor,
            verbs.BROKERAGE_SCENARIO_RUN,
            run,
            partnership_id=scenario.partnership_id,
            scenario=scenario.pk,
            needs=result.totals.needs,
            needs_met=result.totals.needs_met,
        )
    return run


def request_run(scenario: Scenario, *, actor) -> ScenarioJob:
    """Queue a run of ``scenario`` (the task worker runs it once the request commits)."""
    return jobs.ask(
        ScenarioJob,
        tasks.run_matching,
        "scenario_id",
        scenario.pk,
        requested_by=actor if getattr(actor, "pk", None) else None,
        problems=[],
    )


def run_scenario_job(scenario_id: int, generation: int) -> str:
    """The task's work: run the scenario for this request and record the outcome."""
    if not jobs.claim(ScenarioJob, "scenario_id", scenario_id, generation):
        return "not_claimed"
    job = ScenarioJob.objects.select_related("scenario__partnership", "requested_by").get(
        scenario_id=scenario_id
    )
    try:
        run = run_scenario(job.scenario, actor=job.requested_by)
    except BrokerageError as refused:  # a problem people must fix: no retry
        problems = [
            m.as_dict() if isinstance(m, Message) else {"code": str(m), "params": {}}
            for m in refused.messages
        ]
        jobs.fail(ScenarioJob, "scenario_id", scenario_id, generation, "refused", problems=problems)
        return "refused"
    except Exception as error:  # anything else is tried again, then shown as failed
        code = type(error).__name__
        logger.exception("Run of scenario %s failed (attempt %s)", scenario_id, job.attempts)
        status = jobs.retry_or_fail(
            ScenarioJob, tasks.run_matching, "scenario_id", scenario_id, generation, code
        )
        return f"{status}:{code}"
    jobs.finish(ScenarioJob, "scenario_id", scenario_id, generation, run=run)
    return jobs.JobStatus.DONE


def remove_pin(pin: ScenarioPin, *, actor) -> None:
    with transaction.atomic():
        record(
            actor,
            verbs.BROKERAGE_PIN_REMOVED,
            pin,
            partnership_id=pin.scenario.partnership_id,
            scenario=pin.scenario_id,
            need_school=pin.need_school_id,
            support_school=pin.support_school_id,
            area=pin.area,
        )
        pin.delete()


def remove_exclusion(exclusion: ScenarioExclusion, *, actor) -> None:
    with transaction.atomic():
        record(
            actor,
            verbs.BROKERAGE_EXCLUSION_REMOVED,
            exclusion,
            partnership_id=exclusion.scenario.partnership_id,
            scenario=exclusion.scenario_id,
            schools=[exclusion.school_a_id, exclusion.school_b_id],
            area=exclusion.area,
        )
        exclusion.delete()
