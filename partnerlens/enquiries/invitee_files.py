"""Reading and checking lists of invitees: pasted text, CSV or XLSX.

Every problem is reported with its row number (as a spreadsheet shows it), the column and
the reason, so a lead can fix the file in one pass.

Files are read by ``core.uploaded_tables`` (a stream, refused at the first bound passed)
under this module's limits: MAX_ROWS rows of people, and for a workbook MAX_UNZIPPED_BYTES
once unzipped, MAX_SHEET_ROWS rows counting blank ones (declared or met while reading),
MAX_SHEET_COLUMNS columns declared and MAX_COLUMNS columns read from any row.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from partnerlens.core import uploaded_tables
from partnerlens.core.uploaded_tables import RowError, TableRules
from partnerlens.directory.models import Membership, Organisation, Role
from partnerlens.enquiries.models import Cycle, Language

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_UNZIPPED_BYTES = 50 * 1000 * 1000
MAX_SHEET_ROWS = 100_000
MAX_SHEET_COLUMNS = 1000  # declared by the sheet; more is refused
MAX_COLUMNS = 50  # read from each row; the columns we know are five
COLUMNS = ("email", "name", "role", "organisation", "language")
LANGUAGE_WORDS = {
    "": Language.ENGLISH,
    "en": Language.ENGLISH,
    "english": Language.ENGLISH,
    "saesneg": Language.ENGLISH,
    "cy": Language.WELSH,
    "welsh": Language.WELSH,
    "cymraeg": Language.WELSH,
}


class InviteeFileError(ValueError):
    """The file as a whole cannot be read (wrong type, too big, no email column)."""


@dataclass(frozen=True)
class InviteeRow:
    row: int
    email: str
    name: str
    role: str
    organisation: Organisation | None
    language: str


def _normalise_header(cell) -> str:
    return str(cell or "").strip().lower().replace(" ", "_")


def _columns(first: Sequence) -> list[str]:
    header = [_normalise_header(cell) for cell in first]
    if "email" not in header:
        raise InviteeFileError(
            _("The first row must name the columns, including “email”. Found: %(found)s")
            % {"found": ", ".join(h for h in header if h) or _("nothing")}
        )
    return [name if name in COLUMNS else "" for name in header]


def _too_many_rows() -> str:
    return _(
        "The file has more than %(max)s rows of people; the most we take at "
        "once is %(max)s. Split it into smaller files and upload each."
    ) % {"max": f"{MAX_ROWS:,}"}


def _too_large_a_sheet(_reason: str = "") -> str:
    """One sentence for every way a workbook is too large: it names all three bounds."""
    return _(
        "The workbook is too large to read: we read at most %(rows)s rows and %(columns)s "
        "columns, and %(mb)s MB once unzipped. Copy just the rows of people into a new "
        "workbook and upload that."
    ) % {
        "rows": f"{MAX_SHEET_ROWS:,}",
        "columns": f"{MAX_SHEET_COLUMNS:,}",
        "mb": MAX_UNZIPPED_BYTES // 1000 // 1000,
    }


def _rules() -> TableRules:
    """Built at each read, so the limits are the module's as they stand then."""
    return TableRules(
        error=InviteeFileError,
        columns=_columns,
        too_large_file=lambda: _(
            "The file is larger than 2 MB. Split it into smaller files and upload each."
        ),
        too_many_rows=_too_many_rows,
        too_large_workbook=_too_large_a_sheet,
        max_file_bytes=MAX_FILE_BYTES,
        max_rows=MAX_ROWS,
        max_unzipped_bytes=MAX_UNZIPPED_BYTES,
        max_sheet_rows=MAX_SHEET_ROWS,
        max_sheet_columns=MAX_SHEET_COLUMNS,
        max_columns=MAX_COLUMNS,
    )


