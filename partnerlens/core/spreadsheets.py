"""Cells that are safe to open in a spreadsheet: the one formula neutraliser every download
of a table calls (CSV or XLSX, results or reflections).

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some,
tab or carriage return) as a formula, so a comment such as ``=HYPERLINK(...)`` could act when
someone opens the file (CSV/formula injection, OWASP). Every text cell that starts with one
of those characters gets a leading apostrophe, which spreadsheets show as text; numbers stay
numbers, so a negative difference is still a number.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell value that no spreadsheet will run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
