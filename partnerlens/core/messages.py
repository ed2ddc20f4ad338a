"""Message codes: engines say what happened as a code and values; people read it in their
own language.

A pure engine returns ``Message("unmet.out_of_range", {"area": "maths", "nearest_km": 31.2})``
(or the same as a plain dict, ``{"code": ..., "params": ...}``, which is what the database
keeps). An app registers, once, the text for each of its codes, written for gettext with
named parameters::

    register({"unmet.out_of_range": gettext_lazy(
        "No school offering %(area)s is within reach; the nearest is %(nearest_km).1f km away."
    )})

and the labels of any coded parameter (``register_labels("area", {"maths": ...})``), so an
area code inside a message is shown as the area's name. ``render`` (or ``str(message)``,
or the ``message`` template filter in ``core/templatetags/codes.py``) gives the text in
the active language. A code nobody registered is shown as the code itself, so a missing
text is noticed, never hidden; a test in each app checks every code it uses is registered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

_TEXTS: dict[str, Any] = {}
_LABELS: dict[str, Mapping[str, Any]] = {}


def register(texts: Mapping[str, Any]) -> None:
    """Add codes and their (lazily translated) texts; a code may be registered only once."""
    for code, text in texts.items():
        if code in _TEXTS and _TEXTS[code] is not text:
            raise ValueError(f"message code {code!r} is registered twice")
        _TEXTS[code] = text


def register_labels(param: str, labels: Mapping[str, Any]) -> None:
    """Name the values of a coded parameter (e.g. every ``area``) for people."""
    _LABELS[param] = labels


def is_registered(code: str) -> bool:
    return code in _TEXTS


def label(param: str, value: Any) -> str:
    """The label of a coded value (``label("area", "maths")``), else the value as it is."""
    labels = _LABELS.get(param, {})
    return str(labels[value]) if isinstance(value, str) and value in labels else str(value)


def render(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The text of ``code`` in the active language, its parameters filled in."""
    text = _TEXTS.get(code)
    if text is None:
        return code
    values = {name: _shown(name, value) for name, value in (params or {}).items()}
    # `text % values` (not `str(text) % values`): a plural text picks its form from values.
    return str(text % values) if values else str(text)


def _shown(name: str, value: Any) -> Any:
    if name in _LABELS:
        if isinstance(value, list | tuple):
            return ", ".join(label(name, item) for item in value)
        return label(name, value)
    return value


@dataclass(frozen=True)
class Message:
    """A code and its values: what an engine or a service returns instead of a sentence."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return render(self.code, self.params)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params)}

    @classmethod
    def of(cls, value: Mapping[str, Any] | Message) -> Message:
        """A Message from its stored dict (``{"code", "params"}``), or the Message itself."""
        if isinstance(value, Message):
            return value
        return cls(value["code"], value.get("params") or {})
