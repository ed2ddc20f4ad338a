"""The editor's bad-input paths, each through its real page with its own message (in English
and in Welsh), and the draft's page reading the same number of queries however many themes,
questions and options it shows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape

from partnerlens.audit.models import AuditEvent
from partnerlens.frameworks.errors import FrameworkChangeError
from partnerlens.frameworks.models import Question
from partnerlens.frameworks.services.questions import add_question, update_question
from partnerlens.frameworks.services.themes import add_theme, update_theme
from partnerlens.frameworks.tests.addresses import url

pytestmark = pytest.mark.django_db


def in_welsh(text: str) -> str:
    """The Welsh of an English interface text, as the catalogue has it (checked to differ)."""
    with translation.override("cy"):
        welsh = translation.gettext(text)
    assert welsh != text, f"no Welsh for {text!r}"
    return welsh


def page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def number_question(draft):
    theme = draft.themes.get(key="trust")
    return add_question(theme, kind="number", text_en="How many meetings?")


def test_a_number_range_with_min_not_below_max_is_refused_in_both_languages(lead, draft):
    question = number_question(draft)
    address = url("edit_question", draft, question_pk=question.pk)
    data = {"text_en": "How many meetings?", "min": "5", "max": "5"}
    message = "The highest number must be more than the lowest"
    english = page(lead.post(address, data))
    assert message in english and 'href="#id_max"' in english
    welsh = page(lead.post("/cy" + address, data))
    assert escape(in_welsh(message)) in welsh and message not in welsh
    question.refresh_from_db()
    assert question.config == {}


def test_a_step_of_zero_is_refused_with_its_message(lead, draft):
    question = number_question(draft)
    address = url("edit_question", draft, question_pk=question.pk)
    html = page(lead.post(address, {"text_en": "How many meetings?", "step": "0"}))
    assert "The step must be more than 0" in html and 'href="#id_step"' in html
    question.refresh_from_db()
    assert question.config == {}


def test_a_choice_limit_above_the_options_names_the_number_of_options(lead, draft):
    theme = draft.themes.get(key="trust")
    choices = [{"value": v, "label": {"en": v.upper()}} for v in ("a", "b", "c")]
    question = add_question(theme, kind="multiple_choice", text_en="Which?", options=choices)
    address = url("edit_question", draft, question_pk=question.pk)
    html = page(lead.post(address, {"text_en": "Which?", "max_choices": "4"}))
    assert "The most options a person may tick cannot be more than the 3 options" in html


def test_an_empty_theme_is_named_in_both_languages_before_publishing(lead, draft):
    empty = add_theme(draft, title_en="Governance later", title_cy="Llywodraethu wedyn")
    english = page(lead.get(url("publish", draft)))
    assert "The theme ‘Governance later’ has no questions yet." in english
    welsh = page(lead.get("/cy" + url("publish", draft)))
    assert "Llywodraethu wedyn" in welsh and "has no questions yet" not in welsh
    assert f"#theme-{empty.key}" in welsh


def test_a_level_sharing_a_score_is_refused_on_its_score_field(lead, draft):
    rubric = next(q for q in draft.questions_for() if q.kind == "rubric")
    first, second = list(rubric.options.order_by("order"))[:2]
    address = url("edit_option", draft, option_pk=first.pk)
    html = page(lead.post(address, {"label_en": first.label_en, "score": f"{second.score:g}"}))
    assert "Two rubric levels share a score" in html and 'href="#id_score"' in html
    first.refresh_from_db()
    assert first.score != second.score


def test_an_option_needs_an_english_label(lead, draft):
    rubric = next(q for q in draft.questions_for() if q.kind == "rubric")
    count = rubric.options.count()
    address = url("add_option", draft, question_pk=rubric.pk)
    html = page(lead.post(address, {"label_en": "", "label_cy": "Lefel"}))
    assert "govuk-error-summary" in html and 'href="#id_label_en"' in html
    assert "Enter “Label in English”" in html
    assert rubric.options.count() == count


def test_a_fixed_scale_is_explained_without_a_document_path(lead, draft):
    theme = draft.themes.get(key="trust")
    agreement = add_question(theme, kind="agreement", text_en="We plan together.")
    option = agreement.options.first()
    message = "questions use a fixed scale or no options, so options cannot be changed"
    html = page(lead.post(url("edit_option", draft, option_pk=option.pk), {"label_en": "Yes"}))
    assert message in html and "options: " not in html
    html = page(lead.post(url("remove_option", draft, option_pk=option.pk)))
    assert message in html
    assert agreement.options.count() == 5


def test_the_last_two_options_stay_with_a_sentence_not_a_path(lead, draft):
    theme = draft.themes.get(key="trust")
    choices = [{"value": v, "label": {"en": v.upper()}} for v in ("a", "b")]
    question = add_question(theme, kind="single_choice", text_en="Pick", options=choices)
    address = url("remove_option", draft, option_pk=question.options.first().pk)
    english = page(lead.post(address))
    assert "question needs at least 2 options." in english and "options: " not in english
    welsh = page(lead.post("/cy" + address))
    assert "needs at least 2 options" not in welsh and "options: " not in welsh
    assert question.options.count() == 2


def test_an_added_theme_is_confirmed_and_a_blank_title_is_linked(lead, draft):
    address = url("add_theme", draft)
    html = page(lead.post(address, {"title_en": "", "weight": "1"}))
    assert 'href="#id_title_en"' in html
    response = lead.post(address, {"title_en": "Governance", "weight": "1"}, follow=True)
    assert "The theme has been added." in page(response)
    assert draft.themes.filter(title_en="Governance").exists()


def test_a_theme_needs_an_english_title_a_weight_of_zero_or_more_and_a_free_key(draft):
    with pytest.raises(FrameworkChangeError) as caught:
        add_theme(draft, title_en="  ", weight=-1)
    with translation.override("en"):
        assert caught.value.errors == [
            "title_en: a theme needs an English title",
            "weight: must be zero or more",
        ]
    with pytest.raises(FrameworkChangeError) as caught:
        add_theme(draft, title_en="Trust again", key="trust")
    with translation.override("en"):
        assert caught.value.errors == ["key: 'trust' is already a theme of this version"]
    with pytest.raises(FrameworkChangeError) as caught:
        update_theme(draft.themes.get(key="trust"), title_en="", weight=1)
    assert [p.code for p in caught.value.problems] == ["change.theme_title"]


def test_an_unchanged_question_is_audited_with_only_what_changed(draft):
    question = draft.questions_for()[0]
    fields = ("text_en", "text_cy", "help_en", "help_cy", "roles", "required", "weight")
    same = {name: getattr(question, name) for name in fields}
    update_question(question, **{**same, "text_cy": "Testun newydd"})
    event = AuditEvent.objects.filter(verb="framework.question_updated").latest("id")
    assert event.detail["changed"] == ["text_cy"]


def draft_page_queries(client, version) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("version", version))
    assert response.status_code == 200
    return len(queries)


def test_the_draft_page_reads_the_same_queries_however_much_it_shows(lead, draft):
    before = draft_page_queries(lead, draft)
    for n in range(3):
        theme = add_theme(draft, title_en=f"Extra {n}")
        for kind in ("rubric", "single_choice", "multiple_choice", "agreement"):
            labels = [{"value": f"v{i}", "label": {"en": f"L{i}"}, "score": i} for i in (1, 2, 3)]
            options = [] if kind == "agreement" else labels
            if kind != "rubric":
                options = [{**o, "score": None} for o in options]
            add_question(theme, kind=kind, text_en=f"{kind} {n}?", options=options or None)
    assert Question.objects.filter(theme__version=draft).count() > 12
    assert draft_page_queries(lead, draft) == before
