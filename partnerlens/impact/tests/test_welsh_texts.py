"""Own measures' names and units and a registered question, typed in English and Welsh:
the reader's language wherever they show, English marked where it stands in for Welsh, the
editors' "Welsh missing" tag, and the Welsh question locked with the English."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from partnerlens.audit import verbs
from partnerlens.audit.models import AuditEvent
from partnerlens.directory.models import OutcomeMeasure
from partnerlens.impact.analytics.registration import RegisteredSpec
from partnerlens.impact.estimates import register
from partnerlens.impact.models import OwnMeasure, OwnMeasureValue, Registration, RegistrationLocked
from partnerlens.impact.panel import own_measure_names
from partnerlens.impact.tests import estimate_world as ew

pytestmark = pytest.mark.django_db

QUESTION = "Does reading improve?"
QUESTION_CY = "A yw darllen yn gwella?"


def _get(client, user, name, *args, language="en"):
    client.force_login(user)
    with translation.override(language):
        path = reverse(name, args=args)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def reading(personas):
    """Partnership A's own reading measure, with a figure so the panel offers it."""
    measure = OwnMeasure.objects.create(
        partnership=personas["a"], name="Reading age gain", name_cy="Cynnydd oed darllen",
        unit="months", unit_cy="misoedd",
    )  # fmt: skip
    OwnMeasureValue.objects.create(
        measure=measure, organisation=personas["school_a"], period="2018-19", value=7
    )
    return measure


def test_a_lead_adds_a_measure_in_both_languages(client, personas):
    client.force_login(personas["lead_a"])
    url = reverse("impact:own_measures", args=[personas["a"].pk])
    posted = {"name": "Wellbeing", "name_cy": "Lles", "unit": "score", "unit_cy": "sgôr"}
    assert client.post(url, posted).status_code == 302
    measure = OwnMeasure.objects.get(partnership=personas["a"])
    assert (measure.name, measure.name_cy, measure.unit, measure.unit_cy) == (
        "Wellbeing", "Lles", "score", "sgôr",
    )  # fmt: skip


def test_a_lead_gives_an_uploaded_measure_its_welsh_on_its_edit_page(client, personas):
    measure = OwnMeasure.objects.create(partnership=personas["a"], name="Wellbeing", unit="score")
    page = _get(client, personas["lead_a"], "impact:own_measures", personas["a"].pk)
    assert "partnerlens-welsh-missing" in page
    url = reverse("impact:own_measure_edit", args=[personas["a"].pk, measure.pk])
    form = client.get(url).content.decode()
    assert 'value="Wellbeing"' in form and 'name="name_cy"' in form and 'lang="cy"' in form
    posted = {"name": "Wellbeing", "name_cy": "Lles", "unit": "score", "unit_cy": "sgôr"}
    assert client.post(url, posted).status_code == 302
    measure.refresh_from_db()
    assert (measure.name_cy, measure.unit_cy) == ("Lles", "sgôr")
    event = AuditEvent.objects.get(verb=verbs.IMPACT_OWN_MEASURE_CHANGED)
    assert event.detail["fields"] == ["name_cy", "unit_cy"]
    page = _get(client, personas["lead_a"], "impact:own_measures", personas["a"].pk)
    assert "partnerlens-welsh-missing" not in page


def test_renaming_keeps_names_unique_but_not_against_itself(client, personas, reading):
    OwnMeasure.objects.create(partnership=personas["a"], name="Wellbeing")
    client.force_login(personas["lead_a"])
    url = reverse("impact:own_measure_edit", args=[personas["a"].pk, reading.pk])
    assert client.post(url, {"name": "wellbeing"}).status_code == 200
    assert client.post(url, {"name": "Reading age gain", "unit": "months"}).status_code == 302


def test_only_the_lead_changes_a_measures_words(client, personas, reading):
    client.force_login(personas["teacher_a"])
    url = reverse("impact:own_measure_edit", args=[personas["a"].pk, reading.pk])
    assert client.post(url, {"name": "Changed"}).status_code in (403, 404)
    reading.refresh_from_db()
    assert reading.name == "Reading age gain"


def test_own_measure_names_follow_the_active_language(personas, reading):
    assert own_measure_names(personas["a"]) == {reading.code: "Reading age gain"}
    with translation.override("cy"):
        assert own_measure_names(personas["a"]) == {reading.code: "Cynnydd oed darllen"}
    reading.name_cy = ""
    reading.save()
    with translation.override("cy"):
        assert own_measure_names(personas["a"]) == {reading.code: "Reading age gain"}


