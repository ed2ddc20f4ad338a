"""The figures each kind of indicator reads, as the engine's ``Observation`` rows.

Numbers come from the impact app's outcome panel (``impact.panel.outcome_panel``), so a
school's series continues across academy conversion through its GIAS predecessors, and a
partnership's own measures (``own.<id>``) work too. Categories and judgements are text:
the Welsh support category (``wales.support_category``) and the latest inspection
judgement held for each school (``Organisation.ofsted_rating``, from GIAS). Theme scores
come from published insights releases only, and only from cells the release showed (a
suppressed small group never triggers anything).
"""

from __future__ import annotations

import math
from collections import defaultdict

from partnerlens.directory.models import Organisation, OrganisationKind, OutcomeMeasure
from partnerlens.enquiries.models import Cycle, CycleState
from partnerlens.impact.panel import outcome_panel
from partnerlens.insights.models import Release
from partnerlens.triggers import evaluation as engine

ABSENCE = {
    engine.ATTENDANCE_FALL: "absence.overall_pct",
    engine.PERSISTENT_RISE: "absence.persistent_pct",
}
DEFAULT_PROGRESS = "ks4.p8"
WALES_CATEGORY = "wales.support_category"


def member_schools(partnership) -> dict[int, Organisation]:
    """The partnership's current member schools, by id."""
    ids = partnership.memberships.current().values_list("organisation_id", flat=True)
    schools = Organisation.objects.filter(pk__in=list(ids), kind=OrganisationKind.SCHOOL)
    return {school.pk: school for school in schools.order_by("name")}


def academic_year(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def numeric_series(measure: str, school_ids, partnership) -> list[engine.Observation]:
    """A measure's yearly figures for the schools (the one place numbers are read)."""
    frame = outcome_panel(measure, list(school_ids), partnership=partnership)
    rows = []
    for school, year, value in frame[["school", "year", "value"]].itertuples(index=False):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        rows.append(engine.Observation(int(school), academic_year(int(year)), float(value)))
    return rows


def categories(school_ids) -> list[engine.Observation]:
    rows = OutcomeMeasure.objects.filter(
        organisation_id__in=list(school_ids), measure=WALES_CATEGORY
    ).values_list("organisation_id", "period", "value_text")
    return [engine.Observation(org, period, text=text) for org, period, text in rows]


def judgements(schools: dict[int, Organisation]) -> list[engine.Observation]:
    return [
        engine.Observation(
            pk,
            school.details_as_of.isoformat() if school.details_as_of else "",
            text=school.ofsted_rating,
        )
        for pk, school in schools.items()
        if school.ofsted_rating
    ]


def theme_scores(partnership, school_ids, theme_key: str = "") -> list[engine.Observation]:
    """Each school's published theme means in the partnership's published cycles: the
    latest release of each cycle, cells shown only; the period is the cycle's closing day
    (cycles closing the same day, such as one for staff and one for parents, are one
    period: their means are combined, weighted by the people in each)."""
    wanted = set(school_ids)
    cycles = Cycle.objects.filter(partnership=partnership, state=CycleState.PUBLISHED)
    sums: dict[tuple, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for cycle in cycles.order_by("closes_on", "pk"):
        release = (
            Release.objects.filter(cycle=cycle).only("tables", "cycle").order_by("number").last()
        )
        if release is None:
            continue
        for cell in (release.tables or {}).get("theme") or []:
            if cell.get("group") != "organisation" or cell.get("suppressed"):
                continue
            if cell.get("concealed") or cell.get("mean") is None or not cell.get("n"):
                continue
            school, theme = cell.get("organisation_id"), str(cell.get("theme_key") or "")
            if school not in wanted or (theme_key and theme != theme_key):
                continue
            total = sums[(int(school), theme, cycle.closes_on.isoformat())]
            total[0] += float(cell["mean"]) * float(cell["n"])
            total[1] += float(cell["n"])
    return [
        engine.Observation(school, period, total / n, measure=theme)
        for (school, theme, period), (total, n) in sorted(sums.items())
    ]


def observations(indicator, schools: dict[int, Organisation]) -> list[engine.Observation]:
    """What the indicator compares, for these schools."""
    kind, ids = indicator.kind, list(schools)
    if kind in ABSENCE:
        return numeric_series(indicator.measure or ABSENCE[kind], ids, indicator.partnership)
    if kind == engine.PROGRESS_DROP:
        return numeric_series(indicator.measure or DEFAULT_PROGRESS, ids, indicator.partnership)
    if kind == engine.THEME_DROP:
        return theme_scores(indicator.partnership, ids, indicator.measure)
    if kind == engine.WALES_CATEGORY:
        return categories(ids)
    if kind == engine.REVIEW_JUDGEMENT:
        return judgements(schools)
    return []
