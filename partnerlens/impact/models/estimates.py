"""Comparison families, registrations and estimates of impact."""

from __future__ import annotations

__all__: list[str] = []
