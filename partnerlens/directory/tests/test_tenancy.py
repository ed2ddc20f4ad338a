"""Nobody reaches another partnership's data through any URL of the directory app.

The table below has one row per URL name in partnerlens/directory/urls.py; a URL added
without a row fails ``test_every_directory_url_is_in_the_table``. Each row says what kind
of page it is and how to fill its address and a valid form for partnership A. The tests
then prove, for every row:

* anonymous visitors are sent to sign in, and their POSTs change nothing;
* ``outsider`` and ``lead_b`` (who leads partnership B) get 404 for A's pages, GET or POST,
  and their POSTs change nothing;
* ``teacher_a`` can read A but is refused (403) every change, which changes nothing;
* ``lead_a`` can open every page and every POST makes its change.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerlens.audit.models import AuditEvent
from partnerlens.directory import urls as directory_urls
from partnerlens.directory.models import (
    Membership,
    Organisation,
    Partnership,
    PartnershipRole,
    Role,
    RoleInvitation,
)

READ = "read"  # anyone with a role in the partnership may see it
CHANGE = "change"  # only its lead or an administrator
MINE = "mine"  # shows only the signed-in user's own partnerships
ANY_SIGNED_IN = "any signed-in user"  # not about an existing partnership


@dataclass(frozen=True)
class Route:
    kind: str
    kwargs: Callable[[dict], dict] = lambda w: {}
    post: Callable[[dict], dict] | None = None
    other_kwargs: Callable[[dict], dict] | None = field(default=None)
    """The same page addressed through partnership B but naming A's object, if it has one."""


def _today_parts(prefix: str) -> dict:
    today = timezone.localdate()
    return {f"{prefix}_0": today.day, f"{prefix}_1": today.month, f"{prefix}_2": today.year}


def _a(w):
    return {"pk": w["a"].pk}


def _membership_a(w):
    return Membership.objects.get(partnership=w["a"], organisation=w["school_a"])


def _teacher_role_a(w):
    return PartnershipRole.objects.get(partnership=w["a"], user=w["teacher_a"])


ROUTES: dict[str, Route] = {
    "partnership_list": Route(MINE),
    "partnership_create": Route(
        ANY_SIGNED_IN, post=lambda w: {"name": "Brand new cluster", "kind": "cluster"}
    ),
    "partnership_detail": Route(READ, _a),
    "partnership_edit": Route(
        CHANGE, _a, post=lambda w: {"name": "Renamed by someone", "kind": "federation"}
    ),
    "member_add": Route(CHANGE, _a, post=lambda w: {"organisation": w["school_b"].pk}),
    "partner_organisation_add": Route(
        CHANGE, _a, post=lambda w: {"name": "Northside Parents", "kind": "parent_group"}
    ),
    "membership_end": Route(
        CHANGE,
        lambda w: {"pk": w["a"].pk, "membership_pk": _membership_a(w).pk},
        post=lambda w: _today_parts("left"),
        other_kwargs=lambda w: {"pk": w["b"].pk, "membership_pk": _membership_a(w).pk},
    ),
    "person_invite": Route(
        CHANGE, _a, post=lambda w: {"email": "new.person@example.org", "role": Role.GOVERNOR}
    ),
    "role_end": Route(
        CHANGE,
        lambda w: {"pk": w["a"].pk, "role_pk": _teacher_role_a(w).pk},
        post=lambda w: {},
        other_kwargs=lambda w: {"pk": w["b"].pk, "role_pk": _teacher_role_a(w).pk},
    ),
}

# URLs not addressed by partnership, each with the reason and where it is tested instead.
NOT_IN_TABLE = {
    "accept_invitation": "reached by a secret single-use token; see test_invitations.py",
}

SCOPED = [name for name, route in ROUTES.items() if route.kind in (READ, CHANGE)]
CHANGES = [name for name, route in ROUTES.items() if route.kind == CHANGE]
POSTS = [name for name, route in ROUTES.items() if route.post is not None]


@pytest.fixture
def world(personas, smtp_server):
    """The personas, with a real mail server so invitations can really be sent."""
    return {**personas, "mailbox": smtp_server}


def url_of(name: str, world: dict, *, via_b: bool = False) -> str:
    route = ROUTES[name]
    kwargs = route.other_kwargs(world) if via_b else route.kwargs(world)
    return reverse(f"directory:{name}", kwargs=kwargs)


