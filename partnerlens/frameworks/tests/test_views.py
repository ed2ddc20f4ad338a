"""Framework pages: who may see and change what, and the flows a lead goes through."""

from __future__ import annotations

import json

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partnerlens.frameworks.models import Framework, Question
from partnerlens.frameworks.services.documents import export_version
from partnerlens.frameworks.services.versions import flex_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas, builtins):
    """A's own draft and B's own published framework, beside the built-ins."""
    base = builtins["partnership-quality"]
    draft_a = flex_framework(personas["a"], base, theme_keys=["purpose", "trust"])
    from partnerlens.frameworks.services.versions import publish_version

    published_b = publish_version(flex_framework(personas["b"], base, theme_keys=["purpose"]))
    return {**personas, "base": base, "draft_a": draft_a, "published_b": published_b}


def urls_for(w, partnership, version):
    """(method, url, changes_something) for every page, pointed at one version."""
    p, v = partnership.pk, version.pk
    question = version.questions_for()[0]
    option = question.options.all()[0]
    return [
        ("get", reverse("frameworks:list", args=[p]), False),
        ("get", reverse("frameworks:version", args=[p, v]), False),
        ("get", reverse("frameworks:download_yaml", args=[p, v]), False),
        ("get", reverse("frameworks:download_json", args=[p, v]), False),
        ("get", reverse("frameworks:flex", args=[p, w["base"].pk]), True),
        ("get", reverse("frameworks:add_question", args=[p, v]), True),
        ("get", reverse("frameworks:add_theme", args=[p, v]), True),
        ("post", reverse("frameworks:remove_question", args=[p, v, question.pk]), True),
        ("post", reverse("frameworks:publish", args=[p, v]), True),
        ("post", reverse("frameworks:start_draft", args=[p, v]), True),
        ("get", reverse("frameworks:preview", args=[p, v]), False),
        ("post", reverse("frameworks:discard", args=[p, v]), True),
        ("post", reverse("frameworks:edit_details", args=[p, v]), True),
        ("post", reverse("frameworks:edit_theme", args=[p, v, question.theme_id]), True),
        ("post", reverse("frameworks:move_theme", args=[p, v, question.theme_id]), True),
        ("post", reverse("frameworks:remove_theme", args=[p, v, question.theme_id]), True),
        ("post", reverse("frameworks:edit_question", args=[p, v, question.pk]), True),
        ("post", reverse("frameworks:move_question", args=[p, v, question.pk]), True),
        ("post", reverse("frameworks:add_option", args=[p, v, question.pk]), True),
        ("post", reverse("frameworks:edit_option", args=[p, v, option.pk]), True),
        ("post", reverse("frameworks:remove_option", args=[p, v, option.pk]), True),
        ("get", reverse("frameworks:upload", args=[p]), True),
    ]


def test_anonymous_visitors_are_sent_to_sign_in_from_every_page(client, world):
    for method, url, _ in urls_for(world, world["a"], world["draft_a"]):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_an_outsider_finds_nothing_at_any_page(client, world):
    client.force_login(world["outsider"])
    for method, url, _ in urls_for(world, world["a"], world["draft_a"]):
        assert getattr(client, method)(url).status_code == 404, url


def test_lead_b_cannot_reach_as_framework_even_through_bs_own_partnership(client, world):
    client.force_login(world["lead_b"])
    for method, url, _ in urls_for(world, world["a"], world["draft_a"]):
        assert getattr(client, method)(url).status_code == 404, url
    # B's partnership with A's version in the address
    b, v = world["b"].pk, world["draft_a"].pk
    for name in ("version", "download_yaml", "add_question", "add_theme"):
        assert client.get(reverse(f"frameworks:{name}", args=[b, v])).status_code == 404, name
    assert client.post(reverse("frameworks:publish", args=[b, v])).status_code == 404
    assert world["draft_a"].themes.count() == 2


