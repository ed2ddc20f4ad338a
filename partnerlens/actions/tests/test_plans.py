"""Action plans through their pages: who may make and change actions, a finding becoming
an action with its source and schools, overdue actions flagged in words, filters, updates
by the owner, and the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerlens.actions import sources
from partnerlens.actions.codes import SourceKind, Status
from partnerlens.actions.models import Action
from partnerlens.actions.services.plans import change_action, create_action
from partnerlens.audit import verbs
from partnerlens.audit.models import AuditEvent
from partnerlens.insights.models import Release

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def dates(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def form(personas, **extra):
    return {
        "title": "Share planning across schools",
        "owner": personas["teacher_a"].pk,
        **dates("start_on", TODAY),
        **dates("due_on", TODAY + timedelta(days=30)),
        "status": Status.PLANNED,
        **extra,
    }


def make(personas, title="Joint moderation", due=30, status=Status.PLANNED, **extra):
    return create_action(
        personas["a"],
        actor=personas["lead_a"],
        title=title,
        owner=personas["teacher_a"],
        start_on=TODAY - timedelta(days=60),
        due_on=TODAY + timedelta(days=due),
        status=status,
        **extra,
    )


def test_a_finding_in_a_release_becomes_an_action_with_its_source_and_schools(
    client, personas, schools, published
):
    release = Release.objects.get(cycle=published)
    client.force_login(personas["lead_a"])
    url = reverse("actions:action_create", args=[personas["a"].pk])
    query = f"?source=theme&id={release.pk}&ref=purpose"
    page = client.get(url + query)
    assert page.status_code == 200
    assert "Clarity of purpose" in page.content.decode()  # the finding, named
    initial = page.context["form"].initial
    assert sorted(initial["schools"]) == sorted(s.pk for s in schools)
    assert initial["success_theme"] == "purpose"

    data = form(personas, schools=[schools[0].pk], success_kind="theme", success_theme="purpose")
    response = client.post(url + query, data)
    action = Action.objects.get()
    assert response.status_code == 302
    assert (action.source_kind, action.source_id) == (SourceKind.THEME, release.pk)
    assert action.source_label == f"Clarity of purpose · {published.title}"
    assert (action.success_kind, action.success_code) == ("theme", "purpose")
    assert list(action.schools.all()) == [schools[0]]
    event = AuditEvent.objects.get(verb=verbs.ACTION_CREATED)
    assert event.object_id == str(action.pk) and event.partnership_id == personas["a"].pk


def test_another_partnerships_release_is_not_a_finding_here(client, personas, schools, published):
    release = Release.objects.get(cycle=published)
    client.force_login(personas["lead_b"])
    url = reverse("actions:action_create", args=[personas["b"].pk])
    page = client.get(f"{url}?source=theme&id={release.pk}&ref=purpose")
    assert page.context["finding"] is None
    assert "Clarity of purpose" not in page.content.decode()
    client.post(
        f"{url}?source=theme&id={release.pk}", form({**personas, "teacher_a": personas["lead_b"]})
    )
    assert Action.objects.get().source_kind == ""


def test_an_impact_result_gives_its_measure_and_member_schools(client, personas, schools):
    from partnerlens.impact.estimate_codes import measure_name
    from partnerlens.impact.models.estimates import Estimate

    estimate = Estimate.objects.create(
        partnership=personas["a"],
        measure="absence.overall_pct",
        start_year=2019,
        schools=[schools[1].pk, personas["school_b"].pk],
    )
    theirs = Estimate.objects.create(
        partnership=personas["b"], measure="ks4.p8", start_year=2019, schools=[]
    )
    client.force_login(personas["lead_a"])
    url = reverse("actions:action_create", args=[personas["a"].pk])
    page = client.get(f"{url}?source=impact&id={estimate.pk}")
    assert page.context["form"].initial == {
        "schools": [schools[1].pk],
        "success_kind": "outcome",
        "success_measure": "absence.overall_pct",
    }
    client.post(
        f"{url}?source=impact&id={estimate.pk}",
        form(personas, success_kind="outcome", success_measure="absence.overall_pct"),
    )
    action = Action.objects.get()
    assert (action.source_kind, action.source_id) == ("impact", estimate.pk)
    assert action.source_label == f"{measure_name('absence.overall_pct')} · 2019-20"
    assert client.get(f"{url}?source=impact&id={theirs.pk}").context["finding"] is None


def test_a_kind_without_a_resolver_takes_the_links_label_and_member_schools(
    client, personas, schools, monkeypatch
):
    monkeypatch.delitem(sources._resolvers, "trigger", raising=False)
    client.force_login(personas["lead_a"])
    url = reverse("actions:action_create", args=[personas["a"].pk])
    theirs = personas["school_b"].pk
    query = f"?source=trigger&id=7&label=Attendance+fell&schools={schools[1].pk}&schools={theirs}"
    page = client.get(url + query)
    assert page.context["form"].initial["schools"] == [schools[1].pk]
    client.post(url + query, form(personas, schools=[schools[1].pk]))
    action = Action.objects.get()
    assert (action.source_kind, action.source_id, action.source_label) == (
        "trigger",
        7,
        "Attendance fell",
    )


def test_a_registered_resolver_decides_what_its_kind_of_finding_is(
    client, personas, schools, monkeypatch
):
    def resolve(partnership, pk, ref):
        if pk != 3:
            return None  # not one of this partnership's
        return sources.Finding(
            kind="trigger", id=3, label="Absence rose", school_ids=(schools[2].pk,)
        )

    monkeypatch.setitem(sources._resolvers, "trigger", resolve)
    client.force_login(personas["lead_a"])
    url = reverse("actions:action_create", args=[personas["a"].pk])
    page = client.get(url + "?source=trigger&id=3&label=Forged")
    assert page.context["finding"].label == "Absence rose"
    assert page.context["form"].initial["schools"] == [schools[2].pk]
    assert client.get(url + "?source=trigger&id=4&label=Forged").context["finding"] is None


def test_only_the_lead_makes_and_changes_actions_and_other_partnerships_see_nothing(
    client, personas
):
    action = make(personas)
    a = personas["a"].pk
    client.force_login(personas["teacher_a"])
    assert client.get(reverse("actions:plan", args=[a])).status_code == 200
    assert client.get(reverse("actions:action_create", args=[a])).status_code == 403
    assert client.post(reverse("actions:action_edit", args=[a, action.pk]), {}).status_code == 403
    client.force_login(personas["lead_b"])
    assert client.get(reverse("actions:plan", args=[a])).status_code == 404
    b = personas["b"].pk
    assert client.get(reverse("actions:action_detail", args=[b, action.pk])).status_code == 404


def test_the_plan_flags_overdue_actions_in_words(client, personas):
    late = make(personas, title="Late action", due=-10)
    make(personas, title="Finished late", due=-10, status=Status.DONE)
    make(personas, title="On time", due=5)
    client.force_login(personas["teacher_a"])
    page = client.get(reverse("actions:plan", args=[personas["a"].pk]))
    html = page.content.decode()
    row = html[html.index(f'id="action-{late.pk}"') :]
    assert "Overdue" in row[: row.index("</tr>")]
    assert html.count("pl-overdue") == 1
    assert "1 action is overdue." in html
    assert Action.objects.overdue().get() == late


def test_the_plan_filters_by_status_school_and_owner(client, personas, schools):
    first = make(personas, title="Maths network")
    first.schools.set([schools[0]])
    second = make(personas, title="Reading buddies", status=Status.UNDER_WAY)
    second.schools.set([schools[1]])
    change_action(second, actor=personas["lead_a"], owner=personas["lead_a"])
    client.force_login(personas["lead_a"])
    url = reverse("actions:plan", args=[personas["a"].pk])

    def titles(**query):
        return [a.title for a in client.get(url, query).context["actions"]]

    assert titles() == ["Maths network", "Reading buddies"]
    assert titles(status="under_way") == ["Reading buddies"]
    assert titles(school=schools[0].pk) == ["Maths network"]
    assert titles(owner=personas["teacher_a"].pk) == ["Maths network"]


def test_the_owner_adds_updates_and_other_members_may_not(client, personas, make_user):
    from partnerlens.directory.models import PartnershipRole, Role

    action = make(personas)
    url = reverse("actions:action_detail", args=[personas["a"].pk, action.pk])
    update = {
        "text": "Diweddariad: cyfarfod cyntaf wedi'i gynnal",
        "language": "cy",
        **dates("noted_on", TODAY),
    }
    client.force_login(personas["teacher_a"])
    assert client.post(url, update).status_code == 302
    assert action.updates.get().text == update["text"]  # Welsh, as typed
    assert AuditEvent.objects.filter(verb=verbs.ACTION_UPDATE_ADDED).count() == 1

    other = make_user("governor_a")
    PartnershipRole.objects.create(partnership=personas["a"], user=other, role=Role.GOVERNOR)
    client.force_login(other)
    assert client.get(url).status_code == 200
    assert client.post(url, update).status_code == 403
    assert action.updates.count() == 1


def test_changing_an_action_records_the_fields_changed(client, personas, schools):
    action = make(personas)
    client.force_login(personas["lead_a"])
    url = reverse("actions:action_edit", args=[personas["a"].pk, action.pk])
    data = form(personas, title=action.title, status=Status.DONE, schools=[schools[2].pk])
    data |= dates("start_on", action.start_on) | dates("due_on", action.due_on)
    assert client.post(url, data).status_code == 302
    action.refresh_from_db()
    assert action.status == Status.DONE and list(action.schools.all()) == [schools[2]]
    event = AuditEvent.objects.get(verb=verbs.ACTION_CHANGED)
    assert sorted(event.detail["fields"]) == ["schools", "status"]


def test_a_due_date_before_the_start_is_refused(client, personas):
    client.force_login(personas["lead_a"])
    url = reverse("actions:action_create", args=[personas["a"].pk])
    data = form(personas) | dates("due_on", TODAY - timedelta(days=1))
    page = client.post(url, data)
    assert page.status_code == 200
    assert "The due date must be on or after the start date" in page.content.decode()
    assert not Action.objects.exists()


def test_the_plan_and_evidence_pages_cost_the_same_whatever_their_size(client, personas, schools):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from partnerlens.actions.models import EvidenceItem

    client.force_login(personas["lead_a"])
    urls = [
        reverse(name, args=[personas["a"].pk])
        for name in ("actions:plan", "actions:evidence_list", "actions:moved")
    ]

    def counts():
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            found.append(len(captured))
        return found

    def more(n):
        for i in range(n):
            action = make(personas, title=f"Action {i}", success_kind="theme", success_code="x")
            action.schools.set(schools)
            item = EvidenceItem.objects.create(partnership=personas["a"], kind="note", title="N")
            item.actions.add(action)

    more(1)
    small = counts()
    more(6)
    assert counts() == small
