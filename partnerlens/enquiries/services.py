"""Workflows of an enquiry cycle. Each function owns its transaction and writes the audit log.

Errors a person can fix are raised as ``EnquiryError`` (or ``LinkError`` for respondent
links) carrying a message fit to show them.
"""

from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from partnerlens.audit.services import record
from partnerlens.directory.models import Membership, Organisation, Partnership, Role
from partnerlens.enquiries.emails import build_message
from partnerlens.enquiries.invitee_files import (
    InviteeRow,
    RowError,
    check_rows,
    read_file,
    read_pasted,
)
from partnerlens.enquiries.models import (
    AnonymityMode,
    Answer,
    Cycle,
    CycleState,
    Invitee,
    Reflection,
    Response,
    ResponseState,
    token_hash,
)
from partnerlens.enquiries.responding import AnswerValue, gaps_in, partners_for, themes_for
from partnerlens.enquiries.signals import response_submitted
from partnerlens.frameworks.models import FrameworkVersion, QuestionKind, ReflectionPrompt, Theme

REMINDER_GAP = timedelta(days=3)
MAX_REMINDERS = 3


class EnquiryError(ValueError):
    """A request that cannot be done as asked; the message says why, for a person."""


class LinkError(EnquiryError):
    """A respondent link that cannot be used; ``reason`` is a stable code for the page."""

    def __init__(self, reason: str, message: str, cycle: Cycle | None = None):
        super().__init__(str(message))
        self.reason = reason
        self.cycle = cycle


def _stamp(cycle: Cycle) -> datetime:
    """Now, or in anonymous cycles midnight today, so times cannot single anyone out."""
    now = timezone.now()
    if cycle.anonymity_mode == AnonymityMode.ANONYMOUS:
        local = timezone.localtime(now)
        return local.replace(hour=0, minute=0, second=0, microsecond=0)
    return now


# --- cycles --------------------------------------------------------------------------


