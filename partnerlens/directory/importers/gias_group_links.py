"""GIAS "all group links" (``alllinksdataYYYYMMDD.csv``): which establishment is in which
group, and since when ("Joined date"). One row per establishment per group.

No copy of the file could be brought into the repository (see docs/data.md for where the
header comes from); the importer follows the published column names.
"""

from __future__ import annotations

from partnerlens.directory.importers import apply, mapping
from partnerlens.directory.importers import values as v
from partnerlens.directory.importers.base import Format, GroupLinkRecord, Options, Row


def parse(row: Row, options: Options) -> GroupLinkRecord:
    school_type = row.get("TypeOfEstablishment (name)", v.text)
    phase_label = row.get("PhaseOfEducation (name)", v.text)
    group_type = row.get("Group Type", v.text)
    return GroupLinkRecord(
        urn=row.get("URN", v.positive_id),
        uid=row.get("Group UID", v.positive_id),
        joined=row.get("Joined date", v.day),
        group={
            "name": row.get("Group Name", v.text),
            "kind": mapping.partnership_kind(group_type),
            "gias_group_type": group_type,
        },
        establishment={
            "kind": mapping.organisation_kind(school_type),
            "name": row.get("EstablishmentName", v.text),
            "school_type": school_type,
            "phase_label": phase_label,
            "phase": mapping.phase(phase_label, school_type),
            "la_code": row.get("LA (code)", v.text),
            "la_name": row.get("LA (name)", v.text),
        },
    )


FORMAT = Format(
    name="gias_group_links",
    label="GIAS all group links (alllinksdata)",
    signature=("URN", "Group UID", "Group Name", "Group Type", "Joined date"),
    parse=parse,
    apply=apply.apply_group_links,
    source="gias",
)
