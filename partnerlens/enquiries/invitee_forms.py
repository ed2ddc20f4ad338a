"""The lead's form for correcting an invitee's email address."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from partnerlens.core.forms import GovukFormMixin


class CorrectAddressForm(GovukFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Correct email address"),
        max_length=254,
        help_text=_("A new invitation with a new personal link goes to this address."),
        error_messages={
            "required": _("Enter the correct email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
    )
