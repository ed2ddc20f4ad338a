"""The framework editor through its real pages: edit, reorder and remove in a draft (each
removal after a confirmation page), discard a draft, settings such as a number's range,
both languages, the preview, and a published version that refuses every change with a
specific explanation instead of failing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from partnerlens.frameworks.models import Framework, FrameworkVersion, Option, Question, Theme
from partnerlens.frameworks.services.questions import add_question
from partnerlens.frameworks.services.themes import add_theme
from partnerlens.frameworks.services.versions import publish_version, start_draft
from partnerlens.frameworks.tests.addresses import url

pytestmark = pytest.mark.django_db


def choice_question(theme, kind, text_en, labels):
    """A question of ``kind`` whose options are ``labels`` (value: English label)."""
    choices = [{"value": value, "label": {"en": label}} for value, label in labels.items()]
    return add_question(theme, kind=kind, text_en=text_en, options=choices)


def themes_in_order(version):
    return list(version.themes.order_by("order", "id").values_list("key", flat=True))


def test_a_theme_is_changed_in_both_languages_and_shown_in_welsh(lead, draft):
    theme = draft.themes.get(key="trust")
    page = lead.get(url("edit_theme", draft, theme_pk=theme.pk)).content.decode()
    assert 'name="title_cy"' in page and 'lang="cy"' in page
    response = lead.post(
        url("edit_theme", draft, theme_pk=theme.pk),
        {
            "title_en": "Trust between schools",
            "title_cy": "Ymddiriedaeth rhwng ysgolion",
            "description_en": "How far we rely on each other.",
            "description_cy": "",
            "weight": "2",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#theme-trust")
    theme.refresh_from_db()
    assert (theme.title_en, theme.title_cy, theme.weight) == (
        "Trust between schools",
        "Ymddiriedaeth rhwng ysgolion",
        2,
    )
    welsh = lead.get("/cy" + url("version", draft)).content.decode()
    assert "Ymddiriedaeth rhwng ysgolion" in welsh
    # The description has no Welsh: shown in English, marked as English, and flagged.
    assert '<span lang="en">How far we rely on each other.</span>' in welsh
    assert "partnerlens-welsh-missing" in welsh


def test_an_english_title_is_required_and_the_error_links_to_its_field(lead, draft):
    theme = draft.themes.get(key="trust")
    page = lead.post(
        url("edit_theme", draft, theme_pk=theme.pk), {"title_en": "", "weight": "1"}
    ).content.decode()
    assert "govuk-error-summary" in page and 'href="#id_title_en"' in page
    theme.refresh_from_db()
    assert theme.title_en != ""


def test_themes_and_questions_move_up_and_down(lead, draft):
    assert themes_in_order(draft) == ["purpose", "trust"]
    purpose = draft.themes.get(key="purpose")
    response = lead.post(url("move_theme", draft, theme_pk=purpose.pk), {"direction": "down"})
    assert response.status_code == 302
    assert themes_in_order(draft) == ["trust", "purpose"]
    # Already last: nothing changes, and nothing fails.
    lead.post(url("move_theme", draft, theme_pk=purpose.pk), {"direction": "down"})
    assert themes_in_order(draft) == ["trust", "purpose"]

    questions = list(purpose.questions.order_by("order", "id"))
    assert len(questions) >= 2
    lead.post(url("move_question", draft, question_pk=questions[1].pk), {"direction": "up"})
    moved = list(purpose.questions.order_by("order", "id"))
    assert [q.pk for q in moved[:2]] == [questions[1].pk, questions[0].pk]
    page = lead.get(url("version", draft)).content.decode()
    assert page.index(questions[1].text_en) < page.index(questions[0].text_en)


def test_a_bad_direction_is_explained_not_a_500(lead, draft):
    theme = draft.themes.first()
    response = lead.post(url("move_theme", draft, theme_pk=theme.pk), {"direction": "sideways"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert "choose up or down" in response.content.decode()


def test_a_question_is_removed_only_after_confirmation(lead, draft):
    question = draft.questions_for()[0]
    page = lead.get(url("remove_question", draft, question_pk=question.pk)).content.decode()
    assert "Remove this question?" in page and "Yes, remove this question" in page
    assert question.text_en in page
    assert Question.objects.filter(pk=question.pk).exists()
    response = lead.post(url("remove_question", draft, question_pk=question.pk))
    assert response.status_code == 302
    assert not Question.objects.filter(pk=question.pk).exists()


def test_a_theme_is_removed_with_its_questions_after_confirmation(lead, draft):
    theme = draft.themes.get(key="trust")
    count = theme.questions.count()
    page = lead.get(url("remove_theme", draft, theme_pk=theme.pk)).content.decode()
    assert f"Its {count} questions will be removed with it." in page
    assert Theme.objects.filter(pk=theme.pk).exists()
    lead.post(url("remove_theme", draft, theme_pk=theme.pk))
    assert themes_in_order(draft) == ["purpose"]
    assert not Question.objects.filter(theme_id=theme.pk).exists()


def test_an_empty_theme_is_named_and_linked_and_never_blocks_for_good(lead, draft, personas):
    empty = add_theme(draft, title_en="Governance later")
    page = lead.get(url("publish", draft)).content.decode()
    assert "govuk-error-summary" in page
    assert "The theme ‘Governance later’ has no questions yet." in page
    assert f'href="{url("version", draft)}#theme-{empty.key}"' in page
    assert "Publish this version" not in page  # no button while it cannot work
    lead.post(url("publish", draft))
    draft.refresh_from_db()
    assert draft.is_draft
    # Remove the empty theme (after confirming), then publishing works.
    lead.post(url("remove_theme", draft, theme_pk=empty.pk))
    page = lead.get(url("publish", draft)).content.decode()
    assert "Publish this version" in page and "can never change" in page
    draft.refresh_from_db()
    assert draft.is_draft  # the confirmation page changes nothing
    lead.post(url("publish", draft))
    draft.refresh_from_db()
    assert draft.is_published


def test_a_draft_is_discarded_after_confirmation(lead, draft, personas):
    framework = draft.framework
    page = lead.get(url("discard", draft)).content.decode()
    assert "Yes, discard this draft" in page and "will be removed too" in page
    assert FrameworkVersion.objects.filter(pk=draft.pk).exists()
    response = lead.post(url("discard", draft))
    assert response["Location"] == reverse("frameworks:list", args=[personas["a"].pk])
    assert not Framework.objects.filter(pk=framework.pk).exists()


def test_discarding_a_second_draft_keeps_the_published_version(lead, draft, personas):
    published = publish_version(draft)
    second = start_draft(published.framework)
    response = lead.post(url("discard", second))
    assert response["Location"] == url("version", published)
    assert not FrameworkVersion.objects.filter(pk=second.pk).exists()
    assert FrameworkVersion.objects.get(pk=published.pk).is_published


def test_a_published_version_refuses_every_change_with_a_reason(lead, draft):
    published = publish_version(draft)
    theme = published.themes.first()
    question = published.questions_for()[0]
    option = question.options.first()
    attempts = [
        ("post", url("remove_question", published, question_pk=question.pk), {}),
        ("get", url("remove_question", published, question_pk=question.pk), {}),
        ("post", url("remove_theme", published, theme_pk=theme.pk), {}),
        ("post", url("remove_option", published, option_pk=option.pk), {}),
        ("post", url("edit_question", published, question_pk=question.pk), {"text_en": "x"}),
        ("post", url("edit_theme", published, theme_pk=theme.pk), {"title_en": "x"}),
        ("post", url("move_theme", published, theme_pk=theme.pk), {"direction": "down"}),
        ("post", url("move_question", published, question_pk=question.pk), {"direction": "up"}),
        ("get", url("add_question", published), {}),
        ("post", url("discard", published), {}),
        ("get", url("edit_details", published), {}),
        ("get", url("add_theme", published), {}),
        ("post", url("add_theme", published), {"title_en": "x", "weight": "1"}),
        ("get", url("remove_theme", published, theme_pk=theme.pk), {}),
        ("post", url("add_option", published, question_pk=question.pk), {"label_en": "x"}),
        ("post", url("edit_option", published, option_pk=option.pk), {"label_en": "x"}),
    ]
    for method, address, data in attempts:
        response = getattr(lead, method)(address, data)
        page = response.content.decode()
        assert response.status_code == 200, address
        assert "govuk-error-summary" in page, address
        assert "Version 1 is published; start a new draft to change the framework." in page
        assert "Start a new draft" in page, address
    assert Question.objects.filter(pk=question.pk).exists()
    assert Option.objects.filter(pk=option.pk).exists()
    assert themes_in_order(published) == ["purpose", "trust"]
    assert FrameworkVersion.objects.get(pk=published.pk).is_published


def test_the_refusal_is_worded_in_welsh_on_welsh_pages(lead, draft):
    published = publish_version(draft)
    question = published.questions_for()[0]
    page = lead.post("/cy" + url("remove_question", published, question_pk=question.pk))
    text = page.content.decode()
    assert page.status_code == 200 and "govuk-error-summary" in text
    assert "Version 1 is published; start a new draft" not in text


def number_question(draft, **config):
    theme = draft.themes.get(key="trust")
    return add_question(theme, kind="number", text_en="How many meetings?", config=config)


def test_a_number_questions_range_is_set_and_checked(lead, draft):
    question = number_question(draft)
    address = url("edit_question", draft, question_pk=question.pk)
    form = lead.get(address).content.decode()
    assert 'id="id_min"' in form and 'id="id_max"' in form and 'id="id_max_length"' not in form
    base = {"text_en": "How many meetings?", "weight": "1"}
    page = lead.post(address, {**base, "min": "10", "max": "5"}).content.decode()
    assert "govuk-error-summary" in page and 'href="#id_max"' in page
    assert "The highest number must be more than the lowest" in page
    question.refresh_from_db()
    assert question.config == {}
    lead.post(address, {**base, "min": "0", "max": "12", "unit": "meetings", "required": "on"})
    question.refresh_from_db()
    assert question.config == {"min": 0, "max": 12, "unit": "meetings"} and question.required
    lead.post(address, {**base, "min": "2.5"})  # both optional: only a minimum
    question.refresh_from_db()
    assert question.config == {"min": 2.5}


def test_a_number_question_is_added_with_its_range(lead, draft):
    theme = draft.themes.get(key="trust")
    data = {"theme": theme.pk, "kind": "number", "text_en": "How many visits?"}
    page = lead.post(url("add_question", draft), {**data, "min": "5", "max": "5"}).content
    assert "The highest number must be more than the lowest" in page.decode()
    assert not Question.objects.filter(text_en="How many visits?").exists()
    lead.post(url("add_question", draft), {**data, "min": "1", "max": "40"})
    assert Question.objects.get(text_en="How many visits?").config == {"min": 1, "max": 40}


def test_a_multiple_choice_limit_cannot_exceed_its_options(lead, draft):
    theme = draft.themes.get(key="trust")
    question = choice_question(theme, "multiple_choice", "Which?", {"a": "A", "b": "B"})
    address = url("edit_question", draft, question_pk=question.pk)
    page = lead.post(address, {"text_en": "Which?", "max_choices": "3"}).content.decode()
    assert 'href="#id_max_choices"' in page
    lead.post(address, {"text_en": "Which?", "max_choices": "2"})
    question.refresh_from_db()
    assert question.config == {"max_choices": 2}


def test_options_are_changed_in_both_languages_and_the_last_two_stay(lead, draft):
    theme = draft.themes.get(key="trust")
    question = choice_question(
        theme, "single_choice", "Phase?", {"primary": "Primary", "secondary": "Secondary"}
    )
    first = question.options.get(value="primary")
    lead.post(
        url("edit_option", draft, option_pk=first.pk),
        {"label_en": "Primary school", "label_cy": "Ysgol gynradd", "descriptor_en": ""},
    )
    labels = list(question.options.values_list("value", "label_en", "label_cy"))
    assert labels == [
        ("primary", "Primary school", "Ysgol gynradd"),
        ("secondary", "Secondary", ""),
    ]
    last = question.options.get(value="secondary")
    page = lead.post(url("remove_option", draft, option_pk=last.pk)).content.decode()
    assert "govuk-error-summary" in page and "needs at least 2 options" in page
    assert question.options.count() == 2
    lead.post(url("add_option", draft, question_pk=question.pk), {"label_en": "All-through"})
    assert question.options.count() == 3
    lead.post(url("remove_option", draft, option_pk=question.options.get(value="secondary").pk))
    assert list(question.options.values_list("value", flat=True)) == ["primary", "all-through"]


def test_the_name_and_summary_take_both_languages(lead, draft):
    lead.post(
        url("edit_details", draft),
        {"name_en": "Valley quality", "name_cy": "Ansawdd y Cwm", "summary_en": "Ours."},
    )
    framework = Framework.objects.get(pk=draft.framework_id)
    assert (framework.name_en, framework.name_cy, framework.summary_en) == (
        "Valley quality",
        "Ansawdd y Cwm",
        "Ours.",
    )
    page = lead.get(url("version", draft)).content.decode()
    assert 'id="welsh-gaps"' in page  # the summary (and the flexed themes) lack Welsh


def test_the_preview_shows_the_survey_read_only_in_the_readers_language(lead, draft):
    theme = draft.themes.get(key="trust")
    welsh = add_question(
        theme,
        kind="number",
        text_en="How many joint meetings?",
        text_cy="Sawl cyfarfod ar y cyd?",
        config={"min": 0, "max": 20},
    )
    english_only = add_question(theme, kind="long_text", text_en="What changed this year?")
    response = lead.get(url("preview", draft))
    page = response.content.decode()
    assert response.status_code == 200 and 'id="preview-banner"' in page
    assert "How many joint meetings?" in page and "Enter a number from 0 to 20." in page
    main = page.split('id="main-content"', 1)[1]
    assert 'method="post"' not in main and "csrfmiddlewaretoken" not in main  # nothing to save
    assert "<button" not in main.split("</form>", 1)[1]  # after the role picker: no button
    cy = lead.get("/cy" + url("preview", draft)).content.decode()
    assert welsh.text_cy in cy and welsh.text_en not in cy
    assert f'<span lang="en">{english_only.text_en}</span>' in cy
    # A role sees only its own questions.
    teacher_only = add_question(
        theme, kind="short_text", text_en="Teachers only", roles=["teacher"]
    )
    assert (
        teacher_only.text_en in lead.get(url("preview", draft) + "?role=teacher").content.decode()
    )
    assert (
        teacher_only.text_en
        not in lead.get(url("preview", draft) + "?role=governor").content.decode()
    )


def test_a_member_may_preview_but_not_edit(client, personas, draft):
    client.force_login(personas["teacher_a"])
    assert client.get(url("preview", draft)).status_code == 200
    question = draft.questions_for()[0]
    assert client.get(url("edit_question", draft, question_pk=question.pk)).status_code == 403
    assert client.post(url("discard", draft)).status_code == 403
    assert FrameworkVersion.objects.filter(pk=draft.pk).exists()
