"""A partnership's own measures: defining one, reading a file of its figures, exporting them.

The file (CSV or XLSX, first sheet) has a header row naming the columns, in English or Welsh:

    school  (ysgol)   the school's URN, Welsh school code, or its name as the partnership has it
    period  (cyfnod)  the academic year: 2018-19, 2018/19, 201819 or 2018 (its first year)
    value   (gwerth)  a number (a trailing % is allowed)
    cohort  (carfan)  optional: the number of pupils the value is about

The rule: **a file with any error saves nothing.** Every error is listed (row as the
spreadsheet numbers it, column, why) so the lead fixes the file in one pass and uploads it
again. A clean file adds new figures and replaces the figures it repeats (same school and
period); figures it does not mention are kept. The school must be a current member of the
partnership. Cells are stored as typed (nothing is neutralised on reading); every export
neutralises text cells (``core.spreadsheets.neutralise``).

Files are read by ``core.uploaded_tables``, the reader the invitee lists use, bounded at
2 MB, 5,000 rows, and for a workbook 50 MB unzipped and 1,000 columns declared.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from partnerlens.audit import services as audit
from partnerlens.audit import verbs
from partnerlens.core import uploaded_tables
from partnerlens.core.bilingual import localised
from partnerlens.core.spreadsheets import neutralise
from partnerlens.core.uploaded_tables import RowError, TableRules
from partnerlens.directory.importers import values
from partnerlens.directory.models import Membership, Organisation
from partnerlens.impact.models.panel import OwnMeasure, OwnMeasureUpload, OwnMeasureValue

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_UNZIPPED_BYTES = 50 * 1000 * 1000
MAX_SHEET_COLUMNS = 1000
MAX_COLUMNS = 20
COLUMNS = {
    "school": "school",
    "ysgol": "school",
    "urn": "school",
    "period": "period",
    "cyfnod": "period",
    "year": "period",
    "blwyddyn": "period",
    "value": "value",
    "gwerth": "value",
    "cohort": "cohort",
    "carfan": "cohort",
}
REQUIRED = ("school", "period", "value")


class OwnMeasureFileError(ValueError):
    """The file as a whole cannot be read (wrong type, too big, no header)."""


@dataclass(frozen=True)
class Figure:
    row: int
    organisation: Organisation
    period: str
    value: float
    cohort: int | None


@dataclass(frozen=True)
class UploadResult:
    created: int
    updated: int
    unchanged: int


def create_measure(
    partnership,
    *,
    name: str,
    unit: str,
    higher_is_better: bool,
    actor,
    name_cy: str = "",
    unit_cy: str = "",
):
    with transaction.atomic():
        measure = OwnMeasure.objects.create(
            partnership=partnership,
            name=name.strip(),
            name_cy=name_cy.strip(),
            unit=unit.strip(),
            unit_cy=unit_cy.strip(),
            higher_is_better=higher_is_better,
        )
        audit.record(
            actor, verbs.IMPACT_OWN_MEASURE_CREATED, measure, partnership_id=partnership.pk
        )
    return measure


TEXTS = ("name", "name_cy", "unit", "unit_cy")


def change_texts(measure: OwnMeasure, *, actor, **texts: str) -> OwnMeasure:
    """Rename a measure or give it its Welsh: only its words change (its code, direction
    and figures stay, so estimates and actions that name it follow)."""
    changed = [f for f in TEXTS if f in texts and texts[f].strip() != getattr(measure, f)]
    if not changed:
        return measure
    with transaction.atomic():
        for f in changed:
            setattr(measure, f, texts[f].strip())
        measure.save(update_fields=changed)
        audit.record(
            actor,
            verbs.IMPACT_OWN_MEASURE_CHANGED,
            measure,
            partnership_id=measure.partnership_id,
            fields=changed,
        )
    return measure


# --- reading -------------------------------------------------------------------------


def _header(cell) -> str:
    return str(cell or "").strip().casefold().replace(" ", "_")


def _columns(first: Sequence) -> list[str]:
    header = [COLUMNS.get(_header(cell), "") for cell in first]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise OwnMeasureFileError(
            _(
                "The first row must name the columns school, period and value (cohort is "
                "optional). Missing: %(missing)s."
            )
            % {"missing": ", ".join(missing)}
        )
    return header


def _too_many_rows() -> str:
    return _("The file has more than %(max)s rows; split it and upload each part.") % {
        "max": f"{MAX_ROWS:,}"
    }


def _too_large_a_workbook(reason: str) -> str:
    if reason == uploaded_tables.UNZIPPED:
        return _("The workbook is too large to read once unzipped.")
    if reason == uploaded_tables.SHEET_COLUMNS:
        return _("The workbook has too many columns to read.")
    return _too_many_rows()


def _rules() -> TableRules:
    """Blank rows count toward a sheet's bound: the header and one blank row beyond the
    rows of figures are allowed; a sheet's declared rows are not checked."""
    return TableRules(
        error=OwnMeasureFileError,
        columns=_columns,
        too_large_file=lambda: _("The file is larger than 2 MB. Split it and upload each part."),
        too_many_rows=_too_many_rows,
        too_large_workbook=_too_large_a_workbook,
        max_file_bytes=MAX_FILE_BYTES,
        max_rows=MAX_ROWS,
        max_unzipped_bytes=MAX_UNZIPPED_BYTES,
        max_sheet_rows=MAX_ROWS + 2,
        max_sheet_columns=MAX_SHEET_COLUMNS,
        max_columns=MAX_COLUMNS,
        check_declared_rows=False,
        cell=uploaded_tables.cell_text_whole_numbers,
    )


