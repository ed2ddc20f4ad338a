"""Invitation and reminder emails, written in both English and Welsh.

The invitee's own language comes first. Each language has its own templates (subject and
body) rather than gettext, so an email is bilingual even before the Welsh catalogue is
compiled.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation

from partnerlens.enquiries.models import Invitee, Language
from partnerlens.outbox.services import CONFIDENTIAL_HEADER, REFERENCE_HEADER


def respond_url(token: str, language: str) -> str:
    """The absolute link a respondent follows; Welsh links open the Welsh pages."""
    with translation.override(language):
        path = reverse("enquiries:start", args=[token])
    return f"{settings.SITE_URL}{path}"


def _languages(first: str) -> list[str]:
    return [first, *[code for code in Language.values if code != first]]


def build_message(kind: str, invitee: Invitee, token: str) -> EmailMessage:
    """An invitation or reminder to one invitee, carrying their fresh personal link."""
    cycle = invitee.cycle
    order = _languages(invitee.language)
    parts, subjects = [], []
    for language in order:
        with translation.override(language):
            context = {
                "invitee": invitee,
                "cycle": cycle,
                "partnership": cycle.partnership,
                "framework_name": cycle.framework_version.framework.name,
                "link": respond_url(token, language),
                "expires": formats.date_format(invitee.expires_at, "j F Y"),
                "closes": formats.date_format(cycle.closes_on, "j F Y"),
                "anonymous": cycle.is_anonymous,
            }
            parts.append(render_to_string(f"enquiries/email/{kind}_{language}.txt", context))
            subject = render_to_string(f"enquiries/email/{kind}_subject_{language}.txt", context)
            subjects.append(subject.strip())
    subject = " / ".join(subjects)
    body = "\n\n-----\n\n".join(part.strip() for part in parts) + "\n"
    # Only invitations carry the outbox reference the invitee page shows. Reminders go only
    # to people who have not answered, so showing their status, or listing them to staff,
    # would tell who has: they are marked confidential.
    if kind == "invitation":
        headers = {REFERENCE_HEADER: invitee_reference(invitee.pk)}
    else:
        headers = {CONFIDENTIAL_HEADER: "1"}
    return EmailMessage(subject=subject, body=body, to=[invitee.email], headers=headers)


def invitee_reference(pk: int) -> str:
    return f"invitee:{pk}"
