"""``{% load bilingual %}``: texts people typed, in the reader's language.

``{% reader_text cycle "title" %}`` shows the Welsh on a Welsh page when it exists, else the
English, wrapped in ``<span lang="en">`` on a Welsh page so screen readers switch voice.
Add ``linebreaks=True`` for several lines, or ``as name`` to use it inside
``{% blocktranslate %}``. ``{{ cycle|localised:"title" }}`` gives the same text unmarked, for
places that cannot hold markup (``<title>``, attributes). ``{% welsh_missing cycle "title"
"introduction" %}`` is the editors' "Welsh missing" tag, shown when any of those fields has
English and no Welsh; ``{% welsh_missing_field form.title form.title_cy %}`` is the same tag
for a form's pair of fields (``partials/bilingual_fields.html``). Words stored already in
the reader's language (an insights release) are marked where they hold English fallbacks:
``{{ cell|english_within:fallbacks }}``, ``{{ svg|english_in_svg:fallbacks }}``, where
``fallbacks`` is ``bilingual.english_fallbacks(...)``. The rule itself is
``partnerlens.core.bilingual``.
"""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from partnerlens.core import bilingual

register = template.Library()


@register.simple_tag
def reader_text(obj, field: str, linebreaks: bool = False) -> SafeString:
    return bilingual.marked(obj, field, linebreaks)


@register.filter
def localised(obj, field: str) -> str:
    return bilingual.localised(obj, field)


@register.simple_tag
def welsh_missing(obj, *fields: str) -> SafeString:
    return bilingual.missing_tag() if bilingual.welsh_missing(obj, *fields) else SafeString("")


@register.simple_tag
def welsh_missing_field(english, welsh) -> SafeString:
    """The tag beside a form's Welsh field when its English field holds text and it none."""
    if bilingual.lacks_welsh(english.value(), welsh.value()):
        return bilingual.missing_tag()
    return SafeString("")


@register.filter
def english_within(text, fallbacks):
    return bilingual.mark_within(text, fallbacks or ())


@register.filter(is_safe=True)
def english_in_svg(svg, fallbacks):
    return bilingual.mark_svg(svg, fallbacks or ())
