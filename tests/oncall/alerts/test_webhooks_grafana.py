"""Grafana alerting posting to Firebreak, with and without an HMAC signature."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from oncall.alerts.auth import sign_grafana
from oncall.alerts.services import integration_create
from oncall.models import Alert
from tests.oncall.fixtures import post, raw

pytestmark = pytest.mark.django_db

SECRET = "grafana-shared-secret"


@pytest.fixture
def grafana(admin_user):
    return integration_create(
        user=admin_user, kind="grafana", name="Grafana", service_slug="storage"
    )


@pytest.fixture
def signed_grafana(admin_user):
    return integration_create(
        user=admin_user, kind="grafana", name="Grafana signed", signing_secret=SECRET
    )


def test_grafana_firing_records_the_alert(client, grafana):
    response = post(client, grafana.url, raw("grafana-firing.json"))

    assert response.status_code == 200, response.content
    alert = Alert.objects.get()
    assert alert.fingerprint == "5f3c9a7e21d04b68"
    assert alert.name == "DiskWillFillIn4h"
    assert alert.status == Alert.Status.FIRING
    assert alert.fired_at == datetime(2026, 3, 9, 2, 14, tzinfo=UTC)
    assert alert.ends_at is None
    assert alert.urgency == Alert.Urgency.TODAY  # severity: warning
    assert alert.service_slug == "search"  # the label wins over the integration's default
    assert alert.summary == "Expand search data volume"
    assert alert.runbook_url == "https://runbooks.example.com/disk"
    assert alert.details["values"] == {"B": 0.91, "C": 1}
    assert alert.details["silenceURL"].startswith("https://grafana.example.com/alerting/silence")
    assert "dashboardURL" not in alert.details  # empty in the payload
    assert alert.subject_is_short and alert.has_runbook and alert.content_problems == []


def test_signed_delivery_is_accepted(client, signed_grafana):
    body = raw("grafana-firing.json")

    response = post(
        client, signed_grafana.url, body, X_Grafana_Alerting_Signature=sign_grafana(SECRET, body)
    )

    assert response.status_code == 200
    assert Alert.objects.count() == 1


def test_signed_delivery_with_timestamp_is_accepted(client, signed_grafana):
    body = raw("grafana-firing.json")
    timestamp = str(int(time.time()))

    response = post(
        client,
        signed_grafana.url,
        body,
        X_Grafana_Alerting_Signature=sign_grafana(SECRET, body, timestamp),
        X_Grafana_Alerting_Signature_Timestamp=timestamp,
    )

    assert response.status_code == 200
    assert Alert.objects.count() == 1


def test_bad_signature_is_401_and_writes_nothing(client, signed_grafana):
    body = raw("grafana-firing.json")

    response = post(
        client, signed_grafana.url, body, X_Grafana_Alerting_Signature=sign_grafana("wrong", body)
    )

    assert response.status_code == 401
    assert "Signature" in response.json()["detail"]
    assert Alert.objects.count() == 0


def test_signature_of_another_body_is_401(client, signed_grafana):
    body = raw("grafana-firing.json")
    tampered = body.replace(b'"warning"', b'"critical"')

    response = post(
        client,
        signed_grafana.url,
        tampered,
        X_Grafana_Alerting_Signature=sign_grafana(SECRET, body),
    )

    assert response.status_code == 401
    assert Alert.objects.count() == 0


def test_missing_signature_is_401_when_a_secret_is_set(client, signed_grafana):
    response = post(client, signed_grafana.url, raw("grafana-firing.json"))

    assert response.status_code == 401
    assert "X-Grafana-Alerting-Signature" in response.json()["detail"]
    assert Alert.objects.count() == 0


def test_replayed_signature_older_than_five_minutes_is_401(client, signed_grafana):
    body = raw("grafana-firing.json")
    old = str(int(time.time()) - 600)

    response = post(
        client,
        signed_grafana.url,
        body,
        X_Grafana_Alerting_Signature=sign_grafana(SECRET, body, old),
        X_Grafana_Alerting_Signature_Timestamp=old,
    )

    assert response.status_code == 401
    assert Alert.objects.count() == 0


def test_signature_is_checked_before_the_body_is_parsed(client, signed_grafana):
    response = post(client, signed_grafana.url, b"not json", X_Grafana_Alerting_Signature="00")

    assert response.status_code == 401  # not 400: unauthenticated bodies are never parsed
