"""The audit log covers, as real requests make them: sign-ins, failed sign-ins and lockouts,
refusals, downloads, changes of role and membership, cycle state changes and accepted
matches. What it records never holds a typed password, a secret link or an answer.

The world is ``world.build()`` (partnership A, "Northside Cluster"), built once for the module.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partnerlens.audit import verbs
from partnerlens.audit.models import AuditEvent

PASSWORD = "correct-horse-battery"
WRONG = "wrong-staple-guess"


def events(verb: str, **filters):
    return AuditEvent.objects.filter(verb=verb, **filters)


def with_password(person):
    # A copy: the world's own object must keep the password its sessions were made with.
    user = get_user_model().objects.get(pk=person.pk)
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def sign_in(name: str, password: str) -> None:
    Client().post(reverse("login"), {"username": name, "password": password})


# --- sign-ins ---------------------------------------------------------------------------


def test_a_sign_in_is_recorded_with_who_signed_in(world, db):
    teacher = with_password(world["member"])
    sign_in(teacher.email, PASSWORD)
    [event] = events(verbs.ACCOUNT_SIGNED_IN)
    assert (event.actor, event.object_type, event.object_id) == (teacher, "User", str(teacher.pk))


def test_a_failed_sign_in_names_the_account_but_never_what_was_typed(world, db):
    teacher = with_password(world["member"])
    sign_in(teacher.email, WRONG)
    sign_in("nobody@example.org", WRONG)
    known, unknown = events(verbs.ACCOUNT_SIGN_IN_FAILED).order_by("pk")
    assert (known.actor, known.object_id, known.detail) == (
        None,
        str(teacher.pk),
        {"known_account": True},
    )
    assert (unknown.object_id, unknown.detail) == ("", {"known_account": False})
    stored = str(list(AuditEvent.objects.values()))
    assert WRONG not in stored and "nobody@example.org" not in stored
    assert not events(verbs.ACCOUNT_SIGNED_IN).exists()


def test_a_lockout_is_recorded_once_per_refused_attempt(world, db, settings):
    teacher = with_password(world["member"])
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(teacher.email, WRONG)
    assert events(verbs.ACCOUNT_SIGN_IN_FAILED).count() == settings.AXES_FAILURE_LIMIT - 1
    assert events(verbs.ACCOUNT_LOCKED_OUT, object_id=str(teacher.pk)).count() == 1
    sign_in(teacher.email, PASSWORD)  # the right password, while locked out
    assert events(verbs.ACCOUNT_LOCKED_OUT).count() == 2
    assert not events(verbs.ACCOUNT_SIGNED_IN).exists()


# --- refusals ---------------------------------------------------------------------------


def test_another_partnerships_object_is_refused_and_recorded(world, db, client):
    client.force_login(world["lead_b"])
    url = reverse("brokerage:scenario_detail", args=[world["a"].pk, world["scenario"].pk])
    assert client.get(url).status_code == 404
    [event] = events(verbs.ACCESS_REFUSED)
    assert event.actor == world["lead_b"]
    assert event.partnership_id == world["a"].pk
    assert event.detail == {
        "status": 404,
        "page": "brokerage:scenario_detail",
        "method": "GET",
        "arguments": {"pk": world["a"].pk, "scenario_pk": world["scenario"].pk},
    }


def test_a_role_that_may_not_is_refused_and_recorded(world, db, client):
    client.force_login(world["member"])
    url = reverse("enquiries:cycle_action", args=[world["open_cycle"].pk, "close"])
    assert client.post(url).status_code == 403
    [event] = events(verbs.ACCESS_REFUSED, actor=world["member"])
    assert (event.detail["status"], event.detail["method"]) == (403, "POST")
    assert event.detail["arguments"] == {"pk": world["open_cycle"].pk, "action": "close"}


def test_a_refusal_never_stores_the_secret_in_its_address(world, db, client):
    client.force_login(world["lead_b"])  # not the invited person
    token = world["invitation_token"]
    assert client.get(reverse("directory:accept_invitation", args=[token])).status_code == 403
    [event] = events(verbs.ACCESS_REFUSED)
    assert event.detail["arguments"] == {}
    assert token not in str(event.detail)


def test_a_refusal_is_still_a_refusal_when_the_log_cannot_be_written(world, db, client, caplog):
    """A failing audit table (here: renamed away inside the test's transaction) must not turn
    the person's 404 into a 500; the failure goes to the error log instead."""
    from django.db import connection

    client.force_login(world["lead_b"])
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} RENAME TO {table}_away")
    url = reverse("brokerage:scenario_detail", args=[world["a"].pk, world["scenario"].pk])
    assert client.get(url).status_code == 404
    assert "could not be logged" in caplog.text
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table}_away RENAME TO {table}")
    assert not events(verbs.ACCESS_REFUSED).exists()  # nothing written while it was away


def test_what_is_not_a_refusal_of_a_signed_in_person_is_not_recorded(world, db, client):
    assert client.get(reverse("enquiries:start", args=["no-such-link"])).status_code == 404
    client.force_login(world["member"])
    assert client.get("/no/such/page/").status_code == 404  # no page of ours: a typo
    assert (
        client.get(reverse("directory:partnership_detail", args=[world["a"].pk])).status_code == 200
    )
    assert not events(verbs.ACCESS_REFUSED).exists()


