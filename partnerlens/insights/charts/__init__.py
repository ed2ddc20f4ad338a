"""Server-side SVG charts (Altair + vl-convert), each with a data table alternative.

Every function returns ``ChartOutput(svg, table)``; ``table`` is
``{"caption", "headers", "rows", "notes"}`` with hidden groups shown as "not enough
responses to show". No Django here: pass ``translate=gettext`` from the calling view.
"""

from __future__ import annotations

from .base import ChartOutput
from .maturity import continuum_grid, deep_tight_scatter, strand_bars
from .scores import role_gap_dots, theme_bars, trend_lines

__all__ = [
    "ChartOutput",
    "continuum_grid",
    "deep_tight_scatter",
    "role_gap_dots",
    "strand_bars",
    "theme_bars",
    "trend_lines",
]
