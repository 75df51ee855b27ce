"""Act once per inbound Slack delivery, however often Slack sends it.

Slack retries events it thinks went unanswered (``X-Slack-Retry-Num``) and may repeat an
``event_id``; a person can double-click a button. Each delivery has a key (``event:<event_id>``,
``command:<trigger_id>``, ``view:<view id>``...). The first task that claims a key acts on it;
any other task carrying the same key does nothing. A Celery retry of the claiming task keeps its
task id, so it is let through.

The claim is made by the worker, not by the web request: the acknowledgement Slack waits for is
then a signature check, one read and one publish, and never waits on a database write lock.
"""

from __future__ import annotations

import functools
import logging

from celery import current_task
from django.db import IntegrityError, transaction

from incidents.slack.models import SlackDelivery

logger = logging.getLogger(__name__)


def delivery_claim(key: str, kind: str, *, task_id: str = "") -> bool:
    """Record that ``task_id`` acts on delivery ``key``; True if it may. False when the key was
    claimed before by another task (or, with no task id, by anyone: a duplicate)."""
    key, kind = key[:200], kind[:32]
    try:
        with transaction.atomic():
            SlackDelivery.objects.create(key=key, kind=kind, task_id=task_id)
    except IntegrityError:
        return bool(task_id) and SlackDelivery.objects.filter(key=key, task_id=task_id).exists()
    return True


def once_per_delivery(function):
    """Decorate a task body: called with ``delivery_key=`` / ``delivery_kind=`` keyword
    arguments (as the Slack views send them), it runs only for the first task to claim the key."""

    @functools.wraps(function)
    def wrapper(*args, delivery_key: str = "", delivery_kind: str = "", **kwargs):
        if delivery_key:
            task_id = (current_task.request.id if current_task else "") or ""
            if not delivery_claim(delivery_key, delivery_kind or "task", task_id=task_id):
                logger.info("Slack delivery %s was already handled; ignored", delivery_key)
                return None
        return function(*args, **kwargs)

    return wrapper
