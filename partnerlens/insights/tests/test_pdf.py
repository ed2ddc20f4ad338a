"""The governors' PDF: a tagged (PDF/UA) report whose first pages summarise in plain words,
with the comments next and the tables in an appendix; captions stay with their tables and
the footer prints names as they are. Read with poppler's tools (``pdfcheck``).

Most tests render a hand-made Dashboard (the report is a function of the Dashboard only);
the page-image tests render a real cycle without targets, in English and in Welsh.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from partnerlens.frameworks.models import Theme
from partnerlens.insights import dashboard, data
from partnerlens.insights.charts.text import SUPPRESSED
from partnerlens.insights.dashboard import Dashboard, Section, Table
from partnerlens.insights.exporters import ExportContext, get_exporter
from partnerlens.insights.exporters.pdf import css_string
from partnerlens.insights.tests import chartdata, pdfcheck, svgcheck
from partnerlens.insights.tests.helpers import (
    SMALL_TEACHER_SCHOOL,
    fill_cycle,
    make_results_framework,
)

PARTNERSHIP = 'Self-improving Schools & "Co" <Cymru>'
WHEN = datetime(2025, 3, 1, tzinfo=timezone.get_fixed_timezone(0))
COMMENTS = [
    ("Teachers", "Trust", "We plan together now; write to jo@example.org"),
    ("Parents and carers", "Trust", "Good news reaches home"),
    ("Governors", "Purpose", "Clearer aims than last year"),
]


def render(built, language: str, path: Path) -> Path:
    context = ExportContext(built, WHEN, language=language)
    path.write_bytes(get_exporter("pdf").render(context))
    return path


@pytest.fixture(scope="module")
def handmade_report(tmp_path_factory):
    """A report of hand-made results (long Welsh names, no targets, four cycles), built and
    rendered at most once per language for all the tests that read it:
    ``handmade_report(language) -> (dashboard, PDF path)``."""
    made = {}

    def report(language: str = "en"):
        if language not in made:
            with translation.override(language):
                built = chartdata.dashboard(chartdata.LONG_WELSH, comments=COMMENTS)
                built.partnership_name = PARTNERSHIP
                folder = tmp_path_factory.mktemp(f"report-{language}")
                made[language] = built, render(built, language, folder / "report.pdf")
        return made[language]

    return report


def test_the_report_is_a_tagged_pdf_with_a_language_and_figures_with_alt_text(handmade_report):
    path = handmade_report()[1]
    assert "Tagged:          yes" in pdfcheck.info(path)
    catalogue = pdfcheck.catalogue(path.read_bytes())
    assert catalogue == {
        "Lang": "en",
        "Marked": "true",
        "StructTreeRoot": "yes",
        "DisplayDocTitle": "true",
    }
    alts = pdfcheck.figure_alts(path.read_bytes())
    assert len(alts) == 3  # scores, roles and trends each have a chart
    assert all(alt and len(alt) > 60 for alt in alts), alts
    assert alts[0].startswith("Scores by theme. Horizontal bars")  # title, then description


def test_headings_run_in_order_and_every_table_has_its_caption(handmade_report):
    path = handmade_report()[1]
    tree = pdfcheck.outline(path)
    headings = [int(kind[1]) for _depth, kind in tree if re.fullmatch(r"H[1-6]", kind)]
    assert headings[0] == 1 and headings.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(headings)), headings
    assert {2, 3} <= set(headings)
    kinds = [kind for _depth, kind in tree]
    built = handmade_report()[0]
    tables = sum(len(s.tables) for s in built.sections if s.key != "comments")
    assert kinds.count("Caption") == tables
    assert "TH" in kinds and "Figure" in kinds


def test_captions_are_never_left_at_the_foot_of_a_page_without_their_table(handmade_report):
    pages = pdfcheck.page_texts(handmade_report()[1])
    assert len(pages) > 4  # long enough for tables to run across pages
    built = handmade_report()[0]
    checked = 0
    for section in built.sections:
        for table in section.tables:
            if section.key == "comments" or not table.rows:
                continue
            page = next(p for p in pages if table.caption in p)
            after = page.split(table.caption, 1)[1]
            assert table.headers[0] in after, (table.caption, after[:200])
            first = str(table.rows[0][0]).split()[0]
            assert first in after, (table.caption, after[:200])
            checked += 1
    assert checked >= 4


def test_a_caption_stays_with_its_table_wherever_the_page_ends(tmp_path):
    """The same table after more and more text, so that its caption meets the foot of a
    page in some of the renderings (a short table, and a long one of tall rows). Without
    ``break-after: avoid`` on captions and header rows this finds stranded captions."""
    stranded = []
    for filler in range(36, 58, 2):
        for rows, words in ((4, 2), (40, 2), (16, 40)):
            table = Table(
                "CAPTION-X", ["Head"], [[f"R{i} " + "word " * words] for i in range(rows)]
            )
            built = Dashboard(
                "Spring review",
                "Partnership",
                5,
                10,
                40,
                60,
                40,
                [],
                [
                    Section("filler", "Filler", [f"Paragraph {i}" for i in range(filler)]),
                    Section("table", "Table", tables=[table]),
                ],
            )
            pages = pdfcheck.page_texts(render(built, "en", tmp_path / "t.pdf"))
            page = next(p for p in pages if "CAPTION-X" in p)
            if "R0 " not in page.split("CAPTION-X", 1)[1]:
                stranded.append((filler, rows, words))
    assert not stranded


def test_the_footer_prints_names_as_they_are(handmade_report):
    pages = pdfcheck.page_texts(handmade_report()[1])
    footer = f"{PARTNERSHIP} – Spring review"
    assert all(footer in page for page in pages)
    text = "".join(pages)
    for artefact in ("u002D", "\\", "&amp;", "&quot;", "&lt;"):
        assert artefact not in text
    assert str(css_string('a"b\\c</style>')) == '"a\\22 b\\5C c\\3C /style\\3E "'


def test_the_first_pages_summarise_then_come_the_comments_and_the_appendix(handmade_report):
    pages = pdfcheck.page_texts(handmade_report()[1])
    first = pages[0]
    for heading in ("What the results say", "Priorities", "What changed"):
        assert heading in first
    assert first.index("What the results say") < first.index("Priorities")
    assert re.search(r"^\s*1\. Cydweithio", first, re.MULTILINE)  # the top priority, named
    assert re.search(r"^\s*3\. ", first, re.MULTILINE) and not re.search(r"^\s*4\. ", first)
    # Changes that stand out (every other theme in the hand-made table), in plain words.
    assert "Arweinyddiaeth ar y cyd" in first.split("What changed")[1]
    assert "rose by 0.40 points since Hydref 2025" in " ".join(first.split())
    assert "Cydweithio rhwng" not in first.split("What changed")[1]
    assert "Appendix" not in first and "What people wrote" not in first
    start = next(i for i, page in enumerate(pages) if "What people wrote" in page)
    assert start in (1, 2)  # the summary takes at most two pages
    comments = pages[start]
    assert "We plan together now; write to jo@example.org" in comments
    assert "Parents and carers" in comments and "Comments from roles of at least 5." in comments
    appendix = next(i for i, page in enumerate(pages) if "Appendix: the figures in full" in page)
    assert appendix > start


def test_the_welsh_report_is_in_welsh(handmade_report):
    path = handmade_report("cy")[1]
    assert pdfcheck.catalogue(path.read_bytes())["Lang"] == "cy"
    with translation.override("cy"):
        welsh = _("Scores over time")
    assert welsh != "Scores over time"
    alts = pdfcheck.figure_alts(path.read_bytes())
    assert any(alt.startswith(welsh) for alt in alts)


# --- a real cycle, rendered from the database -------------------------------------------


@pytest.fixture
def no_target_cycle(personas, results_schools):
    version = make_results_framework("no-targets")
    Theme.objects.filter(version=version).update(target_level=None)
    return fill_cycle(
        personas["a"],
        personas["lead_a"],
        results_schools,
        version,
        comments={"governor": "Governors hear good things", "parent": "A parent's view"},
    )


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_report_of_a_cycle_without_targets_reads_well_as_page_images(
    no_target_cycle, tmp_path, language
):
    with translation.override(language):
        built = dashboard.build(data.load_cycle(no_target_cycle))
        said = _("What the results say")
        heading = _("Results of %(title)s") % {"title": built.title}
        page = _("Page")
        path = render(built, language, tmp_path / "report.pdf")
    scores = built.section("scores")
    width, height = svgcheck.size(scores.svg)
    assert 0 < width < 5000 and 0 < height < 5000  # not 1.8e308
    assert svgcheck.shows(scores.svg, "Clarity of purpose")

    pages = pdfcheck.page_texts(path)
    images = pdfcheck.page_images(path, tmp_path)
    if os.environ.get("REPORT_PAGES_DIR"):  # to look at the pages: keep a copy
        shutil.copy(path, Path(os.environ["REPORT_PAGES_DIR"]) / f"no-targets-{language}.pdf")
    assert len(images) == len(pages) >= 3
    assert images[0].size == pytest.approx((331, 468), abs=2)  # A4 at 40 dpi
    assert all(pdfcheck.ink(image) > 0.002 for image in images)  # no blank page
    assert said in pages[0] and heading in pages[0] and page in pages[0]
    if language == "cy":  # strings already translated: the heading and the footer
        assert heading.startswith("Canlyniadau") and page == "Tudalen"
        assert "Results of" not in pages[0] and "Page " not in pages[0]
    with translation.override(language):
        comments_heading = _("What people wrote")
    summary_pages = next(i for i, page in enumerate(pages) if comments_heading in page)
    assert 1 <= summary_pages <= 2
    assert pdfcheck.catalogue(path.read_bytes())["Lang"] == language


def test_the_report_never_shows_the_two_teachers_of_one_school_with_a_number(
    filled_cycle, tmp_path
):
    built = dashboard.build(data.load_cycle(filled_cycle.cycle))
    pages = pdfcheck.page_texts(render(built, "en", tmp_path / "report.pdf"))
    lines = [line for page in pages for line in page.splitlines() if SMALL_TEACHER_SCHOOL in line]
    rows = [line for line in lines if "Depth of practice" in line or "Clarity of" in line]
    assert rows, lines
    for line in rows:
        assert "not enough" in line
        figures = line.split(SMALL_TEACHER_SCHOOL, 1)[1]
        assert not any(ch.isdigit() for ch in figures), line
    assert SUPPRESSED.split()[0] in "".join(pages)
    assert "Governors hear good things" in "".join(pages)


def test_a_stored_dashboard_prints_the_same_report(handmade_report, tmp_path):
    """The report reads the Dashboard only: one stored as JSON (as a release keeps it) and
    read back prints the same pages."""
    import json

    from partnerlens.insights.dashboard import codec

    built, path = handmade_report()
    stored = codec.decode(json.loads(json.dumps(codec.encode_page(built))))
    again = render(stored, "en", tmp_path / "again.pdf")
    assert pdfcheck.page_texts(again) == pdfcheck.page_texts(path)
