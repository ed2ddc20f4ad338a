"""Notices to both schools when a broker agrees a pair or ends their support.

One message per school, to that school's leaders in the partnership (headteacher and senior
leader roles). Like the other emails, each language has its own templates and both are in
every message: Welsh first for a school in Wales, English first otherwise. Each message
carries `X-Partnerlens-Reference` so the outbox can show whether it went.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import formats, translation

from partnerlens.brokerage.models import SupportRelationship, area_label
from partnerlens.core.emails import bilingual_email
from partnerlens.directory.access import SCHOOL_LEAD_ROLES
from partnerlens.directory.models import Nation, Organisation, PartnershipRole
from partnerlens.outbox.services import REFERENCE_HEADER


def school_contacts(partnership_id: int, organisation: Organisation) -> list[str]:
    """The email addresses of the school's current leaders in the partnership."""
    emails = (
        PartnershipRole.objects.current()
        .filter(
            partnership_id=partnership_id,
            organisation=organisation,
            role__in=SCHOOL_LEAD_ROLES,
            user__is_active=True,
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted({email.lower() for email in emails})


def _support_link(relationship: SupportRelationship, language: str) -> str:
    with translation.override(language):
        path = reverse(
            "brokerage:support_detail",
            kwargs={"pk": relationship.partnership_id, "support_pk": relationship.pk},
        )
    return f"{settings.SITE_URL}{path}"


def _message(kind: str, relationship: SupportRelationship, school, to, reference, extra):
    first = "cy" if school.nation == Nation.WALES else "en"

    def context(code):
        return {
            "partnership": relationship.partnership,
            "supporter": relationship.supporter,
            "supported": relationship.supported,
            "school": school,
            "area": area_label(relationship.area),
            "started": formats.date_format(relationship.started_on, "j F Y"),
            "link": _support_link(relationship, code),
            **{k: (v() if callable(v) else v) for k, v in extra.items()},
        }

    return bilingual_email(
        f"brokerage/email/{kind}", first, context, to=to, headers={REFERENCE_HEADER: reference}
    )


def _notices(kind, relationship, reference, extra) -> list[EmailMessage]:
    messages = []
    for school in (relationship.supporter, relationship.supported):
        to = school_contacts(relationship.partnership_id, school)
        if to:
            messages.append(_message(kind, relationship, school, to, reference, extra))
    return messages


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else "Partnerlens"


def match_accepted(relationship: SupportRelationship, *, proposal_pk: int, actor):
    """Both schools' notices that the pair was agreed (reference ``match:<proposal>``)."""
    return _notices("match_accepted", relationship, f"match:{proposal_pk}", {"actor": _name(actor)})


def support_ended(relationship: SupportRelationship, *, actor):
    """Both schools' notices that the support ended, with the reason (``support:<pk>``)."""
    extra = {
        "actor": _name(actor),
        "ended": lambda: formats.date_format(relationship.ended_on, "j F Y"),
        "status": lambda: relationship.get_status_display(),
        "reason": relationship.end_reason,
    }
    return _notices("support_ended", relationship, f"support:{relationship.pk}", extra)
