"""Responses: following a link, starting or resuming a draft, saving pages, submitting.

Each function owns its transaction. Errors a person can fix are raised as ``EnquiryError``
(or ``LinkError`` for respondent links) carrying a message fit to show them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from partnerlens.core.tokens import hash_token
from partnerlens.directory.models import Membership, Organisation, Role
from partnerlens.enquiries.errors import EnquiryError, LinkError
from partnerlens.enquiries.models import (
    AnonymityMode,
    Answer,
    Channel,
    Cycle,
    CycleState,
    Invitee,
    Response,
    ResponseState,
)
from partnerlens.enquiries.receipts import has_submitted, record_receipt
from partnerlens.enquiries.responding import AnswerValue, gaps_in, partners_for, themes_for
from partnerlens.enquiries.signals import response_submitted
from partnerlens.frameworks.models import QuestionKind, Theme


def _stamp(cycle: Cycle) -> datetime:
    """Now, or in anonymous cycles midnight today, so times cannot single anyone out."""
    now = timezone.now()
    if cycle.anonymity_mode == AnonymityMode.ANONYMOUS:
        local = timezone.localtime(now)
        return local.replace(hour=0, minute=0, second=0, microsecond=0)
    return now


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
        .filter(resume_key=hash_token(token, purpose="response"))
        .first()
    )
    if response is not None:
        _check_open(response.cycle)
        return Link(cycle=response.cycle, response=response)
    if Response.objects.filter(resume_key=hash_token(token, purpose="submitted")).exists():
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
                response.resume_key = hash_token(token, purpose="response")
                response.save(update_fields=["resume_key"])
            return response
        cycle = link.cycle
        if cycle.is_anonymous:
            # No lock: on PostgreSQL locking a row writes the locker's transaction id into
            # it, which would match the draft created here. The unique resume key keeps a
            # double click from making two drafts.
            return _new_anonymous_draft(cycle, link.invitee, token, language)
        invitee = Invitee.objects.select_for_update().get(pk=link.invitee.pk)
        # Looked for again under the lock: a double click's first request may have made the
        # draft while this one waited (tests/test_crash_safety.py).
        draft = invitee.responses.drafts().first()
        if draft is not None:
            return draft
        stamp = _stamp(cycle)
        return Response.objects.create(
            cycle=cycle,
            invitee=invitee,
            role=invitee.role,
            organisation=invitee.organisation,
            language=language,
            resume_key=hash_token(token, purpose="response"),
            started_at=stamp,
            updated_at=stamp,
        )


def _new_anonymous_draft(cycle: Cycle, invitee: Invitee, token: str, language: str) -> Response:
    stamp = _stamp(cycle)
    key = hash_token(token, purpose="response")
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


def cycle_for_open_link(token: str) -> Cycle:
    cycle = Cycle.objects.filter(open_link_hash=hash_token(token, purpose="public")).first()
    if cycle is None or not token:
        raise LinkError("unknown", _("This link is not recognised or has been replaced."))
    _check_open(cycle)
    return cycle


def start_open_link_response(
    token: str, *, role: str, organisation: Organisation | None, language: str = "en"
) -> tuple[Response, str]:
    """A fresh response from the open link; returns it with its own private resume token."""
    cycle = cycle_for_open_link(token)
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
        resume_key=hash_token(resume_token, purpose="response"),
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
    partner_ids = None  # read only for a page that asks about partners
    for question_id, about in answers:
        question = questions.get(question_id)
        if question is None:
            raise EnquiryError(_("That question is not part of this page."))
        is_relationship = question.kind == QuestionKind.RELATIONSHIP
        if is_relationship and partner_ids is None:
            partner_ids = {p.pk for p in partners_for(response)}
        if is_relationship and about not in partner_ids:
            raise EnquiryError(_("That organisation is not a partner in this enquiry."))
        if not is_relationship and about is not None:
            raise EnquiryError(_("That question is not about a partner organisation."))
    with transaction.atomic():
        # Locking the response row queues concurrent saves of one response (PostgreSQL), so
        # the answers read here are still the stored ones when the bulk writes below run.
        # Only that row (``of``): locking the joined cycle too made every page saved in a
        # cycle wait for the one before. A submission still locks the cycle.
        locked = (
            Response.objects.select_for_update(of=("self",))
            .select_related("cycle")
            .get(pk=response.pk)
        )
        _check_answerable(locked)
        changed = _write_answers(locked, answers)
        locked.updated_at = _stamp(locked.cycle)
        locked.language = language or locked.language
        locked.save(update_fields=["updated_at", "language"])
    response.updated_at = locked.updated_at
    return changed


ANSWER_FIELDS = (
    "option_value",
    "number",
    "text",
    "choices",
    "dont_know",
    "evidence_note",
    "evidence_link",
)


def _write_answers(locked: Response, answers: dict[tuple[int, int | None], AnswerValue]) -> int:
    """One page's answers in at most four queries (read, delete, update, insert), whatever
    their number. Counts deleted rows and every answer given, as one write each did."""
    stored = {
        (a.question_id, a.about_organisation_id): a
        for a in Answer.objects.filter(
            response=locked, question_id__in={question_id for question_id, _ in answers}
        ).order_by()
    }
    cleared, updated, created = [], [], []
    for key, value in answers.items():
        answer = stored.get(key)
        if value.is_empty:
            if answer is not None:
                cleared.append(answer.pk)
            continue
        if answer is None:
            answer = Answer(response=locked, question_id=key[0], about_organisation_id=key[1])
            created.append(answer)
        else:
            updated.append(answer)
        for name in ANSWER_FIELDS:
            setattr(answer, name, getattr(value, name))
    deleted = Answer.objects.filter(pk__in=cleared).delete()[0] if cleared else 0
    if updated:
        Answer.objects.bulk_update(updated, ANSWER_FIELDS)
    if created:
        Answer.objects.bulk_create(created)
    return deleted + len(updated) + len(created)


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
        locked.resume_key = hash_token(token, purpose="submitted") if token else None
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
