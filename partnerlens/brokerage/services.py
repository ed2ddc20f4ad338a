"""Brokerage workflows. Each verb owns its transaction and writes an audit entry.

audit profile: derive_assessments, adjust_assessment; offers: declare_offer; areas: save_areas;
scenarios: create_scenario, run_scenario, accept_match, reject_match, pin_match,
exclude_pair, remove_pin, remove_exclusion; support: record_progress, end_support.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerlens.audit.services import record
from partnerlens.brokerage import audit, loaders
from partnerlens.brokerage.engine import DEFAULT_AREAS, InputErrors, match
from partnerlens.brokerage.models import (
    AreaAssessment,
    BrokerageSettings,
    Decision,
    ExclusionReason,
    ProgressNote,
    ProposedMatch,
    Scenario,
    ScenarioExclusion,
    ScenarioPin,
    ScenarioRun,
    SupportOffer,
    SupportOfferArea,
    SupportRelationship,
    SupportStatus,
    UnmetNeed,
    partnership_areas,
)
from partnerlens.directory.models import Organisation, Partnership


class BrokerageError(Exception):
    """A request the workflow refuses, with messages fit to show the broker."""

    def __init__(self, messages: str | Sequence[str]):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("; ".join(self.messages))


# --- areas ---------------------------------------------------------------------------------


def save_areas(partnership: Partnership, areas: Sequence[str], *, actor) -> BrokerageSettings:
    unknown = [a for a in areas if a not in DEFAULT_AREAS]
    if unknown or not areas:
        raise BrokerageError(_("Choose at least one of the listed support areas."))
    with transaction.atomic():
        chosen = [a for a in DEFAULT_AREAS if a in set(areas)]
        settings, _created = BrokerageSettings.objects.update_or_create(
            partnership=partnership, defaults={"areas": chosen, "updated_by": actor}
        )
        record(
            actor, "brokerage.areas_saved", settings, partnership_id=partnership.pk, areas=chosen
        )
    return settings


# --- audit profile -------------------------------------------------------------------------


def derive_assessments(
    partnership: Partnership,
    *,
    actor,
    self_evaluations: Mapping[int, Sequence[Mapping]] | None = None,
    peer_reviews: Mapping[int, Sequence[Mapping]] | None = None,
    today: date | None = None,
) -> int:
    """Re-derive every member school's audit profile from its evidence; return rows changed.

    Outcome data comes from OutcomeMeasure. `self_evaluations` and `peer_reviews` map an
    organisation id to plain dicts (see audit.judge_self_evaluation) so the enquiries and
    reviews apps can feed their answers in without brokerage importing their models.
    A level a broker adjusted is kept (its evidence is refreshed beside it).
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        schools = list(loaders.member_schools(partnership))
        inputs = loaders.outcome_inputs(schools)
        existing = {
            (a.organisation_id, a.area): a
            for a in AreaAssessment.objects.select_for_update().filter(
                partnership=partnership, organisation__in=schools
            )
        }
        created, changed = [], []
        for school in schools:
            profile = audit.combine(
                _judgements(school.pk, inputs, self_evaluations or {}, peer_reviews or {})
            )
            for area in DEFAULT_AREAS:
                row = existing.get((school.pk, area))
                levels = profile.get(area, audit.AreaLevels(0, 0, []))
                if row is None:
                    if levels.sources:
                        created.append(_new_assessment(partnership, school, area, levels, today))
                    continue
                if _refresh(row, levels, today):
                    changed.append(row)
        AreaAssessment.objects.bulk_create(created)
        AreaAssessment.objects.bulk_update(
            changed,
            [
                "need_level",
                "expertise_level",
                "derived_need",
                "derived_expertise",
                "sources",
                "assessed_on",
            ],
        )
        record(
            actor,
            "brokerage.assessments_derived",
            partnership,
            partnership_id=partnership.pk,
            schools=len(schools),
            created=len(created),
            changed=len(changed),
        )
    return len(created) + len(changed)


def _judgements(org_id, inputs, self_evaluations, peer_reviews) -> list[audit.Judgement]:
    measures = inputs.measures.get(org_id, {})
    absence = measures.get(audit.ABSENCE_PERSISTENT) or measures.get(audit.ABSENCE_OVERALL)
    references = inputs.references_for(org_id, absence[0]) if absence else {}
    return [
        *audit.judge_outcomes(measures, references),
        *audit.judge_self_evaluation(self_evaluations.get(org_id, ())),
        *audit.judge_peer_review(peer_reviews.get(org_id, ())),
    ]


