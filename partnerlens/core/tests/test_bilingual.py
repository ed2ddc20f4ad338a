"""The one rule for typed texts in two languages, and the template tags that apply it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from partnerlens.core import bilingual


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load i18n bilingual %}" + source).render(Context(context))


def cycle(title="Spring review", title_cy="", introduction="", introduction_cy=""):
    """An object stored the way Cycle and Partnership are: English in the plain field."""
    return SimpleNamespace(
        title=title, title_cy=title_cy, introduction=introduction, introduction_cy=introduction_cy
    )


def theme(title_en="Clarity of purpose", title_cy=""):
    """An object stored the way framework texts are: ``_en`` and ``_cy``."""
    return SimpleNamespace(title_en=title_en, title_cy=title_cy, title="not the stored field")


@pytest.mark.parametrize(
    ("obj", "language", "expected"),
    [
        (cycle(title_cy="Adolygiad y gwanwyn"), "cy", ("Adolygiad y gwanwyn", "cy")),
        (cycle(title_cy="Adolygiad y gwanwyn"), "en", ("Spring review", "en")),
        (cycle(), "cy", ("Spring review", "en")),
        (theme(title_cy="Eglurder pwrpas"), "cy", ("Eglurder pwrpas", "cy")),
        (theme(), "cy", ("Clarity of purpose", "en")),
        (theme(title_cy="Eglurder pwrpas"), "en", ("Clarity of purpose", "en")),
    ],
)
def test_the_reader_gets_welsh_on_a_welsh_page_when_it_exists(obj, language, expected):
    with translation.override(language):
        assert bilingual.pick(obj, "title") == expected
        assert bilingual.localised(obj, "title") == expected[0]


def test_an_english_fallback_on_a_welsh_page_is_marked_english():
    html = render('{% reader_text c "title" %}', "cy", c=cycle())
    assert html == '<span lang="en">Spring review</span>'


def test_welsh_on_a_welsh_page_and_english_on_an_english_page_are_not_marked():
    with_welsh = cycle(title_cy="Adolygiad y gwanwyn")
    assert render('{% reader_text c "title" %}', "cy", c=with_welsh) == "Adolygiad y gwanwyn"
    assert render('{% reader_text c "title" %}', "en", c=with_welsh) == "Spring review"


def test_typed_text_is_escaped_in_both_languages():
    risky = cycle(title="<b>Ours</b>", title_cy="<i>Ein</i>")
    assert render('{% reader_text c "title" %}', "cy", c=risky) == "&lt;i&gt;Ein&lt;/i&gt;"
    fallback = render('{% reader_text c "title" %}', "cy", c=cycle(title="<b>Ours</b>"))
    assert fallback == '<span lang="en">&lt;b&gt;Ours&lt;/b&gt;</span>'
    assert render('{{ c|localised:"title" }}', "cy", c=risky) == "&lt;i&gt;Ein&lt;/i&gt;"


def test_several_lines_keep_their_breaks_and_can_be_named_for_blocktranslate():
    text = cycle(introduction="Why we ask.\nWhat happens next.")
    html = render('{% reader_text c "introduction" linebreaks=True %}', "cy", c=text)
    assert html == '<span lang="en">Why we ask.<br>What happens next.</span>'
    source = (
        '{% reader_text c "title" as t %}'
        "{% blocktranslate %}Results of {{ t }}{% endblocktranslate %}"
    )
    assert render(source, "en", c=cycle()) == "Results of Spring review"
    # Inside a Welsh sentence the English title keeps its mark, not escaped a second time.
    assert '<span lang="en">Spring review</span>' in render(source, "cy", c=cycle())


def test_an_empty_text_is_rendered_as_nothing_not_an_empty_span():
    assert render('{% reader_text c "introduction" %}', "cy", c=cycle()) == ""


@pytest.mark.parametrize(
    ("obj", "shown"),
    [
        (cycle(), True),  # English title, no Welsh
        (cycle(title_cy="Adolygiad"), False),  # the introduction is blank in both
        (cycle(title_cy="Adolygiad", introduction="Why we ask"), True),
        (cycle(title_cy="Adolygiad", introduction="Why", introduction_cy="Pam"), False),
        (cycle(title_cy="   "), True),  # spaces are not Welsh
    ],
)
def test_the_welsh_missing_tag_shows_only_where_english_has_no_welsh(obj, shown):
    for language in ("en", "cy"):
        html = render('{% welsh_missing c "title" "introduction" %}', language, c=obj)
        assert ("partnerlens-welsh-missing" in html) is shown
        assert ("govuk-tag" in html) is shown


def test_the_welsh_missing_tag_is_worded_in_the_reader_language():
    html = render('{% welsh_missing c "title" %}', "en", c=cycle())
    assert ">Welsh missing</strong>" in html


# --- HTML built in Python, forms, and words a release stored ---------------------------


def test_marked_is_the_tag_for_python_built_labels():
    with translation.override("cy"):
        assert bilingual.marked(theme(), "title") == '<span lang="en">Clarity of purpose</span>'
        assert bilingual.marked(theme(title_cy="Eglurder"), "title") == "Eglurder"
    with translation.override("en"):
        assert bilingual.marked(theme(title_en="A & B"), "title") == "A &amp; B"


def test_interpolate_keeps_marked_values_and_escapes_the_rest():
    with translation.override("cy"):
        html = bilingual.interpolate(
            "<%(name)s>, fersiwn %(number)s", name=bilingual.marked(theme(), "title"), number=2
        )
    assert html == '&lt;<span lang="en">Clarity of purpose</span>&gt;, fersiwn 2'
    risky = bilingual.interpolate("%(name)s", name="<script>")
    assert risky == "&lt;script&gt;"


@pytest.mark.parametrize(
    ("english", "welsh", "shown"),
    [("Spring review", "", True), ("Spring review", "Adolygiad", False), ("", "", False)],
)
def test_a_form_shows_the_welsh_missing_tag_from_its_fields(english, welsh, shown):
    from django import forms

    class Texts(forms.Form):
        title = bilingual.text_field("Title")
        title_cy = bilingual.text_field("Teitl", welsh=True)

    form = Texts(initial={"title": english, "title_cy": welsh})
    html = render("{% welsh_missing_field f.title f.title_cy %}", "en", f=form)
    assert ("partnerlens-welsh-missing" in html) is shown
    assert 'lang="cy"' in str(form["title_cy"]) and 'lang="en"' in str(form["title"])


def test_english_fallbacks_inside_stored_welsh_words_are_marked_whole():
    english = {"Trust", "Clarity & purpose", "4"}
    with translation.override("cy"):
        cell = bilingual.mark_within("Thema Trust; Trusting; Clarity & purpose: 4", english)
        assert cell == (
            'Thema <span lang="en">Trust</span>; Trusting; '
            '<span lang="en">Clarity &amp; purpose</span>: 4'
        )
        assert bilingual.mark_within(3.5, english) == 3.5  # numbers are left to the template
        svg = '<svg><text x="1">Clarity &amp; purpose</text><text>Trusted</text></svg>'
        assert bilingual.mark_svg(svg, english) == (
            '<svg><text x="1" lang="en">Clarity &amp; purpose</text><text>Trusted</text></svg>'
        )
    with translation.override("en"):
        assert bilingual.mark_within("Trust <b>", english) == "Trust &lt;b&gt;"
        assert bilingual.mark_svg(svg, english) == svg


def test_recording_collects_the_english_shown_for_missing_welsh_and_nothing_else():
    texts = [cycle("Spring review"), cycle("Summer review", "Adolygiad yr haf"), cycle("")]
    with translation.override("cy"), bilingual.recording_fallbacks() as english:
        shown = [bilingual.localised(c, "title") for c in texts]
        bilingual.marked(theme(), "title")
    assert shown == ["Spring review", "Adolygiad yr haf", ""]
    assert english == {"Spring review", "Clarity of purpose"}
    with translation.override("en"), bilingual.recording_fallbacks() as on_english_page:
        bilingual.localised(texts[0], "title")
    assert on_english_page == set()  # English is no fallback on an English page
    with translation.override("cy"):
        bilingual.localised(cycle("Autumn review"), "title")  # after the block: not recorded
    assert "Autumn review" not in english
