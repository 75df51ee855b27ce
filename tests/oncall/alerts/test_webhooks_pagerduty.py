"""PagerDuty V3 webhooks: signature, incident events as alert instances, X-Webhook-Id dedupe."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from oncall.alerts.auth import sign_pagerduty
from oncall.alerts.services import integration_create
from oncall.models import Alert
from tests.oncall.fixtures import payload, post, raw

pytestmark = pytest.mark.django_db

SECRET = "pd-signing-secret"


@pytest.fixture
def pagerduty(admin_user):
    return integration_create(
        user=admin_user,
        kind="pagerduty",
        name="PagerDuty",
        service_slug="payments",
        signing_secret=SECRET,
    )


def deliver(client, integration, body: bytes, webhook_id: str):
    return post(
        client,
        integration.url,
        body,
        X_PagerDuty_Signature=f"v1=deadbeef,{sign_pagerduty(SECRET, body)}",
        X_Webhook_Id=webhook_id,
    )


def test_triggered_incident_becomes_a_critical_alert(client, pagerduty):
    response = deliver(client, pagerduty, raw("pagerduty-incident-triggered.json"), "wh-1")

    assert response.status_code == 200, response.content
    alert = Alert.objects.get()
    assert alert.fingerprint == "Q1ZK8TY2NPX9AB"
    assert alert.fired_at == datetime(2026, 3, 10, 14, 2, 10, tzinfo=UTC)
    assert alert.name == "Payments API p99 latency above 2s"
    assert alert.urgency == Alert.Urgency.CRITICAL  # urgency: high
    assert alert.service_slug == "payments"
    assert alert.generator_url == "https://acme.pagerduty.com/incidents/Q1ZK8TY2NPX9AB"


def test_the_same_webhook_id_is_processed_once(client, pagerduty):
    body = raw("pagerduty-incident-triggered.json")
    deliver(client, pagerduty, body, "wh-1")

    response = deliver(client, pagerduty, body, "wh-1")

    assert response.status_code == 200
    assert response.json()["duplicate_delivery"] is True
    assert Alert.objects.get().receive_count == 1


def test_acknowledged_then_resolved_events_update_the_instance(client, pagerduty):
    deliver(client, pagerduty, raw("pagerduty-incident-triggered.json"), "wh-1")
    event = payload("pagerduty-incident-triggered.json")
    event["event"] |= {"event_type": "incident.acknowledged", "occurred_at": "2026-03-10T14:05:00Z"}
    event["event"]["data"]["status"] = "acknowledged"
    deliver(client, pagerduty, json.dumps(event).encode(), "wh-2")
    event["event"] |= {"event_type": "incident.resolved", "occurred_at": "2026-03-10T14:40:00Z"}
    event["event"]["data"]["status"] = "resolved"

    deliver(client, pagerduty, json.dumps(event).encode(), "wh-3")

    alert = Alert.objects.get()
    assert alert.acknowledged_at == datetime(2026, 3, 10, 14, 5, tzinfo=UTC)
    assert alert.status == Alert.Status.RESOLVED
    assert alert.resolved_at == datetime(2026, 3, 10, 14, 40, tzinfo=UTC)


def test_bad_signature_is_401(client, pagerduty):
    response = post(
        client,
        pagerduty.url,
        raw("pagerduty-incident-triggered.json"),
        X_PagerDuty_Signature="v1=0123",
        X_Webhook_Id="wh-1",
    )

    assert response.status_code == 401
    assert Alert.objects.count() == 0


def test_ping_is_accepted_and_ignored(client, pagerduty):
    body = json.dumps(
        {"event": {"event_type": "pagey.ping", "resource_type": "pagey", "data": {}}}
    ).encode()

    response = deliver(client, pagerduty, body, "wh-ping")

    assert response.status_code == 200
    assert response.json()["ignored"] == 1
    assert Alert.objects.count() == 0


def test_delivery_ids_are_forgotten_after_their_retention_by_the_hourly_prune(
    client, pagerduty, time_machine
):
    from django.conf import settings as live_settings

    from oncall.models import WebhookDelivery
    from oncall.tasks import webhook_deliveries_prune

    retention = timedelta(days=live_settings.FIREBREAK_WEBHOOK_DELIVERY_RETENTION_DAYS)
    start = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    time_machine.move_to(start, tick=False)
    body = raw("pagerduty-incident-triggered.json")
    deliver(client, pagerduty, body, "wh-old")
    time_machine.move_to(start + timedelta(hours=1), tick=False)
    deliver(client, pagerduty, body, "wh-recent")

    time_machine.move_to(start + retention + timedelta(minutes=30), tick=False)
    assert webhook_deliveries_prune() == 1

    assert list(WebhookDelivery.objects.values_list("delivery_id", flat=True)) == ["wh-recent"]
    assert deliver(client, pagerduty, body, "wh-recent").json()["duplicate_delivery"] is True
    schedule = live_settings.CELERY_BEAT_SCHEDULE["webhook-deliveries-prune"]
    assert schedule["task"] == "oncall.tasks.webhook_deliveries_prune"
