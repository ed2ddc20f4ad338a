"""Forms of the outcome panel: choose a measure, define an own measure, upload its figures."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from partnerlens.core.forms import GovukFormMixin
from partnerlens.impact.models import OwnMeasure


class MeasureChoiceForm(GovukFormMixin, forms.Form):
    measure = forms.ChoiceField(label=_("Measure"))

    def __init__(self, *args, measure_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = measure_choices


class OwnMeasureForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = OwnMeasure
        fields = ["name", "unit", "higher_is_better"]
        labels = {
            "name": _("Name of the measure"),
            "unit": _("Unit (optional)"),
            "higher_is_better": _("A higher figure is better"),
        }
        help_texts = {
            "name": _("In English or Welsh, as the partnership uses it."),
            "unit": _("For example: %, score, days"),
            "higher_is_better": _("Untick for a measure such as absence, where lower is better."),
        }

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if OwnMeasure.objects.filter(partnership=self.partnership, name__iexact=name).exists():
            raise forms.ValidationError(_("The partnership already has a measure with this name."))
        return name


class OwnMeasureUploadForm(GovukFormMixin, forms.Form):
    document = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "Columns: school (URN, Welsh school code or name), period (such as 2018-19), "
            "value, and optionally cohort. At most 2 MB."
        ),
    )