def read_file(upload) -> list[tuple[int, dict[str, str]]]:
    """Rows as dicts keyed by the known columns; row numbers as a spreadsheet shows them."""
    return uploaded_tables.read_file(upload, _rules())


# --- checking ------------------------------------------------------------------------


def period_of(text: str) -> str:
    """An academic year as typed ("2018-19", "2018/19", "201819", "2018") -> "2018-19"."""
    value = text.strip()
    if len(value) == 4 and value.isdigit() and value.startswith("20"):
        start = int(value)
        return f"{start}-{(start + 1) % 100:02d}"
    found = values.academic_year_in(value)
    if found is None or len(value) > 9:
        raise ValueError(_("“%(value)s” is not an academic year such as 2018-19") % {"value": text})
    return found


def _number(text: str) -> float:
    value = text.strip().rstrip("%").strip()
    try:
        number = float(values.number(value)) if value else None
    except ValueError:
        number = None
    if number is None or not math.isfinite(number):
        raise ValueError(_("“%(value)s” is not a number") % {"value": text})
    return number


def _cohort(text: str) -> int | None:
    if not text.strip():
        return None
    try:
        count = values.integer(text)
    except ValueError:
        count = -1
    if count is None or count < 0:
        raise ValueError(_("“%(value)s” is not a number of pupils") % {"value": text})
    return count


def _member_lookup(partnership) -> dict[str, Organisation]:
    lookup: dict[str, Organisation] = {}
    members = Membership.objects.current().filter(partnership=partnership)
    for org in Organisation.objects.filter(pk__in=members.values("organisation_id")):
        lookup[org.name.casefold()] = org
        if org.welsh_school_code:
            lookup[org.welsh_school_code] = org
        if org.urn:
            lookup[str(org.urn)] = org
    return lookup


def check_rows(partnership, rows) -> tuple[list[Figure], list[RowError]]:
    """Every row checked: the school a current member, a period, a number, no repeats."""
    members = _member_lookup(partnership)
    seen: dict[tuple[int, str], int] = {}
    good, errors = [], []
    for number, cells in rows:
        row_errors = []
        school_text = cells.get("school", "")
        school = members.get(school_text.strip().casefold())
        if school is None:
            reason = (
                _("“%(value)s” is not a current member school of this partnership")
                % {"value": school_text}
                if school_text.strip()
                else _("the school is blank")
            )
            row_errors.append(RowError(number, "school", reason))
        parsed = {}
        for column, parse in (("period", period_of), ("value", _number), ("cohort", _cohort)):
            try:
                parsed[column] = parse(cells.get(column, ""))
            except ValueError as error:
                row_errors.append(RowError(number, column, str(error)))
        if school is not None and "period" in parsed:
            key = (school.pk, parsed["period"])
            if key in seen:
                row_errors.append(
                    RowError(
                        number,
                        "period",
                        _("%(school)s already has a figure for %(period)s on row %(row)s")
                        % {"school": school.name, "period": parsed["period"], "row": seen[key]},
                    )
                )
            seen.setdefault(key, number)
        if row_errors:
            errors.extend(row_errors)
        else:
            good.append(Figure(number, school, parsed["period"], parsed["value"], parsed["cohort"]))
    return good, errors


# --- saving and exporting ------------------------------------------------------------


def save_figures(measure: OwnMeasure, figures: list[Figure], *, actor):
    """Add or replace the figures of a clean file, in one transaction."""
    with transaction.atomic():
        stored = {
            (v.organisation_id, v.period): v
            for v in OwnMeasureValue.objects.select_for_update().filter(measure=measure)
        }
        created, updated, unchanged = [], [], 0
        for figure in figures:
            old = stored.get((figure.organisation.pk, figure.period))
            if old is None:
                created.append(
                    OwnMeasureValue(
                        measure=measure,
                        organisation=figure.organisation,
                        period=figure.period,
                        value=figure.value,
                        cohort=figure.cohort,
                    )
                )
            elif (old.value, old.cohort) != (figure.value, figure.cohort):
                old.value, old.cohort = figure.value, figure.cohort
                updated.append(old)
            else:
                unchanged += 1
        OwnMeasureValue.objects.bulk_create(created)
        OwnMeasureValue.objects.bulk_update(updated, ["value", "cohort"])
        OwnMeasureUpload.objects.create(
            measure=measure,
            rows=len(figures),
            created=len(created),
            updated=len(updated),
        )
        audit.record(
            actor,
            verbs.IMPACT_OWN_MEASURE_UPLOADED,
            measure,
            partnership_id=measure.partnership_id,
            rows=len(figures),
            created=len(created),
            updated=len(updated),
        )
    return UploadResult(len(created), len(updated), unchanged)


EXPORT_HEADER = ("school", "urn", "period", "value", "cohort", "measure", "unit")


def export_rows(measure: OwnMeasure) -> list[list]:
    """The measure's figures as rows for a CSV, every text cell neutralised; its name and
    unit in the reader's language (uploads ignore those columns)."""
    rows = [list(EXPORT_HEADER)]
    for v in measure.values.select_related("organisation").order_by("organisation__name", "period"):
        rows.append(
            [
                neutralise(v.organisation.name),
                v.organisation.urn or neutralise(v.organisation.welsh_school_code),
                v.period,
                v.value,
                "" if v.cohort is None else v.cohort,
                neutralise(localised(measure, "name")),
                neutralise(localised(measure, "unit")),
            ]
        )
    return rows
