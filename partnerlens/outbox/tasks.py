"""Background tasks of the outbox, run by the task worker (``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_mail(mail_id: int) -> str:
    """Send one stored mail; failures are retried with back-off (services.deliver)."""
    from partnerlens.outbox.services import deliver

    return deliver(mail_id)
