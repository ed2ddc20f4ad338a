"""The words for the network's codes (levels, sources, isolation), in the reader's language.

The snapshot stores codes (``models.Snapshot``); the pages word them through these tables,
so a code added to the engine without a word here shows as itself rather than failing.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partnerlens.directory.models import PartnershipKind

LEVELS = {
    "none": pgettext_lazy("tie level", "No stated level"),
    "networking": _("Networking"),
    "coordination": _("Co-ordination"),
    "cooperation": _("Co-operation"),
    "collaboration": _("Collaboration"),
}
# Deepest first, as the legend and the depth table list them.
LEVEL_ORDER = ("collaboration", "cooperation", "coordination", "networking", "none")
DEPTH = {"none": 0, "networking": 1, "coordination": 2, "cooperation": 3, "collaboration": 4}

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
