"""Brokerage matches: the proposals of each scenario's latest run, with the broker's decision."""

# No "from __future__ import annotations": django-ninja reads the parameters' real types.

from ninja import Router
from ninja.pagination import paginate

from partnerlens.api.v1 import access
from partnerlens.api.v1.pages import Pages
from partnerlens.api.v1.schemas import ERRORS, MatchOut
from partnerlens.brokerage.models import Decision, ProposedMatch, ScenarioRun

router = Router(tags=["matches"])


def latest_run_ids(partnership) -> list[int]:
    latest: dict[int, int] = {}
    runs = (
        ScenarioRun.objects.filter(scenario__partnership=partnership)
        .order_by("scenario_id", "run_at", "id")
        .values_list("scenario_id", "id")
    )
    for scenario_id, run_id in runs:
        latest[scenario_id] = run_id  # ordered, so the last one seen is the latest
    return list(latest.values())


@router.get("/matches", response={200: list[MatchOut], **ERRORS})
@paginate(Pages)
def matches(request, decision: Decision | None = None):
    """Proposed matches of every scenario's latest run; ``decision`` narrows them."""
    found = ProposedMatch.objects.filter(
        run_id__in=latest_run_ids(access.partnership_of(request))
    ).select_related("run__scenario", "need_school", "support_school")
    if decision:
        found = found.filter(decision=decision)
    return found.order_by("run__scenario_id", "-severity", "need_school__name", "id")
