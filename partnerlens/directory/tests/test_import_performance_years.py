"""The DfE KS2 and KS4 final tables over several years (tests/data/dfe_performance_2016-19).

Expected values are read here from the raw files with the csv module, never copied from the
importer's output. Variants of a real file (columns renamed, reordered, added, cells
suppressed) stand in for the held-back files of other years and regions.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from partnerlens.directory.importers import dfe_ks2, dfe_ks4
from partnerlens.directory.importers.reading import read_table
from partnerlens.directory.importers.registry import recognise
from partnerlens.directory.importers.runner import import_file
from partnerlens.directory.models import EstablishmentLink, Organisation, OutcomeMeasure

DATA = Path(__file__).resolve().parents[3] / "tests" / "data" / "dfe_performance_2016-19"
YEARS = ("2016-2017", "2017-2018", "2018-2019")
KS2 = [DATA / f"{y}_936_ks2final.csv" for y in YEARS]
KS4 = [DATA / f"{y}_936_ks4final.csv" for y in YEARS]
SUPPRESSED = {"", "SUPP", "NE", "NP", "LOWCOV", "NA", "NEW"}


def raw_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def school_rows(path: Path) -> list[dict[str, str]]:
    """School lines as dicts; DfE leaves out trailing blanks, so short rows are padded."""
    header, rows = raw_rows(path)
    padded = [dict(zip(header, r + [""] * (len(header) - len(r)), strict=True)) for r in rows]
    return [r for r in padded if r["RECTYPE"] in {"1", "2"}]


def expected(raw: str) -> float | None:
    value = raw.strip()
    if value.upper() in SUPPRESSED:
        return None
    return float(value.rstrip("%"))


def stored(code: str, period: str) -> dict[int, float]:
    return dict(
        OutcomeMeasure.objects.filter(measure=code, period=period).values_list(
            "organisation__urn", "value"
        )
    )


def write_variant(path: Path, target: Path, change) -> Path:
    """A copy of a real file with its header and rows changed by ``change(header, rows)``."""
    header, rows = raw_rows(path)
    header, rows = change(header, rows)
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows([header, *rows])
    return target


def test_the_formats_are_recognised_from_their_headers():
    for path in KS2:
        assert recognise(set(read_table(path).columns)) is dfe_ks2.FORMAT
    for path in KS4:
        assert recognise(set(read_table(path).columns)) is dfe_ks4.FORMAT


@pytest.mark.parametrize("path", KS2, ids=lambda p: p.name)
def test_ks2_values_match_the_raw_file(db, path):
    report = import_file(path)
    assert report.ok, report.summary()
    assert not report.rejections
    period = report.period
    assert period == f"{path.name[:4]}-{path.name[7:9]}"
    columns = {
        "PTRWM_EXP": "ks2.rwm_exp_pct",
        "PTRWM_HIGH": "ks2.rwm_high_pct",
        "READPROG": "ks2.read_progress",
        "WRITPROG": "ks2.writ_progress",
        "MATPROG": "ks2.mat_progress",
        "TELIG": "ks2.pupils",
        "PTFSM6CLA1A": "ks2.disadvantaged_pct",
    }
    rows = school_rows(path)
    assert rows
    for column, code in columns.items():
        values = stored(code, period)
        for row in rows:
            want = expected(row[column])
            if want is None:
                assert int(row["URN"]) not in values, (column, row["URN"])
            else:
                assert values[int(row["URN"])] == pytest.approx(want), (column, row["URN"])
    # LA and national lines are not schools: no organisation without a URN was made.
    _header, all_rows = raw_rows(path)
    totals = [r for r in all_rows if r[0] not in {"1", "2"}]
    assert totals and sum(report.skips.values()) >= len(totals)
    assert not Organisation.objects.filter(urn__isnull=True, measures__isnull=False).exists()


@pytest.mark.parametrize("path", KS4, ids=lambda p: p.name)
def test_ks4_values_match_the_raw_file_including_short_rows(db, path):
    header, rows = raw_rows(path)
    short = [r for r in rows if len(r) < len(header) and r[0] in {"1", "2"}]
    report = import_file(path)
    assert report.ok, report.summary()
    assert not report.rejections, report.rejection_lines()
    period = report.period
    for column, code in (("ATT8SCR", "ks4.att8"), ("P8MEA", "ks4.p8"), ("TPUP", "ks4.pupils")):
        values = stored(code, period)
        for row in school_rows(path):
            want = expected(row[column])
            if want is None:
                assert int(row["URN"]) not in values
            else:
                assert values[int(row["URN"])] == pytest.approx(want)
    if path.name.startswith(("2017", "2018")):
        # These years drop P8_BANDING (and a new school's whole line) when blank.
        assert short
        urns = {int(r[header.index("URN")]) for r in short}
        assert urns <= set(Organisation.objects.values_list("urn", flat=True))


def test_a_second_run_changes_nothing(db):
    for path in KS2 + KS4:
        assert import_file(path).ok
    measures, links = OutcomeMeasure.objects.count(), EstablishmentLink.objects.count()
    for path in KS2 + KS4:
        again = import_file(path)
        assert again.ok
        assert again.counts["created"] == 0, path
        assert again.counts["updated"] == 0, path
        assert again.counts["unchanged"] > 0
    assert OutcomeMeasure.objects.count() == measures
    assert EstablishmentLink.objects.count() == links


def test_converter_academies_become_successor_links(db):
    path = KS2[0]
    rows = [r for r in school_rows(path) if r["URN_AC"].strip() not in {"", "0"}]
    assert rows, "the slice keeps schools that converted"
    assert import_file(path).ok
    for row in rows:
        link = EstablishmentLink.objects.get(urn=int(row["URN"]), link_urn=int(row["URN_AC"]))
        assert link.link_type == "Successor"
        opened = row["OPEN_AC"].strip()
        assert link.link_date == date(int(opened[:4]), int(opened[4:6]), int(opened[6:]))


def test_a_later_years_layout_is_read_by_column_name(db, tmp_path):
    """Columns moved, one dropped, an unknown one added: the rest are still read."""

    def change(header, rows):
        order = list(reversed(range(len(header))))
        dropped = header.index("PTRWM_HIGH")
        order.remove(dropped)
        new_header = [header[i] for i in order] + ["PTRWM_EXP_NEWMEASURE"]
        new_rows = [[(r + [""] * len(header))[i] for i in order] + ["12%"] for r in rows]
        return new_header, new_rows

    variant = write_variant(KS2[2], tmp_path / "2022-2023_999_ks2final.csv", change)
    report = import_file(variant)
    assert report.ok, report.summary()
    assert report.period == "2022-23"
    values = stored("ks2.rwm_exp_pct", "2022-23")
    for row in school_rows(KS2[2]):
        want = expected(row["PTRWM_EXP"])
        assert values.get(int(row["URN"])) == (pytest.approx(want) if want is not None else None)
    assert not stored("ks2.rwm_high_pct", "2022-23")


def test_a_renamed_key_column_is_a_clear_error(db, tmp_path):
    def rename(header, rows):
        return [("PTRWMEXP" if c == "PTRWM_EXP" else c) for c in header], rows

    variant = write_variant(KS2[1], tmp_path / "2014-2015_936_ks2final.csv", rename)
    report = import_file(variant)
    assert not report.ok
    assert report.rejections
    assert {r.column for r in report.rejections} == {"PTRWM_EXP"}
    assert "missing from the file's header" in report.rejection_lines()[0]
    assert not OutcomeMeasure.objects.exists()


def test_a_ks4_file_without_its_cohort_column_is_refused(db, tmp_path):
    def drop(header, rows):
        i = header.index("TPUP")
        return header[:i] + header[i + 1 :], [r[:i] + r[i + 1 :] for r in rows]

    report = import_file(write_variant(KS4[0], tmp_path / "2015-2016_936_ks4final.csv", drop))
    assert not report.ok
    assert {r.column for r in report.rejections} == {"TPUP"}
    assert not OutcomeMeasure.objects.exists()


@pytest.mark.parametrize("code", ["SUPP", "NE", "NP", "LOWCOV", "NA", "", "x"])
def test_suppression_codes_are_no_value(db, tmp_path, code):
    target_urn = school_rows(KS2[0])[0]["URN"]

    def suppress(header, rows):
        i, urn = header.index("PTRWM_EXP"), header.index("URN")
        return header, [[*r[:i], code, *r[i + 1 :]] if r[urn] == target_urn else r for r in rows]

    report = import_file(write_variant(KS2[0], tmp_path / "2016-2017_x_ks2final.csv", suppress))
    assert report.ok and not report.rejections
    assert int(target_urn) not in stored("ks2.rwm_exp_pct", "2016-17")
    assert int(target_urn) in stored("ks2.pupils", "2016-17")


def test_a_bad_cell_rejects_its_row_and_names_the_column(db, tmp_path):
    target_urn = school_rows(KS2[0])[1]["URN"]

    def spoil(header, rows):
        i, urn = header.index("READPROG"), header.index("URN")
        return header, [[*r[:i], "1.2.3", *r[i + 1 :]] if r[urn] == target_urn else r for r in rows]

    report = import_file(write_variant(KS2[0], tmp_path / "2016-2017_y_ks2final.csv", spoil))
    assert report.ok
    assert [(r.column, r.value) for r in report.rejections] == [("READPROG", "1.2.3")]
    assert int(target_urn) not in stored("ks2.pupils", "2016-17")


def test_a_ks2_file_without_a_year_in_its_name_needs_one(db, tmp_path):
    undated = write_variant(KS2[0], tmp_path / "england_ks2final.csv", lambda h, r: (h, r))
    report = import_file(undated)
    assert not report.ok
    assert "--period" in report.rejections[0].reason
    assert not OutcomeMeasure.objects.exists()
    assert import_file(undated, period="2016-17").ok
    assert stored("ks2.pupils", "2016-17")


def test_a_ks2_table_of_levels_is_refused_with_the_reason(db, tmp_path):
    def levels(header, rows):
        return [("PTREADWRITTAMATX" if c == "PTRWM_EXP" else c) for c in header], rows

    report = import_file(write_variant(KS2[0], tmp_path / "2014-2015_936_ks2final.csv", levels))
    assert not report.ok
    assert {r.column for r in report.rejections} == {"PTREADWRITTAMATX"}
    assert "before 2016" in report.rejections[0].reason
