"""The audit rule: turn evidence about a school into need and expertise levels per area.

Pure functions, no Django: the loaders pass plain numbers, strings and dicts, so the rule is
tested without a database and can be read on its own. docs/brokerage.md ("Audit rules")
states every threshold below in words; keep the two in step.

Levels run 0-3. Need: 0 none, 1 some, 2 significant, 3 urgent (the engine's severity).
Expertise: 0 none shown, 1 some, 2 good, 3 strong (caps the engine's offer strength).

Sources are ranked by how much they prove. Published outcome data can show a need of any
level, but expertise of at most 2: good results show a school does something well, not that
it can help another school do it. A school's own evaluation shows need of at most 2 and
expertise of at most 1 (people rate themselves kindly). Only peer review and a broker can
record expertise 3.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from partnerlens.brokerage.engine.coded import CodedError

OUTCOME_DATA = "outcome_data"
SELF_EVALUATION = "self_evaluation"
PEER_REVIEW = "peer_review"
BROKER = "broker"
SOURCES = (SELF_EVALUATION, PEER_REVIEW, OUTCOME_DATA, BROKER)

# Measure codes written by partnerlens/directory/importers (see docs/data.md).
ABSENCE_OVERALL = "absence.overall_pct"
ABSENCE_PERSISTENT = "absence.persistent_pct"
P8 = "ks4.p8"
P8_CI_LOW = "ks4.p8_ci_low"
P8_CI_HIGH = "ks4.p8_ci_high"
WALES_CATEGORY = "wales.support_category"

# Attendance: the mean of the school's percentile ranks (0 best, 1 worst) in overall and in
# persistent absence, among schools of the same phase group in the same year.
ATTENDANCE_NEED = ((0.97, 3), (0.90, 2), (0.80, 1))  # worst 3 %, 10 %, 20 %
ATTENDANCE_EXPERTISE = ((0.10, 2), (0.20, 1))  # best 10 %, 20 %
# Fewer schools than this in a phase group: compare with every school that year instead.
MIN_REFERENCE = 30

# Progress 8: the DfE bands. "Well below" is the 2016-19 floor standard (P8 below -0.5 and
# the whole confidence interval below 0), the line at which schools were eligible for
# intervention, so it is urgent.
P8_WELL = 0.5

# Welsh national categorisation judges above all a school's capacity to improve (leadership),
# then teaching and learning. Green schools are expected to support others.
WALES_LEVELS: dict[str, list[tuple[str, int, int]]] = {
    "Red": [("leadership", 3, 0), ("curriculum", 2, 0)],
    "Amber": [("leadership", 2, 0), ("curriculum", 1, 0)],
    "Yellow": [],
    "Green": [("leadership", 0, 2), ("curriculum", 0, 1)],
}


@dataclass(frozen=True, slots=True)
class Judgement:
    """One source's view of one area: the levels it supports, why, and as of when."""

    area: str
    need: int
    expertise: int
    source: str
    code: str  # what the evidence showed, as a message code (brokerage/codes.py words it)
    params: dict
    date: str  # ISO date, or the academic year the figures describe (e.g. 2018-19)

    def as_source(self) -> dict:
        return {
            "source": self.source,
            "code": self.code,
            "params": self.params,
            "date": self.date,
            "need": self.need,
            "expertise": self.expertise,
        }


@dataclass(frozen=True)
class AreaLevels:
    need: int
    expertise: int
    sources: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class Reference:
    """Sorted values of one measure among comparable schools, for percentile ranks."""

    values: Sequence[float]
    group: str  # a phase group code ("primary", "secondary", "special"), or "*": every school

    @classmethod
    def of(cls, values: Iterable[float], group: str) -> Reference:
        return cls(sorted(values), group)

    def rank(self, value: float) -> float:
        """Mid-rank percentile in 0..1: the share of schools below, plus half of those equal."""
        below = bisect.bisect_left(self.values, value)
        equal = bisect.bisect_right(self.values, value) - below
        return (below + equal / 2) / len(self.values)


def _level(score: float, thresholds: Sequence[tuple[float, int]], *, worse_is_higher: bool) -> int:
    for threshold, level in thresholds:
        if (score >= threshold) if worse_is_higher else (score <= threshold):
            return level
    return 0


