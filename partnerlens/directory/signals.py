"""Signals the directory sends, so layers above (triggers, network) can react without the
directory importing them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by ``importers.runner`` inside the import's transaction, after its audit entry, with
# ``format`` (the file format's name) and ``counts`` (created, updated, unchanged). A dry run
# sends it too and then rolls back: receivers that start work do it on commit.
data_imported = Signal()
