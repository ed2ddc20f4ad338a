"""Every table of every page template sits in its own sideways-scrolling region.

GOV.UK's pattern for wide tables on a phone: the table scrolls inside a keyboard-reachable
region (``pl-table-scroll``, ``role="region"``, ``tabindex="0"``, named), so the page itself
never scrolls sideways at 320 px. partnerlens.js wraps any table a template left bare, but a
page must not depend on script for that, so the templates wrap their own.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRINT_ONLY = {"report_pdf.html"}  # laid out for paper by WeasyPrint, never on a screen
# Partials whose includers wrap them: partial -> (the including template, its wrapper).
INCLUDED = {"_table.html": ("insights/_section.html", '"insights/_table.html"')}
OPENING = re.compile(r'<div class="pl-table-scroll"([^>]*)>\s*$')


def _tables():
    for path in sorted(ROOT.glob("**/templates/**/*.html")):
        if path.name in PRINT_ONLY or path.name in INCLUDED:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            if re.search(r"<table\b", line):
                yield path, number, lines[number - 1] if number else ""


def test_every_table_is_wrapped_in_a_named_keyboard_reachable_region():
    bare = []
    for path, number, before in _tables():
        opening = OPENING.search(before)
        attributes = opening.group(1) if opening else ""
        named = "aria-label=" in attributes or "aria-labelledby=" in attributes
        if not (
            opening and 'role="region"' in attributes and 'tabindex="0"' in attributes and named
        ):
            bare.append(f"{path.relative_to(ROOT)}:{number + 1}")
    assert not bare, "tables without a named scrolling region: " + ", ".join(bare)


def test_the_check_finds_tables_at_all():
    assert sum(1 for _ in _tables()) >= 15


def test_the_partials_are_wrapped_where_they_are_included():
    for including, include in INCLUDED.values():
        (path,) = ROOT.glob(f"**/templates/{including}")
        for line in path.read_text(encoding="utf-8").splitlines():
            if include in line:
                assert 'class="' in line and "pl-table-scroll" in line, line
                assert 'role="region"' in line and 'tabindex="0"' in line, line
                assert "aria-label=" in line, line
