"""Publishing, drafts, flexing and editing: what may change, and what never does."""

from __future__ import annotations

import pytest

from partnerlens.audit.models import AuditEvent
from partnerlens.frameworks.errors import FrameworkChangeError
from partnerlens.frameworks.models import (
    Framework,
    FrameworkVersion,
    FrozenVersionError,
    Option,
    Question,
    Theme,
)
from partnerlens.frameworks.services.documents import export_version
from partnerlens.frameworks.services.questions import add_question, remove_question, update_question
from partnerlens.frameworks.services.themes import add_theme, remove_theme
from partnerlens.frameworks.services.versions import flex_framework, publish_version, start_draft

pytestmark = pytest.mark.django_db


def quality(builtins):
    return builtins["partnership-quality"]


def test_a_published_versions_content_cannot_be_saved_or_deleted(builtins):
    version = quality(builtins)
    question = version.questions_for()[0]
    question.text_en = "Changed"
    with pytest.raises(FrozenVersionError):
        question.save()
    with pytest.raises(FrozenVersionError):
        question.delete()
    with pytest.raises(FrozenVersionError):
        question.options.first().delete()
    with pytest.raises(FrozenVersionError):
        Theme.objects.create(version=version, key="sneaky", title_en="Sneaky")
    with pytest.raises(FrozenVersionError):
        version.delete()
    assert Question.objects.get(pk=question.pk).text_en != "Changed"


def test_services_refuse_to_edit_a_published_version(builtins):
    version = quality(builtins)
    question = version.questions_for()[0]
    with pytest.raises(FrozenVersionError):
        add_question(question.theme, kind="agreement", text_en="New?")
    with pytest.raises(FrozenVersionError):
        update_question(question, text_en="Changed")
    with pytest.raises(FrozenVersionError):
        remove_question(question)
    with pytest.raises(FrozenVersionError):
        add_theme(version, title_en="More")
    with pytest.raises(FrozenVersionError):
        remove_theme(question.theme)


def test_start_draft_copies_the_latest_published_version_once(builtins, personas):
    flexed = flex_framework(personas["a"], quality(builtins), theme_keys=["purpose", "trust"])
    publish_version(flexed)
    draft = start_draft(flexed.framework)
    assert draft.number == 2 and draft.is_draft
    assert export_version(draft) == export_version(flexed)
    assert start_draft(flexed.framework) == draft  # an open draft is reused


def test_editing_a_draft_leaves_the_published_version_as_it_was(builtins, personas):
    v1 = flex_framework(personas["a"], quality(builtins), theme_keys=["purpose"])
    publish_version(v1)
    before = export_version(v1)
    v2 = start_draft(v1.framework)
    question = v2.questions_for()[0]
    update_question(question, text_en="How clear is our purpose?", text_cy="Pa mor glir?")
    remove_question(v2.questions_for()[-1])
    assert export_version(v1) == before
    assert v2.questions_for()[0].text_en == "How clear is our purpose?"
    assert len(v2.questions_for()) == len(v1.questions_for()) - 1


def test_removing_a_theme_from_a_draft_takes_its_questions_and_is_audited(builtins, personas):
    draft = flex_framework(personas["a"], quality(builtins), theme_keys=["purpose", "trust"])
    trust = draft.themes.get(key="trust")
    remove_theme(trust, actor=personas["lead_a"])
    assert list(draft.themes.values_list("key", flat=True)) == ["purpose"]
    assert not Question.objects.filter(theme_id=trust.pk).exists()
    assert AuditEvent.objects.filter(verb="framework.theme_removed", detail__key="trust").exists()


def test_flex_keeps_the_chosen_themes_with_targets_and_weights(builtins, personas):
    base = quality(builtins)
    draft = flex_framework(
        personas["a"],
        base,
        theme_keys=["trust", "purpose"],
        targets={"trust": 3},
        weights={"trust": 2.5, "purpose": 0.5},
        actor=personas["lead_a"],
    )
    framework = draft.framework
    assert framework.owner == personas["a"] and framework.based_on == base
    assert draft.is_draft and draft.number == 1
    themes = list(draft.themes.all())
    assert [t.key for t in themes] == ["trust", "purpose"]
    assert (themes[0].target_level, themes[0].weight) == (3, 2.5)
    assert (themes[1].target_level, themes[1].weight) == (None, 0.5)
    # the questions and level descriptors come across unchanged
    base_trust = next(t for t in export_version(base)["themes"] if t["key"] == "trust")
    ours_trust = export_version(draft)["themes"][0]
    assert ours_trust["questions"] == base_trust["questions"]
    assert draft.reflection_prompts.count() == base.reflection_prompts.count()
    assert AuditEvent.objects.filter(
        verb="framework.flexed", partnership_id=personas["a"].pk, actor=personas["lead_a"]
    ).exists()


