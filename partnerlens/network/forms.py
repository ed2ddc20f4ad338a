"""The network pages' forms: ask for a fresh snapshot, choose an area, start a scenario."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerlens.core.forms import GovukDateField, GovukFormMixin


class RefreshForm(GovukFormMixin, forms.Form):
    on = GovukDateField(
        label=_("As on (optional)"),
        help_text=_("Leave empty for today. A past date draws the network as it stood then."),
        required=False,
    )

    def clean_on(self):
        on = self.cleaned_data.get("on")
        if on and on > timezone.localdate():
            raise forms.ValidationError(_("The date must be today or in the past"))
        return on


class AreaForm(GovukFormMixin, forms.Form):
    """The local authority whose isolated schools to list (a GET form)."""

    la = forms.ChoiceField(label=_("Local authority"), required=False)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["la"].choices = [("", _("Choose a local authority")), *choices]


class ScenarioStartForm(GovukFormMixin, forms.Form):
    """The area whose isolated member schools a new brokerage scenario is for (a button's
    hidden field: the page it is on lists those schools)."""

    la = forms.CharField(label=_("Local authority"), max_length=10)
