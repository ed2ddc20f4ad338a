"""Trafford Data Lab's schools and colleges file (a GIAS extract for one LA, 2023).

Besides the school itself it names the sponsoring trust; that becomes an open membership of
the trust (matched by name and kind, or created) with source "trafford".
"""

from __future__ import annotations

from datetime import date

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


def _coordinate(low: float, high: float):
    def parse(raw: str) -> float | None:
        value = v.number(raw)
        if value is not None and not low <= value <= high:
            raise ValueError(f"is outside {low} to {high}, so not in Great Britain")
        return value

    return parse


def parse(row: Row, options: Options) -> OrgRecord:
    urn = row.get("unique_reference_number", v.positive_id)
    name = row.required("name", "a school needs a name")
    school_type = row.get("type", v.text)
    low = row.get("lowest_admission_age", v.integer)
    high = row.get("highest_admission_age", v.integer)
    fields = {
        "kind": mapping.organisation_kind(school_type),
        "name": name,
        "la_code": row.get("local_authority_code", v.text),
        "establishment_number": row.get("establishment_number", v.text),
        "school_type": school_type,
        "phase": mapping.phase("", school_type, low, high),
        "low_age": low,
        "high_age": high,
        "gender": row.get("gender", v.text),
        "religious_character": row.get("religion", v.text),
        "capacity": row.get("capacity", v.integer),
        "ofsted_rating": row.get("ofsted_rating", v.text),
        "website": row.get("website", v.text),
        "postcode": row.get("postcode", v.postcode),
        "latitude": row.get("lat", _coordinate(49.0, 61.0)),
        "longitude": row.get("lon", _coordinate(-8.5, 2.0)),
    }
    as_of = options.as_of
    measures = []
    fsm = row.get("percent_fsm", v.percentage)
    if fsm is not None and as_of:
        measures.append(MeasureValue("gias.fsm_pct", v.academic_year_of(as_of), fsm))
    groups = []
    trust = row.get("sponsoring_trust", v.text)
    if trust:
        kind = mapping.trust_kind(row.get("trust_type", v.text))
        groups.append(GroupRef(uid=None, name=trust, kind=kind))
    return OrgRecord(key=("urn", urn), fields=fields, as_of=as_of, measures=measures, groups=groups)


FORMAT = Format(
    name="trafford_schools",
    label="Trafford schools and colleges (Trafford Data Lab)",
    signature=("unique_reference_number", "sponsoring_trust", "local_authority_code"),
    parse=parse,
    apply=apply.apply_organisations,
    as_of_default=date(2023, 4, 27),
    source="trafford",
)
