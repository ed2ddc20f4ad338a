"""Comments in the report: contact details are redacted before anything prints them."""

from __future__ import annotations

import pytest

from partnerlens.insights.dashboard.comments import redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Write to jo.bloggs@school.wales please", "Write to [removed] please"),
        ("Ring 01234 567 890 or +44 (0)29 2034 5678", "Ring [removed] or [removed]"),
        ("See https://example.org/x and www.ysgol.cymru", "See [removed] and [removed]"),
    ],
)
def test_contact_details_are_removed(text, expected):
    assert redact(text) == (expected, True)


@pytest.mark.parametrize(
    "text", ["We met 3 times in 2023-2024", "12 of 15 staff came", "Year 6 and Year 7"]
)
def test_ordinary_numbers_and_dates_are_kept(text):
    assert redact(text) == (text, False)
