"""Celery tasks: beat entries that call one service each. No logic here."""

from celery import shared_task

from postmortems import services
from postmortems.reports import tasks as report_tasks  # noqa: F401  (registers the pack task)
from postmortems.services import report_packs


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


# Not requeued when its worker dies: the next beat tick does the same work.
@shared_task(time_limit=60, soft_time_limit=50)
def report_deliveries_sweep() -> int:
    """Beat, every FIREBREAK_REMINDER_SWEEP_SECONDS: plan the quarter's pack e-mails (on the first
    day of a quarter), claim due ones and hand each to a worker. Returns how many were claimed."""
    services.report_deliveries_plan()
    claimed = services.report_deliveries_claim_due()
    for delivery_id in claimed:
        report_delivery_send.delay(delivery_id)
    return len(claimed)


# Idempotent (a conditional update takes the row first), so a redelivery after a lost worker is safe.
@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=report_packs.SEND_TIME_LIMIT,
    soft_time_limit=report_packs.SEND_TIME_LIMIT - 10,
)
def report_delivery_send(delivery_id: int) -> None:
    """E-mail one quarter's pack to one subscriber."""
    services.report_delivery_send(delivery_id=delivery_id)


# Not requeued when its worker dies: the next beat tick covers the same window.
@shared_task(time_limit=290, soft_time_limit=280)
def search_index_repair() -> int:
    """Beat (every 10 minutes): index what a failed after-commit receiver missed in the last
    two hours (postmortems.search.indexer.search_index_repair)."""
    from datetime import timedelta

    from django.utils import timezone

    from postmortems.search.indexer import search_index_repair as repair

    return repair(since=timezone.now() - timedelta(hours=2))
