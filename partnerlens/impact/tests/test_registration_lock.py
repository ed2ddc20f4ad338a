"""Registering a question: locked and timestamped (by the model, the form and the database),
and every estimate says whether it was registered and matches the register."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, IntegrityError, transaction
from django.urls import reverse

from partnerlens.audit import verbs
from partnerlens.audit.models import AuditEvent
from partnerlens.directory.models import OutcomeMeasure
from partnerlens.impact.analytics.registration import RegisteredSpec
from partnerlens.impact.estimates import create_estimate, register
from partnerlens.impact.forms import RegistrationForm
from partnerlens.impact.models import Registration, RegistrationLocked
from partnerlens.impact.tests import estimate_world as ew

pytestmark = pytest.mark.django_db
QUESTION = "A fydd canran y disgyblion sy'n cyrraedd y safon ddisgwyliedig yn codi?"


@pytest.fixture
def world():
    return ew.build(treated=6, comparison=40)


def _register(world, **changes):
    fields = {
        "question": QUESTION,
        "measure": ew.MEASURE,
        "schools": world["treated"],
        "start_year": ew.START,
        **changes,
    }
    return register(world["partnership"], actor=world["lead"], **fields)


def test_registering_freezes_the_spec_with_its_hash_time_and_author(world):
    registration = _register(world)
    spec = RegisteredSpec.of(ew.MEASURE, world["treated"], ew.START, QUESTION)
    assert registration.spec_hash == spec.digest()
    assert registration.question == QUESTION  # typed in Welsh, stored as typed
    assert registration.schools == sorted(world["treated"])
    assert registration.registered_at is not None and registration.registered_by == world["lead"]
    event = AuditEvent.objects.get(verb=verbs.IMPACT_REGISTERED)
    assert event.partnership_id == world["partnership"].pk


def test_the_register_says_whether_results_were_already_held(world):
    assert _register(world).before_outcomes is False  # the world holds years up to START+1
    OutcomeMeasure.objects.filter(period__gte=ew.period(ew.START)).delete()
    early = _register(world)
    assert (early.data_to_year, early.before_outcomes) == (ew.START - 1, True)


def test_the_model_refuses_a_change(world):
    registration = _register(world)
    registration.start_year = ew.START - 1
    with pytest.raises(RegistrationLocked):
        registration.save()
    registration.refresh_from_db()
    assert registration.start_year == ew.START


@pytest.mark.parametrize(
    ("field", "value"),
    [("start_year", 2000), ("measure", "ks4.att8"), ("question", "Changed"), ("schools", [1])],
)
def test_the_database_refuses_a_change_that_skips_the_model(world, field, value):
    registration = _register(world)
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Registration.objects.filter(pk=registration.pk).update(**{field: value})
    registration.refresh_from_db()
    assert getattr(registration, field) != value


def test_the_database_lets_the_author_go_when_their_account_does(world):
    registration = _register(world)
    Registration.objects.filter(pk=registration.pk).update(registered_by=None)
    registration.refresh_from_db()
    assert registration.registered_by is None and registration.start_year == ew.START


def test_the_form_refuses_every_change_to_a_registration(world):
    registration = _register(world)
    choices = {
        "measure_choices": [(ew.MEASURE, "KS2")],
        "school_choices": [(s, s) for s in world["treated"]],
    }
    data = {
        "question": "Something else",
        "measure": ew.MEASURE,
        "schools": world["treated"],
        "start_year": ew.START - 1,
    }
    form = RegistrationForm(data, registration=registration, **choices)
    assert not form.is_valid()
    assert form.non_field_errors().as_data()[0].code == "locked"
    assert all(field.disabled for field in form.fields.values())
    fresh = RegistrationForm(data, **choices)
    assert fresh.is_valid(), fresh.errors


def test_there_is_no_address_that_edits_a_registration(world, client):
    registration = _register(world)
    client.force_login(world["lead"])
    page = reverse("impact:registration", args=[world["partnership"].pk, registration.pk])
    assert client.post(page, {"start_year": 2000}).status_code == 405
    html = client.get(page).content.decode()
    assert "Registered and locked on" in html and registration.spec_hash in html
    registration.refresh_from_db()
    assert registration.start_year == ew.START


def test_an_estimate_as_registered_says_so(world):
    registration = _register(world)
    estimate = create_estimate(
        world["partnership"],
        measure=ew.MEASURE,
        schools=world["treated"],
        start_year=ew.START,
        registration=registration,
        actor=world["lead"],
    )
    estimate.refresh_from_db()
    assert estimate.result["registration"] == "registered"
    assert estimate.result["spec_hash"] == registration.spec_hash


def test_an_estimate_that_departs_from_the_register_says_so(world):
    _register(world)
    estimate = create_estimate(
        world["partnership"],
        measure=ew.MEASURE,
        schools=world["treated"][:5],
        start_year=ew.START,
        actor=world["lead"],
    )
    estimate.refresh_from_db()
    assert estimate.result["registration"] == "differs_from_registration"


def test_an_estimate_nobody_registered_says_so(world):
    estimate = create_estimate(
        world["partnership"],
        measure=ew.MEASURE,
        schools=world["treated"],
        start_year=ew.START,
        actor=world["lead"],
    )
    estimate.refresh_from_db()
    assert estimate.result["registration"] == "not_registered"
