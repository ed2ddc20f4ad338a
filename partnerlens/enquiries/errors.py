"""Errors a person can fix, raised by the enquiries services with a message fit to show."""

from __future__ import annotations

from partnerlens.enquiries.models import Cycle


class EnquiryError(ValueError):
    """A request that cannot be done as asked; the message says why, for a person."""


class LinkError(EnquiryError):
    """A respondent link that cannot be used; ``reason`` is a stable code for the page."""

    def __init__(self, reason: str, message: str, cycle: Cycle | None = None):
        super().__init__(str(message))
        self.reason = reason
        self.cycle = cycle
