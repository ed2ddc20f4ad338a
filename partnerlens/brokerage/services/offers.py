"""Offers of support: what a school offers, in which areas, to how many schools at once."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from partnerlens.audit import verbs
from partnerlens.audit.services import record
from partnerlens.brokerage.engine import DEFAULT_AREAS
from partnerlens.brokerage.errors import BrokerageError
from partnerlens.brokerage.models import SupportOffer, SupportOfferArea, area_label
from partnerlens.directory.models import Organisation, Partnership


def declare_offer(
    partnership: Partnership,
    organisation: Organisation,
    *,
    capacity_total: int | None,
    max_km: float | None,
    areas: Mapping[str, tuple[int, int]],
    actor,
    summary: str | None = None,
    summary_cy: str | None = None,
) -> SupportOffer:
    """Record what a school offers: areas as {area: (strength 1-3, capacity)}; none withdraws.

    ``summary`` / ``summary_cy`` are the school's own words in English and Welsh (None keeps
    what is stored)."""
    problems = [a for a in areas if a not in DEFAULT_AREAS]
    problems += [a for a, (strength, capacity) in areas.items() if strength not in (1, 2, 3)]
    problems += [a for a, (_s, capacity) in areas.items() if capacity < 0]
    if problems:
        named = sorted({area_label(area) for area in problems})  # never the area's code
        raise BrokerageError(_("Check the offer for: %s") % ", ".join(named))
    if max_km is not None and max_km <= 0:
        raise BrokerageError(_("How far the school travels must be above 0 km."))
    texts = {"summary": summary, "summary_cy": summary_cy}
    with transaction.atomic():
        offer, _created = SupportOffer.objects.update_or_create(
            partnership=partnership,
            organisation=organisation,
            defaults={
                "capacity_total": capacity_total,
                "max_km": max_km,
                "declared_by": actor,
                **{name: text.strip() for name, text in texts.items() if text is not None},
            },
        )
        offer.areas.all().delete()
        SupportOfferArea.objects.bulk_create(
            SupportOfferArea(offer=offer, area=area, strength=strength, capacity=capacity)
            for area, (strength, capacity) in areas.items()
        )
        record(
            actor,
            verbs.BROKERAGE_OFFER_DECLARED,
            offer,
            partnership_id=partnership.pk,
            organisation=organisation.pk,
            capacity_total=capacity_total,
            max_km=max_km,
            areas={a: list(v) for a, v in areas.items()},
            summary=offer.summary,
            summary_cy=offer.summary_cy,
        )
    return offer
