"""The triggers pages: who may see and change what, the register, heatmap and a trigger."""

from __future__ import annotations

import pytest
from django.urls import reverse

from partnerlens.directory.models import PartnershipRole, Role
from partnerlens.triggers.models import Indicator, Status, Trigger
from partnerlens.triggers.services.evaluating import evaluate_partnership
from partnerlens.triggers.tests.conftest import import_years

pytestmark = pytest.mark.django_db


@pytest.fixture
def raised(camden, smtp_server):
    import_years("england_abs_2018-19.csv", "england_abs_2019-20.csv")
    return {**camden, "triggers": evaluate_partnership(camden["a"])}


def _urls(w):
    a, trigger = w["a"].pk, w["triggers"][0].pk
    indicator = w["indicators"][0].pk
    return [
        reverse("triggers:register", args=[a]),
        reverse("triggers:heatmap", args=[a]),
        reverse("triggers:detail", args=[a, trigger]),
    ], [
        reverse("triggers:indicators", args=[a]),
        reverse("triggers:indicator_create", args=[a]),
        reverse("triggers:indicator_edit", args=[a, indicator]),
    ]


def test_the_lead_sees_every_page(client, raised):
    client.force_login(raised["lead_a"])
    seeing, leading = _urls(raised)
    for url in seeing + leading:
        assert client.get(url).status_code == 200, url


def test_a_head_sees_the_register_but_not_the_indicators(client, raised):
    client.force_login(raised["head"])
    seeing, leading = _urls(raised)
    assert [client.get(url).status_code for url in seeing] == [200, 200, 200]
    assert [client.get(url).status_code for url in leading] == [403, 403, 403]


def test_a_teacher_is_refused_and_another_partnership_sees_nothing(client, raised):
    seeing, leading = _urls(raised)
    client.force_login(raised["teacher_a"])
    assert {client.get(url).status_code for url in seeing + leading} == {403}
    client.force_login(raised["lead_b"])
    assert {client.get(url).status_code for url in seeing + leading} == {404}


def test_the_register_lists_the_triggers_with_their_deadline_and_overdue_flag(client, raised):
    Trigger.objects.filter(indicator__kind="persistent_rise").update(deadline="2020-01-01")
    client.force_login(raised["lead_a"])
    page = client.get(reverse("triggers:register", args=[raised["a"].pk])).content.decode()
    assert page.count("Fitzjohn&#x27;s Primary") >= 2
    assert "Fall in attendance (rise in overall absence)" in page
    assert "1 action plan is overdue." in page
    assert "1 Jan 2020" in page and "Overdue" in page


def test_a_school_firing_in_two_periods_is_a_recurring_concern(client, raised):
    client.force_login(raised["lead_a"])
    url = reverse("triggers:register", args=[raised["a"].pk])
    assert (
        "No school has had indicators fire in more than one period."
        in client.get(url).content.decode()
    )
    first = raised["triggers"][0]
    Trigger.objects.create(
        partnership=raised["a"], indicator=first.indicator, organisation=first.organisation,
        tier="universal", period_before="2017-18", period_now="2018-19", severity=0.6,
        deadline=first.deadline,
    )  # fmt: skip
    page = client.get(url).content.decode()
    assert "fired in 2 periods (2018-19, 2019-20)" in page


def test_the_heatmap_names_each_cells_tier_in_words(client, raised):
    client.force_login(raised["lead_a"])
    page = client.get(reverse("triggers:heatmap", args=[raised["a"].pk])).content.decode()
    assert page.count('data-tier="targeted"') == 2  # Fitzjohn's two absence indicators
    assert ">Targeted<" in page and "1 trigger" in page
    assert page.count("Gospel Oak Primary") == 1


def test_a_schools_head_acknowledges_its_trigger_but_not_anothers(client, raised):
    trigger = raised["triggers"][0]
    url = reverse("triggers:detail", args=[raised["a"].pk, trigger.pk])
    client.force_login(raised["other_head"])
    assert client.post(url, {"status": "acknowledged"}).status_code == 403
    client.force_login(raised["head"])
    assert client.post(url, {"status": "acknowledged"}).status_code == 302
    trigger.refresh_from_db()
    assert trigger.status == Status.ACKNOWLEDGED


