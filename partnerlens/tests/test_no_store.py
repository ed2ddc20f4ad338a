"""Results and downloads are never kept in a cache: every results page and every download is
sent with ``Cache-Control: no-store`` (issue 12, hardening), as the respondent pages are.

The addresses are read from the URLconf: every page of insights (a cycle's results and
everything about them) and every URL whose name says it is a download or an export, in any
app. A new download named so is checked as soon as it exists; each is requested as the
partnership's lead, in every format it offers, and must answer 200 with ``no-store``.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from partnerlens.insights.exporters import exporters
from partnerlens.tests.test_personas import EXPECTED, GET, address, partnerlens_url_names

pytestmark = pytest.mark.django_db
NOT_RESULTS = {"insights:settings"}  # minimum group sizes: a form, not results
DOWNLOAD_WORDS = ("download", "export")


@pytest.fixture(autouse=True)
def _files_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")  # the prepared PDF is stored here


def results_and_downloads() -> list[str]:
    names = sorted(
        name
        for name in partnerlens_url_names()
        if (name.startswith("insights:") or any(w in name for w in DOWNLOAD_WORDS))
        and name not in NOT_RESULTS
        and EXPECTED[name][0] == GET
    )
    return names


def formats(name: str, world) -> list[dict]:
    """Each address of ``name``: every format of a download with a choice of formats."""
    kwargs = address(name, world)
    if name == "insights:download":
        return [{**kwargs, "identifier": e.identifier} for e in exporters()]
    if name == "enquiries:reflections_export":
        return [{**kwargs, "fmt": fmt} for fmt in ("csv", "txt")]
    if name == "privacy:download":  # a subject access export exists once someone asks
        from partnerlens.privacy.exports import ask_export

        made = ask_export("ann@example.org", requester=world["lead"], scope=[world["a"].pk])
        return [{"pk": made.pk}]
    if name == "actions:evidence_download":  # files are not in the world's restored rows
        from partnerlens.actions.tests.world import keep_file

        keep_file(world)
    return [kwargs]


def test_the_walk_finds_every_results_page_and_download():
    found = set(results_and_downloads())
    assert {
        "insights:cycle_list",
        "insights:dashboard",
        "insights:download",
        "insights:download_status",
        "enquiries:reflections_export",
        "frameworks:download_yaml",
        "frameworks:download_json",
    } <= found


@pytest.mark.parametrize("name", results_and_downloads())
def test_every_results_page_and_download_is_sent_with_no_store(client, world, name):
    client.force_login(world["lead"])
    for kwargs in formats(name, world):
        url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        assert response.status_code == 200, url
        directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
        assert "no-store" in directives, (url, response.get("Cache-Control"))
