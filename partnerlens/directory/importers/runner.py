"""Importing one file: read, recognise, validate every row, then apply in one transaction."""

from __future__ import annotations

import hashlib
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import DatabaseError, transaction
from tqdm import tqdm

from partnerlens.audit import services as audit
from partnerlens.audit import verbs
from partnerlens.directory.importers import values
from partnerlens.directory.importers.base import (
    Format,
    GroupLinkRecord,
    LinkRecord,
    Options,
    OrgRecord,
    PartnershipRecord,
    PostcodeRecord,
    Row,
    RowError,
    Skip,
)
from partnerlens.directory.importers.reading import UnreadableFile, read_table
from partnerlens.directory.importers.registry import describe_known, recognise
from partnerlens.directory.models import EstablishmentLink, Organisation, Partnership
from partnerlens.directory.signals import data_imported

PROGRESS_FROM_ROWS = 2000


@dataclass
class Rejection:
    line: int
    column: str
    reason: str
    value: str | None = None

    def describe(self, path: Path) -> str:
        where = f"{path}: line {self.line}"
        if self.column:
            where += f", column {self.column!r}"
        shown = f" (value {self.value!r})" if self.value not in (None, "") else ""
        return f"{where}: {self.reason}{shown}"


@dataclass
class FileReport:
    path: Path
    format: Format | None = None
    encoding: str = ""
    period: str = ""
    dry_run: bool = False
    counts: Counter = field(default_factory=Counter)
    rejections: list[Rejection] = field(default_factory=list)
    skips: Counter = field(default_factory=Counter)
    failure: str = ""  # why nothing from this file was applied

    @property
    def ok(self) -> bool:
        return not self.failure

    def summary(self) -> str:
        if self.failure:
            return f"{self.path}: NOT IMPORTED. {self.failure}"
        c = self.counts
        verb = "would be" if self.dry_run else ""
        text = (
            f"{self.path} [{self.format.label}{', ' + self.period if self.period else ''}]: "
            f"{c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged, "
            f"{len(self.rejections)} rejected"
        )
        if self.skips:
            text += f", {sum(self.skips.values())} skipped ("
            text += "; ".join(f"{n} {reason}" for reason, n in self.skips.most_common()) + ")"
        if verb:
            text += " - dry run, nothing saved"
        return text

    def rejection_lines(self) -> list[str]:
        return [r.describe(self.path) for r in self.rejections]


def record_key(record: Any) -> tuple:
    """What makes two rows of one file describe the same thing (a repeat is rejected)."""
    match record:
        case OrgRecord():
            return record.key
        case PartnershipRecord():
            return ("uid", record.uid)
        case GroupLinkRecord():
            return (record.urn, record.uid)
        case LinkRecord():
            return (record.urn, record.link_urn, record.link_type)
        case PostcodeRecord():
            return (record.postcode,)
    raise TypeError(record)


def _limits(model) -> dict[str, int]:
    return {
        f.name: f.max_length
        for f in model._meta.get_fields()
        if getattr(f, "max_length", None) and hasattr(f, "attname")
    }


_ORGANISATION, _PARTNERSHIP, _LINK = (
    _limits(Organisation),
    _limits(Partnership),
    _limits(EstablishmentLink),
)


def check_lengths(record: Any) -> None:
    """Reject a value the database column cannot hold before the transaction starts
    (PostgreSQL refuses it and would roll back the whole file; SQLite would keep it)."""
    match record:
        case OrgRecord():
            checks = [(record.fields, _ORGANISATION)]
        case PartnershipRecord():
            checks = [(record.fields, _PARTNERSHIP)]
        case GroupLinkRecord():
            checks = [(record.group, _PARTNERSHIP), (record.establishment, _ORGANISATION)]
        case LinkRecord():
            checks = [({"link_type": record.link_type, "link_name": record.link_name}, _LINK)]
        case _:
            checks = []
    for fields, limits in checks:
        for name, value in fields.items():
            limit = limits.get(name)
            if limit and isinstance(value, str) and len(value) > limit:
                raise RowError(f"is longer than the {limit} characters allowed", name, value)


def resolve_options(fmt: Format, path: Path, period: str | None, as_of: date | None) -> Options:
    found = values.academic_year_in(path.name) or values.academic_year_in(path.parent.name)
    chosen = period or (found if fmt.needs_period else "") or fmt.period_default
    return Options(
        period=chosen if fmt.needs_period else "",
        as_of=as_of or fmt.as_of_default,
        source=fmt.source,
    )


def import_file(
    path: Path | str,
    *,
    dry_run: bool = False,
    period: str | None = None,
    as_of: date | None = None,
    progress: bool = False,
) -> FileReport:
    path = Path(path)
    report = FileReport(path=path, dry_run=dry_run)
    try:
        table = read_table(path)
    except (OSError, UnreadableFile) as error:
        report.failure = f"Could not read it: {error}."
        return report
    report.encoding = table.encoding
    fmt = recognise(set(table.columns))
    if fmt is None:
        report.failure = (
            "Its header is not one of the known formats. It starts: "
            f"{', '.join(table.header[:8])}{', ...' if len(table.header) > 8 else ''}.\n"
            f"Known formats (recognised by these columns):\n{describe_known()}"
        )
        return report
    report.format = fmt
    options = resolve_options(fmt, path, period, as_of)
    report.period = options.period

    records, seen = [], {}
    rows = table.rows()
    if progress and table.line_count > PROGRESS_FROM_ROWS:
        rows = tqdm(
            rows, total=table.line_count, desc=path.name, unit=" rows", file=sys.stderr, leave=False
        )
    width = len(table.header)
    for line, cells in rows:
        if fmt.short_rows_blank and len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        if len(cells) != width:
            report.rejections.append(
                Rejection(
                    line,
                    "",
                    f"has {len(cells)} fields but the header has {width}"
                    + (" (truncated row?)" if len(cells) < width else ""),
                )
            )
            continue
        try:
            parsed = fmt.parse(Row(line, cells, table.columns), options)
            if isinstance(parsed, Skip):
                report.skips[parsed.reason] += 1
                continue
            check_lengths(parsed)
            key = record_key(parsed)
            if key in seen:
                raise RowError(f"repeats the record on line {seen[key]}")
            seen[key] = line
            records.append(parsed)
        except RowError as error:
            report.rejections.append(Rejection(line, error.column, error.reason, error.value))
    if not records:
        report.failure = "No valid rows were found" + (
            f" ({len(report.rejections)} rejected)." if report.rejections else "."
        )
        return report
    if fmt.finish:
        fmt.finish(records, options)

    try:
        with transaction.atomic():
            outcomes = fmt.apply(records, options)
            report.counts.update(outcomes)
            audit.record(
                None,
                verbs.DATA_IMPORTED,
                None,
                file=str(path),
                sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                format=fmt.name,
                period=options.period,
                created=report.counts["created"],
                updated=report.counts["updated"],
                unchanged=report.counts["unchanged"],
                rejected=len(report.rejections),
            )
            data_imported.send(sender=fmt.__class__, format=fmt.name, counts=dict(report.counts))
            if dry_run:
                transaction.set_rollback(True)
    except DatabaseError as error:
        report.counts.clear()
        report.failure = f"The database refused it ({error}); nothing from this file was saved."
    return report
