"""The role invitation and password reset emails, one template per language (subject, body).

Like the enquiry emails, the invitee's language comes first and the other follows, so the
email can be read whichever language the person prefers. Each language is rendered with that
language active, so the role name and the date are in it too.
"""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation

from partnerlens.directory.models import RoleInvitation

LANGUAGES = ("en", "cy")


def language_order(first: str) -> list[str]:
    first = first if first in LANGUAGES else LANGUAGES[0]
    return [first, *[code for code in LANGUAGES if code != first]]


def role_invitation(invitation: RoleInvitation, *, link: str, inviter: str, language: str):
    """The email inviting someone to a role in a partnership, carrying their single-use link."""
    subjects, bodies = [], []
    for code in language_order(language):
        with translation.override(code):
            context = {
                "partnership": invitation.partnership,
                "organisation": invitation.organisation,
                "role": invitation.get_role_display(),
                "inviter": inviter,
                "link": link,
                "expires": formats.date_format(timezone.localtime(invitation.expires_at), "j F Y"),
            }
            name = f"directory/email/role_invitation_{{}}{code}.txt"
            subjects.append(render_to_string(name.format("subject_"), context).strip())
            bodies.append(render_to_string(name.format(""), context).strip())
    body = "\n\n-----\n\n".join(bodies) + "\n"
    return EmailMessage(subject=" / ".join(subjects), body=body, to=[invitation.email])


def password_reset(user, *, uid: str, token: str):
    """The email with a link to choose a new password, in the language the person asked in
    first; the link in each half opens the page in that half's language."""
    from django.conf import settings
    from django.urls import reverse

    subjects, bodies = [], []
    for code in language_order(translation.get_language() or "en"):
        with translation.override(code):
            path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
            context = {
                "user": user,
                "link": settings.SITE_URL + path,
                "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
            }
            name = f"registration/email/password_reset_{{}}{code}.txt"
            subjects.append(render_to_string(name.format("subject_"), context).strip())
            bodies.append(render_to_string(name.format(""), context).strip())
    body = "\n\n-----\n\n".join(bodies) + "\n"
    return EmailMessage(
        subject=" / ".join(subjects),
        body=body,
        to=[user.email],
        headers={"X-Partnerlens-Reference": f"password_reset:{user.pk}"},
    )
