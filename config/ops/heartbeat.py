"""The scheduler's heartbeat and the dead-man's switch.

Every beat sweep that a worker finishes stamps one row. The web process reads it (``/readyz``,
and at most once a minute from ordinary requests through ``SchedulerWatchMiddleware``); when the
sweeps are more than 3 intervals old, admins get an e-mail sent straight from the web process —
a path that needs neither beat nor a worker — at most once an hour, guarded by a conditional
update so that many web processes send one e-mail.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import DatabaseError, IntegrityError, OperationalError, connection
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger(__name__)

HEARTBEAT = "sweeps"
STALE_AFTER_INTERVALS = 3
ALERT_EVERY = timedelta(hours=1)


def sweep_task_names() -> set[str]:
    """The beat tasks on the critical queue that run every sweep interval (reminders, pages,
    notification deliveries): one of them finishing proves beat → broker → critical worker works.
    A slow-queue sweep does not count: it would keep the stamp fresh while pages stood still."""
    from config.celery_routing import latency_class

    interval = timedelta(seconds=settings.FIREBREAK_REMINDER_SWEEP_SECONDS)
    return {
        entry["task"]
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry.get("schedule") == interval and latency_class(entry["task"]) == "critical"
    }


def record_sweep(now: datetime | None = None) -> None:
    from config.ops.models import SchedulerHeartbeat

    now = now or timezone.now()
    if SchedulerHeartbeat.objects.filter(name=HEARTBEAT).update(last_run_at=now):
        return
    try:
        SchedulerHeartbeat.objects.create(name=HEARTBEAT, last_run_at=now)
    except IntegrityError:  # another worker created it a moment ago
        SchedulerHeartbeat.objects.filter(name=HEARTBEAT).update(last_run_at=now)


_last_recorded = 0.0


def _record_after_sweep() -> None:
    """Best effort, from a worker after a sweep: at most every half interval per process, and
    never waiting behind another writer (SQLite locks the whole file: a worker stuck inside a
    transaction must not make every sweep after it wait 20 s here). A missed stamp is taken by
    the next sweep."""
    global _last_recorded
    if time.monotonic() - _last_recorded < settings.FIREBREAK_REMINDER_SWEEP_SECONDS / 2:
        return
    is_sqlite = connection.vendor == "sqlite"
    try:
        if is_sqlite:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA busy_timeout = 100")
        record_sweep()
        _last_recorded = time.monotonic()
    except OperationalError:
        logger.info("scheduler heartbeat skipped: the database is busy")
    finally:
        if is_sqlite:
            timeout_ms = int(connection.settings_dict.get("OPTIONS", {}).get("timeout", 5) * 1000)
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")


def connect_signals() -> None:
    from celery.signals import task_success

    names = sweep_task_names()

    def on_success(sender=None, **kwargs):
        if sender is not None and sender.name in names:
            try:
                _record_after_sweep()
            except DatabaseError:
                logger.exception("could not record the scheduler heartbeat")

    task_success.connect(on_success, weak=False, dispatch_uid="firebreak-scheduler-heartbeat")


@dataclass(frozen=True)
class SweepStatus:
    ok: bool
    last_run_at: datetime | None
    age_seconds: float | None
    limit_seconds: int

    @property
    def detail(self) -> str:
        if self.last_run_at is None:
            return (
                "no sweep has run yet: is celery beat running, and a worker on the critical queue?"
            )
        state = "on time" if self.ok else "STALE: is celery beat running?"
        return f"last sweep {self.age_seconds:.0f} s ago (limit {self.limit_seconds} s), {state}"


def sweep_status(now: datetime | None = None) -> SweepStatus:
    from config.ops.models import SchedulerHeartbeat

    now = now or timezone.now()
    limit = STALE_AFTER_INTERVALS * settings.FIREBREAK_REMINDER_SWEEP_SECONDS
    beat = SchedulerHeartbeat.objects.filter(name=HEARTBEAT).first()
    if beat is None:
        return SweepStatus(False, None, None, limit)
    age = (now - beat.last_run_at).total_seconds()
    return SweepStatus(age <= limit, beat.last_run_at, age, limit)


def notify_admins_if_stale(status: SweepStatus, now: datetime | None = None) -> bool:
    """E-mail the admins once per hour while the sweeps are stale. True when this call sent it.

    Only a heartbeat that existed and stopped counts: a fresh install whose scheduler never ran
    is reported by /readyz, not e-mailed about.
    """
    from config.ops.models import SchedulerHeartbeat

    if status.ok or status.last_run_at is None:
        return False
    now = now or timezone.now()
    claimed = (
        SchedulerHeartbeat.objects.filter(name=HEARTBEAT, last_run_at=status.last_run_at)
        .filter(Q(alerted_at__isnull=True) | Q(alerted_at__lte=now - ALERT_EVERY))
        .update(alerted_at=now)
    )
    if not claimed:
        return False  # another web process sent it, or it was sent within the hour
    recipients = admin_emails()
    minutes = int(status.age_seconds // 60)
    subject = f"Firebreak: the scheduler has not swept for {minutes} minutes"
    body = (
        f"Firebreak's scheduled sweeps last ran at {status.last_run_at:%Y-%m-%d %H:%M:%S} UTC, "
        f"{minutes} minutes ago (expected every {settings.FIREBREAK_REMINDER_SWEEP_SECONDS} s).\n\n"
        "Until they run again, no stakeholder-update reminder is sent and no escalation page "
        "goes out. Check that `celery beat` and a worker for the critical queue are running "
        f"(see {settings.FIREBREAK_BASE_URL}/readyz).\n\n"
        "This e-mail is sent by the web process, not the scheduler; it repeats hourly while the "
        "outage lasts."
    )
    logger.error("%s; telling %s admin(s)", subject, len(recipients))
    if recipients:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True)
    return True


def admin_emails() -> list[str]:
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    admins = users.filter(Q(is_superuser=True) | Q(groups__name="admin")).distinct()
    emails = {email for _name, email in getattr(settings, "ADMINS", [])}
    emails.update(admins.values_list("email", flat=True))
    return sorted(emails)


class SchedulerWatchMiddleware:
    """Checks the heartbeat from ordinary requests, at most once a minute per process, so a
    stopped scheduler is noticed even when nothing polls /readyz."""

    CHECK_EVERY_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response
        self.checked_at = 0.0

    def __call__(self, request):
        response = self.get_response(request)
        if not settings.FIREBREAK_SCHEDULER_WATCH:
            return response
        if time.monotonic() - self.checked_at >= self.CHECK_EVERY_SECONDS:
            self.checked_at = time.monotonic()
            try:
                notify_admins_if_stale(sweep_status())
            except DatabaseError:
                logger.warning("could not check the scheduler heartbeat", exc_info=True)
        return response
