"""School postcode to British National Grid lookup (geocode_schoolsUK, rebuilt).

It adds no rows of its own: it fills easting and northing on organisations that have a
postcode but no coordinates, so import it after the registers.
"""

from __future__ import annotations

from partnerlens.directory.importers import apply
from partnerlens.directory.importers import values as v
from partnerlens.directory.importers.base import Format, Options, PostcodeRecord, Row


def _grid(raw: str) -> int:
    value = v.integer(raw)
    if value is None:
        raise ValueError("is blank but a grid reference is required")
    if not 0 <= value <= 1_300_000:
        raise ValueError("is outside the British National Grid")
    return value


def parse(row: Row, options: Options) -> PostcodeRecord:
    code = row.required("postcode", "is the key of this file", v.postcode)
    return PostcodeRecord(code, row.get("easting", _grid), row.get("northing", _grid))


FORMAT = Format(
    name="postcode_lookup",
    label="School postcode to grid reference lookup (postcode_lookup)",
    signature=("postcode", "easting", "northing", "source"),
    parse=parse,
    apply=apply.apply_postcodes,
    source="postcode lookup",
)
