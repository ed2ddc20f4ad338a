"""The words for the network's codes (levels, sources, isolation), in the reader's language.

The snapshot stores codes (``models.Snapshot``); the pages word them through these tables,
so a code added to the engine without a word here shows as itself rather than failing.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partnerlens.directory.models import PartnershipKind
from partnerlens.network.analytics.graph import LEVEL_CODES

LEVELS = {
    "none": pgettext_lazy("tie level", "No stated level"),
    "networking": _("Networking"),
    "coordination": _("Co-ordination"),
    "cooperation": _("Co-operation"),
    "collaboration": _("Collaboration"),
}
# The engine's level codes are the one order: depth is the index, the legend and the depth
# table list them deepest first.
DEPTH = {code: depth for depth, code in enumerate(LEVEL_CODES)}
LEVEL_ORDER = tuple(reversed(LEVEL_CODES))

SOURCES = {
    "membership": _("shared partnership"),
    "relationship": _("survey answer"),
    "support": _("brokered support"),
    "review": _("peer review"),
}

ISOLATION = {
    "no_tie": _("No tie at all"),
    "no_deep_tie": _("No tie at co-operation level or deeper"),
    "connected": _("Works with others at co-operation level or deeper"),
}


def level(code) -> str:
    return str(LEVELS.get(code, code or "")) if code else ""


def sources(codes) -> str:
    return ", ".join(str(SOURCES.get(code, code)) for code in codes or ())


def kinds(codes) -> str:
    known = [code for code in codes or () if code in PartnershipKind.values]
    return ", ".join(str(PartnershipKind(code).label) for code in known)


def isolation(code) -> str:
    return str(ISOLATION.get(code, code or ""))
