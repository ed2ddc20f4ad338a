"""Links a cycle's page shows to the parts built on the cycle, registered by the apps above.

Enquiries sits below insights in the layer stack and must not import it; insights registers
its results link from its AppConfig.ready(), with the rule for who may follow it, as the
directory's sections registry does for the partnership page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class CycleLink:
    order: int
    label: str
    url_name: str  # a URL taking the cycle's pk as its only argument
    shown: Callable  # (cycle, access) -> bool: whether this reader may follow it now
    id: str = ""  # the link's HTML id, a hook for tests
    # (cycle, access, request) -> HTML shown after the link, e.g. "Results are being prepared"
    note: Callable | None = None


_registry: dict[str, CycleLink] = {}


def register(link: CycleLink) -> None:
    _registry[link.url_name] = link


def links_for(cycle, access, request=None) -> list[dict]:
    return [
        {
            "label": link.label,
            "url": reverse(link.url_name, args=[cycle.pk]),
            "id": link.id,
            "note": link.note(cycle, access, request) if link.note else "",
        }
        for link in sorted(_registry.values(), key=lambda item: item.order)
        if link.shown(cycle, access)
    ]
