"""Queue a Celery task by its registered name, after the surrounding transaction commits.

Services sit below their tasks (a task module imports its services), so a service never imports
a tasks module: it names the task instead. The name is the task's stable ``name=`` (for example
``oncall.tasks.pages_sweep``), which is also what queued messages and the beat schedule carry.
"""

from __future__ import annotations

import logging

from celery import current_app

logger = logging.getLogger(__name__)


def enqueue(task_name: str, *args) -> bool:
    """Send ``task_name(*args)`` to the broker now. False (logged) when the broker is down:
    callers only enqueue work that a periodic sweep also finds, so nothing is lost."""
    task = current_app.tasks.get(task_name)
    try:
        if task is not None:
            task.delay(*args)  # honours CELERY_TASK_ALWAYS_EAGER
        else:
            current_app.send_task(task_name, args=args)
    except Exception:
        logger.warning(
            "could not enqueue %s%s; the sweep will pick it up", task_name, args, exc_info=True
        )
        return False
    return True
