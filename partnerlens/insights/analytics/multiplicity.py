"""No chance findings: one false-discovery-rate family for every comparison a release makes.

A dashboard compares many things at once: every pair of roles and of organisations on every
theme, self-evaluation against review, leaders against everyone else, and each theme against
the previous cycle. At 95% each, about one comparison in twenty looks "clear" by chance
alone, so with hundreds of comparisons a dashboard of pure noise nearly always has a finding.

``release_findings`` runs every one of those tests and then controls the false-discovery rate
across all of them together with the Benjamini-Hochberg step-up procedure (Benjamini and
Hochberg, 1995): of the differences called clear, at most ``FDR`` (5%) are expected to be
chance, and when nothing real is there, the chance that anything at all is called clear is
at most about 5%. Each gap also gets a false-coverage-rate adjusted interval
(``adj_ci_low``, ``adj_ci_high``; Benjamini and Yekutieli, 2005): with R of m tests
selected, a (1 - R x FDR / m) interval, so the intervals of the selected findings cover their
true differences as a set; leaders' optimism is judged on it. (The page prints each
difference's plain 95% interval beside the verdict.)

Every table gains ``p_value``, ``q_value`` (the BH-adjusted p-value) and ``clear``
(q <= FDR); leaders' optimism gets its verdict from ``clear`` and the adjusted interval.
Nothing here speaks: the dashboard turns the codes into sentences.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from . import gaps
from .gaps import two_sided_p

FDR = 0.05
FAMILIES = ("role", "organisation", "source", "optimism", "trend")
EMPTY = pd.DataFrame()
__all__ = ["FDR", "Findings", "bh_adjust", "control", "release_findings", "two_sided_p"]


def bh_adjust(p_values) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values); NaN stays NaN and is not counted."""
    p = np.asarray(p_values, dtype=float)
    q = np.full(p.shape, np.nan)
    tested = np.flatnonzero(~np.isnan(p))
    m = tested.size
    if m == 0:
        return q
    order = tested[np.argsort(p[tested], kind="stable")]
    ranked = p[order] * m / np.arange(1, m + 1)
    q[order] = np.minimum(np.minimum.accumulate(ranked[::-1])[::-1], 1.0)
    return q


@dataclass
class Findings:
    """Every comparison of one release, after false-discovery control.

    ``role``, ``organisation``, ``source``: ``gaps.perception_gaps`` tables; ``optimism``:
    ``gaps.optimism``; ``trend``: ``trends.fair_trend`` rows (empty without history). Each
    has p_value, q_value and clear; gaps and optimism also adj_ci_low / adj_ci_high.
    """

    role: pd.DataFrame
    organisation: pd.DataFrame
    source: pd.DataFrame
    optimism: pd.DataFrame
    trend: pd.DataFrame = field(default_factory=pd.DataFrame)
    fdr: float = FDR
    tests: int = 0
    selected: int = 0

    def table(self, family: str) -> pd.DataFrame:
        return getattr(self, family)

    @property
    def any_clear(self) -> bool:
        return self.selected > 0


def control(tables: Mapping[str, pd.DataFrame], fdr: float = FDR) -> tuple[int, int]:
    """Benjamini-Hochberg across every ``p_value`` of every table, in place.

    Adds ``q_value`` and ``clear`` to each table; returns (tests, clear). Rows without a
    p-value (not tested) are never clear and do not count as tests.
    """
    pieces = [
        np.asarray(t["p_value"], dtype=float) if len(t) else np.empty(0) for t in tables.values()
    ]
    joined = np.concatenate(pieces) if pieces else np.empty(0)
    q = bh_adjust(joined)
    start = 0
    for table, piece in zip(tables.values(), pieces, strict=True):
        stop = start + piece.size
        if len(table):
            table["q_value"] = q[start:stop]
            table["clear"] = q[start:stop] <= fdr
        else:
            table["q_value"] = pd.Series(dtype=float)
            table["clear"] = pd.Series(dtype=bool)
        start = stop
    tests = int((~np.isnan(joined)).sum())
    return tests, int((q <= fdr).sum())


def adjusted_level(tests: int, selected: int, fdr: float = FDR) -> float:
    """Confidence of the false-coverage-rate adjusted interval of each selected finding."""
    if tests == 0:
        return 1 - fdr
    return 1 - max(selected, 1) * fdr / tests


def _adjusted_intervals(table: pd.DataFrame, confidence: float) -> None:
    if not len(table):
        table["adj_ci_low"] = pd.Series(dtype=float)
        table["adj_ci_high"] = pd.Series(dtype=float)
        return
    df = np.asarray(table["df"], dtype=float)
    with np.errstate(invalid="ignore"):
        critical = stats.t.ppf(0.5 + confidence / 2, np.where(np.isnan(df) | (df < 1), 1.0, df))
    half = np.where(np.asarray(table["se"], dtype=float) == 0, 0.0, critical * table["se"])
    table["adj_ci_low"] = table["difference"] - half
    table["adj_ci_high"] = table["difference"] + half


def _optimism_verdicts(optimism: pd.DataFrame) -> None:
    """Leaders' optimism read from the controlled test: "optimistic" only when the leaders'
    lead is clear and even the low end of its adjusted interval exceeds the margin."""
    if not len(optimism):
        optimism["verdict"] = pd.Series(dtype=object)
        optimism["optimistic"] = pd.Series(dtype=bool)
        return
    clear = optimism["clear"].to_numpy(dtype=bool)
    difference = optimism["difference"].to_numpy(dtype=float)
    optimism["verdict"] = np.select(
        [
            clear & (optimism["adj_ci_low"].to_numpy(dtype=float) > optimism["margin"]),
            clear & (difference > 0),
            clear & (difference < 0),
        ],
        ["optimistic", "leaders_higher", "leaders_lower"],
        default="similar",
    )
    optimism["optimistic"] = optimism["verdict"] == "optimistic"


def release_findings(
    theme_table: pd.DataFrame, trend: pd.DataFrame | None = None, fdr: float = FDR
) -> Findings:
    """Every gap of a protected theme breakdown, and the trend tests (``trends.fair_trend``
    rows with a ``p_value``), under one false-discovery-rate control (module docstring)."""
    found = {
        "role": gaps.perception_gaps(theme_table, "role"),
        "organisation": gaps.perception_gaps(theme_table, "organisation"),
        "source": gaps.self_review_gaps(theme_table),
        "optimism": gaps.optimism(theme_table),
        "trend": trend.copy() if trend is not None and len(trend) else EMPTY.assign(p_value=[]),
    }
    tests, selected = control(found, fdr)
    confidence = adjusted_level(tests, selected, fdr)
    for family in FAMILIES[:4]:
        _adjusted_intervals(found[family], confidence)
    _optimism_verdicts(found["optimism"])
    return Findings(**found, fdr=fdr, tests=tests, selected=selected)
