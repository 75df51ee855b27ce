"""Celery tasks for notification deliveries: take primary keys, call one service. No logic here.

Time limits are shorter than FIREBREAK_REMINDER_CLAIM_LEASE_SECONDS (120 s by default), so a
delivery is only ever claimed again from a worker that is gone, not from one that is merely slow.
Task names keep their old dotted paths (``oncall.tasks.*``) so messages already queued and the
beat schedule still find them.
"""

from celery import shared_task

from oncall.people import selectors, services


# Safe to requeue when its worker dies: the delivery row's claim guards each attempt.
@shared_task(
    name="oncall.tasks.notification_deliver",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=60,
    soft_time_limit=50,
)
def notification_deliver(delivery_id: int) -> None:
    services.notification_delivery_attempt(delivery_id=delivery_id)


# Not requeued when its worker dies: the next beat tick does the same work.
@shared_task(name="oncall.tasks.notification_deliveries_sweep", time_limit=60, soft_time_limit=50)
def notification_deliveries_sweep() -> int:
    """Beat: re-queue deliveries whose backoff has passed or whose worker died mid-send."""
    due = selectors.deliveries_due()
    for delivery_id in due:
        notification_deliver.delay(delivery_id)
    return len(due)
