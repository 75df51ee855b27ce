"""Celery queues by latency class, so an export can never delay a page (DESIGN.md).

- ``critical``: reminders, pages, notification deliveries and the Slack bot's follow-up work;
- ``slow``: exports, report packs, search index rebuilds;
- ``default``: everything else.

Tasks are matched by their registered names (patterns below, first match wins), so a task that
moves to another module keeps its class as long as its function name does. Queue names are
``<FIREBREAK_CELERY_QUEUE_PREFIX><class>`` (settings.FIREBREAK_CELERY_QUEUES).
"""

from __future__ import annotations

from fnmatch import fnmatchcase

from django.conf import settings

LATENCY_CLASSES: tuple[tuple[str, str], ...] = (
    # slow first: a report pack's delivery is slow even though it is a "delivery"
    ("postmortems.reports.tasks.*", "slow"),
    ("*export*", "slow"),
    ("*rebuild*", "slow"),
    ("*search_index*", "slow"),
    ("*report_delivery_send", "slow"),
    ("*report_deliveries_sweep", "slow"),
    ("*.reminders_sweep", "critical"),
    ("*.reminder_fire", "critical"),
    ("*.pages_sweep", "critical"),
    ("*.page_fire", "critical"),
    ("*.notification_deliver", "critical"),
    ("*.notification_deliveries_sweep", "critical"),
    ("*.shift_reminders_sweep", "critical"),
    ("*.shift_reminder_fire", "critical"),
    ("incidents.slack.*", "critical"),
    ("*.slack_*", "critical"),
)


def latency_class(task_name: str) -> str:
    for pattern, latency in LATENCY_CLASSES:
        if fnmatchcase(task_name, pattern):
            return latency
    return "default"


def route_task(name, args, kwargs, options, task=None, **kw):
    """Celery router (CELERY_TASK_ROUTES): the queue of the task's latency class."""
    return {"queue": settings.FIREBREAK_CELERY_QUEUES[latency_class(name)]}
