"""Celery tasks: take primary keys, call one service. No logic here.

Time limits are shorter than FIREBREAK_REMINDER_CLAIM_LEASE_SECONDS (120 s by default), so a
delivery is only ever claimed again from a worker that is gone, not from one that is merely slow.
"""

from celery import shared_task

from oncall import selectors, services


# Safe to requeue when its worker dies: the delivery row's claim guards each attempt.
@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=60, soft_time_limit=50)
def notification_deliver(delivery_id: int) -> None:
    services.notification_delivery_attempt(delivery_id=delivery_id)


# Not requeued when its worker dies: the next beat tick does the same work.
@shared_task(time_limit=60, soft_time_limit=50)
def notification_deliveries_sweep() -> int:
    """Beat: re-queue deliveries whose backoff has passed or whose worker died mid-send."""
    due = selectors.deliveries_due()
    for delivery_id in due:
        notification_deliver.delay(delivery_id)
    return len(due)


# --- on-call shift reminders: rows swept by beat (oncall.scheduling), never countdowns ------------


# Not requeued when its worker dies: the next beat tick does the same work.
@shared_task(time_limit=60, soft_time_limit=50)
def shift_reminders_sweep() -> int:
    """Beat, every minute: plan the rows of shifts starting soon, claim the due ones (conditional
    update) and hand each to a worker."""
    services.shift_reminders_plan()
    claimed = services.shift_reminders_claim_due()
    for reminder_id in claimed:
        shift_reminder_fire.delay(reminder_id)
    return len(claimed)


# Idempotent (re-checks the row's status under a lock), so a redelivery after a lost worker is safe.
@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=60, soft_time_limit=50)
def shift_reminder_fire(reminder_id: int) -> None:
    services.shift_reminder_fire(reminder_id=reminder_id)


# --- paging: rows swept by beat (oncall.paging), never countdowns ---------------------------------


# Not requeued when its worker dies: the next beat tick does the same work.
@shared_task(time_limit=60, soft_time_limit=50)
def pages_sweep() -> int:
    """Beat, every minute (and right after a critical alert arrives): claim the due pages
    (conditional update) and hand each to a worker."""
    claimed = services.pages_claim_due()
    for page_id in claimed:
        page_fire.delay(page_id)
    return len(claimed)


# Idempotent (re-checks the row's status under a lock), so a redelivery after a lost worker is safe.
@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=60, soft_time_limit=50)
def page_fire(page_id: int) -> None:
    services.page_fire(page_id=page_id)
