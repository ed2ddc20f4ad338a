"""broker_match end to end: real school locations in, optimal explained matches out."""

from __future__ import annotations

import csv
import subprocess
import sys
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from partnerlens.brokerage.engine import (
    Match,
    Need,
    Offer,
    Pair,
    Result,
    School,
    parse_phase,
)

from .reference import allowed_arcs, assert_rules_hold, exact_optimum

ROOT = Path(__file__).resolve().parents[3]
GEOCODED = ROOT / "demo" / "data" / "edubase_2017_geocoded" / "schools_geocoded.csv"
AREAS = ("leadership", "english", "maths", "send", "early_years", "behaviour_attendance")


def real_schools(region: str, count: int, seed: int) -> list[dict]:
    """`count` real schools of one region, with their real names, phases and coordinates."""
    with GEOCODED.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["region"] == region]
    rng = np.random.default_rng(seed)
    picked = []
    for row in rng.permutation(len(rows)):
        row = rows[row]
        phase = "special" if "Special" in row["type"] else row["phase"]
        if phase == "Not applicable":
            continue  # independent schools and PRUs: no phase the format can name
        picked.append(
            {
                "school_id": row["urn"],
                "name": row["name"],
                "phase": phase,  # GIAS spelling on purpose, e.g. "All Through"
                "easting": row["easting"],
                "northing": row["northing"],
                "lat": row["lat"],
                "lon": row["lon"],
                "pupils": int(rng.integers(60, 1500)),
                "fsm_pct": round(float(rng.uniform(2, 55)), 1),
                "capacity_total": int(rng.integers(1, 4)) if rng.random() < 0.4 else "",
                "max_km": int(rng.choice([5, 8])) if rng.random() < 0.3 else "",
                "local_note": "ignored extra column",
            }
        )
        if len(picked) == count:
            return picked
    raise AssertionError("not enough schools")


def write(path: Path, columns, rows, bom: bool = False) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def real_instance(tmp_path: Path, region="London", count=160, seed=7, coordinates="grid"):
    schools = real_schools(region, count, seed)
    rng = np.random.default_rng(seed + 1)
    needs, offers = [], []
    for school in schools:
        for area in AREAS:
            roll = rng.random()
            if roll < 0.25:
                needs.append(
                    {
                        "school_id": school["school_id"],
                        "area": area,
                        "severity": int(rng.integers(1, 4)),
                    }
                )
            elif roll < 0.33:
                offers.append(
                    {
                        "school_id": school["school_id"],
                        "area": area,
                        "strength": int(rng.integers(1, 4)),
                        "capacity": int(rng.integers(1, 3)),
                    }
                )
    place = ["easting", "northing"] if coordinates == "grid" else ["lat", "lon"]
    columns = [
        "school_id",
        "name",
        "phase",
        *place,
        "pupils",
        "fsm_pct",
        "capacity_total",
        "max_km",
        "local_note",
    ]
    return {
        "schools": write(tmp_path / "schools.csv", columns, schools, bom=True),
        "needs": write(tmp_path / "needs.csv", ["school_id", "area", "severity"], needs),
        "offers": write(
            tmp_path / "offers.csv", ["school_id", "area", "strength", "capacity"], offers
        ),
        "rows": (schools, needs, offers),
    }


def command_args(files, out: Path) -> list[str]:
    """broker_match's arguments for the instance in ``files``, writing its matches to ``out``."""
    return [
        *("--schools", str(files["schools"]), "--needs", str(files["needs"])),
        *("--offers", str(files["offers"]), "--out", str(out), "--areas", ",".join(AREAS)),
    ]


def run(files, tmp_path, *extra) -> tuple[str, list[dict]]:
    out = StringIO()
    call_command(
        "broker_match",
        *command_args(files, tmp_path / "matches.csv"),
        "--no-progress",
        *extra,
        stdout=out,
    )
    with (tmp_path / "matches.csv").open(encoding="utf-8") as handle:
        return out.getvalue(), list(csv.DictReader(handle))


