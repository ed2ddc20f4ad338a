"""Learning from other partnerships: where this partnership's theme scores sit among those
of partnerships of the same kind that agreed to share (quartiles only, never one of them)."""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _

from partnerlens.insights.analytics import benchmarking
from partnerlens.insights.charts.base import fmt
from partnerlens.insights.charts.text import NOT_ENOUGH_PARTNERSHIPS
from partnerlens.insights.dashboard.labels import number
from partnerlens.insights.dashboard.parts import Context, ExportTable, Section, Table


def section(context: Context) -> tuple[Section, ExportTable | None]:
    """The section, and its download when the partnership shares (None otherwise)."""
    heading = _("Learning from other partnerships")
    frames = context.frames
    if not frames.settings.share_benchmarks:
        return Section(
            "benchmark",
            heading,
            [
                _(
                    "Your partnership has not chosen to share its anonymised theme scores "
                    "with partnerships of the same type, so no comparison is shown. A "
                    "partnership lead can change this in the insight settings."
                )
            ],
        ), None
    own = context.partnership_rows()
    own = own[~own["suppressed"]]
    scale = (1.0, 5.0)
    if len(own) and {"scale_min", "scale_max"} <= set(own.columns):
        scale = (float(own["scale_min"].iloc[0]), float(own["scale_max"].iloc[0]))
    columns = [c for c in ("theme_key", "mean", "ci_low", "ci_high") if c in own.columns]
    table = benchmarking.benchmark_position(
        own[columns],
        frames.peers
        if len(frames.peers)
        else pd.DataFrame(columns=list(benchmarking.OTHERS_COLUMNS)),
        frames.partnership_id,
        frames.partnership_kind,
        context.policy,
        # The benchmark this partnership last saw (a release stores it): figures stay put
        # until enough peers changed to hide any one of them.
        previous=getattr(frames, "previous_benchmark", None),
        scale=scale,
    )
    rows, export_rows = [], []
    for row in table.itertuples(index=False):
        theme = context.label(row.theme_key)
        if row.status != "compared":
            rows.append([theme, _(NOT_ENOUGH_PARTNERSHIPS), "", ""])
            export_rows.append([theme, _(NOT_ENOUGH_PARTNERSHIPS), "", "", "", ""])
            continue
        position = position_text(row.position)
        others = _("%(q1)s – %(median)s – %(q3)s") % {
            "q1": fmt(row.others_q1),
            "median": fmt(row.others_median),
            "q3": fmt(row.others_q3),
        }
        rows.append([theme, position, others, str(row.compared)])
        export_rows.append(
            [
                theme,
                position,
                number(row.others_q1, 3),
                number(row.others_median, 3),
                number(row.others_q3, 3),
                int(row.compared),
            ]
        )
    export = ExportTable(
        "benchmark",
        _("Other partnerships"),
        [
            _("Theme"),
            _("Where you sit"),
            _("Others' lower quartile"),
            _("Others' median"),
            _("Others' upper quartile"),
            _("Partnerships compared"),
        ],
        export_rows,
    )
    found = Section(
        "benchmark",
        heading,
        [
            _(
                "Where your theme scores sit among partnerships of the same type that "
                "agreed to share. At least %(min)s partnerships are needed for any "
                "comparison; their quartiles are smoothed and rounded, so no single "
                "partnership's score is ever shown. A position is given only where your "
                "score's 95%% interval lies wholly above or below theirs; otherwise the "
                "difference could be chance."
            )
            % {"min": benchmarking.MIN_PARTNERSHIPS}
        ],
        tables=[
            Table(
                _("Your position among other partnerships"),
                [
                    _("Theme"),
                    _("Where you sit"),
                    _("Others: lower quartile – median – upper quartile"),
                    _("Partnerships compared"),
                ],
                rows,
                numeric=frozenset({3}),
            )
        ],
    )
    return found, export


def position_text(code: str) -> str:
    """Words for a position code of ``benchmarking.POSITIONS``."""
    return {
        "lowest_quarter": _("In the lowest quarter"),
        "below_median": _("Below the middle"),
        "no_clear_difference": _("No clear difference"),
        "above_median": _("Above the middle"),
        "top_quarter": _("In the top quarter"),
    }[code]
