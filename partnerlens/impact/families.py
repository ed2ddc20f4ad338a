"""Comparison families: choose them from the whole directory and keep them as chosen.

``choose_families`` reads the measure for every school (``panel.outcome_panel``), takes each
school's prior outcome (the mean of its values in the ``PRIOR_YEARS`` years before the start)
and its context in the year before the start (``panel.context_frame``), and asks
``analytics.families.FamilyIndex`` for the nearest ``FAMILY_SIZE`` schools outside the
partnership. Everything the choice used is stored (``ComparisonGroup``, ``FamilySchool``,
``FamilyMember``): the inputs of every school and their years, each member's distance and
rank, the balance table and when it was chosen; the same data give the same families.
Schools are keyed by their Organisation id in the engine, so ties break by id.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db import transaction

from partnerlens.directory.models import Organisation, OutcomeMeasure
from partnerlens.impact import panel as panels
from partnerlens.impact.analytics import families as engine
from partnerlens.impact.models import ComparisonGroup, FamilyMember, FamilySchool

PRIOR_YEARS = 3  # the prior outcome averages up to this many years before the start
INPUTS = ("phase", "prior", "fsm", "eal", "sen", "pupils")


@dataclass(frozen=True)
class Inputs:
    """What a choice of families is made from: one row per school with a prior outcome."""

    frame: pd.DataFrame  # urn (= Organisation id), phase, prior, fsm, eal, sen, pupils
    prior_from: int
    prior_to: int
    context_year: int


def prior_outcomes(panel: pd.DataFrame, start_year: int) -> pd.Series:
    """Each school's mean value over the PRIOR_YEARS years before the start (NaN ignored)."""
    window = panel[
        (panel["year"] < start_year)
        & (panel["year"] >= start_year - PRIOR_YEARS)
        & panel["value"].notna()
    ]
    return window.groupby("school")["value"].mean()


# The performance tables' own context columns (KS2 and KS4 files), used where the school
# census has no figure: the Hampshire and Surrey files come without a census.
TABLE_CONTEXT = {
    "disadvantaged_pct": "fsm",
    "eal_pct": "eal",
    "sen_support_pct": "sen_support",
    "ehcp_pct": "ehcp",
    "roll": "pupils",
}


# A school with no phase in the directory (imported from a performance table alone) is
# placed by the key stage of the measure: it has that key stage's results.
KEY_STAGE_PHASE = {"ks2": "primary", "ks4": "secondary"}


