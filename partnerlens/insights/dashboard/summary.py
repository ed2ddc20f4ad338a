"""The plain-language summary at the top of the page and the governors' report: at most
six sentences, every figure in them already visible further down.

It names only differences and changes that survived the false-discovery control across
every comparison of the release (``analytics.multiplicity.release_findings``); when none
did, it says in plain words that nothing stands out beyond chance."""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnerlens.insights.analytics.multiplicity import Findings
from partnerlens.insights.charts.base import fmt
from partnerlens.insights.dashboard.labels import scale
from partnerlens.insights.dashboard.parts import Context
from partnerlens.insights.data import CycleFrames

MAX_SENTENCES = 6


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


def summary(context: Context, respondents: int, found: Findings) -> list[str]:
    """Who responded, the strongest and weakest themes, the biggest difference that stands
    out beyond chance (or that none does), leaders' optimism, what changed since the previous
    cycle and progress against targets."""
    visible = context.partnership_rows()
    visible = visible[~visible["suppressed"]]
    sentences = [
        _response_sentence(context.frames, respondents),
        _themes_sentence(context, visible),
        _gap_sentence(context, found),
    ]
    optimism = found.optimism
    optimistic = optimism[optimism["optimistic"]] if len(optimism) else optimism
    if len(optimistic):
        names = ", ".join(context.label(k) for k in optimistic["theme_key"])
        sentences.append(
            _(
                "Leaders rate %(themes)s markedly higher than everyone else, beyond what "
                "chance would give: worth asking whether their view is too optimistic."
            )
            % {"themes": names}
        )
    elif len(optimism):
        sentences.append(
            _("Leaders do not rate any theme markedly higher than everyone else does.")
        )
    change = _change_sentence(context, found.trend)
    if change:
        sentences.append(change)
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
    # The same words whatever hid the scores (too few answers, or a count that the
    # invitation list would pin): no output says why a figure is hidden (docs/anonymity.md).
    return _("No theme's score can be shown without putting someone's anonymity at risk.")


def _gap_sentence(context: Context, found: Findings) -> str:
    candidates = []
    for table, name in (
        (found.role, context.role),
        (found.organisation, context.organisation),
        (found.source, context.source),
    ):
        clear = table[table["clear"]] if len(table) else table
        if len(clear):
            top = clear.loc[clear["difference"].abs().idxmax()]
            candidates.append((abs(float(top["difference"])), top, name))
    if not candidates:
        return _(
            "No difference between roles, organisations or sources stands out beyond what "
            "chance alone would give."
        )
    _size, top, name = max(candidates, key=lambda c: c[0])
    higher, lower = (
        (top["group_a"], top["group_b"])
        if top["difference"] > 0
        else (top["group_b"], top["group_a"])
    )
    return _(
        "The biggest difference that stands out beyond chance is on %(theme)s: the average "
        "of %(higher)s is %(size)s points higher than that of %(lower)s."
    ) % {
        "theme": context.labels.get(top["theme_key"]),
        "higher": name(higher),
        "lower": name(lower),
        "size": fmt(abs(float(top["difference"]))),
    }


def _change_sentence(context: Context, trend: pd.DataFrame) -> str | None:
    """What changed since the previous cycle (the latest step only)."""
    if not len(trend):
        return None
    latest = trend[trend["cycle_id"] == context.frames.cycle_id]
    tested = latest[latest["p_value"].notna()]
    if not len(tested):
        return None
    clear = tested[tested["clear"]]
    if not len(clear):
        return _(
            "No theme has changed since the previous cycle by more than chance alone would explain."
        )
    rose = clear[clear["change"] > 0]
    fell = clear[clear["change"] < 0]
    parts = []
    if len(rose):
        parts.append(
            _("%(themes)s rose")
            % {"themes": ", ".join(context.label(k) for k in rose["theme_key"])}
        )
    if len(fell):
        parts.append(
            _("%(themes)s fell")
            % {"themes": ", ".join(context.label(k) for k in fell["theme_key"])}
        )
    return _("Since the previous cycle, %(changes)s by more than chance alone would explain.") % {
        "changes": "; ".join(parts)
    }