def manage_py(files, tmp_path, *extra, check: bool) -> subprocess.CompletedProcess:
    """broker_match as a user runs it: manage.py in its own process."""
    return subprocess.run(
        [
            *(sys.executable, "manage.py", "broker_match"),
            *command_args(files, tmp_path / "m.csv"),
            *extra,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=check,
    )


def as_engine_objects(files):
    schools, needs, offers = files["rows"]
    return (
        [
            School(
                s["school_id"],
                s["name"],
                parse_phase(s["phase"]),
                float(s["easting"]),
                float(s["northing"]),
                s["pupils"],
                s["fsm_pct"],
                s["capacity_total"] if s["capacity_total"] != "" else None,
                float(s["max_km"]) if s["max_km"] != "" else None,
            )
            for s in schools
        ],
        [Need(n["school_id"], n["area"], n["severity"]) for n in needs],
        [Offer(o["school_id"], o["area"], o["strength"], o["capacity"]) for o in offers],
    )


def matches_from_csv(rows, needs, offers, arcs) -> Result:
    """The CSV rows as engine Matches, with the exact distance from the reference's arcs."""
    severity = {(n.school_id, n.area): n.severity for n in needs}
    strength = {(o.school_id, o.area): o.strength for o in offers}
    distance = {(a.need_school, a.area, a.support_school): a.distance for a in arcs}
    matches = []
    for r in rows:
        key = (r["need_school_id"], r["area"], r["support_school_id"])
        # distance_km is written to the metre; the rules are checked on the exact distance.
        assert abs(float(r["distance_km"]) - distance[key]) <= 0.0005
        matches.append(
            Match(
                *key,
                distance[key],
                severity[key[:2]],
                strength[(key[2], key[1])],
                int(r["score"]),
                {"score": {"total": int(r["score"])}, "line": r["explanation"]},
            )
        )
    return Result(matches, [], None)


@pytest.mark.parametrize("region,seed", [("London", 7), ("North West", 11), ("South East", 3)])
def test_cli_output_on_real_locations_is_optimal_and_keeps_every_rule(tmp_path, region, seed):
    files = real_instance(tmp_path, region, 160, seed)
    summary, rows = run(files, tmp_path, "--max-km", "10")
    schools, needs, offers = as_engine_objects(files)
    arcs = allowed_arcs(schools, needs, offers, 10.0)
    best_severity, best_quality = exact_optimum(schools, needs, offers, arcs)
    result = matches_from_csv(rows, needs, offers, arcs)
    assert_rules_hold(result, schools, needs, offers, 10.0, check_unmet=False)
    assert sum(m.severity for m in result.matches) == pytest.approx(best_severity, abs=1e-6)
    assert sum(m.score for m in result.matches) == pytest.approx(best_quality, abs=1e-6)
    assert len(rows) > 10  # the instance is not trivially empty
    assert f"Needs met: {len(rows)} of {len(needs)}" in summary
    assert "km=" in rows[0]["explanation"] and "score=" in rows[0]["explanation"]


def test_lat_lon_files_give_the_same_distances_as_grid_files(tmp_path):
    (tmp_path / "grid").mkdir()
    (tmp_path / "deg").mkdir()
    grid = real_instance(tmp_path / "grid")
    degrees = real_instance(tmp_path / "deg", coordinates="degrees")
    _, grid_rows = run(grid, tmp_path / "grid")
    _, degree_rows = run(degrees, tmp_path / "deg")
    by_pair = {(r["need_school_id"], r["area"], r["support_school_id"]): r for r in grid_rows}
    shared = [
        r
        for r in degree_rows
        if (r["need_school_id"], r["area"], r["support_school_id"]) in by_pair
    ]
    assert len(shared) >= 0.9 * len(grid_rows)
    for row in shared:
        twin = by_pair[(row["need_school_id"], row["area"], row["support_school_id"])]
        # The file's grid points are pyproj's, rounded to the metre; ours differ by under 2 m.
        assert abs(float(row["distance_km"]) - float(twin["distance_km"])) < 0.003


def test_exclusions_relationships_and_unmet_report_reach_the_output(tmp_path):
    files = real_instance(tmp_path, "London", 120, 5)
    _, rows = run(files, tmp_path)
    first = rows[0]
    exclude = write(
        tmp_path / "exclude.csv",
        ["school_a", "school_b", "area"],
        [{"school_a": first["support_school_id"], "school_b": first["need_school_id"], "area": ""}],
    )
    summary, again = run(
        files, tmp_path, "--exclude", str(exclude), "--unmet-out", str(tmp_path / "unmet.csv")
    )
    pairs = {(r["need_school_id"], r["support_school_id"]) for r in again}
    assert (first["need_school_id"], first["support_school_id"]) not in pairs
    with (tmp_path / "unmet.csv").open(encoding="utf-8") as handle:
        unmet = list(csv.DictReader(handle))
    assert len(unmet) + len(again) == len(files["rows"][1])
    assert {u["reason"] for u in unmet} <= {
        "no_offer",
        "out_of_range",
        "incompatible",
        "excluded",
        "capacity",
    }
    assert f"Unmet: {len(unmet)}" in summary

    schools, needs, offers = as_engine_objects(files)
    arcs = allowed_arcs(
        schools, needs, offers, 25.0, (Pair(first["support_school_id"], first["need_school_id"]),)
    )
    best_severity, _ = exact_optimum(schools, needs, offers, arcs)
    severity = {(n.school_id, n.area): n.severity for n in needs}
    assert sum(severity[(r["need_school_id"], r["area"])] for r in again) == best_severity


def test_bad_files_stop_the_command_with_every_problem_listed(tmp_path):
    files = real_instance(tmp_path, "London", 30, 1)
    schools = files["schools"].read_text(encoding="utf-8-sig").splitlines()
    school_id = schools[1].split(",")[0]
    write(
        tmp_path / "needs.csv",
        ["school_id", "area", "severity"],
        [
            {"school_id": "999999", "area": "maths", "severity": 2},
            {"school_id": school_id, "area": "finance", "severity": 2},
            {"school_id": school_id, "area": "maths", "severity": 4},
        ],
    )
    with pytest.raises(CommandError) as raised:
        run(files, tmp_path)
    message = str(raised.value)
    assert "3 problems in the input" in message
    assert "needs.csv, line 2, column school_id: unknown school_id '999999'" in message
    assert "needs.csv, line 3, column area: unknown area 'finance'" in message
    assert "needs.csv, line 4, column severity: 4 is outside 1 to 3" in message
    assert not (tmp_path / "matches.csv").exists()


def test_manage_py_exits_non_zero_without_a_traceback(tmp_path):
    files = real_instance(tmp_path, "London", 20, 2)
    text = files["schools"].read_text(encoding="utf-8-sig").splitlines()
    cells = text[1].split(",")
    cells[2] = "Not applicable"
    text[1] = ",".join(cells)
    files["schools"].write_text("\n".join(text) + "\n", encoding="utf-8")
    done = manage_py(files, tmp_path, "--no-progress", check=False)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "schools.csv, line 2, column phase: phase 'Not applicable' is ambiguous" in done.stderr


def test_progress_bar_goes_to_stderr_and_summary_to_stdout(tmp_path):
    files = real_instance(tmp_path, "London", 40, 4)
    done = manage_py(files, tmp_path, check=True)
    assert "broker_match" in done.stderr and "step" in done.stderr
    assert done.stdout.startswith("Needs met: ")
    assert "Wrote " in done.stdout
