"""How old the outcome data behind a profile are (pure: no Django).

Outcome figures are stored with the period they describe, as the importers and the audit rule
write it: an academic year ("2018-19", "2018/19"), a calendar year ("2019") or an ISO date.
An academic year ends on 31 August of its second year; a bare year on 31 December. The age
is the number of whole years from that end to today, so 2022/23 read in December 2026 is
3 years old. A page shows the label and the age, and warns when the oldest figure is older
than the threshold (settings.BROKERAGE_OUTCOME_STALE_YEARS).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from partnerlens.brokerage.audit import OUTCOME_DATA

DEFAULT_STALE_YEARS = 2

_ACADEMIC = re.compile(r"^(\d{4})\s*[-/]\s*(\d{2}|\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True, order=True)
class Period:
    ends: date
    label: str  # as people write it: 2018/19, 2019, or the date


def parse_period(text: str) -> Period | None:
    """The end date and label of a stored period, or None if it cannot be read."""
    text = str(text or "").strip()
    if match := _ISO.match(text):
        try:
            day = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
        return Period(day, day.isoformat())
    if match := _ACADEMIC.match(text):
        start = int(match[1])
        return Period(date(start + 1, 8, 31), f"{start}/{str(start + 1)[-2:]}")
    if match := _YEAR.match(text):
        return Period(date(int(match[1]), 12, 31), match[1])
    return None


def years_between(earlier: date, later: date) -> int:
    """Whole years from ``earlier`` to ``later`` (0 if ``earlier`` is not before it)."""
    years = later.year - earlier.year - ((later.month, later.day) < (earlier.month, earlier.day))
    return max(years, 0)


@dataclass(frozen=True)
class OutcomeAge:
    """The range of outcome periods in use and how old the oldest is."""

    oldest: Period
    newest: Period
    years: int  # age of the oldest
    newest_years: int
    stale: bool
    limit: int

    @property
    def single(self) -> bool:
        return self.oldest.label == self.newest.label


def outcome_age(
    periods: Iterable[str], *, today: date, stale_after: int = DEFAULT_STALE_YEARS
) -> OutcomeAge | None:
    """The age of these periods' data; None when none can be read."""
    parsed = [p for p in (parse_period(text) for text in periods) if p is not None]
    if not parsed:
        return None
    oldest, newest = min(parsed), max(parsed)
    years = years_between(oldest.ends, today)
    return OutcomeAge(
        oldest=oldest,
        newest=newest,
        years=years,
        newest_years=years_between(newest.ends, today),
        stale=years > stale_after,
        limit=stale_after,
    )


def outcome_periods(sources: Iterable[Mapping]) -> set[str]:
    """The periods of the outcome-data entries among evidence sources ({source, date, ...})."""
    return {
        str(source.get("date") or "")
        for source in sources
        if source.get("source") == OUTCOME_DATA and source.get("date")
    }