def test_the_lead_sees_who_was_told_and_a_head_does_not(client, raised):
    trigger = raised["triggers"][0]
    url = reverse("triggers:detail", args=[raised["a"].pk, trigger.pk])
    client.force_login(raised["lead_a"])
    assert "head_fitzjohns@example.org" in client.get(url).content.decode()
    client.force_login(raised["head"])
    assert "lead_a@example.org" not in client.get(url).content.decode()


def test_the_lead_adds_an_indicator_and_a_bad_one_is_refused(client, camden):
    client.force_login(camden["lead_a"])
    url = reverse("triggers:indicator_create", args=[camden["a"].pk])
    good = {
        "kind": "progress_drop", "measure": "ks2.mat_progress", "universal_at": "0.5",
        "targeted_at": "1", "intensive_at": "", "targeted_support": "Cymorth gan ysgol arall",
        "notify_roles": ["partnership_lead", "governor"], "deadline_days": "20", "active": "on",
    }  # fmt: skip
    assert client.post(url, {**good, "targeted_at": "0.2"}).status_code == 200  # not ascending
    assert client.post(url, {**good, "universal_at": "", "targeted_at": ""}).status_code == 200
    assert client.post(url, good).status_code == 302
    made = Indicator.objects.get(measure="ks2.mat_progress")
    assert made.partnership == camden["a"]
    assert (made.targeted_support, made.deadline_days) == ("Cymorth gan ysgol arall", 20)
    assert made.notify_roles == ["partnership_lead", "governor"]


def test_recommended_and_evaluate_are_the_leads_alone(client, camden):
    PartnershipRole.objects.create(
        partnership=camden["a"], user=camden["outsider"], role=Role.BROKER
    )
    client.force_login(camden["outsider"])
    for name in ("triggers:recommended", "triggers:evaluate"):
        assert client.post(reverse(name, args=[camden["a"].pk])).status_code == 403
    client.force_login(camden["lead_a"])
    assert client.post(reverse("triggers:evaluate", args=[camden["a"].pk])).status_code == 302


def test_the_welsh_pages_speak_welsh(client, raised):
    client.force_login(raised["lead_a"])
    page = client.get(f"/cy/triggers/partnerships/{raised['a'].pk}/").content.decode()
    assert 'lang="cy"' in page


def test_a_trigger_links_to_a_new_action_that_starts_from_it(client, raised):
    from partnerlens.triggers.links import resolve_trigger

    trigger = raised["triggers"][0]
    client.force_login(raised["lead_a"])
    page = client.get(reverse("triggers:detail", args=[raised["a"].pk, trigger.pk]))
    new_action = reverse("actions:action_create", args=[raised["a"].pk])
    link = f"{new_action}?source=trigger&amp;id={trigger.pk}"
    assert link in page.content.decode()
    found = resolve_trigger(raised["a"], trigger.pk, "")
    assert found.school_ids == (trigger.organisation_id,)
    assert "Fitzjohn's Primary" in found.label and "2019-20" in found.label
    assert resolve_trigger(raised["b"], trigger.pk, "") is None  # not B's to start from
    form = client.get(link.replace("&amp;", "&"))
    assert form.status_code == 200
    assert "Fitzjohn&#x27;s Primary" in form.content.decode()


def test_the_register_and_heatmap_read_the_same_number_of_queries_for_more_triggers(client, raised):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(raised["lead_a"])
    names = ("triggers:register", "triggers:heatmap")
    urls = [reverse(name, args=[raised["a"].pk]) for name in names]

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            for url in urls:
                assert client.get(url).status_code == 200
        return len(captured)

    before = queries()
    first = raised["triggers"][0]
    for school in raised["schools"].values():  # a trigger at every school, in a new year
        Trigger.objects.create(
            partnership=raised["a"], indicator=first.indicator, organisation=school,
            tier="intensive", period_before="2019-20", period_now="2020-21", severity=3,
            deadline=first.deadline,
        )  # fmt: skip
    assert Trigger.objects.count() == len(raised["triggers"]) + 4
    assert queries() == before
