"""Celery tasks: take primary keys, call one service. No logic here.

Time limits are shorter than FIREBREAK_REMINDER_CLAIM_LEASE_SECONDS (120 s by default), so a
claim is only ever taken back from a worker that is gone, not from one that is merely slow.
"""

from celery import shared_task

from incidents import services


# Not requeued when its worker dies: the next beat tick does the same work.
@shared_task(time_limit=60, soft_time_limit=50)
def reminders_sweep() -> int:
    """Beat, every FIREBREAK_REMINDER_SWEEP_SECONDS: claim due reminders and hand each to a worker.

    A claimed id whose message is lost (broker down, worker killed) is claimed again once its
    lease expires, so nothing is lost; a duplicate message is harmless (reminder_fire re-checks).
    """
    claimed = services.reminders_claim_due()
    for reminder_id in claimed:
        reminder_fire.delay(reminder_id)
    return len(claimed)


# Idempotent (re-checks the row's status under a lock), so a redelivery after a lost worker is safe.
@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=60, soft_time_limit=50)
def reminder_fire(reminder_id: int) -> None:
    services.reminder_fire(reminder_id=reminder_id)


@shared_task(acks_late=True, time_limit=60, soft_time_limit=50)
def stakeholder_update_email(update_id: int) -> None:
    """E-mail one stakeholder update to FIREBREAK_STAKEHOLDER_EMAILS."""
    from incidents.stakeholder_mail import stakeholder_update_email_send

    stakeholder_update_email_send(update_id=update_id)
