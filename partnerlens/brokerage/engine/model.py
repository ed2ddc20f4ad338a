"""The engine's inputs and outputs as plain dataclasses (no Django, no files)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from .areas import DEFAULT_AREAS
from .coded import worded
from .phases import Phase


class Language(StrEnum):
    """Language of instruction (Wales). Blank means not recorded, which pairs with anything."""

    ENGLISH = "english"
    WELSH = "welsh"
    BILINGUAL = "bilingual"


@dataclass(frozen=True, slots=True)
class School:
    school_id: str
    name: str
    phase: Phase
    easting: float  # British National Grid, metres
    northing: float
    pupils: int
    fsm_pct: float
    capacity_total: int | None = None  # most schools it supports at once, all areas together
    max_km: float | None = None  # how far it will travel to support
    language: Language | None = None


@dataclass(frozen=True, slots=True)
class Need:
    school_id: str
    area: str
    severity: int  # 1 some, 2 significant, 3 urgent


@dataclass(frozen=True, slots=True)
class Offer:
    school_id: str
    area: str
    strength: int  # 1 some, 2 good, 3 strong
    capacity: int  # most schools it supports in this area at once


@dataclass(frozen=True, slots=True)
class Pair:
    """Two schools, optionally limited to one area (None: every area).

    Used for exclusions and existing relationships, which are unordered: an exclusion of
    (a, b) stops a supporting b and b supporting a.
    """

    school_a: str
    school_b: str
    area: str | None = None


@dataclass(frozen=True, slots=True)
class Pin:
    """A pair the broker has fixed: `support_school_id` must meet this need."""

    need_school_id: str
    area: str
    support_school_id: str


@dataclass(frozen=True, slots=True)
class Weights:
    """Match-quality points per component; the total is at most their sum (1,000 by default).

    Quality only ranks assignments that meet the same total severity, so these weights never
    trade a need met for a nicer pair.
    """

    strength: int = 400  # offer strength 3 earns all of it, 1 a third
    closeness: int = 300  # all at 0 km, none at the distance limit
    pupils: int = 100  # all for equal size, none once one school is 4 times the other
    fsm: int = 100  # all for equal FSM %, none 25 percentage points apart
    relationship: int = 100  # an existing working relationship

    @property
    def maximum(self) -> int:
        return self.strength + self.closeness + self.pupils + self.fsm + self.relationship


@dataclass(frozen=True)
class Rules:
    max_km: float = 25.0
    areas: tuple[str, ...] = tuple(DEFAULT_AREAS)
    exclusions: tuple[Pair, ...] = ()
    relationships: tuple[Pair, ...] = ()
    pins: tuple[Pin, ...] = ()
    weights: Weights = field(default_factory=Weights)


@dataclass(frozen=True, slots=True)
class Match:
    need_school_id: str
    area: str
    support_school_id: str
    distance_km: float
    severity: int
    strength: int
    score: int  # match-quality points, see Weights
    explanation: dict  # codes and values only; pages word it in the reader's language


class UnmetReason(StrEnum):
    NO_OFFER = "no_offer"  # nobody else offers the area at all
    OUT_OF_RANGE = "out_of_range"  # offers exist, none within the distance limit
    INCOMPATIBLE = "incompatible"  # in range, but phase or language never pairs
    EXCLUDED = "excluded"  # every compatible supporter in range is excluded
    CAPACITY = "capacity"  # candidates exist, all full with needs of equal or higher severity


@dataclass(frozen=True, slots=True)
class Unmet:
    school_id: str
    area: str
    severity: int
    reason: UnmetReason
    params: dict  # values for the reason's message (area, nearest_km, limit_km, count)


@dataclass(frozen=True, slots=True)
class Totals:
    needs: int
    needs_met: int
    severity_total: int
    severity_met: int
    quality_met: int
    candidate_pairs: int
    by_reason: dict[str, int]


@dataclass(frozen=True)
class Result:
    matches: list[Match]
    unmet: list[Unmet]
    totals: Totals


@dataclass(frozen=True, slots=True)
class InputProblem:
    """One thing wrong with the input: where (file/line/column when known) and why."""

    source: str
    reason: str  # a message code (brokerage/codes.py words it)
    line: int | None = None
    column: str | None = None
    params: dict | None = None  # the code's values

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f", line {self.line}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {worded(self.reason, self.params)}"


class InputErrors(ValueError):
    """Raised with every problem found, so a broker fixes the whole file in one go."""

    def __init__(self, problems: list[InputProblem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))