def snapshot() -> list:
    """Everything a directory page could change, to prove a refused request changed nothing."""
    return [
        list(Partnership.objects.order_by("pk").values()),
        list(Membership.objects.order_by("pk").values()),
        list(PartnershipRole.objects.order_by("pk").values()),
        list(RoleInvitation.objects.order_by("pk").values()),
        list(Organisation.objects.order_by("pk").values_list("pk", "name")),
        AuditEvent.objects.changes().count(),  # not sign-ins and refusals
    ]


def test_every_directory_url_is_in_the_table():
    names = {pattern.name for pattern in directory_urls.urlpatterns}
    assert names == set(ROUTES) | set(NOT_IN_TABLE), (
        "Each directory URL needs a row in ROUTES (or a reason in NOT_IN_TABLE)"
    )


@pytest.mark.parametrize("name", list(ROUTES))
def test_anonymous_visitors_are_sent_to_sign_in(client, world, name):
    url = url_of(name, world)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", POSTS)
def test_anonymous_posts_change_nothing(client, world, name):
    before = snapshot()
    response = client.post(url_of(name, world), ROUTES[name].post(world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["outsider", "lead_b"])
@pytest.mark.parametrize("name", SCOPED)
def test_people_outside_partnership_a_find_nothing_there(client, world, name, persona):
    client.force_login(world[persona])
    before = snapshot()
    assert client.get(url_of(name, world)).status_code == 404
    if ROUTES[name].post:
        assert client.post(url_of(name, world), ROUTES[name].post(world)).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("name", [n for n in SCOPED if ROUTES[n].other_kwargs])
def test_lead_b_cannot_reach_a_objects_through_b_own_address(client, world, name):
    client.force_login(world["lead_b"])
    before = snapshot()
    url = url_of(name, world, via_b=True)
    assert client.get(url).status_code == 404
    assert client.post(url, ROUTES[name].post(world)).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("name", [n for n in SCOPED if ROUTES[n].kind == READ])
def test_a_teacher_in_a_can_read_it(client, world, name):
    client.force_login(world["teacher_a"])
    response = client.get(url_of(name, world))
    assert response.status_code == 200
    assert world["a"].name in response.content.decode()


@pytest.mark.parametrize("name", CHANGES)
def test_a_teacher_in_a_is_refused_every_change(client, world, name):
    client.force_login(world["teacher_a"])
    before = snapshot()
    assert client.get(url_of(name, world)).status_code == 403
    assert client.post(url_of(name, world), ROUTES[name].post(world)).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("name", list(ROUTES))
def test_the_lead_of_a_can_open_every_page(client, world, name):
    client.force_login(world["lead_a"])
    assert client.get(url_of(name, world)).status_code == 200


@pytest.mark.parametrize("name", POSTS)
def test_the_lead_of_a_can_make_every_change(client, world, name):
    client.force_login(world["lead_a"])
    before = snapshot()
    response = client.post(url_of(name, world), ROUTES[name].post(world))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert snapshot() != before
    assert AuditEvent.objects.changes().count() > before[-1], "every change is audited"


@pytest.mark.parametrize("persona", ["lead_b", "outsider", "teacher_a"])
def test_the_partnership_list_shows_only_the_user_own_partnerships(client, world, persona):
    client.force_login(world[persona])
    page = client.get(reverse("directory:partnership_list")).content.decode()
    assert (world["a"].name in page) == (persona == "teacher_a")
    assert (world["b"].name in page) == (persona == "lead_b")


def test_an_ended_role_closes_the_partnership_to_that_person(client, world):
    role = _teacher_role_a(world)
    role.ended = datetime.date.today()
    role.save(update_fields=["ended"])
    client.force_login(world["teacher_a"])
    assert (
        client.get(reverse("directory:partnership_detail", args=[world["a"].pk])).status_code == 404
    )


def test_the_school_search_offers_schools_only_not_other_partnerships_private_partners(
    client, world
):
    from partnerlens.directory.models import OrganisationKind

    Organisation.objects.create(kind=OrganisationKind.PARENT_GROUP, name="Southside Parents")
    client.force_login(world["lead_a"])
    url = reverse("directory:member_add", args=[world["a"].pk])
    page = client.get(url, {"q": "Southside"}).content.decode()
    assert "Southside Academy" in page
    assert "Southside Parents" not in page
    parents = Organisation.objects.get(name="Southside Parents")
    before = snapshot()
    client.post(url, {"organisation": parents.pk})
    assert snapshot() == before