def test_flex_rejects_unknown_themes_and_off_scale_targets(builtins, personas):
    with pytest.raises(FrameworkChangeError) as caught:
        flex_framework(personas["a"], quality(builtins), theme_keys=["purpose", "nonsense"])
    assert caught.value.errors == ["themes: 'nonsense' is not a theme of this framework"]
    with pytest.raises(FrameworkChangeError) as caught:
        flex_framework(
            personas["a"], quality(builtins), theme_keys=["purpose"], targets={"purpose": 7}
        )
    assert caught.value.errors == ["themes[0].target_level: must lie on the theme's scale (1 to 5)"]
    with pytest.raises(FrameworkChangeError):
        flex_framework(personas["a"], quality(builtins), theme_keys=[])
    assert not Framework.objects.filter(owner=personas["a"]).exists()


def test_flexing_twice_gives_two_frameworks_with_distinct_slugs(builtins, personas):
    first = flex_framework(personas["a"], quality(builtins), theme_keys=["purpose"])
    second = flex_framework(personas["a"], quality(builtins), theme_keys=["trust"])
    assert first.framework.slug == "partnership-quality"
    assert second.framework.slug == "partnership-quality-2"


def test_a_partnership_cannot_flex_another_partnerships_framework(builtins, personas):
    theirs = flex_framework(personas["b"], quality(builtins), theme_keys=["purpose"])
    publish_version(theirs)
    with pytest.raises(FrameworkChangeError):
        flex_framework(personas["a"], theirs, theme_keys=["purpose"])


def test_a_draft_cannot_be_flexed(builtins, personas):
    draft = flex_framework(personas["a"], quality(builtins), theme_keys=["purpose"])
    with pytest.raises(FrameworkChangeError):
        flex_framework(personas["a"], draft, theme_keys=["purpose"])


def test_own_themes_and_questions_can_be_added_to_a_draft(builtins, personas):
    draft = flex_framework(personas["a"], quality(builtins), theme_keys=["purpose"])
    theme = add_theme(draft, title_en="Reading for pleasure", title_cy="Darllen er pleser")
    rubric = add_question(
        theme,
        kind="rubric",
        text_en="How much do pupils read?",
        text_cy="Faint?",
        roles=["teacher"],
        evidence_required=True,
        options=[
            {"value": "little", "label": {"en": "Little"}, "score": 1},
            {"value": "lots", "label": {"en": "Lots"}, "score": 2},
        ],
    )
    agreement = add_question(theme, kind="agreement", text_en="Pupils enjoy reading.")
    assert theme.key == "reading-for-pleasure"
    assert [o.value for o in rubric.options.all()] == ["little", "lots"]
    assert rubric.roles == ["teacher"] and rubric.evidence_required
    assert agreement.options.count() == 5
    assert [q.key for q in draft.questions_for("teacher")][-2:] == [rubric.key, agreement.key]
    assert rubric.key not in [q.key for q in draft.questions_for("parent")]
    publish_version(draft)
    assert FrameworkVersion.objects.get(pk=draft.pk).is_published


def test_adding_a_bad_question_names_the_problem(builtins, personas):
    draft = flex_framework(personas["a"], quality(builtins), theme_keys=["purpose"])
    theme = draft.themes.get()
    with pytest.raises(FrameworkChangeError) as caught:
        add_question(theme, kind="rubric", text_en="Levels?", roles=["wizard"])
    assert "question.options: a rubric needs at least 2 levels" in caught.value.errors
    assert any(
        e.startswith("question.roles[0]: 'wizard' is not a role") for e in caught.value.errors
    )
    with pytest.raises(FrameworkChangeError) as caught:
        add_question(theme, kind="agreement", text_en="Dup", key="purpose-shared")
    assert caught.value.errors == ["question.key: 'purpose-shared' is already used in this version"]
    assert Option.objects.filter(question__theme=theme).count() == 4 + 5  # nothing half-added


def test_a_theme_without_questions_cannot_be_published(builtins, personas):
    draft = flex_framework(personas["a"], quality(builtins), theme_keys=["purpose"])
    add_theme(draft, title_en="Empty for now")
    with pytest.raises(FrameworkChangeError) as caught:
        publish_version(draft)
    assert caught.value.errors == ["The theme ‘Empty for now’ has no questions yet."]


def test_questions_for_a_role_come_in_page_order_without_extra_queries(
    builtins, django_assert_max_num_queries
):
    version = quality(builtins)
    with django_assert_max_num_queries(2):
        questions = version.questions_for("parent")
        labels = [o.label_en for q in questions for o in q.options.all()]
        titles = [q.theme.title_en for q in questions]
    assert [q.key for q in questions] == [
        "purpose-explain",
        "wider-parents-see-benefit",
        "wider-parents-ideas",
    ]
    assert labels[:5] == [
        "Strongly disagree",
        "Disagree",
        "Neither agree nor disagree",
        "Agree",
        "Strongly agree",
    ]
    assert titles[0] == "Clarity of purpose"


def test_an_upload_with_the_same_slug_replaces_the_open_draft(builtins, personas):
    from partnerlens.frameworks.services.versions import import_framework

    document = export_version(quality(builtins))
    document["themes"] = document["themes"][:2]
    first = import_framework(document, personas["a"])
    document["themes"] = document["themes"][:1]
    second = import_framework(document, personas["a"])
    assert first.pk == second.pk and second.is_draft
    assert [t.key for t in second.themes.all()] == ["purpose"]