def test_a_teacher_may_view_but_not_change(client, world):
    client.force_login(world["teacher_a"])
    for method, url, changes in urls_for(world, world["a"], world["draft_a"]):
        status = getattr(client, method)(url).status_code
        assert status == (403 if changes else 200), url
    assert len(world["draft_a"].questions_for()) == 6
    assert world["draft_a"].is_draft


def test_lead_a_sees_both_builtin_and_own_frameworks_but_not_bs(client, world):
    client.force_login(world["lead_a"])
    page = client.get(reverse("frameworks:list", args=[world["a"].pk])).content.decode()
    assert "Self-improving system maturity" in page
    assert reverse("frameworks:version", args=[world["a"].pk, world["draft_a"].pk]) in page
    assert f"/versions/{world['published_b'].pk}/" not in page


def test_a_builtin_cannot_be_changed_even_by_a_lead(client, world):
    client.force_login(world["lead_a"])
    p, v = world["a"].pk, world["base"].pk
    assert client.post(reverse("frameworks:publish", args=[p, v])).status_code == 403
    assert client.get(reverse("frameworks:add_question", args=[p, v])).status_code == 403


def test_the_version_page_shows_level_descriptors_in_the_active_language(client, world):
    client.force_login(world["teacher_a"])
    url = reverse("frameworks:version", args=[world["a"].pk, world["base"].pk])
    english = client.get(url).content.decode()
    assert "Clarity of purpose" in english and "Every member owns the purpose." in english
    welsh = client.get("/cy" + url).content.decode()
    assert "Eglurder diben" in welsh and "Mae pob aelod yn berchen ar y diben." in welsh


def test_a_lead_flexes_a_builtin_through_the_form(client, world):
    client.force_login(world["lead_a"])
    url = reverse("frameworks:flex", args=[world["a"].pk, world["base"].pk])
    form = client.get(url).content.decode()
    assert 'name="themes" type="checkbox" value="impact"' in form
    assert 'name="target-impact"' in form and 'name="weight-impact"' in form
    assert "Create our framework" in form
    response = client.post(
        url,
        {
            "name_en": "Northside quality",
            "themes": ["impact", "governance"],
            "target-impact": "3",
            "weight-impact": "2",
            "target-governance": "",
            "weight-governance": "1",
            "weight-purpose": "1",
        },
    )
    framework = Framework.objects.get(owner=world["a"], name_en="Northside quality")
    draft = framework.versions.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("frameworks:version", args=[world["a"].pk, draft.pk])
    themes = {t.key: t for t in draft.themes.all()}
    assert set(themes) == {"impact", "governance"}
    assert (themes["impact"].target_level, themes["impact"].weight) == (3, 2)
    assert themes["governance"].target_level is None


def test_flexing_without_a_theme_is_refused_with_a_message(client, world):
    client.force_login(world["lead_a"])
    url = reverse("frameworks:flex", args=[world["a"].pk, world["base"].pk])
    page = client.post(url, {"weight-purpose": "1"}).content.decode()
    assert "govuk-error-summary" in page and "Select an answer for “Themes to include”" in page
    assert Framework.objects.filter(owner=world["a"]).count() == 1


def test_a_lead_adds_a_question_and_publishes(client, world):
    client.force_login(world["lead_a"])
    p, draft = world["a"].pk, world["draft_a"]
    page = client.get(reverse("frameworks:version", args=[p, draft.pk])).content.decode()
    assert "Publish this version" in page and "Add a question" in page
    form = client.get(reverse("frameworks:add_question", args=[p, draft.pk])).content.decode()
    for field_id in (
        "id_theme",
        "id_kind",
        "id_text_en",
        "id_text_cy",
        "id_help_en",
        "id_evidence_required",
    ):
        assert f'id="{field_id}"' in form, field_id
    theme = draft.themes.get(key="trust")
    response = client.post(
        reverse("frameworks:add_question", args=[p, draft.pk]),
        {
            "theme": theme.pk,
            "kind": "single_choice",
            "text_en": "Which phase are you in?",
            "text_cy": "Ym mha gyfnod ydych chi?",
            "roles": ["teacher", "headteacher"],
            "evidence_required": "on",
            "allow_dont_know": "on",
            "options": "Primary | Cynradd\nSecondary | Uwchradd",
        },
    )
    assert response.status_code == 302
    question = Question.objects.get(theme=theme, text_en="Which phase are you in?")
    assert question.evidence_required and question.roles == ["teacher", "headteacher"]
    assert [(o.label_en, o.label_cy) for o in question.options.all()] == [
        ("Primary", "Cynradd"),
        ("Secondary", "Uwchradd"),
    ]
    client.post(reverse("frameworks:publish", args=[p, draft.pk]))
    draft.refresh_from_db()
    assert draft.is_published
    page = client.get(reverse("frameworks:version", args=[p, draft.pk])).content.decode()
    assert "Publish this version" not in page and "Edit as a new draft" in page


