"""The minimum group size enquiries pages respect, supplied by a layer above.

The partnership's minimum lives in insights' settings, which enquiries may not import (the
layers run the other way). Insights registers a provider when it starts
(``insights/apps.py``); without one the default applies. The result is never below
``FLOOR``: smaller groups let people work out each other's answers.
"""

from __future__ import annotations

from collections.abc import Callable

DEFAULT_MINIMUM = 5
FLOOR = 3

_provider: Callable[[object], int] | None = None


def register_minimum_provider(provider: Callable[[object], int]) -> None:
    """``provider(cycle)`` returns the partnership's minimum group size; the last one wins."""
    global _provider
    _provider = provider


def minimum_group_size(cycle) -> int:
    value = _provider(cycle) if _provider is not None else DEFAULT_MINIMUM
    return max(FLOOR, int(value or DEFAULT_MINIMUM))
