"""Insights workflows: a partnership's insight settings and repairing the aggregates.

``update_insight_settings`` and ``rebuild_aggregates`` own their transactions and write the
audit log. Figures are read only from releases (``releases.make_release``).
"""

from __future__ import annotations

from django.db import transaction

from partnerlens.audit import verbs
from partnerlens.audit.services import record
from partnerlens.directory.models import Partnership
from partnerlens.enquiries.models import Cycle, Response
from partnerlens.insights.aggregates import add_responses, lock_cycles
from partnerlens.insights.analytics.suppression import (
    MIN_K,
    PolicyError,
)
from partnerlens.insights.models import (
    InsightSettings,
    QuestionStat,
    Release,
    ResponseThemeScore,
    ThemeRollup,
)
from partnerlens.insights.releases import release_after_settings

REBUILD_BATCH = 500  # responses per read of raw answers


class SettingsRefused(PolicyError):
    """A setting that would weaken results already released (``field``: the form field)."""

    def __init__(self, field: str, current: int):
        super().__init__(f"{field} cannot go below {current} once results were released")
        self.field = field
        self.current = current


def update_insight_settings(
    partnership: Partnership,
    *,
    actor,
    min_group_size: int,
    min_parent_group_size: int,
    share_benchmarks: bool,
) -> InsightSettings:
    """Save the minimum group sizes and the benchmarking choice; never below ``MIN_K``, and
    never lower than before once any release of the partnership exists (comparing results
    under a lower k with the earlier ones would give small groups away). Every closed or
    published cycle then gets a release under the new settings (``releases``)."""
    for name, value in (
        ("min_group_size", min_group_size),
        ("min_parent_group_size", min_parent_group_size),
    ):
        if int(value) < MIN_K:
            raise PolicyError(f"{name} is {value}: it can never be below {MIN_K}")
    with transaction.atomic():
        settings, _created = InsightSettings.objects.select_for_update().get_or_create(
            partnership=partnership
        )
        before = {
            "min_group_size": settings.min_group_size,
            "min_parent_group_size": settings.min_parent_group_size,
            "share_benchmarks": settings.share_benchmarks,
        }
        if Release.objects.filter(cycle__partnership=partnership).exists():
            for name, value in (
                ("min_group_size", min_group_size),
                ("min_parent_group_size", min_parent_group_size),
            ):
                if int(value) < before[name]:
                    raise SettingsRefused(name, before[name])
        settings.min_group_size = int(min_group_size)
        settings.min_parent_group_size = int(min_parent_group_size)
        settings.share_benchmarks = bool(share_benchmarks)
        settings.save(
            update_fields=[
                "min_group_size",
                "min_parent_group_size",
                "share_benchmarks",
                "updated_at",
            ]
        )
        record(
            actor,
            verbs.INSIGHTS_SETTINGS_CHANGED,
            settings,
            partnership_id=partnership.pk,
            before=before,
            min_group_size=settings.min_group_size,
            min_parent_group_size=settings.min_parent_group_size,
            share_benchmarks=settings.share_benchmarks,
        )
        after = {name: getattr(settings, name) for name in before}
        if after != before:
            release_after_settings(partnership, actor=actor)
    return settings


def rebuild_aggregates(cycle: Cycle, *, actor=None) -> int:
    """Recount a cycle's aggregates from its raw answers; returns the responses counted.

    For repairs: after answers were changed or removed outside the services (an
    organisation deleted, a data fix in the shell), or to check the stored figures. Holds
    the cycle's lock throughout, so submissions to this cycle wait and are counted once.
    """
    with transaction.atomic():
        lock_cycles([cycle.pk])
        for model in (QuestionStat, ResponseThemeScore, ThemeRollup):
            model.objects.filter(cycle=cycle).delete()
        ids = list(
            Response.objects.submitted()
            .for_cycle(cycle)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        counted = sum(
            add_responses(ids[start : start + REBUILD_BATCH])
            for start in range(0, len(ids), REBUILD_BATCH)
        )
        record(
            actor,
            verbs.INSIGHTS_REBUILT,
            cycle,
            partnership_id=cycle.partnership_id,
            responses=counted,
        )
    return counted
