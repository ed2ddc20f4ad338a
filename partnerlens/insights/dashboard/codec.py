"""A built ``Dashboard`` as JSON and back, for releases (``insights.models.Release``).

JSON only (never pickle): a stored release is plain data that any later version can read.
The page part (title, figures, summary, sections with their charts and printed tables) and
the download tables are stored apart, so the page never parses tens of thousands of
download rows. Numbers that are not finite (NaN) are stored as None: they are never shown
as figures (a hidden group is text), and PostgreSQL's JSON refuses NaN.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from django.utils.functional import Promise

from partnerlens.insights.dashboard.parts import Dashboard, ExportTable, Section, Table

# Bump when the stored shape changes in a way old readers cannot follow.
VERSION = 1


def _value(value: Any) -> Any:
    if isinstance(value, Promise):  # a lazy translation: the text in the active language
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (list, tuple)):
        return [_value(v) for v in value]
    if isinstance(value, (frozenset, set)):
        return sorted(_value(v) for v in value)
    if isinstance(value, dict):
        return {str(k): _value(v) for k, v in value.items()}
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return _value(value.item())
    return value


def _table(table: Table) -> dict:
    return {
        "caption": str(table.caption),
        "headers": [str(h) for h in table.headers],
        "rows": _value(table.rows),
        "notes": [str(n) for n in table.notes],
        "numeric": sorted(int(i) for i in table.numeric),
    }


def _section(section: Section) -> dict:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(section):
        value = getattr(section, f.name)
        if f.name == "tables":
            out["tables"] = [_table(t) for t in value]
        elif isinstance(value, str):
            out[f.name] = str(value)  # lazy translations become text here
        else:
            out[f.name] = _value(value)
    return out


def encode_page(dashboard: Dashboard) -> dict:
    """Everything the page and the PDF show (not the download tables)."""
    out: dict[str, Any] = {"version": VERSION}
    for f in dataclasses.fields(dashboard):
        if f.name in ("export_parts", "protected"):
            continue
        value = getattr(dashboard, f.name)
        if f.name == "sections":
            out["sections"] = [_section(s) for s in value]
        elif f.name == "summary":
            out["summary"] = [str(s) for s in value]
        elif isinstance(value, str):
            out[f.name] = str(value)
        else:
            out[f.name] = _value(value)
    return out


def _cell(value: Any) -> Any:
    """One download cell (the common kinds first: tens of thousands of rows)."""
    kind = value.__class__
    if kind is str or kind is int or value is None:
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    return _value(value)


def encode_exports(dashboard: Dashboard) -> list[dict]:
    return [
        {
            "key": t.key,
            "title": str(t.title),
            "headers": [str(h) for h in t.headers],
            "rows": [[_cell(v) for v in row] for row in t.rows],
        }
        for t in dashboard.exports
    ]


def _decode_section(data: dict) -> Section:
    names = {f.name for f in dataclasses.fields(Section)}
    values = {k: v for k, v in data.items() if k in names and k not in ("svg", "tables")}
    section = Section(**values)
    # Set after construction: the stored chart is already padded (``parts.padded``).
    section.svg = data.get("svg", "")
    section.tables = [
        Table(t["caption"], t["headers"], t["rows"], t["notes"], frozenset(t["numeric"]))
        for t in data.get("tables", [])
    ]
    return section


def decode(page: dict, exports: list[dict] | None = None) -> Dashboard:
    """A Dashboard read from a release; its ``exports`` are the stored tables (empty when
    ``exports`` is None, as on the page, which shows none of them)."""
    if page.get("version") != VERSION:
        raise ValueError(f"stored dashboard version {page.get('version')!r} is not {VERSION}")
    names = {f.name for f in dataclasses.fields(Dashboard)} - {"export_parts", "protected"}
    values = {k: v for k, v in page.items() if k in names}
    values["sections"] = [_decode_section(s) for s in page.get("sections", [])]
    tables = [ExportTable(t["key"], t["title"], t["headers"], t["rows"]) for t in exports or []]
    return Dashboard(**values, export_parts=[lambda: tables])
