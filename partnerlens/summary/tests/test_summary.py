"""The summary's figures equal the records they come from; a hidden estimate stays hidden;
only the partnership's leaders and governors see it; the PDF reads in English and Welsh; the
five tables of counts (one partial) keep their captions, headings and rows."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from partnerlens.actions.services.records import record_activity, record_benefit
from partnerlens.audit import verbs
from partnerlens.audit.models import AuditEvent
from partnerlens.impact.presenting import describe
from partnerlens.summary.services import build_summary

pytestmark = pytest.mark.django_db


def test_time_and_money_add_up_by_kind_and_by_school(summary_world):
    summary = build_summary(summary_world["a"])
    assert summary.totals == {"count": 3, "hours": Decimal("22.5"), "cost": Decimal("190.50")}
    kinds = {row["code"]: (row["count"], row["hours"], row["cost"]) for row in summary.by_kind}
    assert kinds == {
        "meeting": (1, Decimal("7.5"), Decimal("0.50")),
        "cpd": (2, Decimal("15"), Decimal("190")),
    }
    first, second, _third = summary_world["schools"]
    schools = {
        (row["school"].pk if row["school"] else None): (row["count"], row["hours"], row["cost"])
        for row in summary.by_school
    }
    assert schools == {
        first.pk: (1, Decimal("12"), Decimal("150")),
        second.pk: (2, Decimal("15"), Decimal("190")),
        None: (1, Decimal("7.5"), Decimal("0.50")),
    }
    assert summary.by_school[-1]["school"] is None  # "no school named" comes last


def test_actions_triggers_and_benefits_are_counted(summary_world):
    summary = build_summary(summary_world["a"])
    assert {row["code"]: row["count"] for row in summary.actions} == {
        "planned": 1, "under_way": 1, "done": 1, "dropped": 0,
    }  # fmt: skip
    assert (summary.actions_total, summary.actions_overdue) == (3, 1)
    tiers = {
        row["code"]: (row["raised"], row["unresolved"], row["overdue"]) for row in summary.triggers
    }
    assert tiers == {"intensive": (1, 0, 0), "targeted": (2, 2, 1), "universal": (0, 0, 0)}
    assert [row["code"] for row in summary.triggers] == ["intensive", "targeted", "universal"]
    assert summary.triggers_total == {"raised": 3, "unresolved": 2, "overdue": 1, "open": 1}
    benefits = {row["code"]: (row["expected"], row["realised"]) for row in summary.benefits}
    assert benefits["standards"] == (1, 0) and benefits["cpd"] == (1, 1)
    assert len(benefits) == 9 and summary.benefits_total == {"expected": 2, "realised": 1}


def test_outcomes_are_each_measures_latest_finished_estimate_as_its_page_says(summary_world):
    summary = build_summary(summary_world["a"])
    shown = [row["estimate"].pk for row in summary.outcomes]
    assert sorted(shown) == sorted([summary_world["latest"].pk, summary_world["not_enough"].pk])
    latest = next(r for r in summary.outcomes if r["estimate"] == summary_world["latest"])
    assert latest["report"] == describe(summary_world["latest"])


def test_the_page_shows_the_figures_and_hides_what_the_estimate_page_hides(client, summary_world):
    client.force_login(summary_world["governor"])
    response = client.get(reverse("summary:page", args=[summary_world["a"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 activities, taking 22.5 people-hours and costing £190.50" in html
    assert "Southside only" not in html and "999" not in html
    result = summary_world["latest"].result
    effect = (
        f"{result['effect']:.2f} (95% interval {result['ci_low']:.2f} to {result['ci_high']:.2f})"
    )
    assert effect in html
    assert f"{result['months']} months" in html or f"{result['months']} month," in html
    # The not-enough-data estimate: its reasons, never the number planted in its result.
    assert "Not enough data" in html and "9.87" not in html
    assert f'id="outcome-{summary_world["pending"].pk}"' not in html
    assert f'id="outcome-{summary_world["older"].pk}"' not in html
    assert "1 overdue" in html and "3 triggers have been raised" in html
    assert "2 expected benefits and 1 realised" in html


@pytest.mark.parametrize(
    ("who", "status"),
    [("lead_a", 200), ("governor", 200), ("teacher_a", 403), ("lead_b", 404), ("outsider", 404)],
)
def test_only_the_partnerships_leaders_and_governors_see_it(client, summary_world, who, status):
    client.force_login(summary_world[who])
    a = summary_world["a"].pk
    assert client.get(reverse("summary:page", args=[a])).status_code == status
    assert client.get(reverse("summary:download", args=[a])).status_code == status


def test_signed_out_people_are_sent_to_sign_in(client, summary_world):
    response = client.get(reverse("summary:page", args=[summary_world["a"].pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def pdf_text(body: bytes, tmp_path) -> str:
    path = tmp_path / "summary.pdf"
    path.write_bytes(body)
    found = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(found.stdout.split())


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is needed")
@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_pdf_is_the_summary_in_the_readers_language(client, summary_world, language, tmp_path):
    client.force_login(summary_world["lead_a"])
    with translation.override(language):
        url = reverse("summary:download", args=[summary_world["a"].pk])
    assert url.startswith("/cy/") == (language == "cy")
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    )
    text = pdf_text(response.content, tmp_path)
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "summary.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert "Tagged:          yes" in info  # PDF/UA: headings and tables for screen readers
    assert "Pages:           1" in info  # one page for the governing body
    result = summary_world["latest"].result
    assert f"{result['effect']:.2f}" in text and "9.87" not in text
    assert "22.5" in text and "190.50" in text
    if language == "cy":
        assert "Crynodeb o effaith a gwerth" in text
        assert "Time and money invested" not in text
    else:
        assert "Impact and value summary" in text and "Time and money invested" in text
    assert AuditEvent.objects.filter(verb=verbs.EXPORT_DOWNLOADED).count() == 1


def test_the_page_costs_the_same_queries_however_many_records_it_adds_up(client, summary_world):
    client.force_login(summary_world["governor"])
    url = reverse("summary:page", args=[summary_world["a"].pk])
    client.get(url)  # sessions and caches warmed
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    lead, schools = summary_world["lead_a"], summary_world["schools"]
    for n in range(5):
        record_activity(
            summary_world["a"], actor=lead, schools=schools, title=f"More {n}", kind="visit",
            held_on=timezone.localdate(), hours=Decimal("1"), cost=Decimal("1"),
        )  # fmt: skip
        record_benefit(
            summary_world["a"], actor=lead, category="planning", state="realised",
            description=f"More {n}",
        )  # fmt: skip
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)
    assert "8 activities" in response.content.decode()
    assert len(after) == len(before)


class Tables(HTMLParser):
    """Each table on the page by id: its caption and its rows of cell texts (header first)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, dict] = {}
        self.table: dict | None = None
        self.cell: list[str] | None = None
        self.in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.table = self.tables.setdefault(dict(attrs)["id"], {"caption": "", "rows": []})
        elif self.table is not None and tag == "tr":
            self.table["rows"].append([])
        elif self.table is not None and tag in ("th", "td"):
            self.cell = []
        self.in_caption = self.in_caption or tag == "caption"

    def handle_endtag(self, tag):
        if tag == "table":
            self.table = None
        elif tag in ("th", "td") and self.cell is not None:
            self.table["rows"][-1].append("".join(self.cell).strip())
            self.cell = None
        elif tag == "caption":
            self.in_caption = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)
        elif self.in_caption and self.table is not None:
            self.table["caption"] += data.strip()


