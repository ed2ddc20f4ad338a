"""Emails written in both languages, the reader's first: the one builder every app's emails
call (role invitations, password resets, enquiry invitations and reminders, resume links,
support notices, early warnings).

Each language has its own templates, a subject and a body, rather than gettext, so an email
is bilingual even before the Welsh catalogue is compiled. Each is rendered with its language
active, so dates, role names and links are in that language too.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

LANGUAGES = ("en", "cy")


def language_order(first: str) -> list[str]:
    """``first`` then the other language (English first when ``first`` is neither)."""
    first = first if first in LANGUAGES else LANGUAGES[0]
    return [first, *[code for code in LANGUAGES if code != first]]


def bilingual_email(
    template: str, first: str, context: dict | Callable[[str], dict], **message
) -> EmailMessage:
    """``{template}_subject_{code}.txt`` and ``{template}_{code}.txt`` in each language,
    ``first`` first: the subjects joined by " / ", the bodies by a rule. ``context`` is a
    dict, or a function of the language code for what must be built in that language;
    ``message`` is passed on to ``EmailMessage`` (``to``, ``headers``)."""
    subjects, bodies = [], []
    for code in language_order(first):
        with translation.override(code):
            values = context(code) if callable(context) else context
            subjects.append(render_to_string(f"{template}_subject_{code}.txt", values).strip())
            bodies.append(render_to_string(f"{template}_{code}.txt", values).strip())
    return EmailMessage(
        subject=" / ".join(subjects), body="\n\n-----\n\n".join(bodies) + "\n", **message
    )