# --- downloads --------------------------------------------------------------------------


def test_each_download_is_recorded_with_what_was_taken_never_its_content(world, db, client):
    client.force_login(world["member"])
    a, cycle, draft = world["a"], world["results_cycle"], world["draft"]
    results = client.get(reverse("insights:download", args=[cycle.pk, "csv"]))
    framework = client.get(reverse("frameworks:download_yaml", args=[a.pk, draft.pk]))
    own = client.get(reverse("enquiries:reflections_export", args=["csv"]))
    assert [results.status_code, framework.status_code, own.status_code] == [200, 200, 200]
    taken = {e.detail["export"]: e for e in events(verbs.EXPORT_DOWNLOADED, actor=world["member"])}
    release = cycle.releases.latest("pk")
    assert taken["results"].detail == {
        "export": "results",
        "format": "csv",
        "release": release.pk,
        "language": "en",
    }
    assert (taken["results"].object_id, taken["results"].partnership_id) == (str(cycle.pk), a.pk)
    assert taken["framework"].detail == {"export": "framework", "format": "yaml"}
    assert taken["framework"].object_type == "FrameworkVersion"
    assert taken["own_reflections"].detail == {"export": "own_reflections", "format": "csv"}


def test_a_refused_download_records_the_refusal_not_a_download(world, db, client):
    client.force_login(world["lead_b"])
    url = reverse("insights:download", args=[world["results_cycle"].pk, "csv"])
    assert client.get(url).status_code == 404
    assert not events(verbs.EXPORT_DOWNLOADED).exists()
    assert events(verbs.ACCESS_REFUSED, actor=world["lead_b"]).count() == 1


# --- roles, membership, cycles and matches ------------------------------------------------


def test_creating_a_partnership_records_the_lead_role_it_grants(world, db, client):
    client.force_login(world["outsider"])
    client.post(reverse("directory:partnership_create"), {"name": "Eastside", "kind": "cluster"})
    [event] = events(verbs.ROLE_GRANTED, actor=world["outsider"])
    assert event.detail == {"user_id": world["outsider"].pk, "role": "partnership_lead"}
    assert events(verbs.PARTNERSHIP_CREATED, partnership_id=event.partnership_id).exists()


def test_accepting_an_invitation_records_the_role_it_grants(world, db, client):
    invited = get_user_model().objects.create(username="new.head", email="new.head@example.org")
    client.force_login(invited)
    client.post(reverse("directory:accept_invitation", args=[world["invitation_token"]]))
    [event] = events(verbs.ROLE_GRANTED, actor=invited)
    assert (event.partnership_id, event.detail["role"]) == (world["a"].pk, "governor")
    assert events(verbs.INVITATION_ACCEPTED, actor=invited).count() == 1


def _dates(prefix: str) -> dict:
    today = timezone.localdate()
    return {f"{prefix}_0": today.day, f"{prefix}_1": today.month, f"{prefix}_2": today.year}


CHANGES = {
    "role ended": (
        "directory:role_end",
        lambda w: [w["a"].pk, w["teacher_role"].pk],
        lambda w: {},
        verbs.ROLE_ENDED,
    ),
    "member added": (
        "directory:member_add",
        lambda w: [w["a"].pk],
        lambda w: {"organisation": w["b"].memberships.get().organisation_id},
        verbs.MEMBERSHIP_ADDED,
    ),
    "membership ended": (
        "directory:membership_end",
        lambda w: [w["a"].pk, w["membership"].pk],
        lambda w: _dates("left"),
        verbs.MEMBERSHIP_ENDED,
    ),
    "cycle closed": (
        "enquiries:cycle_action",
        lambda w: [w["open_cycle"].pk, "close"],
        lambda w: {},
        verbs.CYCLE_CLOSED,
    ),
    "match accepted": (
        "brokerage:match_accept",
        lambda w: [w["a"].pk, w["scenario"].pk, w["proposal"].pk],
        lambda w: {},
        verbs.BROKERAGE_MATCH_ACCEPTED,
    ),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_each_change_is_recorded_by_the_request_that_makes_it(world, db, client, change):
    name, args, form, verb = CHANGES[change]
    client.force_login(world["lead"])
    recorded = events(verb, actor=world["lead"], partnership_id=world["a"].pk)
    before = recorded.count()
    response = client.post(reverse(name, args=args(world)), form(world))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert recorded.count() == before + 1


def test_a_cycle_reopened_then_published_records_each_state(world, db, client):
    client.force_login(world["lead"])
    cycle = world["open_cycle"]
    for action in ("close", "open", "close", "publish"):
        client.post(reverse("enquiries:cycle_action", args=[cycle.pk, action]))
    recorded = events(verbs.CYCLE_OPENED, object_id=str(cycle.pk)).count()
    assert recorded >= 2  # opened when the world was built, and again here
    assert events(verbs.CYCLE_CLOSED, object_id=str(cycle.pk)).count() == 2
    [published] = events(verbs.CYCLE_PUBLISHED, object_id=str(cycle.pk))
    assert published.detail == {"before": "closed"}
