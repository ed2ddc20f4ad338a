"""National-scale benchmark of the brokerage matching engine (issue 5).

Run from the project root with no arguments:  .venv/bin/python bench/brokerage.py

It builds a realistic national instance of 20,000 schools from the real data in demo/data
(method in docs/brokerage.md, "Benchmark"), writes each curve size (1,000 to 20,000 schools)
as the open CSV format, and solves each in a fresh child process, timing end to end: reading
the three files, finding candidate pairs, building the flow network, solving both objectives
and writing explanations. Then, untimed, the greedy nearest-available baseline. Prints, the
national run last:

    bench brokerage schools=<n> solve_s=<s> peak_mb=<MB> needs_met=<n> greedy_gain_pct=<%>

solve_s is the median of three runs, each in a fresh process (the machine is shared).
peak_mb is the child's resource.getrusage(RUSAGE_SELF).ru_maxrss when the optimal solve ends:
the whole process's peak resident memory, Python, numpy, SciPy and OR-Tools' C++ included.
greedy_gain_pct is how much more total severity the optimal assignment meets than greedy.
Details (candidate pairs, quality totals, greedy figures) go to stderr.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED = 20240605
NATIONAL = 20_000
SIZES = (1_000, 2_000, 5_000, 10_000, NATIONAL)
MAX_KM = 25.0
REPEATS = 3  # each size is solved in 3 fresh processes; the median time is printed
JITTER_M = 750.0  # standard deviation of the Gaussian jitter, each axis
CENTRE = (440_000.0, 290_000.0)  # near Leicester: the curve grows outwards from here
DATA = ROOT / "demo" / "data"


def build_national(seed: int = SEED):
    """Schools, needs and offers DataFrames for 20,000 schools (see docs/brokerage.md)."""
    import numpy as np
    import pandas as pd

    from partnerlens.brokerage.engine import DEFAULT_AREAS

    rng = np.random.default_rng(seed)
    real = pd.read_csv(DATA / "edubase_2017_geocoded" / "schools_geocoded.csv")
    real["group"] = real.apply(_phase_of, axis=1)

    donors = _donor_pool()
    # Every real location is used four times (20,040 rows, the first 20,000 of a shuffle),
    # jittered, so the national instance keeps the real geography at four times the density.
    copies = np.tile(np.arange(len(real)), -(-NATIONAL // len(real)))
    picked = rng.permutation(copies)[:NATIONAL]
    schools = real.iloc[picked].reset_index(drop=True)
    schools["school_id"] = [f"S{i:05d}" for i in range(NATIONAL)]
    schools["easting"] = (schools["easting"] + rng.normal(0, JITTER_M, NATIONAL)).round(0)
    schools["northing"] = (schools["northing"] + rng.normal(0, JITTER_M, NATIONAL)).round(0)

    # Context and outcomes: the school's own 2018/19 census/absence/KS4 row when it has one
    # (London and North West), otherwise a random real school's row of the same phase group.
    donor_row = donors.reset_index(drop=True)
    position_of_urn = dict(zip(donor_row["URN"], donor_row.index, strict=True))
    row_of = schools["urn"].map(position_of_urn)
    groups = schools["group"].map(_donor_group)
    for group, members in schools[row_of.isna()].groupby(groups):
        pool = np.flatnonzero(donor_row["group"] == group)
        row_of[members.index] = pool[rng.integers(len(pool), size=len(members))]
    context = donor_row.iloc[row_of.astype(int).to_numpy()].reset_index(drop=True)
    schools["pupils"] = np.maximum(
        1, (context["NOR"].to_numpy() * rng.lognormal(0, 0.1, NATIONAL)).round()
    ).astype(int)
    schools["fsm_pct"] = np.clip(context["fsm"].to_numpy() + rng.normal(0, 2, NATIONAL), 0, 100)
    schools["fsm_pct"] = schools["fsm_pct"].round(1)
    risk = np.clip(context["risk"].to_numpy() + rng.normal(0, 0.08, NATIONAL), 0, 1)
    abs_rank, fsm_rank, p8_rank = (
        context[c].to_numpy() for c in ("abs_rank", "fsm_rank", "p8_rank")
    )

    areas = list(DEFAULT_AREAS)
    needs, offers = [], []
    capacity_total, max_km = [], []
    ids, phases = schools["school_id"].tolist(), schools["group"].tolist()
    for i in range(NATIONAL):
        phase = phases[i]
        weights = _area_weights(phase, abs_rank[i], fsm_rank[i], p8_rank[i], areas)
        # Need: more areas and more severe the worse the school's outcomes and deprivation.
        k = min(5, int(np.count_nonzero(weights)), rng.poisson(0.25 + 2.0 * risk[i] ** 2))
        if k:
            chosen = rng.choice(len(areas), size=k, replace=False, p=weights / weights.sum())
            for a in chosen:
                severity = 1 + (risk[i] > 0.55) + (risk[i] > 0.85)
                severity = int(np.clip(severity + rng.choice([-1, 0, 0, 0, 1]), 1, 3))
                needs.append((ids[i], areas[a], severity))
        # Expertise: schools with good outcomes offer support, in the areas they are strong in.
        offer_p = max(0.0, (0.45 - risk[i]) / 0.45) * 0.8
        cap_total, km = "", ""
        if rng.random() < offer_p:
            strong = 1.0 / np.maximum(weights, 0.05) * (weights > 0)
            n_areas = int(rng.integers(1, 4))
            chosen = rng.choice(len(areas), size=n_areas, replace=False, p=strong / strong.sum())
            for a in chosen:
                strength = 3 if risk[i] < 0.15 else 2 if risk[i] < 0.3 else 1
                strength = int(np.clip(strength + rng.choice([-1, 0, 0, 1]), 1, 3))
                capacity = int(rng.choice([1, 2, 3], p=[0.5, 0.35, 0.15]))
                offers.append((ids[i], areas[a], strength, capacity))
            if rng.random() < 0.6:
                cap_total = int(rng.integers(1, 5))
            km = rng.choice(["", "10", "15", "20"], p=[0.5, 0.15, 0.15, 0.2])
        capacity_total.append(cap_total)
        max_km.append(km)
    schools["capacity_total"] = capacity_total
    schools["max_km"] = max_km
    schools["phase"] = schools["group"]
    schools = schools[
        [
            "school_id",
            "name",
            "phase",
            "easting",
            "northing",
            "pupils",
            "fsm_pct",
            "capacity_total",
            "max_km",
            "urn",
        ]
    ]
    return (
        schools,
        pd.DataFrame(needs, columns=["school_id", "area", "severity"]),
        pd.DataFrame(offers, columns=["school_id", "area", "strength", "capacity"]),
    )


def _phase_of(row) -> str:
    """EduBase phase -> engine phase; 'Not applicable' resolved by type and age range."""
    from partnerlens.brokerage.engine import parse_phase

    try:
        return parse_phase(row["phase"]).value
    except ValueError:
        pass
    kind = row["type"]
    if "Special" in kind or "Pupil Referral" in kind or "Alternative Provision" in kind:
        return "special"
    if row["statutory_high_age"] <= 11:
        return "primary"
    if row["statutory_low_age"] >= 11:
        return "secondary"
    return "all-through"


def _donor_group(phase: str) -> str:
    return {"all-through": "secondary", "post-16": "secondary"}.get(phase, phase)


def _donor_pool():
    """Real 2018/19 rows: pupils, FSM, persistent absence, Progress 8, and percentile ranks."""
    import numpy as np
    import pandas as pd

    census = pd.read_csv(
        DATA / "dfe_school_census" / "england_census_2018-19_london_northwest.csv",
        encoding="utf-8-sig",
        na_values=["NA", "SUPP", "x", ""],
    )
    absence = pd.read_csv(
        DATA / "dfe_performance_2018-19" / "england_abs_london_northwest.csv",
        encoding="utf-8-sig",
        na_values=["NA", "SUPP", "x", ""],
    )
    ks4 = pd.read_csv(
        DATA / "dfe_performance_2018-19" / "england_ks4provisional_london_northwest.csv",
        encoding="utf-8-sig",
        na_values=["NA", "SUPP", "NE", "x", ""],
        usecols=["URN", "P8MEA"],
    ).dropna(subset=["URN"])
    groups = {
        "State-funded primary": "primary",
        "State-funded secondary": "secondary",
        "State-funded special school": "special",
        "Non-maintained special school": "special",
        "Pupil referral unit": "special",
        "State-funded nursery": "nursery",
        "Independent school": "independent",
    }
    pool = census.assign(group=census["SCHOOLTYPE"].map(groups)).dropna(subset=["group", "NOR"])
    pool = pool[pool["NOR"] > 0]
    pool = pool.merge(absence[["URN", "PPERSABS10"]], on="URN", how="left")
    pool = pool.merge(ks4.drop_duplicates("URN"), on="URN", how="left")
    fsm = pool["PNUMFSMEVER"].fillna(100 * pool["NUMFSM"] / pool["NOR"]).fillna(0.0)
    pool["fsm"] = fsm.clip(0, 100)
    ranked = pool.groupby("group")
    pool["fsm_rank"] = ranked["fsm"].rank(pct=True)
    pool["abs_rank"] = ranked["PPERSABS10"].rank(pct=True).fillna(0.5)
    pool["p8_rank"] = (1 - ranked["P8MEA"].rank(pct=True)).fillna(0.5)  # high = weak progress
    has_p8 = pool["P8MEA"].notna()
    raw = np.where(
        has_p8,
        (pool["fsm_rank"] + pool["abs_rank"] + 2 * pool["p8_rank"]) / 4,
        (pool["fsm_rank"] + pool["abs_rank"]) / 2,
    )
    pool["risk"] = pd.Series(raw).groupby(pool["group"]).rank(pct=True).to_numpy()
    # Independent schools publish no FSM or absence here: a middling, less needy risk.
    pool.loc[pool["group"] == "independent", "risk"] *= 0.6
    return pool


def _area_weights(phase, abs_rank, fsm_rank, p8_rank, areas):
    """Relative likelihood of each area being needed, shaped by the school's own data."""
    import numpy as np

    base = {
        "leadership": 1.0,
        "governance": 0.6,
        "curriculum": 0.9,
        "english": 1.0,
        "maths": 1.1,
        "science": 0.7,
        "send": 0.9,
        "early_years": 0.6,
        "behaviour_attendance": 0.5 + 2.0 * abs_rank,
        "disadvantaged": 0.5 + 2.0 * fsm_rank,
        "assessment": 0.6,
        "transition": 0.5,
    }
    if phase in ("secondary", "all-through", "post-16"):
        base["english"] *= 0.5 + 1.5 * p8_rank
        base["maths"] *= 0.5 + 1.5 * p8_rank
    if phase == "primary":
        base["science"] *= 0.4
    if phase not in ("primary", "nursery", "all-through"):
        base["early_years"] = 0.0
    if phase == "nursery":
        base = {
            a: w if a in ("early_years", "leadership", "send", "governance") else 0.0
            for a, w in base.items()
        }
        base["early_years"] = 3.0
    if phase == "special":
        base["send"] *= 4.0
        base["behaviour_attendance"] *= 1.5
    return np.array([base[a] for a in areas], dtype=float)


