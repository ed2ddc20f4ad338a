"""The panel page and the partnership's own measures: pages, uploads with row-level errors,
the download, and who may reach them."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from partnerlens.audit import verbs
from partnerlens.audit.models import AuditEvent
from partnerlens.directory.models import EstablishmentLink, OutcomeMeasure
from partnerlens.impact.models import OwnMeasure, OwnMeasureValue


def csv_file(rows, name="figures.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_file(rows, name="figures.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def measure(personas):
    return OwnMeasure.objects.create(partnership=personas["a"], name="Oed darllen", unit="months")


def upload_url(personas, measure):
    return reverse("impact:own_measure_upload", args=[personas["a"].pk, measure.pk])


def test_the_panel_shows_each_year_and_marks_a_predecessors(client, personas, make_school):
    school = personas["school_a"]
    old = make_school("Old Infant School", urn=800001)
    EstablishmentLink.objects.create(urn=school.urn, link_urn=old.urn, link_type="Predecessor")
    OutcomeMeasure.objects.create(
        organisation=old, measure="ks2.rwm_exp_pct", period="2016-17", value=61.0
    )
    OutcomeMeasure.objects.create(
        organisation=school, measure="ks2.rwm_exp_pct", period="2017-18", value=67.5
    )
    client.force_login(personas["lead_a"])
    response = client.get(reverse("impact:panel", args=[personas["a"].pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "2016-17" in page and "2017-18" in page
    assert "61" in page and "67.5" in page
    assert "Old Infant School (URN 800001)" in page
    assert page.count('<sup aria-hidden="true">*</sup>') == 1


def test_a_lead_adds_a_measure_with_a_welsh_name(client, personas):
    client.force_login(personas["lead_a"])
    url = reverse("impact:own_measures", args=[personas["a"].pk])
    response = client.post(url, {"name": "Lles disgyblion", "unit": "sgôr"})
    measure = OwnMeasure.objects.get(partnership=personas["a"])
    assert response.status_code == 302
    assert (measure.name, measure.unit, measure.higher_is_better) == (
        "Lles disgyblion",
        "sgôr",
        False,
    )
    assert AuditEvent.objects.filter(verb=verbs.IMPACT_OWN_MEASURE_CREATED).count() == 1
    again = client.post(url, {"name": "lles  disgyblion", "higher_is_better": "on"})
    assert again.status_code == 200
    assert OwnMeasure.objects.filter(partnership=personas["a"]).count() == 1


def test_a_clean_csv_is_saved_and_a_second_upload_replaces_its_figures(client, personas, measure):
    school = personas["school_a"]
    client.force_login(personas["lead_a"])
    rows = [["school", "period", "value", "cohort"], [school.urn, "2018-19", "14.5", "28"]]
    rows.append([school.name, "2019/20", "15%", ""])
    response = client.post(upload_url(personas, measure), {"document": csv_file(rows)})
    assert response.status_code == 302
    stored = sorted(measure.values.values_list("period", "value", "cohort"))
    assert stored == [("2018-19", 14.5, 28), ("2019-20", 15.0, None)]
    fixed = [["school", "period", "value"], [school.urn, "2018", "16"]]
    client.post(upload_url(personas, measure), {"document": csv_file(fixed)})
    assert measure.values.get(period="2018-19").value == 16.0
    assert measure.values.count() == 2
    assert measure.uploads.count() == 2


def test_welsh_headers_and_a_workbook_are_read(client, personas, measure):
    client.force_login(personas["lead_a"])
    rows = [["Ysgol", "Cyfnod", "Gwerth", "Carfan"], [personas["school_a"].urn, 2019, 3.25, 20]]
    response = client.post(upload_url(personas, measure), {"document": xlsx_file(rows)})
    assert response.status_code == 302
    value = measure.values.get()
    assert (value.period, value.value, value.cohort) == ("2019-20", 3.25, 20)


def test_a_file_with_errors_saves_nothing_and_says_which_row_field_and_why(
    client, personas, measure
):
    school, outsider = personas["school_a"], personas["school_b"]
    client.force_login(personas["lead_a"])
    rows = [
        ["school", "period", "value"],
        [school.urn, "2018-19", "10"],  # row 2: fine
        [outsider.urn, "2018-19", "11"],  # row 3: another partnership's school
        [school.urn, "last year", "12"],  # row 4: no academic year
        [school.urn, "2019-20", "twelve"],  # row 5: not a number
        [school.urn, "2018-19", "13"],  # row 6: repeats row 2
    ]
    response = client.post(upload_url(personas, measure), {"document": csv_file(rows)})
    assert response.status_code == 200
    assert not OwnMeasureValue.objects.exists()
    errors = [str(e) for e in response.context["row_errors"]]
    assert errors == [
        f"Row 3, column “school”: “{outsider.urn}” is not a current member school of this "
        "partnership",
        "Row 4, column “period”: “last year” is not an academic year such as 2018-19",
        "Row 5, column “value”: “twelve” is not a number",
        f"Row 6, column “period”: {school.name} already has a figure for 2018-19 on row 2",
    ]
    assert "Nothing was saved" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("figures.pdf", b"%PDF", "Upload a CSV"),
        ("figures.csv", b"school,value\n1,2\n", "Missing: period"),
        ("figures.csv", "school,period,value\n".encode("utf-16"), "not UTF-8"),
        ("figures.xlsx", b"not a zip", "could not be opened"),
    ],
)
def test_an_unreadable_file_is_refused_whole(client, personas, measure, name, content, reason):
    client.force_login(personas["lead_a"])
    upload = SimpleUploadedFile(name, content)
    response = client.post(upload_url(personas, measure), {"document": upload})
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert not OwnMeasureValue.objects.exists()


def test_a_workbook_with_a_broken_cell_is_refused_as_unreadable_not_a_crash(
    client, personas, measure
):
    """The shared reader (core.uploaded_tables) turns a cell openpyxl cannot parse into the
    unreadable-workbook sentence; before the fold this reader let the ValueError escape."""
    rows = [["school", "period", "value"], [personas["school_a"].urn, "2018-19", 10]]
    data = xlsx_file(rows).read()
    broken = '<row r="9"><c r="A9" t="n"><v>not-a-number</v></c></row></sheetData>'
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.decode().replace("</sheetData>", broken).encode()
            target.writestr(item, content)
    client.force_login(personas["lead_a"])
    upload = SimpleUploadedFile("figures.xlsx", buffer.getvalue())
    response = client.post(upload_url(personas, measure), {"document": upload})
    assert response.status_code == 200
    assert "could not be opened as an Excel workbook" in response.content.decode()
    assert not OwnMeasureValue.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, personas, measure, settings):
    client.force_login(personas["lead_a"])
    big = b"school,period,value\n" + b"1,2018-19,1\n" * 200_000
    response = client.post(
        upload_url(personas, measure), {"document": SimpleUploadedFile("a.csv", big)}
    )
    assert "larger than 2 MB" in response.content.decode()


def test_the_download_neutralises_text_that_would_run_as_a_formula(client, personas):
    measure = OwnMeasure.objects.create(partnership=personas["a"], name="=HYPERLINK(1)")
    OwnMeasureValue.objects.create(
        measure=measure, organisation=personas["school_a"], period="2018-19", value=-2.5
    )
    client.force_login(personas["teacher_a"])
    url = reverse("impact:own_measure_download", args=[personas["a"].pk, measure.pk])
    assert client.get(url).status_code == 403  # teachers do not see impact
    client.force_login(personas["lead_a"])
    response = client.get(url)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == personas["school_a"].name
    assert rows[1][3] == "-2.5"  # numbers stay numbers
    assert rows[1][5] == "'=HYPERLINK(1)"
    assert OwnMeasure.objects.get(pk=measure.pk).name == "=HYPERLINK(1)"  # stored as typed
    assert AuditEvent.objects.filter(verb=verbs.EXPORT_DOWNLOADED).count() == 1


@pytest.mark.parametrize("who", ["lead_b", "outsider"])
def test_another_partnership_cannot_reach_the_panel_or_the_measures(client, personas, measure, who):
    client.force_login(personas[who])
    a = personas["a"].pk
    for url in (
        reverse("impact:panel", args=[a]),
        reverse("impact:own_measures", args=[a]),
        reverse("impact:own_measure_upload", args=[a, measure.pk]),
        reverse("impact:own_measure_download", args=[a, measure.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "Planted"}).status_code == 404, url
    assert OwnMeasure.objects.count() == 1


def test_b_cannot_reach_as_measure_through_its_own_partnership(client, personas, measure):
    client.force_login(personas["lead_b"])
    b = personas["b"].pk
    for name in ("impact:own_measure_upload", "impact:own_measure_download"):
        assert client.get(reverse(name, args=[b, measure.pk])).status_code == 404
    page = client.get(reverse("impact:own_measures", args=[b])).content.decode()
    assert measure.name not in page
    panel = client.get(reverse("impact:panel", args=[b]) + f"?measure={measure.code}")
    assert measure.name not in panel.content.decode()


def test_a_teacher_does_not_see_impact_and_cannot_upload(client, personas, measure):
    client.force_login(personas["teacher_a"])
    a = personas["a"].pk
    assert client.get(reverse("impact:panel", args=[a])).status_code == 403
    upload = csv_file([["school", "period", "value"], [personas["school_a"].urn, "2018", "1"]])
    response = client.post(upload_url(personas, measure), {"document": upload})
    assert response.status_code == 403
    assert not OwnMeasureValue.objects.exists()


@pytest.mark.parametrize(
    ("value", "shown"),
    [(3.2, "3.2"), (71.0, "71"), (46.534, "46.53"), (-0.001, "0"), (1234567.0, "1234567")],
)
def test_a_figure_is_shown_as_published(value, shown):
    from partnerlens.impact.panel_table import Cell

    assert Cell(value=value).shown == shown
    assert Cell().shown == ""
