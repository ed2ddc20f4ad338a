"""Which actions moved which theme or measure by the next cycle: for each action whose
success measure is a theme or an outcome measure, the figure before it started and after.

Theme scores are read only as published: the partnership score of the theme in the latest
release of the last published cycle that closed before the action started, and of the first
published cycle that opened on or after it. A score the release hid (too few people) stays
hidden here. Outcome measures come from the impact app's outcome panel (published figures,
each school's series continued through its GIAS predecessors, or the partnership's own
measures) for the action's schools (all member schools when it names none), in the last
academic year that ended before the start and the first that began after it, averaged over
the schools with a figure in both. Association, not proof."""

from __future__ import annotations

import math
from dataclasses import dataclass

from partnerlens.actions import movement
from partnerlens.actions.codes import LOWER_IS_BETTER, MeasureKind
from partnerlens.actions.models import Action
from partnerlens.actions.sources import member_school_ids
from partnerlens.enquiries.models import Cycle, CycleState
from partnerlens.impact.models.panel import OWN_PREFIX, OwnMeasure
from partnerlens.impact.panel import outcome_panel
from partnerlens.insights.models import Release


@dataclass(frozen=True)
class Row:
    action: Action
    before_label: str  # the cycle's title, or the academic year
    after_label: str
    movement: movement.Movement


def _published_cycles(partnership) -> list[Cycle]:
    return list(
        Cycle.objects.filter(partnership=partnership, state=CycleState.PUBLISHED)
        .filter(releases__isnull=False)
        .distinct()
        .order_by("opens_on", "pk")
    )


def _theme_scores(cycles: list[Cycle]) -> dict[int, dict[str, float | None]]:
    """cycle id -> theme key -> the published partnership score (None when hidden)."""
    latest: dict[int, int] = {}
    for pk, cycle_id in (
        Release.objects.filter(cycle__in=cycles)
        .order_by("cycle_id", "-number")
        .values_list("pk", "cycle_id")
    ):
        latest.setdefault(cycle_id, pk)
    scores: dict[int, dict[str, float | None]] = {}
    for cycle_id, tables in Release.objects.filter(pk__in=latest.values()).values_list(
        "cycle_id", "tables"
    ):
        found = scores.setdefault(cycle_id, {})
        for row in (tables or {}).get("theme", []):
            if row.get("group") != "partnership":
                continue
            hidden = row.get("suppressed") or row.get("mean") is None
            found[row["theme_key"]] = None if hidden else float(row["mean"])
    return scores


def _theme_row(action: Action, cycles, scores) -> Row:
    before = next((c for c in reversed(cycles) if c.closes_on < action.start_on), None)
    after = next((c for c in cycles if c.opens_on >= action.start_on), None)
    values = []
    missing = ""
    for cycle in (before, after):
        if cycle is None:
            values.append(None)
            continue
        theme_scores = scores.get(cycle.pk, {})
        if action.success_code in theme_scores and theme_scores[action.success_code] is None:
            missing = movement.HIDDEN
        values.append(theme_scores.get(action.success_code))
    if before is None:
        missing = movement.NO_BEFORE
    elif after is None:
        missing = movement.NO_AFTER
    return Row(
        action,
        before.title if before else "",
        after.title if after else "",
        movement.compare(values[0], values[1], missing=missing),
    )


def _panel_rows(code: str, school_ids: list[int], partnership, cache: dict) -> list[tuple]:
    """(school, academic year, value) rows of the impact panel, which continues a school's
    series through its GIAS predecessors and reads the partnership's own measures too."""
    key = (code, tuple(sorted(school_ids)))
    if key not in cache:
        panel = outcome_panel(code, school_ids, partnership=partnership)
        cache[key] = [
            (int(school), f"{int(year)}-{(int(year) + 1) % 100:02d}", float(value))
            for school, year, value in zip(
                panel["school"], panel["year"], panel["value"], strict=True
            )
        ]
    return cache[key]


def _lower_is_better(code: str, partnership) -> bool:
    if code.startswith(OWN_PREFIX):
        pk = code.removeprefix(OWN_PREFIX)
        return (
            pk.isdigit()
            and OwnMeasure.objects.filter(
                partnership=partnership, pk=int(pk), higher_is_better=False
            ).exists()
        )
    return code in LOWER_IS_BETTER


def _outcome_row(action: Action, rows: list[tuple], lower_is_better: bool) -> Row:
    before, after = movement.periods_around([r[1] for r in rows], action.start_on)
    mean_before, mean_after, schools = movement.paired_means(rows, before, after)
    result = movement.compare(
        None if math.isnan(mean_before) else mean_before,
        None if math.isnan(mean_after) else mean_after,
        lower_is_better=lower_is_better,
        schools=schools,
        missing="" if before and after else (movement.NO_AFTER if before else movement.NO_BEFORE),
    )
    return Row(action, before or "", after or "", result)


def moved_rows(partnership) -> list[Row]:
    actions = list(
        Action.objects.for_partnership(partnership)
        .filter(success_kind__in=(MeasureKind.THEME, MeasureKind.OUTCOME))
        .exclude(success_code="")
        .prefetch_related("schools")
        .order_by("start_on", "pk")
    )
    if not actions:
        return []
    cycles = _published_cycles(partnership)
    scores = _theme_scores(cycles) if cycles else {}
    members = member_school_ids(partnership)
    panels: dict = {}
    rows = []
    for action in actions:
        if action.success_kind == MeasureKind.THEME:
            rows.append(_theme_row(action, cycles, scores))
            continue
        code = action.success_code
        schools = [s.pk for s in action.schools.all()] or members
        values = _panel_rows(code, schools, partnership, panels)
        rows.append(_outcome_row(action, values, _lower_is_better(code, partnership)))
    return rows
