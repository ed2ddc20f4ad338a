"""The outcome panel: measures a partnership adds of its own."""

from __future__ import annotations

__all__: list[str] = []
