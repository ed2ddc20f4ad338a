"""Peer review and external challenge (issue 14): review types, the review workflow, the
reviewer pool, and the reality check of self-evaluation against review. ``analytics`` holds
the pure engines (agreement, conflicts of interest, suggested teams)."""
