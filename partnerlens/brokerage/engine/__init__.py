"""The brokerage matching engine: pure functions, no Django.

Public API (see docs/brokerage.md for the rules, objective and file formats)::

    from partnerlens.brokerage.engine import School, Need, Offer, Rules, Pair, Pin, match

    result = match(schools, needs, offers, Rules(max_km=25, exclusions=(Pair("a", "b"),)))
    result.matches   # [Match(need_school_id, area, support_school_id, distance_km, severity,
                     #        strength, score, explanation (dict of codes and values))]
    result.unmet     # [Unmet(school_id, area, severity, reason, params)]
    result.totals    # Totals(needs, needs_met, severity_total, severity_met, quality_met, ...)

Bad input raises InputErrors, whose `.problems` lists every InputProblem (source, line,
column, reason). `files.read_instance` reads the open CSV format into the same dataclasses.
"""

from .areas import DEFAULT_AREAS, parse_area_list
from .candidates import score_points
from .files import Instance, read_instance, write_matches, write_unmet
from .geo import distance_km, wgs84_to_bng
from .matching import match, progress_steps
from .model import (
    InputErrors,
    InputProblem,
    Language,
    Match,
    Need,
    Offer,
    Pair,
    Pin,
    Result,
    Rules,
    School,
    Totals,
    Unmet,
    UnmetReason,
    Weights,
)
from .phases import Phase, parse_phase, phases_compatible
from .solver import SolverFailed

__all__ = [
    "DEFAULT_AREAS",
    "InputErrors",
    "InputProblem",
    "Instance",
    "Language",
    "Match",
    "Need",
    "Offer",
    "Pair",
    "Phase",
    "Pin",
    "Result",
    "Rules",
    "School",
    "SolverFailed",
    "Totals",
    "Unmet",
    "UnmetReason",
    "Weights",
    "distance_km",
    "match",
    "parse_area_list",
    "parse_phase",
    "phases_compatible",
    "progress_steps",
    "read_instance",
    "score_points",
    "wgs84_to_bng",
    "write_matches",
    "write_unmet",
]
