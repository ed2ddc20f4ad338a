"""The email telling the indicator's named people that it fired for a school.

Who: everyone with a current role in the partnership of one of the indicator's
``notify_roles``; a role held for one member school (a headteacher's) counts only for that
school. One message per person, through the outbox (stored, then sent by the task worker
with retries), with ``X-Partnerlens-Reference: trigger:<pk>`` so the trigger's page shows
whether it went. People have no stored language, so, as every Partnerlens email, it is in
both: Welsh first for a school in Wales, English first otherwise. Each half is built with its
language active, so the indicator's name and what the tier brings are the Welsh typed in the
Welsh half (the English where none was typed), and the built-in wording in that language.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, translation

from partnerlens.core.emails import bilingual_email
from partnerlens.directory.models import Nation, PartnershipRole
from partnerlens.outbox.models import OutgoingMail
from partnerlens.outbox.services import REFERENCE_HEADER
from partnerlens.triggers.defaults import BUILT_IN_SUPPORT
from partnerlens.triggers.models import Trigger


def recipients(trigger: Trigger) -> list[str]:
    """The addresses of the people the trigger's indicator names, for its school."""
    roles = trigger.indicator.notify_roles or []
    emails = (
        PartnershipRole.objects.current()
        .filter(partnership_id=trigger.partnership_id, role__in=roles, user__is_active=True)
        .filter(Q(organisation__isnull=True) | Q(organisation_id=trigger.organisation_id))
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted({email.lower() for email in emails})


def reference(trigger: Trigger) -> str:
    return f"trigger:{trigger.pk}"


def _link(trigger: Trigger, language: str) -> str:
    with translation.override(language):
        path = reverse("triggers:detail", args=[trigger.partnership_id, trigger.pk])
    return f"{settings.SITE_URL}{path}"


def message(trigger: Trigger, to: str) -> EmailMessage:
    school = trigger.organisation
    first = "cy" if school.nation == Nation.WALES else "en"

    def context(code):
        return {
            "trigger": trigger,
            "indicator": trigger.indicator.label,
            "school": school.name,
            "tier": trigger.get_tier_display(),
            "support": trigger.support or BUILT_IN_SUPPORT[trigger.tier],
            "deadline": formats.date_format(trigger.deadline, "j F Y"),
            "link": _link(trigger, code),
        }

    return bilingual_email(
        "triggers/email/raised",
        first,
        context,
        to=[to],
        headers={REFERENCE_HEADER: reference(trigger)},
    )


def send_notices(trigger: Trigger) -> int:
    """Queue one email per named person (the outbox sends it once the caller commits)."""
    sent = 0
    for address in recipients(trigger):
        message(trigger, address).send()
        sent += 1
    return sent


def deliveries(trigger: Trigger) -> list[OutgoingMail]:
    """The trigger's emails, each with its address and whether it went."""
    return list(
        OutgoingMail.objects.filter(reference=reference(trigger)).defer("mime").order_by("pk")
    )
