"""Support areas: the configurable list of things one school can help another with."""

from __future__ import annotations

import re

# The default twelve areas. Ids are stable snake_case strings because they are written in
# brokers' CSV files; labels are for people. Financial management is in, because trusts and
# local authorities broker it as often as curriculum support.
DEFAULT_AREAS: dict[str, str] = {
    "leadership": "Leadership and management",
    "governance": "Governance",
    "curriculum": "Curriculum design",
    "english": "English and literacy",
    "maths": "Mathematics",
    "science": "Science",
    "send": "Special educational needs and disabilities",
    "early_years": "Early years",
    "behaviour_attendance": "Behaviour and attendance",
    "disadvantaged": "Disadvantaged pupils",
    "assessment": "Assessment",
    "transition": "Transition between phases",
}

# The one area in which a special school may support a school of any phase (issue 5 rule).
SEND_AREA = "send"
# The area in which nursery and primary schools may support each other (our decision).
EARLY_YEARS_AREA = "early_years"

_AREA_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def parse_area_list(text: str) -> tuple[str, ...]:
    """Turn "maths, english,send" into ("maths", "english", "send"), rejecting bad ids."""
    areas = tuple(part.strip().lower() for part in text.split(",") if part.strip())
    if not areas:
        raise ValueError("the area list is empty")
    bad = [area for area in areas if not _AREA_ID.match(area)]
    if bad:
        raise ValueError(
            f"area ids must be snake_case letters, digits and underscores: {', '.join(bad)}"
        )
    duplicates = sorted({area for area in areas if areas.count(area) > 1})
    if duplicates:
        raise ValueError(f"area listed twice: {', '.join(duplicates)}")
    return areas
