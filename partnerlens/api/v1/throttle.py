"""A limit on how often one token may call the API: ``settings.API_REQUESTS_PER_MINUTE``
in any sliding minute, counted in Django's cache (shared by every app server when the
cache is). Past it the answer is 429 with ``Retry-After``; nothing else changes.

Only a usable token is counted (the check runs after authentication), so the limit is
per token, never per address; an unknown token is refused before it costs anything.
"""

from __future__ import annotations

from django.conf import settings
from ninja.throttling import SimpleRateThrottle


class TokenThrottle(SimpleRateThrottle):
    scope = "api_token"

    def __init__(self) -> None:
        super().__init__(rate="1/m")  # replaced on each request from settings

    def allow_request(self, request) -> bool:
        self.num_requests, self.duration = settings.API_REQUESTS_PER_MINUTE, 60
        return super().allow_request(request)

    def get_cache_key(self, request) -> str | None:
        token = getattr(request, "auth", None)
        if token is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}
