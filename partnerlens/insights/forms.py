"""The lead's form for a partnership's insight settings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from partnerlens.core.forms import GovukFormMixin, GovukRadios
from partnerlens.insights.analytics.suppression import MIN_K
from partnerlens.insights.models import MAX_K, InsightSettings


def k_only_up_message(current: int) -> str:
    """The settings form's error when a minimum group size would go down after a release."""
    from django.utils.translation import gettext

    return gettext(
        "Results have already been released with a minimum of %(current)s. It can be raised "
        "but not lowered: comparing results under a smaller minimum with the earlier ones "
        "would give small groups away."
    ) % {"current": current}


class InsightSettingsForm(GovukFormMixin, forms.ModelForm):
    min_group_size = forms.IntegerField(
        label=_("Minimum group size"),
        help_text=_(
            "A group's figures are shown only when at least this many people in it answered. "
            "The usual value is 5; it can be raised, but never set below 3."
        ),
        min_value=MIN_K,
        max_value=MAX_K,
        error_messages={
            "required": _("Enter the minimum group size"),
            "invalid": _("Enter the minimum group size as a whole number, like 5"),
            "min_value": _("The minimum group size must be 3 or more, to keep people anonymous"),
            "max_value": _("The minimum group size must be 100 or less"),
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
    )
    min_parent_group_size = forms.IntegerField(
        label=_("Minimum group size for parents"),
        help_text=_(
            "Parents are easier to identify in small groups, so the usual value is 10. It can "
            "never be set below 3."
        ),
        min_value=MIN_K,
        max_value=MAX_K,
        error_messages={
            "required": _("Enter the minimum group size for parents"),
            "invalid": _("Enter the minimum group size for parents as a whole number, like 10"),
            "min_value": _(
                "The minimum group size for parents must be 3 or more, to keep people anonymous"
            ),
            "max_value": _("The minimum group size for parents must be 100 or less"),
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
    )
    share_benchmarks = forms.TypedChoiceField(
        label=_("Share our anonymised theme scores with partnerships of the same type?"),
        help_text=_(
            "If you share, you can see where your scores sit among other partnerships of the "
            "same type that share too. No partnership's own scores are ever shown to another; "
            "comparisons need at least 5 partnerships."
        ),
        choices=[("yes", _("Yes, share and compare")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=GovukRadios,
        error_messages={"required": _("Choose whether to share your anonymised theme scores")},
    )

    class Meta:
        model = InsightSettings
        fields = ["min_group_size", "min_parent_group_size", "share_benchmarks"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["share_benchmarks"] = "yes" if self.instance.share_benchmarks else "no"
