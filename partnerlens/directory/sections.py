"""The parts of the product a partnership page links to, registered by the apps above.

The directory sits at the bottom of the layer stack and must not import the apps built on
it; each of those registers its section from its AppConfig.ready() instead, so the
partnership page lists whatever is installed, in a stable order. A section whose pages
only some roles may open says so with ``allowed`` (given the reader's ``Access``), so a
partnership page never offers a link that answers "not allowed".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Section:
    order: int
    label: str
    description: str
    url_name: str  # a URL taking the partnership's pk as its only argument
    allowed: Callable | None = None  # (access) -> bool; None: every member may open it


_registry: dict[str, Section] = {}


def register(section: Section) -> None:
    _registry[section.url_name] = section


def links_for(access) -> list[dict]:
    """The sections the reader (``directory.access.Access``) may open, in order."""
    partnership = access.partnership
    return [
        {
            "label": section.label,
            "description": section.description,
            "url": reverse(section.url_name, args=[partnership.pk]),
        }
        for section in sorted(_registry.values(), key=lambda s: s.order)
        if section.allowed is None or section.allowed(access)
    ]
