"""Helpers of the tests that run real app servers (test_scale_out.py, test_crash_safety.py):
the test database's address for the servers, and a visitor that talks to them over HTTP as
a browser does (cookies, the CSRF token, the Origin header)."""

from __future__ import annotations

from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
import requests
from django.conf import settings
from django.db import connection

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
postgres_only = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="needs PostgreSQL, as deployed: the SQLite test database lives in this "
    "process's memory, where no server process can reach it, and SQLite runs one writer "
    "at a time, so writes made at the same moment would test nothing",
)


def database_url() -> str:
    """The test database (committed data: transactional tests) for server processes."""
    p = connection.settings_dict
    return (
        f"postgres://{quote(p['USER'])}:{quote(p['PASSWORD'])}@{p['HOST'] or 'localhost'}:"
        f"{p['PORT'] or 5432}/{p['NAME']}"
    )


def static_root(tmp_path_factory) -> Path:
    """Where the servers' collected static files go: one folder per test run (per xdist
    worker), collected once (``testing_servers.collect_static`` skips a full one)."""
    return tmp_path_factory.getbasetemp() / "servers-static"


class Visitor:
    """One browser: its cookies, sent to whichever server it asks (production cookies are
    marked Secure, and these servers speak plain HTTP on loopback, so the visitor keeps
    them itself rather than leave them to a cookie jar that would hold them back)."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}
        self.http = requests.Session()

    def _keep(self, answer: requests.Response) -> None:
        self.http.cookies.clear()  # ours only: the session is kept for its connections
        for header in answer.raw.headers.getlist("Set-Cookie"):
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def get(self, url: str, **options) -> requests.Response:
        answer = self.http.get(
            url, cookies=self.cookies, allow_redirects=False, timeout=60, **options
        )
        self._keep(answer)
        return answer

    def post(self, url: str, data: dict | list, headers=None, **options) -> requests.Response:
        parts = urlsplit(url)
        token = [("csrfmiddlewaretoken", self.cookies.get("csrftoken", ""))]
        fields = list(data.items()) if isinstance(data, dict) else list(data)
        answer = self.http.post(
            url,
            data=token + fields,
            cookies=self.cookies,
            headers={"Origin": f"{parts.scheme}://{parts.netloc}", **(headers or {})},
            allow_redirects=False,
            timeout=60,
            **options,
        )
        self._keep(answer)
        return answer


def form_for(questions, partners, words: str) -> list[tuple[str, str]]:
    """One theme page's answers as its form posts them: the highest level of each scale,
    "cooperation" with each partner, and ``words`` in each text box."""
    fields = []
    for question in questions:
        name = f"q{question.pk}"
        if question.kind == "relationship":
            fields += [(f"{name}-o{p.pk}", "cooperation") for p in partners]
        elif question.kind == "rubric":
            fields.append((name, question.options.order_by("-order").first().value))
        elif question.kind == "agreement":
            fields.append((name, "5"))
        else:
            fields.append((name, words))
    return fields
