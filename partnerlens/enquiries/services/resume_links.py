"""A respondent's private link: where it points, and emailing it to the respondent.

Open-link respondents get a private link to their own draft when they start; nobody else
knows it. They may email it to themselves: the address is used to send that one message and
is not stored with the response (the mail system keeps the message only to deliver it).
In an anonymous cycle the link is never emailed, since a stored message holding an address
and the link would tie that person to their answers (docs/anonymity.md, "Open links").
"""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _

from partnerlens.core.emails import bilingual_email
from partnerlens.enquiries.emails import respond_url
from partnerlens.enquiries.errors import EnquiryError
from partnerlens.enquiries.models import Response


def can_email(response: Response) -> bool:
    """Whether this response's private link may be emailed (never in anonymous cycles)."""
    return not response.cycle.is_anonymous and not response.is_submitted


def email_resume_link(response: Response, token: str, address: str, *, language: str) -> None:
    """Send the private link to ``address`` in ``language`` first, then the other language.

    The address goes only into the message; nothing about it is written to the response.
    """
    if not can_email(response):
        raise EnquiryError(_("This link cannot be sent by email."))
    cycle = response.cycle

    def context(code):
        return {
            "cycle": cycle,
            "partnership": cycle.partnership,
            "link": respond_url(token, code),
            "closes": formats.date_format(cycle.closes_on, "j F Y"),
        }

    bilingual_email("enquiries/email/resume_link", language, context, to=[address]).send()
