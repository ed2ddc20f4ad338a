"""Forms for the directory pages, built on the GOV.UK form kit in ``partnerlens.core.forms``."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from partnerlens.core.bilingual import text_field
from partnerlens.core.forms import GovukDateField, GovukFormMixin, GovukRadios
from partnerlens.directory.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipKind,
    Role,
)

# --- accounts --------------------------------------------------------------------------


class SignInForm(GovukFormMixin, AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Email address or username")
        self.fields["username"].widget.attrs.update(autocomplete="username", spellcheck="false")
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"


class ResetRequestForm(GovukFormMixin, PasswordResetForm):
    """The address to send a reset link to. Django looks it up in any case (``iexact``);
    the email itself is ``emails.password_reset``, in both languages."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = _("Email address")
        email.help_text = _("The address you sign in with")
        email.error_messages.update(
            required=_("Enter your email address"),
            invalid=_("Enter an email address like name@example.org"),
        )
        email.widget.attrs.update(spellcheck="false")

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        from partnerlens.directory import emails

        emails.password_reset(context["user"], uid=context["uid"], token=context["token"]).send()


_NEW_PASSWORD_ERRORS = {
    "password_mismatch": _("The two passwords do not match. Type the same password twice"),
    "password_incorrect": _("Your current password is not right. Type it again"),
}


def _label_new_password(form) -> None:
    form.fields["new_password1"].label = _("New password")
    form.fields["new_password1"].help_text = _(
        "At least 8 characters. Do not use a common password."
    )
    form.fields["new_password1"].error_messages["required"] = _("Enter a new password")
    form.fields["new_password2"].label = _("Type the new password again")
    form.fields["new_password2"].error_messages["required"] = _("Type the new password again")


class NewPasswordForm(GovukFormMixin, SetPasswordForm):
    error_messages = _NEW_PASSWORD_ERRORS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _label_new_password(self)


class ChangePasswordForm(GovukFormMixin, PasswordChangeForm):
    error_messages = _NEW_PASSWORD_ERRORS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password")
        self.fields["old_password"].error_messages["required"] = _("Enter your current password")
        _label_new_password(self)


class CodeForm(GovukFormMixin, forms.Form):
    """A six-digit code from an authenticator app (or, where allowed, a backup code)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        error_messages={"required": _("Enter the code")},
    )

    def __init__(self, *args, backup: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        if backup:
            field.help_text = _(
                "The 6-digit code your authenticator app shows now, or one of your backup codes"
            )
        else:
            field.help_text = _("The 6-digit code your authenticator app shows now")
            field.widget.attrs["inputmode"] = "numeric"
        field.widget.attrs.update(
            autocomplete="one-time-code",
            spellcheck="false",
            **{"class": f"{field.widget.attrs.get('class', '')} govuk-input--width-10".strip()},
        )


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

    name = text_field(
        _("Name of the partnership in English"),
        required=True,
        max_length=255,
        error_messages={"required": _("Enter the name of the partnership")},
    )
    name_cy = text_field(
        _("Name of the partnership in Welsh (optional)"),
        welsh=True,
        max_length=255,
        help_text=_("Welsh pages show this. Leave it blank and they show the English."),
    )
    kind = forms.ChoiceField(
        label=_("Type of partnership"),
        choices=PartnershipKind.choices,
        widget=GovukRadios,
        error_messages={"required": _("Select the type of partnership")},
    )
    purpose = text_field(
        _("Purpose in English"),
        rows=4,
        help_text=_("What the partnership is for, in a sentence or two."),
    )
    purpose_cy = text_field(
        _("Purpose in Welsh (optional)"),
        welsh=True,
        rows=4,
        help_text=_("Welsh pages show this. Leave it blank and they show the English."),
    )
    start_date = GovukDateField(
        label=_("Start date"), required=False, help_text=_("For example, 1 9 2024")
    )
    end_date = GovukDateField(
        label=_("End date"), required=False, help_text=_("Leave blank if it continues")
    )

    FIELDS = ("name", "name_cy", "kind", "purpose", "purpose_cy", "start_date", "end_date")

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
    language = forms.ChoiceField(
        label=_("Language of the email"),
        choices=[("en", "English"), ("cy", "Cymraeg")],
        required=False,
        help_text=_("The email is in both languages; this one comes first"),
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = "cy" if get_language() == "cy" else "en"
        # Only the partnership's own current members may be chosen.
        self.fields["organisation"].queryset = Organisation.objects.filter(
            memberships__in=partnership.memberships.current()
        ).distinct()
        self.fields["email"].widget.attrs.update(autocomplete="off", spellcheck="false")

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()
