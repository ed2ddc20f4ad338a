"""Checking an uploaded evidence file: its size, and its type by its content (the first
bytes, or the parts inside a zip), which must agree with its extension. Returns codes;
forms say them in the reader's language."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings

# extension -> the type the content must be
EXTENSIONS = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".txt": "text/plain",
    ".csv": "text/csv",
}
# The folder inside an Office Open XML zip that says which of the three it is.
OOXML_PARTS = {
    "word/": EXTENSIONS[".docx"],
    "xl/": EXTENSIONS[".xlsx"],
    "ppt/": EXTENSIONS[".pptx"],
}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024

TOO_BIG = "too_big"
EMPTY = "empty"
EXTENSION = "extension"  # an extension not on the list
CONTENT = "content"  # the content is not what the extension says


def max_bytes() -> int:
    return int(getattr(settings, "ACTIONS_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


@dataclass(frozen=True)
class Checked:
    content_type: str = ""
    problem: str = ""  # one of the codes above, or "" when the file may be kept


def _zip_type(head: bytes, upload) -> str:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                if declared.startswith("application/vnd.oasis.opendocument."):
                    return declared
            if "[Content_Types].xml" in names:
                for prefix, kind in OOXML_PARTS.items():
                    if any(name.startswith(prefix) for name in names):
                        return kind
    except (zipfile.BadZipFile, OSError, ValueError):
        return ""
    finally:
        upload.seek(0)
    return ""


def _text_type(upload, extension: str) -> str:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if b"\x00" in data:
        return ""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return ""
    return EXTENSIONS[extension]


def sniff(upload, extension: str) -> str:
    """The type the content is, as far as this list knows ("" for none of them)."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(head, upload)
    if extension in (".txt", ".csv"):
        return _text_type(upload, extension)
    return ""


def check(upload) -> Checked:
    """Whether an uploaded file (a Django ``UploadedFile``) may be kept, and its type."""
    size = getattr(upload, "size", None) or 0
    if size == 0:
        return Checked(problem=EMPTY)
    if size > max_bytes():
        return Checked(problem=TOO_BIG)
    extension = PurePath(upload.name or "").suffix.lower()
    expected = EXTENSIONS.get(extension)
    if expected is None:
        return Checked(problem=EXTENSION)
    found = sniff(upload, extension)
    if found != expected:
        return Checked(problem=CONTENT)
    return Checked(content_type=found)


def safe_filename(name: str) -> str:
    """The uploaded name without folders or characters a download header cannot carry."""
    base = PurePath(name.replace("\\", "/")).name
    cleaned = "".join(c for c in base if c.isprintable() and c not in '"\r\n;')
    return cleaned[:200] or "evidence"
