"""Celery tasks for paging: rows swept by beat, never countdowns. No logic here.

Task names keep their old dotted paths (``oncall.tasks.*``) so messages already queued and the
beat schedule still find them.
"""

from celery import shared_task

from oncall.escalation import paging


# Not requeued when its worker dies: the next beat tick does the same work.
@shared_task(name="oncall.tasks.pages_sweep", time_limit=60, soft_time_limit=50)
def pages_sweep() -> int:
    """Beat, every minute (and right after a critical alert arrives): claim the due pages
    (conditional update) and hand each to a worker."""
    claimed = paging.pages_claim_due()
    for page_id in claimed:
        page_fire.delay(page_id)
    return len(claimed)


# Idempotent (re-checks the row's status under a lock), so a redelivery after a lost worker is safe.
@shared_task(
    name="oncall.tasks.page_fire",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=60,
    soft_time_limit=50,
)
def page_fire(page_id: int) -> None:
    paging.page_fire(page_id=page_id)
