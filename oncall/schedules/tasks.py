"""Celery tasks for shift reminders: rows swept by beat, never countdowns. No logic here.

Task names keep their old dotted paths (``oncall.tasks.*``) so messages already queued and the
beat schedule still find them.
"""

from celery import shared_task

from oncall.schedules import reminders


# Not requeued when its worker dies: the next beat tick does the same work.
@shared_task(name="oncall.tasks.shift_reminders_sweep", time_limit=60, soft_time_limit=50)
def shift_reminders_sweep() -> int:
    """Beat, every minute: plan the rows of shifts starting soon, claim the due ones (conditional
    update) and hand each to a worker."""
    reminders.shift_reminders_plan()
    claimed = reminders.shift_reminders_claim_due()
    for reminder_id in claimed:
        shift_reminder_fire.delay(reminder_id)
    return len(claimed)


# Idempotent (re-checks the row's status under a lock), so a redelivery after a lost worker is safe.
@shared_task(
    name="oncall.tasks.shift_reminder_fire",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=60,
    soft_time_limit=50,
)
def shift_reminder_fire(reminder_id: int) -> None:
    reminders.shift_reminder_fire(reminder_id=reminder_id)
