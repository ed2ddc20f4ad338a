"""``{% load release_text %}``: which words in a stored release are English fallbacks.

A release stores each page in each language with the typed texts already chosen by
``core.bilingual`` (the Welsh, else the English), and its Welsh page keeps the English texts
chosen that way when it was built (``insights.releases``). ``{% english_fallbacks release
cycle as english %}`` gives them, so the results page can mark them ``lang="en"``
(``english_within`` and ``english_in_svg`` in ``core``'s ``bilingual`` tags). Empty on an
English page.
"""

from __future__ import annotations

from django import template

from partnerlens.core import bilingual
from partnerlens.enquiries.models import Cycle
from partnerlens.frameworks.models import Option, Question, Theme

register = template.Library()


@register.simple_tag
def english_fallbacks(release, cycle) -> frozenset[str]:
    """One frozenset per page, so the marking filters compile their pattern once."""
    if not bilingual.welsh_active():
        return frozenset()
    stored = release.page.get(bilingual.WELSH, {}).get("english")
    return frozenset(stored) if stored is not None else _lacking_welsh_now(cycle)


def _lacking_welsh_now(cycle) -> frozenset[str]:
    """For a release built before releases kept their English texts: the cycle's typed
    texts that lack Welsh today (the nearest guess; it misses texts changed since)."""
    version = cycle.framework_version
    themes = Theme.objects.filter(version=version)
    questions = Question.objects.filter(theme__version=version)
    options = Option.objects.filter(question__theme__version=version)
    cycles = Cycle.objects.filter(partnership_id=cycle.partnership_id)
    return frozenset(
        bilingual.english_fallbacks([version.framework], "name", "summary")
        | bilingual.english_fallbacks(themes, "title", "description")
        | bilingual.english_fallbacks(questions, "text", "help")
        | bilingual.english_fallbacks(options, "label")
        | bilingual.english_fallbacks(cycles, "title")
        | bilingual.english_fallbacks([cycle.partnership], "name")
    )
