"""``{% load release_text %}``: which words in a stored release are English fallbacks.

A release stores each page in each language with the typed texts already chosen by
``core.bilingual`` (the Welsh, else the English). ``{% english_fallbacks cycle as english %}``
gives the English texts of the cycle's typed texts that lack Welsh, so the dashboard can mark
them ``lang="en"`` (``english_within`` and ``english_in_svg`` in ``core``'s ``bilingual``
tags). Empty on an English page.
"""

from __future__ import annotations

from django import template

from partnerlens.core import bilingual
from partnerlens.enquiries.models import Cycle
from partnerlens.frameworks.models import Option, Question, Theme

register = template.Library()


@register.simple_tag
def english_fallbacks(cycle) -> set[str]:
    if not bilingual.welsh_active():
        return set()
    version = cycle.framework_version
    themes = Theme.objects.filter(version=version)
    questions = Question.objects.filter(theme__version=version)
    options = Option.objects.filter(question__theme__version=version)
    cycles = Cycle.objects.filter(partnership_id=cycle.partnership_id)
    return (
        bilingual.english_fallbacks([version.framework], "name", "summary")
        | bilingual.english_fallbacks(themes, "title", "description")
        | bilingual.english_fallbacks(questions, "text", "help")
        | bilingual.english_fallbacks(options, "label")
        | bilingual.english_fallbacks(cycles, "title")
        | bilingual.english_fallbacks([cycle.partnership], "name")
    )
