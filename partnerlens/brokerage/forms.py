from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerlens.brokerage.models import (
    EXPERTISE_LABELS,
    NEED_LABELS,
    SupportOffer,
    SupportStatus,
    area_label,
)
from partnerlens.core.bilingual import text_field
from partnerlens.core.forms import (
    GovukCheckboxes,
    GovukDateField,
    GovukFormMixin,
    GovukRadios,
)

NEED_CHOICES = [(level, f"{level} - {label}") for level, label in NEED_LABELS.items()]
EXPERTISE_CHOICES = [(level, f"{level} - {label}") for level, label in EXPERTISE_LABELS.items()]


STRENGTH_CHOICES = [
    (0, _("Not offered")),
    (1, _("1 - Some")),
    (2, _("2 - Good")),
    (3, _("3 - Strong")),
]


class AreasForm(GovukFormMixin, forms.Form):
    areas = forms.MultipleChoiceField(
        label=_("Support areas this partnership works with"),
        widget=GovukCheckboxes,
        error_messages={"required": _("Choose at least one support area.")},
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].choices = choices


class AdjustAssessmentForm(GovukFormMixin, forms.Form):
    need_level = forms.TypedChoiceField(
        label=_("Need"), choices=NEED_CHOICES, coerce=int, widget=GovukRadios
    )
    expertise_level = forms.TypedChoiceField(
        label=_("Expertise"), choices=EXPERTISE_CHOICES, coerce=int, widget=GovukRadios
    )
    reason = forms.CharField(
        label=_("Reason for the adjustment"),
        help_text=_("Say what evidence you relied on. It is kept with the school's profile."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Give the reason for the adjustment.")},
    )


class OfferForm(GovukFormMixin, forms.Form):
    """Overall limits, then a strength and capacity for each of the partnership's areas."""

    capacity_total = forms.IntegerField(
        label=_("Most schools supported at once, all areas together"),
        help_text=_("Leave blank for no overall limit beyond each area's capacity."),
        required=False,
        min_value=0,
        max_value=50,
    )
    max_km = forms.FloatField(
        label=_("Furthest distance the school will travel, in km"),
        help_text=_("Leave blank to use each scenario's distance limit."),
        required=False,
        min_value=0.1,
        max_value=500,
    )
    summary = text_field(
        _("What the school offers, in English"),
        rows=5,
        max_length=2000,
        help_text=_("For example the people, the programme and how the support would run."),
    )
    summary_cy = text_field(
        _("What the school offers, in Welsh"),
        welsh=True,
        rows=5,
        max_length=2000,
        help_text=_("Welsh readers see the English, marked as English, until this is written."),
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = areas
        for area in areas:
            # Added after GovukFormMixin has styled the static fields, so styled here.
            self.fields[f"strength_{area}"] = forms.TypedChoiceField(
                label=_("Strength in %(area)s") % {"area": area_label(area)},
                choices=STRENGTH_CHOICES,
                coerce=int,
                empty_value=0,
                required=False,
                initial=0,
                widget=forms.Select(attrs={"class": "govuk-select"}),
            )
            self.fields[f"capacity_{area}"] = forms.IntegerField(
                label=_("Schools at once in %(area)s") % {"area": area_label(area)},
                min_value=0,
                max_value=20,
                initial=1,
                required=False,
                widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3"}),
            )

    @classmethod
    def initial_from(cls, offer: SupportOffer | None) -> dict:
        if offer is None:
            return {}
        initial = {
            "capacity_total": offer.capacity_total,
            "max_km": offer.max_km,
            "summary": offer.summary,
            "summary_cy": offer.summary_cy,
        }
        for row in offer.areas.all():
            initial[f"strength_{row.area}"] = row.strength
            initial[f"capacity_{row.area}"] = row.capacity
        return initial

    def area_rows(self):
        return [(self[f"strength_{a}"], self[f"capacity_{a}"]) for a in self.areas]

    def clean(self):
        cleaned = super().clean()
        for area in self.areas:
            strength = cleaned.get(f"strength_{area}")
            if strength and cleaned.get(f"capacity_{area}") is None:
                self.add_error(
                    f"capacity_{area}",
                    _("Say how many schools at once in %(area)s") % {"area": area_label(area)},
                )
        return cleaned

    def offered_areas(self) -> dict[str, tuple[int, int]]:
        data = self.cleaned_data
        return {
            area: (data[f"strength_{area}"], data[f"capacity_{area}"])
            for area in self.areas
            if data.get(f"strength_{area}")
        }


class ScenarioForm(GovukFormMixin, forms.Form):
    name = text_field(_("Name in English"), required=True, max_length=120)
    name_cy = text_field(_("Name in Welsh (optional)"), welsh=True, max_length=120)
    areas = forms.MultipleChoiceField(
        label=_("Support areas"),
        help_text=_("Leave all unticked to use every area of the partnership."),
        widget=GovukCheckboxes,
        required=False,
    )
    max_km = forms.FloatField(
        label=_("Distance limit in km"), initial=25, min_value=0.1, max_value=500
    )
    la_name = forms.CharField(
        label=_("Only schools in this local authority (optional)"), max_length=120, required=False
    )
    region = forms.CharField(
        label=_("Only schools in this region (optional)"), max_length=80, required=False
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].choices = [(a, area_label(a)) for a in areas]


class ProgressNoteForm(GovukFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Progress note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the progress note.")},
    )
    noted_on = GovukDateField(label=_("Date of the note"), initial=timezone.localdate)


class EndSupportForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("How did the support end?"),
        choices=[
            (SupportStatus.COMPLETED, _("Completed")),
            (SupportStatus.ENDED_EARLY, _("Ended early")),
        ],
        widget=GovukRadios,
    )
    ended_on = GovukDateField(label=_("End date"), initial=timezone.localdate)
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_(
            "Both schools’ leaders are sent this by email. If the support ended early, the "
            "pair will not be proposed again."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the support is ending.")},
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
