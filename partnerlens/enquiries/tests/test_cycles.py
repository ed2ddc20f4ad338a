from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from partnerlens.audit.models import AuditEvent
from partnerlens.directory.models import Role
from partnerlens.enquiries.errors import EnquiryError
from partnerlens.enquiries.models import CycleState
from partnerlens.enquiries.services.cycles import (
    close_cycle,
    create_cycle,
    open_cycle,
    publish_cycle,
)


def test_a_cycle_starts_as_a_draft_with_its_audience(make_cycle, cluster):
    cycle = make_cycle("named")
    assert cycle.state == CycleState.DRAFT
    assert set(cycle.audience_organisations.all()) == set(cluster["schools"])
    assert cycle.audience_roles == [Role.TEACHER, Role.HEADTEACHER]


def test_only_a_published_framework_version_can_be_used(make_framework, cluster):
    draft = make_framework("draft-only", published=False)
    with pytest.raises(EnquiryError, match="published framework"):
        create_cycle(
            cluster["a"],
            actor=cluster["lead_a"],
            framework_version=draft,
            title="Too soon",
            opens_on=timezone.localdate(),
            closes_on=timezone.localdate(),
        )


def test_another_partnerships_flexed_framework_cannot_be_used(make_framework, cluster):
    theirs = make_framework("theirs", owner=cluster["b"])
    with pytest.raises(EnquiryError, match="another partnership"):
        create_cycle(
            cluster["a"],
            actor=cluster["lead_a"],
            framework_version=theirs,
            title="Borrowed",
            opens_on=timezone.localdate(),
            closes_on=timezone.localdate(),
        )


def test_the_audience_must_be_current_members(make_cycle, cluster):
    with pytest.raises(EnquiryError, match="Southside Academy"):
        make_cycle(audience_organisations=[cluster["school_b"]])


def test_closing_before_opening_is_refused(make_cycle):
    today = timezone.localdate()
    with pytest.raises(EnquiryError, match="closing date"):
        make_cycle(opens_on=today, closes_on=today - timedelta(days=1))


def test_a_cycle_moves_draft_open_closed_published_and_each_step_is_audited(
    make_cycle, cluster, smtp_server
):
    cycle = make_cycle()
    open_cycle(cycle, actor=cluster["lead_a"])
    close_cycle(cycle, actor=cluster["lead_a"])
    publish_cycle(cycle, actor=cluster["lead_a"])
    cycle.refresh_from_db()
    assert cycle.state == CycleState.PUBLISHED
    verbs = list(
        AuditEvent.objects.filter(object_type="Cycle", object_id=str(cycle.pk))
        .order_by("id")
        .values_list("verb", "actor__username", "detail__before")
    )
    assert verbs == [
        ("cycle.created", "lead_a", None),
        ("cycle.opened", "lead_a", "draft"),
        ("cycle.closed", "lead_a", "open"),
        ("cycle.published", "lead_a", "closed"),
    ]


def test_a_draft_cannot_be_published_or_closed(make_cycle, cluster):
    cycle = make_cycle()
    with pytest.raises(EnquiryError, match="draft cycle cannot become published"):
        publish_cycle(cycle, actor=cluster["lead_a"])
    with pytest.raises(EnquiryError, match="cannot become closed"):
        close_cycle(cycle, actor=cluster["lead_a"])
    cycle.refresh_from_db()
    assert cycle.state == CycleState.DRAFT
