"""Forms of the outcome panel: choose a measure, define an own measure or change its words,
upload its figures."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from partnerlens.core.bilingual import text_field
from partnerlens.core.forms import GovukFormMixin
from partnerlens.impact.models import OwnMeasure

TEXTS = ("name", "name_cy", "unit", "unit_cy")
WELSH_HELP = _("Welsh readers see the English, marked as English, until this is written.")


class MeasureChoiceForm(GovukFormMixin, forms.Form):
    measure = forms.ChoiceField(label=_("Measure"))

    def __init__(self, *args, measure_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = measure_choices


class OwnMeasureTextsForm(GovukFormMixin, forms.Form):
    """An own measure's name and unit, in English and in Welsh. ``measure``: the measure
    being changed (its own name is no clash)."""

    name = text_field(
        _("Name of the measure in English"),
        required=True,
        max_length=120,
        help_text=_("For example: Wellbeing survey score"),
        error_messages={"required": _("Enter the name of the measure in English")},
    )
    name_cy = text_field(
        _("Name of the measure in Welsh (optional)"),
        welsh=True,
        max_length=120,
        help_text=WELSH_HELP,
    )
    unit = text_field(
        _("Unit in English (optional)"), max_length=40, help_text=_("For example: %, score, days")
    )
    unit_cy = text_field(
        _("Unit in Welsh (optional)"),
        welsh=True,
        max_length=40,
        help_text=_("For example: %, sgôr, diwrnodau"),
    )

    def __init__(self, *args, partnership, measure: OwnMeasure | None = None, **kwargs):
        if measure is not None:
            kwargs.setdefault("initial", {f: getattr(measure, f) for f in TEXTS})
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.measure = measure

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        others = OwnMeasure.objects.filter(partnership=self.partnership, name__iexact=name)
        if self.measure is not None:
            others = others.exclude(pk=self.measure.pk)
        if others.exists():
            raise forms.ValidationError(_("The partnership already has a measure with this name."))
        return name

    def clean_name_cy(self):
        return " ".join(self.cleaned_data["name_cy"].split())


class OwnMeasureForm(OwnMeasureTextsForm):
    """A new own measure: its words, and which way is better."""

    higher_is_better = forms.BooleanField(
        label=_("A higher figure is better"),
        help_text=_("Untick for a measure such as absence, where lower is better."),
        required=False,
        initial=True,
    )


class OwnMeasureUploadForm(GovukFormMixin, forms.Form):
    document = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "Columns: school (URN, Welsh school code or name), period (such as 2018-19), "
            "value, and optionally cohort. At most 2 MB."
        ),
    )
