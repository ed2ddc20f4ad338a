"""Pre-registration: the question frozen before the outcome data arrive.

A ``RegisteredSpec`` is immutable; ``digest()`` is the SHA-256 of its canonical JSON (keys
sorted, schools sorted), so the stored hash proves later that the analysis used what was
registered. ``registration_status`` compares an analysis with a spec.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

REGISTERED, NOT_REGISTERED, DIFFERS = "registered", "not_registered", "differs_from_registration"


@dataclass(frozen=True)
class RegisteredSpec:
    measure: str
    schools: tuple[int, ...]
    start_year: int
    question: str = ""

    @classmethod
    def of(cls, measure: str, schools, start_year: int, question: str = "") -> RegisteredSpec:
        return cls(measure, tuple(sorted(int(s) for s in schools)), int(start_year), question)

    def canonical(self) -> str:
        body = {
            "measure": self.measure,
            "question": self.question,
            "schools": sorted(int(s) for s in self.schools),
            "start_year": int(self.start_year),
        }
        return json.dumps(body, sort_keys=True, separators=(",", ":"))

    def digest(self) -> str:
        return hashlib.sha256(self.canonical().encode()).hexdigest()


def registration_status(spec: RegisteredSpec | None, measure: str, schools, start_year) -> str:
    """REGISTERED when the analysis uses the spec's measure, schools and start year."""
    if spec is None:
        return NOT_REGISTERED
    same = (
        spec.measure == measure
        and tuple(sorted(int(s) for s in schools)) == tuple(sorted(spec.schools))
        and int(start_year) == spec.start_year
    )
    return REGISTERED if same else DIFFERS
