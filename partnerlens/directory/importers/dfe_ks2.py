"""DfE KS2 school performance (``england_ks2final.csv``, ``<year>_<la>_ks2final.csv``).

Columns are read by name (DfE's metadata file for each year names them; positions and the
column set change between years, and an unknown extra column is ignored). School lines only
(RECTYPE 1 mainstream, 2 special); LA (3) and national (4, 5) lines are skipped. The
suppression codes SUPP, NE, NP, LOWCOV, NA and a blank cell mean "no value" (``values.MISSING``);
"NEW" (a new school with no eligible pupils) too. A row's trailing empty cells may be left out,
as DfE writes them.

A converter academy's line names its academy URN in ``URN_AC`` (0 or blank when none): that is
stored as a GIAS-style successor link, so the panel continues the school's series under its
new URN (``impact.panel``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from partnerlens.directory.importers import apply, measures
from partnerlens.directory.importers import values as v
from partnerlens.directory.importers.base import (
    Format,
    LinkRecord,
    Options,
    OrgRecord,
    Row,
    RowError,
    Skip,
)
from partnerlens.directory.models import EstablishmentLink

SUCCESSOR = "Successor"


def open_date(raw: str | None) -> date | None:
    """OPEN_AC as DfE writes it, ``20170401``, or as a usual date; blank is no date."""
    value = (raw or "").strip()
    if len(value) == 8 and value.isdigit():
        try:
            return date(int(value[:4]), int(value[4:6]), int(value[6:]))
        except ValueError:
            raise ValueError("is not a real date") from None
    return v.day(value)


SPEC: measures.Spec = (
    ("TELIG", "ks2.pupils", measures.count),
    ("PTRWM_EXP", "ks2.rwm_exp_pct", v.percentage),
    ("PTRWM_HIGH", "ks2.rwm_high_pct", v.percentage),
    ("READPROG", "ks2.read_progress", v.number),
    ("READPROG_LOWER", "ks2.read_progress_ci_low", v.number),
    ("READPROG_UPPER", "ks2.read_progress_ci_high", v.number),
    ("WRITPROG", "ks2.writ_progress", v.number),
    ("WRITPROG_LOWER", "ks2.writ_progress_ci_low", v.number),
    ("WRITPROG_UPPER", "ks2.writ_progress_ci_high", v.number),
    ("MATPROG", "ks2.mat_progress", v.number),
    ("MATPROG_LOWER", "ks2.mat_progress_ci_low", v.number),
    ("MATPROG_UPPER", "ks2.mat_progress_ci_high", v.number),
    ("PTFSM6CLA1A", "ks2.disadvantaged_pct", v.percentage),
    ("TKS1AVERAGE", "ks2.ks1_average", v.number),
    # The cohort's context (for comparison families where no census figure is held).
    ("PTEALGRP2", "ks2.eal_pct", v.percentage),
    ("PSENELK", "ks2.sen_support_pct", v.percentage),
    ("PSENELE", "ks2.ehcp_pct", v.percentage),
    ("TOTPUPS", "ks2.roll", measures.count),
)
# Without these a file cannot be read as KS2: which school, and the headline figure.
KEY_COLUMNS = ("RECTYPE", "URN", "TELIG", "PTRWM_EXP")


@dataclass
class Ks2Record(OrgRecord):
    successor: LinkRecord | None = None


def successor(row: Row, urn: int) -> LinkRecord | None:
    """The converter academy this school became, from URN_AC (0 or blank: none)."""
    if not row.has("URN_AC"):
        return None
    academy = row.get("URN_AC", v.integer)
    if not academy or academy == urn:
        return None
    if academy > 2_147_483_647:
        raise RowError("is too large to be a URN", "URN_AC", row.raw("URN_AC"))
    return LinkRecord(
        urn=urn,
        link_urn=academy,
        link_type=SUCCESSOR,
        link_name=row.get("SCHNAME_AC", v.text)[:255] if row.has("SCHNAME_AC") else "",
        link_date=row.get("OPEN_AC", open_date) if row.has("OPEN_AC") else None,
    )


# The headline of KS2 tables before 2016 (levels), not comparable with the expected standard.
LEVELS_HEADLINE = "PTREADWRITTAMATX"


def parse(row: Row, options: Options) -> Ks2Record | Skip:
    if not options.period:
        raise RowError(
            "cannot be dated: neither the file's name nor its folder names an academic year "
            "(import it with --period 2018-19)"
        )
    if row.has(LEVELS_HEADLINE) and not row.has("PTRWM_EXP"):
        raise RowError(
            "is a KS2 table from before 2016 (levels): its results cannot be compared with "
            "the expected standard of later years, so it is not imported",
            LEVELS_HEADLINE,
        )
    measures.require_columns(row, KEY_COLUMNS, "KS2 performance")
    if skip := measures.school_row(row):
        return skip
    found = measures.figures(row, options.period, SPEC)
    record = measures.record(row, found, la="LEA", estab="ESTAB", name="SCHNAME")
    if isinstance(record, Skip):
        return record
    return Ks2Record(
        key=record.key,
        fields=record.fields,
        measures=record.measures,
        successor=successor(row, record.key[1]),
    )


def add_missing_links(links: list[LinkRecord]) -> list[str]:
    """The academy links the file names that are not stored yet. A stored link is left as it
    is (GIAS is the authority on its name and date, and two years' files may word it
    differently), so importing the files again, in any order, changes nothing."""
    stored = set()
    for batch in apply.chunks({r.urn for r in links}):
        stored |= set(
            EstablishmentLink.objects.filter(urn__in=batch).values_list(
                "urn", "link_urn", "link_type"
            )
        )
    new = {(r.urn, r.link_urn, r.link_type): r for r in links}
    wanted = [r for key, r in new.items() if key not in stored]
    EstablishmentLink.objects.bulk_create(
        batch_size=apply.BATCH,
        objs=[
            EstablishmentLink(
                urn=r.urn,
                link_urn=r.link_urn,
                link_type=r.link_type,
                link_name=r.link_name,
                link_date=r.link_date,
            )
            for r in wanted
        ],
    )
    made = {(r.urn, r.link_urn, r.link_type) for r in wanted}
    return [
        apply.CREATED if (r.urn, r.link_urn, r.link_type) in made else apply.UNCHANGED
        for r in links
    ]


def apply_records(records: list[Ks2Record], options: Options) -> list[str]:
    """Schools and figures, then the academy links the file names."""
    outcomes = apply.apply_organisations(records, options)
    linked = [(i, r.successor) for i, r in enumerate(records) if r.successor]
    if linked:
        for (i, _), outcome in zip(
            linked, add_missing_links([link for _, link in linked]), strict=True
        ):
            outcomes[i] = apply.strongest(outcomes[i], outcome)
    return outcomes


FORMAT = Format(
    name="dfe_ks2",
    label="DfE KS2 school performance (england_ks2final / <year>_<LA>_ks2final)",
    signature=("RECTYPE", "URN", "TELIG"),
    parse=parse,
    apply=apply_records,
    needs_period=True,  # from the file's name or folder, or --period; no default
    source="DfE KS2 performance tables",
    short_rows_blank=True,
)
