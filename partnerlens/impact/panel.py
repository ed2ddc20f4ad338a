"""The outcome panel: one value per school, year and measure, for the impact estimate.

``outcome_panel(measure, organisation_ids, partnership=...)`` reads published figures
(``directory.OutcomeMeasure``) or a partnership's own (``impact.OwnMeasureValue``, codes
``own.<id>``), continues each school's series through its GIAS predecessors
(``analytics.lineage``: the rules are there and in docs/methods.md) and returns a DataFrame:

    school  the current school's Organisation id
    year    the academic year's first calendar year ("2018-19" -> 2018)
    value   float
    cohort  float, NaN when unknown (the measure's cohort size, see ``COHORT``)
    via     predecessor URNs the figure came through, "" for the school's own (e.g. "116245")

Queries are scoped by the caller: the view passes only schools the user may see, and own
measures are read only for the partnership given.
"""

from __future__ import annotations

import math
from collections import defaultdict
from functools import lru_cache

import pandas as pd
from django.db.models import Count, Q

from partnerlens.core import bilingual
from partnerlens.directory.models import (
    EstablishmentLink,
    Membership,
    Organisation,
    OutcomeMeasure,
)
from partnerlens.impact.analytics import lineage
from partnerlens.impact.estimate_codes import measure_name
from partnerlens.impact.models.panel import OWN_PREFIX, OwnMeasure, OwnMeasureValue

COLUMNS = ["school", "year", "value", "cohort", "via"]

# The cohort each family of measures is published for (its own measure, so small cohorts can
# be suppressed or averaged): KS2 TELIG, KS4 TPUP (P8PUP for Progress 8), census NOR.
COHORT = {
    "ks2.": "ks2.pupils",
    "ks4.p8": "ks4.p8_pupils",
    "ks4.": "ks4.pupils",
    "census.": "census.pupils",
    "absence.": "census.pupils",
}

# Published outcomes the panel offers, in the order shown (others are read if asked for).
PUBLISHED = (
    "ks2.rwm_exp_pct",
    "ks2.rwm_high_pct",
    "ks2.read_progress",
    "ks2.writ_progress",
    "ks2.mat_progress",
    "ks2.pupils",
    "ks4.att8",
    "ks4.p8",
    "ks4.basics_94_pct",
    "ks4.basics_95_pct",
    "ks4.ebacc_aps",
    "ks4.pupils",
    "absence.overall_pct",
    "absence.persistent_pct",
    "census.fsm_ever_pct",
    "census.eal_pct",
    "census.pupils",
)

# Context for comparison families: each column from the first source that has it, the school
# census first, then the KS2 or KS4 cohort (the KS4 one first for secondary phases).
CONTEXT = {
    "fsm": ("census.fsm_ever_pct", "ks2.disadvantaged_pct", "ks4.disadvantaged_pct"),
    "eal": ("census.eal_pct", "ks2.eal_pct", "ks4.eal_pct"),
    "sen_support": ("census.sen_support_pct", "ks2.sen_support_pct", "ks4.sen_support_pct"),
    "ehcp": ("census.ehcp_pct", "ks2.ehcp_pct", "ks4.ehcp_pct"),
    "pupils": ("census.pupils", "ks2.roll", "ks4.roll"),
    "prior": ("ks2.ks1_average", "ks4.ks2_aps"),
}
SECONDARY_PHASES = {"secondary", "middle_secondary", "all_through", "post_16"}


@lru_cache(maxsize=4096)  # a national read meets the same few periods a million times
def year_of(period: str) -> int | None:
    """ "2018-19" -> 2018; anything else (a typing slip in a stored period) -> None."""
    head = period.strip()[:4]
    return int(head) if head.isdigit() else None


def cohort_measure(measure: str) -> str | None:
    if measure.startswith(OWN_PREFIX):
        return None
    for prefix, cohort in COHORT.items():
        if measure.startswith(prefix):
            return None if cohort == measure else cohort
    return None


def predecessors(urns=None) -> dict[int, frozenset[int]]:
    """Continuing GIAS links as URN -> URNs it continues: every link, or (given ``urns``)
    those reachable from them, read a generation at a time (at most ``MAX_DEPTH`` queries),
    so a partnership's page does not read the whole register of links."""
    fields = ("urn", "link_urn", "link_type")
    if urns is None:
        return lineage.predecessor_map(EstablishmentLink.objects.values_list(*fields).iterator())
    rows: set[tuple[int, int, str]] = set()
    seen = {u for u in urns if u}
    frontier = set(seen)
    for _ in range(lineage.MAX_DEPTH):
        if not frontier:
            break
        found: set[tuple[int, int, str]] = set()
        batch = sorted(frontier)
        for start in range(0, len(batch), 500):
            part = batch[start : start + 500]
            found |= set(
                EstablishmentLink.objects.filter(
                    Q(urn__in=part) | Q(link_urn__in=part)
                ).values_list(*fields)
            )
        rows |= found
        known = lineage.predecessor_map(rows)
        frontier = {p for u in frontier for p in known.get(u, ())} - seen
        seen |= frontier
    return lineage.predecessor_map(rows)


