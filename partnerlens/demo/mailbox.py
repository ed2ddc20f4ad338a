"""An in-memory outbox for the demo's emails: its invented people have no mailboxes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core import mail
from django.test.utils import override_settings


@contextmanager
def caught_mail() -> Iterator[list]:
    """Send through Django's in-memory backend; yields the list the sent messages land in."""
    earlier = getattr(mail, "outbox", None)
    sent: list = []
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            mail.outbox = sent
            yield sent
    finally:
        if earlier is None:
            del mail.outbox
        else:
            mail.outbox = earlier
