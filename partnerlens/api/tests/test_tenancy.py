"""The API obeys the tenancy rule of the pages: a token of partnership B never sees or
changes anything of partnership A, on any endpoint. The cases come from the API's own
schema, so a new endpoint is covered as soon as it exists (and fails here until its path
parameters have one of A's objects to point at)."""

from __future__ import annotations

import pytest

from partnerlens.api.v1.api import api
from partnerlens.enquiries.models import Cycle, CycleState

SCHEMA = api.get_openapi_schema(path_prefix="/")
OPERATIONS = [
    (method.upper(), path) for path, methods in SCHEMA["paths"].items() for method in methods
]


def a_objects(world) -> dict[str, list[int]]:
    """For each path parameter, A's objects it can name (every one is tried)."""
    return {
        "cycle_id": [world["open_cycle"].pk, world["results_cycle"].pk],
        "organisation_id": [school.pk for school in world["schools"]],
    }


def paths_to_a(path: str, world) -> list[str]:
    """``path`` with its parameters pointing at each of A's objects."""
    names = [part[1:-1] for part in path.split("/") if part.startswith("{")]
    objects = a_objects(world)
    unknown = [name for name in names if name not in objects]
    assert unknown == [], f"say which of A's objects {unknown} can name in a_objects()"
    if not names:
        return [path]
    (name,) = names
    return [path.replace("{" + name + "}", str(pk)) for pk in objects[name]]


def a_words(world) -> list[str]:
    """Names only A's objects have: none may appear in anything B's token is given."""
    return [
        world["a"].name,
        *(school.name for school in world["schools"]),
        world["open_cycle"].title,
        world["results_cycle"].title,
        world["scenario"].name,
    ]


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_a_token_of_b_never_reaches_a(api, world, tokens, method, path):
    states = dict(Cycle.objects.filter(partnership=world["a"]).values_list("pk", "state"))
    for concrete in paths_to_a(path, world):
        for token in ("b_read", "b_write"):
            response = api.call(method, concrete, tokens[token])
            body = response.content.decode()
            if "{" in path:
                assert response.status_code in (403, 404), (token, concrete, response.status_code)
            else:
                assert response.status_code == 200, (token, concrete)
            assert [word for word in a_words(world) if word in body] == [], (token, concrete)
    after = dict(Cycle.objects.filter(partnership=world["a"]).values_list("pk", "state"))
    assert after == states, "B's token changed one of A's cycles"
    for concrete in paths_to_a(path, world):  # A's own token is answered on the same paths
        own = api.call(method, concrete, tokens["a_read" if method == "GET" else "a_write"])
        assert own.status_code in (200, 404, 409), (concrete, own.status_code)
        assert own.status_code == 200 or "results" in concrete or method == "POST"


def test_the_tenancy_cases_are_not_empty(api, world, tokens):
    """A's own token does reach A's objects, so the 404s above are not an empty API's."""
    cycle = world["results_cycle"]
    assert api.call("get", f"/cycles/{cycle.pk}", tokens["a_read"]).status_code == 200
    assert api.call("get", f"/cycles/{cycle.pk}/results", tokens["a_read"]).status_code == 200
    school = world["schools"][0]
    assert api.call("get", f"/organisations/{school.pk}", tokens["a_read"]).status_code == 200
    listed = api.call("get", "/matches", tokens["a_read"]).json()
    assert listed["count"] > 0
    assert world["open_cycle"].state == CycleState.OPEN
    closed = api.call("post", f"/cycles/{world['open_cycle'].pk}/close", tokens["b_write"])
    assert closed.status_code == 404
