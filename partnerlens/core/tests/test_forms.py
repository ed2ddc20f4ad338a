"""The GOV.UK form kit: classes on widgets, error classes, dates, and error-summary links."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.template.loader import render_to_string

from partnerlens.core.forms import GovukCheckboxes, GovukDateField, GovukFormMixin, GovukRadios


class Sample(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Name")
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A"), ("b", "B")], widget=GovukRadios)
    areas = forms.MultipleChoiceField(
        label="Areas", choices=[("x", "X"), ("y", "Y")], widget=GovukCheckboxes
    )
    start = GovukDateField(label="Start date")


def dated(day="", month="", year="", **other):
    return {"start_0": day, "start_1": month, "start_2": year, **other}


def ids_in(html: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', html))


def test_widgets_get_govuk_classes_and_error_classes_only_after_an_error():
    form = Sample()
    assert form.fields["name"].widget.attrs["class"] == "govuk-input"
    form = Sample(data=dated(kind="a", areas=["x"], day="1", month="9", year="2024"))
    assert not form.is_valid()
    assert form.fields["name"].widget.attrs["class"] == "govuk-input govuk-input--error"
    assert "error" not in form.fields["start"].widget.widgets[0].attrs["class"]


def test_a_date_names_the_missing_part_and_refuses_unreal_dates():
    missing = Sample(data=dated(day="1", year="2024"))
    assert missing.errors["start"] == ["Start date must include a month"]
    unreal = Sample(data=dated(day="31", month="2", year="2024"))
    assert unreal.errors["start"] == ["Start date must be a real date"]
    assert "govuk-input--error" in unreal.fields["start"].widget.widgets[2].attrs["class"]
    short_year = Sample(data=dated(day="1", month="2", year="24"))
    assert short_year.errors["start"] == ["Start date must be a real date"]
    good = Sample(data=dated(day="1", month="9", year="2024", name="n", kind="a", areas=["x"]))
    assert good.is_valid(), good.errors
    assert good.cleaned_data["start"] == datetime.date(2024, 9, 1)


def test_every_error_in_the_summary_links_to_an_input_on_the_page():
    form = Sample(data={})
    assert not form.is_valid()
    summary = render_to_string("partials/error_summary.html", {"form": form})
    fields = "".join(
        render_to_string("partials/field.html", {"field": form[name]}) for name in form.fields
    )
    targets = re.findall(r'href="#([^"]*)"', summary)
    assert len(targets) == len(form.fields)
    assert all(targets) and set(targets) <= ids_in(fields)
    assert "id_areas_0" in targets and 'class="govuk-checkboxes__input"' in fields


def test_no_summary_without_errors():
    form = Sample(data=dated(day="1", month="9", year="2024", name="n", kind="a", areas=["x"]))
    assert form.is_valid()
    assert "govuk-error-summary" not in render_to_string(
        "partials/error_summary.html", {"form": form}
    )
