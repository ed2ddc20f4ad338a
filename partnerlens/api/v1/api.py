"""The API, version 1: one ``NinjaAPI`` at ``/api/v1/`` with its OpenAPI schema at
``/api/v1/openapi.json`` (no docs page: docs/api.md says how to use it, and a
hosted viewer would load scripts from elsewhere)."""

from __future__ import annotations

from django.utils.cache import add_never_cache_headers
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from partnerlens.api.v1 import cycles, directory, matches, results
from partnerlens.api.v1.auth import TokenAuth
from partnerlens.api.v1.throttle import TokenThrottle

DESCRIPTION = """Read a partnership's directory, enquiry cycles, released results and
brokerage matches. Send a token in `Authorization: Bearer <token>`; the partnership's lead
makes tokens on the partnership's "API access" page. See docs/api.md."""


class PartnerlensAPI(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        add_never_cache_headers(response)  # results and directory data are never cached
        return response

    def get_openapi_operation_id(self, operation) -> str:
        return operation.view_func.__name__  # short and stable: "cycles", "cycle_close"


api = PartnerlensAPI(
    title="Partnerlens API",
    version="1",
    description=DESCRIPTION,
    auth=TokenAuth(),
    throttle=TokenThrottle(),
    urls_namespace="api_v1",
    docs_url=None,
)


@api.exception_handler(AuthenticationError)
def not_authenticated(request, exc):
    response = api.create_response(request, {"detail": "Unauthorized"}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


for module in (directory, cycles, results, matches):
    api.add_router("", module.router)