def test_a_welsh_reader_sees_the_welsh_name_on_the_panel_and_measures_pages(
    client, personas, reading
):
    a = personas["a"].pk
    own = _get(client, personas["lead_a"], "impact:own_measures", a, language="cy")
    assert "Cynnydd oed darllen" in own and "(misoedd)" in own and "Reading age gain" not in own
    panel = _get(client, personas["lead_a"], "impact:home", a, language="cy")
    assert "Cynnydd oed darllen" in panel and "Reading age gain" not in panel
    english = _get(client, personas["lead_a"], "impact:home", a)
    assert "Reading age gain" in english and "Cynnydd oed darllen" not in english


def test_an_english_name_standing_in_for_welsh_is_marked(client, personas, reading):
    reading.name_cy = ""
    reading.save()
    a = personas["a"].pk
    own = _get(client, personas["lead_a"], "impact:own_measures", a, language="cy")
    assert '<span lang="en">Reading age gain</span>' in own
    home = _get(client, personas["lead_a"], "impact:home", a, language="cy")
    assert '<span lang="en">Reading age gain</span>' in home
    panel = _get(client, personas["lead_a"], "impact:panel", a, language="cy")
    assert '<span lang="en">Reading age gain</span>' in panel.split("<caption")[1]


@pytest.fixture
def world():
    return ew.build(treated=6, comparison=40)


def _register(world, **changes):
    fields = {
        "question": QUESTION,
        "question_cy": QUESTION_CY,
        "measure": ew.MEASURE,
        "schools": world["treated"],
        "start_year": ew.START,
        **changes,
    }
    return register(world["partnership"], actor=world["lead"], **fields)


def test_the_registration_form_saves_the_question_in_both_languages(client, world):
    client.force_login(world["lead"])
    url = reverse("impact:registration_create", args=[world["partnership"].pk])
    assert 'name="question_cy"' in client.get(url).content.decode()
    posted = {
        "question": QUESTION,
        "question_cy": QUESTION_CY,
        "measure": ew.MEASURE,
        "schools": world["treated"],
        "start_year": ew.START,
    }
    assert client.post(url, posted).status_code == 302
    registration = Registration.objects.get()
    assert (registration.question, registration.question_cy) == (QUESTION, QUESTION_CY)


def test_the_welsh_question_is_not_in_the_fingerprint(world):
    registration = _register(world)
    spec = RegisteredSpec.of(ew.MEASURE, world["treated"], ew.START, QUESTION)
    assert registration.spec_hash == spec.digest()
    assert registration.spec_hash == _register(world, question_cy="").spec_hash


def test_the_welsh_question_is_locked_by_the_model_and_the_database(world):
    registration = _register(world)
    registration.question_cy = "Wedi newid"
    with pytest.raises(RegistrationLocked):
        registration.save()
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Registration.objects.filter(pk=registration.pk).update(question_cy="Wedi newid")
    registration.refresh_from_db()
    assert registration.question_cy == QUESTION_CY
    blank = _register(world, question_cy="")
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Registration.objects.filter(pk=blank.pk).update(question_cy="Ychwanegwyd wedyn")
    blank.refresh_from_db()
    assert blank.question_cy == ""


def test_the_registered_question_shows_in_the_readers_language(client, world):
    registration = _register(world)
    args = (world["partnership"].pk, registration.pk)
    welsh = _get(client, world["lead"], "impact:registration", *args, language="cy")
    assert QUESTION_CY in welsh and QUESTION not in welsh
    english = _get(client, world["lead"], "impact:registration", *args)
    assert QUESTION in english and QUESTION_CY not in english
    without = _register(world, question_cy="")
    page = _get(
        client, world["lead"], "impact:registration", world["partnership"].pk, without.pk,
        language="cy",
    )  # fmt: skip
    assert f'<span lang="en">{QUESTION}</span>' in page
    home = _get(client, world["lead"], "impact:home", world["partnership"].pk, language="cy")
    assert QUESTION_CY in home and f'<span lang="en">{QUESTION}</span>' in home
    assert OutcomeMeasure.objects.exists()  # the world's results, so the home page lists them
