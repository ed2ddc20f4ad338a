"""Welsh Government national school categorisation: each school's support category.

The publisher's bilingual values ("Yellow/Melyn", "Gwynedd / Gwynedd") are stored by their
English part. Schools are keyed by the seven-digit Welsh school code (LA + establishment).
"""

from __future__ import annotations

from datetime import date

from partnerlens.directory.importers import apply, mapping
from partnerlens.directory.importers import values as v
from partnerlens.directory.importers.base import (
    Format,
    MeasureValue,
    Options,
    OrgRecord,
    Row,
)

CATEGORIES = ("Green", "Yellow", "Amber", "Red")


def english(raw: str) -> str:
    return v.text(raw).split("/")[0].strip()


def _school_code(raw: str) -> str:
    code = raw.strip()
    if not (code.isdigit() and len(code) == 7):
        raise ValueError("is not a seven-digit Welsh school code")
    return code


def _category(raw: str) -> str:
    value = english(raw).capitalize()
    if value not in CATEGORIES:
        raise ValueError("is not a support category (Green, Yellow, Amber or Red)")
    return value


def parse(row: Row, options: Options) -> OrgRecord:
    code = row.get("school_code", _school_code)
    name = row.required("school_name", "a school needs a name")
    category = row.get("support_category", _category)
    return OrgRecord(
        key=("welsh_school_code", code),
        fields={
            "kind": "school",
            "nation": "wales",
            "name": name,
            "la_code": code[:3],
            "establishment_number": code[3:],
            "la_name": row.get("local_authority", english),
            "region": row.get("consortium", english),
            "phase": mapping.welsh_phase(code),
        },
        as_of=options.as_of,
        measures=[MeasureValue("wales.support_category", options.period, value_text=category)],
    )


FORMAT = Format(
    name="wales_support_categories",
    label="Welsh national school categorisation: support categories",
    signature=("school_code", "support_category"),
    parse=parse,
    apply=apply.apply_organisations,
    needs_period=True,
    period_default="2019-20",
    as_of_default=date(2020, 1, 15),
    source="Welsh Government categorisation",
)
