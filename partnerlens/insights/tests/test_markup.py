"""Text that people type (a flexed framework's theme titles, comments) reaches the dashboard,
its inline SVG charts, the downloads and the PDF as text, never as live markup."""

from __future__ import annotations

import csv
import io
import re
import subprocess
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from partnerlens.directory.models import Role
from partnerlens.frameworks.models import Theme
from partnerlens.frameworks.services.versions import flex_framework, publish_version
from partnerlens.insights.tests.helpers import fill_cycle, make_results_framework

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
TITLE = f"Purpose {SCRIPT} {ATTRIBUTE}"
COMMENT = f"We said {SCRIPT} and {ATTRIBUTE}"


@pytest.fixture
def hostile_cycle(personas, results_schools):
    """A published cycle on partnership A's flexed framework whose first theme is titled
    ``TITLE``; every governor comments ``COMMENT``."""
    lead = personas["lead_a"]
    flexed = flex_framework(
        personas["a"],
        make_results_framework(),
        theme_keys=["purpose", "practice", "relations"],
        actor=lead,
    )
    Theme.objects.filter(version=flexed, key="purpose").update(title_en=TITLE)
    flexed = publish_version(flexed, actor=lead)
    flexed.refresh_from_db()
    return fill_cycle(
        personas["a"], lead, results_schools, flexed, comments={Role.GOVERNOR: COMMENT}
    )


class Markup(HTMLParser):
    """The elements and attributes a browser would build from the page."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.script_text.append(data)


def download(client, cycle, identifier: str) -> bytes:
    response = client.get(reverse("insights:download", args=[cycle.pk, identifier]))
    assert response.status_code == 200
    return response.content


def test_the_dashboard_page_shows_typed_markup_as_text(client, personas, hostile_cycle):
    client.force_login(personas["lead_a"])
    page = client.get(reverse("insights:dashboard", args=[hostile_cycle.pk])).content.decode()
    parsed = Markup()
    parsed.feed(page)
    assert not [tag for tag, attrs in parsed.tags if tag == "img" or "onerror" in attrs]
    assert not [text for text in parsed.script_text if "alert(1)" in text]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # In the data tables (escaped by the template) ...
    tables = re.findall(r"<table.*?</table>", page, flags=re.S)
    assert any("&lt;img src=x onerror=alert(1)&gt;" in table for table in tables)
    assert any("We said &lt;script&gt;" in table for table in tables)


def test_the_inline_charts_carry_typed_markup_as_text(client, personas, hostile_cycle):
    client.force_login(personas["lead_a"])
    page = client.get(reverse("insights:dashboard", args=[hostile_cycle.pk])).content.decode()
    charts = re.findall(r'<figure class="pl-chart">(<svg.*?</svg>)</figure>', page, flags=re.S)
    assert len(charts) == 3  # scores, roles, relationships
    texts = []
    for chart in charts:
        root = ElementTree.fromstring(chart)  # noqa: S314  (our own page, parsed to check it)
        names = {element.tag.rsplit("}", 1)[-1] for element in root.iter()}
        assert not names & {"script", "img", "foreignObject"}
        assert not [e for e in root.iter() if any(a.startswith("on") for a in e.attrib)]
        texts += ["".join(element.itertext()) for element in root.iter()]
    # The theme's title is drawn as a label: the same characters, as text.
    assert any(SCRIPT in text for text in texts)


def test_the_downloads_hold_typed_markup_as_inert_text(client, personas, hostile_cycle):
    client.force_login(personas["lead_a"])
    rows = list(csv.reader(io.StringIO(download(client, hostile_cycle, "csv").decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert TITLE in cells
    assert f"{COMMENT} 1" in cells or any(cell.startswith(COMMENT) for cell in cells)
    book = load_workbook(io.BytesIO(download(client, hostile_cycle, "xlsx")))
    found = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and (SCRIPT in cell.value)
    ]
    assert {cell.value for cell in found} >= {TITLE}
    assert any(cell.value.startswith(COMMENT) for cell in found)
    assert {cell.data_type for cell in found} == {"s"}  # text, never a formula


def test_the_pdf_prints_typed_markup_as_text(client, personas, hostile_cycle, tmp_path):
    client.force_login(personas["lead_a"])
    path = tmp_path / "report.pdf"
    path.write_bytes(download(client, hostile_cycle, "pdf"))
    text = subprocess.run(
        ["/usr/bin/pdftotext", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()
    squeezed = re.sub(r"\s+", "", text)
    # Had the markup been live, WeasyPrint would have built elements and printed nothing.
    assert re.sub(r"\s+", "", TITLE) in squeezed
    assert re.sub(r"\s+", "", COMMENT) in squeezed
