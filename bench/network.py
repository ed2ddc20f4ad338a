"""Benchmark of issue 15's network engine at national scale: every measure for about 25,000
organisations and 150,000 ties.

Run from the project root with no arguments:  .venv/bin/python bench/network.py

Prints

    bench network nodes=<n> ties=<n> total_s=<s> peak_mb=<MB>

then one line per measure, ``bench network measure=<name> s=<seconds> ...``, then "all goals
met", or one line per missed goal (and exits 1). Goals: total_s < 10, peak_mb < 1024.

The national graph (``national``, seeded): 22,000 schools and 3,000 other organisations in 152
areas (England's local authorities). Partnerships of five types, each mostly within one area:
multi-academy trusts (3-30 schools, most small), federations (2-4), local clusters (4-20,
about 70% of each area's schools, one cluster each),
teaching school hub networks (10-30, with a university or council) and subject networks (3-12,
across areas). Some schools belong to none (isolated), some to several. Every pair of members
is tied by their shared membership (a federation counts as collaboration, a trust as
co-operation, the rest state no level). Two in three members answer the relationship questions;
each answering member names about half of the others, at a level scattered around the pair's
true depth (so the two sides often differ) with trust and value ratings (1-5, some missing).
Support relationships and peer reviews join schools across partnerships. Ties start between
2015 and 2025; about one in eight has ended before the day measured.

total_s: every measure from the ``Network`` of arrays (slicing to the day included), not building
the simulated graph. peak_mb: the process's peak resident memory (ru_maxrss), Python and
libraries included. cpu_s (stderr): the CPU time of the same part.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # two busy cores: threads only wait

import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from partnerlens.network.analytics import (  # noqa: E402
    betweenness,
    graph,
    organisations,
    partnerships,
    structural_holes,
    system,
)
from partnerlens.network.analytics.graph import Memberships, Network, Ties  # noqa: E402

SCHOOLS, OTHERS, AREAS, SEED = 22_000, 3_000, 152, 15
ON = graph.day("2025-03-01")
GOALS = {"total_s": 10.0, "peak_mb": 1024.0}
TRUST, FEDERATION, CLUSTER, HUB, SUBJECT = range(5)
# (type, how many, smallest, largest, mean size beyond the smallest, within one area); clusters
# are made apart, by splitting each area's schools.
SHAPES = (
    (TRUST, 800, 3, 30, 4.0, True),
    (FEDERATION, 700, 2, 4, 0.7, True),
    (HUB, 90, 10, 30, 8.0, True),
    (SUBJECT, 450, 3, 12, 3.0, False),
)
LEVEL_BY_TYPE = (graph.COOPERATION, graph.COLLABORATION, graph.NO_LEVEL, graph.NO_LEVEL, 0)
TRUE_DEPTH = {TRUST: 3, FEDERATION: 4, CLUSTER: 2, HUB: 1, SUBJECT: 2}


def dates(rng, n: int, ended_share: float = 0.12) -> tuple[np.ndarray, np.ndarray]:
    start = np.datetime64("2015-01-01") + rng.integers(0, 3650, n).astype("timedelta64[D]")
    gone = rng.random(n) < ended_share
    end = start + rng.integers(200, 2000, n).astype("timedelta64[D]")
    end = np.where(gone & (end < ON), end, np.datetime64("NaT"))
    return start, end.astype(graph.DAY)


def national(rng: np.random.Generator) -> Network:
    n = SCHOOLS + OTHERS
    area = rng.integers(0, AREAS, n)
    kind = np.where(np.arange(n) < SCHOOLS, graph.SCHOOL, graph.OTHER)
    by_area = [np.flatnonzero((area == a) & (kind == graph.SCHOOL)) for a in range(AREAS)]
    # One school in twenty is left out of every partnership: the isolated ones to find.
    lonely = rng.random(n) < 1 / 20
    by_area = [a[~lonely[a]] for a in by_area]
    others = np.arange(SCHOOLS, n)

    part_of, node_of, types = [], [], []
    # Local clusters split about 70% of each area's schools between them, so most schools
    # belong to one; the other types are drawn across the area (or three areas) and overlap.
    for pool in by_area:
        chosen = rng.permutation(pool)[: int(0.7 * len(pool))]
        sizes = 4 + rng.geometric(1 / 2.5, size=len(chosen)) - 1
        cuts = np.cumsum(np.minimum(sizes, 20))
        for members in np.split(chosen, cuts[cuts < len(chosen)]):
            if len(members) < 3:
                continue
            if rng.random() < 0.3:
                members = np.append(members, rng.choice(others))
            part_of += [len(types)] * len(members)
            node_of += members.tolist()
            types.append(CLUSTER)
    for ptype, count, low, high, extra, local in SHAPES:
        for _ in range(count):
            size = int(min(high, low + rng.geometric(1 / (1 + extra)) - 1))
            if local:
                pool = by_area[rng.integers(AREAS)]
            else:
                pool = np.concatenate([by_area[a] for a in rng.integers(0, AREAS, 3)])
            members = rng.choice(pool, size=min(size, len(pool)), replace=False)
            if ptype == HUB and rng.random() < 0.5:
                members = np.append(members, rng.choice(others))
            part_of += [len(types)] * len(members)
            node_of += members.tolist()
            types.append(ptype)
    part_of, node_of, types = np.array(part_of), np.array(node_of), np.array(types)
    start, end = dates(rng, len(node_of), ended_share=0.05)
    answered = rng.random(len(node_of)) < 2 / 3
    memberships = Memberships.build(
        part_of,
        node_of,
        asked=kind[node_of] == graph.SCHOOL,
        answered=answered,
        start=start,
        end=end,
    )
    shared = graph.membership_ties(memberships, LEVEL_BY_TYPE, types)

    # Answers: each answering member names about half of the others in the partnership.
    src, dst, where = [], [], []
    order = np.argsort(part_of, kind="stable")
    cuts = np.flatnonzero(np.diff(part_of[order])) + 1
    for rows in np.split(order, cuts):
        i, j = np.meshgrid(rows, rows, indexing="ij")
        pick = (i != j) & answered[i] & (rng.random(i.shape) < 0.5)
        src.append(node_of[i[pick]])
        dst.append(node_of[j[pick]])
        where.append(part_of[i[pick]])
    src, dst, where = np.concatenate(src), np.concatenate(dst), np.concatenate(where)
    k = len(src)
    depth = np.vectorize(TRUE_DEPTH.get)(types[where])
    level = np.clip(depth + rng.choice([-2, -1, 0, 0, 0, 1], k), 1, 4)
    trust = np.clip(np.round(rng.normal(2 + 0.6 * level, 0.9)), 1, 5)
    value = np.clip(np.round(rng.normal(1.8 + 0.7 * level, 1.0)), 1, 5)
    trust[rng.random(k) < 0.1] = np.nan
    value[rng.random(k) < 0.15] = np.nan
    start, end = dates(rng, k)
    answers = Ties.build(
        src,
        dst,
        level=level,
        source=graph.RELATIONSHIP,
        partnership=where,
        trust=trust,
        value=value,
        start=start,
        end=end,
    )

    schools = np.flatnonzero((kind == graph.SCHOOL) & ~lonely)
    extra = []
    for source, count, levels in (
        (graph.SUPPORT, 4_000, [2, 3, 3, 4]),
        (graph.REVIEW, 3_000, [2, 2, 3]),
    ):
        a = rng.choice(schools, count)
        # Mostly within the area: a broker matches nearby schools.
        b = np.array([rng.choice(by_area[area[x]]) for x in a])
        start, end = dates(rng, count)
        extra.append(
            Ties.build(a, b, level=rng.choice(levels, count), source=source, start=start, end=end)
        )
    ties = Ties.concat(shared, answers, *extra)
    return Network.build(
        100_000 + np.arange(n),
        ties,
        memberships,
        area=area,
        kind=kind,
        partnership_type=types,
    )


def timed(lines: list[str], name: str, fn, describe=lambda r: ""):
    began = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - began
    extra = describe(result)
    lines.append(f"bench network measure={name} s={seconds:.3f}" + (f" {extra}" if extra else ""))
    return result


def main() -> int:
    rng = np.random.default_rng(SEED)
    net = national(rng)
    n = net.n_nodes
    lines: list[str] = []

    began, began_cpu = time.perf_counter(), time.process_time()
    now = timed(lines, "slice", lambda: net.at(ON), lambda r: f"active_ties={len(r.ties)}")
    u, v, w = timed(
        lines,
        "weighted_pairs",
        lambda: graph.weighted_pairs(n, now.ties),
        lambda r: f"pairs={len(r[0])}",
    )
    orgs = timed(
        lines,
        "organisations",
        lambda: organisations.measures(net, ON),
        lambda r: " ".join(
            f"{code}={int((r.isolation == i).sum())}"
            for i, code in enumerate(organisations.ISOLATION_CODES)
        ),
    )
    timed(
        lines,
        "structural_holes",
        lambda: structural_holes.structural_holes(n, u, v, w),
        lambda r: (
            f"median_constraint={np.nanmedian(r.constraint):.3f} "
            f"median_effective_size={np.nanmedian(r.effective_size):.2f}"
        ),
    )
    between = timed(
        lines,
        "betweenness",
        lambda: betweenness.betweenness(n, u, v, seed=SEED),
        lambda r: f"method={r.method} pivots={r.pivots}",
    )
    timed(
        lines,
        "partnerships",
        lambda: partnerships.measures(now),
        lambda r: (
            f"partnerships={len(r)} "
            f"median_response_rate={np.nanmedian([p.response_rate for p in r]):.2f}"
        ),
    )
    timed(
        lines,
        "mismatched_pairs",
        lambda: partnerships.mismatched_pairs(now),
        lambda r: f"pairs={len(r)}",
    )
    timed(
        lines,
        "components",
        lambda: system.components(n, u, v),
        lambda r: f"components={r.count} largest={r.sizes[0]}",
    )
    timed(
        lines,
        "isolated_by_area",
        lambda: system.isolated_schools_by_area(net.area, net.kind, orgs.isolation),
        lambda r: f"areas={len(r.area)} no_tie={r.no_tie.sum()} no_deep_tie={r.no_deep_tie.sum()}",
    )
    total, cpu = time.perf_counter() - began, time.process_time() - began_cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"bench network nodes={n} ties={len(net.ties)} total_s={total:.2f} peak_mb={peak_mb:.0f}")
    print("\n".join(lines))
    sys.stdout.flush()
    top = between.estimate >= np.quantile(between.estimate, 0.99)
    relative = between.error[top] / np.maximum(between.estimate[top], 1e-12)
    print(
        f"cpu_s={cpu:.2f} betweenness_top1pct_median_relative_se={np.median(relative):.3f} "
        f"load_average={os.getloadavg()[0]:.2f}",
        file=sys.stderr,
    )
    missed = [
        f"goal missed: {name} {value:.2f} >= {GOALS[name]}"
        for name, value in (("total_s", total), ("peak_mb", peak_mb))
        if value >= GOALS[name]
    ]
    print("\n".join(missed) if missed else "all goals met")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