def _new_assessment(partnership, school, area, levels, today) -> AreaAssessment:
    return AreaAssessment(
        partnership=partnership,
        organisation=school,
        area=area,
        need_level=levels.need,
        expertise_level=levels.expertise,
        derived_need=levels.need,
        derived_expertise=levels.expertise,
        sources=levels.sources,
        assessed_on=today,
    )


def _refresh(row: AreaAssessment, levels: audit.AreaLevels, today: date) -> bool:
    broker_notes = [s for s in row.sources if s.get("source") == audit.BROKER]
    before = (row.need_level, row.expertise_level, row.derived_need, row.derived_expertise)
    before_sources = row.sources
    row.derived_need, row.derived_expertise = levels.need, levels.expertise
    if not row.is_adjusted:
        row.need_level, row.expertise_level = levels.need, levels.expertise
    row.sources = levels.sources + broker_notes
    after = (row.need_level, row.expertise_level, row.derived_need, row.derived_expertise)
    if before == after and before_sources == row.sources:
        return False
    row.assessed_on = today
    return True


def adjust_assessment(
    partnership: Partnership,
    organisation: Organisation,
    area: str,
    *,
    need_level: int,
    expertise_level: int,
    reason: str,
    actor,
) -> AreaAssessment:
    """A broker sets a school's levels in one area; the reason is kept with the evidence."""
    if area not in DEFAULT_AREAS:
        raise BrokerageError(_("Unknown support area."))
    if not reason.strip():
        raise BrokerageError(_("Give the reason for the adjustment."))
    if not (0 <= need_level <= 3 and 0 <= expertise_level <= 3):
        raise BrokerageError(_("Levels run from 0 to 3."))
    today = timezone.localdate()
    with transaction.atomic():
        row, _created = AreaAssessment.objects.select_for_update().get_or_create(
            partnership=partnership, organisation=organisation, area=area
        )
        before = {"need": row.need_level, "expertise": row.expertise_level}
        row.need_level, row.expertise_level = need_level, expertise_level
        row.adjusted_by, row.adjusted_at = actor, timezone.now()
        row.adjustment_reason = reason.strip()
        row.assessed_on = today
        row.sources = [
            *row.sources,
            audit.Judgement(
                area, need_level, expertise_level, audit.BROKER, reason.strip(), today.isoformat()
            ).as_source(),
        ]
        row.save()
        record(
            actor,
            "brokerage.assessment_adjusted",
            row,
            partnership_id=partnership.pk,
            organisation=organisation.pk,
            area=area,
            before=before,
            after={"need": need_level, "expertise": expertise_level},
            reason=reason.strip(),
        )
    return row


# --- offers --------------------------------------------------------------------------------


def declare_offer(
    partnership: Partnership,
    organisation: Organisation,
    *,
    capacity_total: int | None,
    max_km: float | None,
    areas: Mapping[str, tuple[int, int]],
    actor,
) -> SupportOffer:
    """Record what a school offers: areas as {area: (strength 1-3, capacity)}; none withdraws."""
    problems = [a for a in areas if a not in DEFAULT_AREAS]
    problems += [a for a, (strength, capacity) in areas.items() if strength not in (1, 2, 3)]
    problems += [a for a, (_s, capacity) in areas.items() if capacity < 0]
    if problems:
        raise BrokerageError(_("Check the offer for: %s") % ", ".join(sorted(set(problems))))
    if max_km is not None and max_km <= 0:
        raise BrokerageError(_("How far the school travels must be above 0 km."))
    with transaction.atomic():
        offer, _created = SupportOffer.objects.update_or_create(
            partnership=partnership,
            organisation=organisation,
            defaults={"capacity_total": capacity_total, "max_km": max_km, "declared_by": actor},
        )
        offer.areas.all().delete()
        SupportOfferArea.objects.bulk_create(
            SupportOfferArea(offer=offer, area=area, strength=strength, capacity=capacity)
            for area, (strength, capacity) in areas.items()
        )
        record(
            actor,
            "brokerage.offer_declared",
            offer,
            partnership_id=partnership.pk,
            organisation=organisation.pk,
            capacity_total=capacity_total,
            max_km=max_km,
            areas={a: list(v) for a, v in areas.items()},
        )
    return offer


# --- scenarios -----------------------------------------------------------------------------


