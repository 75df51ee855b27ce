"""Probes and metrics: ``/healthz``, ``/readyz``, ``/metrics`` (no log-in; no secrets in them)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from config.ops.heartbeat import notify_admins_if_stale, sweep_status
from config.ops.metrics import render_metrics

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """The process is alive and answers (liveness): no database, no broker."""
    return JsonResponse({"status": "ok"})


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True, "reachable"
    except DatabaseError as error:
        return False, f"unreachable: {error.__class__.__name__}"


def check_broker() -> tuple[bool, str]:
    if not settings.REDIS_URL:
        folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
        if folder.is_dir() and os.access(folder, os.W_OK):
            return True, "embedded filesystem broker"
        return False, f"embedded broker folder {folder} is missing or read-only"
    import redis

    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1
    )
    try:
        client.ping()
        return True, "Redis answers"
    except redis.RedisError as error:
        return False, f"Redis unreachable: {error}"
    finally:
        client.close()


def check_scheduler() -> tuple[bool, str]:
    try:
        status = sweep_status()
    except DatabaseError:
        return False, "unknown: the database is unreachable"
    try:
        notify_admins_if_stale(status)
    except DatabaseError:
        logger.warning("could not notify admins of the stale scheduler", exc_info=True)
    return status.ok, status.detail


CHECKS = {"database": check_database, "broker": check_broker, "scheduler": check_scheduler}


@never_cache
@require_GET
def readyz(request):
    """Ready to serve: database, broker and the scheduler's last sweep (within 3 intervals).

    ``?only=database`` (comma-separated) limits the checks: the web Deployment's readiness probe
    uses it, so a stopped scheduler alerts people instead of taking every web replica out of
    service. 503 when any check fails, with each check's state in the body.
    """
    wanted = [name for name in request.GET.get("only", "").split(",") if name in CHECKS]
    results = {}
    for name in wanted or list(CHECKS):
        ok, detail = CHECKS[name]()
        results[name] = {"ok": ok, "detail": detail}
    ready = all(result["ok"] for result in results.values())
    return JsonResponse(
        {"status": "ready" if ready else "not ready", "checks": results},
        status=200 if ready else 503,
    )


@never_cache
@require_GET
def metrics(request):
    """Prometheus text format. With FIREBREAK_METRICS_TOKEN set, only for that bearer token."""
    token = settings.FIREBREAK_METRICS_TOKEN
    if token:
        sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not constant_time_compare(sent, token):
            return JsonResponse(
                {
                    "detail": "Send the metrics token as 'Authorization: Bearer <token>'.",
                    "code": "not_authenticated",
                },
                status=401,
            )
    return HttpResponse(render_metrics(), content_type=CONTENT_TYPE_LATEST)
