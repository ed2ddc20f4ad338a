"""The age of the outcome data a page relies on (outcome_age.py does the arithmetic)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.conf import settings
from django.utils import timezone

from partnerlens.brokerage.models import AreaAssessment
from partnerlens.brokerage.outcome_age import (
    DEFAULT_STALE_YEARS,
    OutcomeAge,
    outcome_age,
    outcome_periods,
)
from partnerlens.directory.models import Partnership


def stale_after() -> int:
    return int(getattr(settings, "BROKERAGE_OUTCOME_STALE_YEARS", DEFAULT_STALE_YEARS))


def age_of_sources(sources: Iterable[Mapping]) -> OutcomeAge | None:
    """How old the outcome data among these evidence sources are (None: no outcome data)."""
    return outcome_age(
        outcome_periods(sources), today=timezone.localdate(), stale_after=stale_after()
    )


def age_for_partnership(partnership: Partnership, areas: Iterable[str] | None = None):
    """How old the outcome data behind the partnership's profiles are (one query)."""
    rows = AreaAssessment.objects.for_partnership(partnership)
    if areas is not None:
        rows = rows.filter(area__in=list(areas))
    stored = rows.order_by().values_list("sources", flat=True)
    sources = (source for row in stored for source in row or [])
    return age_of_sources(sources)


def age_for_proposal(explanation: Mapping) -> OutcomeAge | None:
    evidence = explanation.get("evidence") or {}
    return age_of_sources(
        [*evidence.get("need_sources", []), *evidence.get("expertise_sources", [])]
    )
