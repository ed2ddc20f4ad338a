"""Matches: the broker's decision on a proposed pair (accept, reject, pin, exclude)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerlens.audit import verbs
from partnerlens.audit.services import record
from partnerlens.brokerage import emails
from partnerlens.brokerage.errors import BrokerageError
from partnerlens.brokerage.models import (
    Decision,
    ExclusionReason,
    ProposedMatch,
    ScenarioExclusion,
    ScenarioPin,
    SupportRelationship,
)

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
    """The broker agrees a pair: it becomes a support relationship starting today (or then),
    and both schools' leaders are told by email (emails.match_accepted, through the outbox)."""
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
        notices = emails.match_accepted(relationship, proposal_pk=proposal.pk, actor=actor)
        _decide(
            proposal,
            Decision.ACCEPTED,
            actor,
            verbs.BROKERAGE_MATCH_ACCEPTED,
            relationship,
            proposal=proposal.pk,
            notified=sorted(address for notice in notices for address in notice.to),
        )
        _unpin(proposal)
        # Inside the transaction: the outbox stores each message with the decision, or neither.
        for notice in notices:
            notice.send()
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
        _decide(proposal, Decision.REJECTED, actor, verbs.BROKERAGE_MATCH_REJECTED)
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
        _decide(proposal, Decision.PINNED, actor, verbs.BROKERAGE_MATCH_PINNED)
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
        _decide(proposal, Decision.EXCLUDED, actor, verbs.BROKERAGE_PAIR_EXCLUDED)
    return exclusion
