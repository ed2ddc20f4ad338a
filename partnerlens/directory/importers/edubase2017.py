"""EduBase July 2017 schools with coordinates (geocode_schoolsUK, rebuilt; see its README)."""

from __future__ import annotations

from datetime import date

from partnerlens.directory.importers import apply, mapping
from partnerlens.directory.importers import values as v
from partnerlens.directory.importers.base import Format, Options, OrgRecord, Row


def parse(row: Row, options: Options) -> OrgRecord:
    urn = row.get("urn", v.positive_id)
    name = row.required("name", "a school needs a name")
    school_type = row.get("type", v.text)
    phase_label = row.get("phase", v.text)
    low = row.get("statutory_low_age", v.integer)
    high = row.get("statutory_high_age", v.integer)
    return OrgRecord(
        key=("urn", urn),
        fields={
            "kind": mapping.organisation_kind(school_type),
            "name": name,
            "la_code": row.get("la_code", v.text),
            "la_name": row.get("la_name", v.text),
            "school_type": school_type,
            "phase_label": phase_label,
            "phase": mapping.phase(phase_label, school_type, low, high),
            "low_age": low,
            "high_age": high,
            "gender": row.get("gender", v.text),
            "religious_character": row.get("religious_character", v.text),
            "status": row.get("status", v.text),
            "open_date": row.get("opening_date", v.day),
            "region": row.get("region", v.text),
            "postcode": row.get("postcode", v.postcode),
            "easting": row.get("easting", v.integer),
            "northing": row.get("northing", v.integer),
            "latitude": row.get("lat", v.number),
            "longitude": row.get("lon", v.number),
        },
        as_of=options.as_of,
    )


FORMAT = Format(
    name="edubase_2017_geocoded",
    label="EduBase July 2017 schools with coordinates (schools_geocoded)",
    signature=("urn", "geocode_check", "easting", "northing"),
    parse=parse,
    apply=apply.apply_organisations,
    as_of_default=date(2017, 7, 1),
    source="edubase",
)
