"""Words the pages and charts print for the engines' codes, marked for translation without
importing Django.

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
NOT_ENOUGH_PARTNERSHIPS = gettext_noop("not enough partnerships to compare")

# The continuum of collaboration (analytics.maturity.CONTINUUM) and the spectrum of school
# partnership (analytics.maturity.SPECTRUM), by code.
CONTINUUM_LABELS = {
    "none": gettext_noop("None"),
    "networking": gettext_noop("Networking"),
    "co_ordination": gettext_noop("Co-ordination"),
    "co_operation": gettext_noop("Co-operation"),
    "collaboration": gettext_noop("Collaboration"),
}
SPECTRUM_LABELS = {
    "working_alone": gettext_noop("Schools working alone"),
    "informal_cluster": gettext_noop("Informal cluster"),
    "formal_partnership": gettext_noop("Formal partnership"),
    "federation_or_chain": gettext_noop("Federation or chain"),
    "shared_teaching_and_learning": gettext_noop(
        "Chain with a shared approach to teaching and learning"
    ),
}
