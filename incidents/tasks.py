"""Celery tasks: take primary keys, call one service. No logic here."""

from celery import shared_task

from incidents import services


@shared_task
def reminders_sweep() -> int:
    """Beat, every minute: claim due reminders (conditional update) and hand each to a worker."""
    claimed = services.reminders_claim_due()
    for reminder_id in claimed:
        reminder_fire.delay(reminder_id)
    return len(claimed)


# Idempotent (re-checks the row's status under a lock), so a redelivery after a lost worker is safe.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def reminder_fire(reminder_id: int) -> None:
    services.reminder_fire(reminder_id=reminder_id)
