"""Publishers' wording mapped onto the directory's choices (see docs/data.md, "Phase").

Pure: the strings returned are the values of ``Phase``, ``OrganisationKind`` and
``PartnershipKind`` in ``directory.models``.
"""

from __future__ import annotations

import re

_PHASES = {
    "nursery": "nursery",
    "primary": "primary",
    "middle deemed primary": "middle_primary",
    "secondary": "secondary",
    "middle deemed secondary": "middle_secondary",
    "all-through": "all_through",
    "all through": "all_through",
    "16 plus": "post_16",
    "16+": "post_16",
}


def phase(label: str, school_type: str = "", low: int | None = None, high: int | None = None):
    """Special schools are "special" whatever their ages; otherwise the label, then the ages."""
    if "special" in school_type.casefold():
        return "special"
    mapped = _PHASES.get(" ".join(label.split()).casefold())
    if mapped:
        return mapped
    return phase_from_ages(low, high)


def phase_from_ages(low: int | None, high: int | None) -> str:
    if low is None or high is None:
        return ""
    if low >= 16:
        return "post_16"
    if high <= 5:
        return "nursery"
    if low < 11 and high <= 13:
        return "primary"
    if low < 11 and high >= 16:
        return "all_through"
    if low >= 11:
        return "secondary"
    return ""


def welsh_phase(school_code: str) -> str:
    """Welsh LA+establishment numbers follow the English bands: 7xxx special, 4-5xxx secondary."""
    band = school_code[3:4]
    return {"1": "nursery", "2": "primary", "3": "primary", "4": "secondary", "5": "secondary"}.get(
        band, "special" if band == "7" else ""
    )


def organisation_kind(*labels: str) -> str:
    """Independent schools and universities are partners in their own right; the rest schools."""
    joined = " ".join(labels).casefold()
    if "independent" in joined or joined.strip() == "ind":
        return "independent_school"
    if "higher education" in joined or ("university" in joined and "technical" not in joined):
        return "university"
    return "school"


_GROUP_KINDS = {
    "multi-academy trust": "mat",
    "single-academy trust": "sat",
    "federation": "federation",
}


def partnership_kind(group_type: str) -> str:
    return _GROUP_KINDS.get(" ".join(group_type.split()).casefold(), "other")


def trust_kind(flag: str) -> str:
    """GIAS ``TrustSchoolFlag`` / Trafford ``trust_type`` wording to a partnership kind."""
    flag = flag.casefold()
    if "multi-academy" in flag or "multi academy" in flag:
        return "mat"
    if "single-academy" in flag or "single academy" in flag:
        return "sat"
    return "other"


def region(name: str) -> str:
    """DfE performance-table regions ("London East", "North West B") to English regions."""
    name = re.sub(r"\s+[A-D]$", "", " ".join(name.split()))
    if name.casefold().startswith("london"):
        return "London"
    if "yorkshire" in name.casefold():
        return "Yorkshire and the Humber"
    return name
