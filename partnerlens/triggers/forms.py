"""The lead's form for an indicator, and the form that changes a trigger's status."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from partnerlens.core.bilingual import text_field
from partnerlens.core.forms import GovukCheckboxes, GovukFormMixin, GovukRadios
from partnerlens.directory.models import Role
from partnerlens.triggers import evaluation as engine
from partnerlens.triggers.models import Indicator, Kind, Status

THRESHOLDS = ("universal_at", "targeted_at", "intensive_at")
WELSH_HELP = _("Welsh readers see the English, marked as English, until this is written.")


def _support_pair(english_label, welsh_label):
    """What a tier brings, in English and in Welsh (both blank: the built-in wording)."""
    english = text_field(
        english_label, rows=3, help_text=_("Empty: the built-in wording, in the reader’s language")
    )
    return english, text_field(welsh_label, welsh=True, rows=3, help_text=WELSH_HELP)


class IndicatorForm(GovukFormMixin, forms.ModelForm):
    kind = forms.ChoiceField(label=_("What to watch"), choices=Kind.choices, widget=GovukRadios)
    notify_roles = forms.MultipleChoiceField(
        label=_("Who is told when it fires"),
        choices=Role.choices,
        widget=GovukCheckboxes,
        help_text=_(
            "Everyone with one of these roles in the partnership; a role held for one school, "
            "such as its headteacher, is told about that school only"
        ),
        error_messages={"required": _("Select at least one role to tell")},
    )
    name = text_field(
        _("Name in English (optional)"),
        max_length=120,
        help_text=_("Leave empty to use the name of what is watched"),
    )
    name_cy = text_field(
        _("Name in Welsh (optional)"), welsh=True, max_length=120, help_text=WELSH_HELP
    )
    universal_support, universal_support_cy = _support_pair(
        _("What universal support brings, in English"),
        _("What universal support brings, in Welsh"),
    )
    targeted_support, targeted_support_cy = _support_pair(
        _("What targeted support brings, in English"),
        _("What targeted support brings, in Welsh"),
    )
    intensive_support, intensive_support_cy = _support_pair(
        _("What intensive support brings, in English"),
        _("What intensive support brings, in Welsh"),
    )

    class Meta:
        model = Indicator
        fields = [
            "kind",
            "name",
            "name_cy",
            "measure",
            "universal_at",
            "targeted_at",
            "intensive_at",
            "universal_support",
            "universal_support_cy",
            "targeted_support",
            "targeted_support_cy",
            "intensive_support",
            "intensive_support_cy",
            "notify_roles",
            "deadline_days",
            "active",
        ]
        labels = {
            "measure": _("Measure or theme (optional)"),
            "universal_at": _("Universal support from"),
            "targeted_at": _("Targeted support from"),
            "intensive_at": _("Intensive support from"),
            "deadline_days": _("Days until an action plan is due"),
            "active": _("Evaluate this indicator"),
        }
        help_texts = {
            "measure": _(
                "For a drop in progress, the measure code, such as ks4.p8 or "
                "ks2.mat_progress (empty: ks4.p8). For a theme score, the theme’s key "
                "(empty: every theme). A partnership’s own measure is own.<number>"
            ),
            "universal_at": _(
                "For changes: the size of the change in points, such as 1 for one "
                "percentage point more absence. For categories and judgements: 2 yellow or "
                "good, 3 amber or requires improvement, 4 red or inadequate. Empty: not used"
            ),
        }

    def __init__(self, *args, partnership=None, **kwargs):
        super().__init__(*args, **kwargs)
        if partnership is not None:
            self.instance.partnership = partnership
        self.fields["deadline_days"].min_value = 1
        self.fields["deadline_days"].max_value = 365
        self.fields["deadline_days"].widget.attrs.update({"min": 1, "max": 365})

    def clean_measure(self):
        return self.cleaned_data.get("measure", "").strip()

    def clean(self):
        cleaned = super().clean()
        values = [cleaned.get(name) for name in THRESHOLDS]
        if all(value is None for value in values):
            raise ValidationError(_("Give at least one tier a threshold"))
        given = [value for value in values if value is not None]
        if given != sorted(given):
            self.add_error(
                "intensive_at",
                _("Each tier must start at or above the tier before it"),
            )
        if any(value < 0 for value in given):
            self.add_error("universal_at", _("Thresholds cannot be negative"))
        if cleaned.get("kind") in engine.LEVELS and any(v > 4 for v in given):
            self.add_error("intensive_at", _("Categories and judgements go from 1 to 4"))
        return cleaned


class StatusForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices, widget=GovukRadios)
