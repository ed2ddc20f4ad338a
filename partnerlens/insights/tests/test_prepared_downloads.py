"""The governors' PDF, prepared in the background: made once per release and language by the
task worker, kept in Django's storage, served from there; a status page with progress until
it is ready, and never an error page when the task queue or the storage fails.

These tests run the task at once (the immediate backend of the root conftest) unless they
say otherwise; ``test_prepared_downloads_queue.py`` runs the real worker."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from partnerlens.insights.exporters import get_exporter
from partnerlens.insights.models import PreparedDownload, Release


def status_url(cycle) -> str:
    return reverse("insights:download_status", args=[cycle.pk, "pdf"])


def pdf_url(cycle) -> str:
    return reverse("insights:download", args=[cycle.pk, "pdf"])


def test_the_pdf_is_made_once_per_release_and_language_and_served_to_everyone(client, filled_cycle):
    cycle = filled_cycle.cycle
    client.force_login(filled_cycle.people["lead_a"])
    first = client.get(pdf_url(cycle))
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert first.content.startswith(b"%PDF-")
    assert first["Content-Disposition"].startswith('attachment; filename="')
    row = PreparedDownload.objects.get()
    release = Release.objects.filter(cycle=cycle).latest()
    assert (row.release_id, row.language, row.identifier, row.status) == (
        release.pk,
        "en",
        "pdf",
        "done",
    )
    with default_storage.open(row.file.name, "rb") as stored:
        assert stored.read() == first.content
    assert row.size == len(first.content)

    client.force_login(filled_cycle.people["teacher_a"])
    again = client.get(pdf_url(cycle))
    assert again.content == first.content  # the same stored file, not made again
    row.refresh_from_db()
    assert (PreparedDownload.objects.count(), row.generation, row.attempts) == (1, 1, 1)

    welsh = client.get("/cy" + pdf_url(cycle))
    assert welsh.status_code == 200 and welsh.content.startswith(b"%PDF-")
    assert welsh.content != first.content
    assert set(PreparedDownload.objects.values_list("language", flat=True)) == {"en", "cy"}


def test_the_results_page_sends_the_pdf_through_its_status_page(client, filled_cycle):
    cycle = filled_cycle.cycle
    client.force_login(filled_cycle.people["teacher_a"])
    page = client.get(reverse("insights:dashboard", args=[cycle.pk])).content.decode()
    assert f'href="{status_url(cycle)}"' in page
    assert f'href="{reverse("insights:download", args=[cycle.pk, "csv"])}" download' in page
    assert f'href="{pdf_url(cycle)}"' not in page  # the PDF only from its status page

    status = client.get(status_url(cycle))
    html = status.content.decode()
    assert status.status_code == 200 and 'data-status="done"' in html
    assert "Your download is ready" in html and f'href="{pdf_url(cycle)}" download' in html
    row = PreparedDownload.objects.get()
    assert f"{row.size / 1024:.1f}\xa0KB" in html or f"{row.size / 1024:.1f} KB" in html


def test_the_status_page_is_in_welsh_too(client, filled_cycle):
    client.force_login(filled_cycle.people["lead_a"])
    html = client.get("/cy" + status_url(filled_cycle.cycle)).content.decode()
    assert 'data-status="done"' in html and '<html lang="cy"' in html
    with translation.override("cy"):
        label = str(get_exporter("pdf").label)
        ready = gettext("Your download is ready")
    assert (
        label.startswith("Adroddiad")
        and f'<h1 class="govuk-heading-l">{escape(label)}</h1>' in html
    )
    assert ready in html


def test_only_prepared_downloads_have_a_status_page(client, filled_cycle):
    client.force_login(filled_cycle.people["lead_a"])
    url = reverse("insights:download_status", args=[filled_cycle.cycle.pk, "csv"])
    assert client.get(url).status_code == 404
    assert not PreparedDownload.objects.exists()


def test_with_the_storage_unwritable_the_pdf_fails_without_an_error_page_and_can_be_retried(
    client, filled_cycle, settings, tmp_path
):
    cycle = filled_cycle.cycle
    client.force_login(filled_cycle.people["lead_a"])
    # A real storage that cannot write: its folder would have to be inside a file.
    settings.MEDIA_ROOT = "/dev/null/media"
    answer = client.get(pdf_url(cycle))
    assert answer.status_code == 302 and answer["Location"] == status_url(cycle)
    row = PreparedDownload.objects.get()
    assert row.status == "failed" and row.error in ("NotADirectoryError", "FileNotFoundError")
    status = client.get(status_url(cycle))
    html = status.content.decode()
    assert status.status_code == 200 and 'data-status="failed"' in html
    assert "The download could not be prepared" in html and 'id="download-retry"' in html
    assert row.error in html

    settings.MEDIA_ROOT = str(tmp_path / "mended")
    assert client.post(status_url(cycle))["Location"] == status_url(cycle)
    row.refresh_from_db()
    assert (row.status, row.generation) == ("done", 2)
    assert client.get(pdf_url(cycle)).content.startswith(b"%PDF-")


def test_a_file_the_storage_lost_is_made_again_not_an_error_page(client, filled_cycle):
    cycle = filled_cycle.cycle
    client.force_login(filled_cycle.people["lead_a"])
    first = client.get(pdf_url(cycle))
    row = PreparedDownload.objects.get()
    default_storage.delete(row.file.name)
    lost = client.get(pdf_url(cycle))
    assert lost.status_code == 302 and lost["Location"] == status_url(cycle)
    row.refresh_from_db()
    assert (row.status, row.generation) == ("done", 2)
    assert default_storage.exists(row.file.name)
    assert client.get(pdf_url(cycle)).content[:5] == first.content[:5] == b"%PDF-"


def test_a_try_again_changes_nothing_while_the_file_is_fine(client, filled_cycle):
    cycle = filled_cycle.cycle
    client.force_login(filled_cycle.people["teacher_a"])
    client.get(status_url(cycle))
    client.post(status_url(cycle))
    assert PreparedDownload.objects.get().generation == 1


def test_another_partnerships_people_reach_neither_the_file_nor_its_status(client, filled_cycle):
    cycle = filled_cycle.cycle
    client.force_login(filled_cycle.people["lead_b"])
    assert client.get(status_url(cycle)).status_code == 404
    assert client.post(status_url(cycle)).status_code == 404
    assert client.get(pdf_url(cycle)).status_code == 404
    assert not PreparedDownload.objects.exists()


def test_deleting_the_cycle_deletes_its_stored_files(
    client, filled_cycle, django_capture_on_commit_callbacks
):
    cycle = filled_cycle.cycle
    client.force_login(filled_cycle.people["lead_a"])
    client.get(pdf_url(cycle))
    name = PreparedDownload.objects.get().file.name
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        cycle.delete()
    assert not PreparedDownload.objects.exists()
    assert not default_storage.exists(name)
