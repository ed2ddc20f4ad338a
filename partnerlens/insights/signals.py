"""Signals insights sends, so layers above (triggers, network) can react without insights
importing them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by ``releases.make_release`` inside its transaction, after the new release and its
# audit entry are saved, with ``release`` and ``cycle``. Receivers that start work do it on
# commit.
release_made = Signal()
