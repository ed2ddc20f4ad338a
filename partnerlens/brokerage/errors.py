"""The error the brokerage workflows raise when they refuse a request."""

from __future__ import annotations

from collections.abc import Sequence

from partnerlens.core.messages import Message


class BrokerageError(Exception):
    """A request the workflow refuses. ``messages`` are texts (already translated) or
    Messages (codes with values), which become text in the reader's language when shown."""

    def __init__(self, messages: str | Message | Sequence[str | Message]):
        single = isinstance(messages, str | Message)
        self.messages = [messages] if single else list(messages)
        super().__init__("; ".join(str(message) for message in self.messages))
