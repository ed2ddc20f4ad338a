"""Changing a partnership's insight settings (a service: owns its transaction, audits).

Kept apart from ``services.py`` (aggregates) only because the two were written in parallel;
they may be merged.
"""

from __future__ import annotations

from django.db import transaction

from partnerlens.audit.services import record
from partnerlens.directory.models import Partnership
from partnerlens.insights.analytics.suppression import MIN_K, PolicyError
from partnerlens.insights.models import InsightSettings


def update_insight_settings(
    partnership: Partnership,
    *,
    actor,
    min_group_size: int,
    min_parent_group_size: int,
    share_benchmarks: bool,
) -> InsightSettings:
    """Save the minimum group sizes and the benchmarking choice; never below ``MIN_K``."""
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
            "insights.settings_changed",
            settings,
            partnership_id=partnership.pk,
            before=before,
            min_group_size=settings.min_group_size,
            min_parent_group_size=settings.min_parent_group_size,
            share_benchmarks=settings.share_benchmarks,
        )
    return settings
