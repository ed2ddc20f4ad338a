import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from partnerlens.directory.access import BROKER, MANAGE, get_access, get_partnership_for_user
from partnerlens.directory.models import Partnership, PartnershipRole, Role


def test_a_lead_reaches_and_manages_their_own_partnership(personas):
    access = get_partnership_for_user(personas["lead_a"], personas["a"].pk, manage=True)
    assert access.partnership == personas["a"]
    assert access.roles == {Role.PARTNERSHIP_LEAD}
    assert access.can_manage and access.can_broker


def test_a_lead_of_a_cannot_reach_partnership_b(personas):
    with pytest.raises(Http404):
        get_partnership_for_user(personas["lead_a"], personas["b"].pk)


def test_a_teacher_sees_but_cannot_manage(personas):
    access = get_partnership_for_user(personas["teacher_a"], personas["a"].pk)
    assert access.partnership == personas["a"]
    assert not access.can_manage and not access.can_broker
    with pytest.raises(PermissionDenied):
        get_partnership_for_user(personas["teacher_a"], personas["a"].pk, manage=True)
    with pytest.raises(PermissionDenied):
        access.require(BROKER)


def test_the_partnership_and_every_role_come_from_one_query(
    personas, make_school, django_assert_num_queries
):
    school = make_school("Elm Primary")
    a, user = personas["a"], personas["teacher_a"]
    PartnershipRole.objects.create(
        partnership=a, user=user, role=Role.HEADTEACHER, organisation=school
    )
    PartnershipRole.objects.create(partnership=a, user=user, role=Role.BROKER)
    with django_assert_num_queries(1):
        access = get_partnership_for_user(user, a.pk)
        assert access.partnership.name == a.name
        assert access.can_broker and not access.can_manage
        assert access.led_school_ids == {school.pk}
        assert access.require(BROKER) is access


def test_a_role_naming_a_school_leads_it_only_as_head_or_senior_leader(personas, make_school):
    a, user = personas["a"], personas["teacher_a"]
    taught, led = make_school("Oak Primary"), make_school("Ash Primary")
    PartnershipRole.objects.filter(partnership=a, user=user).update(organisation=taught)
    PartnershipRole.objects.create(
        partnership=a, user=user, role=Role.SENIOR_LEADER, organisation=led
    )
    access = get_access(user, a)
    assert access.leads_school(led.pk) and not access.leads_school(taught.pk)


def test_an_ended_role_no_longer_grants_access(personas):
    role = PartnershipRole.objects.get(user=personas["teacher_a"], role=Role.TEACHER)
    role.ended = role.started
    role.save(update_fields=["ended"])
    with pytest.raises(Http404):
        get_partnership_for_user(personas["teacher_a"], personas["a"].pk)
    with pytest.raises(Http404):
        get_access(personas["teacher_a"], personas["a"])


def test_a_superuser_holds_every_capability_without_a_role(personas, make_user):
    admin = make_user("site_admin", is_superuser=True, is_staff=True)
    access = get_partnership_for_user(admin, personas["b"].pk, manage=True)
    assert access.partnership == personas["b"] and access.roles == frozenset()
    assert access.has(MANAGE) and access.has(BROKER)
    assert get_access(admin, personas["a"]).can_manage


def test_staff_status_alone_reaches_no_partnership(personas, make_user):
    staff = make_user("helpdesk", is_staff=True)
    with pytest.raises(Http404):
        get_partnership_for_user(staff, personas["a"].pk)


def test_anonymous_and_outsiders_see_no_partnerships(personas, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert not Partnership.objects.visible_to(AnonymousUser()).exists()
    assert not Partnership.objects.visible_to(personas["outsider"]).exists()
    with pytest.raises(Http404):
        get_partnership_for_user(AnonymousUser(), personas["a"].pk)
    with pytest.raises(Http404):
        get_access(AnonymousUser(), personas["a"])


@pytest.mark.parametrize("pk", ["not-a-number", None, 10**9])
def test_a_bad_or_unknown_identifier_is_not_found_rather_than_an_error(personas, pk, make_user):
    with pytest.raises(Http404):
        get_partnership_for_user(personas["lead_a"], pk)
    with pytest.raises(Http404):
        get_partnership_for_user(make_user("root", is_superuser=True), pk)
