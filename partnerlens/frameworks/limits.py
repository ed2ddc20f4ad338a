"""Bounds on what a framework document may hold: every text, count and number.

An upload cannot make a version too large to show or answer, nor a setting that breaks a
page (an infinite maximum, a step of zero). The bounds match the editor's forms
(``edit_forms.py``, ``forms.py``) and the database's columns, so a version built in the
editor always exports and imports again. ``reading.py`` bounds the file itself (size,
nesting, aliases). Pure: no Django; problems are (setting, code, values), worded in
``codes.py``.
"""

from __future__ import annotations

import math
from typing import Any

MAX_TEXT = 2000  # any text, in each language
MAX_SHORT_TEXT = 200  # names, titles and option labels (the database's columns)
MAX_THEMES = 100
MAX_QUESTIONS = 200  # in one theme
MAX_OPTIONS = 30
MAX_PROMPTS = 50
MAX_ROLES = 30
MAX_WEIGHT = 10  # as the editor's weight fields
MAX_SCORE = 1000  # a rubric score or target level, either side of zero
MAX_SETTING = 1_000_000_000.0  # a number question's min, max or step, either side of zero
MAX_ANSWER_LENGTH = 5000  # a text question's max_length (edit_forms.LONGEST_ANSWER)
MAX_UNIT = 40  # as the editor's unit field
SETTING_NAMES = ("min", "max", "step", "unit", "max_length", "max_choices")

# Each numeric setting's (lowest, highest); None: no bound on that side here (a step must
# be above zero). max_choices is bounded by the most options a question may have, not by
# its own options: the editor checks that, and a version whose options were removed later
# must still copy into a new draft.
SETTING_RANGES: dict[str, tuple[float | None, float | None]] = {
    "min": (-MAX_SETTING, MAX_SETTING),
    "max": (-MAX_SETTING, MAX_SETTING),
    "step": (None, MAX_SETTING),
    "max_length": (1, MAX_ANSWER_LENGTH),
    "max_choices": (1, MAX_OPTIONS),
}
WHOLE_NUMBERS = frozenset({"max_length", "max_choices"})


def shown(number: float) -> str:
    """A bound as people write it: 1,000,000,000 rather than 1e+09."""
    return f"{number:,.10g}"


def setting_problems(config: dict[str, Any]) -> list[tuple[str, str, dict]]:
    """Each setting outside its bounds, as (setting, code, values naming the bound).

    Settings that are not numbers at all are reported by ``schema.check_question``."""
    problems = []
    for name, (low, high) in SETTING_RANGES.items():
        value = config.get(name)
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue
        if not math.isfinite(value):
            problems.append((name, "rules.setting_finite", {}))
        elif name == "step" and value <= 0:
            problems.append((name, "rules.step_above_zero", {}))
        elif name in WHOLE_NUMBERS and value != int(value):
            problems.append((name, "schema.not_whole_number", {}))
        elif (low is not None and value < low) or (high is not None and value > high):
            values = {"low": shown(0 if low is None else low), "high": shown(high or 0)}
            problems.append((name, "rules.setting_range", values))
    unit = config.get("unit")
    if unit is not None and (not isinstance(unit, str) or len(unit) > MAX_UNIT):
        problems.append(("unit", "rules.unit_text", {"max_length": MAX_UNIT}))
    return problems
