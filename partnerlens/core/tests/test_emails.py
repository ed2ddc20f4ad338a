"""The one builder of bilingual emails: both languages, the reader's first, each rendered
with its own language active."""

from __future__ import annotations

import pytest

from partnerlens.core.emails import bilingual_email, language_order

TEMPLATE = "registration/email/password_reset"


@pytest.mark.parametrize(
    ("first", "order"),
    [("cy", ["cy", "en"]), ("en", ["en", "cy"]), ("fr", ["en", "cy"]), ("", ["en", "cy"])],
)
def test_the_readers_language_comes_first_and_english_when_it_is_neither(first, order):
    assert language_order(first) == order


@pytest.mark.parametrize("first", ["en", "cy"])
def test_an_email_holds_both_languages_in_order_each_built_in_its_own(first):
    seen = []

    def context(code):
        seen.append(code)
        return {"user": None, "link": f"https://example.org/{code}/", "hours": 3}

    message = bilingual_email(TEMPLATE, first, context, to=["a@example.org"], headers={"X": "1"})
    english, welsh = "Reset your Partnerlens password", "Ailosod eich cyfrinair Partnerlens"
    subjects = [english, welsh] if first == "en" else [welsh, english]
    assert message.subject == " / ".join(subjects)
    assert seen == language_order(first)
    halves = message.body.split("\n\n-----\n\n")
    assert len(halves) == 2 and message.body.endswith("\n")
    for half, code in zip(halves, seen, strict=True):
        assert half.count(f"https://example.org/{code}/") == 1
    assert message.to == ["a@example.org"] and message.extra_headers == {"X": "1"}


def test_a_plain_context_is_used_for_both_languages():
    context = {"user": None, "link": "https://example.org/same/", "hours": 3}
    message = bilingual_email(TEMPLATE, "en", context, to=["a@example.org"])
    assert message.body.count("https://example.org/same/") == 2