def read_pasted(text: str) -> list[tuple[int, dict[str, str]]]:
    """Pasted rows: comma- or tab-separated, with or without a header line."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if not lines:
        raise InviteeFileError(_("Paste at least one row: email, name, role, organisation."))
    table = [next(csv.reader([line], delimiter="\t" if "\t" in line else ",")) for line in lines]
    if "email" not in [_normalise_header(cell) for cell in table[0]]:
        table.insert(0, list(COLUMNS))
    return uploaded_tables.rows_from_table(table, _rules())


def read_file(upload) -> list[tuple[int, dict[str, str]]]:
    """Rows from an uploaded CSV or XLSX file, numbered as the spreadsheet numbers them."""
    return uploaded_tables.read_file(upload, _rules())


def _role_lookup() -> dict[str, str]:
    lookup = {}
    for code, label in Role.choices:
        lookup[code] = code
        lookup[str(label).lower()] = code
    return lookup


def check_rows(
    cycle: Cycle, rows: list[tuple[int, dict[str, str]]]
) -> tuple[list[InviteeRow], list[RowError]]:
    """Validate rows against the cycle: email, role, membership, language, duplicates."""
    roles = _role_lookup()
    members = {
        m.organisation_id: m.organisation
        for m in Membership.objects.current()
        .filter(partnership=cycle.partnership)
        .select_related("organisation")
    }
    audience_orgs = set(cycle.audience_organisations.values_list("id", flat=True))
    existing = {e.lower() for e in cycle.invitees.values_list("email", flat=True)}
    seen: dict[str, int] = {}
    good, errors = [], []
    for number, values in rows:
        row_errors = []
        email = values.get("email", "").strip()
        try:
            validate_email(email)
        except ValidationError:
            reason = _("“%(value)s” is not an email address") % {"value": email}
            row_errors.append(RowError(number, "email", reason if email else _("email is empty")))
        else:
            key = email.lower()
            if key in seen:
                row_errors.append(
                    RowError(
                        number,
                        "email",
                        _("%(email)s is already on row %(row)s")
                        % {"email": email, "row": seen[key]},
                    )
                )
            elif key in existing:
                row_errors.append(
                    RowError(number, "email", _("%(email)s is already invited") % {"email": email})
                )
            seen.setdefault(key, number)
        role_text = values.get("role", "").strip()
        role = roles.get(role_text.lower()) or roles.get(role_text.lower().replace(" ", "_"))
        if not role:
            row_errors.append(
                RowError(number, "role", _("unknown role “%(value)s”") % {"value": role_text})
            )
        elif cycle.audience_roles and role not in cycle.audience_roles:
            row_errors.append(
                RowError(
                    number,
                    "role",
                    _("%(role)s is not in this cycle's audience") % {"role": Role(role).label},
                )
            )
        organisation, org_error = _match_organisation(values.get("organisation", ""), members)
        if org_error:
            row_errors.append(RowError(number, "organisation", org_error))
        elif organisation and audience_orgs and organisation.id not in audience_orgs:
            row_errors.append(
                RowError(
                    number,
                    "organisation",
                    _("%(name)s is not in this cycle's audience") % {"name": organisation.name},
                )
            )
        language = LANGUAGE_WORDS.get(values.get("language", "").strip().lower())
        if language is None:
            row_errors.append(
                RowError(
                    number,
                    "language",
                    _("language must be English (en) or Welsh (cy), not “%(value)s”")
                    % {"value": values.get("language", "")},
                )
            )
        if row_errors:
            errors.extend(row_errors)
        else:
            good.append(
                InviteeRow(number, email, values.get("name", ""), role, organisation, language)
            )
    return good, errors


def _match_organisation(
    text: str, members: dict[int, Organisation]
) -> tuple[Organisation | None, str]:
    """A member organisation by name, URN or Welsh school code; blank means none."""
    text = text.strip()
    if not text:
        return None, ""
    for organisation in members.values():
        if (
            organisation.name.lower() == text.lower()
            or (organisation.urn and str(organisation.urn) == text)
            or (organisation.welsh_school_code and organisation.welsh_school_code == text)
        ):
            return organisation, ""
    return None, _("“%(value)s” is not a current member of this partnership") % {"value": text}