def test_a_bad_question_is_explained(client, world):
    client.force_login(world["lead_a"])
    p, draft = world["a"].pk, world["draft_a"]
    theme = draft.themes.first()
    page = client.post(
        reverse("frameworks:add_question", args=[p, draft.pk]),
        {
            "theme": theme.pk,
            "kind": "rubric",
            "text_en": "Levels?",
            "options": "Only one",
        },
    ).content.decode()
    assert "Give at least two options, one per line." in page
    assert len(draft.questions_for()) == 6


def test_a_lead_removes_a_question_from_a_draft(client, world):
    client.force_login(world["lead_a"])
    p, draft = world["a"].pk, world["draft_a"]
    question = draft.questions_for()[0]
    client.post(reverse("frameworks:remove_question", args=[p, draft.pk, question.pk]))
    assert not Question.objects.filter(pk=question.pk).exists()


def test_downloads_are_the_exported_document(client, world):
    client.force_login(world["teacher_a"])
    p, v = world["a"].pk, world["base"].pk
    as_yaml = client.get(reverse("frameworks:download_yaml", args=[p, v]))
    as_json = client.get(reverse("frameworks:download_json", args=[p, v]))
    assert 'filename="partnership-quality-v1.yaml"' in as_yaml["Content-Disposition"]
    assert yaml.safe_load(as_yaml.content) == export_version(world["base"])
    assert json.loads(as_json.content) == export_version(world["base"])


def test_an_upload_with_errors_lists_each_bad_path(client, world):
    client.force_login(world["lead_a"])
    document = export_version(world["base"])
    document["themes"][2]["questions"][0]["options"][1]["score"] = "high"
    document["themes"][0]["key"] = "Not A Key"
    upload = SimpleUploadedFile("ours.yaml", yaml.safe_dump(document).encode())
    page = client.post(
        reverse("frameworks:upload", args=[world["a"].pk]), {"document": upload}
    ).content.decode()
    assert "govuk-error-summary" in page
    assert "themes[2].questions[0].options[1].score: must be a number" in page
    assert "themes[0].key: use lower-case letters" in page
    assert Framework.objects.filter(owner=world["a"]).count() == 1


def test_a_good_upload_becomes_a_draft_even_without_welsh(client, world):
    client.force_login(world["lead_a"])
    document = export_version(world["base"])
    document["slug"] = "our-own"
    document["themes"][0]["title"] = {"en": "Purpose, our way"}
    upload = SimpleUploadedFile("ours.json", json.dumps(document).encode())
    response = client.post(reverse("frameworks:upload", args=[world["a"].pk]), {"document": upload})
    framework = Framework.objects.get(owner=world["a"], slug="our-own")
    assert response.status_code == 302
    assert framework.versions.get().is_draft
    assert framework.versions.get().themes.first().title_cy == ""


def test_an_upload_that_is_not_yaml_or_json_is_refused(client, world):
    client.force_login(world["lead_a"])
    upload = SimpleUploadedFile("ours.docx", b"PK\x03\x04")
    page = client.post(
        reverse("frameworks:upload", args=[world["a"].pk]), {"document": upload}
    ).content.decode()
    assert "The file must be YAML (.yaml or .yml) or JSON (.json)." in page
