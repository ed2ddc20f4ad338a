"""``EMAIL_BACKEND``: store every message and deliver it later, so sending never fails a page.

Callers keep using ``send_mail`` and ``EmailMessage.send()``; see services.py.
"""

from __future__ import annotations

from django.core.mail.backends.base import BaseEmailBackend

from partnerlens.outbox.services import store


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        count = 0
        for message in email_messages:
            if message.recipients():
                store(message)
                count += 1
        return count