def write_instances(folder: Path) -> list[tuple[int, Path]]:
    """Write each curve size's three CSVs; smaller sizes are the schools nearest CENTRE."""
    import numpy as np

    schools, needs, offers = build_national()
    order = np.argsort(
        np.hypot(schools["easting"] - CENTRE[0], schools["northing"] - CENTRE[1]), kind="stable"
    )
    instances = []
    for size in SIZES:
        subset = schools.iloc[order[:size]]
        ids = set(subset["school_id"])
        path = folder / f"n{size}"
        path.mkdir()
        subset.to_csv(path / "schools.csv", index=False)
        needs[needs["school_id"].isin(ids)].to_csv(path / "needs.csv", index=False)
        offers[offers["school_id"].isin(ids)].to_csv(path / "offers.csv", index=False)
        instances.append((size, path))
    return instances


def run_child(folder: Path) -> None:
    """Timed: read the files and solve optimally. Untimed: the greedy baseline."""
    # Imports are not the instance's cost: time starts once the libraries are loaded.
    from partnerlens.brokerage.engine import Rules, match, read_instance

    start = time.perf_counter()
    instance = read_instance(folder / "schools.csv", folder / "needs.csv", folder / "offers.csv")
    rules = Rules(max_km=MAX_KM)
    optimal = match(instance.schools, instance.needs, instance.offers, rules)
    solve_s = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    greedy = match(instance.schools, instance.needs, instance.offers, rules, method="greedy")
    print(
        json.dumps(
            {
                "schools": len(instance.schools),
                "needs": optimal.totals.needs,
                "offers": len(instance.offers),
                "pairs": optimal.totals.candidate_pairs,
                "solve_s": solve_s,
                "peak_mb": peak_mb,
                "needs_met": optimal.totals.needs_met,
                "severity_met": optimal.totals.severity_met,
                "quality_met": optimal.totals.quality_met,
                "greedy_needs_met": greedy.totals.needs_met,
                "greedy_severity_met": greedy.totals.severity_met,
                "greedy_quality_met": greedy.totals.quality_met,
            }
        )
    )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-brokerage-") as tmp:
        started = time.perf_counter()
        instances = write_instances(Path(tmp))
        print(f"# instances built in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        for size, folder in instances:
            runs = [
                json.loads(
                    subprocess.run(
                        [sys.executable, __file__, "--child", str(folder)],
                        capture_output=True,
                        text=True,
                        check=True,
                        cwd=ROOT,
                    ).stdout.splitlines()[-1]
                )
                for _ in range(REPEATS)
            ]
            r = sorted(runs, key=lambda run: run["solve_s"])[REPEATS // 2]  # the median run
            gain = 100 * (r["severity_met"] - r["greedy_severity_met"]) / r["greedy_severity_met"]
            print(
                f"# n={size}: needs={r['needs']} offers={r['offers']} pairs={r['pairs']} "
                f"severity_met={r['severity_met']} quality={r['quality_met']} | greedy "
                f"needs_met={r['greedy_needs_met']} severity_met={r['greedy_severity_met']} "
                f"quality={r['greedy_quality_met']}",
                file=sys.stderr,
            )
            print(
                f"bench brokerage schools={r['schools']} solve_s={r['solve_s']:.2f} "
                f"peak_mb={r['peak_mb']:.0f} needs_met={r['needs_met']} "
                f"greedy_gain_pct={gain:.1f}",
                flush=True,
            )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        run_child(Path(sys.argv[2]))
    else:
        main()
