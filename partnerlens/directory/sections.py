"""The parts of the product a partnership page links to, registered by the apps above.

The directory sits at the bottom of the layer stack and must not import the apps built on
it; each of those registers its section from its AppConfig.ready() instead, so the
partnership page lists whatever is installed, in a stable order.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Section:
    order: int
    label: str
    description: str
    url_name: str  # a URL taking the partnership's pk as its only argument


_registry: dict[str, Section] = {}


def register(section: Section) -> None:
    _registry[section.url_name] = section


def links_for(partnership) -> list[dict]:
    return [
        {
            "label": section.label,
            "description": section.description,
            "url": reverse(section.url_name, args=[partnership.pk]),
        }
        for section in sorted(_registry.values(), key=lambda s: s.order)
    ]
