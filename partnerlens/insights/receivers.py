"""What insights does when something happens below it (connected in ``apps.ready``)."""

from __future__ import annotations

from partnerlens.insights.aggregates import add_responses


def count_submitted_response(sender, response, **kwargs) -> None:
    """Add a just-submitted response to the aggregates, inside the submission's transaction.

    If this fails the submission fails with it, so the aggregates never miss a response
    that the respondent was told was received.
    """
    add_responses([response.pk])


def release_on_state_change(sender, cycle, before, target, actor=None, **kwargs) -> None:
    """A cycle that closes (or is published) gets its release queued, built by the task
    worker once the change of state commits (``releases.release_on_state_change``)."""
    from partnerlens.insights.releases import release_on_state_change as release

    release(cycle, before, target, actor)


def forget_prepared_file(sender, instance, **kwargs) -> None:
    """A prepared download's row is gone (its release or cycle was deleted): its stored file
    goes too, once the deletion commits (a rolled-back deletion keeps it)."""
    from django.db import transaction

    from partnerlens.insights.exporters.prepared import delete_file

    if instance.file.name:
        transaction.on_commit(lambda: delete_file(instance.file.name))
