"""What each endpoint gives partnership A's token on the persona world: the directory, cycles,
results and matches, in pages, at a cost that does not grow with the number listed."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerlens.brokerage.models import Decision, ProposedMatch
from partnerlens.directory.models import Membership
from partnerlens.enquiries.services.cycles import close_cycle


def get(api, path, token, **params):
    response = api.call("get", path, token, data=params)
    assert response.status_code == 200, (path, response.status_code, response.content)
    return response.json()


def test_the_partnership_and_its_members(api, world, tokens):
    assert get(api, "/partnership", tokens["a_read"])["id"] == world["a"].pk
    organisations = get(api, "/organisations", tokens["a_read"])
    assert organisations["count"] == 4
    assert [o["name"] for o in organisations["items"]] == sorted(
        school.name for school in world["schools"]
    )
    memberships = get(api, "/memberships", tokens["a_read"])
    assert {m["organisation"]["id"] for m in memberships["items"]} == {
        school.pk for school in world["schools"]
    }
    ash = world["schools"][0]
    assert get(api, f"/organisations/{ash.pk}", tokens["a_read"])["urn"] == ash.urn


def test_lists_come_in_pages(api, world, tokens):
    first = get(api, "/organisations", tokens["a_read"], limit=3)
    rest = get(api, "/organisations", tokens["a_read"], limit=3, offset=3)
    assert (first["count"], len(first["items"]), len(rest["items"])) == (4, 3, 1)
    names = [o["name"] for o in first["items"] + rest["items"]]
    assert names == sorted(school.name for school in world["schools"])
    too_many = api.call("get", "/organisations", tokens["a_read"], data={"limit": 101})
    assert too_many.status_code == 422


def test_an_organisation_that_left_is_still_listed_with_its_dates(api, world, tokens):
    membership = Membership.objects.get(partnership=world["a"], organisation=world["schools"][3])
    membership.left = membership.joined or world["a"].created_at.date()
    membership.save(update_fields=["left"])
    items = get(api, "/memberships", tokens["a_read"])["items"]
    left = next(m for m in items if m["id"] == membership.pk)
    assert left["left"] == membership.left.isoformat()


def test_cycles_and_one_cycle(api, world, tokens):
    listed = get(api, "/cycles", tokens["a_read"])
    assert {c["id"]: c["state"] for c in listed["items"]} == {
        world["open_cycle"].pk: "open",
        world["results_cycle"].pk: "published",
    }
    one = get(api, f"/cycles/{world['results_cycle'].pk}", tokens["a_read"])
    assert one["title"] == "Autumn review"
    assert one["framework"]["version_id"] == world["results_cycle"].framework_version_id


def test_results_of_the_published_cycle_are_its_release(api, world, tokens):
    body = get(api, f"/cycles/{world['results_cycle'].pk}/results", tokens["a_read"])
    assert body["release"]["respondents"] == 2
    # Two teachers answered, fewer than k: every cell is hidden and has no figures.
    assert body["cells"]
    assert all(not c["shown"] and c["n"] is None and c["mean"] is None for c in body["cells"])


def test_a_closed_cycle_has_no_results_in_the_api(api, world, tokens):
    """A closed cycle's results are for the lead to check on the page before publishing."""
    cycle = world["open_cycle"]
    close_cycle(cycle, actor=world["lead"])
    response = api.call("get", f"/cycles/{cycle.pk}/results", tokens["a_read"])
    assert response.status_code == 404


def test_matches_of_each_scenario_s_latest_run(api, world, tokens):
    run = world["scenario"].latest_run()
    body = get(api, "/matches", tokens["a_read"])
    assert {m["id"] for m in body["items"]} == set(run.matches.values_list("pk", flat=True))
    pinned = get(api, "/matches", tokens["a_read"], decision="pinned")
    assert [m["id"] for m in pinned["items"]] == [world["proposal"].pk]
    assert pinned["items"][0]["need_school"]["name"] == "Ash Primary"
    bad = api.call("get", "/matches", tokens["a_read"], data={"decision": "maybe"})
    assert bad.status_code == 422


def queries(api, path, token) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert api.call("get", path, token).status_code == 200
    return len(captured)


# Queries per request, the token's own included: finding it, its last-used time and its
# audit entry (3, plus a savepoint's 2 inside a test's transaction), and the rate limit's
# history read and written in the shared database cache (2, core/cache.py).
PINNED = {
    "/partnership": 7,
    "/memberships": 9,
    "/organisations": 9,
    "/organisations/{school}": 8,
    "/cycles": 9,
    "/cycles/{cycle}": 8,
    "/cycles/{cycle}/results": 11,
    "/matches": 10,
}


def test_each_endpoint_costs_its_pinned_queries(api, world, tokens):
    ids = {"school": world["schools"][0].pk, "cycle": world["results_cycle"].pk}
    got = {path: queries(api, path.format(**ids), tokens["a_read"]) for path in PINNED}
    assert got == PINNED


def test_list_costs_do_not_grow_with_the_rows(api, world, tokens):
    queries(api, "/matches", tokens["a_read"])  # a first call may make the token's cache rows
    before = queries(api, "/matches", tokens["a_read"])
    match = ProposedMatch.objects.filter(run=world["scenario"].latest_run()).first()
    for _copy in range(3):
        match.pk = None
        match.decision = Decision.PENDING
        match.save()
    assert queries(api, "/matches", tokens["a_read"]) == before
