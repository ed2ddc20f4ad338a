"""Turning the text of published CSV cells into typed values.

Pure functions with no Django: each returns a value or raises ``ValueError`` with a reason a
person can act on. The reader adds the file, line and column.
"""

from __future__ import annotations

import re
from datetime import date

# Markers the publishers use for "no value here". Compared after strip() and casefold().
MISSING = frozenset(
    {
        "",
        "na",
        "n/a",
        "..",
        ".",
        "x",
        "z",
        "c",
        "supp",
        "ne",
        "np",
        "sp",
        "lowcov",
        "la",
        "null",
        "none",
        "-",
        "not applicable",
        "not recorded",
        "unknown",
        "does not apply",
    }
)
# Text columns keep words such as "None" or "Unknown": only these mean "blank" there.
MISSING_TEXT = frozenset({"", "na", "n/a", "not applicable", "not recorded", "null"})

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_DATE = re.compile(r"(\d{1,2})([/-])(\d{1,2})\2(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})$")
_ACADEMIC_YEAR = re.compile(r"(?<!\d)(20\d\d)[-_/]?(?:20)?(\d\d)(?!\d)")


def is_missing(raw: str | None) -> bool:
    return raw is None or raw.strip().casefold() in MISSING


def text(raw: str | None) -> str:
    """Trimmed text, or "" for the publishers' blanks ("Not applicable", "NA", ...)."""
    if raw is None:
        return ""
    value = " ".join(raw.split())
    return "" if value.casefold() in MISSING_TEXT else value


def _ungroup(value: str) -> str:
    """``1,104`` is one thousand one hundred and four; ``6,5`` is not a number we guess at."""
    if "," not in value:
        return value
    if not _THOUSANDS.fullmatch(value):
        raise ValueError("has a comma that is not a thousands separator")
    return value.replace(",", "")


def integer(raw: str | None) -> int | None:
    """A whole number such as ``237``, ``"0237"`` or ``1,104``; missing markers give None."""
    if is_missing(raw):
        return None
    value = _ungroup(raw.strip())
    if not value.lstrip("+-").isdigit():
        raise ValueError("is not a whole number")
    return int(value)


def positive_id(raw: str | None) -> int:
    """A required identifier (URN, Group UID): digits only, above zero."""
    value = (raw or "").strip()
    if not value:
        raise ValueError("is blank but is required")
    if not value.isdigit() or int(value) == 0:
        raise ValueError("is not a valid identifier (expected digits, e.g. 100492)")
    if int(value) > 2_147_483_647:
        raise ValueError("is too large to be an identifier")
    return int(value)


def number(raw: str | None) -> float | None:
    """A decimal such as ``46.9``, ``-0.12`` or ``1,104``; missing markers give None."""
    if is_missing(raw):
        return None
    value = _ungroup(raw.strip())
    if not _NUMBER.fullmatch(value):
        raise ValueError("is not a number")
    return float(value)


def percentage(raw: str | None) -> float | None:
    """``46.9%`` and ``46.9`` both mean 46.9 per cent; it must lie in 0-100."""
    if is_missing(raw):
        return None
    value = raw.strip()
    if value.endswith("%"):
        value = value[:-1].strip()
    if not _NUMBER.fullmatch(value):
        raise ValueError("is not a percentage")
    result = float(value)
    if not 0 <= result <= 100:
        raise ValueError("is a percentage outside 0-100")
    return result


def day(raw: str | None) -> date | None:
    """Dates as GIAS and DfE write them: ``31/08/2010``, ``31-08-2010`` or ``2010-08-31``."""
    if is_missing(raw):
        return None
    value = raw.strip()
    if match := _DATE.fullmatch(value):
        d, _, m, y = match.groups()
    elif match := _ISO_DATE.fullmatch(value):
        y, m, d = match.groups()
    else:
        raise ValueError("is not a date (expected dd/mm/yyyy, dd-mm-yyyy or yyyy-mm-dd)")
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        raise ValueError("is not a real date") from None


def postcode(raw: str | None) -> str:
    """A UK postcode in its usual spelling ("W10 5EF"); blank stays blank."""
    compact = text(raw).upper().replace(" ", "")
    if not compact:
        return ""
    if match := _POSTCODE.match(f"{compact[:-3]} {compact[-3:]}"):
        return f"{match.group(1)} {match.group(2)}"
    raise ValueError("is not a UK postcode")


def academic_year_of(day_: date) -> str:
    """The academic year (September to August) a day falls in, written ``2018-19``."""
    start = day_.year if day_.month >= 9 else day_.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def academic_year_in(name: str) -> str | None:
    """An academic year written in a file or folder name (``2018-19``, ``2018_19``, ``201819``).

    Only consecutive years count, so a date such as ``20240129`` is not mistaken for one.
    """
    for match in _ACADEMIC_YEAR.finditer(name):
        start, end = int(match.group(1)), int(match.group(2))
        if (start + 1) % 100 == end:
            return f"{start}-{end:02d}"
    return None


def academic_year(raw: str) -> str:
    """Validate an academic year given by a person (``--period 2018-19``)."""
    value = raw.strip()
    found = academic_year_in(value)
    if found is None or len(value) > 9:
        raise ValueError(f"{raw!r} is not an academic year such as 2018-19")
    return found
