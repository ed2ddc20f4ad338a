"""An indicator's name and what each tier brings, typed in English and Welsh: the reader's
language on every page and in each half of the email, English marked where it stands in
for Welsh, and the editors' "Welsh missing" tag."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from partnerlens.triggers import emails
from partnerlens.triggers.models import Indicator, Kind, Trigger

pytestmark = pytest.mark.django_db

WELSH_NAME = "Cwymp yn y presenoldeb"
WELSH_SUPPORT = "Mae ysgol bartner yn helpu’r ysgol i lunio cynllun gweithredu."


@pytest.fixture
def fired(camden):
    """The recommended attendance indicator, named and with a targeted support text in
    both languages, fired at the targeted tier for Fitzjohn's."""
    indicator = Indicator.objects.get(partnership=camden["a"], kind=Kind.ATTENDANCE_FALL)
    indicator.name = "Attendance falling"
    indicator.name_cy = WELSH_NAME
    indicator.targeted_support = "A partner school helps the school write an action plan."
    indicator.targeted_support_cy = WELSH_SUPPORT
    indicator.save()
    trigger = Trigger.objects.create(
        partnership=camden["a"], indicator=indicator, organisation=camden["schools"][100010],
        tier="targeted", period_before="2017-18", period_now="2018-19", value_before=4.1,
        value_now=5.3, severity=1.2, deadline=dt.date.today() + dt.timedelta(days=15),
    )  # fmt: skip
    return {**camden, "indicator": indicator, "trigger": trigger}


def _page(client, user, name, *args, language="en"):
    client.force_login(user)
    with translation.override(language):
        path = reverse(name, args=args)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_the_lead_saves_an_indicators_name_and_support_in_both_languages(client, camden):
    client.force_login(camden["lead_a"])
    url = reverse("triggers:indicator_create", args=[camden["a"].pk])
    form = client.get(url).content.decode()
    assert 'name="name_cy"' in form and 'name="intensive_support_cy"' in form
    assert 'lang="cy"' in form
    posted = {
        "kind": "progress_drop", "measure": "ks2.mat_progress", "universal_at": "0.5",
        "name": "Maths progress", "name_cy": "Cynnydd mathemateg",
        "universal_support": "Watch it", "universal_support_cy": "Gwyliwch e",
        "notify_roles": ["partnership_lead"], "deadline_days": "20", "active": "on",
    }  # fmt: skip
    assert client.post(url, posted).status_code == 302
    made = Indicator.objects.get(measure="ks2.mat_progress")
    assert (made.name, made.name_cy) == ("Maths progress", "Cynnydd mathemateg")
    assert (made.universal_support, made.universal_support_cy) == ("Watch it", "Gwyliwch e")


def test_a_welsh_reader_sees_the_welsh_name_and_support(client, fired):
    a, trigger = fired["a"].pk, fired["trigger"].pk
    detail = _page(client, fired["lead_a"], "triggers:detail", a, trigger, language="cy")
    assert WELSH_NAME in detail and WELSH_SUPPORT in detail
    assert "Attendance falling" not in detail and "A partner school" not in detail
    for name in ("triggers:register", "triggers:heatmap"):
        page = _page(client, fired["lead_a"], name, a, language="cy")
        assert WELSH_NAME in page and "Attendance falling" not in page


def test_an_english_reader_sees_the_english(client, fired):
    a, trigger = fired["a"].pk, fired["trigger"].pk
    detail = _page(client, fired["lead_a"], "triggers:detail", a, trigger)
    assert "Attendance falling" in detail and WELSH_NAME not in detail
    assert "A partner school helps the school write an action plan." in detail
    assert '<span lang="en">' not in detail


def test_english_without_welsh_is_marked_english_on_a_welsh_page(client, fired):
    indicator = fired["indicator"]
    indicator.name_cy = indicator.targeted_support_cy = ""
    indicator.save()
    a, trigger = fired["a"].pk, fired["trigger"].pk
    detail = _page(client, fired["lead_a"], "triggers:detail", a, trigger, language="cy")
    assert '<span lang="en">Attendance falling</span>' in detail
    assert '<span lang="en">A partner school helps the school write an action plan.</span>' in (
        detail
    )
    register = _page(client, fired["lead_a"], "triggers:register", a, language="cy")
    assert '<span lang="en">Attendance falling</span>' in register


def test_an_unnamed_indicator_shows_its_kinds_label_in_the_readers_language(client, fired):
    indicator = fired["indicator"]
    indicator.name = indicator.name_cy = ""
    indicator.save()
    with translation.override("cy"):
        welsh_label = str(Kind.ATTENDANCE_FALL.label)
    assert welsh_label != str(Kind.ATTENDANCE_FALL.label)  # the catalogue has it
    page = _page(client, fired["lead_a"], "triggers:register", fired["a"].pk, language="cy")
    assert welsh_label in page and '<span lang="en">' not in page.split('id="register"')[1]
    english = _page(client, fired["lead_a"], "triggers:register", fired["a"].pk)
    assert str(Kind.ATTENDANCE_FALL.label) in english


def test_the_lead_sees_welsh_missing_and_a_head_does_not(client, fired):
    a, trigger = fired["a"].pk, fired["trigger"].pk
    tag = "partnerlens-welsh-missing"
    assert tag not in _page(client, fired["lead_a"], "triggers:detail", a, trigger)
    fired["indicator"].targeted_support_cy = ""
    fired["indicator"].save()
    assert tag in _page(client, fired["lead_a"], "triggers:detail", a, trigger)
    assert tag not in _page(client, fired["head"], "triggers:detail", a, trigger)
    indicators = _page(client, fired["lead_a"], "triggers:indicators", a)
    # the named attendance indicator lacks a Welsh support; the unnamed recommended ones
    # have no typed text, so nothing is missing there
    assert indicators.count(tag) == 1


def test_each_half_of_the_email_carries_its_languages_name_and_support(fired):
    message = emails.message(fired["trigger"], "head@example.org")
    english, welsh = message.body.split("\n\n-----\n\n")
    assert "Indicator: Attendance falling" in english
    assert "A partner school helps the school write an action plan." in english
    assert f"Dangosydd: {WELSH_NAME}" in welsh and WELSH_SUPPORT in welsh
    assert WELSH_SUPPORT not in english and "A partner school" not in welsh
    assert message.subject.count(WELSH_NAME) == 1


def test_the_email_falls_back_to_the_english_then_the_built_in_wording(fired):
    indicator = fired["indicator"]
    indicator.targeted_support_cy = ""
    indicator.save()
    fired["trigger"].refresh_from_db()
    welsh = emails.message(fired["trigger"], "head@example.org").body.split("-----")[1]
    assert "A partner school helps the school write an action plan." in welsh
    indicator.targeted_support = ""
    indicator.save()
    fired["trigger"].refresh_from_db()
    welsh = emails.message(fired["trigger"], "head@example.org").body.split("-----")[1]
    with translation.override("cy"):
        from partnerlens.triggers.defaults import BUILT_IN_SUPPORT

        assert str(BUILT_IN_SUPPORT["targeted"]) in welsh
