"""Welsh beside English in the actions app: the forms save both languages, a Welsh reader
sees the Welsh where someone wrote it and the English marked ``lang="en"`` where not, the
lead sees "Welsh missing" where it is, a finding's name is kept in both languages, and a
progress note is marked with the language its writer chose."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from partnerlens.actions.models import Action, Activity, Benefit, EvidenceItem
from partnerlens.actions.services.plans import create_action
from partnerlens.actions.services.records import record_activity, record_benefit
from partnerlens.audit import verbs
from partnerlens.audit.models import AuditEvent
from partnerlens.frameworks.models import Theme
from partnerlens.insights.models import Release

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
MISSING = "partnerlens-welsh-missing"


def welsh(name, *args) -> str:
    with translation.override("cy"):
        return reverse(name, args=args)


def english(name, *args) -> str:
    # A request leaves its language active in the test's thread: name English's paths.
    with translation.override("en"):
        return reverse(name, args=args)


def dates(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def action(personas, title, **texts) -> Action:
    return create_action(
        personas["a"],
        actor=personas["lead_a"],
        title=title,
        owner=personas["teacher_a"],
        due_on=TODAY + timedelta(days=30),
        **texts,
    )


def test_a_welsh_reader_sees_the_welsh_title_and_the_english_marked_where_there_is_none(
    client, personas
):
    both = action(personas, "Joint moderation", title_cy="Cymedroli ar y cyd")
    action(personas, "Reading buddies")
    client.force_login(personas["teacher_a"])
    html = client.get(welsh("actions:plan", personas["a"].pk)).text
    assert f'{both.pk}/">Cymedroli ar y cyd</a>' in html
    assert "Joint moderation" not in html
    assert '<span lang="en">Reading buddies</span>' in html
    assert MISSING not in html  # a member who cannot change actions is not told
    shown = client.get(english("actions:plan", personas["a"].pk)).text
    assert "Joint moderation" in shown and "Cymedroli ar y cyd" not in shown

    detail = client.get(welsh("actions:action_detail", personas["a"].pk, both.pk)).text
    assert '<h1 class="govuk-heading-l">Cymedroli ar y cyd</h1>' in detail
    assert "<title>Cymedroli ar y cyd" in detail


def test_the_lead_sees_welsh_missing_beside_each_action_that_lacks_it(client, personas):
    done = action(personas, "Joint moderation", title_cy="Cymedroli ar y cyd")
    lacking = action(
        personas, "Reading buddies", title_cy="Cyfeillion darllen", description="Pairs of pupils"
    )
    client.force_login(personas["lead_a"])
    html = client.get(reverse("actions:plan", args=[personas["a"].pk])).text

    def row(item):
        start = html.index(f'id="action-{item.pk}"')
        return html[start : html.index("</tr>", start)]

    assert MISSING not in row(done)
    assert MISSING in row(lacking)  # its description has no Welsh
    detail = client.get(reverse("actions:action_detail", args=[personas["a"].pk, lacking.pk]))
    assert MISSING in detail.text


def test_the_action_form_saves_both_languages_and_an_edit_records_the_welsh_changed(
    client, personas
):
    client.force_login(personas["lead_a"])
    data = {
        "title": "Share planning across schools",
        "title_cy": "Rhannu cynllunio rhwng ysgolion",
        "description": "Termly planning days",
        "description_cy": "Diwrnodau cynllunio bob tymor",
        "success_text": "Every school uses the shared plans",
        "success_text_cy": "Pob ysgol yn defnyddio'r cynlluniau a rennir",
        "owner": personas["teacher_a"].pk,
        **dates("start_on", TODAY),
        **dates("due_on", TODAY + timedelta(days=30)),
        "status": "planned",
    }
    page = client.get(reverse("actions:action_create", args=[personas["a"].pk])).text
    assert 'name="title_cy"' in page and 'lang="cy"' in page
    response = client.post(reverse("actions:action_create", args=[personas["a"].pk]), data)
    assert response.status_code == 302
    saved = Action.objects.get()
    assert (saved.title_cy, saved.description_cy, saved.success_text_cy) == (
        "Rhannu cynllunio rhwng ysgolion",
        "Diwrnodau cynllunio bob tymor",
        "Pob ysgol yn defnyddio'r cynlluniau a rennir",
    )

    edit = reverse("actions:action_edit", args=[personas["a"].pk, saved.pk])
    assert client.get(edit).context["form"].initial["title_cy"] == saved.title_cy
    client.post(edit, data | {"title_cy": "Cynllunio ar y cyd"})
    saved.refresh_from_db()
    assert saved.title_cy == "Cynllunio ar y cyd" and saved.title == data["title"]
    assert AuditEvent.objects.get(verb=verbs.ACTION_CHANGED).detail["fields"] == ["title_cy"]


def test_the_english_title_is_still_required_and_the_welsh_is_not(client, personas):
    client.force_login(personas["lead_a"])
    data = {
        "title_cy": "Teitl yn Gymraeg yn unig",
        "owner": personas["teacher_a"].pk,
        **dates("start_on", TODAY),
        **dates("due_on", TODAY + timedelta(days=3)),
        "status": "planned",
    }
    page = client.post(reverse("actions:action_create", args=[personas["a"].pk]), data)
    assert "Enter a title for the action" in page.text and not Action.objects.exists()


def test_evidence_activities_and_benefits_save_the_welsh_and_show_it_to_welsh_readers(
    client, personas, schools
):
    a = personas["a"].pk
    client.force_login(personas["lead_a"])
    response = client.post(
        reverse("actions:evidence_add", args=[a]),
        {
            "kind": "note",
            "title": "Moderation notes",
            "title_cy": "Nodiadau cymedroli",
            "text": "Agreed on 18 of 20",
            "text_cy": "Cytuno ar 18 o 20",
        },
    )
    assert response.status_code == 302
    item = EvidenceItem.objects.get()
    assert (item.title_cy, item.text_cy) == ("Nodiadau cymedroli", "Cytuno ar 18 o 20")
    response = client.post(
        reverse("actions:activity_add", args=[a]),
        {
            "title": "Heads' meeting",
            "title_cy": "Cyfarfod y penaethiaid",
            "kind": "meeting",
            **dates("held_on", TODAY),
            "hours": "6",
            "cost": "0",
            "notes": "Termly",
            "notes_cy": "Bob tymor",
        },
    )
    assert response.status_code == 302
    assert Activity.objects.values_list("title_cy", "notes_cy").get() == (
        "Cyfarfod y penaethiaid",
        "Bob tymor",
    )
    response = client.post(
        reverse("actions:benefit_add", args=[a]),
        {
            "category": "cpd",
            "state": "realised",
            "description": "Shared moderation",
            "description_cy": "Cymedroli a rennir",
            "evidence": [item.pk],
        },
    )
    assert response.status_code == 302
    assert Benefit.objects.get().description_cy == "Cymedroli a rennir"

    client.force_login(personas["teacher_a"])
    evidence = client.get(welsh("actions:evidence_list", a)).text
    assert "Nodiadau cymedroli" in evidence and "Cytuno ar 18 o 20" in evidence
    assert "Moderation notes" not in evidence
    activities = client.get(welsh("actions:activity_list", a)).text
    assert "Cyfarfod y penaethiaid" in activities and "Bob tymor" in activities
    benefits = client.get(welsh("actions:benefits", a)).text
    assert "Cymedroli a rennir" in benefits and "Nodiadau cymedroli" in benefits
    assert "Shared moderation" not in benefits


def test_records_without_welsh_are_marked_english_and_tagged_for_the_lead(
    client, personas, schools
):
    a = personas["a"]
    record_activity(a, actor=personas["lead_a"], title="Peer visits", kind="visit", held_on=TODAY)
    record_benefit(
        a, actor=personas["lead_a"], category="cpd", state="expected", description="Less travel"
    )
    client.force_login(personas["teacher_a"])
    activities = client.get(welsh("actions:activity_list", a.pk)).text
    assert '<span lang="en">Peer visits</span>' in activities and MISSING not in activities
    benefits = client.get(welsh("actions:benefits", a.pk)).text
    assert '<span lang="en">Less travel</span>' in benefits
    client.force_login(personas["lead_a"])
    assert MISSING in client.get(reverse("actions:activity_list", args=[a.pk])).text
    assert MISSING in client.get(reverse("actions:benefits", args=[a.pk])).text


def test_a_findings_name_is_kept_in_english_and_in_welsh(client, personas, schools, published):
    Theme.objects.filter(key="purpose").update(title_cy="Eglurder pwrpas")
    published.title_cy = "Adolygiad y gwanwyn"
    published.save(update_fields=["title_cy"])
    release = Release.objects.get(cycle=published)
    query = f"?source=theme&id={release.pk}&ref=purpose"
    data = {
        "title": "Clearer aims",
        "owner": personas["teacher_a"].pk,
        **dates("start_on", TODAY),
        **dates("due_on", TODAY + timedelta(days=30)),
        "status": "planned",
    }
    client.force_login(personas["lead_a"])
    # Made by a lead reading Welsh: the English is kept too.
    assert client.post(welsh("actions:action_create", personas["a"].pk) + query, data)
    made = Action.objects.get()
    assert made.source_label == f"Clarity of purpose · {published.title}"
    assert made.source_label_cy == "Eglurder pwrpas · Adolygiad y gwanwyn"

    shown = client.get(english("actions:plan", personas["a"].pk)).text
    assert "Clarity of purpose · " in shown and "Eglurder" not in shown
    cymraeg = client.get(welsh("actions:action_detail", personas["a"].pk, made.pk)).text
    assert "Eglurder pwrpas · Adolygiad y gwanwyn" in cymraeg


def test_a_finding_with_no_welsh_names_is_kept_once_and_marked_english(
    client, personas, schools, published
):
    release = Release.objects.get(cycle=published)
    client.force_login(personas["lead_a"])
    page = client.get(
        welsh("actions:action_create", personas["a"].pk) + f"?source=theme&id={release.pk}"
    )
    finding = page.context["finding"]
    assert (finding.label, finding.label_cy) == (published.title, "")
    assert f'<span lang="en">{published.title}</span>' in page.text


def test_an_impact_findings_measure_is_named_in_both_languages(client, personas, schools):
    from partnerlens.impact.estimate_codes import measure_name
    from partnerlens.impact.models.estimates import Estimate

    estimate = Estimate.objects.create(
        partnership=personas["a"], measure="absence.overall_pct", start_year=2019, schools=[]
    )
    client.force_login(personas["lead_a"])
    page = client.get(
        reverse("actions:action_create", args=[personas["a"].pk])
        + f"?source=impact&id={estimate.pk}"
    )
    finding = page.context["finding"]
    assert finding.label == "Overall absence: percentage of sessions missed · 2019-20"
    with translation.override("cy"):
        welsh_name = measure_name("absence.overall_pct")
    assert welsh_name != "Overall absence: percentage of sessions missed"  # translated
    assert finding.label_cy == f"{welsh_name} · 2019-20"


def test_an_update_is_marked_with_the_language_its_writer_chose(client, personas):
    made = action(personas, "Joint moderation")
    client.force_login(personas["teacher_a"])
    url = welsh("actions:action_detail", personas["a"].pk, made.pk)
    assert client.get(url).context["form"]["language"].value() == "cy"  # the page's language
    english_url = english("actions:action_detail", personas["a"].pk, made.pk)
    assert client.get(english_url).context["form"]["language"].value() == "en"

    note = "Cyfarfod cyntaf wedi'i gynnal"
    response = client.post(url, {"text": note, "language": "cy", **dates("noted_on", TODAY)})
    assert response.status_code == 302
    assert made.updates.get().language == "cy"
    client.post(url, {"text": "Second meeting held", "language": "en", **dates("noted_on", TODAY)})
    html = client.get(english_url).text
    assert '<p class="govuk-body" lang="cy">Cyfarfod cyntaf wedi&#x27;i gynnal</p>' in html
    assert '<p class="govuk-body" lang="en">Second meeting held</p>' in html


def test_the_evidence_forms_choices_name_actions_in_the_readers_language(client, personas):
    action(personas, "Joint moderation", title_cy="Cymedroli ar y cyd")
    action(personas, "Reading buddies")
    client.force_login(personas["lead_a"])
    html = client.get(welsh("actions:evidence_add", personas["a"].pk)).text
    assert "Cymedroli ar y cyd</label>" in html
    assert '<span lang="en">Reading buddies</span></label>' in html
    assert "&lt;span" not in html  # the marked label is HTML, not escaped text