def create_scenario(
    partnership: Partnership,
    *,
    name: str,
    areas: Sequence[str],
    max_km: float,
    la_name: str = "",
    region: str = "",
    actor,
) -> Scenario:
    allowed = partnership_areas(partnership)
    outside = [a for a in areas if a not in allowed]
    if outside:
        raise BrokerageError(_("Not areas of this partnership: %s") % ", ".join(outside))
    if max_km <= 0:
        raise BrokerageError(_("The distance limit must be above 0 km."))
    with transaction.atomic():
        scenario = Scenario.objects.create(
            partnership=partnership,
            name=name,
            areas=list(areas),
            max_km=max_km,
            la_name=la_name,
            region=region,
            created_by=actor,
        )
        record(actor, "brokerage.scenario_created", scenario, partnership_id=partnership.pk)
    return scenario


_SCHOOL_KEY = re.compile(r"\bs(\d+)\b")


def _named(text: str, loaded: loaders.Loaded) -> str:
    """Engine messages name schools by engine id; show their names instead."""

    def name(found: re.Match) -> str:
        organisation = loaded.organisations.get(found.group(0))
        return organisation.name if organisation else found.group(0)

    return _SCHOOL_KEY.sub(name, text)


def run_scenario(scenario: Scenario, *, actor) -> ScenarioRun:
    """Build the engine input from the partnership's data, match, and store the proposals."""
    with transaction.atomic():
        loaded = loaders.build_instance(scenario)
        if loaded.problems:
            raise BrokerageError(loaded.problems)
        try:
            result = match(loaded.schools, loaded.needs, loaded.offers, loaded.rules)
        except InputErrors as errors:
            raise BrokerageError([_named(p.reason, loaded) for p in errors.problems]) from None
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
                summary=m.summary,
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
                detail=_named(u.detail, loaded),
            )
            for u in result.unmet
        )
        record(
            actor,
            "brokerage.scenario_run",
            run,
            partnership_id=scenario.partnership_id,
            scenario=scenario.pk,
            needs=result.totals.needs,
            needs_met=result.totals.needs_met,
        )
    return run


# A pinned proposal is still open: the broker may yet accept, reject or exclude it.
_UNDECIDED = (Decision.PENDING, Decision.PINNED)


def _locked_pending(proposal: ProposedMatch, allowed: Sequence[str]) -> ProposedMatch:
    proposal = (
        ProposedMatch.objects.select_for_update()
        .select_related("run__scenario")
        .get(pk=proposal.pk)
    )
    latest = proposal.run.scenario.latest_run()
    if latest is None or latest.pk != proposal.run_id:
        raise BrokerageError(_("This proposal is from an earlier run: review the latest run."))
    if proposal.decision not in allowed:
        raise BrokerageError(
            _("This proposal is already %(decision)s.")
            % {"decision": proposal.get_decision_display().lower()}
        )
    return proposal


def _decide(
    proposal: ProposedMatch, decision: str, actor, action: str, subject=None, /, **details
) -> None:
    """Store the broker's decision and audit it (against ``subject``, else the proposal).

    Positional-only, so ``details`` may carry a ``proposal`` id for the audit entry.
    """
    proposal.decision, proposal.decided_by, proposal.decided_at = decision, actor, timezone.now()
    proposal.save(update_fields=["decision", "decided_by", "decided_at", "relationship"])
    scenario = proposal.run.scenario
    record(
        actor,
        action,
        subject or proposal,
        partnership_id=scenario.partnership_id,
        scenario=scenario.pk,
        **details,
    )


def _unpin(proposal: ProposedMatch) -> None:
    ScenarioPin.objects.filter(
        scenario=proposal.run.scenario, need_school=proposal.need_school_id, area=proposal.area
    ).delete()


def accept_match(
    proposal: ProposedMatch, *, actor, started_on: date | None = None
) -> SupportRelationship:
    """The broker agrees a pair: it becomes a support relationship starting today (or then)."""
    with transaction.atomic():
        proposal = _locked_pending(proposal, _UNDECIDED)
        scenario = proposal.run.scenario
        already = SupportRelationship.objects.active().filter(
            partnership=scenario.partnership_id,
            supported=proposal.need_school_id,
            area=proposal.area,
        )
        if already.exists():
            raise BrokerageError(_("This school is already being supported in this area."))
        relationship = SupportRelationship.objects.create(
            partnership_id=scenario.partnership_id,
            supporter_id=proposal.support_school_id,
            supported_id=proposal.need_school_id,
            area=proposal.area,
            started_on=started_on or timezone.localdate(),
            created_by=actor,
        )
        proposal.relationship = relationship
        _decide(
            proposal, Decision.ACCEPTED, actor, "brokerage.match_accepted", relationship,
            proposal=proposal.pk,
        )  # fmt: skip
        _unpin(proposal)
    return relationship


