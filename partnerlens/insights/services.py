"""Insights workflows: a partnership's insight settings, repairing the aggregates, and the
figures a dashboard shows.

``update_insight_settings`` and ``rebuild_aggregates`` own their transactions and write the
audit log. ``dashboard_data`` and ``national_rollup`` only read: the stored aggregates through
``loaders``, the statistics and anonymity protection from the pure engine
(``insights.analytics``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.db import transaction

from partnerlens.audit import verbs
from partnerlens.audit.services import record
from partnerlens.directory.models import Partnership
from partnerlens.enquiries.models import Cycle, Response
from partnerlens.insights.aggregates import add_responses, lock_cycles
from partnerlens.insights.analytics import frames, gaps, kernels, scores
from partnerlens.insights.analytics.suppression import (
    GROUPINGS,
    LEADER_ROLES,
    LEADERS,
    MIN_K,
    PolicyError,
    SuppressionPolicy,
    protect_breakdown,
)
from partnerlens.insights.loaders.question_stats import question_stats_frame
from partnerlens.insights.loaders.questions import questions_frame, themes_frame
from partnerlens.insights.loaders.rollups import rollup_frame
from partnerlens.insights.loaders.theme_scores import theme_scores_frame
from partnerlens.insights.models import (
    InsightSettings,
    QuestionStat,
    Release,
    ResponseThemeScore,
    ThemeRollup,
)
from partnerlens.insights.question_stats import UNIT, combined_codes, question_summary
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


@dataclass(frozen=True)
class DashboardData:
    """Everything a cycle's dashboard shows, already protected.

    ``tables``: one protected breakdown per level (question, theme, dimension, framework),
    in the engine's columns (see ``analytics.scores.breakdown``); ``levels``: answers per
    level in the visible question cells; ``gaps``: role, organisation and source (self vs
    peer/external) gaps and leaders' optimism, per theme.
    """

    themes: pd.DataFrame
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    levels: pd.DataFrame = field(default_factory=pd.DataFrame)
    gaps: dict[str, pd.DataFrame] = field(default_factory=dict)


def question_tables(
    stats: pd.DataFrame,
    policy: SuppressionPolicy,
    leaders: frozenset[str] = LEADER_ROLES,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The protected question-level breakdown and its level distribution (visible cells
    only), from ``QuestionStat`` rows."""
    summary = question_summary(stats, GROUPINGS, leaders)
    protected = protect_breakdown(
        summary.table, policy, list(UNIT), role_groups={role: LEADERS for role in leaders}
    )
    return protected, summary.distribution(protected)


def dashboard_data(
    cycle: Cycle,
    policy: SuppressionPolicy | None = None,
    leaders: frozenset[str] = LEADER_ROLES,
) -> DashboardData:
    """The dashboard's figures for ``cycle`` from the aggregates (never the raw answers):
    the question level from ``QuestionStat``, the theme, dimension and framework levels
    from ``ResponseThemeScore``."""
    policy = policy or SuppressionPolicy()
    questions = questions_frame(cycle.framework_version_id)
    themes = frames.validate_themes(themes_frame(cycle.framework_version_id, questions))
    stats = question_stats_frame(cycle, questions)
    people = theme_scores_frame(cycle, themes)
    if stats.empty or people.empty:
        return DashboardData(themes)
    question, distribution = question_tables(stats, policy, leaders)
    tables = {"question": question}
    encoded = scores.encode(people, themes, leaders)
    for level in ("theme", "dimension", "framework"):
        tables[level] = scores.breakdown(
            people, themes, level, policy, leaders=leaders, encoded=encoded
        )
    theme = tables["theme"]
    return DashboardData(
        themes=themes,
        tables=tables,
        levels=distribution,
        gaps={
            "role": gaps.perception_gaps(theme, "role"),
            "organisation": gaps.perception_gaps(theme, "organisation"),
            "source": gaps.self_review_gaps(theme),
            "optimism": gaps.optimism(theme),
        },
    )


def _mean_sd(n: np.ndarray, total: np.ndarray, squares: np.ndarray):
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, total / n, np.nan)
        variance = np.where(n > 1, (squares - total * mean) / (n - 1), np.nan)
    return mean, np.sqrt(np.maximum(variance, 0.0))


ROLLUP_LEVELS = {
    # level: (count, total, total of squares) columns of ThemeRollup
    "respondents": ("n", "total", "total_squares"),
    "answers": ("n_answers", "answer_total", "answer_total_squares"),
}


def national_rollup(cycles=None, level: str = "respondents") -> pd.DataFrame:
    """n, mean and sd per partnership x theme x role, from the stored roll-ups.

    ``level="respondents"``: over people's theme scores, as the dashboard counts them (plus
    ``n_dont_know``); ``level="answers"``: over every scored answer with a value. Several
    cycles of one partnership add up. Unprotected: a comparison across partnerships must
    still apply the group-size rules before showing anything (``analytics.benchmarking``).
    """
    if level not in ROLLUP_LEVELS:
        raise ValueError(f"level must be one of {', '.join(ROLLUP_LEVELS)}, not {level!r}")
    count, total, squares = ROLLUP_LEVELS[level]
    sums = (count, total, squares, *(("n_dont_know",) if level == "respondents" else ()))
    stored = rollup_frame(cycles, sums)
    keys = ("partnership_id", "theme_id", "role")
    codes, cells = combined_codes(*(kernels.factorise(stored[key].to_numpy()) for key in keys))
    first = np.zeros(cells, dtype=np.int64)
    first[codes[::-1]] = np.arange(len(stored))[::-1]
    added = {
        name: np.bincount(codes, weights=stored[name].to_numpy(dtype=float), minlength=cells)
        for name in sums
    }
    mean, sd = _mean_sd(added[count], added[total], added[squares])
    out = {
        "partnership_id": stored["partnership_id"].to_numpy()[first],
        "theme_key": stored["theme_key"].to_numpy()[first],
        "role": stored["role"].to_numpy()[first],
        "n": added[count].astype(np.int64),
        "mean": mean,
        "sd": sd,
    }
    if level == "respondents":
        out["n_dont_know"] = added["n_dont_know"].astype(np.int64)
    return pd.DataFrame(out)
