"""The outcome panel (``impact.panel``) over the real KS2 and KS4 tables of 2016-19.

Expected values come from the raw files (csv module), not from the importer.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from partnerlens.directory.importers.runner import import_file
from partnerlens.directory.models import (
    EstablishmentLink,
    Membership,
    Organisation,
    OutcomeMeasure,
)
from partnerlens.impact import panel
from partnerlens.impact.models import OwnMeasure, OwnMeasureValue

DATA = Path(__file__).resolve().parents[3] / "tests" / "data" / "dfe_performance_2016-19"
YEARS = ("2016-2017", "2017-2018", "2018-2019")


def raw(year: str, stage: str = "ks2") -> dict[str, dict[str, str]]:
    path = DATA / f"{year}_936_{stage}final.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {r["URN"]: r for r in csv.DictReader(handle) if r["RECTYPE"] in {"1", "2"}}


def pct(text: str) -> float:
    return float(text.rstrip("%"))


@pytest.fixture
def imported(db):
    for year in YEARS:
        for stage in ("ks2", "ks4"):
            report = import_file(DATA / f"{year}_936_{stage}final.csv")
            assert report.ok, report.summary()


def org(urn: int) -> Organisation:
    return Organisation.objects.get(urn=urn)


def test_a_converter_academy_continues_its_la_schools_series(imported):
    # Bletchingley Village Primary (124941) became an academy (144229) in 2017.
    before, after = raw("2016-2017")["124941"], raw("2017-2018")["144229"]
    assert before["URN_AC"] == "144229"
    academy = org(144229)
    frame = panel.outcome_panel("ks2.rwm_exp_pct", [academy.pk])
    assert list(frame.columns) == ["school", "year", "value", "cohort", "via"]
    assert frame["school"].unique().tolist() == [academy.pk]
    assert frame["year"].tolist() == [2016, 2017, 2018]
    assert frame["value"].tolist() == pytest.approx(
        [
            pct(before["PTRWM_EXP"]),
            pct(after["PTRWM_EXP"]),
            pct(raw("2018-2019")["144229"]["PTRWM_EXP"]),
        ]
    )
    assert frame["cohort"].tolist() == pytest.approx(
        [float(before["TELIG"]), float(after["TELIG"]), float(raw("2018-2019")["144229"]["TELIG"])]
    )
    assert frame["via"].tolist() == ["124941", "", ""]


def test_the_old_urn_keeps_only_its_own_years(imported):
    frame = panel.outcome_panel("ks2.rwm_exp_pct", [org(124941).pk])
    assert frame["year"].tolist() == [2016]
    assert frame["via"].tolist() == [""]


def test_a_school_that_never_converted_has_its_three_years(imported):
    felbridge = org(124971)
    frame = panel.outcome_panel("ks2.mat_progress", [felbridge.pk])
    want = [float(raw(y)["124971"]["MATPROG"]) for y in YEARS]
    assert frame["value"].tolist() == pytest.approx(want)


def test_ks4_progress_8_takes_its_own_cohort(imported):
    rows = raw("2018-2019", "ks4")
    urn, row = next((u, r) for u, r in rows.items() if r["P8MEA"] not in {"", "NE", "SUPP", "NP"})
    frame = panel.outcome_panel("ks4.p8", [org(int(urn)).pk])
    last = frame[frame["year"] == 2018].iloc[0]
    assert last["value"] == pytest.approx(float(row["P8MEA"]))
    assert last["cohort"] == pytest.approx(float(row["P8PUP"]))


def test_two_amalgamated_schools_give_a_cohort_weighted_year(db, make_school):
    infant, junior = make_school("Infant", urn=700001), make_school("Junior", urn=700002)
    primary = make_school("Primary", urn=700003)
    for school, value, cohort in ((infant, 50.0, 20), (junior, 80.0, 60)):
        OutcomeMeasure.objects.create(
            organisation=school, measure="ks2.rwm_exp_pct", period="2017-18", value=value
        )
        OutcomeMeasure.objects.create(
            organisation=school, measure="ks2.pupils", period="2017-18", value=cohort
        )
        EstablishmentLink.objects.create(
            urn=primary.urn, link_urn=school.urn, link_type="Predecessor - amalgamated"
        )
    frame = panel.outcome_panel("ks2.rwm_exp_pct", [primary.pk])
    [row] = frame.itertuples(index=False)
    assert row.value == pytest.approx((50 * 20 + 80 * 60) / 80)
    assert row.cohort == 80
    assert row.via == "700001 700002"


def test_own_measures_are_seen_only_with_their_partnership(db, make_school, make_partnership):
    a, b = make_partnership("A"), make_partnership("B")
    school = make_school("Ash")
    Membership.objects.create(partnership=a, organisation=school)
    measure = OwnMeasure.objects.create(partnership=a, name="Darllen")
    OwnMeasureValue.objects.create(
        measure=measure, organisation=school, period="2019-20", value=7.5, cohort=30
    )
    mine = panel.outcome_panel(measure.code, [school.pk], partnership=a)
    assert mine[["school", "year", "value", "cohort"]].values.tolist() == [
        [school.pk, 2019, 7.5, 30]
    ]
    assert panel.outcome_panel(measure.code, [school.pk], partnership=b).empty
    assert panel.outcome_panel(measure.code, [school.pk]).empty
    assert (measure.code, 1) in panel.available_measures(a)
    assert all(code != measure.code for code, _ in panel.available_measures(b))


def test_available_measures_count_years_through_predecessors(imported, make_partnership):
    p = make_partnership("Tandridge")
    Membership.objects.create(partnership=p, organisation=org(144229))
    found = dict(panel.available_measures(p))
    assert found["ks2.rwm_exp_pct"] == 3  # 2016-17 through 124941, then its own two
    codes = [code for code, _ in panel.available_measures(p)]
    assert codes.index("ks2.rwm_exp_pct") < codes.index("ks2.pupils")


def test_context_comes_from_the_ks2_cohort_without_a_census(imported):
    school = org(124971)
    row = raw("2017-2018")["124971"]
    frame = panel.context_frame([school.pk], 2017)
    [ctx] = frame.to_dict("records")
    assert ctx["school"] == school.pk and ctx["urn"] == 124971
    assert ctx["fsm"] == pytest.approx(pct(row["PTFSM6CLA1A"]))
    assert ctx["eal"] == pytest.approx(pct(row["PTEALGRP2"]))
    assert ctx["sen"] == pytest.approx(pct(row["PSENELK"]) + pct(row["PSENELE"]))
    assert ctx["prior"] == pytest.approx(float(row["TKS1AVERAGE"]))
    assert ctx["pupils"] == pytest.approx(float(row["TOTPUPS"]))


def test_the_census_comes_first_and_the_latest_year_up_to_the_one_asked(db, make_school):
    school = make_school("Elm", phase="primary")
    for measure, period, value in (
        ("census.fsm_ever_pct", "2016-17", 10.0),
        ("census.fsm_ever_pct", "2018-19", 30.0),
        ("ks2.disadvantaged_pct", "2017-18", 99.0),
        ("census.eal_pct", "2019-20", 4.0),
    ):
        OutcomeMeasure.objects.create(
            organisation=school, measure=measure, period=period, value=value
        )
    [ctx] = panel.context_frame([school.pk], 2017).to_dict("records")
    assert ctx["fsm"] == 10.0  # 2016-17's census, not 2018-19's nor the KS2 cohort's
    assert ctx["eal"] == 4.0  # nothing earlier: the earliest after
    assert math.isnan(ctx["sen"]) and math.isnan(ctx["prior"])


def test_a_secondary_prefers_its_ks4_cohort(db, make_school):
    school = make_school("Oak", phase="secondary")
    OutcomeMeasure.objects.create(
        organisation=school, measure="ks2.disadvantaged_pct", period="2017-18", value=5.0
    )
    OutcomeMeasure.objects.create(
        organisation=school, measure="ks4.disadvantaged_pct", period="2017-18", value=25.0
    )
    [ctx] = panel.context_frame([school.pk], 2017).to_dict("records")
    assert ctx["fsm"] == 25.0


def test_a_converter_academys_earlier_context_comes_from_its_predecessor(imported):
    academy = org(144229)
    before = raw("2016-2017")["124941"]
    [ctx] = panel.context_frame([academy.pk], 2016).to_dict("records")
    assert ctx["fsm"] == pytest.approx(pct(before["PTFSM6CLA1A"]))
    assert ctx["prior"] == pytest.approx(float(before["TKS1AVERAGE"]))
    own = raw("2018-2019")["144229"]
    [later] = panel.context_frame([academy.pk], 2018).to_dict("records")
    assert later["fsm"] == pytest.approx(pct(own["PTFSM6CLA1A"]))


def test_only_outcomes_are_offered_not_their_confidence_limits(imported, make_partnership):
    p = make_partnership("Tandridge")
    Membership.objects.create(partnership=p, organisation=org(124971))
    codes = [code for code, _ in panel.available_measures(p)]
    assert "ks2.mat_progress" in codes
    assert OutcomeMeasure.objects.filter(measure="ks2.mat_progress_ci_low").exists()
    assert not [c for c in codes if c.endswith(("_ci_low", "_ci_high")) or c == "ks2.roll"]
    assert codes == [c for c in panel.PUBLISHED if c in codes]


def test_a_chain_of_conversions_is_read_generation_by_generation(db, make_school):
    la, academy, rebrokered = (
        make_school(n, urn=u) for n, u in (("LA", 710001), ("Ac", 710002), ("Re", 710003))
    )
    EstablishmentLink.objects.create(urn=la.urn, link_urn=academy.urn, link_type="Successor")
    EstablishmentLink.objects.create(
        urn=rebrokered.urn, link_urn=academy.urn, link_type="Predecessor"
    )
    EstablishmentLink.objects.create(
        urn=999001, link_urn=999002, link_type="Successor"
    )  # unrelated
    for school, period, value in (
        (la, "2015-16", 1.0),
        (academy, "2016-17", 2.0),
        (rebrokered, "2017-18", 3.0),
    ):
        OutcomeMeasure.objects.create(
            organisation=school, measure="ks2.mat_progress", period=period, value=value
        )
    assert panel.predecessors({rebrokered.urn}) == {
        rebrokered.urn: frozenset({academy.urn}),
        academy.urn: frozenset({la.urn}),
    }
    frame = panel.outcome_panel("ks2.mat_progress", [rebrokered.pk])
    assert frame[["year", "value", "via"]].values.tolist() == [
        [2015, 1.0, "710001"],
        [2016, 2.0, "710002"],
        [2017, 3.0, ""],
    ]
