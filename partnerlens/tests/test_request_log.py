"""Structured logs (core/request_log.py): one JSON line per request with its id, method,
path, status and duration, and never a link token, a query string, an answer or a credential.

The tests install the project's own LOGGING (settings.LOGGING, JSON formatter, request lines
on) writing to a buffer, make real requests, and read what was written.
"""

from __future__ import annotations

import copy
import io
import json
import logging.config
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse

from partnerlens.core.request_log import MASK, SECRET_ARGS, mask_path, mask_text
from partnerlens.enquiries.models import Answer
from partnerlens.urls import urlpatterns as project_patterns

ROOT = Path(__file__).resolve().parents[2]
ANSWER = "Our-private-answer-7f3c about the head of maths"
QUERY_SECRET = "query-secret-91ab"


@pytest.fixture
def log_lines():
    """The project's logging, as production has it (JSON, request lines on), into a buffer;
    call the fixture's value for the lines written so far, each parsed."""
    buffer = io.StringIO()
    config = copy.deepcopy(django_settings.LOGGING)
    config["handlers"]["console"]["formatter"] = "json"
    config["handlers"]["console"]["stream"] = buffer
    config["loggers"]["partnerlens.requests"]["level"] = "INFO"
    logging.config.dictConfig(config)

    def lines() -> list[dict]:
        return [json.loads(line) for line in buffer.getvalue().splitlines()]

    lines.text = buffer.getvalue
    yield lines
    logging.config.dictConfig(django_settings.LOGGING)


def request_lines(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line["logger"] == "partnerlens.requests"]


def test_each_request_writes_one_json_line_with_its_id_method_path_status_and_time(log_lines):
    response = Client().get("/healthz", HTTP_X_REQUEST_ID="lb-2f9c.17")
    assert response["X-Request-ID"] == "lb-2f9c.17"
    (line,) = request_lines(log_lines())
    assert line["request_id"] == "lb-2f9c.17"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["level"] == "INFO"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00", line["time"])


def test_a_request_id_that_is_not_safe_to_log_is_replaced(log_lines):
    response = Client().get("/healthz", HTTP_X_REQUEST_ID="evil\nINFO forged line")
    (line,) = request_lines(log_lines())
    assert re.fullmatch(r"[0-9a-f]{32}", line["request_id"])
    assert response["X-Request-ID"] == line["request_id"]
    assert "forged" not in log_lines.text()


def test_respondent_links_and_answers_never_reach_the_log(log_lines, world, db):
    token = world["token"]
    client = Client()
    theme = reverse("enquiries:theme", kwargs={"token": token, "number": 1})
    page = client.get(f"{theme}?from=check&note={QUERY_SECRET}")
    assert page.status_code == 200
    notes = set(re.findall(r'name="(q\d+-note)"', page.text))
    assert notes, "the theme page offers evidence notes"
    saved = client.post(theme, {name: ANSWER for name in notes})
    assert saved.status_code == 302
    assert Answer.objects.filter(evidence_note=ANSWER).exists(), "the answers were stored"
    client.get(reverse("enquiries:resume_link", kwargs={"token": token}))
    client.get(reverse("enquiries:open_link", kwargs={"token": world["open_link_token"]}))
    client.get(reverse("directory:accept_invitation", kwargs={"token": world["invitation_token"]}))
    wrong = secrets.token_urlsafe(32)
    assert client.get(reverse("enquiries:start", kwargs={"token": wrong})).status_code == 404
    client.get("/cy" + theme)  # last: the Welsh page leaves Welsh active for reverse()

    text = log_lines.text()
    for secret in (token, world["open_link_token"], world["invitation_token"], wrong):
        assert secret not in text
    assert ANSWER not in text and "private-answer" not in text
    assert QUERY_SECRET not in text
    lines = log_lines()
    paths = [line["path"] for line in request_lines(lines)]
    assert f"/enquiries/r/{MASK}/theme/1/" in paths
    assert f"/cy/enquiries/r/{MASK}/theme/1/" in paths
    assert f"/enquiries/p/{MASK}/" in paths
    assert f"/invitations/{MASK}/" in paths
    (not_found,) = [line for line in lines if line["logger"] == "django.request"]
    assert not_found["message"] == f"Not Found: /enquiries/r/{MASK}/"
    assert not_found["request_id"] == request_lines(lines)[-2]["request_id"]


def fail_while_answering(request, token):
    raise RuntimeError("the answer could not be saved")


# The project's URLs (the 500 page links to them) and one that fails on a token-bearing path.
urlpatterns = [*project_patterns, path("answer/<str:token>/", fail_while_answering)]


