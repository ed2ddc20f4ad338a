"""Shared by the DfE performance-table formats: a row of figures keyed by URN."""

from __future__ import annotations

from collections.abc import Callable

from partnerlens.directory.importers import mapping
from partnerlens.directory.importers import values as v
from partnerlens.directory.importers.base import (
    MeasureValue,
    Options,
    OrgRecord,
    Row,
    RowError,
    Skip,
)

Spec = tuple[tuple[str, str, Callable[[str], float | int | None]], ...]

SCHOOL_RECTYPES = {"1": "mainstream school", "2": "special school"}


def count(raw: str | None) -> int | None:
    """A pupil count; "NEW" (a new school with no eligible pupils yet) is no value."""
    if raw is not None and raw.strip().upper() == "NEW":
        return None
    return v.integer(raw)


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


def require_columns(row: Row, columns: tuple[str, ...], label: str) -> None:
    """Reject the row (and so every row) when the file lacks a column the format needs.

    Other columns are read by name when present: a year that adds or drops one is fine.
    """
    for column in columns:
        if not row.has(column):
            raise RowError(
                f"is missing from the file's header, and a {label} file needs it "
                "(was it renamed? compare with DfE's metadata file for the year)",
                column,
            )


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


def ks4_school_parser(
    spec: Spec, key_columns: tuple[str, ...] = (), label: str = ""
) -> Callable[[Row, Options], OrgRecord | Skip]:
    """The row parser for a KS4 table (LEA/ESTAB/SCHNAME layout): school lines only."""

    def parse(row: Row, options: Options) -> OrgRecord | Skip:
        require_columns(row, key_columns, label)
        if skip := school_row(row):
            return skip
        found = figures(row, options.period, spec)
        return record(row, found, la="LEA", estab="ESTAB", name="SCHNAME")

    return parse
