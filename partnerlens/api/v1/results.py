"""A published cycle's results, read from its latest stored release (``insights.models.Release``),
the one the results page and downloads read, so every hidden cell stays hidden.

A cell the release hides keeps its place with ``shown`` false, the one code ``hidden`` (no
output says why a figure is hidden: docs/anonymity.md) and no figure at all; a cell the
release leaves out of every output is left out here too, by the rule the pages use
(``suppression.published_rows``: hidden cells of a concealed group or marked left out).
Nothing is recomputed from answers. A cycle with no release gives the reason code in
``withheld`` and no cells.
"""

# No "from __future__ import annotations": django-ninja reads the parameters' real types.

from ninja import Router
from ninja.errors import HttpError

from partnerlens.api.v1 import access
from partnerlens.api.v1.schemas import ERRORS, ID, ResultsOut
from partnerlens.enquiries.models import CycleState
from partnerlens.insights.access import withheld
from partnerlens.insights.analytics.suppression import CONCEALED_GROUPS, LEFT_OUT
from partnerlens.insights.jobs import job_for
from partnerlens.insights.models import Release
from partnerlens.insights.releases import LEVELS

router = Router(tags=["results"])

FIGURES = ("n", "n_dont_know", "mean", "sd", "scale_min", "scale_max")
# Every hidden cell reads the same, whatever hid it: a reason, with the invitation list,
# would pin small groups the audit protects (docs/anonymity.md, ``disclosure.REASONS_SHOWN``).
HIDDEN = "hidden"
# Release statuses while a build is under way or failed (the page says the same in words).
PREPARING, FAILED = "preparing", "failed"


def cells_of(release: Release) -> list[dict]:
    """The release's stored theme, dimension and framework tables as cells."""
    cells = []
    for level in LEVELS:
        for record in release.tables.get(level) or []:
            shown = not record.get("suppressed")
            left_out = record.get("group") in CONCEALED_GROUPS or record.get(LEFT_OUT)
            if not shown and left_out:
                continue
            cell = {
                "level": level,
                "theme_key": record.get("theme_key"),
                "dimension": record.get("dimension"),
                "group": record.get("group") or "",
                "role": record.get("role"),
                "role_group": record.get("role_group"),
                "organisation_id": record.get("organisation_id"),
                "source": record.get("source"),
                "shown": shown,
                "reason": None if shown else HIDDEN,
            }
            cell.update({name: record.get(name) if shown else None for name in FIGURES})
            cells.append(cell)
    return cells


def _withheld(cycle, release) -> str | None:
    job = job_for(cycle)
    if job is not None and job.pending:
        return PREPARING
    if job is not None and job.failed:
        return FAILED
    reason = withheld(cycle, release, job)
    return reason.code if reason else None


@router.get("/cycles/{cycle_id}/results", response={200: ResultsOut, **ERRORS})
def results(request, cycle_id: int = ID):
    """Results of a published cycle (404 for a cycle in any other state, as for members on
    the results page)."""
    cycle = access.get_cycle(request, cycle_id)
    if cycle.state != CycleState.PUBLISHED:
        raise HttpError(404, "This cycle has no published results")
    # Only what the cells need: not the page or the download tables.
    release = (
        Release.objects.for_cycle(cycle)
        .defer("page", "exports", "members", "benchmark")
        .order_by("-number")
        .first()
    )
    return {
        "cycle_id": cycle.pk,
        "release": release,
        "withheld": _withheld(cycle, release),
        "cells": cells_of(release) if release else [],
    }