def tables_of(html: str) -> dict[str, dict]:
    parser = Tables()
    parser.feed(html)
    return parser.tables


def test_the_five_tables_of_counts_have_their_captions_headings_and_rows(client, summary_world):
    client.force_login(summary_world["governor"])
    with translation.override("en"):
        tables = tables_of(client.get(reverse("summary:page", args=[summary_world["a"].pk])).text)
    assert list(tables) == [
        "by-kind", "by-school", "actions-by-status", "triggers-by-tier", "benefits-by-category",
    ]  # fmt: skip
    assert tables["by-kind"]["caption"] == "By kind of activity"
    assert tables["by-kind"]["rows"] == [
        ["Kind", "Activities", "People-hours", "Cost (£)"],
        ["Meeting", "1", "7.5", "0.50"],
        ["Shared training (CPD)", "2", "15", "190.00"],
    ]
    school_rows = tables["by-school"]["rows"]
    assert school_rows[-1] == ["No school named (the partnership as a whole)", "1", "7.5", "0.50"]
    assert tables["actions-by-status"]["rows"][0] == ["Status", "Actions"]
    assert [row[1] for row in tables["actions-by-status"]["rows"][1:]] == ["1", "1", "1", "0"]
    assert tables["triggers-by-tier"]["rows"][1][1:] == ["1", "0", "0"]  # intensive first
    benefits = tables["benefits-by-category"]["rows"]
    assert benefits[0] == ["Benefit", "Expected", "Realised"]
    assert len(benefits) == 1 + 2  # only the kinds with something recorded

    with translation.override("cy"):
        url = reverse("summary:page", args=[summary_world["a"].pk])
    welsh = tables_of(client.get(url).text)
    assert welsh["by-kind"]["caption"] == "Yn ôl y math o weithgaredd"
    assert welsh["by-school"]["rows"][-1][0] == "Dim ysgol wedi’i henwi (y bartneriaeth gyfan)"
