"""Blind receipts: who has submitted in an anonymous cycle, without a trace on the invitee.

In an anonymous cycle a submission writes nothing to any invitee row. Writing a flag there
(as named and confidential cycles do) would put the invitee and the response in one
transaction: on PostgreSQL both rows then carry the same ``xmin``, and a dump lists them in
the same order. Instead the submission adds a *receipt* to the cycle's one ``ReceiptSet``
row: ``HMAC(key, "receipt:<cycle>:<invitee>")``, cut to 128 bits, kept sorted.

- Without the key (``settings.ANONYMITY_KEY``, never stored in the database) a receipt
  matches no invitee: the database shows only how many invitees have submitted.
- With the key, reminders recompute each invitee's receipt to skip those who answered. So
  the key holder can learn *who* has answered, never *which* response is theirs: the set
  is sorted and lives in one row, so no row order or transaction id pairs a receipt with
  a response.
- The set is deleted when the cycle is published; from then on not even the key holder
  can tell who answered.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

from partnerlens.enquiries.models import Cycle, Invitee, ReceiptSet

DIGEST_CHARS = 32  # 128 bits: collisions are out of reach for any cycle's size


def anonymity_key() -> bytes:
    """The receipt key: ANONYMITY_KEY, or one derived from SECRET_KEY when it is unset.

    Set ANONYMITY_KEY in production so that rotating SECRET_KEY does not make reminders
    go to people who have already answered.
    """
    configured = getattr(settings, "ANONYMITY_KEY", "")
    if configured:
        return configured.encode()
    return hmac.new(
        settings.SECRET_KEY.encode(), b"partnerlens.enquiries.anonymity", hashlib.sha256
    ).digest()


def receipt_for(cycle_id: int, invitee_id: int, key: bytes | None = None) -> str:
    message = f"receipt:{cycle_id}:{invitee_id}".encode()
    digest = hmac.new(key or anonymity_key(), message, hashlib.sha256).hexdigest()
    return digest[:DIGEST_CHARS]


def record_receipt(cycle: Cycle, invitee_id: int) -> None:
    """Add the invitee's receipt; call inside the submission's transaction."""
    ReceiptSet.objects.get_or_create(cycle_id=cycle.pk)
    receipts = ReceiptSet.objects.select_for_update().get(cycle_id=cycle.pk)
    digests = receipts.digest_set | {receipt_for(cycle.pk, invitee_id)}
    receipts.digests = " ".join(sorted(digests))
    receipts.save(update_fields=["digests"])


def receipts_of(cycle: Cycle) -> set[str]:
    found = ReceiptSet.objects.filter(cycle_id=cycle.pk).values_list("digests", flat=True).first()
    return set((found or "").split())


def has_submitted(invitee: Invitee) -> bool:
    return receipt_for(invitee.cycle_id, invitee.pk) in receipts_of(invitee.cycle)


def responders_among(cycle: Cycle, invitees) -> set[int]:
    """The ids of those invitees who have submitted (reminders skip them)."""
    receipts = receipts_of(cycle)
    key = anonymity_key()
    return {i.pk for i in invitees if receipt_for(cycle.pk, i.pk, key) in receipts}


def forget_receipts(cycle: Cycle) -> None:
    """Drop the receipts once nobody can respond or be reminded any more (publication)."""
    ReceiptSet.objects.filter(cycle_id=cycle.pk).delete()
