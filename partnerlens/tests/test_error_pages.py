"""The 404, 403 and 500 pages: friendly, in the reader's language, never Django's own.

``make run`` serves with DEBUG off (scripts/run) so these are what a visitor sees there too;
tests run with DEBUG off as Django's test runner always does.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse


def test_a_missing_page_says_so_in_english_and_welsh(db):
    client = Client()
    english = client.get("/partnerships-that-are-not-here/")
    welsh = client.get("/cy/partnerships-that-are-not-here/")
    assert english.status_code == welsh.status_code == 404
    assert "<h1" in english.text and "Page not found" in english.text
    assert "check it is correct" in english.text
    assert '<html lang="cy"' in welsh.text
    assert "Page not found" not in welsh.text
    assert "dudalen" in welsh.text  # the Welsh for "page"
    assert "Technical" not in english.text and "Traceback" not in english.text


def test_a_refused_page_says_why_and_where_to_go(client, personas):
    client.force_login(personas["teacher_a"])
    edit = reverse("directory:partnership_edit", kwargs={"pk": personas["a"].pk})
    refused = client.get(edit)
    assert refused.status_code == 403
    assert "You cannot do this" in refused.text
    assert "ask your partnership lead" in refused.text
    assert reverse("directory:partnership_list") in refused.text
    welsh = client.get("/cy" + edit)
    assert welsh.status_code == 403
    assert "Ni allwch wneud hyn" in welsh.text


@pytest.mark.urls("partnerlens.tests.error_urls")
@pytest.mark.parametrize(
    ("prefix", "heading"),
    [("", "Sorry, there is a problem with the service"), ("/cy", "Mae'n ddrwg gennym")],
)
def test_a_failure_shows_the_friendly_500_page(db, prefix, heading):
    client = Client(raise_request_exception=False)
    failed = client.get(f"{prefix}/test-failure/")
    assert failed.status_code == 500
    assert heading in failed.text.replace("&#x27;", "'")
    assert "RuntimeError" not in failed.text and "Traceback" not in failed.text


def test_make_run_serves_with_debug_off_and_its_static_files_still_load(client, settings):
    """``make run`` (scripts/run) turns DEBUG off for these pages; whitenoise then serves the
    styles from their folders, with no collectstatic."""
    from pathlib import Path

    run = (Path(settings.BASE_DIR) / "scripts" / "run").read_text().replace("\\\n", " ")
    server = next(
        line
        for line in run.splitlines()
        if "manage.py serve_demo" in line and not line.lstrip().startswith("#")
    )
    assert 'DEBUG="${DEBUG:-false}"' in server
    assert settings.DEBUG is False
    styles = client.get("/static/partnerlens/partnerlens.css")
    assert styles.status_code == 200
    assert b".pl-table-scroll" in b"".join(styles.streaming_content)
