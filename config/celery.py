import logging
import os
import time

from celery import Celery, Task
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

logger = logging.getLogger("config.celery")

# After a failed publish the broker is not tried again for this long: while it is down, each
# request that enqueues work answers at once instead of waiting for another failed connection.
BROKER_RETRY_SECONDS = 5.0
_broker_failed_at = 0.0


def broker_recently_failed() -> bool:
    return time.monotonic() - _broker_failed_at < BROKER_RETRY_SECONDS


class DegradingTask(Task):
    """A task whose enqueueing never fails the caller when the broker is unreachable.

    Work that matters is in rows swept by beat (reminders, pages, notification deliveries,
    report packs, the search index repair), so a message lost while the broker is down is done
    by the next sweep once it is back. The request that wrote the rows still answers; the loss is
    logged, and /readyz reports the broker.
    """

    def apply_async(self, *args, **kwargs):
        global _broker_failed_at
        if self.app.conf.task_always_eager:
            return super().apply_async(*args, **kwargs)
        if broker_recently_failed():
            logger.warning("broker down: %s not enqueued (a sweep picks the work up)", self.name)
            return None
        try:
            return super().apply_async(*args, **kwargs)
        except OperationalError as error:
            _broker_failed_at = time.monotonic()
            logger.error(
                "broker unreachable (%s): %s not enqueued; a sweep picks the work up when it is back",
                error,
                self.name,
            )
            return None


app = Celery("firebreak", task_cls=DegradingTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
