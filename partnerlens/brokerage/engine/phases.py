"""School phases, the GIAS phase names we accept, and which phases may support which."""

from __future__ import annotations

import re
from enum import StrEnum

from .areas import EARLY_YEARS_AREA, SEND_AREA
from .coded import CodedError


class Phase(StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"
    ALL_THROUGH = "all-through"
    SPECIAL = "special"
    NURSERY = "nursery"
    POST_16 = "post-16"


# Keys are normalised (lower case, runs of spaces, hyphens and underscores become one space).
# GIAS "PhaseOfEducation (name)" values are mapped by the age range they teach: a middle school
# "deemed primary" teaches mostly primary-age pupils, so it is primary for matching.
_ALIASES: dict[str, Phase] = {
    "primary": Phase.PRIMARY,
    "middle deemed primary": Phase.PRIMARY,
    "secondary": Phase.SECONDARY,
    "middle deemed secondary": Phase.SECONDARY,
    "all through": Phase.ALL_THROUGH,
    "allthrough": Phase.ALL_THROUGH,
    "special": Phase.SPECIAL,
    "nursery": Phase.NURSERY,
    "post 16": Phase.POST_16,
    "16 plus": Phase.POST_16,
    "16 19": Phase.POST_16,
}

# GIAS gives "Not applicable" to special schools, pupil referral units and many independent
# schools alike, so we cannot guess; the broker must say which phase the school teaches.
_REFUSED: dict[str, str] = {"not applicable": "input.phase_not_applicable"}

PHASE_CHOICES = ", ".join(phase.value for phase in Phase)


def parse_phase(text: str) -> Phase:
    """Map a phase as written in a file to a Phase, or raise CodedError (a ValueError)."""
    key = re.sub(r"[\s_\-]+", " ", text.strip().lower())
    if key in _ALIASES:
        return _ALIASES[key]
    raise CodedError(
        _REFUSED.get(key, "input.phase_unknown"), phase=text.strip(), phases=PHASE_CHOICES
    )


def phases_compatible(need: Phase, support: Phase, area: str) -> bool:
    """Whether a school of phase `support` may support one of phase `need` in `area`.

    Issue 5 fixes the first three rules; the last two are our documented decisions:
    - the same phase always pairs;
    - all-through pairs with primary and with secondary, in both directions;
    - a special school may support a school of any phase in the area `send`;
    - nursery and primary pair, both directions, in `early_years` (primaries teach reception);
    - post-16 pairs only with post-16 (a sixth-form college's context differs from an 11-16
      school's in every area a broker would match on).
    """
    if need == support:
        return True
    if Phase.ALL_THROUGH in (need, support) and {need, support} <= {
        Phase.ALL_THROUGH,
        Phase.PRIMARY,
        Phase.SECONDARY,
    }:
        return True
    if support == Phase.SPECIAL and area == SEND_AREA:
        return True
    return area == EARLY_YEARS_AREA and {need, support} == {Phase.NURSERY, Phase.PRIMARY}
