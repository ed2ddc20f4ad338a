"""The shapes every importer shares: a row being read, the records it yields, a format.

Parsing is pure (cells in, dataclasses out, no database) so each format's rules are tested
without Django; the apply layer (``apply.py``) is the only part that writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from partnerlens.directory.importers import values
from partnerlens.directory.importers.reading import REPLACEMENT, normalise


class RowError(Exception):
    """One reason a row was rejected, with the column it concerns."""

    def __init__(self, reason: str, column: str = "", value: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.column = column
        self.value = value


@dataclass(frozen=True)
class Skip:
    """A valid row the format deliberately leaves out (e.g. an LA total line)."""

    reason: str


@dataclass
class Options:
    period: str = ""  # academic year for measures, resolved before parsing
    as_of: date | None = None  # date of the snapshot, for formats without one in the data
    source: str = ""  # short label stored on measures and memberships


class Row:
    """One data row: cells looked up by column name, parsed with the column named in errors."""

    def __init__(self, line: int, cells: list[str], columns: dict[str, str]):
        self.line = line
        self._by_name = dict(zip(columns, cells, strict=True))
        self._columns = columns

    def has(self, column: str) -> bool:
        return normalise(column) in self._by_name

    def raw(self, column: str) -> str:
        return self._by_name.get(normalise(column), "")

    def get(self, column: str, parse: Callable[[str], Any]) -> Any:
        """The cell parsed by ``parse``; a ValueError becomes a RowError naming the column."""
        raw = self.raw(column)
        shown = self._columns.get(normalise(column), column)
        if REPLACEMENT in raw:
            raise RowError("contains bytes that are not valid in the file's encoding", shown, raw)
        try:
            return parse(raw)
        except ValueError as error:
            raise RowError(str(error), shown, raw) from None

    def required(self, column: str, needed_because: str, parse: Callable[[str], Any] = values.text):
        """Like ``get``, but a blank cell rejects the row: "is blank but <needed_because>"."""
        value = self.get(column, parse)
        if not value:
            raise RowError(f"is blank but {needed_because}", column, "")
        return value


@dataclass
class MeasureValue:
    measure: str
    period: str
    value: float | None = None
    value_text: str = ""


@dataclass
class GroupRef:
    """A partnership an organisation belongs to, as one source names it."""

    uid: int | None  # GIAS Group UID when known
    name: str
    kind: str
    group_type: str = ""
    joined: date | None = None


@dataclass
class OrgRecord:
    """An organisation as one row describes it.

    ``key`` is ("urn", 100492), ("welsh_school_code", "6604025") or ("la_code", "202") for a
    local authority. ``as_of`` is the date of the register snapshot: its fields replace
    stored ones unless the stored details come from a later snapshot. Without ``as_of`` the
    row only fills blanks (and creates a placeholder school if the key is new).
    """

    key: tuple[str, Any]
    fields: dict[str, Any]
    as_of: date | None = None
    measures: list[MeasureValue] = field(default_factory=list)
    groups: list[GroupRef] = field(default_factory=list)


@dataclass
class PartnershipRecord:
    uid: int
    fields: dict[str, Any]


@dataclass
class GroupLinkRecord:
    """One establishment's membership of one GIAS group (All group links file)."""

    urn: int
    uid: int
    joined: date | None
    group: dict[str, Any]
    establishment: dict[str, Any]


@dataclass
class LinkRecord:
    urn: int
    link_urn: int
    link_type: str
    link_name: str
    link_date: date | None


@dataclass
class PostcodeRecord:
    postcode: str
    easting: int
    northing: int


@dataclass(frozen=True)
class Format:
    """A supported file format: how to recognise it, read a row, and write what it read."""

    name: str
    label: str
    signature: tuple[str, ...]  # columns whose presence identifies the format
    parse: Callable[[Row, Options], Any]
    apply: Callable[[list[Any], Options], list[str]]
    period_default: str = ""  # academic year when neither --period nor the path gives one
    as_of_default: date | None = None
    needs_period: bool = False
    source: str = ""  # stored on measures and memberships
    finish: Callable[[list[Any], Options], None] | None = None  # after all rows are read
    # DfE performance tables leave out a row's trailing empty cells (a new school's line
    # stops after its address; P8_BANDING is dropped when blank): read them as blank.
    short_rows_blank: bool = False

    def matches(self, columns: set[str]) -> bool:
        return all(normalise(c) in columns for c in self.signature)
