"""The client's address, behind the proxies the settings trust.

Behind nginx every request comes from nginx's address (``REMOTE_ADDR``): a limit counted per
``REMOTE_ADDR`` would put every respondent in one bucket. Each proxy appends the address it
was reached from to ``X-Forwarded-For``, so with ``AXES_TRUSTED_PROXIES`` = n trusted proxies
in front, the client is the n-th entry from the end; entries further left were written by
the client itself and are never believed. With 0 (the default), ``REMOTE_ADDR`` is the
client, and a forged header changes nothing. django-axes reads the same setting.
"""

from __future__ import annotations

from django.conf import settings


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "AXES_TRUSTED_PROXIES", 0)
    if proxies <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    chain = [part.strip() for part in forwarded.split(",") if part.strip()]
    if len(chain) < proxies:
        return remote  # fewer proxies than promised: take the connection's own address
    return chain[-proxies]
