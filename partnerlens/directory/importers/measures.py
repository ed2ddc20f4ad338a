"""Shared by the DfE performance-table formats: a row of figures keyed by URN."""

from __future__ import annotations

from collections.abc import Callable

from partnerlens.directory.importers import mapping
from partnerlens.directory.importers import values as v
from partnerlens.directory.importers.base import MeasureValue, Options, OrgRecord, Row, Skip

Spec = tuple[tuple[str, str, Callable[[str], float | int | None]], ...]

SCHOOL_RECTYPES = {"1": "mainstream school", "2": "special school"}


def figures(row: Row, period: str, spec: Spec) -> list[MeasureValue]:
    """Each column of ``spec`` the file has and fills in, as a measure for ``period``."""
    found = []
    for column, code, parse in spec:
        if not row.has(column):
            continue
        value = row.get(column, parse)
        if value is not None:
            found.append(MeasureValue(code, period, float(value)))
    return found


def school_row(row: Row) -> Skip | None:
    """Performance tables mix school lines with LA and national totals (RECTYPE 4, 5, 7, LA)."""
    rectype = row.raw("RECTYPE").strip()
    if rectype in SCHOOL_RECTYPES:
        return None
    return Skip(f"RECTYPE {rectype or 'blank'} is a total line, not a school")


def record(row: Row, measures: list[MeasureValue], *, la: str, estab: str, name: str = ""):
    """The school (by URN, only filling blanks) with its figures; no figures, no record."""
    urn = row.get("URN", v.positive_id)
    if not measures:
        return Skip("no published figures in this row (all suppressed or not applicable)")
    fields = {
        "la_code": row.get(la, v.text),
        "establishment_number": row.get(estab, v.text),
    }
    if name:
        fields["name"] = row.get(name, v.text)
    if row.has("NFTYPE"):
        fields["kind"] = mapping.organisation_kind(row.get("NFTYPE", v.text))
    if row.has("SCHOOLTYPE"):
        school_type = row.get("SCHOOLTYPE", v.text)
        fields["kind"] = mapping.organisation_kind(school_type)
        fields["school_type"] = school_type
    return OrgRecord(key=("urn", urn), fields=fields, measures=measures)


def ks4_school_parser(spec: Spec) -> Callable[[Row, Options], OrgRecord | Skip]:
    """The row parser for a KS4 table (LEA/ESTAB/SCHNAME layout): school lines only."""

    def parse(row: Row, options: Options) -> OrgRecord | Skip:
        if skip := school_row(row):
            return skip
        found = figures(row, options.period, spec)
        return record(row, found, la="LEA", estab="ESTAB", name="SCHNAME")

    return parse
