"""Watching the watcher: probes, Prometheus metrics, and the dead-man's switch on the sweeps."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from config.ops.heartbeat import (
    notify_admins_if_stale,
    record_sweep,
    sweep_status,
    sweep_task_names,
)
from oncall.alerts.services import integration_create
from tests.factories import UserFactory
from tests.oncall.fixtures import post, raw

pytestmark = pytest.mark.django_db


def test_only_critical_queue_sweeps_stamp_the_heartbeat():
    names = sweep_task_names()

    assert "incidents.tasks.reminders_sweep" in names
    assert "oncall.tasks.pages_sweep" in names
    assert not [name for name in names if "report" in name]  # the slow queue proves nothing


def test_healthz_answers_without_logging_in(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ready_when_database_broker_and_sweeps_are_fine(client):
    record_sweep()

    response = client.get("/readyz")

    assert response.status_code == 200, response.json()
    assert {name for name, check in response.json()["checks"].items() if check["ok"]} == {
        "database",
        "broker",
        "scheduler",
    }


def test_readyz_fails_when_the_scheduler_sweep_is_stale(client, settings):
    record_sweep(
        timezone.now() - timedelta(seconds=3 * settings.FIREBREAK_REMINDER_SWEEP_SECONDS + 5)
    )

    response = client.get("/readyz")

    assert response.status_code == 503
    scheduler = response.json()["checks"]["scheduler"]
    assert scheduler["ok"] is False
    assert "STALE" in scheduler["detail"]


def test_readyz_fails_before_any_sweep_ran(client):
    response = client.get("/readyz")

    assert response.status_code == 503
    assert "no sweep has run yet" in response.json()["checks"]["scheduler"]["detail"]


def test_the_web_probe_can_ask_for_the_database_only(client):
    response = client.get("/readyz?only=database")

    assert response.status_code == 200
    assert list(response.json()["checks"]) == ["database"]


def test_admins_are_emailed_once_when_the_sweeps_stop(client, settings):
    UserFactory(username="ada", email="ada@example.com", groups=["admin"])
    UserFactory(username="rita", email="rita@example.com", groups=["responder"])
    record_sweep(timezone.now() - timedelta(minutes=10))

    for _ in range(3):  # several probes, several web processes: one e-mail
        client.get("/readyz")

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ada@example.com"]
    assert "has not swept for 10 minutes" in mail.outbox[0].subject
    assert "celery beat" in mail.outbox[0].body


def test_the_email_repeats_hourly_while_the_outage_lasts_and_not_after_recovery(settings):
    UserFactory(username="ada", email="ada@example.com", groups=["admin"])
    stopped = timezone.now() - timedelta(minutes=10)
    record_sweep(stopped)

    assert notify_admins_if_stale(sweep_status()) is True
    assert notify_admins_if_stale(sweep_status(timezone.now() + timedelta(minutes=30))) is False
    assert (
        notify_admins_if_stale(
            sweep_status(timezone.now() + timedelta(minutes=61)),
            timezone.now() + timedelta(minutes=61),
        )
        is True
    )
    record_sweep()
    assert notify_admins_if_stale(sweep_status()) is False
    assert len(mail.outbox) == 2


def test_the_watch_middleware_notices_a_stale_sweep_from_an_ordinary_request(client, settings):
    settings.FIREBREAK_SCHEDULER_WATCH = True
    UserFactory(username="ada", email="ada@example.com", groups=["admin"])
    record_sweep(timezone.now() - timedelta(minutes=10))

    client.get("/login/")

    assert len(mail.outbox) == 1


def families(text: str) -> dict:
    return {family.name: family for family in text_string_to_metric_families(text)}


def test_metrics_scrape_parses_and_counts_requests_and_webhook_deliveries(client, admin_user):
    hook = integration_create(user=admin_user, kind="alertmanager", name="Prod")
    post(client, hook.url, raw("alertmanager-firing.json"))
    post(client, hook.url.replace(hook.token, "wrong-token"), raw("alertmanager-firing.json"))
    client.get("/healthz")

    response = client.get("/metrics")

    assert response.status_code == 200
    found = families(response.content.decode())
    requests = {
        (s.labels["view"], s.labels["status"]): s.value
        for s in found["firebreak_http_requests"].samples
        if s.name.endswith("_total")
    }
    assert requests[("healthz", "200")] >= 1
    deliveries = {
        (s.labels["kind"], s.labels["outcome"]): s.value
        for s in found["firebreak_webhook_deliveries"].samples
        if s.name.endswith("_total")
    }
    assert deliveries[("alertmanager", "accepted")] >= 1
    assert deliveries[("alertmanager", "rejected_auth")] >= 1
    assert hook.token not in response.content.decode()
    for name in (
        "firebreak_queue_depth",
        "firebreak_reminder_lateness_seconds",
        "firebreak_page_lateness_seconds",
        "firebreak_notification_failures",
        "firebreak_scheduler_last_sweep_age_seconds",
    ):
        assert name in found, name
    assert found["firebreak_reminder_lateness_seconds"].type == "histogram"


def test_reminder_lateness_is_a_histogram_of_due_to_sent(client, incident):
    from incidents.models import Reminder

    now = timezone.now()
    for seconds in (2, 40, 700):
        Reminder.objects.create(
            incident=incident,
            kind=Reminder.ReminderKind.UPDATE_DUE,
            due_at=now - timedelta(hours=1, seconds=seconds),
            sent_at=now - timedelta(hours=1),
            status=Reminder.ReminderStatus.SENT,
        )

    found = families(client.get("/metrics").content.decode())

    samples = {
        (s.name, s.labels.get("le")): s.value
        for s in found["firebreak_reminder_lateness_seconds"].samples
    }
    assert samples[("firebreak_reminder_lateness_seconds_bucket", "5.0")] == 1
    assert samples[("firebreak_reminder_lateness_seconds_bucket", "60.0")] == 2
    assert samples[("firebreak_reminder_lateness_seconds_bucket", "+Inf")] == 3
    assert samples[("firebreak_reminder_lateness_seconds_count", None)] == 3
    assert samples[("firebreak_reminder_lateness_seconds_sum", None)] == pytest.approx(742, abs=1)


def test_metrics_can_require_a_bearer_token(client, settings):
    settings.FIREBREAK_METRICS_TOKEN = "scrape-secret"

    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    answered = client.get("/metrics", headers={"Authorization": "Bearer scrape-secret"})
    assert answered.status_code == 200
    assert "firebreak_queue_depth" in answered.content.decode()
