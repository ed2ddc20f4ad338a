"""Forms for the directory pages, rendered with GOV.UK Frontend's markup.

``GovukFormMixin`` and the two widgets below are meant for every app's forms: render each
field with ``{% include "partials/field.html" with field=form.x %}`` and the form's
errors with ``partials/error_summary.html`` (see partnerlens/templates/README.md).
"""

from __future__ import annotations

import datetime
import re

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from partnerlens.directory.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipKind,
    Role,
)

# GOV.UK Frontend class for each Django widget type (BoundField.widget_type).
_WIDGET_CLASSES = {
    "text": ("govuk-input", "govuk-input--error"),
    "email": ("govuk-input", "govuk-input--error"),
    "password": ("govuk-input", "govuk-input--error"),
    "number": ("govuk-input", "govuk-input--error"),
    "search": ("govuk-input", "govuk-input--error"),
    "textarea": ("govuk-textarea", "govuk-textarea--error"),
    "select": ("govuk-select", "govuk-select--error"),
}


def _widget_type(field: forms.Field) -> str:
    # Same rule as BoundField.widget_type, without caching a BoundField before the form's
    # own __init__ has finished changing labels.
    return re.sub(r"widget$|input$", "", type(field.widget).__name__.lower())


class GovukRadios(forms.RadioSelect):
    template_name = "directory/widgets/radios.html"


class GovukDate(forms.MultiWidget):
    """GOV.UK's date input: separate day, month and year boxes, no date picker."""

    template_name = "directory/widgets/date.html"

    def __init__(self, attrs=None):
        numeric = {"inputmode": "numeric", "class": "govuk-input govuk-date-input__input"}
        super().__init__(
            [forms.TextInput(numeric), forms.TextInput(numeric), forms.TextInput(numeric)], attrs
        )

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, with GOV.UK's error wording."""

    widget = GovukDate

    def __init__(self, **kwargs):
        # The parts are optional one by one so compress() can say which part is missing.
        fields = tuple(forms.CharField(required=False) for _part in range(3))
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        missing = [
            name
            for name, part in ((_("day"), day), (_("month"), month), (_("year"), year))
            if not part
        ]
        if missing:
            raise ValidationError(
                _("%(label)s must include a %(part)s"),
                code="incomplete",
                params={"label": self.label, "part": missing[0]},
            )
        try:
            if len(year) != 4:
                raise ValueError
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(
                _("%(label)s must be a real date"), code="invalid", params={"label": self.label}
            ) from None


class GovukFormMixin:
    """Puts GOV.UK Frontend's classes on each widget, and its error classes after validation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            classes = _WIDGET_CLASSES.get(_widget_type(field))
            if classes:
                existing = field.widget.attrs.get("class", "")
                field.widget.attrs["class"] = f"{classes[0]} {existing}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            field = self.fields[name]
            classes = _WIDGET_CLASSES.get(_widget_type(field))
            if classes:
                field.widget.attrs["class"] += f" {classes[1]}"
            elif isinstance(field.widget, GovukDate):
                for sub in field.widget.widgets:
                    sub.attrs["class"] += " govuk-input--error"


# --- accounts --------------------------------------------------------------------------


class SignInForm(GovukFormMixin, AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Email address or username")
        self.fields["username"].widget.attrs.update(autocomplete="username", spellcheck="false")
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"


class NewAccountForm(GovukFormMixin, forms.Form):
    """Name and password for someone accepting an invitation without an account."""

    name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        error_messages={"required": _("Enter your full name")},
    )
    password = forms.CharField(
        label=_("Create a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters. Do not use a common password."),
        error_messages={"required": _("Create a password")},
        strip=False,
    )

    def __init__(self, *args, email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields["name"].widget.attrs["autocomplete"] = "name"

    def clean_password(self) -> str:
        from django.contrib.auth import get_user_model

        password = self.cleaned_data["password"]
        user = get_user_model()(username=self.email, email=self.email)
        user.first_name = self.cleaned_data.get("name", "")
        password_validation.validate_password(password, user)
        return password


# --- partnerships ----------------------------------------------------------------------


class PartnershipForm(GovukFormMixin, forms.Form):
    """A partnership's own details (a plain form, so the service sees what changed)."""

    name = forms.CharField(
        label=_("Name of the partnership"),
        max_length=255,
        error_messages={"required": _("Enter the name of the partnership")},
    )
    kind = forms.ChoiceField(
        label=_("Type of partnership"),
        choices=PartnershipKind.choices,
        widget=GovukRadios,
        error_messages={"required": _("Select the type of partnership")},
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        required=False,
        help_text=_("What the partnership is for, in a sentence or two."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    start_date = GovukDateField(
        label=_("Start date"), required=False, help_text=_("For example, 1 9 2024")
    )
    end_date = GovukDateField(
        label=_("End date"), required=False, help_text=_("Leave blank if it continues")
    )

    FIELDS = ("name", "kind", "purpose", "start_date", "end_date")

    @classmethod
    def initial_from(cls, partnership: Partnership) -> dict:
        return {name: getattr(partnership, name) for name in cls.FIELDS}

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("End date must be the same as or after the start date"))
        return data


class SchoolSearchForm(GovukFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Search for a school"),
        help_text=_("Name, URN or postcode"),
        max_length=100,
        error_messages={"required": _("Enter a school's name, URN or postcode")},
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false"}),
    )


class AddMemberForm(forms.Form):
    """The school picked from the search results (schools are the public register)."""

    organisation = forms.ModelChoiceField(queryset=Organisation.objects.schools())


class PartnerOrganisationForm(GovukFormMixin, forms.Form):
    """A member that is not a school, such as a parent group or a business."""

    name = forms.CharField(
        label=_("Name of the organisation"),
        max_length=255,
        error_messages={"required": _("Enter the name of the organisation")},
    )
    kind = forms.ChoiceField(
        label=_("Type of organisation"),
        choices=[c for c in OrganisationKind.choices if c[0] != OrganisationKind.SCHOOL],
        widget=GovukRadios,
        error_messages={"required": _("Select the type of organisation")},
    )
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["postcode"].widget.attrs.update(
            {"class": "govuk-input govuk-input--width-10", "autocomplete": "postal-code"}
        )


class EndMembershipForm(GovukFormMixin, forms.Form):
    left = GovukDateField(
        label=_("Date it left the partnership"),
        error_messages={"required": _("Enter the date it left the partnership")},
    )

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership

    def clean_left(self) -> datetime.date:
        left = self.cleaned_data["left"]
        if self.membership.joined and left < self.membership.joined:
            raise ValidationError(
                _("Date it left must be on or after the date it joined, %(joined)s"),
                params={"joined": self.membership.joined.strftime("%d/%m/%Y")},
            )
        return left


class InvitationForm(GovukFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        error_messages={
            "required": _("Enter their email address"),
            "invalid": _("Enter an email address like name@example.org"),
        },
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("", _("Choose a role")), *Role.choices],
        error_messages={"required": _("Choose the role they will have")},
    )
    organisation = forms.ModelChoiceField(
        label=_("On behalf of (optional)"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("The partnership as a whole"),
        help_text=_("The member organisation this person represents, if any"),
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the partnership's own current members may be chosen.
        self.fields["organisation"].queryset = Organisation.objects.filter(
            memberships__in=partnership.memberships.current()
        ).distinct()
        self.fields["email"].widget.attrs.update(autocomplete="off", spellcheck="false")

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()
