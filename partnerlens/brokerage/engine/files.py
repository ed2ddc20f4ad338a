"""The open file format: read schools/needs/offers/pairs CSVs, write matches and unmet needs.

Readers never stop at the first bad row: every problem is collected with its file, line
(the header is line 1), column and reason, and raised together as InputErrors.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from .areas import DEFAULT_AREAS
from .coded import CodedError
from .explain import COMPONENTS
from .geo import wgs84_to_bng
from .model import (
    InputErrors,
    InputProblem,
    Language,
    Match,
    Need,
    Offer,
    Pair,
    Pin,
    School,
    Unmet,
)
from .phases import parse_phase

MATCH_COLUMNS = (
    "need_school_id",
    "area",
    "support_school_id",
    "distance_km",
    "score",
    "explanation",
)
UNMET_COLUMNS = ("need_school_id", "area", "severity", "reason", "detail")

# Generous boxes around Great Britain; a value outside is a typo or swapped columns.
_EASTING = (0.0, 700_000.0)
_NORTHING = (0.0, 1_300_000.0)
_LAT = (49.0, 61.0)
_LON = (-9.0, 2.5)


class _Skip(Exception):
    """A cell was bad; its problem is recorded, the row is dropped."""


@dataclass
class _Row:
    """One data row with helpers that record a problem and skip the row on a bad value."""

    source: str
    line: int
    cells: dict[str, str]
    problems: list[InputProblem]

    def fail(self, column: str | None, code: str, **params):
        self.problems.append(InputProblem(self.source, code, self.line, column, params))
        raise _Skip

    def text(self, column: str, required: bool = True) -> str:
        value = (self.cells.get(column) or "").strip()
        if required and not value:
            self.fail(column, "input.value_missing")
        return value

    def number(self, column: str, low: float, high: float, required: bool = True) -> float | None:
        value = self.text(column, required)
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            self.fail(column, "input.not_number", value=value)
        if not math.isfinite(number) or not low <= number <= high:
            self.fail(column, "input.outside", value=value, low=f"{low:g}", high=f"{high:g}")
        return number

    def integer(self, column: str, low: int, high: int, required: bool = True) -> int | None:
        value = self.text(column, required)
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            self.fail(column, "input.not_whole", value=value)
        if not number.is_integer():
            self.fail(column, "input.not_whole", value=value)
        if not low <= number <= high:
            self.fail(column, "input.outside", value=value, low=f"{low}", high=f"{high}")
        return int(number)


def _rows(path: Path, required: tuple[str, ...], problems: list[InputProblem]) -> Iterator[_Row]:
    source = path.name
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        values = {"error": error.strerror}
        problems.append(InputProblem(source, "input.cannot_open", params=values))
        return
    with handle:
        try:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                problems.append(InputProblem(source, "input.empty_file"))
                return
            columns = [name.strip().lower() for name in header]
            missing = [name for name in required if name not in columns]
            if missing:
                values = {
                    "count": len(missing),
                    "columns": ", ".join(missing),
                    "header": ", ".join(columns),
                }
                problems.append(InputProblem(source, "input.missing_columns", 1, None, values))
                return
            for cells in reader:
                if not any(cell.strip() for cell in cells):
                    continue  # blank lines, e.g. a trailing one
                # A short row simply lacks its last cells; they are reported as missing.
                yield _Row(
                    source, reader.line_num, dict(zip(columns, cells, strict=False)), problems
                )
        except UnicodeDecodeError:
            problems.append(_not_utf8(path))
        except csv.Error as error:
            problems.append(InputProblem(source, "input.not_csv", params={"error": str(error)}))


def _not_utf8(path: Path) -> InputProblem:
    """Name the line of the first byte that is not UTF-8 (the decoder only knows its chunk)."""
    data = path.read_bytes()
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        values = {"byte": f"{data[error.start]:#x}"}
        return InputProblem(path.name, "input.not_utf8_at", line, None, values)
    return InputProblem(path.name, "input.not_utf8")


def _each(rows: Iterator[_Row], parse: Callable[[_Row], object]) -> list:
    parsed = []
    for row in rows:
        try:
            parsed.append(parse(row))
        except _Skip:
            pass
    return parsed


def read_schools(
    path: Path, problems: list[InputProblem], seen_ids: set[str] | None = None
) -> list[School]:
    """schools.csv: school_id,name,phase,easting,northing (or lat,lon),pupils,fsm_pct
    [,capacity_total][,max_km][,language].

    `seen_ids` collects every school_id written, even on rows with other problems, so that
    needs and offers for such a school are not also reported as unknown.
    """
    first_line: dict[str, int] = {}
    degrees: list[tuple[str, float, float]] = []  # converted together: one numpy call
    header = _peek_header(path)
    by_grid = {"easting", "northing"} <= header
    by_degrees = {"lat", "lon"} <= header
    required = ("school_id", "name", "phase", "pupils", "fsm_pct")
    if header and not (by_grid or by_degrees):
        problems.append(InputProblem(path.name, "input.no_position_columns", 1))
        return []

    def parse(row: _Row) -> School:
        school_id = row.text("school_id")
        if school_id in first_line:
            row.fail(
                "school_id", "input.id_repeated", school_id=school_id, line=first_line[school_id]
            )
        first_line[school_id] = row.line
        if seen_ids is not None:
            seen_ids.add(school_id)
        try:
            phase = parse_phase(row.text("phase"))
        except CodedError as error:
            row.fail("phase", error.code, **error.params)
        if by_grid and (row.text("easting", False) or not by_degrees):
            easting = row.number("easting", *_EASTING)
            northing = row.number("northing", *_NORTHING)
        else:
            lat = row.number("lat", *_LAT)
            lon = row.number("lon", *_LON)
            easting = northing = math.nan
            degrees.append((school_id, lat, lon))
        language = row.text("language", False).lower()
        if language and language not in Language:
            row.fail("language", "input.unknown_language", language=language)
        return School(
            school_id=school_id,
            name=row.text("name", False) or school_id,
            phase=phase,
            easting=easting,
            northing=northing,
            pupils=row.integer("pupils", 0, 100_000),
            fsm_pct=row.number("fsm_pct", 0, 100),
            capacity_total=row.integer("capacity_total", 0, 10_000, required=False),
            max_km=row.number("max_km", 0, 2_000, required=False),
            language=Language(language) if language else None,
        )

    schools = _each(_rows(path, required, problems), parse)
    if degrees:
        eastings, northings = wgs84_to_bng([d[1] for d in degrees], [d[2] for d in degrees])
        grid = dict(
            zip((d[0] for d in degrees), zip(eastings, northings, strict=True), strict=True)
        )
        schools = [
            replace(s, easting=float(grid[s.school_id][0]), northing=float(grid[s.school_id][1]))
            if s.school_id in grid
            else s
            for s in schools
        ]
    return schools


def _peek_header(path: Path) -> set[str]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return {name.strip().lower() for name in next(csv.reader(handle), [])}
    except (OSError, UnicodeDecodeError, csv.Error):
        return set()  # _rows reports it


def _need_or_offer(
    path: Path,
    problems: list[InputProblem],
    school_ids: set[str] | None,
    areas: tuple[str, ...],
    extra: tuple[str, ...],
    build: Callable[[_Row, str, str], object],
) -> list:
    first_line: dict[tuple[str, str], int] = {}

    def parse(row: _Row):
        school_id = row.text("school_id")
        if school_ids is not None and school_id not in school_ids:
            row.fail("school_id", "input.not_in_schools_file", school_id=school_id)
        area = row.text("area").lower()
        if area not in areas:
            row.fail("area", "input.unknown_area_known", area_id=area, areas=", ".join(areas))
        if (school_id, area) in first_line:
            line = first_line[(school_id, area)]
            row.fail("area", "input.area_repeated", school_id=school_id, area_id=area, line=line)
        first_line[(school_id, area)] = row.line
        return build(row, school_id, area)

    return _each(_rows(path, ("school_id", "area", *extra), problems), parse)


def read_needs(path, problems, school_ids=None, areas=tuple(DEFAULT_AREAS)) -> list[Need]:
    """needs.csv: school_id,area,severity (1 some, 2 significant, 3 urgent)."""

    def build(row: _Row, school_id: str, area: str) -> Need:
        return Need(school_id, area, row.integer("severity", 1, 3))

    return _need_or_offer(path, problems, school_ids, areas, ("severity",), build)


def read_offers(path, problems, school_ids=None, areas=tuple(DEFAULT_AREAS)) -> list[Offer]:
    """offers.csv: school_id,area,strength (1-3),capacity (schools at once in this area)."""

    def build(row: _Row, school_id: str, area: str) -> Offer:
        return Offer(
            school_id, area, row.integer("strength", 1, 3), row.integer("capacity", 0, 1_000)
        )

    return _need_or_offer(path, problems, school_ids, areas, ("strength", "capacity"), build)


def read_pairs(path, problems, school_ids=None, areas=tuple(DEFAULT_AREAS)) -> list[Pair]:
    """Exclusions or existing relationships: school_a,school_b[,area] (blank area: all areas)."""

    def parse(row: _Row) -> Pair:
        ids = [row.text("school_a"), row.text("school_b")]
        for column, school_id in zip(("school_a", "school_b"), ids, strict=True):
            if school_ids is not None and school_id not in school_ids:
                row.fail(column, "input.not_in_schools_file", school_id=school_id)
        area = row.text("area", False).lower() or None
        if area is not None and area not in areas:
            row.fail("area", "input.unknown_area_known", area_id=area, areas=", ".join(areas))
        return Pair(ids[0], ids[1], area)

    return _each(_rows(path, ("school_a", "school_b"), problems), parse)


def read_pins(path, problems, school_ids=None, areas=tuple(DEFAULT_AREAS)) -> list[Pin]:
    """Pins: need_school_id,area,support_school_id (pairs that must be used)."""

    def parse(row: _Row) -> Pin:
        need_id, support_id = row.text("need_school_id"), row.text("support_school_id")
        for column, school_id in (("need_school_id", need_id), ("support_school_id", support_id)):
            if school_ids is not None and school_id not in school_ids:
                row.fail(column, "input.not_in_schools_file", school_id=school_id)
        area = row.text("area").lower()
        if area not in areas:
            row.fail("area", "input.unknown_area_known", area_id=area, areas=", ".join(areas))
        return Pin(need_id, area, support_id)

    return _each(_rows(path, ("need_school_id", "area", "support_school_id"), problems), parse)


@dataclass
class Instance:
    schools: list[School]
    needs: list[Need]
    offers: list[Offer]
    exclusions: list[Pair]
    relationships: list[Pair]
    pins: list[Pin]


def read_instance(
    schools: Path,
    needs: Path,
    offers: Path,
    *,
    areas: tuple[str, ...] = tuple(DEFAULT_AREAS),
    exclusions: Path | None = None,
    relationships: Path | None = None,
    pins: Path | None = None,
) -> Instance:
    """Read every file, then raise InputErrors with all problems found, or return the data."""
    problems: list[InputProblem] = []
    ids: set[str] = set()
    school_rows = read_schools(Path(schools), problems, ids)
    # If the schools file could not be read at all, checking ids against it would only repeat
    # that one problem once per row.
    ids = ids or None
    instance = Instance(
        schools=school_rows,
        needs=read_needs(Path(needs), problems, ids, areas),
        offers=read_offers(Path(offers), problems, ids, areas),
        exclusions=read_pairs(Path(exclusions), problems, ids, areas) if exclusions else [],
        relationships=(
            read_pairs(Path(relationships), problems, ids, areas) if relationships else []
        ),
        pins=read_pins(Path(pins), problems, ids, areas) if pins else [],
    )
    if problems:
        raise InputErrors(problems)
    return instance


def explanation_line(explanation: dict) -> str:
    """The explanation as one line of values, e.g. `severity=3; strength=2; km=4.2/25; ...`."""
    need, support, context = explanation["need"], explanation["support"], explanation["context"]
    score = explanation["score"]
    parts = {
        "severity": need["severity"],
        "strength": support["strength"],
        "km": f"{explanation['distance_km']:g}/{explanation['limit_km']:g}",
        "pupils": f"{context['need_pupils']}/{context['support_pupils']}",
        "fsm_pct": f"{context['need_fsm_pct']:g}/{context['support_fsm_pct']:g}",
        "relationship": "yes" if explanation["existing_relationship"] else "no",
        "pinned": "yes" if explanation["pinned"] else "no",
        "score": f"{score['total']}/{score['maximum']}",
    }
    points = " ".join(f"{name}={score[name]}" for name in COMPONENTS)
    return "; ".join(f"{k}={v}" for k, v in parts.items()) + f" ({points})"


def write_matches(path: Path, matches: list[Match]) -> None:
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(MATCH_COLUMNS)
        for m in matches:
            writer.writerow(
                [
                    m.need_school_id,
                    m.area,
                    m.support_school_id,
                    f"{m.distance_km:.3f}",
                    m.score,
                    explanation_line(m.explanation),
                ]
            )


def write_unmet(path: Path, unmet: list[Unmet]) -> None:
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(UNMET_COLUMNS)
        for u in unmet:
            detail = "; ".join(f"{k}={v}" for k, v in u.params.items() if k != "area")
            writer.writerow([u.school_id, u.area, u.severity, u.reason.value, detail])
