"""Fixtures of the API tests: the project's persona world (``partnerlens/tests/world.py``),
built once per module, with a read and a write token for each of its two partnerships,
and insights' filled cycle (some groups shown, some too small) for the results tests."""

from __future__ import annotations

import pytest
from django.test import Client

from partnerlens.api.models import Scope
from partnerlens.api.services import create_token
from partnerlens.insights.tests import conftest as insights_fixtures
from partnerlens.tests import conftest as project_fixtures

API = "/api/v1"

world = project_fixtures.world
filled_cycle = insights_fixtures.filled_cycle
results_schools = insights_fixtures.results_schools
personas = insights_fixtures.personas
_filled_world = insights_fixtures._filled_world


@pytest.fixture
def tokens(world, db):
    """Secrets of fresh tokens: ``a_read``, ``a_write``, ``b_read``, ``b_write``."""
    made = {}
    for key, partnership, lead in (
        ("a", world["a"], world["lead"]),
        ("b", world["b"], world["lead_b"]),
    ):
        for scope in Scope.values:
            made[f"{key}_{scope}"] = create_token(
                partnership, actor=lead, name=f"{key} {scope}", scope=scope
            ).secret
    return made


class ApiClient(Client):
    """Django's test client, sending a bearer token when given one."""

    def call(self, method: str, path: str, token: str | None = None, **kwargs):
        if token is not None:
            kwargs["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        return getattr(self, method.lower())(API + path, **kwargs)


@pytest.fixture
def api():
    return ApiClient()