def judge_attendance(
    overall_pct: float | None,
    persistent_pct: float | None,
    references: Mapping[str, Reference],
    period: str,
) -> list[Judgement]:
    """behaviour_attendance need/expertise from absence, ranked against comparable schools.

    `references` maps ABSENCE_OVERALL / ABSENCE_PERSISTENT to the reference group's values.
    A measure without a value or without a reference of MIN_REFERENCE schools is left out;
    with neither, there is no judgement.
    """
    ranks, params, shown = [], {}, []
    for code, value, name in (
        (ABSENCE_OVERALL, overall_pct, "overall"),
        (ABSENCE_PERSISTENT, persistent_pct, "persistent"),
    ):
        reference = references.get(code)
        if value is None or reference is None or len(reference.values) < MIN_REFERENCE:
            continue
        rank = reference.rank(value)
        ranks.append(rank)
        shown.append(name)
        params |= {
            f"{name}_pct": value,
            f"{name}_rank": round(100 * rank),
            f"{name}_schools": len(reference.values),
            f"{name}_group": reference.group,
        }
    if not ranks:
        return []
    score = sum(ranks) / len(ranks)
    need = _level(score, ATTENDANCE_NEED, worse_is_higher=True)
    expertise = _level(score, ATTENDANCE_EXPERTISE, worse_is_higher=False)
    if not (need or expertise):
        return []
    params |= {"period": period, "mean_rank": round(score, 4)}
    code = "evidence.absence_both" if len(shown) == 2 else f"evidence.absence_{shown[0]}"
    return [Judgement("behaviour_attendance", need, expertise, OUTCOME_DATA, code, params, period)]


def judge_progress8(
    p8: float | None, ci_low: float | None, ci_high: float | None, period: str
) -> list[Judgement]:
    """curriculum (and leadership at the extremes) from KS4 Progress 8 and its 95 % interval.

    Only a difference the interval shows to be real counts: "below average" means the whole
    interval is below 0. Progress rather than attainment, because attainment mostly follows
    intake (a school with many disadvantaged pupils would look in need whatever it did).
    Without the interval there is no judgement.
    """
    if p8 is None or ci_low is None or ci_high is None:
        return []
    values = {"p8": p8, "ci_low": ci_low, "ci_high": ci_high}
    if ci_high < 0 and p8 < -P8_WELL:
        return [
            Judgement("curriculum", 3, 0, OUTCOME_DATA, "evidence.p8_well_below", values, period),
            Judgement("leadership", 2, 0, OUTCOME_DATA, "evidence.p8_well_below", values, period),
        ]
    if ci_high < 0:
        return [Judgement("curriculum", 1, 0, OUTCOME_DATA, "evidence.p8_below", values, period)]
    if ci_low > 0 and p8 > P8_WELL:
        return [
            Judgement("curriculum", 0, 2, OUTCOME_DATA, "evidence.p8_well_above", values, period),
            Judgement("leadership", 0, 1, OUTCOME_DATA, "evidence.p8_well_above", values, period),
        ]
    if ci_low > 0:
        return [Judgement("curriculum", 0, 1, OUTCOME_DATA, "evidence.p8_above", values, period)]
    return []


def judge_wales_category(category: str | None, period: str) -> list[Judgement]:
    """leadership and curriculum from the Welsh support category (Red, Amber, Yellow, Green)."""
    if not category:
        return []
    name = category.strip().capitalize()
    if name not in WALES_LEVELS:
        raise CodedError("audit.unknown_category", category=category)
    values = {"category": name}
    return [
        Judgement(area, need, expertise, OUTCOME_DATA, "evidence.wales_category", values, period)
        for area, need, expertise in WALES_LEVELS[name]
    ]


def _position(answer: Mapping, where: str) -> float:
    """Where a rubric level sits on its scale, 0 (lowest) to 1 (highest)."""
    try:
        level = float(answer["level"])
        low = float(answer.get("scale_min", 1))
        high = float(answer["scale_max"])
    except KeyError as missing:
        raise CodedError("audit.missing", where=where, name=missing.args[0]) from None
    except (TypeError, ValueError):
        raise CodedError("audit.not_numbers", where=where) from None
    if high <= low or not low <= level <= high:
        values = {"level": f"{level:g}", "low": f"{low:g}", "high": f"{high:g}"}
        raise CodedError("audit.off_scale", where=where, **values)
    return (level - low) / (high - low)


