"""Forms of the privacy pages, on the GOV.UK form kit."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from partnerlens.core.forms import GovukFormMixin


class PersonForm(GovukFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("The address the person signs in with, or was invited at"),
        error_messages={
            "required": _("Enter the person’s email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
    )


class ConfirmErasureForm(GovukFormMixin, forms.Form):
    email = forms.EmailField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone"),
        error_messages={"required": _("Confirm that you understand this cannot be undone")},
    )
