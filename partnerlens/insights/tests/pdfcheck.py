"""Reading a PDF the way the report tests need, with poppler's tools and the standard library
(no PDF library in the environment): page texts, page images, the structure tree and the
catalogue entries of a tagged PDF."""

from __future__ import annotations

import re
import subprocess
import zlib
from pathlib import Path

from PIL import Image


def page_texts(path: Path) -> list[str]:
    """The text of each page (pdftotext keeps pages apart with form feeds)."""
    out = subprocess.run(
        ["/usr/bin/pdftotext", "-layout", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def info(path: Path, *options: str) -> str:
    return subprocess.run(
        ["/usr/bin/pdfinfo", *options, str(path)], capture_output=True, check=True
    ).stdout.decode()


def outline(path: Path) -> list[tuple[int, str]]:
    """The structure tree as (depth, element type), in reading order (``pdfinfo -struct``)."""
    found = []
    for line in info(path, "-struct").splitlines():
        match = re.match(r"^( *)([A-Za-z][A-Za-z0-9]*)\b", line)
        if match and not line.strip().startswith("/"):
            found.append((len(match.group(1)) // 2, match.group(2)))
    return found


def page_images(path: Path, folder: Path, dpi: int = 40) -> list[Image.Image]:
    subprocess.run(
        ["/usr/bin/pdftoppm", "-png", "-r", str(dpi), str(path), str(folder / "page")],
        check=True,
    )
    return [Image.open(p).convert("L") for p in sorted(folder.glob("page-*.png"))]


def ink(image: Image.Image) -> float:
    """The share of a page's pixels that are dark (text, lines, bars)."""
    values = image.get_flattened_data()
    return sum(1 for v in values if v < 160) / len(values)


def objects(data: bytes) -> bytes:
    """The file's bytes followed by every Flate stream decompressed (object streams hold the
    structure elements and the catalogue in a compressed PDF)."""
    chunks = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", match.end())
        try:
            chunks.append(zlib.decompress(data[match.end() : end]))
        except zlib.error:
            continue
    return b"\n".join(chunks)


def pdf_string(token: bytes) -> str:
    """A PDF string object, literal ``(...)`` or hex ``<...>`` (UTF-16 with its mark)."""
    if token.startswith(b"<"):
        raw = bytes.fromhex(token[1:-1].decode())
        return raw[2:].decode("utf-16-be") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")
    body = token[1:-1]
    body = re.sub(rb"\\([()\\])", rb"\1", body)
    if body.startswith(b"\xfe\xff"):
        return body[2:].decode("utf-16-be")
    return body.decode("latin-1")


_STRING = rb"(\((?:\\.|[^\\)])*\)|<[0-9a-fA-F]*>)"


def figure_alts(data: bytes) -> list[str | None]:
    """The alternative text of every Figure structure element (None where it has none)."""
    text = objects(data)
    found = []
    for match in re.finditer(rb"/S /Figure\b", text):
        element = text[match.start() : text.find(b"/Type /StructElem", match.end())]
        alt = re.search(rb"/Alt " + _STRING, element)
        found.append(pdf_string(alt.group(1)) if alt else None)
    return found


def catalogue(data: bytes) -> dict[str, str]:
    """The tagged-PDF entries of the catalogue: Lang, MarkInfo, StructTreeRoot, and whether
    viewers show the document title."""
    text = objects(data)
    catalog = re.search(rb"/Type /Catalog.*?(?=\n<<|\nendobj|$)", text, re.DOTALL)
    assert catalog, "no catalogue"
    body = catalog.group(0)
    lang = re.search(rb"/Lang " + _STRING, body)
    return {
        "Lang": pdf_string(lang.group(1)) if lang else "",
        "Marked": "true" if re.search(rb"/MarkInfo\s*<<\s*/Marked true", body) else "",
        "StructTreeRoot": "yes" if b"/StructTreeRoot" in body else "",
        "DisplayDocTitle": "true" if b"/DisplayDocTitle true" in body else "",
    }
