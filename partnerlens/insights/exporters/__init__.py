"""Reports as small registered exporters (house style, after pretix's exporters).

An exporter has an ``identifier`` (used in the download address), a ``label`` for the page,
a ``content_type`` and file ``extension``, ``prepared`` (made in the background, see
``exporters.prepared``) and ``render(context) -> bytes``. The context is
an ``ExportContext`` holding a built ``dashboard.Dashboard``: every table in it has already
been through suppression, so an exporter can only write what the dashboard page shows.

Add a format by writing a module with a subclass of ``Exporter`` decorated with
``@register`` and importing it at the bottom of this file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from partnerlens.insights.dashboard import Dashboard


@dataclass(frozen=True)
class ExportContext:
    dashboard: Dashboard
    generated_at: datetime
    language: str = "en"


class Exporter:
    identifier: str = ""
    label: str = ""
    content_type: str = "application/octet-stream"
    extension: str = ""
    # Too slow to make while someone waits on a large partnership: made once per release and
    # language by the task worker, then served from storage (``exporters.prepared``).
    prepared: bool = False

    def render(self, context: ExportContext) -> bytes:
        raise NotImplementedError

    def filename(self, context: ExportContext) -> str:
        from django.utils.text import slugify

        stem = slugify(f"{context.dashboard.partnership_name} {context.dashboard.title}")
        return f"{stem or 'results'}-results.{self.extension}"


_REGISTRY: dict[str, Exporter] = {}


def register(cls: type[Exporter]) -> type[Exporter]:
    instance = cls()
    if not instance.identifier or instance.identifier in _REGISTRY:
        raise ValueError(f"exporter identifier {instance.identifier!r} is empty or taken")
    _REGISTRY[instance.identifier] = instance
    return cls


def exporters() -> list[Exporter]:
    return list(_REGISTRY.values())


def get_exporter(identifier: str) -> Exporter | None:
    return _REGISTRY.get(identifier)


from partnerlens.insights.exporters import pdf, tabular  # noqa: E402, F401  (registers them)
