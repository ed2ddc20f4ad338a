"""DfE local-authority lookup (``la_and_region_codes_meta.csv``): LA code, name and region.

Each LA becomes a partner organisation of kind "local authority" (keyed by its code), and
schools carrying the code get the LA's name and region where they have none yet.
"""

from __future__ import annotations

from datetime import date

from partnerlens.directory.importers import apply, mapping
from partnerlens.directory.importers import values as v
from partnerlens.directory.importers.base import Format, Options, OrgRecord, Row


def _la_code(raw: str) -> str:
    code = raw.strip()
    if not (code.isdigit() and len(code) == 3):
        raise ValueError("is not a three-digit LA code")
    return code


def parse(row: Row, options: Options) -> OrgRecord:
    code = row.get("LEA", _la_code)
    name = row.required("LA Name", "a local authority needs a name")
    return OrgRecord(
        key=("la_code", code),
        fields={
            "kind": "local_authority",
            "name": name,
            "la_code": code,
            "la_name": name,
            "region": mapping.region(row.get("REGION NAME", v.text)),
        },
        as_of=options.as_of,
    )


FORMAT = Format(
    name="dfe_la_codes",
    label="DfE local authority and region codes (la_and_region_codes_meta)",
    signature=("LEA", "LA Name", "REGION NAME"),
    parse=parse,
    apply=apply.apply_local_authorities,
    as_of_default=date(2019, 10, 17),
    source="DfE",
)
