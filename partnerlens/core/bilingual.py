"""Texts people type in two languages: the one rule for which of the two a reader sees.

A typed text is stored twice on its object: the English in ``<field>_en`` (or, where the
field kept its first name, plain ``<field>``, as ``Partnership.name`` and ``Cycle.title``)
and the Welsh in ``<field>_cy``, blank until someone writes it. A reader of a Welsh page
sees the Welsh when it exists, otherwise the English, which pages mark ``lang="en"`` so a
screen reader switches voice: ``marked`` here for HTML built in Python (choice labels,
table cells), ``{% reader_text %}`` in ``templatetags/bilingual.py`` for templates.
A text "lacks Welsh" when it has English and no Welsh (``lacks_welsh``); editors see the
"Welsh missing" tag (``missing_tag``) wherever that holds. Words built now and shown later
(an insights release) keep the English texts ``pick`` fell back to (``recording_fallbacks``)
so the page can mark them inside the stored words (``mark_within``, ``mark_svg``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache, partial
from typing import Any

from django import forms
from django.template.defaultfilters import linebreaksbr
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WELSH = "cy"
ENGLISH = "en"

# The English texts ``pick`` has shown in place of missing Welsh, while one is recording.
_fallbacks: ContextVar[set[str] | None] = ContextVar("english_fallbacks", default=None)


def welsh_active() -> bool:
    return (translation.get_language() or ENGLISH).startswith(WELSH)


def english_of(obj: Any, field: str) -> str:
    """The English text: ``<field>_en`` if the object has one, else ``<field>`` itself."""
    value = getattr(obj, f"{field}_en", None)
    if value is None:
        value = getattr(obj, field, "")
    return value or ""


def welsh_of(obj: Any, field: str) -> str:
    return getattr(obj, f"{field}_{WELSH}", "") or ""


def pick(obj: Any, field: str) -> tuple[str, str]:
    """(text, language of that text) for the active language: Welsh on a Welsh page when it
    exists, else English."""
    if not welsh_active():
        return english_of(obj, field), ENGLISH
    welsh = welsh_of(obj, field)
    if welsh:
        return welsh, WELSH
    english = english_of(obj, field)
    recording = _fallbacks.get()
    if recording is not None and english:
        recording.add(english)
    return english, ENGLISH


@contextmanager
def recording_fallbacks() -> Iterator[set[str]]:
    """Collect the English texts shown in place of missing Welsh while the block runs (in
    this thread): a release builds its Welsh page inside one and stores what it collected."""
    found: set[str] = set()
    token = _fallbacks.set(found)
    try:
        yield found
    finally:
        _fallbacks.reset(token)


def localised(obj: Any, field: str) -> str:
    """The text of ``field`` in the active language, falling back to English."""
    return pick(obj, field)[0]


def mark_english(html: str) -> SafeString:
    """Escaped text (or safe HTML) marked as English when the page is Welsh."""
    shown = conditional_escape(html)
    if shown and welsh_active():
        return format_html('<span lang="en">{}</span>', shown)
    return shown


def marked(obj: Any, field: str, linebreaks: bool = False) -> SafeString:
    """The text of ``field`` as HTML in the active language: escaped, and an English
    fallback on a Welsh page wrapped in ``<span lang="en">``."""
    text, language = pick(obj, field)
    shown = linebreaksbr(text, autoescape=True) if linebreaks else conditional_escape(text)
    return mark_english(shown) if language == ENGLISH else shown


def interpolate(template: str, **values: Any) -> SafeString:
    """A translated sentence holding typed texts, as HTML: the sentence escaped, each value
    kept as it is if already HTML (``marked``) and escaped if not. For labels built in
    Python, e.g. ``interpolate(_("Weight for %(theme)s"), theme=marked(theme, "title"))``."""
    escaped = {name: conditional_escape(value) for name, value in values.items()}
    return mark_safe(conditional_escape(template) % escaped)  # noqa: S308 (all escaped)


def lacks_welsh(english: Any, welsh: Any) -> bool:
    """A text with English and no Welsh (a blank English needs no Welsh)."""
    return bool(str(english or "").strip()) and not str(welsh or "").strip()


def welsh_missing(obj: Any, *fields: str) -> list[str]:
    """The fields of ``obj`` that lack Welsh."""
    return [f for f in fields if lacks_welsh(english_of(obj, f), welsh_of(obj, f))]


def english_fallbacks(objects: Iterable[Any], *fields: str) -> set[str]:
    """The English texts a Welsh reader is shown in place of missing Welsh: each of
    ``fields`` of each object that lacks Welsh (for ``mark_within`` and ``mark_svg``)."""
    return {english_of(obj, f) for obj in objects for f in welsh_missing(obj, *fields)}


def missing_tag() -> SafeString:
    """The editors' "Welsh missing" tag."""
    return format_html(
        '<strong class="govuk-tag govuk-tag--yellow partnerlens-welsh-missing">{}</strong>',
        _("Welsh missing"),
    )


def text_field(
    label, *, welsh: bool = False, rows: int = 0, required: bool = False, **options
) -> forms.CharField:
    """A form field for one language of a typed text. Its input carries ``lang`` (and the
    Welsh one spell-checking), so browsers check and screen readers read the right language.
    ``rows`` makes it a text area; ``options`` go to ``CharField`` (``max_length``,
    ``help_text``, ``error_messages``)."""
    attrs = {"lang": WELSH, "spellcheck": "true"} if welsh else {"lang": ENGLISH}
    if rows:
        widget = forms.Textarea(attrs={"rows": rows, **attrs})
    else:
        widget = forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, required=required, widget=widget, **options)


@lru_cache(maxsize=64)
def _pattern(english: frozenset[str], svg: bool = False) -> re.Pattern | None:
    """One regex for the escaped texts, longest first, each whole (not inside a word); a
    text with no letter in it (a number) is no language's. Cached: a page marks all its
    cells with the one set (pass the same ``frozenset``)."""
    escape = partial(html.escape, quote=False) if svg else conditional_escape
    words = {t for t in english if any(c.isalpha() for c in t)}
    texts = sorted({escape(t) for t in words}, key=len, reverse=True)
    if not texts:
        return None
    body = r"(?<!\w)(?:" + "|".join(map(re.escape, texts)) + r")(?!\w)"
    if svg:
        return re.compile(r"<text\b([^>]*)>(" + body + r")</text>")
    return re.compile(body)


def mark_within(text: Any, english: Iterable[str]) -> Any:
    """Stored text (a release's sentence or table cell) as HTML, with each of the ``english``
    texts in it marked ``lang="en"`` on a Welsh page: for pages that show words saved in
    the reader's language with the English fallbacks already in them. Not text: unchanged."""
    if not isinstance(text, str):
        return text
    shown = conditional_escape(text)
    pattern = _pattern(frozenset(english)) if welsh_active() else None
    if pattern is None:
        return shown
    return mark_safe(pattern.sub(r'<span lang="en">\g<0></span>', shown))  # noqa: S308 (escaped)


def mark_svg(svg: str, english: Iterable[str]) -> str:
    """A chart's SVG with each ``<text>`` that is one of the ``english`` texts given
    ``lang="en"`` on a Welsh page (SVG text cannot hold a span)."""
    if not svg or not welsh_active():
        return svg
    labels = _pattern(frozenset(english), svg=True)
    if labels is None:
        return svg
    return labels.sub(r'<text\1 lang="en">\2</text>', svg)
