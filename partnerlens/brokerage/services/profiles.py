"""Audit profiles: the partnership's support areas, and each school's need and expertise
per area, derived from evidence or adjusted by a broker. Each verb owns its transaction and
writes an audit entry."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerlens.audit import verbs
from partnerlens.audit.services import record
from partnerlens.brokerage import audit, loaders
from partnerlens.brokerage.engine import DEFAULT_AREAS
from partnerlens.brokerage.errors import BrokerageError
from partnerlens.brokerage.models import AreaAssessment, BrokerageSettings
from partnerlens.directory.models import Organisation, Partnership


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
            actor,
            verbs.BROKERAGE_AREAS_SAVED,
            settings,
            partnership_id=partnership.pk,
            areas=chosen,
        )
    return settings


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
            verbs.BROKERAGE_ASSESSMENTS_DERIVED,
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
                area,
                need_level,
                expertise_level,
                audit.BROKER,
                "evidence.note",
                {"note": reason.strip()},
                today.isoformat(),
            ).as_source(),
        ]
        row.save()
        record(
            actor,
            verbs.BROKERAGE_ASSESSMENT_ADJUSTED,
            row,
            partnership_id=partnership.pk,
            organisation=organisation.pk,
            area=area,
            before=before,
            after={"need": need_level, "expertise": expertise_level},
            reason=reason.strip(),
        )
    return row
