"""Once a cycle has responses its anonymity mode, partnership and framework version are
fixed: in the model, in the admin, and in the database itself (a trigger), so that a
write that bypasses the model fails too."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from partnerlens.directory.models import Role
from partnerlens.enquiries.models import Cycle, CycleState
from partnerlens.enquiries.services.cycles import open_cycle
from partnerlens.enquiries.services.responses import start_or_resume_response
from partnerlens.enquiries.tests.conftest import link_from


@pytest.fixture
def responded(make_cycle, invite, cluster, smtp_server):
    """An open confidential cycle with one draft response."""
    cycle = make_cycle("confidential")
    invite(cycle, ("ann@example.org", Role.TEACHER, 0, "en"))
    open_cycle(cycle, actor=cluster["lead_a"])
    start_or_resume_response(link_from(smtp_server.body(smtp_server.to("ann@example.org")[0])))
    return cycle


def changes(cluster, make_framework):
    return {
        "anonymity_mode": "anonymous",
        "partnership": cluster["b"],
        "framework_version": make_framework(slug="another"),
    }


@pytest.mark.parametrize("field", ["anonymity_mode", "partnership", "framework_version"])
def test_the_model_refuses_to_change_a_frozen_field(responded, cluster, make_framework, field):
    cycle = Cycle.objects.get(pk=responded.pk)
    setattr(cycle, field, changes(cluster, make_framework)[field])
    with pytest.raises(ValidationError, match="already responded"):
        cycle.full_clean()
    with pytest.raises(ValidationError, match="already responded"):
        cycle.save()
    assert getattr(Cycle.objects.get(pk=cycle.pk), field) == getattr(responded, field)


@pytest.mark.parametrize("field", ["anonymity_mode", "partnership", "framework_version"])
def test_the_database_refuses_a_change_that_bypasses_the_model(
    responded, cluster, make_framework, field
):
    value = changes(cluster, make_framework)[field]
    with pytest.raises(IntegrityError, match="cycle_frozen"), transaction.atomic():
        Cycle.objects.filter(pk=responded.pk).update(**{field: value})
    assert getattr(Cycle.objects.get(pk=responded.pk), field) == getattr(responded, field)


def test_other_fields_still_change_once_people_have_responded(responded):
    Cycle.objects.filter(pk=responded.pk).update(title="Spring review (extended)")
    cycle = Cycle.objects.get(pk=responded.pk)
    cycle.state = CycleState.CLOSED
    cycle.save(update_fields=["state"])
    cycle.title = "Spring review, final"
    cycle.save()
    assert Cycle.objects.get(pk=responded.pk).title == "Spring review, final"


def test_a_cycle_without_responses_may_still_change_mode(make_cycle, cluster, make_framework):
    cycle = make_cycle("confidential")
    Cycle.objects.filter(pk=cycle.pk).update(anonymity_mode="anonymous")
    cycle.refresh_from_db()
    cycle.framework_version = make_framework(slug="another")
    cycle.save()
    assert cycle.anonymity_mode == "anonymous"


def test_the_admin_shows_frozen_fields_read_only(responded, make_cycle, client, admin_user):
    client.force_login(admin_user)
    page = client.get(f"/admin/enquiries/cycle/{responded.pk}/change/")
    assert page.status_code == 200
    assert 'name="anonymity_mode"' not in page.text
    assert 'name="partnership"' not in page.text
    assert 'name="framework_version"' not in page.text
    fresh = make_cycle("named", title="Not yet answered")
    assert 'name="anonymity_mode"' in client.get(f"/admin/enquiries/cycle/{fresh.pk}/change/").text
