"""Signals enquiries sends, so layers above (insights) can react without enquiries importing
them (the import contract forbids that direction)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by ``services.submit_response`` inside its transaction, after the response was marked
# submitted, with ``response`` (the locked, submitted Response). A receiver's writes commit
# or roll back together with the submission; an exception in a receiver undoes it.
response_submitted = Signal()
