"""GIAS "all establishment data" (``edubasealldataYYYYMMDD.csv``), any layout since 2018/19.

Columns are read by name, so the 133-column 2018/19 header and later ones (which rename,
add and drop columns) all load. ``Trusts (code)`` and ``Federations (code)`` are GIAS Group
UIDs: each gives the school an open membership of that partnership (source "gias").
"""

from __future__ import annotations

from partnerlens.directory.importers import apply, mapping
from partnerlens.directory.importers import values as v
from partnerlens.directory.importers.base import (
    Format,
    GroupRef,
    MeasureValue,
    Options,
    OrgRecord,
    Row,
)


def parse(row: Row, options: Options) -> OrgRecord:
    urn = row.get("URN", v.positive_id)
    name = row.required("EstablishmentName", "a school needs a name")
    school_type = row.get("TypeOfEstablishment (name)", v.text)
    type_group = row.get("EstablishmentTypeGroup (name)", v.text)
    low = row.get("StatutoryLowAge", v.integer)
    high = row.get("StatutoryHighAge", v.integer)
    phase_label = row.get("PhaseOfEducation (name)", v.text)
    welsh = "welsh" in f"{school_type} {type_group}".casefold()
    fields = {
        "kind": mapping.organisation_kind(school_type, type_group),
        "name": name,
        "nation": "wales" if welsh else "england",
        "la_code": row.get("LA (code)", v.text),
        "la_name": row.get("LA (name)", v.text),
        "establishment_number": row.get("EstablishmentNumber", v.text),
        "region": row.get("GOR (name)", v.text),
        "school_type": school_type,
        "phase_label": phase_label,
        "phase": mapping.phase(phase_label, school_type, low, high),
        "low_age": low,
        "high_age": high,
        "gender": row.get("Gender (name)", v.text),
        "religious_character": row.get("ReligiousCharacter (name)", v.text),
        "status": row.get("EstablishmentStatus (name)", v.text),
        "open_date": row.get("OpenDate", v.day),
        "close_date": row.get("CloseDate", v.day),
        "postcode": row.get("Postcode", _postcode),
        "easting": row.get("Easting", v.integer),
        "northing": row.get("Northing", v.integer),
        "capacity": row.get("SchoolCapacity", v.integer),
        "website": row.get("SchoolWebsite", v.text),
        "ukprn": row.get("UKPRN", v.integer),
        "ofsted_rating": row.get("OfstedRating (name)", v.text),
    }
    measures = []
    census_day = row.get("CensusDate", v.day)
    if census_day:
        period = v.academic_year_of(census_day)
        pupils = row.get("NumberOfPupils", v.integer)
        fsm = row.get("PercentageFSM", v.percentage)
        if pupils is not None:
            measures.append(MeasureValue("gias.pupils", period, float(pupils)))
        if fsm is not None:
            measures.append(MeasureValue("gias.fsm_pct", period, fsm))
    groups = []
    trust_uid = row.get("Trusts (code)", _optional_id)
    if trust_uid:
        groups.append(
            GroupRef(
                uid=trust_uid,
                name=row.get("Trusts (name)", v.text),
                kind=mapping.trust_kind(row.get("TrustSchoolFlag (name)", v.text)),
            )
        )
    federation_uid = row.get("Federations (code)", _optional_id)
    if federation_uid:
        groups.append(
            GroupRef(
                uid=federation_uid,
                name=row.get("Federations (name)", v.text),
                kind="federation",
                group_type="Federation",
            )
        )
    changed = row.get("LastChangedDate", v.day)
    return OrgRecord(
        key=("urn", urn), fields=fields, as_of=changed, measures=measures, groups=groups
    )


def _postcode(raw: str) -> str:
    """A postcode GIAS spells oddly is kept as written rather than losing the school."""
    try:
        return v.postcode(raw)
    except ValueError:
        kept = v.text(raw).upper()
        if len(kept) > 10:
            raise ValueError("is not a UK postcode") from None
        return kept


def _optional_id(raw: str) -> int | None:
    return None if v.is_missing(raw) else v.positive_id(raw)


def finish(records: list[OrgRecord], options: Options) -> None:
    """The file is a snapshot as of its latest change (or --as-of), whatever each row's date."""
    as_of = options.as_of or max((r.as_of for r in records if r.as_of), default=None)
    for record in records:
        record.as_of = as_of


FORMAT = Format(
    name="gias_establishments",
    label="GIAS all establishment data (edubasealldata)",
    signature=("URN", "EstablishmentName", "EstablishmentStatus (name)", "LA (code)"),
    parse=parse,
    apply=apply.apply_organisations,
    finish=finish,
    source="gias",
)