def create_cycle(
    partnership: Partnership,
    *,
    actor,
    framework_version: FrameworkVersion,
    title: str,
    opens_on: date,
    closes_on: date,
    anonymity_mode: str = AnonymityMode.CONFIDENTIAL,
    audience_roles: list[str] | None = None,
    audience_organisations: list[Organisation] | None = None,
) -> Cycle:
    if not framework_version.is_published:
        raise EnquiryError(_("Only a published framework version can be used for a cycle."))
    owner_id = framework_version.framework.owner_id
    if owner_id is not None and owner_id != partnership.pk:
        raise EnquiryError(_("That framework belongs to another partnership."))
    if closes_on < opens_on:
        raise EnquiryError(_("The closing date must be on or after the opening date."))
    if anonymity_mode not in AnonymityMode.values:
        raise EnquiryError(_("Choose named, confidential or anonymous."))
    roles = list(audience_roles or [])
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise EnquiryError(_("Unknown role: %(roles)s") % {"roles": ", ".join(unknown)})
    organisations = list(audience_organisations or [])
    members = set(
        Membership.objects.current()
        .filter(partnership=partnership)
        .values_list("organisation_id", flat=True)
    )
    outsiders = [o.name for o in organisations if o.pk not in members]
    if outsiders:
        raise EnquiryError(
            _("Not current members of this partnership: %(names)s")
            % {"names": ", ".join(outsiders)}
        )
    with transaction.atomic():
        cycle = Cycle.objects.create(
            partnership=partnership,
            framework_version=framework_version,
            title=title.strip(),
            opens_on=opens_on,
            closes_on=closes_on,
            anonymity_mode=anonymity_mode,
            audience_roles=roles,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        cycle.audience_organisations.set(organisations)
        record(
            actor,
            "cycle.created",
            cycle,
            partnership_id=partnership.pk,
            anonymity_mode=anonymity_mode,
            framework_version=framework_version.pk,
        )
    return cycle


TRANSITIONS = {
    CycleState.OPEN: ({CycleState.DRAFT, CycleState.CLOSED}, "cycle.opened"),
    CycleState.CLOSED: ({CycleState.OPEN}, "cycle.closed"),
    CycleState.PUBLISHED: ({CycleState.CLOSED}, "cycle.published"),
}


def _move(cycle: Cycle, target: str, actor) -> Cycle:
    allowed_from, verb = TRANSITIONS[target]
    with transaction.atomic():
        locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if locked.state not in allowed_from:
            raise EnquiryError(
                _("A %(state)s cycle cannot become %(target)s.")
                % {
                    "state": CycleState(locked.state).label.lower(),
                    "target": CycleState(target).label.lower(),
                }
            )
        before = locked.state
        locked.state = target
        locked.save(update_fields=["state"])
        record(actor, verb, locked, partnership_id=locked.partnership_id, before=before)
    cycle.state = target
    return locked


def open_cycle(cycle: Cycle, *, actor) -> int:
    """Open for responses (also re-opens a closed cycle) and send waiting invitations."""
    if cycle.closes_on < timezone.localdate():
        raise EnquiryError(_("The closing date has passed. Change it before opening."))
    _move(cycle, CycleState.OPEN, actor)
    return send_invitations(cycle)


def close_cycle(cycle: Cycle, *, actor) -> Cycle:
    """Stop accepting answers. Drafts are kept as they are; they are simply not submitted."""
    return _move(cycle, CycleState.CLOSED, actor)


def publish_cycle(cycle: Cycle, *, actor) -> Cycle:
    return _move(cycle, CycleState.PUBLISHED, actor)


# --- invitations -------------------------------------------------------------------


@dataclass
class ImportResult:
    created: list[Invitee]
    errors: list[RowError]
    sent: int = 0


def _link_expiry(cycle: Cycle) -> datetime:
    """A link lasts the invitation period and at least until the cycle closes."""
    return max(timezone.now() + timedelta(days=settings.INVITATION_DAYS), cycle.closing_moment)


def _unusable_hash() -> str:
    # A hash of a token nobody keeps: the real link is minted when the email is sent.
    return token_hash("invitee", secrets.token_urlsafe(32))


def invite_people(cycle: Cycle, rows: list[InviteeRow], *, actor) -> ImportResult:
    """Create invitees from checked rows; emails go now if the cycle is open, else on opening."""
    if cycle.state not in (CycleState.DRAFT, CycleState.OPEN):
        raise EnquiryError(_("Invitations can only be added to a draft or open cycle."))
    with transaction.atomic():
        created = Invitee.objects.bulk_create(
            [
                Invitee(
                    cycle=cycle,
                    email=row.email,
                    name=row.name,
                    role=row.role,
                    organisation=row.organisation,
                    language=row.language,
                    token_hash=_unusable_hash(),
                    expires_at=_link_expiry(cycle),
                )
                for row in rows
            ]
        )
        record(actor, "cycle.invited", cycle, partnership_id=cycle.partnership_id, count=len(rows))
    sent = send_invitations(cycle) if cycle.state == CycleState.OPEN else 0
    return ImportResult(created=created, errors=[], sent=sent)


def import_invitees(cycle: Cycle, *, actor, upload=None, pasted: str = "") -> ImportResult:
    """Check every row first; save only if all rows are good, so a fix-and-retry never
    creates duplicates. Invitees already saved are never touched."""
    rows = read_file(upload) if upload is not None else read_pasted(pasted)
    good, errors = check_rows(cycle, rows)
    if errors:
        return ImportResult(created=[], errors=errors)
    return invite_people(cycle, good, actor=actor)


def _issue_link(invitee: Invitee) -> str:
    """Mint a fresh link token; the earlier one keeps working until it expires."""
    token = secrets.token_urlsafe(32)
    if invitee.sent_at is not None:
        invitee.earlier_token_hashes = f"{invitee.earlier_token_hashes} {invitee.token_hash}"
    invitee.token_hash = token_hash("invitee", token)
    invitee.expires_at = _link_expiry(invitee.cycle)
    return token


def _send_each(invitees, kind: str) -> int:
    """Send one email per invitee; each row is saved only once its email was accepted."""
    sent = 0
    connection = get_connection()
    with connection:
        for invitee in invitees:
            with transaction.atomic():
                token = _issue_link(invitee)
                now = timezone.now()
                if kind == "invitation":
                    invitee.sent_at = now
                else:
                    invitee.reminder_count += 1
                    invitee.last_reminded_at = now
                invitee.save(
                    update_fields=[
                        "token_hash",
                        "earlier_token_hashes",
                        "expires_at",
                        "sent_at",
                        "reminder_count",
                        "last_reminded_at",
                    ]
                )
                connection.send_messages([build_message(kind, invitee, token)])
            sent += 1
    return sent


def send_invitations(cycle: Cycle) -> int:
    """Email everyone not yet emailed. Only an open cycle sends."""
    if cycle.state != CycleState.OPEN:
        return 0
    waiting = cycle.invitees.filter(sent_at__isnull=True).select_related(
        "cycle__partnership", "cycle__framework_version__framework"
    )
    return _send_each(list(waiting), "invitation")


def send_reminders(cycle: Cycle, *, actor=None) -> int:
    """Remind people who have not submitted, at most every REMINDER_GAP and MAX_REMINDERS
    times, so nobody is nagged daily."""
    if not cycle.accepts_responses:
        return 0
    cutoff = timezone.now() - REMINDER_GAP
    due = [
        invitee
        for invitee in cycle.invitees.awaiting()
        .filter(sent_at__isnull=False, reminder_count__lt=MAX_REMINDERS)
        .select_related("cycle__partnership", "cycle__framework_version__framework")
        if (invitee.last_reminded_at or invitee.sent_at) <= cutoff
    ]
    sent = _send_each(due, "reminder")
    if sent:
        record(actor, "cycle.reminded", cycle, partnership_id=cycle.partnership_id, count=sent)
    return sent


def create_public_link(cycle: Cycle, *, actor) -> str:
    """A link anyone may use to start a fresh response; replacing it retires the old one."""
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        cycle.public_link_hash = token_hash("public", token)
        cycle.save(update_fields=["public_link_hash"])
        record(actor, "cycle.public_link", cycle, partnership_id=cycle.partnership_id)
    return token


# --- responding ---------------------------------------------------------------------


@dataclass
class Link:
    """What a respondent's token opens: a draft already begun, or an invitation to start."""

    cycle: Cycle
    response: Response | None = None
    invitee: Invitee | None = None


ALREADY_SUBMITTED = gettext_lazy(
    "You have already submitted your response to this enquiry. Thank you."
)


def _closed_message(cycle: Cycle) -> str:
    return _(
        "This enquiry closed on %(date)s, so answers can no longer be changed or submitted. "
        "Everything you saved before it closed has been kept."
    ) % {"date": formats.date_format(cycle.closes_on, "j F Y")}


def _check_open(cycle: Cycle) -> None:
    if cycle.accepts_responses:
        return
    if cycle.state == CycleState.DRAFT or cycle.opens_on > timezone.localdate():
        raise LinkError("not_open", _("This enquiry has not opened yet."), cycle)
    raise LinkError("closed", _closed_message(cycle), cycle)


def follow_link(token: str) -> Link:
    """Find what a link opens, without changing anything (mail scanners follow links too)."""
    response = (
        Response.objects.select_related("cycle__partnership", "cycle__framework_version")
        .filter(resume_key=token_hash("response", token))
        .first()
    )
    if response is not None:
        _check_open(response.cycle)
        return Link(cycle=response.cycle, response=response)
    if Response.objects.filter(resume_key=token_hash("submitted", token)).exists():
        raise LinkError("used", ALREADY_SUBMITTED)
    invitee = Invitee.objects.by_link(token).select_related("cycle__partnership").first()
    if invitee is None:
        raise LinkError(
            "unknown",
            _(
                "This link is not recognised. Check you copied the whole link from your "
                "email, or ask your partnership lead for a new one."
            ),
        )
    if invitee.completed:
        raise LinkError(
            "used",
            ALREADY_SUBMITTED,
            invitee.cycle,
        )
    if invitee.is_expired:
        raise LinkError(
            "expired",
            _("This link expired on %(date)s. Ask your partnership lead to send you a new one.")
            % {"date": formats.date_format(timezone.localtime(invitee.expires_at), "j F Y")},
            invitee.cycle,
        )
    _check_open(invitee.cycle)
    if invitee.cycle.anonymity_mode != AnonymityMode.ANONYMOUS:
        draft = invitee.responses.drafts().first()
        if draft is not None:
            return Link(cycle=invitee.cycle, response=draft, invitee=invitee)
    return Link(cycle=invitee.cycle, invitee=invitee)


def start_or_resume_response(token: str, *, language: str = "en") -> Response:
    """The draft this link resumes, or a new one. In anonymous cycles the new draft is found
    again only through a hash of the link, never through the invitee."""
    with transaction.atomic():
        link = follow_link(token)
        if link.response is not None:
            response = link.response
            if response.resume_key is None:
                response.resume_key = token_hash("response", token)
                response.save(update_fields=["resume_key"])
            return response
        invitee = Invitee.objects.select_for_update().get(pk=link.invitee.pk)
        cycle = link.cycle
        stamp = _stamp(cycle)
        return Response.objects.create(
            cycle=cycle,
            invitee=None if cycle.is_anonymous else invitee,
            role=invitee.role,
            organisation=invitee.organisation,
            language=language,
            resume_key=token_hash("response", token),
            started_at=stamp,
            updated_at=stamp,
        )


def cycle_for_public_link(token: str) -> Cycle:
    cycle = Cycle.objects.filter(public_link_hash=token_hash("public", token)).first()
    if cycle is None or not token:
        raise LinkError("unknown", _("This link is not recognised or has been replaced."))
    _check_open(cycle)
    return cycle


def start_public_response(
    token: str, *, role: str, organisation: Organisation | None, language: str = "en"
) -> tuple[Response, str]:
    """A fresh response from the public link; returns it with its own private resume token."""
    cycle = cycle_for_public_link(token)
    if role not in (cycle.audience_roles or Role.values):
        raise EnquiryError(_("Choose one of the roles this enquiry asks."))
    if organisation is not None:
        allowed = set(cycle.audience_organisations.values_list("id", flat=True)) or set(
            Membership.objects.current()
            .filter(partnership=cycle.partnership)
            .values_list("organisation_id", flat=True)
        )
        if organisation.pk not in allowed:
            raise EnquiryError(_("Choose one of the organisations this enquiry asks."))
    resume_token = secrets.token_urlsafe(32)
    stamp = _stamp(cycle)
    response = Response.objects.create(
        cycle=cycle,
        role=role,
        organisation=organisation,
        language=language,
        resume_key=token_hash("response", resume_token),
        started_at=stamp,
        updated_at=stamp,
    )
    return response, resume_token


def _check_answerable(response: Response) -> None:
    if response.is_submitted:
        raise LinkError("used", ALREADY_SUBMITTED, response.cycle)
    _check_open(response.cycle)


def save_theme_answers(
    response: Response,
    theme: Theme,
    answers: dict[tuple[int, int | None], AnswerValue],
    *,
    language: str | None = None,
) -> int:
    """Upsert this page's answers; answers on other pages are never touched.

    Idempotent, so a double click saves the same thing twice. Two tabs saving the same
    question: the later save wins for that answer only. Returns how many answers changed.
    """
    questions = {q.id: q for t, qs in themes_for(response) if t.pk == theme.pk for q in qs}
    partner_ids = {p.pk for p in partners_for(response)}
    for question_id, about in answers:
        question = questions.get(question_id)
        if question is None:
            raise EnquiryError(_("That question is not part of this page."))
        is_relationship = question.kind == QuestionKind.RELATIONSHIP
        if is_relationship and about not in partner_ids:
            raise EnquiryError(_("That organisation is not a partner in this enquiry."))
        if not is_relationship and about is not None:
            raise EnquiryError(_("That question is not about a partner organisation."))
    changed = 0
    with transaction.atomic():
        # Locking the response row queues concurrent saves of one response (PostgreSQL).
        locked = Response.objects.select_for_update().select_related("cycle").get(pk=response.pk)
        _check_answerable(locked)
        for (question_id, about), value in answers.items():
            existing = Answer.objects.filter(
                response=locked, question_id=question_id, about_organisation_id=about
            )
            if value.is_empty:
                changed += existing.delete()[0]
                continue
            fields = {
                "option_value": value.option_value,
                "number": value.number,
                "text": value.text,
                "choices": value.choices,
                "dont_know": value.dont_know,
                "evidence_note": value.evidence_note,
                "evidence_link": value.evidence_link,
            }
            if not existing.update(**fields):
                Answer.objects.create(
                    response=locked, question_id=question_id, about_organisation_id=about, **fields
                )
            changed += 1
        locked.updated_at = _stamp(locked.cycle)
        locked.language = language or locked.language
        locked.save(update_fields=["updated_at", "language"])
    response.updated_at = locked.updated_at
    return changed


def submit_response(response: Response, *, token: str | None = None) -> bool:
    """Submit once. Returns False (and changes nothing) if it was already submitted.

    The resume key is replaced by a "submitted" hash of the link, so the link can no longer
    reach the answers but a second click still learns they were submitted. In anonymous
    cycles the invitee is found through the link itself and only flagged complete.
    """
    with transaction.atomic():
        locked = Response.objects.select_for_update().select_related("cycle").get(pk=response.pk)
        if locked.is_submitted:
            return False
        _check_open(locked.cycle)
        gaps = gaps_in(locked)
        if gaps:
            raise EnquiryError(
                ngettext(
                    "%(count)s question still needs an answer or evidence.",
                    "%(count)s questions still need an answer or evidence.",
                    len(gaps),
                )
                % {"count": len(gaps)}
            )
        locked.state = ResponseState.SUBMITTED
        locked.submitted_at = _stamp(locked.cycle)
        locked.updated_at = locked.submitted_at
        locked.resume_key = token_hash("submitted", token) if token else None
        locked.save(update_fields=["state", "submitted_at", "updated_at", "resume_key"])
        if locked.invitee_id:
            Invitee.objects.filter(pk=locked.invitee_id).update(completed=True)
        elif token:
            Invitee.objects.by_link(token).filter(cycle_id=locked.cycle_id).update(completed=True)
        # Inside the transaction, not on_commit: what receivers derive from the answers (the
        # insights aggregates) is then counted exactly once, together with the submission.
        response_submitted.send(sender=Response, response=locked)
    response.state = locked.state
    response.resume_key = locked.resume_key
    return True


# --- private reflection ---------------------------------------------------------------


def prompts_for(user, cycle: Cycle) -> list[ReflectionPrompt]:
    from partnerlens.directory.access import roles_of

    roles = roles_of(user, cycle.partnership)
    prompts = ReflectionPrompt.objects.filter(version=cycle.framework_version)
    return [p for p in prompts if not p.roles or roles & set(p.roles)]


def save_reflections(user, cycle: Cycle, texts: dict[int, str]) -> int:
    """Keep the author's own reflections; a blank text removes that reflection."""
    prompts = {p.pk: p for p in prompts_for(user, cycle)}
    saved = 0
    with transaction.atomic():
        for prompt_id, text in texts.items():
            if prompt_id not in prompts:
                raise EnquiryError(_("That reflection prompt is not part of this cycle."))
            text = text.strip()
            mine = Reflection.objects.filter(user=user, prompt_id=prompt_id, cycle=cycle)
            if not text:
                mine.delete()
                continue
            if not mine.update(text=text, updated_at=timezone.now()):
                Reflection.objects.create(user=user, prompt_id=prompt_id, cycle=cycle, text=text)
            saved += 1
    return saved


def export_reflections(user, fmt: str = "csv") -> str:
    """The author's own reflections as CSV or plain text: their record, nobody else's."""
    reflections = (
        Reflection.objects.of(user)
        .select_related("prompt__version__framework", "cycle__partnership")
        .order_by("cycle__opens_on", "prompt__order", "pk")
    )
    if fmt == "txt":
        blocks = []
        for r in reflections:
            where = f"{r.cycle.partnership.name}: {r.cycle.title}" if r.cycle else ""
            blocks.append(
                f"{r.prompt.version.framework.name_en} {where}\n"
                f"{timezone.localtime(r.updated_at):%Y-%m-%d}\n"
                f"Q: {r.prompt.text}\n\n{r.text}\n"
            )
        return "\n\n".join(blocks)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["framework", "partnership", "cycle", "prompt", "reflection", "updated"])
    for r in reflections:
        writer.writerow(
            [
                r.prompt.version.framework.name_en,
                r.cycle.partnership.name if r.cycle else "",
                r.cycle.title if r.cycle else "",
                r.prompt.text,
                r.text,
                timezone.localtime(r.updated_at).isoformat(timespec="minutes"),
            ]
        )
    return out.getvalue()
