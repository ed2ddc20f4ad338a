"""User-facing wording of the pure analytics, marked for translation without importing Django.

``gettext_noop`` is one of the keywords Django's ``makemessages`` extracts, so these strings
reach the .po files; callers translate them at render time (``gettext(SUPPRESSED)``), and the
chart functions take a ``translate`` callable for the same reason.
"""

from __future__ import annotations

from collections.abc import Callable

Translate = Callable[[str], str]


def gettext_noop(message: str) -> str:
    return message


def identity(message: str) -> str:
    return message


SUPPRESSED = gettext_noop("not enough responses to show")
REASON_SMALL_GROUP = gettext_noop("fewer responses than the minimum group size")
REASON_COMPLEMENTARY = gettext_noop("hidden so that a smaller group cannot be worked out")
NOT_ENOUGH_PARTNERSHIPS = gettext_noop("not enough partnerships to compare")
NO_ORGANISATION_LABEL = gettext_noop("No organisation")
ALL_RESPONDENTS = gettext_noop("All respondents")
LEADERS = gettext_noop("Leaders")
EVERYONE_ELSE = gettext_noop("Everyone else")
