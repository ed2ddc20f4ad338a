"""Evaluate right after new figures arrive: an import of outcome data, or a release.

The directory's import runner sends ``data_imported`` and insights' ``make_release`` sends
``release_made`` (both inside their transactions), so triggers hears of them without
reaching into the apps below it. The evaluations are asked for once the import or release
commits; a dry run (rolled back) asks for none.
"""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction

from partnerlens.directory.signals import data_imported
from partnerlens.insights.signals import release_made
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


def on_import(sender, **kwargs) -> None:
    transaction.on_commit(partial(_ask, None), robust=True)


def on_release(sender, release, cycle, **kwargs) -> None:
    transaction.on_commit(partial(_ask, THEME_KINDS, cycle.partnership_id), robust=True)


def connect() -> None:
    data_imported.connect(on_import, dispatch_uid="triggers.on_import")
    release_made.connect(on_release, dispatch_uid="triggers.on_release")
