"""Small builders for hand-made answer sets in tests."""

from __future__ import annotations

import pandas as pd

from partnerlens.insights.analytics import frames


def answers(rows: list[dict], themes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Validated answers from short dicts; unspecified fields get plain defaults."""
    defaults = {
        "cycle_id": 1,
        "organisation_id": 1,
        "theme_key": "trust",
        "dimension": "",
        "question_key": "q1",
        "kind": "agreement",
        "dont_know": False,
        "about_organisation_id": None,
        "source": "self",
    }
    filled = []
    for row in rows:
        merged = {**defaults, **row}
        merged.setdefault("value", float("nan"))
        filled.append(merged)
    return frames.validate_answers(pd.DataFrame(filled), themes)


def themes(*rows: dict) -> pd.DataFrame:
    defaults = {
        "dimension": "",
        "weight": 1.0,
        "target_level": float("nan"),
        "scale_min": 1.0,
        "scale_max": 5.0,
    }
    return frames.validate_themes(pd.DataFrame([{**defaults, **row} for row in rows]))
