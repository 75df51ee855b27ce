"""Celery tasks for alerts: take primary keys (or nothing), call one service. No logic here.

Task names follow the old ``oncall.tasks.*`` paths like every oncall task.
"""

from celery import shared_task

from oncall.alerts import services


# Not requeued when its worker dies: the next beat tick does the same work.
@shared_task(name="oncall.tasks.webhook_deliveries_prune", time_limit=300, soft_time_limit=270)
def webhook_deliveries_prune() -> int:
    """Beat, hourly: forget webhook delivery ids past their retention."""
    return services.webhook_deliveries_prune()
