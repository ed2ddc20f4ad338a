"""Erasure: remove every trace of one person, found by email address, from the database.

What goes and what stays (docs/privacy/subject-rights.md says why):

- Invitations to answer: anonymised in place. The row keeps its role and school, because
  the anonymity audit counts who was invited to each group and every later release must
  be audited against the same counts (docs/anonymity.md). Their responses are unlinked
  and kept, so results, aggregates and releases stay as published; in named and
  confidential cycles, where an answer could be tied to the person, the free text they
  wrote is emptied (scores and chosen options stay). In anonymous cycles nothing ties an
  answer to anyone, so nothing there is theirs to find.
- Role invitations, mail to the address, sign-in records, sessions, second factors,
  private reflections and subject exports about them: deleted.
- The account: anonymised in place (no name, no address, an unusable password, inactive),
  so the partnership's records of who did what keep a nameless author and no foreign
  key breaks. Notes and reasons the person wrote are emptied; their API tokens revoked.
- The audit log is append-only and never holds an address (``audit.services.record``
  stores a pseudonym): erasure deletes the pseudonym's link, so its entries point at
  nobody, and the account they link to has no name.

``erase`` runs in one transaction and returns what it changed, by kind.
"""

from __future__ import annotations

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnerlens.api.models import ApiToken
from partnerlens.audit import verbs
from partnerlens.audit.services import forget, record
from partnerlens.brokerage.models import AreaAssessment, ProgressNote
from partnerlens.directory.models import RoleInvitation
from partnerlens.enquiries.models import Answer, Invitee, Reflection, Response
from partnerlens.privacy import retention, subjects
from partnerlens.privacy.models import SubjectExport


def _invitees(address: str) -> dict[str, int]:
    invitees = Invitee.objects.filter(email__iexact=address)
    responses = Response.objects.filter(invitee__in=invitees)
    texts = Answer.objects.filter(response__in=responses).exclude(
        text="", evidence_note="", evidence_link=""
    )
    return {
        "answer_texts": texts.update(text="", evidence_note="", evidence_link=""),
        "resume_keys": responses.filter(resume_key__isnull=False).update(resume_key=None),
        "invitees": retention.anonymise_invitees(invitees),
    }


def _account(user) -> dict[str, int]:
    names = [n for n in (user.get_full_name(), user.get_username()) if n.strip()]
    repr_about = Q(user=user)
    for name in [user.email, *names]:
        if name:
            repr_about |= Q(object_repr__icontains=name) | Q(change_message__icontains=name)
    counts = {
        "sessions": sum(1 for s in subjects.user_sessions(user, live_only=False) if s.delete()),
        "second_factors": TOTPDevice.objects.filter(user=user).delete()[0]
        + StaticDevice.objects.filter(user=user).delete()[0],
        "reflections": Reflection.objects.filter(user=user).delete()[0],
        "progress_notes": ProgressNote.objects.filter(author=user).exclude(text="").update(text=""),
        "need_adjustments": AreaAssessment.objects.filter(adjusted_by=user)
        .exclude(adjustment_reason="")
        .update(adjustment_reason=""),
        "api_tokens": ApiToken.objects.filter(created_by=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=user
        )
        + ApiToken.objects.filter(created_by=user).exclude(name="").update(name=""),
        "admin_log": LogEntry.objects.filter(repr_about).delete()[0],
        "sign_in_log": AccessLog.objects.filter(username__iexact=user.get_username()).delete()[0]
        + AccessAttempt.objects.filter(username__iexact=user.get_username()).delete()[0]
        + AccessFailureLog.objects.filter(username__iexact=user.get_username()).delete()[0],
        "mail_naming": subjects.mail_to(user.email.lower(), tuple(names)).delete()[0]
        if user.email
        else 0,
    }
    user.username = f"erased-{user.pk}"
    user.first_name = user.last_name = user.email = ""
    user.is_active = False
    user.set_unusable_password()
    user.save(
        update_fields=["username", "first_name", "last_name", "email", "is_active", "password"]
    )
    counts["account"] = 1
    return counts


def erase(email: str, *, actor) -> dict[str, int]:
    """Erase everything held about the person with this address; returns counts by kind."""
    subject = subjects.find(email)
    address = subject.email
    names = Q(username__iexact=address)
    with transaction.atomic():
        counts = _invitees(address)
        counts["role_invitations"] = RoleInvitation.objects.filter(email__iexact=address).delete()[
            0
        ]
        counts["mail"] = subjects.mail_to(address).delete()[0]
        counts["sign_in_records"] = (
            AccessAttempt.objects.filter(names).delete()[0]
            + AccessLog.objects.filter(names).delete()[0]
            + AccessFailureLog.objects.filter(names).delete()[0]
        )
        counts["subject_exports"] = retention.delete_exports(
            SubjectExport.objects.filter(subject__iexact=address)
        )
        if subject.user is not None:
            counts.update(_account(subject.user))
        counts["audit_pseudonym"] = forget(address)
        record(actor, verbs.PRIVACY_ERASED, None, **counts)
    return counts


def preview(email: str) -> dict[str, int]:
    """What ``erase`` would change, for the confirmation page (nothing is changed)."""
    subject = subjects.find(email)
    address = subject.email
    return {
        "account": int(subject.user is not None),
        "invitees": Invitee.objects.filter(email__iexact=address).count(),
        "role_invitations": RoleInvitation.objects.filter(email__iexact=address).count(),
        "mail": subjects.mail_to(address).count(),
    }


def is_erased(user) -> bool:
    return not user.is_active and user.get_username() == f"erased-{user.pk}"
