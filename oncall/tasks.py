"""Celery tasks: take primary keys, call one service. No logic here."""

from celery import shared_task

from oncall import selectors, services


@shared_task(acks_late=True, reject_on_worker_lost=True)  # idempotent: the claim guards each attempt
def notification_deliver(delivery_id: int) -> None:
    services.notification_delivery_attempt(delivery_id=delivery_id)


@shared_task
def notification_deliveries_sweep() -> int:
    """Beat: re-queue deliveries whose backoff has passed or whose worker died mid-send."""
    due = selectors.deliveries_due()
    for delivery_id in due:
        notification_deliver.delay(delivery_id)
    return len(due)
