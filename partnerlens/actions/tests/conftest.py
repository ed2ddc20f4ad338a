"""Fixtures of the actions tests: partnership A with three member schools and a published
cycle (a real release, through the enquiry and insights services)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.storage import FileSystemStorage

from partnerlens.directory.models import Membership
from partnerlens.insights.tests.helpers import fill_cycle, make_results_framework


@pytest.fixture(autouse=True)
def _files_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def schools(personas, make_school):
    extra = [make_school("Riverside Infants"), make_school("Hilltop High")]
    for school in extra:
        Membership.objects.create(partnership=personas["a"], organisation=school)
    return [personas["school_a"], *extra]


@pytest.fixture
def published(personas, schools):
    """A published cycle of A, answered by insights' ``PEOPLE``: it has a release."""
    return fill_cycle(personas["a"], personas["lead_a"], schools, make_results_framework())


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


class UnreachableStorage(FileSystemStorage):
    """A storage whose every write and read fails, as an S3 store that cannot be reached."""

    def _save(self, name, content):
        raise OSError("the store cannot be reached")

    def _open(self, name, mode="rb"):
        raise OSError("the store cannot be reached")


UNREACHABLE_STORAGE = f"{__name__}.UnreachableStorage"
