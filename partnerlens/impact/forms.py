"""Forms of the impact pages: register a question, ask for an estimate."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerlens.core.bilingual import text_field
from partnerlens.core.forms import GovukCheckboxes, GovukFormMixin
from partnerlens.impact.models import Registration


def year_choices() -> list[tuple[int, str]]:
    this_year = timezone.localdate().year
    return [(y, f"{y}-{(y + 1) % 100:02d}") for y in range(this_year + 2, 2009, -1)]


class _Analysis(GovukFormMixin, forms.Form):
    """Measure, schools and start year: what both registering and estimating ask."""

    measure = forms.ChoiceField(
        label=_("Measure"),
        help_text=_("Only measures with results for the partnership's schools are listed."),
    )
    schools = forms.TypedMultipleChoiceField(
        label=_("Schools taking part"),
        coerce=int,
        widget=GovukCheckboxes,
        error_messages={"required": _("Select at least one school.")},
    )
    start_year = forms.TypedChoiceField(
        label=_("First academic year of the partnership's work"),
        help_text=_("Results from this year on count as after the start."),
        coerce=int,
    )

    def __init__(self, *args, measure_choices, school_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = measure_choices
        self.fields["schools"].choices = school_choices
        self.fields["start_year"].choices = year_choices()


class EstimateForm(_Analysis):
    pool_years = forms.BooleanField(
        label=_("Average small cohorts over three years"),
        help_text=_(
            "Each school's result becomes the cohort-weighted mean of its last three years. "
            "Small cohorts are then shown more often, but results just after the start mix in "
            "years before it, which pulls the estimate towards zero."
        ),
        required=False,
    )


class RegistrationForm(_Analysis):
    """A new registration. Bound to one already registered (``registration``), it refuses
    every change: a registration is locked once made."""

    question = text_field(
        _("The question in English"),
        required=True,
        rows=4,
        max_length=2000,
        help_text=_(
            "What you expect the partnership to change, for whom and by when. It cannot be "
            "changed after you register it."
        ),
        error_messages={"required": _("Enter the question in English.")},
    )
    question_cy = text_field(
        _("The question in Welsh (optional)"),
        welsh=True,
        rows=4,
        max_length=2000,
        help_text=_(
            "Welsh readers see the English, marked as English, if this is blank. It is locked "
            "with the English: write it now or not at all."
        ),
    )
    field_order = ["question", "question_cy", "measure", "schools", "start_year"]

    def __init__(self, *args, registration: Registration | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.registration = registration
        if registration is not None:
            for field in self.fields.values():
                field.disabled = True

    def clean(self):
        if self.registration is not None:
            raise ValidationError(
                _("This question was registered on %(when)s and cannot be changed."),
                code="locked",
                params={"when": self.registration.registered_at.strftime("%d/%m/%Y %H:%M")},
            )
        return super().clean()
