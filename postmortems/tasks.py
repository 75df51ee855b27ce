"""Celery tasks: beat entries that call one service each. No logic here."""

from celery import shared_task

from postmortems import services


@shared_task(time_limit=110, soft_time_limit=100)
def postmortem_due_reminders() -> int:
    """Beat (hourly): remind owners of postmortems due soon or overdue (idempotent per day)."""
    return services.postmortem_due_reminders_send()


@shared_task(time_limit=110, soft_time_limit=100)
def action_item_digest() -> int:
    """Beat (weekly): each owner's open and overdue action items (idempotent per ISO week)."""
    return services.action_item_digest_send()


@shared_task(time_limit=60, soft_time_limit=50)
def postmortem_require_if_needed(incident_id: int) -> None:
    """Apply the required-postmortem rules to one incident."""
    services.postmortem_require_if_needed(incident_id=incident_id)
