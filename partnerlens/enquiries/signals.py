"""Signals enquiries sends, so layers above (insights) can react without enquiries importing
them (the import contract forbids that direction)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by ``services.submit_response`` inside its transaction, after the response was marked
# submitted, with ``response`` (the locked, submitted Response). A receiver's writes commit
# or roll back together with the submission; an exception in a receiver undoes it.
response_submitted = Signal()

# Sent by ``services._move`` inside its transaction, after a cycle changed state, with
# ``cycle`` (the locked Cycle, new state saved), ``before`` and ``target`` (states) and
# ``actor``. Insights makes a release here when a cycle closes or is published; an exception
# in a receiver undoes the change of state.
cycle_state_changed = Signal()
