"""How many responses may be started from a cycle's open link, per client and per cycle.

Open-link answers carry a role and organisation nobody checks, so a limit slows anyone
filling a group with made-up responses (they are also reported as a group of their own).
Counts live in Django's cache, in fixed windows; the client's address is kept only as a
keyed hash. The cache is the database (``core/cache.py``), shared by every app server, so
the limit holds across them; behind a proxy the address is the client's
(``core.addresses.client_address``), not the proxy's.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache

from partnerlens.enquiries.models import Cycle
from partnerlens.enquiries.receipts import anonymity_key


def _window() -> tuple[int, int]:
    seconds = 60 * settings.OPEN_LINK_WINDOW_MINUTES
    return int(time.time() // seconds), seconds


def _count(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout)
        return 1


def address_hash(address: str) -> str:
    return hmac.new(anonymity_key(), f"address:{address}".encode(), hashlib.sha256).hexdigest()[:24]


def allow_open_link_start(cycle: Cycle, address: str) -> bool:
    """Count one start; False if this client or this cycle is over its limit."""
    window, seconds = _window()
    per_client = _count(f"openlink:{cycle.pk}:{address_hash(address)}:{window}", seconds)
    if per_client > settings.OPEN_LINK_STARTS_PER_ADDRESS:
        return False  # not counted against the cycle, so one client cannot block everyone
    per_cycle = _count(f"openlink:{cycle.pk}:all:{window}", seconds)
    return per_cycle <= settings.OPEN_LINK_STARTS_PER_CYCLE


def retry_after() -> int:
    """Seconds until the current window ends."""
    window, seconds = _window()
    return max(1, (window + 1) * seconds - int(time.time()))
