"""The lead's form for a new API token, on the GOV.UK form kit."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerlens.api.models import Scope
from partnerlens.core.forms import GovukDateField, GovukFormMixin, GovukRadios


class TokenForm(GovukFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, so you can recognise it later"),
        error_messages={"required": _("Enter a name for the token")},
    )
    scope = forms.ChoiceField(
        label=_("What it may do"),
        choices=Scope.choices,
        initial=Scope.READ,
        widget=GovukRadios,
        error_messages={"required": _("Select what the token may do")},
    )
    expires_on = GovukDateField(
        label=_("Stops working after (optional)"),
        required=False,
        help_text=_("For example, 31 8 2027. Leave empty for a token that works until revoked"),
    )

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day is not None and day < timezone.localdate():
            raise ValidationError(_("The last day must be today or in the future"))
        return day
