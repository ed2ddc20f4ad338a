"""Schemathesis against the API's own OpenAPI schema, in the test suite: every operation, with
generated parameters that fit the schema and ones that do not, as partnership A's write
token, through the WSGI app, on the persona world (cycles, a release, brokerage matches).
Every default check must pass: no server error, every status, header and body as the
schema documents, data that does not fit refused, and the token enforced (the
``ignored_auth`` check repeats requests without it).

Schemathesis' own pytest loader (``schemathesis.pytest.from_fixture``) fails on this
pytest, so each operation is a test here and Hypothesis drives its strategy directly."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.auths import AuthStorage

from partnerlens.api.v1.api import api
from partnerlens.audit import verbs
from partnerlens.audit.models import AuditEvent

# A few examples per operation and mode keep the whole module under a minute.
EXAMPLES = 10
OPERATIONS = [
    (method.upper(), path)
    for path, methods in api.get_openapi_schema(path_prefix="/api/v1/")["paths"].items()
    for method in methods
]


@pytest.fixture
def keep_the_test_connection():
    """Schemathesis calls the real WSGI app, whose end-of-request signal would close the
    test's database connection (inside its transaction, on PostgreSQL); Django's own test
    client turns that off in the same way."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield
    for signal in signals:
        signal.connect(close_old_connections)


def test_the_schema_lists_every_operation():
    assert len(OPERATIONS) >= 9
    assert ("POST", "/api/v1/cycles/{cycle_id}/close") in OPERATIONS


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_each_operation_conforms_to_the_schema(
    keep_the_test_connection, world, tokens, method, path, mode
):
    from partnerlens.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    operation = schema[path][method]
    auth = AuthStorage()

    @auth.auth(refresh_interval=None)
    class Bearer:
        def get(self, case, context):
            return tokens["a_write"]

        def set(self, case, data, context):
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    @given(case=operation.as_strategy(mode, auth_storage=auth))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def conforms(case):
        case.call_and_validate()

    conforms()
    if mode == GenerationMode.POSITIVE:
        # The token was sent and opened the API: these were not all refusals at the door.
        assert AuditEvent.objects.filter(verb=verbs.API_TOKEN_USED).exists()
