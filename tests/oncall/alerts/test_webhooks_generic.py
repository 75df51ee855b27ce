"""The documented generic JSON format (oncall.alerts.generic), for scripts and cron jobs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from oncall.alerts.services import integration_create
from oncall.models import Alert
from tests.oncall.fixtures import post

pytestmark = pytest.mark.django_db


@pytest.fixture
def generic(admin_user):
    return integration_create(
        user=admin_user, kind="generic", name="Backups", service_slug="backups"
    )


def backup_failed(**overrides):
    alert = {
        "name": "NightlyBackupFailed",
        "status": "firing",
        "starts_at": "2026-03-08T02:00:00+01:00",
        "labels": {"host": "db-1", "severity": "info"},
        "summary": "Nightly backup of db-1 failed",
        "runbook_url": "https://runbooks.example.com/backups",
    }
    return {"alerts": [alert | overrides]}


def test_generic_alert_is_recorded_with_a_derived_fingerprint(client, generic):
    response = post(client, generic.url, backup_failed())

    assert response.status_code == 200, response.content
    alert = Alert.objects.get()
    assert alert.name == "NightlyBackupFailed"
    assert alert.fired_at == datetime(2026, 3, 8, 1, 0, tzinfo=UTC)
    assert alert.service_slug == "backups"  # no service label: the integration's default
    assert alert.urgency == Alert.Urgency.EVENTUALLY
    assert len(alert.fingerprint) == 16


def test_same_labels_give_the_same_instance_and_resolve_it(client, generic):
    post(client, generic.url, backup_failed())

    post(client, generic.url, backup_failed(status="resolved", ends_at="2026-03-08T03:15:00Z"))

    alert = Alert.objects.get()
    assert alert.status == Alert.Status.RESOLVED
    assert alert.resolved_at == datetime(2026, 3, 8, 3, 15, tzinfo=UTC)
    assert alert.receive_count == 2


def test_different_labels_are_different_alerts(client, generic):
    post(client, generic.url, backup_failed())
    post(client, generic.url, backup_failed(labels={"host": "db-2"}))

    assert Alert.objects.count() == 2


def test_explicit_fields_override_labels(client, generic):
    post(
        client,
        generic.url,
        backup_failed(fingerprint="backup-db-1", urgency="critical", service="Billing DB"),
    )

    alert = Alert.objects.get()
    assert (alert.fingerprint, alert.urgency, alert.service_slug) == (
        "backup-db-1",
        "critical",
        "billing-db",
    )


def test_missing_name_and_unknown_urgency_are_reported_together(client, generic):
    response = post(client, generic.url, backup_failed(name="", urgency="whenever"))

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["alerts[0].name"] == ["This field is required (the alert's name)."]
    assert "Unknown urgency 'whenever'" in errors["alerts[0].urgency"][0]
    assert Alert.objects.count() == 0


def test_resolved_before_it_started_is_400(client, generic):
    response = post(
        client, generic.url, backup_failed(status="resolved", ends_at="2026-03-07T00:00:00Z")
    )

    assert response.status_code == 400
    assert "alerts[0].ends_at" in response.json()["errors"]


def test_a_body_that_is_not_an_object_is_400(client, generic):
    response = post(client, generic.url, b"[1, 2, 3]")

    assert response.status_code == 400
    assert response.json()["errors"] == {"body": ["Expected a JSON object, got a list."]}
