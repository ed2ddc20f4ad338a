"""The demo's network step: every demo partnership's network, the Trafford partnership first.

Each partnership gets a snapshot as it stood a year ago, computed here, and today's, asked
for on the task queue: the demo's results are released by the worker, which runs the releases
queued by the enquiry step before this request, so today's network holds their answers.
Under tests the queue runs at once. The step runs once (``NETWORK_BUILT``).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from partnerlens.demo.builder import BROKERAGE_BUILT
from partnerlens.demo.models import DemoStep
from partnerlens.demo.partnerships import demo_lead, demo_partnerships
from partnerlens.directory.models import Partnership
from partnerlens.network.services import compute_snapshot, request_snapshot

NETWORK_BUILT = "network"
YEAR_AGO = timedelta(days=365)


def network_partnerships() -> list[Partnership]:
    """The Trafford partnership (from the brokerage step), then the other demo partnerships."""
    trafford = DemoStep.detail_of(BROKERAGE_BUILT).get("partnership")
    found = Partnership.objects.filter(pk=trafford).first() if trafford else None
    others = sorted(demo_partnerships().values(), key=lambda p: p.pk)
    return ([found] if found else []) + [p for p in others if p.pk != trafford]


@transaction.atomic
def build_network_demo() -> str:
    lead = demo_lead()
    partnerships = network_partnerships()
    past = timezone.localdate() - YEAR_AGO
    for partnership in partnerships:
        compute_snapshot(partnership, past)
        request_snapshot(partnership, actor=lead)
    DemoStep.mark(NETWORK_BUILT, partnerships=[p.pk for p in partnerships])
    if not partnerships:
        return "no demo partnerships, so no networks"
    return (
        f"{len(partnerships)} partnership{'' if len(partnerships) == 1 else 's'} "
        f"({', '.join(p.name for p in partnerships)}): a year ago, and today's queued"
    )
