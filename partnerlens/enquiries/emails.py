"""Invitation and reminder emails, written in both English and Welsh.

The invitee's own language comes first. Each language has its own templates (subject and
body) rather than gettext, so an email is bilingual even before the Welsh catalogue is
compiled.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import formats, translation

from partnerlens.core.emails import bilingual_email
from partnerlens.enquiries.models import Invitee
from partnerlens.outbox.services import CONFIDENTIAL_HEADER, REFERENCE_HEADER


def respond_url(token: str, language: str) -> str:
    """The absolute link a respondent follows; Welsh links open the Welsh pages."""
    with translation.override(language):
        path = reverse("enquiries:start", args=[token])
    return f"{settings.SITE_URL}{path}"


def build_message(kind: str, invitee: Invitee, token: str) -> EmailMessage:
    """An invitation or reminder to one invitee, carrying their fresh personal link."""
    cycle = invitee.cycle

    def context(language):
        return {
            "invitee": invitee,
            "cycle": cycle,
            "partnership": cycle.partnership,
            "framework_name": cycle.framework_version.framework.name,
            "link": respond_url(token, language),
            "expires": formats.date_format(invitee.expires_at, "j F Y"),
            "closes": formats.date_format(cycle.closes_on, "j F Y"),
            "anonymous": cycle.is_anonymous,
        }

    # Only invitations carry the outbox reference the invitee page shows. Reminders go only
    # to people who have not answered, so showing their status, or listing them to staff,
    # would tell who has: they are marked confidential.
    if kind == "invitation":
        headers = {REFERENCE_HEADER: invitee_reference(invitee.pk)}
    else:
        headers = {CONFIDENTIAL_HEADER: "1"}
    return bilingual_email(
        f"enquiries/email/{kind}", invitee.language, context, to=[invitee.email], headers=headers
    )


def invitee_reference(pk: int) -> str:
    return f"invitee:{pk}"