def _own_measure(measure: str, partnership) -> OwnMeasure | None:
    if partnership is None:
        return None
    pk = measure.removeprefix(OWN_PREFIX)
    if not pk.isdigit():
        return None
    return OwnMeasure.objects.filter(partnership=partnership, pk=int(pk)).first()


def _observed_published(measure: str, urns: set[int] | None) -> dict[int, dict[int, tuple]]:
    """URN -> {year: (value, cohort)} for the measure, over the given URNs (None: all)."""
    wanted = [measure] + ([c] if (c := cohort_measure(measure)) else [])
    rows = OutcomeMeasure.objects.filter(
        measure__in=wanted, organisation__urn__isnull=False, value__isnull=False
    )
    if urns is not None:
        rows = rows.filter(organisation__urn__in=list(urns))
    rows = rows.values_list("organisation__urn", "measure", "period", "value")
    values: dict[int, dict[int, float]] = defaultdict(dict)
    cohorts: dict[int, dict[int, float]] = defaultdict(dict)
    for urn, code, period, value in rows.iterator():
        year = year_of(period)
        if year is None:
            continue
        (values if code == measure else cohorts)[urn][year] = float(value)
    if measure in COHORT.values():  # a cohort size is its own cohort
        cohorts = values
    return {
        urn: {y: (v, cohorts.get(urn, {}).get(y, math.nan)) for y, v in by_year.items()}
        for urn, by_year in values.items()
    }


def _observed_own(own: OwnMeasure, organisation_ids) -> dict[int, dict[int, tuple]]:
    """Own measures are keyed by Organisation id (the school uploaded is the current one)."""
    rows = OwnMeasureValue.objects.filter(measure=own)
    if organisation_ids is not None:
        rows = rows.filter(organisation_id__in=list(organisation_ids))
    found: dict[int, dict[int, tuple]] = defaultdict(dict)
    for org_id, period, value, cohort in rows.values_list(
        "organisation_id", "period", "value", "cohort"
    ):
        if (year := year_of(period)) is not None:
            found[org_id][year] = (float(value), math.nan if cohort is None else float(cohort))
    return found


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.astype(
        {"school": "int64", "year": "int64", "value": "float64", "cohort": "float64"}
    ).sort_values(["school", "year"], ignore_index=True)


def outcome_panel(measure: str, organisation_ids=None, *, partnership=None) -> pd.DataFrame:
    """The panel for ``measure`` over the schools (Organisation ids; None = every school).

    With ``partnership``, its own measures (``own.<id>``) can be asked for too; another
    partnership's own measure gives an empty panel.
    """
    if measure.startswith(OWN_PREFIX):
        own = _own_measure(measure, partnership)
        if own is None:
            return _frame([])
        observed = _observed_own(own, organisation_ids)
        rows = [
            {"school": org, "year": y, "value": v, "cohort": c, "via": ""}
            for org, by_year in observed.items()
            for y, (v, c) in by_year.items()
        ]
        return _frame(rows)

    schools = Organisation.objects.exclude(urn__isnull=True)
    if organisation_ids is not None:
        schools = schools.filter(pk__in=list(organisation_ids))
    by_urn = dict(schools.values_list("urn", "pk"))
    links = predecessors(None if organisation_ids is None else set(by_urn))
    wanted = set()
    for urn in by_urn:
        wanted |= lineage.lineage(urn, links)
    observed = _observed_published(measure, wanted if organisation_ids is not None else None)
    rows = []
    for urn, org in by_urn.items():
        for point in lineage.continued(urn, observed, links):
            rows.append(
                {
                    "school": org,
                    "year": point.year,
                    "value": point.value,
                    "cohort": point.cohort,
                    "via": " ".join(str(u) for u in point.via),
                }
            )
    return _frame(rows)


def member_ids(partnership, on=None) -> list[int]:
    """The partnership's current member schools (Organisation ids)."""
    return list(
        Membership.objects.current(on)
        .filter(partnership=partnership)
        .values_list("organisation_id", flat=True)
    )


