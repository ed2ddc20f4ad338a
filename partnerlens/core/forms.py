"""The GOV.UK form kit every app's forms use: the error-summary mixin and GOV.UK widgets.

Give a form ``GovukFormMixin``, use ``GovukRadios``, ``GovukCheckboxes`` and
``GovukDateField`` where they fit, then render each field with
``{% include "partials/field.html" with field=form.x %}`` and the form's errors with
``partials/error_summary.html`` (see partnerlens/templates/README.md). The widgets'
templates are in core/templates/core/widgets/, the two partials in core/templates/partials/.
"""

from __future__ import annotations

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import pretty_name
from django.utils.translation import gettext_lazy as _

# GOV.UK Frontend class for each Django widget type (BoundField.widget_type), and the class
# it gains when the field has an error.
_WIDGET_CLASSES = {
    "text": ("govuk-input", "govuk-input--error"),
    "email": ("govuk-input", "govuk-input--error"),
    "password": ("govuk-input", "govuk-input--error"),
    "number": ("govuk-input", "govuk-input--error"),
    "search": ("govuk-input", "govuk-input--error"),
    "textarea": ("govuk-textarea", "govuk-textarea--error"),
    "select": ("govuk-select", "govuk-select--error"),
}


def _widget_type(field: forms.Field) -> str:
    # Same rule as BoundField.widget_type, without caching a BoundField before the form's
    # own __init__ has finished changing labels.
    return re.sub(r"widget$|input$", "", type(field.widget).__name__.lower())


class GovukRadios(forms.RadioSelect):
    template_name = "core/widgets/radios.html"


class GovukCheckboxes(forms.CheckboxSelectMultiple):
    template_name = "core/widgets/checkboxes.html"


class GovukDate(forms.MultiWidget):
    """GOV.UK's date input: separate day, month and year boxes, no date picker."""

    template_name = "core/widgets/date.html"

    def __init__(self, attrs=None):
        numeric = {"inputmode": "numeric", "class": "govuk-input govuk-date-input__input"}
        super().__init__(
            [forms.TextInput(numeric), forms.TextInput(numeric), forms.TextInput(numeric)], attrs
        )

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, with GOV.UK's error wording."""

    widget = GovukDate

    def __init__(self, **kwargs):
        # The parts are optional one by one so compress() can say which part is missing.
        fields = tuple(forms.CharField(required=False) for _part in range(3))
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        missing = [
            name
            for name, part in ((_("day"), day), (_("month"), month), (_("year"), year))
            if not part
        ]
        if missing:
            raise ValidationError(
                _("%(label)s must include a %(part)s"),
                code="incomplete",
                params={"label": self.label, "part": missing[0]},
            )
        try:
            if len(year) != 4:
                raise ValueError
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(
                _("%(label)s must be a real date"), code="invalid", params={"label": self.label}
            ) from None


_ANONYMOUS_REQUIRED = forms.Field.default_error_messages["required"]


def required_message(field: forms.Field, name: str) -> str:
    """GOV.UK's wording for an empty required field, naming it by its label: "Select" for a
    choice, "Choose" for a file, "Enter" for the rest."""
    label = field.label or pretty_name(name)
    if isinstance(field, forms.FileField):
        return _("Choose a file for “%(label)s”") % {"label": label}
    if isinstance(field, forms.ChoiceField | forms.BooleanField | forms.ModelChoiceField):
        return _("Select an answer for “%(label)s”") % {"label": label}
    return _("Enter “%(label)s”") % {"label": label}


class GovukFormMixin:
    """Puts GOV.UK Frontend's classes on each widget, and its error classes after validation.

    The page shows the errors with ``partials/error_summary.html``, which links each message
    to its field (the first box of radios, checkboxes and dates). A required field left
    empty says which field it is: a field's own "required" message is kept, and Django's
    anonymous "This field is required." becomes one that names the field's label.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            classes = _WIDGET_CLASSES.get(_widget_type(field))
            if classes:
                existing = field.widget.attrs.get("class", "")
                field.widget.attrs["class"] = f"{classes[0]} {existing}".strip()

    def full_clean(self):
        # Here rather than in __init__, so fields a form adds after it are named too.
        for name, field in self.fields.items():
            if str(field.error_messages.get("required", "")) == str(_ANONYMOUS_REQUIRED):
                field.error_messages["required"] = required_message(field, name)
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            field = self.fields[name]
            classes = _WIDGET_CLASSES.get(_widget_type(field))
            if classes:
                field.widget.attrs["class"] += f" {classes[1]}"
            elif isinstance(field.widget, GovukDate):
                for sub in field.widget.widgets:
                    sub.attrs["class"] += " govuk-input--error"
