"""Problems as message codes with values, never sentences: brokerage/codes.py words them
(core.messages), in the reader's language, for the pages and for the command."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from partnerlens.core.messages import is_registered, render


def worded(code: str, params: Mapping[str, Any] | None) -> str:
    """The code's text, or (before any text is registered) the code and its values."""
    if is_registered(code):
        return render(code, params)
    values = ", ".join(f"{name}={value}" for name, value in (params or {}).items())
    return f"{code} ({values})" if values else code


class CodedError(ValueError):
    """A value the engine refuses, as a code and values (e.g. an unknown phase)."""

    def __init__(self, code: str, **params: Any):
        self.code, self.params = code, params
        super().__init__(code)

    def __str__(self) -> str:
        return worded(self.code, self.params)
