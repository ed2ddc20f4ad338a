"""The Content-Security-Policy is on every kind of response: pages, downloads, error pages,
static files and the health check. The browser side (no page breaks the policy) is in
browser/test_every_page.py."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

REQUIRED = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'none'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
}


def policy_of(response) -> dict[str, set[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.status_code} {response.request}"
    policy = {}
    for directive in header.split(";"):
        name, *values = directive.split()
        policy[name] = set(values)
    return policy


def assert_strict(response) -> None:
    policy = policy_of(response)
    for name, values in REQUIRED.items():
        assert values <= policy.get(name, set()), f"{name}: {policy.get(name)}"
    everything = set().union(*policy.values())
    assert not everything & {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:"}


def test_a_page_and_the_health_check_carry_the_policy(db):
    client = Client()
    for path in ("/", "/cy/", reverse("login"), "/healthz"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_strict(response)


def test_static_files_carry_the_policy(db):
    response = Client().get("/static/partnerlens/favicon.svg")
    assert response.status_code == 200
    assert_strict(response)


def test_error_pages_carry_the_policy(client, personas):
    assert_strict(Client().get("/no-such-page/"))  # 404
    client.force_login(personas["teacher_a"])
    refused = client.get(reverse("directory:partnership_edit", kwargs={"pk": personas["a"].pk}))
    assert refused.status_code == 403
    assert_strict(refused)


@pytest.mark.urls("partnerlens.tests.error_urls")
def test_the_500_page_carries_the_policy(db):
    failed = Client(raise_request_exception=False).get("/test-failure/")
    assert failed.status_code == 500
    assert_strict(failed)


def test_downloads_carry_the_policy(world, client):
    cycle = world["results_cycle"]
    client.force_login(world["lead"])
    for identifier in ("csv", "xlsx"):
        response = client.get(reverse("insights:download", args=[cycle.pk, identifier]))
        assert response.status_code == 200, identifier
        assert response["Content-Disposition"].startswith("attachment")
        assert_strict(response)


def test_an_inline_script_with_the_request_nonce_is_allowed_by_the_header(rf):
    """A template that needs an inline script writes nonce="{{ request.csp_nonce }}"; the
    middleware then puts that same nonce in script-src and style-src."""
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse

    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

    request = rf.get("/")
    response = CSPMiddleware(view)(request)
    nonce = response.content.decode().split('"')[1]
    assert f"'nonce-{nonce}'" in policy_of(response)["script-src"]
    assert f"'nonce-{nonce}'" in policy_of(response)["style-src"]
