"""The plain-language summary at the top of the page and the governors' report: at most
five sentences, every figure in them already visible further down."""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnerlens.insights.charts.base import fmt
from partnerlens.insights.dashboard.labels import scale
from partnerlens.insights.dashboard.parts import Context
from partnerlens.insights.data import CycleFrames

MAX_SENTENCES = 5


def no_responses(frames: CycleFrames) -> list[str]:
    if frames.invited:
        return [
            _(
                "No responses have been submitted yet (%(invited)s people were invited), so "
                "there is nothing to report."
            )
            % {"invited": frames.invited}
        ]
    return [_("No responses have been submitted, so there is nothing to report.")]


def summary(
    context: Context,
    respondents: int,
    role_gaps: pd.DataFrame,
    org_gaps: pd.DataFrame,
    optimism: pd.DataFrame,
) -> list[str]:
    """Who responded, the strongest and weakest themes, the biggest clear gap, leaders'
    optimism and progress against targets."""
    visible = context.partnership_rows()
    visible = visible[~visible["suppressed"]]
    sentences = [
        _response_sentence(context.frames, respondents),
        _themes_sentence(context, visible),
        _gap_sentence(context, role_gaps, org_gaps),
    ]
    optimistic = optimism[optimism["optimistic"]] if len(optimism) else optimism
    if len(optimistic):
        names = ", ".join(context.label(k) for k in optimistic["theme_key"])
        sentences.append(
            _(
                "Leaders rate %(themes)s markedly higher than everyone else: worth asking "
                "whether their view is too optimistic."
            )
            % {"themes": names}
        )
    elif len(optimism):
        sentences.append(
            _("Leaders do not rate any theme markedly higher than everyone else does.")
        )
    targets = visible[visible["target_level"].notna()] if "target_level" in visible else []
    if len(targets):
        counts = targets["progress"].value_counts()
        sentences.append(
            _(
                "Of the %(total)s themes with a target, %(above)s are above it, "
                "%(around)s around it and %(below)s below it."
            )
            % {
                "total": len(targets),
                "above": int(counts.get("above_target", 0)),
                "around": int(counts.get("around_target", 0)),
                "below": int(counts.get("below_target", 0)),
            }
        )
    return sentences[:MAX_SENTENCES]


def _response_sentence(frames: CycleFrames, respondents: int) -> str:
    if frames.invited:
        return ngettext(
            "%(n)s person responded; %(done)s of the %(invited)s people invited "
            "(%(rate)s%%) completed the enquiry.",
            "%(n)s people responded; %(done)s of the %(invited)s people invited "
            "(%(rate)s%%) completed the enquiry.",
            respondents,
        ) % {
            "n": respondents,
            "done": frames.completed,
            "invited": frames.invited,
            "rate": round(100 * frames.completed / frames.invited),
        }
    return ngettext("%(n)s person responded.", "%(n)s people responded.", respondents) % {
        "n": respondents
    }


def _themes_sentence(context: Context, visible: pd.DataFrame) -> str:
    if len(visible) >= 2:
        best = visible.loc[visible["mean"].astype(float).idxmax()]
        worst = visible.loc[visible["mean"].astype(float).idxmin()]
        return _(
            "The strongest theme is %(best)s (average %(best_mean)s on a scale of "
            "%(best_scale)s) and the weakest is %(worst)s (average %(worst_mean)s on a "
            "scale of %(worst_scale)s)."
        ) % {
            "best": context.labels.get(best["theme_key"]),
            "best_mean": fmt(best["mean"]),
            "best_scale": scale(best),
            "worst": context.labels.get(worst["theme_key"]),
            "worst_mean": fmt(worst["mean"]),
            "worst_scale": scale(worst),
        }
    if len(visible) == 1:
        only = visible.iloc[0]
        return _("%(theme)s scores %(mean)s on average.") % {
            "theme": context.labels.get(only["theme_key"]),
            "mean": fmt(only["mean"]),
        }
    return _("Too few people answered for any theme's score to be shown.")


def _gap_sentence(context: Context, role_gaps: pd.DataFrame, org_gaps: pd.DataFrame) -> str:
    candidates = []
    for table, name in (
        (role_gaps, context.role),
        (org_gaps, context.organisation),
    ):
        flagged = table[table["flagged"]] if len(table) else table
        if len(flagged):
            top = flagged.loc[flagged["difference"].abs().idxmax()]
            candidates.append((abs(float(top["difference"])), top, name))
    if not candidates:
        return _(
            "No difference between roles or between organisations is larger than its uncertainty."
        )
    _size, top, name = max(candidates, key=lambda c: c[0])
    higher, lower = (
        (top["group_a"], top["group_b"])
        if top["difference"] > 0
        else (top["group_b"], top["group_a"])
    )
    return _(
        "The biggest clear difference is on %(theme)s: the average of %(higher)s is "
        "%(size)s points higher than that of %(lower)s."
    ) % {
        "theme": context.labels.get(top["theme_key"]),
        "higher": name(higher),
        "lower": name(lower),
        "size": fmt(abs(float(top["difference"]))),
    }
