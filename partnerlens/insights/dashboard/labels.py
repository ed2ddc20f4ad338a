"""Names and numbers as the dashboard prints them: themes, roles, organisations, sources,
groups, and the hidden-figure text."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from partnerlens.core.bilingual import localised
from partnerlens.directory.models import Role
from partnerlens.insights.analytics.frames import NO_ORGANISATION
from partnerlens.insights.analytics.suppression import LEADERS, OTHERS
from partnerlens.insights.charts.base import fmt
from partnerlens.insights.charts.text import SUPPRESSED
from partnerlens.insights.data import CycleFrames

SOURCE_LABELS = {
    "self": gettext_noop("Self-evaluation"),
    "peer": gettext_noop("Peer review"),
    "external": gettext_noop("External review"),
}
PROGRESS = {
    "above_target": gettext_noop("Above target"),
    "below_target": gettext_noop("Below target"),
    "around_target": gettext_noop("Around target"),
}
VERDICTS = {
    "optimistic": gettext_noop("Leaders markedly higher (possible optimism)"),
    "leaders_higher": gettext_noop("Leaders somewhat higher"),
    "leaders_lower": gettext_noop("Leaders lower"),
    "similar": gettext_noop("Similar"),
}


def suppressed_text() -> str:
    return _(SUPPRESSED)


def theme_labels(themes: pd.DataFrame) -> dict[str, str]:
    return {
        row.theme_key: localised(row, "title") or row.theme_key
        for row in themes.itertuples(index=False)
    }


def role_label(role: str | None) -> str:
    if role == LEADERS:
        return _("Leaders")
    if role == OTHERS:
        return _("Everyone else")
    return str(Role(role).label) if role in Role.values else str(role)


def organisation_label(frames: CycleFrames, organisation_id: Any) -> str:
    if organisation_id is None or pd.isna(organisation_id):
        return ""
    if int(organisation_id) == NO_ORGANISATION:
        return _("People answering for no one organisation")
    return frames.organisations.get(int(organisation_id), _("Former member"))


def source_label(source: str) -> str:
    return _(SOURCE_LABELS[source])


def dimension_label(key: str) -> str:
    return key.replace("-", " ").replace("_", " ").capitalize() if key else ""


def group_name(group: str) -> str:
    return {
        "partnership": _("Everyone"),
        "role": _("Role"),
        "role_group": _("Leaders or everyone else"),
        "organisation": _("Organisation"),
        "role_organisation": _("Role in organisation"),
        "source": _("Source"),
    }.get(group, group)


def number(value: Any, digits: int = 2) -> float | None:
    """A figure for the downloads: rounded, None when missing (never NaN)."""
    if value is None or value is pd.NA:
        return None
    figure = float(value)
    return None if math.isnan(figure) else round(figure, digits)


def scale(row) -> str:
    return _("%(low)s to %(high)s") % {
        "low": fmt(row["scale_min"], 0),
        "high": fmt(row["scale_max"], 0),
    }
