"""GIAS "all establishment links" (``links_edubasealldataYYYYMMDD.csv``): predecessor,
successor, merger and sixth-form links between two URNs."""

from __future__ import annotations

from partnerlens.directory.importers import apply
from partnerlens.directory.importers import values as v
from partnerlens.directory.importers.base import Format, LinkRecord, Options, Row


def parse(row: Row, options: Options) -> LinkRecord:
    link_type = row.required("LinkType", "says what kind of link this is")
    return LinkRecord(
        urn=row.get("URN", v.positive_id),
        link_urn=row.get("LinkURN", v.positive_id),
        link_type=link_type,
        link_name=row.get("LinkName", v.text),
        link_date=row.get("LinkEstablishedDate", v.day),
    )


FORMAT = Format(
    name="gias_establishment_links",
    label="GIAS all establishment links (links_edubasealldata)",
    signature=("URN", "LinkURN", "LinkType"),
    parse=parse,
    apply=apply.apply_establishment_links,
    source="gias",
)
