"""Forms of the framework editor: the framework's name and summary, a theme, a question's
texts and settings, one option. Every text a person types has an English and a Welsh field,
shown side by side (``pairs``); the Welsh inputs carry ``lang="cy"``. Forms only validate;
the services in ``services/`` make the changes and check the document's rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partnerlens.core.bilingual import text_field
from partnerlens.core.forms import GovukCheckboxes, GovukFormMixin
from partnerlens.directory.models import Role
from partnerlens.frameworks.limits import MAX_OPTIONS, MAX_SETTING
from partnerlens.frameworks.models import Question, QuestionKind, Theme
from partnerlens.frameworks.services.questions import EDITED_FIELDS

# Settings a question kind takes (schema.ALLOWED_CONFIG), as form fields.
SETTINGS_BY_KIND = {
    QuestionKind.NUMBER: ("min", "max", "step", "unit"),
    QuestionKind.SHORT_TEXT: ("max_length",),
    QuestionKind.LONG_TEXT: ("max_length",),
    QuestionKind.MULTIPLE_CHOICE: ("max_choices",),
}
ALL_SETTINGS = ("min", "max", "step", "unit", "max_length", "max_choices")
LONGEST_ANSWER = 5000


def theme_levels(theme: Theme) -> list[tuple[float, str]]:
    """(score, label) of the levels a theme's target can be set to, lowest first.

    A target is read on the scale of the theme's first scored question (in the built-ins,
    its rubric), so a lead picks "Established (3)" rather than a bare number.
    """
    for question in theme.questions.all():
        if question.is_scored:
            return [(o.score, o.label) for o in question.options.all() if o.score is not None]
    return []


def _text(label, *, required=False, rows=0, max_length=2000, welsh=False):
    return text_field(label, welsh=welsh, rows=rows, required=required, max_length=max_length)


def _plain(number: float | None) -> float | int | None:
    """3.0 -> 3, so a whole number is stored (and shown to respondents) without ``.0``."""
    if number is None:
        return None
    return int(number) if float(number).is_integer() else number


class BilingualMixin:
    """``pairs``: (English field, Welsh field) for each text in ``bilingual_fields``."""

    bilingual_fields: tuple[str, ...] = ()

    def pairs(self):
        return [(self[f"{name}_en"], self[f"{name}_cy"]) for name in self.bilingual_fields]


class QuestionSettingsMixin:
    """A question's settings (``schema.ALLOWED_CONFIG``) and weight, checked together.

    ``settings_kind`` returns the kind the settings are for; ``config()`` the settings to
    store (blank ones left out)."""

    def add_settings_fields(self) -> None:
        # Within the bounds an imported document must keep (limits.py), so a version built
        # here always exports and imports again.
        bounds = {"min_value": -MAX_SETTING, "max_value": MAX_SETTING, "required": False}
        self.fields["min"] = forms.FloatField(label=_("Lowest number allowed"), **bounds)
        self.fields["max"] = forms.FloatField(label=_("Highest number allowed"), **bounds)
        self.fields["step"] = forms.FloatField(
            label=_("Step between numbers"),
            max_value=MAX_SETTING,
            help_text=_("For example 1 for whole numbers. Leave blank for any number."),
            required=False,
        )
        self.fields["unit"] = forms.CharField(
            label=_("Unit"),
            help_text=_("For example “pupils” or “%”."),
            max_length=40,
            required=False,
        )
        self.fields["max_length"] = forms.IntegerField(
            label=_("Longest answer, in characters"),
            min_value=1,
            max_value=LONGEST_ANSWER,
            required=False,
        )
        self.fields["max_choices"] = forms.IntegerField(
            label=_("Most options a person may tick"),
            min_value=1,
            max_value=MAX_OPTIONS,
            required=False,
        )
        self.fields["weight"] = forms.FloatField(
            label=_("Weight"),
            help_text=_("How much this question counts in its theme's score, from 0 to 10."),
            min_value=0,
            max_value=10,
            initial=1.0,
            required=False,
        )
        for name in (*ALL_SETTINGS, "weight"):
            field = self.fields[name]
            field.widget.attrs["class"] = "govuk-input govuk-input--width-5"
            if isinstance(field, forms.FloatField | forms.IntegerField):
                field.widget = forms.TextInput(
                    attrs={"class": "govuk-input govuk-input--width-5", "inputmode": "decimal"}
                )

    def settings_kind(self) -> str | None:
        raise NotImplementedError

    def option_count(self) -> int | None:
        return None

    def setting_fields(self):
        """The bound settings fields for this form's kind, in order."""
        return [self[name] for name in SETTINGS_BY_KIND.get(self.settings_kind(), ())]

    def clean_settings(self, data: dict[str, Any]) -> None:
        kind = self.settings_kind()
        low, high, step = data.get("min"), data.get("max"), data.get("step")
        if kind == QuestionKind.NUMBER:
            if low is not None and high is not None and low >= high:
                self.add_error("max", _("The highest number must be more than the lowest"))
            if step is not None and step <= 0:
                self.add_error("step", _("The step must be more than 0"))
        most, count = data.get("max_choices"), self.option_count()
        if kind == QuestionKind.MULTIPLE_CHOICE and most and count and most > count:
            self.add_error(
                "max_choices",
                _("The most options a person may tick cannot be more than the %(n)s options")
                % {"n": count},
            )

    def weight(self) -> float:
        weight = self.cleaned_data.get("weight")
        return 1.0 if weight is None else weight

    def config(self) -> dict[str, Any]:
        data = self.cleaned_data
        config = {}
        for name in SETTINGS_BY_KIND.get(self.settings_kind(), ()):
            value = data.get(name)
            if value in (None, ""):
                continue
            config[name] = value.strip() if isinstance(value, str) else _plain(value)
        return config


