"""The partnership page's section links: each role is offered exactly the sections it may open."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import pass_second_factor
from partnerlens.directory.access import get_access
from partnerlens.directory.models import Role
from partnerlens.directory.sections import _registry, links_for

pytestmark = pytest.mark.django_db


def _status(client, user, url) -> int:
    client.force_login(user)
    pass_second_factor(client, user)
    return client.get(url).status_code


@pytest.mark.parametrize("role", list(Role))
def test_every_section_offered_to_a_role_opens_and_every_other_is_refused(
    role, client, make_user, make_partnership
):
    user = make_user(f"someone_{role}")
    partnership = make_partnership("Riverside Federation", people={user: role})
    client.force_login(user)
    pass_second_factor(client, user)
    page = client.get(reverse("directory:partnership_detail", args=[partnership.pk]))
    assert page.status_code == 200
    offered = {link["url"] for link in page.context["sections"]}
    for section in _registry.values():
        url = reverse(section.url_name, args=[partnership.pk])
        status = _status(client, user, url)
        if url in offered:
            assert status == 200, (role, section.url_name)
        else:
            assert status == 403, (role, section.url_name)
    assert offered, role  # every role has somewhere to go


def test_a_teacher_is_not_offered_the_impact_pages_a_governor_is(make_user, make_partnership):
    teacher, governor = make_user("teacher"), make_user("governor")
    partnership = make_partnership(
        "Riverside Federation", people={teacher: Role.TEACHER, governor: Role.GOVERNOR}
    )

    def labels(user):
        return {str(link["label"]) for link in links_for(get_access(user, partnership))}

    assert "Impact on pupils" not in labels(teacher)
    assert "Early warnings" not in labels(teacher)
    assert {"Impact on pupils", "Early warnings"} <= labels(governor)
