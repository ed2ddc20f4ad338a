# ruff: noqa: RUF002, RUF003  (mathematical notation: Greek letters, minus and times signs)
"""Difference-in-differences with school and year effects, an event study and a pre-trend test.

The panel is one row per school and year: ``urn, year, value`` (NaN = missing or suppressed;
``effects.suppress_small_cohorts`` makes those). The partnership's schools are treated from
``start_year`` on; the comparison schools (the union of their families) never are.

Model (two-way fixed effects): ``y_it = α_i + λ_t + τ·D_it + ε_it`` with ``D_it = 1`` for a
treated school in a year ≥ start. With one start year for every treated school this is the
classic 2×T design and τ is the average effect after the start (no staggered-timing bias;
see docs/decisions.md). Event study: ``y_it = α_i + λ_t + Σ_{k≠−1} δ_k·1[treated, t−start=k]``,
reference year −1; the leads (k ≤ −2) are tested jointly (Wald) and a rejection at 5% gives
the code ``not_parallel``.

Inference, clustered by school: CR1 with t(G−1) when there are at least ``FEW_TREATED``
treated schools; below that the restricted wild cluster bootstrap (``wild``), interval by test
inversion, and the pre-trend Wald test bootstrapped too (MacKinnon & Webb 2017: with few treated
clusters CR1 over-rejects badly whatever the total number of clusters).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import wild
from .effects import effect_size, months_progress
from .registration import RegisteredSpec, registration_status

MIN_YEARS_BEFORE = 2  # −1 is the reference; at least one more is needed to test pre-trends
MIN_YEARS_AFTER = 1
MIN_TREATED = 5  # below this no cluster-robust method is reliable (MacKinnon & Webb 2017)
MIN_COMPARISON = 20
FEW_TREATED = 50  # below this: the wild cluster bootstrap instead of CR1
REPLICATIONS = 999
EVENT_REPLICATIONS = 399  # each event-study year's interval: a plot, not the headline test
LEVEL = 0.95

ESTIMATED = "estimated"
NOT_ENOUGH_DATA = "not_enough_data"
PARALLEL, NOT_PARALLEL, UNTESTABLE = "parallel", "not_parallel", "untestable"


@dataclass(frozen=True)
class Estimate:
    """An estimate, or ``status == NOT_ENOUGH_DATA`` with ``reasons`` and no numbers."""

    status: str
    reasons: tuple[str, ...] = ()
    effect: float = float("nan")
    se: float = float("nan")
    ci_low: float = float("nan")
    ci_high: float = float("nan")
    p_value: float = float("nan")
    method: str = ""  # "cr1" | "wild_bootstrap"
    bootstrap_weights: str = ""  # "rademacher" | "webb" | ""
    treated: int = 0
    comparison: int = 0
    years_before: int = 0
    years_after: int = 0
    pretrend: str = UNTESTABLE
    pretrend_p: float = float("nan")
    event_study: pd.DataFrame = field(default_factory=pd.DataFrame)
    sd: float = float("nan")
    sd_basis: str = ""  # "pupil" | "school"
    effect_size: float = float("nan")
    effect_size_low: float = float("nan")
    effect_size_high: float = float("nan")
    months: int | None = None
    registration: str = ""
    spec_hash: str = ""


def _counts(panel: pd.DataFrame, treated: set, comparison: set, start: int) -> dict:
    before = panel["year"] < start
    is_treated = panel["urn"].isin(treated)
    spans = set(panel["urn"].unique())  # _prepare kept only schools spanning the start
    return {
        "years_before": int(panel.loc[before & is_treated, "year"].nunique()),
        "years_after": int(panel.loc[~before & is_treated, "year"].nunique()),
        "treated": len(spans & treated),
        "comparison": len(spans & comparison),
    }


def enough_data(counts: dict) -> tuple[str, ...]:
    """The codes of every threshold the data fall below (empty: enough data)."""
    rules = (
        ("years_before", MIN_YEARS_BEFORE, "too_few_years_before"),
        ("years_after", MIN_YEARS_AFTER, "too_few_years_after"),
        ("treated", MIN_TREATED, "too_few_treated_schools"),
        ("comparison", MIN_COMPARISON, "too_few_comparison_schools"),
    )
    return tuple(code for key, minimum, code in rules if counts[key] < minimum)


def _design(panel: pd.DataFrame, extra: np.ndarray) -> wild.Design:
    codes, _ = pd.factorize(panel["urn"], sort=True)
    years = np.sort(panel["year"].unique())
    dummies = (panel["year"].to_numpy()[:, None] == years[None, 1:]).astype(float)
    raw = np.column_stack([extra, dummies, panel["value"].to_numpy(dtype=float)])
    demeaned, member = wild.within(codes, raw)
    return wild.Design(demeaned[:, :-1], demeaned[:, -1], member, int(codes.max()) + 1)


def _prepare(panel, treated, comparison, start) -> pd.DataFrame:
    rows = panel[panel["urn"].isin(treated | comparison) & panel["value"].notna()]
    rows = rows[["urn", "year", "value"]].sort_values(["urn", "year"], kind="stable")
    # A school seen only before or only after the start adds nothing but a cluster to G.
    span = rows.groupby("urn")["year"].agg(["min", "max"])
    spanning = span.index[(span["min"] < start) & (span["max"] >= start)]
    return rows[rows["urn"].isin(spanning)].reset_index(drop=True)


def _inference(design, result, j, draws: tuple | None) -> tuple:
    """CR1, or with ``draws`` (kind, W) the WCR bootstrap interval and p-value."""
    estimate, se, low, high, p = wild.cr1_interval(design, result, j, LEVEL)
    if draws is None:
        return estimate, se, low, high, p, "cr1", ""
    kind, W = draws
    test = wild.WildTest(design, result, j, W)
    low, high = test.interval(LEVEL)
    return estimate, se, low, high, test.p_value(0.0), "wild_bootstrap", kind


def event_study(
    rows: pd.DataFrame,
    treated: set,
    start: int,
    draws: tuple | None,
    wild_intervals: bool = True,
) -> tuple[pd.DataFrame, str, float]:
    """(coefficients by year relative to the start, pre-trend code, its p-value).

    With ``draws`` (kind, W: few treated schools) the pre-trend test is bootstrapped, and each
    coefficient's interval too, on the first EVENT_REPLICATIONS columns of W (unless
    ``wild_intervals`` is False: CR1 then, quicker, for simulations that only need the test)."""
    relative = np.where(rows["urn"].isin(treated), rows["year"] - start, np.nan)
    offsets = sorted(int(k) for k in np.unique(relative[~np.isnan(relative)]) if k != -1)
    terms = (relative[:, None] == np.array(offsets)[None, :]).astype(float)
    design = _design(rows, terms)
    result = wild.fit(design)
    table = []
    for j, k in enumerate(offsets):
        few_draws = (draws[0], draws[1][:, :EVENT_REPLICATIONS]) if draws else None
        estimate, se, low, high, _p, _m, _k = _inference(
            design, result, j, few_draws if wild_intervals else None
        )
        table.append({"relative_year": k, "coef": estimate, "se": se, "low": low, "high": high})
    table.append({"relative_year": -1, "coef": 0.0, "se": 0.0, "low": 0.0, "high": 0.0})
    frame = pd.DataFrame(table).sort_values("relative_year").reset_index(drop=True)
    leads = [j for j, k in enumerate(offsets) if k <= -2]
    if not leads:
        return frame, UNTESTABLE, float("nan")
    if draws:
        p = wild.wild_wald(design, result, leads, draws[1])
    else:
        p = wild.wald(design, result, leads)[1]
    return frame, (NOT_PARALLEL if p < 1 - LEVEL else PARALLEL), p


def estimate(
    panel: pd.DataFrame,
    treated,
    comparison,
    start_year: int,
    *,
    pupil_sd: float | None = None,
    attainment: bool = False,
    spec: RegisteredSpec | None = None,
    measure: str = "",
    seed: int = 0,
    wild_event_intervals: bool = True,
) -> Estimate:
    """The effect of the partnership on ``value`` from ``start_year``.

    Effect sizes divide by ``pupil_sd`` when given (``sd_basis = "pupil"``, comparable with the
    EEF's, and only then converted to months' progress for an attainment measure); otherwise by
    the school-level SD of the pre-period values of every school in the panel
    (``sd_basis = "school"``, larger effect sizes; no months).
    """
    treated, comparison = set(treated), set(comparison) - set(treated)
    rows = _prepare(panel, treated, comparison, start_year)
    counts = _counts(rows, treated, comparison, start_year)
    registration = registration_status(spec, measure, treated, start_year)
    spec_hash = spec.digest() if spec else ""
    reasons = enough_data(counts)
    if reasons:
        return Estimate(
            NOT_ENOUGH_DATA, reasons, registration=registration, spec_hash=spec_hash, **counts
        )
    D = (rows["urn"].isin(treated) & (rows["year"] >= start_year)).to_numpy(dtype=float)
    design = _design(rows, D[:, None])
    draws = None
    if counts["treated"] < FEW_TREATED:  # one set of draws serves every test of this panel
        draws = wild.weights(design.clusters, REPLICATIONS, np.random.default_rng(seed))
    effect, se, low, high, p, method, kind = _inference(design, wild.fit(design), 0, draws)
    events, pretrend, pretrend_p = event_study(
        rows, treated, start_year, draws, wild_event_intervals
    )
    if pupil_sd is not None:
        sd, basis = float(pupil_sd), "pupil"
    else:
        sd, basis = float(rows.loc[rows["year"] < start_year, "value"].std(ddof=1)), "school"
    es, es_low, es_high = (effect_size(x, sd) for x in (effect, low, high))
    months = months_progress(es) if attainment and basis == "pupil" else None
    return Estimate(
        ESTIMATED,
        (),
        effect,
        se,
        low,
        high,
        p,
        method,
        kind,
        pretrend=pretrend,
        pretrend_p=pretrend_p,
        event_study=events,
        sd=sd,
        sd_basis=basis,
        effect_size=es,
        effect_size_low=es_low,
        effect_size_high=es_high,
        months=months,
        registration=registration,
        spec_hash=spec_hash,
        **counts,
    )
