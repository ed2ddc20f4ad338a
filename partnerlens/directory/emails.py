"""The role invitation and password reset emails, one template per language (subject, body).

Like the enquiry emails, the invitee's language comes first and the other follows, so the
email can be read whichever language the person prefers. Each language is rendered with that
language active, so the role name and the date are in it too.
"""

from __future__ import annotations

from django.utils import formats, timezone, translation

from partnerlens.core.emails import bilingual_email
from partnerlens.directory.models import RoleInvitation


def role_invitation(invitation: RoleInvitation, *, link: str, inviter: str, language: str):
    """The email inviting someone to a role in a partnership, carrying their single-use link."""

    def context(code):
        return {
            "partnership": invitation.partnership,
            "organisation": invitation.organisation,
            "role": invitation.get_role_display(),
            "inviter": inviter,
            "link": link,
            "expires": formats.date_format(timezone.localtime(invitation.expires_at), "j F Y"),
        }

    return bilingual_email(
        "directory/email/role_invitation", language, context, to=[invitation.email]
    )


def password_reset(user, *, uid: str, token: str):
    """The email with a link to choose a new password, in the language the person asked in
    first; the link in each half opens the page in that half's language."""
    from django.conf import settings
    from django.urls import reverse

    def context(code):
        path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
        return {
            "user": user,
            "link": settings.SITE_URL + path,
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        }

    return bilingual_email(
        "registration/email/password_reset",
        translation.get_language() or "en",
        context,
        to=[user.email],
        headers={"X-Partnerlens-Reference": f"password_reset:{user.pk}"},
    )
