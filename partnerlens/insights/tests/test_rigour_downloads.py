"""The school-weighted scores in the CSV and XLSX downloads, and the caution below ten
respondents on the page and in the governors' PDF, all through the real URLs (issue 9)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerlens.directory.models import Role
from partnerlens.enquiries.models import Invitee
from partnerlens.insights import dashboard, data
from partnerlens.insights.exporters import pdf
from partnerlens.insights.models import InsightSettings, ReleaseReason
from partnerlens.insights.releases import make_release
from partnerlens.insights.tests.helpers import fill_cycle, make_results_framework
from partnerlens.insights.tests.pdfcheck import page_texts
from partnerlens.insights.tests.test_exporters import read_csv, read_xlsx

WEIGHTED = "School-weighted scores"
# People invited per school (Northside, Riverside, Hilltop): ``PEOPLE`` has 9, 8 and 4
# respondents there, so Northside answered far less than its share.
INVITED = (60, 8, 4)


def _invite(cycle, schools, counts) -> None:
    expires = timezone.now() + timedelta(days=30)
    Invitee.objects.bulk_create(
        Invitee(
            cycle=cycle,
            email=f"person{school.pk}-{i}@example.org",
            role=Role.TEACHER,
            organisation=school,
            token_hash=f"{school.pk:08d}{i:056d}",
            expires_at=expires,
        )
        for school, count in zip(schools, counts, strict=True)
        for i in range(count)
    )


@pytest.fixture
def uneven_cycle(personas, results_schools):
    cycle = fill_cycle(
        personas["a"],
        personas["lead_a"],
        results_schools,
        make_results_framework(),
        publish=False,
    )
    _invite(cycle, results_schools, INVITED)
    assert make_release(cycle, reason=ReleaseReason.REBUILT, force=True).release is not None
    return cycle


def _download(client, cycle, identifier: str) -> bytes:
    response = client.get(reverse("insights:download", args=[cycle.pk, identifier]))
    assert response.status_code == 200
    return response.content


def _by_theme(headers, rows) -> dict[str, dict]:
    return {row[0]: dict(zip(headers, row, strict=True)) for row in rows}


def test_the_downloads_carry_the_school_weighted_scores_where_response_is_uneven(
    client, personas, uneven_cycle
):
    client.force_login(personas["lead_a"])
    page = client.get(reverse("insights:dashboard", args=[uneven_cycle.pk])).content.decode()
    assert "Plain and school-weighted scores" in page
    csv_tables = {title: (h, r) for title, h, r in read_csv(_download(client, uneven_cycle, "csv"))}
    xlsx_tables = {
        title: (h, r) for title, h, r in read_xlsx(_download(client, uneven_cycle, "xlsx"))
    }
    assert WEIGHTED in csv_tables and WEIGHTED in xlsx_tables
    csv_rows = _by_theme(*csv_tables[WEIGHTED])
    xlsx_rows = _by_theme(*xlsx_tables[WEIGHTED])
    assert csv_rows and set(csv_rows) == set(xlsx_rows)
    for theme, row in xlsx_rows.items():
        # Numbers stay numbers; the weighted interval holds the weighted score; the plain
        # score is the one the scores table shows for everyone.
        weighted = row["School-weighted score"]
        assert isinstance(weighted, float)
        low = row["School-weighted 95% interval from"]
        high = row["School-weighted 95% interval to"]
        assert low < weighted < high
        assert float(csv_rows[theme]["School-weighted score"]) == pytest.approx(weighted)
        everyone = [
            r
            for r in xlsx_tables["Scores"][1]
            if r[0] == "Theme" and r[1] == theme and r[2] == "Everyone"
        ]
        assert everyone and everyone[0][8] == pytest.approx(row["Score"])
    # Northside answered 9 of 60, the others nearly all: weighting moves some score.
    assert any(abs(r["School-weighted score"] - r["Score"]) > 0.05 for r in xlsx_rows.values())


def test_even_response_adds_no_weighted_table(client, personas, filled_cycle):
    client.force_login(personas["lead_a"])
    tables = read_csv(_download(client, filled_cycle.cycle, "csv"))
    assert tables and WEIGHTED not in {title for title, _h, _r in tables}


@pytest.fixture
def small_cycle(personas, results_schools):
    InsightSettings.objects.create(
        partnership=personas["a"], min_group_size=3, min_parent_group_size=3
    )
    people = [
        (Role.HEADTEACHER, 0, 3, "leading", "5", "collaboration"),
        (Role.TEACHER, 1, 3, "developing", "3", "networking"),
    ]
    return fill_cycle(
        personas["a"], personas["lead_a"], results_schools, make_results_framework(), people
    )


def test_fewer_than_ten_people_bring_a_caution_on_the_page_and_in_the_report(
    client, personas, small_cycle, tmp_path
):
    client.force_login(personas["lead_a"])
    page = client.get(reverse("insights:dashboard", args=[small_cycle.pk])).content.decode()
    assert "first impression" in page and "Only 6 people answered" in page
    path = tmp_path / "report.pdf"
    path.write_bytes(_download(client, small_cycle, "pdf"))
    pages = [" ".join(page.split()) for page in page_texts(path)]
    # On the summary pages (the first two), not only in the appendix's scores section.
    summary = " ".join(pages[:2])
    assert "Only 6 people answered some themes" in summary and "first impression" in summary
    assert sum(text.count("Only 6 people answered some themes") for text in pages) >= 2


def test_a_report_of_enough_people_has_no_caution(filled_cycle):
    report = pdf.report(dashboard.build(data.load_cycle(filled_cycle.cycle)))
    assert report.summary and report.caution == []
