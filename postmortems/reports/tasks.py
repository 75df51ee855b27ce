"""Celery tasks of reports (routed to the ``slow`` queue in settings: exports never delay pages)."""

from celery import shared_task

from postmortems.reports import services

PACK_TIME_LIMIT = 600


# Idempotent (the job is claimed by a conditional update), so a redelivery is harmless.
@shared_task(time_limit=PACK_TIME_LIMIT, soft_time_limit=PACK_TIME_LIMIT - 20, acks_late=True)
def report_pack_generate(job_id: int) -> None:
    """Make one quarterly pack file."""
    services.report_pack_generate(job_id=job_id)
