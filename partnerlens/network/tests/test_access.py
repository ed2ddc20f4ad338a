"""Who may see a partnership's network and ask for it again: outsiders find nothing (404),
members without a reading role are refused (403)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from partnerlens.directory.models import PartnershipRole, Role
from partnerlens.network.access import get_partnership_for_network

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "sees", "refreshes"),
    [
        (Role.PARTNERSHIP_LEAD, True, True),
        (Role.ADMINISTRATOR, True, True),
        (Role.BROKER, True, True),
        (Role.HEADTEACHER, True, False),
        (Role.SENIOR_LEADER, True, False),
        (Role.GOVERNOR, True, False),
        (Role.EXTERNAL_ADVISER, True, False),
        (Role.TEACHER, False, False),
        (Role.PARENT, False, False),
        (Role.PEER_REVIEWER, False, False),
    ],
)
def test_each_role_sees_and_refreshes_the_network_as_the_contract_says(
    role, sees, refreshes, personas, make_user
):
    a = personas["a"]
    user = make_user(f"someone_{role}")
    school = personas["school_a"] if role in (Role.HEADTEACHER, Role.SENIOR_LEADER) else None
    PartnershipRole.objects.create(partnership=a, user=user, role=role, organisation=school)
    if sees:
        assert get_partnership_for_network(user, a.pk).partnership == a
    else:
        with pytest.raises(PermissionDenied):
            get_partnership_for_network(user, a.pk)
    if refreshes:
        assert get_partnership_for_network(user, a.pk, refresh=True).partnership == a
    else:
        with pytest.raises(PermissionDenied):
            get_partnership_for_network(user, a.pk, refresh=True)


def test_outside_the_partnership_the_network_does_not_exist(personas, make_user):
    for user in (personas["outsider"], personas["lead_b"]):
        with pytest.raises(Http404):
            get_partnership_for_network(user, personas["a"].pk)


def test_a_superuser_sees_and_refreshes_any_network(personas, make_user):
    admin = make_user("root", is_superuser=True)
    assert get_partnership_for_network(admin, personas["b"].pk, refresh=True).is_superuser