def _judge_rubric(
    answers: Iterable[Mapping],
    source: str,
    need_thresholds: Sequence[tuple[float, int]],
    expertise_thresholds: Sequence[tuple[float, int]],
) -> list[Judgement]:
    """Average the positions of a source's answers per area, then apply the thresholds."""
    by_area: dict[str, list[tuple[float, Mapping]]] = {}
    for number, answer in enumerate(answers, start=1):
        where = f"{source} item {number}"
        area = answer.get("area")
        if not area:
            raise CodedError("audit.missing", where=where, name="area")
        by_area.setdefault(area, []).append((_position(answer, where), answer))
    judgements = []
    for area, rows in by_area.items():
        position = sum(p for p, _ in rows) / len(rows)
        need = _level(position, need_thresholds, worse_is_higher=False)
        expertise = _level(position, expertise_thresholds, worse_is_higher=True)
        if not (need or expertise):
            continue
        dates = sorted(str(row.get("date", "")) for _, row in rows)
        details = [str(row["detail"]) for _, row in rows if row.get("detail")]
        values = {"count": len(rows), "position": round(position, 4)}
        code = "evidence.rubric"
        if details:
            code, values["notes"] = "evidence.rubric_notes", "; ".join(details)
        judgements.append(Judgement(area, need, expertise, source, code, values, dates[-1]))
    return judgements


def judge_self_evaluation(answers: Iterable[Mapping]) -> list[Judgement]:
    """The school's own rubric answers: need at most 2, expertise at most 1.

    Each answer is a plain dict, so the enquiries app can pass its responses without this
    module knowing its models: {"area": "maths", "level": 2, "scale_max": 4, "scale_min": 1
    (optional), "date": "2025-03-01", "detail": "optional text"}. Several answers in one area
    are averaged. Position (0 lowest, 1 highest): below 0.25 need 2, below 0.5 need 1; from
    0.75 expertise 1.
    """
    return _judge_rubric(answers, SELF_EVALUATION, ((0.25, 2), (0.5, 1)), ((0.75, 1),))


def judge_peer_review(judgements: Iterable[Mapping]) -> list[Judgement]:
    """Peer or external review judgements, same dict shape: need up to 3, expertise up to 3.

    Position: 0 (the lowest level) need 3, below 0.25 need 2, below 0.5 need 1; from 0.95
    (the top level) expertise 3, from 0.75 expertise 2.
    """
    return _judge_rubric(
        judgements, PEER_REVIEW, ((0.0, 3), (0.25, 2), (0.5, 1)), ((0.95, 3), (0.75, 2))
    )


def combine(judgements: Iterable[Judgement]) -> dict[str, AreaLevels]:
    """One need and one expertise level per area from every source's judgements.

    Need is the highest any source shows: a need stands until a broker adjusts it with a
    reason. Expertise is likewise the highest, except that a school with a significant (2+)
    need in an area shows no expertise in it: it is not proposed to support others there.
    """
    grouped: dict[str, list[Judgement]] = {}
    for judgement in judgements:
        grouped.setdefault(judgement.area, []).append(judgement)
    profile = {}
    for area, items in grouped.items():
        need = max(j.need for j in items)
        expertise = max(j.expertise for j in items)
        if need >= 2:
            expertise = 0
        profile[area] = AreaLevels(need, expertise, [j.as_source() for j in items])
    return profile


def judge_outcomes(
    measures: Mapping[str, tuple[str, float | None, str]],
    references: Mapping[str, Reference],
) -> list[Judgement]:
    """Every outcome-data judgement for one school.

    `measures` maps a measure code to (period, value, value_text) for the school's latest
    period of that measure; `references` maps absence codes to their reference groups.
    """

    def value(code: str) -> float | None:
        return measures[code][1] if code in measures else None

    judgements: list[Judgement] = []
    if ABSENCE_OVERALL in measures or ABSENCE_PERSISTENT in measures:
        period = (measures.get(ABSENCE_PERSISTENT) or measures[ABSENCE_OVERALL])[0]
        judgements += judge_attendance(
            value(ABSENCE_OVERALL), value(ABSENCE_PERSISTENT), references, period
        )
    if P8 in measures:
        judgements += judge_progress8(
            value(P8), value(P8_CI_LOW), value(P8_CI_HIGH), measures[P8][0]
        )
    if WALES_CATEGORY in measures:
        period, _, text = measures[WALES_CATEGORY]
        judgements += judge_wales_category(text, period)
    return judgements
