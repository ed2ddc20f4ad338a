"""Workflows of an enquiry cycle. Each function owns its transaction and writes the audit log.

Errors a person can fix are raised as ``EnquiryError`` (or ``LinkError`` for respondent
links) carrying a message fit to show them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from partnerlens.audit.services import record
from partnerlens.directory.models import Membership, Organisation, Partnership, Role
from partnerlens.enquiries.errors import EnquiryError, LinkError
from partnerlens.enquiries.invitations import MAX_REMINDERS as MAX_REMINDERS
from partnerlens.enquiries.invitations import REMINDER_GAP as REMINDER_GAP
from partnerlens.enquiries.invitations import ImportResult as ImportResult
from partnerlens.enquiries.invitations import create_public_link as create_public_link
from partnerlens.enquiries.invitations import import_invitees as import_invitees
from partnerlens.enquiries.invitations import invite_people as invite_people
from partnerlens.enquiries.invitations import send_invitations
from partnerlens.enquiries.invitations import send_reminders as send_reminders
from partnerlens.enquiries.models import (
    AnonymityMode,
    Answer,
    Channel,
    Cycle,
    CycleState,
    Invitee,
    Response,
    ResponseState,
    token_hash,
)
from partnerlens.enquiries.receipts import (
    forget_receipts,
    has_submitted,
    record_receipt,
)
from partnerlens.enquiries.reflections import export_reflections as export_reflections
from partnerlens.enquiries.reflections import prompts_for as prompts_for
from partnerlens.enquiries.reflections import save_reflections as save_reflections
from partnerlens.enquiries.responding import AnswerValue, gaps_in, partners_for, themes_for
from partnerlens.enquiries.signals import cycle_state_changed, response_submitted
from partnerlens.frameworks.models import FrameworkVersion, QuestionKind, Theme


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
        cycle_state_changed.send(
            sender=Cycle, cycle=locked, before=before, target=target, actor=actor
        )
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
    """Publish results. A published cycle never takes responses or sends reminders again,
    so an anonymous cycle's receipts (who has answered) are deleted with it."""
    with transaction.atomic():
        published = _move(cycle, CycleState.PUBLISHED, actor)
        forget_receipts(published)
    return published


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
    cycle = invitee.cycle
    if has_submitted(invitee) if cycle.is_anonymous else invitee.completed:
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
        cycle = link.cycle
        if cycle.is_anonymous:
            # No lock: on PostgreSQL locking a row writes the locker's transaction id into
            # it, which would match the draft created here. The unique resume key keeps a
            # double click from making two drafts.
            return _new_anonymous_draft(cycle, link.invitee, token, language)
        invitee = Invitee.objects.select_for_update().get(pk=link.invitee.pk)
        stamp = _stamp(cycle)
        return Response.objects.create(
            cycle=cycle,
            invitee=invitee,
            role=invitee.role,
            organisation=invitee.organisation,
            language=language,
            resume_key=token_hash("response", token),
            started_at=stamp,
            updated_at=stamp,
        )


def _new_anonymous_draft(cycle: Cycle, invitee: Invitee, token: str, language: str) -> Response:
    stamp = _stamp(cycle)
    key = token_hash("response", token)
    try:
        with transaction.atomic():
            return Response.objects.create(
                cycle=cycle,
                role=invitee.role,
                organisation=invitee.organisation,
                language=language,
                resume_key=key,
                started_at=stamp,
                updated_at=stamp,
            )
    except IntegrityError:
        return Response.objects.get(resume_key=key)


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
        channel=Channel.OPEN_LINK,
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
    cycles no invitee row is written: the invitee is found (read only) through the link and
    a blind receipt is added to the cycle's receipt set (see ``receipts.py``).
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
        if locked.cycle.is_anonymous:
            invitee_id = (
                Invitee.objects.by_link(token)
                .filter(cycle_id=locked.cycle_id)
                .values_list("pk", flat=True)
                .first()
                if token and locked.channel == Channel.INVITED
                else None
            )
            if invitee_id is not None:
                record_receipt(locked.cycle, invitee_id)
        elif locked.invitee_id:
            Invitee.objects.filter(pk=locked.invitee_id).update(completed=True)
        # Inside the transaction, not on_commit: what receivers derive from the answers (the
        # insights aggregates) is then counted exactly once, together with the submission.
        response_submitted.send(sender=Response, response=locked)
    response.state = locked.state
    response.resume_key = locked.resume_key
    return True
