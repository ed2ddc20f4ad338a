"""Template context every page needs."""

from __future__ import annotations

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

# Each language named in itself, as a switcher should show it.
NATIVE_NAMES = {"en": "English", "cy": "Cymraeg"}


def language_switch(request) -> dict:
    """The current page's address in each language, for the switcher in base.html.

    The address is worked out here, while the page's own language is active, because
    Django's set_language view runs unprefixed (so in English) and cannot resolve a
    /cy/ address to translate it back.
    """
    current = get_language()
    path = request.get_full_path()
    return {
        "language_switch": [
            {
                "code": code,
                "name": NATIVE_NAMES.get(code, str(name)),
                "url": path if code == current else translate_url(path, code),
                "current": code == current,
            }
            for code, name in settings.LANGUAGES
        ]
    }
