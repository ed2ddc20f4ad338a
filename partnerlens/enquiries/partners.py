"""Which partners a re-survey asks about: the hook for ties that are new or have changed.

A cycle with ``relationships_asked = "changed"`` asks each person about only those partners
whose tie with the person's organisation is new or has changed since the partnership's
previous published cycle; the other pairs keep the level that cycle's results showed. Only
the apps above enquiries know ties (support relationships, released levels), and enquiries
may not import them, so one of them registers the rule here: ``network.resurvey.register``,
called from the network app's ``ready()``.

The hook is ``fn(cycle, organisation_id, partner_ids) -> Collection[int] | None``: of
``partner_ids`` (the current members the question could ask about), those whose tie with
``organisation_id`` is new or has changed, or None when it cannot tell (no earlier published
cycle to compare with), and then everyone is asked about every partner, as they are when no
hook is registered. It works on organisations only, never on anyone's earlier answers, so it
cannot weaken a cycle's anonymity.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

ChangedPartners = Callable[[Any, int, Collection[int]], Collection[int] | None]

_hook: ChangedPartners | None = None


def register_changed_partners(fn: ChangedPartners | None) -> ChangedPartners | None:
    """Register the rule (None removes it); returns the one it replaces."""
    global _hook
    previous, _hook = _hook, fn
    return previous


def changed_partners(
    cycle, organisation_id: int | None, partner_ids: Collection[int]
) -> frozenset[int] | None:
    """Which of ``partner_ids`` to ask ``organisation_id``'s people about in a "changed"
    cycle, or None for all of them: no hook, no organisation to compare, or nothing to
    compare with."""
    if _hook is None or organisation_id is None:
        return None
    found = _hook(cycle, organisation_id, partner_ids)
    return None if found is None else frozenset(found) & frozenset(partner_ids)
