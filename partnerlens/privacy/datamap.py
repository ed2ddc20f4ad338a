"""The data map: every stored field that holds personal data, in one declarative list.

Each ``Kind`` says what the data is, where it lives (model label and fields), why it is held
(lawful basis, UK GDPR article 6), how long it is kept, and how it is removed. Everything
else reads this list: the retention job (``retention.py``) runs each kind's rule by its
``rule`` code, subject access (``subjects.py``) and erasure (``erasure.py``) cover each
model listed, ``docs/privacy/data-map.md`` is generated from it (``manage.py
privacy_data_map``; a test fails when the file and the list differ), and
``tests/test_datamap.py`` fails when any model of any installed app has a field that could
hold personal data (text, JSON, binary, an address, a link to an account) that is neither
listed here nor in ``exemptions.NOT_PERSONAL`` with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from partnerlens.privacy.exemptions import AUTHOR_LINKS, NOT_PERSONAL, OTHER_TABLES

PUBLIC_TASK = "public task (art. 6(1)(e)): school improvement duties"
LEGITIMATE = "legitimate interests (art. 6(1)(f)): running and securing the service"
CONSENT_OR_TASK = "public task, and the person's choice to answer (art. 6(1)(e))"


@dataclass(frozen=True)
class Kind:
    code: str
    what: str
    model: str  # app_label.ModelName
    fields: tuple[str, ...]
    basis: str
    retention: str  # in words, for the docs
    days: int | None  # the period the retention job applies; None: no automatic removal
    rule: str  # the retention job's code for it ("" when none)
    erasure: str  # what erasure does, in words


KINDS: tuple[Kind, ...] = (
    Kind(
        "account",
        "A person's account: name, email address, sign-in name, password hash, last sign-in",
        "auth.User",
        ("username", "first_name", "last_name", "email", "password"),
        PUBLIC_TASK,
        "while the person uses the service; a site admin erases it on request or when they leave",
        None,
        "",
        "anonymised in place: name and address removed, sign-in name replaced, password unusable, "
        "account inactive (so the partnership's records keep a nameless author)",
    ),
    Kind(
        "second_factor",
        "Authenticator and backup-code devices",
        "otp_totp.TOTPDevice",
        ("user", "name", "key"),
        LEGITIMATE,
        "while the account exists",
        None,
        "",
        "deleted",
    ),
    Kind(
        "backup_codes",
        "Backup-code devices",
        "otp_static.StaticDevice",
        ("user", "name"),
        LEGITIMATE,
        "while the account exists",
        None,
        "",
        "deleted (with their codes)",
    ),
    Kind(
        "backup_code_tokens",
        "Backup codes (one-time)",
        "otp_static.StaticToken",
        ("token",),
        LEGITIMATE,
        "while the account exists",
        None,
        "",
        "deleted with their device",
    ),
    Kind(
        "roles",
        "Who holds which role in which partnership and school",
        "directory.PartnershipRole",
        ("user",),
        PUBLIC_TASK,
        "while the partnership keeps its history of roles",
        None,
        "",
        "kept, pointing at the anonymised account (the partnership's history of roles)",
    ),
    Kind(
        "role_invitation",
        "Invitations to take a role: the address invited and a hash of the link",
        "directory.RoleInvitation",
        ("email", "token_hash", "invited_by", "accepted_by"),
        PUBLIC_TASK,
        "90 days after it was accepted or expired",
        90,
        "role_invitations",
        "deleted",
    ),
    Kind(
        "invitee",
        "People asked to answer a cycle: address, name, hashes of their links",
        "enquiries.Invitee",
        ("email", "name", "token_hash", "earlier_token_hashes"),
        PUBLIC_TASK,
        "395 days after the cycle closed (long enough to pair the next year's answers in "
        "named cycles); then anonymised, keeping the role and school counted as invited",
        395,
        "invitees",
        "anonymised in place and never reminded (role and school kept, so the invitation "
        "counts the anonymity audit relies on do not change); answers unlinked; their "
        "attributable free text removed",
    ),
    Kind(
        "resume_key",
        "A hash of a respondent's link on an unfinished (draft) response",
        "enquiries.Response",
        ("resume_key",),
        CONSENT_OR_TASK,
        "until the cycle closes; cleared 1 day after it closed",
        1,
        "resume_keys",
        "cleared for the person's own responses (named and confidential cycles)",
    ),
    Kind(
        "answer_text",
        "Free-text answers, evidence notes and links (may name the writer)",
        "enquiries.Answer",
        ("text", "evidence_note", "evidence_link", "option_value", "choices"),
        CONSENT_OR_TASK,
        "as long as the partnership keeps the cycle",
        None,
        "",
        "where attributable (named and confidential cycles), free text emptied; chosen "
        "options and scores kept, unlinked, so aggregates and releases do not change",
    ),
    Kind(
        "reflection",
        "A person's private reflections",
        "enquiries.Reflection",
        ("user", "text"),
        CONSENT_OR_TASK,
        "while the account exists",
        None,
        "",
        "deleted",
    ),
    Kind(
        "cycle_author",
        "Who created a cycle",
        "enquiries.Cycle",
        ("created_by",),
        PUBLIC_TASK,
        "as long as the cycle",
        None,
        "",
        "kept, pointing at the anonymised account",
    ),
    Kind(
        "outbox_mail",
        "Email queued and sent: recipients, subject and (until sent) the whole message",
        "outbox.OutgoingMail",
        ("to", "recipients", "subject", "mime", "last_error"),
        LEGITIMATE,
        "the message body is emptied when sent; the row is deleted 30 days after it was sent "
        "or failed",
        30,
        "mail",
        "deleted (every message to the address)",
    ),
    Kind(
        "audit_pseudonym",
        "The audit log's link from a pseudonym to an email address",
        "audit.Pseudonym",
        ("email", "token"),
        LEGITIMATE,
        "as long as the audit log; removed on erasure",
        None,
        "",
        "deleted: the log's entries keep the pseudonym, which then points at nobody",
    ),
    Kind(
        "audit_entry",
        "The append-only audit log: who did what (account link; pseudonyms, never addresses)",
        "audit.AuditEvent",
        ("actor", "detail", "object_id"),
        LEGITIMATE,
        "kept (append-only): it holds no address or name, only an account link and pseudonyms",
        None,
        "",
        "kept unchanged; the account it links to is anonymised and the pseudonym forgotten",
    ),
    Kind(
        "admin_log",
        "The Django admin's own history of changes made there",
        "admin.LogEntry",
        ("user", "object_repr", "change_message", "object_id"),
        LEGITIMATE,
        "one year",
        365,
        "admin_log",
        "entries by the person, or naming them, deleted",
    ),
    Kind(
        "sign_in_attempts",
        "Failed sign-ins and lockouts: name typed, network address, browser",
        "axes.AccessAttempt",
        (
            "username",
            "ip_address",
            "user_agent",
            "http_accept",
            "path_info",
            "get_data",
            "post_data",
        ),
        LEGITIMATE,
        "30 days",
        30,
        "axes_attempts",
        "deleted",
    ),
    Kind(
        "sign_in_log",
        "Sign-ins: name, network address, browser",
        "axes.AccessLog",
        ("username", "ip_address", "user_agent", "http_accept", "path_info", "session_hash"),
        LEGITIMATE,
        "30 days",
        30,
        "axes_log",
        "deleted",
    ),
    Kind(
        "sign_in_failures",
        "Each failed sign-in: name, network address, browser",
        "axes.AccessFailureLog",
        ("username", "ip_address", "user_agent", "http_accept", "path_info"),
        LEGITIMATE,
        "30 days",
        30,
        "axes_failures",
        "deleted",
    ),
    Kind(
        "session",
        "Signed-in sessions and respondents' place in a cycle",
        "sessions.Session",
        ("session_key", "session_data"),
        LEGITIMATE,
        "until it expires (at most the absolute session length); expired ones deleted daily",
        0,
        "sessions",
        "the person's sessions deleted",
    ),
    Kind(
        "task_results",
        "Background task records (arguments are ids; results are codes)",
        "django_tasks_database.DBTaskResult",
        ("args_kwargs", "return_value", "traceback", "worker_ids"),
        LEGITIMATE,
        "30 days after the task finished",
        30,
        "task_results",
        "nothing to erase: they hold ids and codes, never addresses (checked by the erasure test)",
    ),
    Kind(
        "api_token",
        "API tokens: who made and revoked them",
        "api.ApiToken",
        ("created_by", "revoked_by", "name"),
        PUBLIC_TASK,
        "until revoked or expired, then 90 days",
        90,
        "api_tokens",
        "kept, pointing at the anonymised account (revoked when the maker is erased)",
    ),
    Kind(
        "progress_note",
        "Notes on support between schools, with their author",
        "brokerage.ProgressNote",
        ("text", "author"),
        PUBLIC_TASK,
        "as long as the support relationship",
        None,
        "",
        "the person's notes emptied; the author link points at the anonymised account",
    ),
    Kind(
        "brokerage_authors",
        "Who adjusted a school's need, and why",
        "brokerage.AreaAssessment",
        ("adjusted_by", "adjustment_reason"),
        PUBLIC_TASK,
        "as long as the assessment",
        None,
        "",
        "the person's reasons emptied; the link points at the anonymised account",
    ),
    Kind(
        "action_plans",
        "Action plans: what is to be done, who owns it and how success is judged",
        "actions.Action",
        (
            "title",
            "title_cy",
            "description",
            "description_cy",
            "owner",
            "success_text",
            "success_text_cy",
        ),
        PUBLIC_TASK,
        "as long as the partnership",
        None,
        "",
        "kept as the partnership's record; the owner link points at the anonymised account",
    ),
    Kind(
        "action_updates",
        "Dated updates on an action, with their author",
        "actions.ActionUpdate",
        ("text", "author"),
        PUBLIC_TASK,
        "as long as the action",
        None,
        "",
        "kept as the partnership's record; the author link points at the anonymised account",
    ),
    Kind(
        "evidence_log",
        "The evidence log: notes, case studies, links and uploaded documents",
        "actions.EvidenceItem",
        ("title", "title_cy", "text", "text_cy", "url", "file", "filename"),
        PUBLIC_TASK,
        "as long as the partnership",
        None,
        "",
        "kept as the partnership's record; the added-by link points at the anonymised account",
    ),
    Kind(
        "activities",
        "Partnership activities with their time and cost, and notes on them",
        "actions.Activity",
        ("title", "title_cy", "notes", "notes_cy"),
        PUBLIC_TASK,
        "as long as the partnership",
        None,
        "",
        "kept as the partnership's record",
    ),
    Kind(
        "benefits",
        "The benefits register: benefits expected and realised, in members' words",
        "actions.Benefit",
        ("description", "description_cy"),
        PUBLIC_TASK,
        "as long as the partnership",
        None,
        "",
        "kept as the partnership's record",
    ),
    Kind(
        "subject_export",
        "Subject access exports: the address asked about and the file made",
        "privacy.SubjectExport",
        ("subject", "file", "requested_by", "error"),
        "legal obligation (art. 6(1)(c)): answering a subject access request",
        "7 days after it was made",
        7,
        "subject_exports",
        "deleted, with their files",
    ),
)


def kinds_for(label: str) -> list[Kind]:
    return [kind for kind in KINDS if kind.model == label]


def covered() -> dict[str, set[str]]:
    """Every field the map accounts for, by model label."""
    found: dict[str, set[str]] = {}
    for kind in KINDS:
        found.setdefault(kind.model, set()).update(kind.fields)
    for label, fields in AUTHOR_LINKS.items():
        found.setdefault(label, set()).update(fields)
    for label, reasons in NOT_PERSONAL.items():
        found.setdefault(label, set()).update(reasons)
    return found


def markdown() -> str:
    """docs/privacy/data-map.md, generated from ``KINDS`` (``manage.py privacy_data_map``)."""
    lines = [
        "# Data map",
        "",
        "Generated from `partnerlens/privacy/datamap.py` by `manage.py privacy_data_map`; a",
        "test fails when this page and the code differ. Every stored field that can hold",
        "personal data is listed here, or in the code's `NOT_PERSONAL` list with its reason.",
        "",
        "| kind | what | where (model: fields) | lawful basis | kept | erasure |",
        "|---|---|---|---|---|---|",
    ]
    for kind in KINDS:
        where = f"`{kind.model}`: {', '.join(kind.fields)}"
        lines.append(
            f"| {kind.code} | {kind.what} | {where} | {kind.basis} | {kind.retention} "
            f"| {kind.erasure} |"
        )
    lines += [
        "",
        "## Links to an account that only name an author",
        "",
        "After erasure these point at the anonymised account, which holds no name or address.",
        "",
    ]
    for label, fields in AUTHOR_LINKS.items():
        lines.append(f"- `{label}`: {', '.join(fields)}")
    lines += ["", "## Tables that are not models", ""]
    for table, what in OTHER_TABLES.items():
        lines.append(f"- `{table}`: {what}")
    lines.append("")
    return "\n".join(lines)