class DetailsForm(BilingualMixin, GovukFormMixin, forms.Form):
    bilingual_fields = ("name", "summary")
    name_en = _text(_("Name in English"), required=True, max_length=200)
    name_cy = _text(_("Name in Welsh"), max_length=200, welsh=True)
    summary_en = _text(_("Summary in English"), rows=3)
    summary_cy = _text(_("Summary in Welsh"), rows=3, welsh=True)

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class ThemeTextsForm(BilingualMixin, GovukFormMixin, forms.Form):
    """A theme's title and description in both languages, and its weight: the form for a
    new theme (``forms.ThemeForm``) and the start of the one that changes a theme."""

    bilingual_fields = ("title", "description")
    title_en = _text(_("Title in English"), required=True, max_length=200)
    title_cy = _text(_("Title in Welsh"), max_length=200, welsh=True)
    description_en = _text(_("Description in English"), rows=3)
    description_cy = _text(_("Description in Welsh"), rows=3, welsh=True)
    weight = forms.FloatField(label=_("Weight"), min_value=0, max_value=10, initial=1.0)


class ThemeEditForm(ThemeTextsForm):
    def __init__(self, theme: Theme, *args, **kwargs):
        super().__init__(*args, **kwargs)
        levels = theme_levels(theme)
        if levels:
            self.fields["target_level"] = forms.TypedChoiceField(
                label=_("Target level"),
                help_text=_("The level your partnership aims for on this theme."),
                choices=[("", _("No target"))]
                + [(f"{score:g}", f"{label} ({score:g})") for score, label in levels],
                coerce=float,
                empty_value=None,
                required=False,
            )
            self.fields["target_level"].widget.attrs["class"] = "govuk-select"
            if theme.target_level is not None:
                self.initial.setdefault("target_level", f"{theme.target_level:g}")
        self.fields["weight"].widget.attrs["class"] += " govuk-input--width-5"

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = ("title_en", "title_cy", "description_en", "description_cy", "weight")
        return {**{n: data[n] for n in names}, "target_level": data.get("target_level")}


class QuestionTextsForm(BilingualMixin, GovukFormMixin, forms.Form):
    """A question's text and help in both languages, who is asked, and what an answer needs:
    shared by the form for a new question (``forms.QuestionForm``) and the one below."""

    bilingual_fields = ("text", "help")
    text_en = _text(_("Question in English"), required=True, rows=3)
    text_cy = _text(_("Question in Welsh"), rows=3, welsh=True)
    help_en = _text(_("Help text in English"), rows=2)
    help_cy = _text(_("Help text in Welsh"), rows=2, welsh=True)
    roles = forms.MultipleChoiceField(
        label=_("Who is asked this question?"),
        help_text=_("Leave all unticked to ask everyone."),
        choices=Role.choices,
        widget=GovukCheckboxes,
        required=False,
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    evidence_required = forms.BooleanField(label=_("Ask for evidence"), required=False)
    allow_dont_know = forms.BooleanField(label=_("Offer “don’t know”"), required=False)


class QuestionEditForm(QuestionSettingsMixin, QuestionTextsForm):
    """A draft question's texts, who is asked, and its settings. Its type stays as it is
    (a new type would need new options): add a new question instead."""

    def __init__(self, question: Question, *args, **kwargs):
        self.question = question
        initial = {name: getattr(question, name) for name in EDITED_FIELDS}
        initial.update(question.config)
        super().__init__(*args, initial=initial, **kwargs)
        self.add_settings_fields()

    def settings_kind(self) -> str:
        return self.question.kind

    def option_count(self) -> int:
        return len(self.question.options.all())

    def clean(self):
        data = super().clean()
        self.clean_settings(data)
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        texts = {n: data[n] for n in EDITED_FIELDS if n != "weight"}
        return {**texts, "weight": self.weight(), "config": self.config()}


class OptionForm(BilingualMixin, GovukFormMixin, forms.Form):
    """One option, or one rubric level (which also has a score)."""

    bilingual_fields = ("label", "descriptor")
    label_en = _text(_("Label in English"), required=True, max_length=200)
    label_cy = _text(_("Label in Welsh"), max_length=200, welsh=True)
    descriptor_en = _text(_("Description in English"), rows=3)
    descriptor_cy = _text(_("Description in Welsh"), rows=3, welsh=True)

    def __init__(self, question: Question, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if question.kind == QuestionKind.RUBRIC:
            self.fields["score"] = forms.FloatField(
                label=_("Score"),
                help_text=_("Levels are ordered by score; each level needs its own."),
                required=False,
                widget=forms.TextInput(
                    attrs={"class": "govuk-input govuk-input--width-5", "inputmode": "decimal"}
                ),
            )

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = ("label_en", "label_cy", "descriptor_en", "descriptor_cy")
        return {**{n: data[n] for n in names}, "score": data.get("score")}
