"""Forms of the actions app (GOV.UK form kit). Choices are always the partnership's own:
its people, member schools, themes, actions, activities and evidence."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerlens.actions import uploads
from partnerlens.actions.codes import (
    ActivityKind,
    BenefitCategory,
    BenefitState,
    EvidenceKind,
    MeasureKind,
    Status,
)
from partnerlens.actions.models import Action, Activity, EvidenceItem
from partnerlens.core.bilingual import marked, text_field, welsh_active
from partnerlens.core.forms import GovukCheckboxes, GovukDateField, GovukFormMixin, GovukRadios
from partnerlens.directory.models import Organisation, OrganisationKind, OutcomeMeasure
from partnerlens.enquiries.models import Cycle, Language
from partnerlens.frameworks.models import Theme
from partnerlens.impact.estimate_codes import measure_name
from partnerlens.impact.panel import PUBLISHED, own_measure_names

# Under each form's first Welsh field: what a blank one means.
WELSH_HELP = _("Welsh pages show this. Leave it blank and they show the English.")

UPLOAD_MESSAGES = {
    uploads.EMPTY: _("The chosen file is empty"),
    uploads.TOO_BIG: _("The file must be smaller than %(mb)s MB"),
    uploads.EXTENSION: _(
        "The file must be a PDF, Word, Excel, PowerPoint, OpenDocument, image (PNG or JPEG), "
        "text or CSV file"
    ),
    uploads.CONTENT: _("The file’s content is not the type its name says it is"),
}


def member_schools(partnership):
    return Organisation.objects.filter(
        pk__in=partnership.memberships.current().values("organisation_id"),
        kind=OrganisationKind.SCHOOL,
    ).order_by("name")


def partnership_people(partnership):
    return (
        get_user_model()
        .objects.filter(
            partnership_roles__partnership=partnership, partnership_roles__ended__isnull=True
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def person_name(user) -> str:
    return user.get_full_name() or user.get_username()


def theme_choices(partnership, extra=()) -> list[tuple[str, str]]:
    """Themes of the frameworks the partnership's cycles used (one per key), and any
    given (from a finding)."""
    versions = Cycle.objects.filter(partnership=partnership).values("framework_version_id")
    found = dict(extra)
    for theme in Theme.objects.filter(version_id__in=versions).order_by("order", "pk"):
        found.setdefault(theme.key, theme.title)
    return sorted(found.items(), key=lambda item: str(item[1]).lower())


def measure_choices(partnership) -> list[tuple[str, str]]:
    """Published measures the impact panel offers, any other held for the member schools,
    and the partnership's own."""
    held = (
        OutcomeMeasure.objects.filter(
            organisation_id__in=partnership.memberships.current().values("organisation_id"),
            value__isnull=False,
        )
        .order_by()
        .values_list("measure", flat=True)
        .distinct()
    )
    own = own_measure_names(partnership)
    codes = set(PUBLISHED) | set(held) | set(own)
    return sorted(
        ((code, measure_name(code, own)) for code in codes), key=lambda item: item[1].lower()
    )


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return person_name(obj)


class TitledChoices(forms.ModelMultipleChoiceField):
    """Checkboxes of the partnership's actions, activities or evidence, each by its title in
    the reader's language (an English fallback marked on a Welsh page)."""

    def label_from_instance(self, obj):
        return marked(obj, "title")


