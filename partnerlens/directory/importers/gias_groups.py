"""GIAS "all group records" (``allgroupsdataYYYYMMDD.csv``): trusts, federations, sponsors."""

from __future__ import annotations

from partnerlens.directory.importers import apply, mapping
from partnerlens.directory.importers import values as v
from partnerlens.directory.importers.base import Format, Options, PartnershipRecord, Row


def parse(row: Row, options: Options) -> PartnershipRecord:
    uid = row.get("Group UID", v.positive_id)
    name = row.required("Group Name", "a group needs a name")
    group_type = row.get("Group Type", v.text)
    started = row.get("Incorporated on (open date)", v.day) or row.get("Open date", v.day)
    return PartnershipRecord(
        uid=uid,
        fields={
            "name": name,
            "kind": mapping.partnership_kind(group_type),
            "gias_group_id": row.get("Group ID", v.text),
            "gias_group_type": group_type,
            "companies_house_number": row.get("Companies House Number", v.text),
            "status": row.get("Group Status", v.text),
            "postcode": row.get("Group Postcode", v.postcode),
            "start_date": started,
            "end_date": row.get("Closed Date", v.day),
        },
    )


FORMAT = Format(
    name="gias_groups",
    label="GIAS all group records (allgroupsdata)",
    signature=("Group UID", "Group Name", "Group Type"),
    parse=parse,
    apply=apply.apply_partnerships,
    source="gias",
)