def available_measures(partnership) -> list[tuple[str, int]]:
    """(code, number of years) with figures for the partnership's member schools: the
    published outcomes of ``PUBLISHED`` first, in its order (years through predecessors
    count), then the partnership's own. Confidence limits and context figures are read by
    ``outcome_panel`` and ``context_frame`` but not offered as outcomes."""
    ids = member_ids(partnership)
    urns = set(Organisation.objects.filter(pk__in=ids).values_list("urn", flat=True)) - {None}
    links = predecessors(urns)
    wanted = set()
    for urn in urns:
        wanted |= lineage.lineage(urn, links)
    years = (
        OutcomeMeasure.objects.filter(
            organisation__urn__in=wanted, measure__in=PUBLISHED, value__isnull=False
        )
        .values("measure")
        .annotate(n=Count("period", distinct=True))
        .order_by()
    )
    counts = {row["measure"]: row["n"] for row in years}
    order = {code: i for i, code in enumerate(PUBLISHED)}
    published = sorted(counts.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
    own = (
        OwnMeasure.objects.filter(partnership=partnership)
        .annotate(n=Count("values__period", distinct=True))
        .order_by("name")
    )
    return published + [(m.code, m.n) for m in own]


class OwnMeasureNames(dict):
    """The partnership's own measures' names by code, in the active language, and in
    ``english`` the English names shown for want of Welsh (for the template filters
    ``english_within`` and ``english_in_svg``, which mark them only on a Welsh page)."""

    def __init__(self, names: dict[str, str], english: set[str]):
        super().__init__(names)
        self.english = english


def own_measure_names(partnership) -> OwnMeasureNames:
    """The partnership's own measures' names by code, for ``estimate_codes.measure_name``:
    in the active language (the Welsh where written, else the English), as plain text, with
    the English fallbacks beside them. One query."""
    measures = list(OwnMeasure.objects.filter(partnership=partnership))
    return OwnMeasureNames(
        {m.code: bilingual.localised(m, "name") for m in measures},
        bilingual.english_fallbacks(measures, "name"),
    )


def measure_choices(partnership, own: dict[str, str]) -> list[tuple[str, str]]:
    """``available_measures`` as form choices: each named, with its number of years."""
    return [
        (code, f"{measure_name(code, own)} ({years})")
        for code, years in available_measures(partnership)
    ]


def _nearest(by_period: dict[str, float], year: int) -> float | None:
    """The figure of the latest period up to ``year``, else of the earliest after it."""
    years = {}
    for p, v in by_period.items():
        if (y := year_of(p)) is not None:
            years[y] = v
    before = [y for y in years if y <= year]
    if before:
        return years[max(before)]
    return years[min(years)] if years else None


def context_row(phase: str, figures: dict[str, dict[str, float]], year: int) -> dict:
    """One school's context from its figures (code -> period -> value): pure, tested alone."""
    row: dict[str, float | None] = {}
    secondary = phase in SECONDARY_PHASES
    for column, codes in CONTEXT.items():
        ordered = sorted(codes, key=lambda c: c.startswith("ks2.")) if secondary else codes
        row[column] = next(
            (v for c in ordered if (v := _nearest(figures.get(c, {}), year)) is not None), None
        )
    support, ehcp = row.pop("sen_support"), row.pop("ehcp")
    row["sen"] = None if support is None or ehcp is None else support + ehcp
    return row


def context_frame(organisation_ids, year: int) -> pd.DataFrame:
    """School context for comparison families, for ``year`` (the latest figure up to it).

    Columns: school, urn, phase, prior (cohort prior attainment: KS1 average for KS2, KS2
    APS for KS4), fsm (FSM ever 6 / disadvantaged %), eal %, sen % (SEN support + EHC plan),
    pupils; NaN where no source has the figure. Sources in ``CONTEXT``. A period the school
    has no figure for is filled from its predecessors', so a converter
    academy has its context for the years before it opened.
    """
    return context_and_figures(organisation_ids, year)[0]


def context_and_figures(organisation_ids, year: int) -> tuple[pd.DataFrame, dict]:
    """``context_frame`` and the figures it read: URN -> code -> period -> value, for every
    ``CONTEXT`` code of the schools and their predecessors (so a caller needing some of
    those rows again does not read the national table twice)."""
    schools = Organisation.objects.all()
    if organisation_ids is not None:
        schools = schools.filter(pk__in=list(organisation_ids))
    orgs = list(schools.values_list("pk", "urn", "phase", "pupils", "fsm_pct"))
    links = predecessors(None if organisation_ids is None else {o[1] for o in orgs})
    lineages = {
        pk: [urn, *sorted(lineage.lineage(urn, links) - {urn})] if urn else []
        for pk, urn, *_ in orgs
    }
    codes = sorted({c for cs in CONTEXT.values() for c in cs})
    by_urn: dict[int, dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    rows = OutcomeMeasure.objects.filter(
        measure__in=codes, value__isnull=False, organisation__urn__isnull=False
    )
    if organisation_ids is not None:
        rows = rows.filter(organisation__urn__in=list({u for us in lineages.values() for u in us}))
    for urn, code, period, value in rows.values_list(
        "organisation__urn", "measure", "period", "value"
    ).iterator():
        by_urn[urn][code][period] = value
    out = []
    for pk, urn, phase, pupils, fsm in orgs:
        if len(lineages[pk]) == 1:  # no predecessors (most schools): its own figures
            figures = by_urn.get(urn, {})
        else:
            figures = defaultdict(dict)
            for member in lineages[pk]:
                for code, periods in by_urn.get(member, {}).items():
                    for period, value in periods.items():
                        figures[code].setdefault(period, value)
        row = context_row(phase, figures, year)
        row["pupils"] = row["pupils"] if row["pupils"] is not None else pupils
        row["fsm"] = row["fsm"] if row["fsm"] is not None else fsm
        out.append({"school": pk, "urn": urn, "phase": phase, **row})
    frame = pd.DataFrame(
        out, columns=["school", "urn", "phase", "prior", "fsm", "eal", "sen", "pupils"]
    )
    frame = frame.astype({c: "float64" for c in ("prior", "fsm", "eal", "sen", "pupils")})
    return frame.sort_values("school", ignore_index=True), by_urn
