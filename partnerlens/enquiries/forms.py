"""Forms: the lead's cycle, dates and invitation forms, and the open-link respondent's start
and private-link forms. The theme page of answers is ``answer_forms.ThemeAnswers``.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerlens.core.bilingual import interpolate, marked, text_field
from partnerlens.core.forms import (
    GovukCheckboxes,
    GovukDateField,
    GovukFormMixin,
    GovukRadios,
)
from partnerlens.directory.models import Membership, Organisation, Partnership, Role
from partnerlens.enquiries.invitee_files import MAX_FILE_BYTES
from partnerlens.enquiries.models import AnonymityMode, RelationshipsAsked
from partnerlens.frameworks.models import FrameworkVersion


class CycleTextsForm(GovukFormMixin, forms.Form):
    """A cycle's title and introduction, in English and in Welsh."""

    title = text_field(
        gettext_lazy("Title in English"),
        required=True,
        max_length=200,
        help_text=gettext_lazy("For example, “Spring 2025 partnership review”"),
        error_messages={"required": gettext_lazy("Enter a title in English")},
    )
    title_cy = text_field(
        gettext_lazy("Title in Welsh (optional)"),
        welsh=True,
        max_length=200,
        help_text=gettext_lazy("For example, “Adolygiad partneriaeth gwanwyn 2025”"),
    )
    introduction = text_field(
        gettext_lazy("Introduction in English (optional)"),
        rows=4,
        help_text=gettext_lazy(
            "What people read before they start: why you are asking and what happens next"
        ),
    )
    introduction_cy = text_field(
        gettext_lazy("Introduction in Welsh (optional)"),
        welsh=True,
        rows=4,
        help_text=gettext_lazy("Welsh pages show this. Leave it blank and they show the English."),
    )

    FIELDS = ("title", "title_cy", "introduction", "introduction_cy")


class CycleForm(CycleTextsForm):
    framework_version = forms.ModelChoiceField(
        label=gettext_lazy("Framework"),
        queryset=FrameworkVersion.objects.none(),
        empty_label=None,
        widget=GovukRadios,
    )
    opens_on = GovukDateField(label=gettext_lazy("Opens on"))
    closes_on = GovukDateField(label=gettext_lazy("Closes on"))
    anonymity_mode = forms.ChoiceField(
        label=gettext_lazy("Anonymity"),
        choices=AnonymityMode.choices,
        initial=AnonymityMode.CONFIDENTIAL,
        widget=GovukRadios,
    )
    audience_roles = forms.MultipleChoiceField(
        label=gettext_lazy("Roles asked"),
        choices=Role.choices,
        widget=GovukCheckboxes,
    )
    audience_organisations = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Member organisations asked"),
        queryset=Organisation.objects.none(),
        widget=GovukCheckboxes,
    )
    relationships_asked = forms.ChoiceField(
        label=gettext_lazy("Which partners do relationship questions ask about?"),
        choices=RelationshipsAsked.choices,
        initial=RelationshipsAsked.ALL,
        required=False,  # not sent: every partner, as before the choice existed
        widget=GovukRadios,
        help_text=gettext_lazy(
            "For a re-survey, ask each person only about partners whose tie with their "
            "organisation is new or has changed since the partnership’s last published "
            "cycle: a partner who has joined since, support between the two that has started "
            "or ended since, or a pair whose level those results did not show. The others "
            "keep the level shown then. If no cycle has been published yet, everyone is asked "
            "about every partner. This matters only when the framework asks about each partner."
        ),
    )

    def __init__(self, partnership: Partnership, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework_version"].queryset = (
            FrameworkVersion.objects.filter(status="published")
            .filter(Q(framework__owner=partnership) | Q(framework__owner__isnull=True))
            .select_related("framework")
            .order_by("framework__name_en", "-number")
        )
        self.fields["framework_version"].label_from_instance = lambda v: interpolate(
            _("%(name)s, version %(number)s"), name=marked(v.framework, "name"), number=v.number
        )
        self.fields["audience_organisations"].queryset = Organisation.objects.filter(
            pk__in=Membership.objects.current()
            .filter(partnership=partnership)
            .values("organisation_id")
        )

    def clean_relationships_asked(self) -> str:
        return self.cleaned_data.get("relationships_asked") or RelationshipsAsked.ALL

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("The closing date must be on or after the opening date"))
        return data


class InviteForm(GovukFormMixin, forms.Form):
    rows = forms.CharField(
        label=gettext_lazy("Paste rows"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "One person a line: email, name, role, organisation, language (en or cy)"
        ),
    )
    upload = forms.FileField(
        label=gettext_lazy("Or upload a CSV or Excel file"),
        required=False,
        help_text=gettext_lazy(
            "Columns: email, name, role, organisation, language. The first row names them."
        ),
    )

    def clean(self):
        data = super().clean()
        if not data.get("rows", "").strip() and not data.get("upload"):
            raise ValidationError(_("Paste at least one row or choose a file to upload"))
        upload = data.get("upload")
        if upload is not None and upload.size > MAX_FILE_BYTES:
            self.add_error("upload", _("The file is larger than 2 MB"))
        return data


class PublicStartForm(GovukFormMixin, forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Your role"), widget=GovukRadios)
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Your organisation (optional)"),
        queryset=Organisation.objects.none(),
        required=False,
    )

    def __init__(self, cycle, *args, **kwargs):
        super().__init__(*args, **kwargs)
        codes = cycle.audience_roles or Role.values
        self.fields["role"].choices = [(c, Role(c).label) for c in codes]
        chosen = cycle.audience_organisations.all()
        self.fields["organisation"].queryset = (
            chosen
            if chosen.exists()
            else Organisation.objects.filter(
                pk__in=Membership.objects.current()
                .filter(partnership=cycle.partnership)
                .values("organisation_id")
            )
        )


class CycleDatesForm(GovukFormMixin, forms.Form):
    """New dates for a cycle; every rule about them is the service's
    (``cycles.check_new_dates``), which names the date each message is about."""

    opens_on = GovukDateField(label=gettext_lazy("Opens on"))
    closes_on = GovukDateField(label=gettext_lazy("Closes on"))


class ResumeLinkEmailForm(GovukFormMixin, forms.Form):
    """Where to send a respondent's private link; the address is used once and not kept."""

    email = forms.EmailField(
        label=gettext_lazy("Your email address"),
        max_length=254,
        error_messages={
            "required": gettext_lazy("Enter your email address"),
            "invalid": gettext_lazy(
                "Enter an email address in the correct format, like name@example.org"
            ),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
