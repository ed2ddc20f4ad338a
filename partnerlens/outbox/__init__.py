"""Queued email: every message is stored, then delivered by a task with retries (README.md)."""
