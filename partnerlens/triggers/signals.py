"""Evaluate right after new figures arrive: an import of outcome data, or a release.

Both already write an audit entry (``data_imported`` by ``import_data``, ``insights.released``
by ``make_release``), so triggers listens for those entries instead of reaching into the
apps below it. The evaluations are asked for once the import or release commits; a dry run
(rolled back) asks for none.
"""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction
from django.db.models.signals import post_save

from partnerlens.audit import verbs
from partnerlens.audit.models import AuditEvent
from partnerlens.triggers import evaluation as engine

logger = logging.getLogger(__name__)

THEME_KINDS = (engine.THEME_DROP,)


def _ask(kinds, only=None) -> None:
    from partnerlens.triggers.services.evaluating import partnerships_watching, request_evaluation
    from partnerlens.triggers.services.schedule import ensure_scheduled

    watching = [pk for pk in partnerships_watching(kinds) if only is None or pk == only]
    for partnership_id in watching:
        request_evaluation(partnership_id)
    if watching:
        ensure_scheduled()  # restarts the daily chain if it has died (e.g. a lost queue)


def on_audit_event(sender, instance: AuditEvent, created: bool, **kwargs) -> None:
    if not created:
        return
    if instance.verb == verbs.DATA_IMPORTED:
        transaction.on_commit(partial(_ask, None), robust=True)
    elif instance.verb == verbs.INSIGHTS_RELEASED and instance.partnership_id:
        transaction.on_commit(partial(_ask, THEME_KINDS, instance.partnership_id), robust=True)


def connect() -> None:
    post_save.connect(on_audit_event, sender=AuditEvent, dispatch_uid="triggers.on_audit_event")
