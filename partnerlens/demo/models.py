"""The demo's own state: which steps of ``load_demo`` have run (never the audit log)."""

from __future__ import annotations

from django.db import models


class DemoStep(models.Model):
    """One step of ``load_demo`` that has run, so the next ``make run`` skips it.

    Steps are named ``partnerships``, ``frameworks``, ``enquiries``, ``brokerage``, and
    ``data:<sha256>`` for each data file imported. ``detail`` keeps what a later step needs
    to find (the partnerships by key, so one the user renamed is still found).
    """

    name = models.CharField(max_length=100, unique=True)
    done_at = models.DateTimeField(auto_now_add=True)
    detail = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return self.name

    @classmethod
    def has_run(cls, name: str) -> bool:
        return cls.objects.filter(name=name).exists()

    @classmethod
    def mark(cls, name: str, **detail) -> DemoStep:
        """Record that the step ran (inside the step's own transaction)."""
        step, _ = cls.objects.update_or_create(name=name, defaults={"detail": detail})
        return step

    @classmethod
    def detail_of(cls, name: str) -> dict:
        step = cls.objects.filter(name=name).first()
        return step.detail if step else {}
