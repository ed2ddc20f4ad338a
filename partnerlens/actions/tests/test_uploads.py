"""Evidence files are checked by size and by content, not by their name alone."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from partnerlens.actions import uploads
from partnerlens.actions.tests.conftest import PDF, docx_bytes


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_a_pdf_and_a_word_document_are_kept_with_their_real_types():
    assert uploads.check(upload("plan.pdf", PDF)).content_type == "application/pdf"
    found = uploads.check(upload("minutes.DOCX", docx_bytes()))
    assert found.problem == "" and found.content_type == uploads.EXTENSIONS[".docx"]


def test_a_file_whose_content_is_not_what_its_name_says_is_refused():
    assert uploads.check(upload("minutes.docx", PDF)).problem == uploads.CONTENT
    assert uploads.check(upload("sheet.xlsx", docx_bytes())).problem == uploads.CONTENT
    assert uploads.check(upload("notes.txt", b"MZ\x90\x00\x03binary")).problem == uploads.CONTENT
    assert uploads.check(upload("photo.png", b"<html>not an image</html>")).problem == (
        uploads.CONTENT
    )


def test_other_extensions_and_empty_files_are_refused():
    assert uploads.check(upload("run.exe", b"MZ\x90\x00")).problem == uploads.EXTENSION
    assert uploads.check(upload("page.html", b"<html></html>")).problem == uploads.EXTENSION
    assert uploads.check(upload("empty.pdf", b"")).problem == uploads.EMPTY


def test_a_file_over_the_limit_is_refused(settings):
    settings.ACTIONS_EVIDENCE_MAX_BYTES = len(PDF) - 1
    assert uploads.check(upload("plan.pdf", PDF)).problem == uploads.TOO_BIG
    settings.ACTIONS_EVIDENCE_MAX_BYTES = len(PDF)
    assert uploads.check(upload("plan.pdf", PDF)).problem == ""


def test_welsh_text_is_text_and_names_lose_their_folders():
    assert uploads.check(upload("nodiadau.txt", "Ysgol Gymraeg – cyfarfod".encode())).problem == ""
    assert uploads.safe_filename('..\\..\\evil"\r\nname.pdf') == "evilname.pdf"
