"""Did the figure an action aimed at move? Pure (no Django): periods, pairing and direction
as codes and numbers. Association only: a figure that moved after an action started was not
shown to move because of it (the page says so)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# Direction codes
UP, DOWN, LEVEL = "up", "down", "level"
NO_BEFORE, NO_AFTER, HIDDEN = "no_before", "no_after", "hidden"  # why there is no answer
PERIOD = re.compile(r"^(\d{4})-(\d{2}|\d{4})$")


@dataclass(frozen=True)
class Movement:
    before: float | None
    after: float | None
    direction: str  # UP, DOWN, LEVEL, or why there is none (NO_BEFORE, NO_AFTER, HIDDEN)
    better: bool | None = None  # None: no direction, or level
    schools: int = 0  # for outcome measures: schools with a value in both periods

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def compare(
    before: float | None,
    after: float | None,
    *,
    lower_is_better: bool = False,
    tolerance: float = 1e-9,
    missing: str = "",
    schools: int = 0,
) -> Movement:
    """The direction from ``before`` to ``after``; ``missing`` names why one is absent."""
    if before is None:
        return Movement(before, after, missing or NO_BEFORE, schools=schools)
    if after is None:
        return Movement(before, after, missing or NO_AFTER, schools=schools)
    change = after - before
    if abs(change) <= tolerance:
        return Movement(before, after, LEVEL, None, schools)
    direction = UP if change > 0 else DOWN
    return Movement(before, after, direction, (direction == DOWN) == lower_is_better, schools)


def period_bounds(period: str) -> tuple[date, date] | None:
    """An academic year such as "2018-19" runs from 1 September 2018 to 31 August 2019."""
    match = PERIOD.match(period.strip())
    if not match:
        return None
    first = int(match[1])
    return date(first, 9, 1), date(first + 1, 8, 31)


def periods_around(periods, start: date) -> tuple[str | None, str | None]:
    """The last academic year that ended before ``start`` and the first that began on or
    after it (None where there is none)."""
    before = after = None
    bounds = {p: period_bounds(p) for p in set(periods)}
    for period, found in sorted((p, b) for p, b in bounds.items() if b):
        opens, ends = found
        if ends < start:
            before = period
        elif opens >= start and after is None:
            after = period
    return before, after


def paired_means(values, before: str | None, after: str | None) -> tuple[float, float, int]:
    """Mean value in each period over the schools with a value in both. ``values``:
    (school id, period, value) rows."""
    if before is None or after is None:
        return float("nan"), float("nan"), 0
    by_school: dict[int, dict[str, float]] = {}
    for school, period, value in values:
        if value is not None and period in (before, after):
            by_school.setdefault(school, {})[period] = float(value)
    pairs = [(v[before], v[after]) for v in by_school.values() if len(v) == 2]
    if not pairs:
        return float("nan"), float("nan"), 0
    return (
        sum(b for b, _a in pairs) / len(pairs),
        sum(a for _b, a in pairs) / len(pairs),
        len(pairs),
    )