def reject_match(proposal: ProposedMatch, *, actor) -> None:
    """Not this pair in this area: later runs of the scenario will not propose it again."""
    with transaction.atomic():
        proposal = _locked_pending(proposal, _UNDECIDED)
        scenario = proposal.run.scenario
        ScenarioExclusion.objects.create(
            scenario=scenario,
            school_a_id=proposal.support_school_id,
            school_b_id=proposal.need_school_id,
            area=proposal.area,
            reason=ExclusionReason.REJECTED,
            created_by=actor,
        )
        _decide(proposal, Decision.REJECTED, actor, "brokerage.match_rejected")
        _unpin(proposal)


def pin_match(proposal: ProposedMatch, *, actor) -> ScenarioPin:
    """Keep this pair: later runs must use it, and optimise everything else around it."""
    with transaction.atomic():
        proposal = _locked_pending(proposal, (Decision.PENDING,))
        scenario = proposal.run.scenario
        pin, _created = ScenarioPin.objects.update_or_create(
            scenario=scenario,
            need_school_id=proposal.need_school_id,
            area=proposal.area,
            defaults={"support_school_id": proposal.support_school_id, "created_by": actor},
        )
        _decide(proposal, Decision.PINNED, actor, "brokerage.match_pinned")
    return pin


def exclude_pair(proposal: ProposedMatch, *, actor) -> ScenarioExclusion:
    """These two schools must not be paired in any area (a conflict, a history)."""
    with transaction.atomic():
        proposal = _locked_pending(proposal, _UNDECIDED)
        scenario = proposal.run.scenario
        a, b = proposal.support_school_id, proposal.need_school_id
        exclusion = ScenarioExclusion.objects.create(
            scenario=scenario,
            school_a_id=a,
            school_b_id=b,
            area="",
            reason=ExclusionReason.EXCLUDED,
            created_by=actor,
        )
        ScenarioPin.objects.filter(scenario=scenario).filter(
            Q(need_school=a, support_school=b) | Q(need_school=b, support_school=a)
        ).delete()
        _decide(proposal, Decision.EXCLUDED, actor, "brokerage.pair_excluded")
    return exclusion


def remove_pin(pin: ScenarioPin, *, actor) -> None:
    with transaction.atomic():
        record(
            actor,
            "brokerage.pin_removed",
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
            "brokerage.exclusion_removed",
            exclusion,
            partnership_id=exclusion.scenario.partnership_id,
            scenario=exclusion.scenario_id,
            schools=[exclusion.school_a_id, exclusion.school_b_id],
            area=exclusion.area,
        )
        exclusion.delete()


# --- support relationships -----------------------------------------------------------------


def record_progress(
    relationship: SupportRelationship, *, text: str, noted_on: date | None = None, actor
) -> ProgressNote:
    if not text.strip():
        raise BrokerageError(_("Write the progress note."))
    noted_on = noted_on or timezone.localdate()
    if noted_on < relationship.started_on:
        raise BrokerageError(_("A progress note cannot be dated before the support started."))
    with transaction.atomic():
        note = ProgressNote.objects.create(
            relationship=relationship, noted_on=noted_on, text=text.strip(), author=actor
        )
        record(
            actor,
            "brokerage.progress_recorded",
            note,
            partnership_id=relationship.partnership_id,
            relationship=relationship.pk,
        )
    return note


def end_support(
    relationship: SupportRelationship,
    *,
    status: str,
    ended_on: date | None = None,
    reason: str = "",
    actor,
) -> SupportRelationship:
    """Close a support relationship as completed or ended early (which excludes the pair
    from later scenarios, as a failed pairing)."""
    if status not in (SupportStatus.COMPLETED, SupportStatus.ENDED_EARLY):
        raise BrokerageError(_("Choose whether the support was completed or ended early."))
    ended_on = ended_on or timezone.localdate()
    with transaction.atomic():
        relationship = SupportRelationship.objects.select_for_update().get(pk=relationship.pk)
        if relationship.status != SupportStatus.ACTIVE:
            raise BrokerageError(_("This support has already ended."))
        if ended_on < relationship.started_on:
            raise BrokerageError(_("The end date cannot be before the support started."))
        if status == SupportStatus.ENDED_EARLY and not reason.strip():
            raise BrokerageError(_("Say why the support ended early."))
        relationship.status, relationship.ended_on = status, ended_on
        relationship.end_reason = reason.strip()
        relationship.save(update_fields=["status", "ended_on", "end_reason"])
        record(
            actor,
            "brokerage.support_ended",
            relationship,
            partnership_id=relationship.partnership_id,
            status=status,
            ended_on=ended_on.isoformat(),
        )
    return relationship