class ActionForm(GovukFormMixin, forms.Form):
    title = text_field(
        _("Title in English"),
        required=True,
        max_length=200,
        error_messages={"required": _("Enter a title for the action")},
    )
    title_cy = text_field(
        _("Title in Welsh (optional)"), welsh=True, max_length=200, help_text=WELSH_HELP
    )
    description = text_field(_("What will be done, in English (optional)"), rows=4)
    description_cy = text_field(_("What will be done, in Welsh (optional)"), welsh=True, rows=4)
    owner = PersonChoice(
        label=_("Owner"),
        queryset=None,
        help_text=_("Someone with a role in the partnership"),
        error_messages={"required": _("Select who owns the action")},
    )
    schools = forms.ModelMultipleChoiceField(
        label=_("Schools"), queryset=None, required=False, widget=GovukCheckboxes
    )
    start_on = GovukDateField(label=_("Start date"))
    due_on = GovukDateField(label=_("Due date"))
    status = forms.ChoiceField(
        label=_("Status"), choices=Status.choices, initial=Status.PLANNED, widget=GovukRadios
    )
    success_text = text_field(_("How you will know it worked, in English (optional)"), rows=3)
    success_text_cy = text_field(
        _("How you will know it worked, in Welsh (optional)"), welsh=True, rows=3
    )
    success_kind = forms.ChoiceField(
        label=_("Success measure"),
        choices=MeasureKind.choices,
        required=False,
        widget=GovukRadios,
    )
    success_theme = forms.ChoiceField(label=_("Theme"), required=False)
    success_measure = forms.ChoiceField(label=_("Outcome measure"), required=False)

    # The typed texts, each English with its Welsh: saved and shown again as they are.
    TEXTS = (
        "title",
        "title_cy",
        "description",
        "description_cy",
        "success_text",
        "success_text_cy",
    )

    def __init__(self, *args, partnership, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = partnership_people(partnership)
        self.fields["schools"].queryset = member_schools(partnership)
        blank = [("", _("Choose…"))]
        self.fields["success_theme"].choices = blank + theme_choices(partnership, themes)
        self.fields["success_measure"].choices = blank + measure_choices(partnership)
        self.fields["start_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        start, due = data.get("start_on"), data.get("due_on")
        if start and due and due < start:
            self.add_error("due_on", _("The due date must be on or after the start date"))
        kind = data.get("success_kind")
        if kind == MeasureKind.THEME and not data.get("success_theme"):
            self.add_error("success_theme", _("Select the theme whose score should move"))
        if kind == MeasureKind.OUTCOME and not data.get("success_measure"):
            self.add_error("success_measure", _("Select the outcome measure that should move"))
        return data

    def action_fields(self) -> dict:
        """The model's fields, from the cleaned form (schools apart)."""
        data = self.cleaned_data
        kind = data.get("success_kind") or MeasureKind.TEXT
        code = {
            MeasureKind.THEME: data.get("success_theme"),
            MeasureKind.OUTCOME: data.get("success_measure"),
        }.get(kind, "")
        return {
            **{name: data[name] for name in self.TEXTS},
            "owner": data["owner"],
            "start_on": data["start_on"],
            "due_on": data["due_on"],
            "status": data["status"],
            "success_kind": kind,
            "success_code": code or "",
        }

    @classmethod
    def initial_for(cls, action: Action) -> dict:
        return {
            **{name: getattr(action, name) for name in cls.TEXTS},
            "owner": action.owner_id,
            "schools": list(action.schools.values_list("pk", flat=True)),
            "start_on": action.start_on,
            "due_on": action.due_on,
            "status": action.status,
            "success_kind": action.success_kind,
            "success_theme": action.success_code if action.success_kind == "theme" else "",
            "success_measure": action.success_code if action.success_kind == "outcome" else "",
        }


class UpdateForm(GovukFormMixin, forms.Form):
    text = forms.CharField(
        label=_("What has happened"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter what has happened")},
    )
    # One note in one language (not a pair: it is written once, by one person, and not
    # edited): pages mark it with the language its writer chose.
    language = forms.ChoiceField(
        label=_("Language of the update"),
        choices=Language.choices,
        widget=GovukRadios,
        error_messages={"required": _("Select the language the update is written in")},
    )
    noted_on = GovukDateField(label=_("Date"), initial=timezone.localdate)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = Language.WELSH if welsh_active() else Language.ENGLISH


class PlanFilterForm(GovukFormMixin, forms.Form):
    """The plan's filters (GET): each optional."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    school = forms.ModelChoiceField(label=_("School"), queryset=None, required=False)
    owner = PersonChoice(label=_("Owner"), queryset=None, required=False)

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", _("Any status")),
            ("overdue", _("Overdue")),
            *Status.choices,
        ]
        self.fields["school"].queryset = member_schools(partnership)
        self.fields["school"].empty_label = _("Any school")
        self.fields["owner"].queryset = partnership_people(partnership)
        self.fields["owner"].empty_label = _("Anyone")


class TextsForm(GovukFormMixin, forms.Form):
    """A record's typed texts, each English field with its ``_cy`` beside it."""

    @property
    def pairs(self) -> list[tuple]:
        """(English, Welsh) bound fields, for ``partials/bilingual_fields.html``."""
        return [
            (self[name], self[f"{name}_cy"]) for name in self.fields if f"{name}_cy" in self.fields
        ]


class EvidenceTextsForm(TextsForm):
    """An evidence item's wording, English and Welsh: adding one, or changing it after."""

    title = text_field(
        _("Title in English"),
        required=True,
        max_length=200,
        error_messages={"required": _("Enter a title")},
    )
    title_cy = text_field(
        _("Title in Welsh (optional)"), welsh=True, max_length=200, help_text=WELSH_HELP
    )
    text = text_field(_("Note or case study, in English"), rows=5)
    text_cy = text_field(_("Note or case study, in Welsh (optional)"), welsh=True, rows=5)

    def __init__(self, *args, kind: str = "", **kwargs):
        """``kind``: the item's, when changing one (adding, the form asks it)."""
        super().__init__(*args, **kwargs)
        self.kind = kind

    def clean(self):
        data = super().clean()
        kind = data.get("kind", self.kind)
        if kind in (EvidenceKind.NOTE, EvidenceKind.CASE_STUDY) and not data.get("text"):
            self.add_error("text", _("Enter the note or case study"))
        return data


class EvidenceForm(EvidenceTextsForm):
    kind = forms.ChoiceField(
        label=_("Kind of evidence"), choices=EvidenceKind.choices, widget=GovukRadios
    )
    url = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a web address, such as https://example.org/report")},
    )
    file = forms.FileField(label=_("Document to upload"), required=False)
    themes = forms.MultipleChoiceField(label=_("Themes"), required=False, widget=GovukCheckboxes)
    actions = TitledChoices(
        label=_("Actions"), queryset=None, required=False, widget=GovukCheckboxes
    )
    activities = TitledChoices(
        label=_("Activities"), queryset=None, required=False, widget=GovukCheckboxes
    )
    field_order = ("kind", *EvidenceTextsForm.base_fields)

    def __init__(self, *args, partnership, actions=None, action_required=False, **kwargs):
        """``actions``: those evidence may be tagged to (default: all the partnership's);
        ``action_required``: an owner's evidence must be for one of their actions."""
        super().__init__(*args, **kwargs)
        self.action_required = action_required
        self.fields["themes"].choices = theme_choices(partnership)
        if actions is None:
            actions = Action.objects.filter(partnership=partnership)
        self.fields["actions"].queryset = actions
        self.fields["activities"].queryset = Activity.objects.filter(partnership=partnership)
        self.fields["file"].help_text = _(
            "PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, text or CSV, up to %(mb)s MB"
        ) % {"mb": uploads.max_bytes() // (1024 * 1024)}
        self.content_type = ""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return upload
        checked = uploads.check(upload)
        if checked.problem:
            message = UPLOAD_MESSAGES[checked.problem]
            if checked.problem == uploads.TOO_BIG:
                message = message % {"mb": uploads.max_bytes() // (1024 * 1024)}
            raise forms.ValidationError(message, code=checked.problem)
        self.content_type = checked.content_type
        return upload

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == EvidenceKind.DOCUMENT and not data.get("file") and "file" not in self.errors:
            self.add_error("file", _("Choose the document to upload"))
        if kind == EvidenceKind.LINK and not data.get("url") and "url" not in self.errors:
            self.add_error("url", _("Enter the link’s web address"))
        if self.action_required and not data.get("actions") and "actions" not in self.errors:
            self.add_error("actions", _("Select the action this evidence is for"))
        return data


class ActivityTextsForm(TextsForm):
    """An activity's wording, English and Welsh: recording one, or changing it after."""

    title = text_field(
        _("What took place, in English"),
        required=True,
        max_length=200,
        error_messages={"required": _("Enter what took place")},
    )
    title_cy = text_field(
        _("What took place, in Welsh (optional)"),
        welsh=True,
        max_length=200,
        help_text=WELSH_HELP,
    )
    notes = text_field(_("Notes in English (optional)"), rows=3)
    notes_cy = text_field(_("Notes in Welsh (optional)"), welsh=True, rows=3)


class ActivityForm(ActivityTextsForm):
    kind = forms.ChoiceField(label=_("Kind of activity"), choices=ActivityKind.choices)
    held_on = GovukDateField(label=_("Date"))
    schools = forms.ModelMultipleChoiceField(
        label=_("Schools taking part"), queryset=None, required=False, widget=GovukCheckboxes
    )
    hours = forms.DecimalField(
        label=_("People-hours"),
        help_text=_("Everyone’s time added up: 6 people for 2 hours is 12"),
        min_value=0,
        max_digits=8,
        decimal_places=1,
        error_messages={"required": _("Enter the people-hours, or 0")},
    )
    cost = forms.DecimalField(
        label=_("Cost in pounds (£)"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
        error_messages={"required": _("Enter the cost in pounds, or 0")},
    )
    field_order = ("title", "title_cy", "kind", "held_on", "schools", "hours", "cost")

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = member_schools(partnership)
        for name in ("hours", "cost"):
            self.fields[name].widget.attrs["class"] += " govuk-input--width-10"


class BenefitTextsForm(TextsForm):
    """A benefit's description, English and Welsh: recording one, or changing it after."""

    description = text_field(
        _("What the benefit is, in English"),
        required=True,
        rows=4,
        error_messages={"required": _("Enter what the benefit is")},
    )
    description_cy = text_field(
        _("What the benefit is, in Welsh (optional)"), welsh=True, rows=4, help_text=WELSH_HELP
    )


class BenefitForm(BenefitTextsForm):
    category = forms.ChoiceField(label=_("Benefit"), choices=BenefitCategory.choices)
    state = forms.ChoiceField(
        label=_("Expected or realised"), choices=BenefitState.choices, widget=GovukRadios
    )
    evidence = TitledChoices(
        label=_("Evidence"), queryset=None, required=False, widget=GovukCheckboxes
    )

    field_order = ("category", "state")

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = EvidenceItem.objects.filter(partnership=partnership)
