"""Support areas: the configurable list of things one school can help another with."""

from __future__ import annotations

import re

from .coded import CodedError

# The default twelve areas, as ids. Ids are stable snake_case strings because they are
# written in brokers' CSV files; their names for people, in English and Welsh, live in
# brokerage/codes.py. Financial management is in, because trusts and local authorities
# broker it as often as curriculum support.
DEFAULT_AREAS: tuple[str, ...] = (
    "leadership",
    "governance",
    "curriculum",
    "english",
    "maths",
    "science",
    "send",
    "early_years",
    "behaviour_attendance",
    "disadvantaged",
    "assessment",
    "transition",
)

# The one area in which a special school may support a school of any phase (issue 5 rule).
SEND_AREA = "send"
# The area in which nursery and primary schools may support each other (our decision).
EARLY_YEARS_AREA = "early_years"

_AREA_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def parse_area_list(text: str) -> tuple[str, ...]:
    """Turn "maths, english,send" into ("maths", "english", "send"), rejecting bad ids."""
    areas = tuple(part.strip().lower() for part in text.split(",") if part.strip())
    if not areas:
        raise CodedError("input.area_list_empty")
    bad = [area for area in areas if not _AREA_ID.match(area)]
    if bad:
        raise CodedError("input.area_ids", areas=", ".join(bad))
    duplicates = sorted({area for area in areas if areas.count(area) > 1})
    if duplicates:
        raise CodedError("input.area_twice", areas=", ".join(duplicates))
    return areas