@pytest.mark.urls(__name__)
def test_a_server_error_is_logged_with_its_traceback_but_not_the_request(log_lines, db):
    token = secrets.token_urlsafe(32)
    response = Client(raise_request_exception=False).post(
        f"/answer/{token}/?q={QUERY_SECRET}",
        {"q1-note": ANSWER},
        HTTP_AUTHORIZATION="Bearer pl_" + "A" * 43,
        HTTP_COOKIE="sessionid=cookie-secret-5d1e",
    )
    assert response.status_code == 500
    (error,) = [line for line in log_lines() if line["logger"] == "django.request"]
    assert error["level"] == "ERROR"
    assert error["message"] == f"Internal Server Error: /answer/{MASK}/"
    assert "RuntimeError: the answer could not be saved" in error["exc_info"]
    assert error["status_code"] == 500
    assert "request" not in error  # the request object, which holds the body and headers
    text = log_lines.text()
    for secret in (token, ANSWER, QUERY_SECRET, "pl_AAAA", "cookie-secret"):
        assert secret not in text


def test_the_filter_masks_paths_urls_api_tokens_and_bearer_credentials():
    token = secrets.token_urlsafe(32)
    assert mask_path(f"/enquiries/r/{token}/check/?a=1") == f"/enquiries/r/{MASK}/check/"
    assert mask_path(f"/accounts/password/reset/MQ/{token[:20]}-x/") == (
        f"/accounts/password/reset/{MASK}/{MASK}/"
    )
    # A path the URLconf does not know still loses whatever looks like a token.
    assert mask_path(f"/old/r/{token}/x") == f"/old/r/{MASK}/x"
    assert mask_path("/partnerships/12/cycles/") == "/partnerships/12/cycles/"
    text = mask_text(
        f'GET https://pl.example/enquiries/p/{token}/?x=1 "Authorization: Bearer abc.def" '
        f"pl_{token}"
    )
    assert token not in text and "abc.def" not in text and "x=1" not in text
    assert f"https://pl.example/enquiries/p/{MASK}/" in text


def _holds_text(converter) -> bool:
    return re.fullmatch(converter.regex, "tokenLike_Text-1") is not None


def url_arguments(patterns=None, namespace=""):
    """(URL name, argument name, whether it can hold letters) for every non-admin URL."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            converters = getattr(pattern.pattern, "converters", {})
            for name, converter in converters.items():
                yield f"{inner}:*", name, _holds_text(converter)
            yield from url_arguments(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            for name, converter in getattr(pattern.pattern, "converters", {}).items():
                yield f"{namespace}:{pattern.name}", name, _holds_text(converter)


# Text arguments in URLs that are not secret: say so here, or add the name to SECRET_ARGS.
# Object ids (``cycle_id``, ``pk``) are not secrets either.
PUBLIC_TEXT_ARGS = {"action", "area", "fmt", "identifier"}


def test_every_text_argument_in_a_url_is_known_to_be_secret_or_public():
    unknown = {
        (url, name)
        for url, name, holds_text in url_arguments()
        if holds_text
        and name not in SECRET_ARGS | PUBLIC_TEXT_ARGS
        and not name.endswith(("_id", "pk"))
    }
    assert unknown == set(), "a new URL argument: is it a secret (SECRET_ARGS) or not?"


PRODUCTION_REQUESTS = """
import django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="partnerlens.example.org")
client.get("/healthz?token=QUERYSECRET")           # plain HTTP: the load balancer's probe
client.get("/readyz?token=QUERYSECRET", secure=True)  # an empty database: the queue fails
"""


def test_production_writes_json_lines_only(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "partnerlens.settings",
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "partnerlens.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop("LOG_FORMAT", None), env.pop("LOG_REQUESTS", None)
    done = subprocess.run(
        # Python's own warnings (no collected static files here) are not log lines.
        [sys.executable, "-W", "ignore", "-c", PRODUCTION_REQUESTS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stderr.splitlines()]  # every line is JSON
    requests = {line["path"]: line for line in request_lines(lines)}
    assert requests["/healthz"]["status"] == 200  # not redirected to HTTPS
    assert requests["/readyz"]["status"] == 503
    (failure,) = [line for line in lines if line["logger"] == "partnerlens.core.readiness"]
    assert "Traceback" in failure["exc_info"]
    assert failure["request_id"] == requests["/readyz"]["request_id"]  # one id finds both
    assert "QUERYSECRET" not in done.stderr
