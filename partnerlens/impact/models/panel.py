"""The outcome panel: measures a partnership adds of its own ("own measures").

The published DfE figures live in ``directory.OutcomeMeasure``; a partnership's own figures
(a reading age test, a wellbeing survey's score, ...) live here, seen only by that partnership.
In the panel an own measure's code is ``own.<id>`` (``OwnMeasure.code``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from partnerlens.directory.models import Organisation, Partnership

__all__ = ["OwnMeasure", "OwnMeasureUpload", "OwnMeasureValue"]

OWN_PREFIX = "own."


class OwnMeasure(models.Model):
    """A measure a partnership defines: its name and unit (as typed, in English and, in
    ``<field>_cy``, Welsh: core.bilingual), its direction."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="own_measures"
    )
    name = models.CharField(_("name"), max_length=120)
    name_cy = models.CharField(_("name in Welsh"), max_length=120, blank=True)
    unit = models.CharField(
        _("unit"), max_length=40, blank=True, help_text=_("For example: %, score, days")
    )
    unit_cy = models.CharField(_("unit in Welsh"), max_length=40, blank=True)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partnership_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="own_measure_name_once"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def code(self) -> str:
        return f"{OWN_PREFIX}{self.pk}"


class OwnMeasureValue(models.Model):
    """One school's figure for one period; the school is a member school of the partnership."""

    measure = models.ForeignKey(OwnMeasure, on_delete=models.CASCADE, related_name="values")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=20, help_text="Academic year such as 2018-19")
    value = models.FloatField()
    cohort = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["measure_id", "organisation_id", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "organisation", "period"], name="own_value_once_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.organisation_id} {self.period} = {self.value}"


class OwnMeasureUpload(models.Model):
    """A file of own-measure figures that was saved: when, how many rows, what changed (its
    name is not kept: a file name may name a person)."""

    measure = models.ForeignKey(OwnMeasure, on_delete=models.CASCADE, related_name="uploads")
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.uploaded_at:%Y-%m-%d %H:%M}"