def _period_limit(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def _table_codes(prefixes) -> list[str]:
    return [prefix + name for prefix in prefixes for name in TABLE_CONTEXT]


def _table_rows(ids, year: int, prefixes):
    """(school, code, period, value) of the tables' context columns up to ``year``."""
    rows = OutcomeMeasure.objects.filter(
        measure__in=_table_codes(prefixes), value__isnull=False, period__lte=_period_limit(year)
    )
    if ids is not None:
        rows = rows.filter(organisation_id__in=list(ids))
    return rows.values_list("organisation_id", "measure", "period", "value").iterator()


def _table_frame(rows) -> pd.DataFrame:
    """The latest figure of each school and column from ``rows`` (each school's in code
    and period order: ties keep the first code)."""
    latest: dict[tuple[int, str], tuple[str, float]] = {}
    for school, code, period, value in rows:
        key = (school, TABLE_CONTEXT[code.split(".", 1)[1]])
        if key not in latest or period > latest[key][0]:
            latest[key] = (period, value)
    frame = pd.DataFrame(
        [(school, column, value) for (school, column), (_p, value) in latest.items()],
        columns=["school", "column", "value"],
    )
    wide = frame.pivot(index="school", columns="column", values="value")
    wide = wide.reindex(columns=list(TABLE_CONTEXT.values()))
    wide["sen"] = wide["sen_support"] + wide["ehcp"]
    return wide[["fsm", "eal", "sen", "pupils"]].astype(float)


def table_context(ids, year: int, prefixes=("ks2.", "ks4.")) -> pd.DataFrame:
    """school, fsm, eal, sen, pupils from the latest performance table up to ``year``."""
    return _table_frame(_table_rows(ids, year, prefixes))


def _tables_read(context: pd.DataFrame, figures: dict, year: int, prefixes) -> pd.DataFrame:
    """``table_context`` of the context's schools, from the figures ``context_and_figures``
    read already (every table column is a ``CONTEXT`` code); a school without a URN (not
    in those figures) is read from the database."""
    codes, limit = set(_table_codes(prefixes)), _period_limit(year)
    has_urn = context["urn"].notna()
    rows = [
        (school, code, period, value)
        for school, urn in context.loc[has_urn, "urn"].items()
        for code in sorted(codes & figures.get(int(urn), {}).keys())
        for period, value in sorted(figures[int(urn)][code].items())
        if period <= limit
    ]
    no_urn = [int(school) for school in context.index[~has_urn]]
    if no_urn:
        rows += list(_table_rows(no_urn, year, prefixes))
    return _table_frame(rows)


def _context(ids, year: int, measure: str) -> pd.DataFrame:
    """The census context, its gaps filled from the performance tables of the measure's key
    stage (both key stages for any other measure). The tables' rows are among those the
    census context read: they are not read from the database again."""
    context, figures = panels.context_and_figures(ids, year)
    context = context.set_index("school")
    prefix = measure.split(".", 1)[0] + "."
    stages = (prefix,) if prefix in ("ks2.", "ks4.") else ("ks2.", "ks4.")
    tables = _tables_read(context, figures, year, stages)
    for column in ("fsm", "eal", "sen", "pupils"):
        context[column] = context[column].astype(float).fillna(tables[column])
    return context.reset_index()


def family_inputs(panel: pd.DataFrame, start_year: int, schools, measure: str = "") -> Inputs:
    """The engine's frame: every school with a prior outcome, and the partnership's own
    schools even without one (so they are reported as missing an input, not unknown)."""
    prior = prior_outcomes(panel, start_year)
    ids = sorted(set(prior.index.astype(int)) | {int(s) for s in schools})
    context = _context(ids, start_year - 1, measure)
    frame = pd.DataFrame(
        {
            "urn": context["school"].astype("int64"),
            "phase": context["phase"]
            .where(context["phase"].fillna("") != "", None)
            .fillna(KEY_STAGE_PHASE.get(measure.split(".", 1)[0])),
            "prior": context["school"].map(prior).astype(float),
            "fsm": context["fsm"],
            "eal": context["eal"],
            "sen": context["sen"],
            "pupils": context["pupils"],
        }
    )
    return Inputs(frame, start_year - PRIOR_YEARS, start_year - 1, start_year - 1)


def _clean(row) -> dict:
    out = {}
    for key in INPUTS:
        value = row.get(key)
        if isinstance(value, float | np.floating):
            value = None if math.isnan(value) else round(float(value), 4)
        out[key] = value
    return out


def superseded(panel: pd.DataFrame) -> set[int]:
    """Schools that cannot stand as comparison schools: those closed, and those whose years
    the panel already carries in a successor's series (an academy's predecessor), which would
    otherwise count the same school twice."""
    urns = {int(u) for via in panel["via"] if via for u in str(via).split()}
    closed = Organisation.objects.filter(status__istartswith="closed")
    return set(closed.values_list("pk", flat=True)) | set(
        Organisation.objects.filter(urn__in=sorted(urns)).values_list("pk", flat=True)
    )


def choose_families(
    partnership, measure: str, schools, start_year: int, *, panel: pd.DataFrame | None = None
) -> ComparisonGroup:
    """Choose and store the families of ``schools`` (Organisation ids in the partnership),
    none of them a current member of the partnership. ``panel``: the measure's panel for
    every school, when the caller has read it already."""
    if panel is None:
        panel = panels.outcome_panel(measure, None, partnership=partnership)
    inputs = family_inputs(panel, start_year, schools, measure)
    members = set(panels.member_ids(partnership))
    kept_out = members | (superseded(panel) - {int(s) for s in schools})
    index = engine.FamilyIndex(inputs.frame)
    found = index.families(schools, engine.FAMILY_SIZE, exclude=kept_out)
    by_id = inputs.frame.set_index("urn").to_dict("index")
    balance = found.balance.replace({np.nan: None}).to_dict("records")
    with transaction.atomic():
        group = ComparisonGroup.objects.create(
            partnership=partnership,
            measure=measure,
            prior_from=inputs.prior_from,
            prior_to=inputs.prior_to,
            context_year=inputs.context_year,
            family_size=engine.FAMILY_SIZE,
            weights=dict(engine.WEIGHTS),
            pool=sum(
                int(len(p.urns) - np.isin(p.urns, list(kept_out)).sum())
                for p in index.phases.values()
            ),
            missing=index.missing,
            balance=balance,
        )
        FamilySchool.objects.bulk_create(
            FamilySchool(
                group=group,
                school_id=int(row.school_urn),
                status=row.status,
                size=int(row.family_size),
                inputs=_clean(by_id.get(int(row.school_urn), {})),
            )
            for row in found.status.itertuples()
        )
        FamilyMember.objects.bulk_create(
            (
                FamilyMember(
                    group=group,
                    school_id=int(row.school_urn),
                    member_id=int(row.member_urn),
                    distance=round(float(row.distance), 6),
                    rank=int(row.rank),
                    inputs=_clean(by_id[int(row.member_urn)]),
                )
                for row in found.members.itertuples()
            ),
            batch_size=1000,
        )
    return group


def comparison_ids(group: ComparisonGroup) -> list[int]:
    """The union of the group's families (Organisation ids)."""
    return sorted(set(group.members.values_list("member_id", flat=True)))
