"""The governors' PDF: it renders, reads as text without small groups, and its pages carry
pictures (checked as images with poppler's pdftoppm, decoded with Pillow)."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image

from partnerlens.insights import dashboard, data
from partnerlens.insights.analytics.text import SUPPRESSED
from partnerlens.insights.exporters import ExportContext, get_exporter
from partnerlens.insights.tests.helpers import SMALL_TEACHER_SCHOOL


@pytest.fixture
def pdf_file(filled_cycle, tmp_path) -> Path:
    built = dashboard.build(data.load_cycle(filled_cycle.cycle))
    context = ExportContext(built, datetime(2025, 3, 1, tzinfo=timezone.get_current_timezone()))
    path = tmp_path / "report.pdf"
    path.write_bytes(get_exporter("pdf").render(context))
    return path


def pdf_text(path: Path) -> str:
    result = subprocess.run(
        ["/usr/bin/pdftotext", "-layout", str(path), "-"], capture_output=True, check=True
    )
    return result.stdout.decode()


def test_the_report_is_an_a4_pdf_with_the_summary_priorities_and_method(pdf_file):
    assert pdf_file.read_bytes().startswith(b"%PDF-")
    text = pdf_text(pdf_file)
    for heading in ("What this tells us", "Suggested priorities", "How different roles see",
                    "How these figures were worked out"):  # fmt: skip
        assert heading in text
    info = subprocess.run(
        ["/usr/bin/pdfinfo", str(pdf_file)], capture_output=True, check=True
    ).stdout.decode()
    assert "595.276 x 841.89 pts (A4)" in info


def test_the_report_never_shows_the_two_teachers_of_one_school_with_a_number(pdf_file):
    lines = [line for line in pdf_text(pdf_file).splitlines() if SMALL_TEACHER_SCHOOL in line]
    rows = [line for line in lines if "Depth of practice" in line or "Clarity of" in line]
    assert rows, lines
    for line in rows:
        assert "not enough" in line
        figures = line.split(SMALL_TEACHER_SCHOOL, 1)[1]
        assert not any(ch.isdigit() for ch in figures), line
    assert SUPPRESSED.split()[0] in pdf_text(pdf_file)


def test_the_report_pages_render_as_images_with_charts_on_them(pdf_file, tmp_path):
    subprocess.run(
        ["/usr/bin/pdftoppm", "-png", "-r", "50", str(pdf_file), str(tmp_path / "page")],
        check=True,
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2
    first = Image.open(pages[0]).convert("L")
    width, height = first.size
    assert (width, height) == pytest.approx((413, 585), abs=2)  # A4 at 50 dpi
    dark = sum(1 for value in first.get_flattened_data() if value < 128)
    assert dark > 0.01 * width * height  # text, not a blank page
    # Somewhere in the report a chart's bars fill a band with colour (not white, not grey).
    coloured = 0
    for page in pages:
        image = Image.open(page).convert("RGB")
        coloured += sum(
            1 for r, g, b in image.get_flattened_data() if max(r, g, b) - min(r, g, b) > 60
        )
    assert coloured > 500
