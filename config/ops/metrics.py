"""Prometheus metrics (``/metrics``).

Two kinds:

- **Counted in the web process**: requests by view and status, webhook deliveries by integration
  kind and outcome. With several gunicorn workers set ``PROMETHEUS_MULTIPROC_DIR`` (an empty
  folder, as deploy/ does) and every worker's counts are summed at scrape time; without it each
  process reports only its own counts.
- **Read from the database and the broker at scrape time**, so every web process reports the
  same figures whatever worker did the work: queue depth per queue, reminder and page lateness
  (``sent_at − due_at``) as histograms, notification failures, and the scheduler's last sweep.
"""

from __future__ import annotations

import logging
import os
import re
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.utils import timezone
from prometheus_client import CollectorRegistry, Counter, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily

logger = logging.getLogger(__name__)

REQUESTS = Counter(
    "firebreak_http_requests",
    "HTTP requests answered, by view name, method and status code.",
    ["view", "method", "status"],
)
WEBHOOK_DELIVERIES = Counter(
    "firebreak_webhook_deliveries",
    "Alert webhook deliveries by integration kind and outcome "
    "(accepted, rejected_auth, invalid, too_large, error).",
    ["kind", "outcome"],
)
# Seconds between due_at and sent_at: a reminder or page sent a sweep late is normal (≤ 60 s).
LATENESS_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 600, 1800)
_WEBHOOK_PATH = re.compile(r"^/hooks/([\w-]+)/")


def webhook_outcome(status: int) -> str:
    if status < 300:
        return "accepted"
    if status in (401, 403, 404):
        return "rejected_auth"
    if status == 413:
        return "too_large"
    if status < 500:
        return "invalid"
    return "error"


def observe_response(request, response) -> None:
    match = getattr(request, "resolver_match", None)
    view = match.view_name if match and match.view_name else "unresolved"
    REQUESTS.labels(view=view, method=request.method, status=str(response.status_code)).inc()
    hook = _WEBHOOK_PATH.match(request.path)
    if hook:
        WEBHOOK_DELIVERIES.labels(
            kind=hook.group(1), outcome=webhook_outcome(response.status_code)
        ).inc()


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        try:
            observe_response(request, response)
        except Exception:  # metrics must never break a response
            logger.exception("could not count the request")
        return response


def _lateness(model, sent_status: str, name: str, documentation: str) -> HistogramMetricFamily:
    lateness = ExpressionWrapper(F("sent_at") - F("due_at"), output_field=DurationField())
    sent = model.objects.filter(status=sent_status, sent_at__isnull=False).annotate(late=lateness)
    buckets = {
        f"le_{bound}": Count("id", filter=Q(late__lte=timedelta(seconds=bound)))
        for bound in LATENESS_BUCKETS
    }
    row = sent.aggregate(total=Count("id"), late_sum=Sum("late"), **buckets)
    total = row["total"] or 0
    late_sum = row["late_sum"]
    seconds = late_sum.total_seconds() if late_sum else 0.0
    family = HistogramMetricFamily(name, documentation)
    family.add_metric(
        [],
        [(str(float(b)), row[f"le_{b}"] or 0) for b in LATENESS_BUCKETS] + [("+Inf", total)],
        max(seconds, 0.0),
    )
    return family


def queue_depths() -> dict[str, int | None]:
    """Messages waiting per queue (Redis broker); None where the broker cannot say."""
    queues = settings.FIREBREAK_CELERY_QUEUES
    if not settings.REDIS_URL:
        return dict.fromkeys(queues.values())
    import redis

    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1
    )
    try:
        depths: dict[str, int | None] = {}
        for queue in queues.values():
            # kombu keeps priorities in sibling lists "<queue>\x06\x16<n>"; count them all.
            depths[queue] = client.llen(queue) + sum(
                client.llen(f"{queue}\x06\x16{priority}") for priority in range(1, 10)
            )
        return depths
    except redis.RedisError:
        return dict.fromkeys(queues.values())
    finally:
        client.close()


class DatabaseCollector:
    """Figures read at scrape time (see the module docstring)."""

    def collect(self):
        from config.ops.heartbeat import sweep_status

        Reminder = apps.get_model("incidents", "Reminder")
        Page = apps.get_model("oncall", "Page")
        NotificationDelivery = apps.get_model("oncall", "NotificationDelivery")

        depth = GaugeMetricFamily(
            "firebreak_queue_depth", "Celery messages waiting, per queue.", labels=["queue"]
        )
        for queue, count in queue_depths().items():
            if count is not None:
                depth.add_metric([queue], count)
        yield depth
        yield _lateness(
            Reminder,
            "sent",
            "firebreak_reminder_lateness_seconds",
            "Stakeholder-update reminders: seconds from due to sent.",
        )
        yield _lateness(
            Page, "sent", "firebreak_page_lateness_seconds", "Pages: seconds from due to sent."
        )
        failures = GaugeMetricFamily(
            "firebreak_notification_failures",
            "Notification deliveries that failed for good, by transport (a count that only grows).",
            labels=["transport"],
        )
        rows = (
            NotificationDelivery.objects.filter(status="failed")
            .values("transport")
            .annotate(n=Count("id"))
        )
        for row in rows:
            failures.add_metric([row["transport"]], row["n"])
        yield failures
        pending = GaugeMetricFamily(
            "firebreak_due_unsent",
            "Reminders and pages past due and not sent yet (should stay near 0).",
            labels=["kind"],
        )
        now = timezone.now()
        pending.add_metric(
            ["reminder"],
            Reminder.objects.filter(status__in=["pending", "claimed"], due_at__lt=now).count(),
        )
        pending.add_metric(
            ["page"], Page.objects.filter(status__in=["pending", "claimed"], due_at__lt=now).count()
        )
        yield pending
        status = sweep_status(now)
        age = GaugeMetricFamily(
            "firebreak_scheduler_last_sweep_age_seconds",
            "Seconds since the beat sweeps last ran (absent before the first sweep).",
        )
        if status.age_seconds is not None:
            age.add_metric([], status.age_seconds)
        yield age


def render_metrics() -> bytes:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUESTS)
        registry.register(WEBHOOK_DELIVERIES)
    registry.register(DatabaseCollector())
    return generate_latest(registry)
