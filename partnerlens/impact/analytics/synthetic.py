# ruff: noqa: RUF002  (mathematical notation: Greek letters, minus and times signs)
"""Simulated school panels for the tests and the benchmark, in pupil-SD units.

``y_it = α_i + λ_t + τ·D_it + π·(t − start + 1)·treated_i + ε_it`` with school effects
α ~ N(0, 0.30²), year effects λ ~ N(0, 0.05²) and AR(1) school-year noise ε (ρ = 0.3,
marginal SD 0.20). The SDs are those of the real KS2 panel in ../shared/data (Hampshire and
Surrey 2016/17–2018/19, share reaching the expected standard: between-school SD 14 points and
year-to-year SD 9 points, on a pupil-level SD of 47 points), so a school-year is noisy, as real
ones are; the AR(1) term makes errors within a school correlated, which clustering must handle.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SCHOOL_SD, YEAR_SD, NOISE_SD, RHO = 0.30, 0.05, 0.20, 0.3


def noise(rng: np.random.Generator, schools: int, years: int) -> np.ndarray:
    """Stationary AR(1) noise, schools × years, marginal SD NOISE_SD."""
    shocks = rng.standard_normal((schools, years)) * NOISE_SD * np.sqrt(1 - RHO**2)
    out = np.empty((schools, years))
    out[:, 0] = rng.standard_normal(schools) * NOISE_SD
    for t in range(1, years):
        out[:, t] = RHO * out[:, t - 1] + shocks[:, t]
    return out


def panel(
    rng: np.random.Generator,
    treated: int,
    comparison: int,
    years: int = 6,
    start_index: int = 4,
    effect: float = 0.0,
    pretrend: float = 0.0,
    first_year: int = 2014,
) -> tuple[pd.DataFrame, list[int], list[int], int]:
    """(panel urn/year/value, treated URNs, comparison URNs, start year)."""
    schools = treated + comparison
    urns = np.arange(100_000, 100_000 + schools)
    is_treated = np.arange(schools) < treated
    t = np.arange(years)
    values = (
        rng.standard_normal(schools)[:, None] * SCHOOL_SD
        + rng.standard_normal(years)[None, :] * YEAR_SD
        + noise(rng, schools, years)
    )
    values += is_treated[:, None] * (effect * (t >= start_index) + pretrend * (t - start_index + 1))
    frame = pd.DataFrame(
        {
            "urn": np.repeat(urns, years),
            "year": np.tile(first_year + t, schools),
            "value": values.ravel(),
        }
    )
    return frame, urns[:treated].tolist(), urns[treated:].tolist(), first_year + start_index
