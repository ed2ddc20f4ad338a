"""Forms for flexing and editing frameworks; they validate input, services do the work."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from partnerlens.core.bilingual import interpolate, marked
from partnerlens.core.forms import GovukFormMixin
from partnerlens.frameworks.edit_forms import (
    SETTINGS_BY_KIND,
    QuestionSettingsMixin,
    QuestionTextsForm,
    ThemeTextsForm,
    theme_levels,
)
from partnerlens.frameworks.models import FrameworkVersion, QuestionKind, Theme
from partnerlens.frameworks.schema import CHOICE_KINDS, MAX_DOCUMENT_BYTES, slugify_key


class FlexForm(GovukFormMixin, forms.Form):
    """Pick themes, and a target level and weight for each (fields ``target-<key>``,
    ``weight-<key>``), so a browser test can address them by theme key."""

    name_en = forms.CharField(label=_("Name of your framework"), max_length=200, required=False)
    themes = forms.MultipleChoiceField(
        label=_("Themes to include"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, version: FrameworkVersion, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.theme_rows = []
        themes = list(version.themes.prefetch_related("questions__options"))
        self.fields["themes"].choices = [(t.key, t.title) for t in themes]
        self.fields["name_en"].initial = version.framework.name_en
        for theme in themes:
            levels = theme_levels(theme)
            target = f"target-{theme.key}"
            weight = f"weight-{theme.key}"
            self.fields[target] = forms.TypedChoiceField(
                label=interpolate(_("Target level for %(theme)s"), theme=marked(theme, "title")),
                choices=[("", _("No target"))]
                + [(f"{score:g}", f"{label} ({score:g})") for score, label in levels],
                coerce=float,
                empty_value=None,
                required=False,
                initial="" if theme.target_level is None else f"{theme.target_level:g}",
            )
            self.fields[weight] = forms.FloatField(
                label=interpolate(_("Weight for %(theme)s"), theme=marked(theme, "title")),
                min_value=0,
                max_value=10,
                initial=theme.weight,
                required=False,
            )
            # Added after GovukFormMixin styled the fixed fields, so styled here.
            self.fields[target].widget.attrs["class"] = "govuk-select"
            self.fields[weight].widget.attrs["class"] = "govuk-input govuk-input--width-3"
            self.theme_rows.append((theme, self[target], self[weight]))

    def rows(self) -> list[dict[str, Any]]:
        """One row per theme for the template: checkbox id and state, target, weight."""
        picked = set(self["themes"].value() or [])
        return [
            {
                "theme": theme,
                "target": target,
                "weight": weight,
                "checkbox_id": f"id_themes_{i}",
                "checked": theme.key in picked,
            }
            for i, (theme, target, weight) in enumerate(self.theme_rows)
        ]

    def chosen(self) -> dict[str, Any]:
        keys = self.cleaned_data["themes"]
        return {
            "theme_keys": keys,
            "targets": {
                k: self.cleaned_data[f"target-{k}"]
                for k in keys
                if self.cleaned_data.get(f"target-{k}") is not None
            },
            "weights": {
                k: self.cleaned_data[f"weight-{k}"]
                for k in keys
                if self.cleaned_data.get(f"weight-{k}") is not None
            },
            "name_en": self.cleaned_data["name_en"] or None,
        }


class ThemeForm(ThemeTextsForm):
    """A new theme: its texts and weight."""

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class QuestionForm(QuestionSettingsMixin, QuestionTextsForm):
    """A new question: its theme and type first, then what every question has."""

    theme = forms.ChoiceField(label=_("Theme"))
    kind = forms.ChoiceField(label=_("Type of question"), choices=QuestionKind.choices)
    field_order = ("theme", "kind")
    options = forms.CharField(
        label=_("Options or levels"),
        help_text=_(
            "For rubric and choice questions: one per line, lowest level first, as "
            "English label | Welsh label | English descriptor | Welsh descriptor. "
            "Only the English label is needed. Rubric levels score 1, 2, 3 and so on."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=10000,
    )

    def __init__(self, version: FrameworkVersion, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.fields["allow_dont_know"].initial = True  # a new question offers it
        self.themes = {str(t.pk): t for t in version.themes.all()}
        self.fields["theme"].choices = [(pk, t.title) for pk, t in self.themes.items()]
        self.add_settings_fields()

    def settings_kind(self) -> str | None:
        return self["kind"].value()

    def option_count(self) -> int:
        return len([line for line in (self["options"].value() or "").splitlines() if line.strip()])

    def settings_groups(self):
        """(kind label, its settings fields) for each kind that takes settings."""
        return [
            (QuestionKind(kind).label, [self[name] for name in names])
            for kind, names in SETTINGS_BY_KIND.items()
        ]

    def clean_theme(self) -> Theme:
        return self.themes[self.cleaned_data["theme"]]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        lines = [line for line in (data.get("options") or "").splitlines() if line.strip()]
        if kind == QuestionKind.RUBRIC or kind in CHOICE_KINDS:
            if len(lines) < 2:
                self.add_error("options", _("Give at least two options, one per line."))
        elif lines:
            self.add_error("options", _("This type of question does not take options."))
        data["option_list"] = self._parse_options(lines, scored=kind == QuestionKind.RUBRIC)
        self.clean_settings(data)
        return data

    @staticmethod
    def _parse_options(lines: list[str], *, scored: bool) -> list[dict[str, Any]]:
        options, taken = [], []
        for number, line in enumerate(lines, start=1):
            parts = [p.strip() for p in line.split("|")] + ["", "", ""]
            if not parts[0]:
                raise ValidationError(
                    _("Line %(n)s of the options needs an English label.") % {"n": number}
                )
            value = slugify_key(parts[0], taken)[:40]
            taken.append(value)
            options.append(
                {
                    "value": value,
                    "label": {"en": parts[0], "cy": parts[1]},
                    "descriptor": {"en": parts[2], "cy": parts[3]},
                    "score": number if scored else None,
                }
            )
        return options

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = "kind text_en text_cy help_en help_cy roles required evidence_required"
        names = [*names.split(), "allow_dont_know"]
        return {
            "theme": data["theme"],
            **{n: data[n] for n in names},
            "weight": self.weight(),
            "options": data["option_list"] or None,
            "config": self.config(),
        }


class UploadForm(GovukFormMixin, forms.Form):
    document = forms.FileField(
        label=_("Framework file"),
        help_text=_("A YAML (.yaml, .yml) or JSON (.json) file in the Partnerlens format."),
    )

    def clean_document(self):
        upload = self.cleaned_data["document"]
        if not upload.name.lower().endswith((".yaml", ".yml", ".json")):
            raise ValidationError(_("The file must be YAML (.yaml or .yml) or JSON (.json)."))
        if upload.size > MAX_DOCUMENT_BYTES:
            raise ValidationError(_("The file must be smaller than 1 MB."))
        return upload
