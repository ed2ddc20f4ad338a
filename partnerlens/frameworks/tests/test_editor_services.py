"""The editor's services on their own: moving (themes and questions alike), discarding, the
publish check, options, and a published version refusing with an error a page can word (not
a crash)."""

from __future__ import annotations

import pytest
from django.utils import translation

from partnerlens.audit.models import AuditEvent
from partnerlens.frameworks.errors import FrameworkChangeError, PublishedVersionError
from partnerlens.frameworks.models import Framework, FrameworkVersion, FrozenVersionError
from partnerlens.frameworks.services import drafts, options, questions, themes
from partnerlens.frameworks.services.versions import (
    flex_framework,
    publish_problems,
    publish_version,
    start_draft,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(personas, builtins):
    return flex_framework(
        personas["a"], builtins["partnership-quality"], theme_keys=["purpose", "trust", "impact"]
    )


def keys(version):
    return list(version.themes.order_by("order", "id").values_list("key", flat=True))


def test_moving_swaps_neighbours_and_stops_at_the_ends(draft):
    first, second, third = draft.themes.order_by("order", "id")
    assert drafts.move(third, "up") is True
    assert keys(draft) == ["purpose", "impact", "trust"]
    assert drafts.move(first, "up") is False
    assert drafts.move(second, "down") is False  # trust is now last
    assert keys(draft) == ["purpose", "impact", "trust"]
    orders = list(draft.themes.order_by("order").values_list("order", flat=True))
    assert orders == [0, 1, 2]
    assert AuditEvent.objects.filter(verb="framework.theme_moved").count() == 1


def test_moving_a_question_stays_within_its_theme(draft):
    theme = draft.themes.get(key="trust")
    before = list(theme.questions.order_by("order", "id").values_list("pk", flat=True))
    last = theme.questions.get(pk=before[-1])
    assert drafts.move(last, "down") is False
    assert drafts.move(last, "up") is True
    after = list(theme.questions.order_by("order", "id").values_list("pk", flat=True))
    assert after == [*before[:-2], before[-1], before[-2]]
    other = draft.themes.get(key="purpose").questions.values_list("theme_id", flat=True)
    assert set(other) == {draft.themes.get(key="purpose").pk}


def test_a_published_version_refuses_with_a_worded_change_error(draft):
    published = publish_version(draft)
    question = published.questions_for()[0]
    calls = [
        lambda: questions.remove_question(question),
        lambda: themes.remove_theme(question.theme),
        lambda: drafts.move(question.theme, "down"),
        lambda: drafts.move(question, "down"),
        lambda: options.remove_option(question.options.first()),
        lambda: drafts.discard_draft(published),
        lambda: drafts.update_details(published, name_en="New"),
    ]
    for call in calls:
        with pytest.raises(PublishedVersionError) as caught:
            call()
        assert isinstance(caught.value, FrameworkChangeError)
        assert isinstance(caught.value, FrozenVersionError)
        with translation.override("en"):
            assert caught.value.errors == [
                "Version 1 is published; start a new draft to change the framework."
            ]
    assert FrameworkVersion.objects.get(pk=published.pk).is_published


def test_the_publish_check_names_every_empty_theme_with_its_key(draft):
    assert publish_problems(draft) == []
    empty = themes.add_theme(draft, title_en="Later")
    problems = publish_problems(draft)
    assert [(p.code, p.params["key"]) for p in problems] == [("change.empty_theme", empty.key)]
    with pytest.raises(FrameworkChangeError):
        publish_version(draft)
    themes.remove_theme(empty)
    assert publish_version(draft).is_published


def test_discarding_the_only_draft_removes_the_framework(draft):
    framework_pk = draft.framework_id
    assert drafts.discard_draft(draft) is True
    assert not Framework.objects.filter(pk=framework_pk).exists()


def test_discarding_a_later_draft_keeps_the_framework_and_its_published_version(draft):
    published = publish_version(draft)
    second = start_draft(published.framework)
    assert drafts.discard_draft(second) is False
    assert list(published.framework.versions.values_list("pk", flat=True)) == [published.pk]
    # A new draft can be started again; the discarded draft's number is free again.
    assert start_draft(published.framework).number == second.number


def test_rubric_levels_keep_two_and_distinct_scores(draft):
    rubric = next(q for q in draft.questions_for() if q.kind == "rubric")
    levels = list(rubric.options.order_by("order"))
    with pytest.raises(FrameworkChangeError) as caught:
        options.save_option(rubric, levels[0], label_en="Same", score=levels[1].score)
    assert [p.code for p in caught.value.problems] == ["rules.rubric_shared_score"]
    question = options.save_option(rubric, label_en="Beyond", label_cy="Y tu hwnt")
    top = question.options.order_by("-score").first()
    assert (top.label_cy, top.score) == ("Y tu hwnt", levels[-1].score + 1)
    for level in list(question.options.order_by("order"))[:-2]:
        options.remove_option(level)
    with pytest.raises(FrameworkChangeError) as caught:
        options.remove_option(question.options.first())
    assert caught.value.problems[0].code == "change.last_options"


def test_an_agreement_scale_is_never_edited(draft):
    theme = draft.themes.get(key="trust")
    agreement = questions.add_question(theme, kind="agreement", text_en="We agree.")
    with pytest.raises(FrameworkChangeError) as caught:
        options.remove_option(agreement.options.first())
    assert caught.value.problems[0].code == "change.options_fixed"


def test_details_need_an_english_name_and_keep_welsh(draft):
    with pytest.raises(FrameworkChangeError):
        drafts.update_details(draft, name_en="  ")
    framework = drafts.update_details(draft, name_en="Ours", name_cy="Ein un ni")
    assert (framework.name_en, framework.name_cy) == ("Ours", "Ein un ni")
