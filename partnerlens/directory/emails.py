"""The role invitation email, one template per language (subject and text body).

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
