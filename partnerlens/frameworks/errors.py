"""The errors the framework services raise when a change breaks a rule."""

from __future__ import annotations

from partnerlens.frameworks.models import FrozenVersionError
from partnerlens.frameworks.schema import Problem


class FrameworkChangeError(ValueError):
    """A change that breaks a rule. ``problems`` name the fields at fault with a code and
    values; ``errors`` are the same as lines in the active language."""

    def __init__(self, problems: Problem | list[Problem]):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("; ".join(f"{p.path}: {p.code}" for p in self.problems))

    @property
    def errors(self) -> list[str]:
        return [str(problem) for problem in self.problems]


class PublishedVersionError(FrameworkChangeError, FrozenVersionError):
    """A change asked of a published version (code ``change.published``). Pages catch it as
    a ``FrameworkChangeError`` and offer a new draft; it is also a ``FrozenVersionError``,
    the model guard's error, so code that catches that keeps working."""

    def __init__(self, number: int):
        super().__init__(Problem("", "change.published", {"number": number}))
