"""Bearer tokens for the API: a token opens its one partnership, to read or to read and write.

A missing, unknown, revoked or expired token gets 401 (the body never says which); a read
token on a write gets 403. Every request a token opens, and every refusal of a known token,
is in the audit log (``services.record_use``, ``services.record_refusal``).
"""

from __future__ import annotations

from ninja.errors import HttpError
from ninja.security import HttpBearer

from partnerlens.api import services
from partnerlens.api.models import ApiToken

READ_ONLY = "read_only"  # refusal code of a read token asked to write


class TokenAuth(HttpBearer):
    """Any usable token of the partnership."""

    def authenticate(self, request, token: str) -> ApiToken | None:
        check = services.check_token(token)
        if check.refusal:
            if check.token is not None:
                services.record_refusal(
                    check.token, reason=check.refusal, method=request.method, path=request.path
                )
            return None
        self.allow(request, check.token)
        services.record_use(check.token, method=request.method, path=request.path)
        return check.token

    def allow(self, request, token: ApiToken) -> None:
        """Every usable token may read."""


class WriteTokenAuth(TokenAuth):
    """A usable token with the write scope; a read token is refused with 403."""

    def allow(self, request, token: ApiToken) -> None:
        if not token.can_write:
            services.record_refusal(
                token, reason=READ_ONLY, method=request.method, path=request.path
            )
            raise HttpError(403, "This token may only read")
