"""Evaluating early-warning indicators: pure functions over plain figures (no Django).

Every kind of indicator turns a school's figures into one number, its *severity*, on the
kind's own scale (``SCALES``), and the tiers are thresholds on that number:

- change kinds compare the school's two latest periods of a measure: the rise in overall
  absence (percentage points), the rise in persistent absence (points), the drop in a
  progress measure (its own points), the drop in a theme score (scale points, published
  and unsuppressed figures only);
- level kinds read the latest value of a category: a review judgement (1 outstanding ...
  4 inadequate) or a Welsh support category (1 green ... 4 red).

A school reaches the highest tier whose threshold its severity meets; a tier without a
threshold is not used. A finding is keyed by (indicator, school, period before, period
now): the same figures give the same key, so they never raise a second trigger (``unseen``).
Returns codes and numbers only; the pages word them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

ATTENDANCE_FALL = "attendance_fall"
PERSISTENT_RISE = "persistent_rise"
PROGRESS_DROP = "progress_drop"
THEME_DROP = "theme_drop"
REVIEW_JUDGEMENT = "review_judgement"
WALES_CATEGORY = "wales_category"
KINDS = (
    ATTENDANCE_FALL,
    PERSISTENT_RISE,
    PROGRESS_DROP,
    THEME_DROP,
    REVIEW_JUDGEMENT,
    WALES_CATEGORY,
)

UNIVERSAL, TARGETED, INTENSIVE = "universal", "targeted", "intensive"
TIERS = (UNIVERSAL, TARGETED, INTENSIVE)  # from least to most support
TIER_RANK = {tier: rank for rank, tier in enumerate(TIERS, start=1)}

# Change kinds: +1 when a rise is the worry, -1 when a fall is.
DIRECTION = {ATTENDANCE_FALL: 1, PERSISTENT_RISE: 1, PROGRESS_DROP: -1, THEME_DROP: -1}
# Level kinds: the rank of each value (lower case), 1 best.
JUDGEMENT_RANK = {
    "outstanding": 1,
    "good": 2,
    "requires improvement": 3,
    "satisfactory": 3,
    "serious weaknesses": 4,
    "special measures": 4,
    "inadequate": 4,
}
CATEGORY_RANK = {"green": 1, "yellow": 2, "amber": 3, "red": 4}
LEVELS = {REVIEW_JUDGEMENT: JUDGEMENT_RANK, WALES_CATEGORY: CATEGORY_RANK}
# The scale each kind's severity and thresholds are on (a code the pages word).
SCALES = {
    ATTENDANCE_FALL: "points",
    PERSISTENT_RISE: "points",
    PROGRESS_DROP: "points",
    THEME_DROP: "points",
    REVIEW_JUDGEMENT: "rank",
    WALES_CATEGORY: "rank",
}
PRECISION = 6  # severities are rounded, so 0.1 + 0.2 meets a threshold of 0.3


@dataclass(frozen=True)
class Rule:
    indicator_id: int
    kind: str
    thresholds: Mapping[str, float | None]  # tier -> where it starts


@dataclass(frozen=True)
class Observation:
    school_id: int
    period: str  # sorts in time order: "2018-19", or an ISO date
    value: float | None = None
    text: str = ""
    measure: str = ""


@dataclass(frozen=True)
class Finding:
    indicator_id: int
    school_id: int
    tier: str
    severity: float
    measure: str
    period_before: str
    period_now: str
    value_before: float | None
    value_now: float | None
    text_before: str = ""
    text_now: str = ""

    @property
    def key(self) -> tuple:
        return (self.indicator_id, self.school_id, self.period_before, self.period_now)


def tier_for(severity: float, thresholds: Mapping[str, float | None]) -> str | None:
    """The highest tier whose threshold the severity meets, or None."""
    reached = None
    for tier in TIERS:
        threshold = thresholds.get(tier)
        if threshold is not None and round(severity, PRECISION) >= round(threshold, PRECISION):
            reached = tier
    return reached


def _series(observations: Iterable[Observation]) -> dict[tuple, list[Observation]]:
    grouped: dict[tuple, list[Observation]] = defaultdict(list)
    for row in observations:
        grouped[(row.school_id, row.measure)].append(row)
    return {key: sorted(rows, key=lambda r: r.period) for key, rows in grouped.items()}


def _change(rule: Rule, observations: Iterable[Observation]) -> list[Finding]:
    direction = DIRECTION[rule.kind]
    best: dict[int, Finding] = {}
    for (school, measure), rows in _series(observations).items():
        known = [row for row in rows if row.value is not None]
        if len(known) < 2:
            continue
        before, now = known[-2], known[-1]
        severity = round(direction * (now.value - before.value), PRECISION)
        tier = tier_for(severity, rule.thresholds)
        if tier is None:
            continue
        found = Finding(
            rule.indicator_id,
            school,
            tier,
            severity,
            measure,
            before.period,
            now.period,
            before.value,
            now.value,
        )
        kept = best.get(school)
        # One trigger per school and indicator: the measure (theme) that fell furthest.
        if kept is None or (found.period_now, found.severity) > (kept.period_now, kept.severity):
            best[school] = found
    return sorted(best.values(), key=lambda f: f.school_id)


def _level(rule: Rule, observations: Iterable[Observation]) -> list[Finding]:
    ranks = LEVELS[rule.kind]
    found = []
    for (school, measure), rows in _series(observations).items():
        known = [row for row in rows if row.text.strip().lower() in ranks]
        if not known:
            continue
        now = known[-1]
        before = known[-2] if len(known) > 1 else None
        severity = float(ranks[now.text.strip().lower()])
        tier = tier_for(severity, rule.thresholds)
        if tier is None:
            continue
        found.append(
            Finding(
                rule.indicator_id,
                school,
                tier,
                severity,
                measure,
                before.period if before else "",
                now.period,
                float(ranks[before.text.strip().lower()]) if before else None,
                severity,
                before.text if before else "",
                now.text,
            )
        )
    return sorted(found, key=lambda f: f.school_id)


def evaluate(rule: Rule, observations: Iterable[Observation]) -> list[Finding]:
    """Every school the rule fires for, at its tier (one finding per school)."""
    if rule.kind in DIRECTION:
        return _change(rule, observations)
    if rule.kind in LEVELS:
        return _level(rule, observations)
    raise ValueError(f"unknown indicator kind {rule.kind!r}")


def unseen(findings: Iterable[Finding], raised: Iterable[tuple]) -> list[Finding]:
    """The findings whose key has not raised a trigger yet (the same data never twice)."""
    keys = set(raised)
    fresh = []
    for finding in findings:
        if finding.key not in keys:
            keys.add(finding.key)
            fresh.append(finding)
    return fresh


def overdue(deadline: date, status: str, today: date) -> bool:
    """An open trigger whose action plan is past its deadline."""
    return status == "open" and deadline < today


def recurring(fired: Iterable[tuple[int, str]]) -> dict[int, list[str]]:
    """Schools whose indicators fired in more than one period: school -> its periods."""
    periods: dict[int, set[str]] = defaultdict(set)
    for school, period in fired:
        periods[school].add(period)
    return {school: sorted(found) for school, found in periods.items() if len(found) > 1}


@dataclass(frozen=True)
class Cell:
    tier: str | None  # the highest tier among the unresolved triggers; None: none open
    count: int  # every trigger, resolved or not
    overdue: bool


def heatmap(rows: Iterable[tuple[int, int, str, str, bool]]) -> dict[tuple[int, int], Cell]:
    """(school, indicator) -> its cell, from (school, indicator, tier, status, overdue)."""
    cells: dict[tuple[int, int], Cell] = {}
    for school, indicator, tier, status, late in rows:
        cell = cells.get((school, indicator), Cell(None, 0, False))
        top = cell.tier
        if status != "resolved" and (top is None or TIER_RANK[tier] > TIER_RANK[top]):
            top = tier
        cells[(school, indicator)] = Cell(top, cell.count + 1, cell.overdue or late)
    return cells
