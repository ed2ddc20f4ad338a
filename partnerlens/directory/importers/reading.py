"""Reading a published CSV file: its encoding, its header and its rows with line numbers.

GIAS publishes Windows-1252 with CRLF; DfE performance tables are UTF-8 with a byte-order
mark; hand-edited copies mix things up. The encoding is decided from the bytes, never from
the file name, and a stray byte spoils one row, not the whole file.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPLACEMENT = "\ufffd"


@functools.lru_cache(maxsize=4096)
def normalise(column: str) -> str:
    """Header names compared without case, padding or doubled spaces."""
    return " ".join(column.replace("\ufeff", "").split()).casefold()


def detect_encoding(data: bytes) -> str:
    """``utf-8-sig``, ``utf-8`` or ``cp1252``, judged from the bytes themselves.

    A file counts as UTF-8 when it decodes cleanly, or when it holds real multi-byte UTF-8
    sequences and only a few broken ones (a copy edited in the wrong program): those rows
    are then rejected one by one. Otherwise it is Windows-1252, as GIAS publishes.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    decoded = data.decode("utf-8", errors="replace")
    broken = decoded.count(REPLACEMENT)
    multibyte = sum(1 for ch in decoded if ord(ch) > 127 and ch != REPLACEMENT)
    return "utf-8" if multibyte > broken else "cp1252"


@dataclass
class Table:
    """A decoded CSV file: header as written, rows as dicts keyed by normalised name."""

    path: Path
    encoding: str
    header: list[str]
    columns: dict[str, str]  # normalised name -> name as written in the file
    text: str = field(repr=False)
    line_count: int = 0

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line number, cells) for each data row; line 1 is the header."""
        reader = csv.reader(io.StringIO(self.text, newline=""))
        next(reader, None)
        last_line = reader.line_num
        for cells in reader:
            start = last_line + 1
            last_line = reader.line_num
            if not cells or all(not c.strip() for c in cells):
                continue  # blank lines, such as a trailing one, carry no data
            yield start, cells


class UnreadableFile(Exception):
    pass


def read_table(path: Path) -> Table:
    data = path.read_bytes()
    if not data.strip():
        raise UnreadableFile("the file is empty")
    encoding = detect_encoding(data)
    text = data.decode(encoding, errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except csv.Error as error:
        raise UnreadableFile(f"the header is not valid CSV: {error}") from None
    header = [h.replace("\ufeff", "").strip() for h in header]
    columns: dict[str, str] = {}
    for position, name in enumerate(header, start=1):
        key = normalise(name) or f"(unnamed column {position})"
        if key in columns:
            raise UnreadableFile(f"the header repeats the column {name!r}")
        columns[key] = name or key
    return Table(
        path=path,
        encoding=encoding,
        header=header,
        columns=columns,
        text=text,
        line_count=text.count("\n"),
    )
