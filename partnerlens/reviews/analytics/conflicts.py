"""Conflicts of interest between a proposed reviewer and a host.

A reviewer is conflicted, with one code per reason (in the order of ``CODES``), when:

- ``own_school``: the reviewer's own school is the host;
- ``line_management``: the reviewer's employer is the host, or a known line-management link
  joins reviewer and host (a set of (reviewer, host) pairs);
- ``same_trust``: reviewer and host share a current trust or federation (group ids), or the
  reviewer is employed by a group the host belongs to;
- ``recent_review``: the reviewer reviewed this host within the last ``months`` months
  (default 24), counted up to and including the review date.

An empty tuple means the reviewer is free of conflict for this host.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

OWN_SCHOOL = "own_school"
LINE_MANAGEMENT = "line_management"
SAME_TRUST = "same_trust"
RECENT_REVIEW = "recent_review"
CODES = (OWN_SCHOOL, LINE_MANAGEMENT, SAME_TRUST, RECENT_REVIEW)

RECENT_MONTHS = 24


@dataclass(frozen=True)
class Party:
    """A reviewer or a host, as ids only: its own school, employer and current groups."""

    id: object
    school: object = None  # the reviewer's own school (a host: its own id)
    employer: object = None  # the organisation that employs the reviewer
    groups: frozenset = field(default_factory=frozenset)  # current trusts and federations


@dataclass(frozen=True)
class PastReview:
    reviewer: object
    host: object
    on: dt.date


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier, clamped to the month's end (31 March, one
    month back, is 28 or 29 February)."""
    total = day.year * 12 + (day.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def conflicts(
    reviewer: Party,
    host: Party,
    *,
    on: dt.date,
    past_reviews: Iterable[PastReview] = (),
    line_management: Collection[tuple[object, object]] = frozenset(),
    months: int = RECENT_MONTHS,
) -> tuple[str, ...]:
    """The conflict codes for ``reviewer`` reviewing ``host`` on ``on`` (empty: free)."""
    found = set()
    host_school = host.school if host.school is not None else host.id
    if reviewer.school is not None and reviewer.school == host_school:
        found.add(OWN_SCHOOL)
    if (reviewer.employer is not None and reviewer.employer == host.id) or (
        (reviewer.id, host.id) in line_management
    ):
        found.add(LINE_MANAGEMENT)
    if set(reviewer.groups) & set(host.groups) or (
        reviewer.employer is not None and reviewer.employer in host.groups
    ):
        found.add(SAME_TRUST)
    since = months_before(on, months)
    for past in past_reviews:
        # A review dated after ``on`` is a planned one: it also makes this one too close.
        if past.reviewer == reviewer.id and past.host == host.id and past.on > since:
            found.add(RECENT_REVIEW)
            break
    return tuple(code for code in CODES if code in found)
