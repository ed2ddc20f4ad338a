import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from partnerlens.directory.access import get_partnership_for_user
from partnerlens.directory.models import Partnership, PartnershipRole, Role


def test_a_lead_reaches_and_manages_their_own_partnership(personas):
    found = get_partnership_for_user(personas["lead_a"], personas["a"].pk, manage=True)
    assert found == personas["a"]


def test_a_lead_of_a_cannot_reach_partnership_b(personas):
    with pytest.raises(Http404):
        get_partnership_for_user(personas["lead_a"], personas["b"].pk)


def test_a_teacher_sees_but_cannot_manage(personas):
    assert get_partnership_for_user(personas["teacher_a"], personas["a"].pk) == personas["a"]
    with pytest.raises(PermissionDenied):
        get_partnership_for_user(personas["teacher_a"], personas["a"].pk, manage=True)


def test_an_ended_role_no_longer_grants_access(personas):
    role = PartnershipRole.objects.get(user=personas["teacher_a"], role=Role.TEACHER)
    role.ended = role.started
    role.save(update_fields=["ended"])
    with pytest.raises(Http404):
        get_partnership_for_user(personas["teacher_a"], personas["a"].pk)


def test_anonymous_and_outsiders_see_no_partnerships(personas, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert not Partnership.objects.visible_to(AnonymousUser()).exists()
    assert not Partnership.objects.visible_to(personas["outsider"]).exists()


def test_a_bad_identifier_is_not_found_rather_than_an_error(personas):
    with pytest.raises(Http404):
        get_partnership_for_user(personas["lead_a"], "not-a-number")
