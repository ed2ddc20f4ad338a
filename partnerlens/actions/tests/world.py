"""Partnership A's action plan for the project-wide world (``partnerlens/tests/world.py``):
an action owned by A's plain member, with an update and a document as evidence, an activity
and a realised benefit, all made through the actions services."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from partnerlens.actions.services.evidence import add_evidence
from partnerlens.actions.services.plans import add_update, create_action
from partnerlens.actions.services.records import record_activity, record_benefit

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def build(a, lead, owner, schools) -> dict:
    today = timezone.localdate()
    action = create_action(
        a,
        actor=lead,
        title="Northside moderation days",
        owner=owner,
        schools=schools[:2],
        start_on=today - timedelta(days=30),
        due_on=today + timedelta(days=30),
        success_kind="theme",
        success_code="purpose",
    )
    add_update(action, actor=owner, text="First day held at Ash", noted_on=today)
    activity = record_activity(
        a,
        actor=lead,
        schools=schools,
        title="Northside heads' away day",
        kind="meeting",
        held_on=today,
        hours=24,
        cost=180,
    )
    upload = SimpleUploadedFile("moderation.pdf", PDF, content_type="application/pdf")
    evidence = add_evidence(
        a,
        actor=lead,
        kind="document",
        title="Northside moderation notes",
        upload=upload,
        content_type="application/pdf",
        themes=["purpose"],
        actions=[action],
        activities=[activity],
    )
    benefit = record_benefit(
        a,
        actor=lead,
        category="cpd",
        state="realised",
        description="Shared moderation of writing",
        evidence=[evidence],
    )
    return {"action": action, "evidence": evidence, "activity": activity, "benefit": benefit}


def keep_file(world: dict) -> None:
    """Store the world's evidence document again: a world restored from its snapshot has the
    rows but not the files, and a test that moves MEDIA_ROOT has none of them."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = world["evidence"].file.name
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(PDF))
