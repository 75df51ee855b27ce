"""Prometheus Alertmanager posting to its secret URL: what gets recorded, and what is refused."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest

from oncall.alerts.services import integration_create
from oncall.alerts.signals import alerts_received
from oncall.models import Alert
from tests.oncall.fixtures import payload, post, raw

pytestmark = pytest.mark.django_db


@pytest.fixture
def alertmanager(admin_user):
    return integration_create(user=admin_user, kind="alertmanager", name="Prod Alertmanager")


def test_firing_delivery_records_both_instances(client, alertmanager):
    response = post(client, alertmanager.url, raw("alertmanager-firing.json"))

    assert response.status_code == 200, response.content
    assert response.json()["created"] == 2
    alerts = {a.fingerprint: a for a in Alert.objects.all()}
    assert set(alerts) == {"a1b2c3d4e5f60718", "0f1e2d3c4b5a6978"}
    first = alerts["a1b2c3d4e5f60718"]
    assert first.name == "CheckoutErrorRateHigh"
    assert first.status == Alert.Status.FIRING
    assert first.fired_at == datetime(2026, 3, 8, 9, 58, tzinfo=UTC)
    assert first.ends_at is None  # Alertmanager's zero time means "no end"
    assert first.resolved_at is None
    assert first.service_slug == "checkout"
    assert first.urgency == Alert.Urgency.CRITICAL
    assert first.summary == "Roll back checkout: 5xx above 5%"
    assert first.description == "checkout-1 returns 7.2% 5xx over 5m"
    assert first.runbook_url == "https://runbooks.example.com/checkout-5xx"
    assert first.generator_url.startswith("http://prometheus.example.com:9090/graph")
    assert first.labels["instance"] == "checkout-1:8080"
    assert first.group_key == '{}:{alertname="CheckoutErrorRateHigh"}'
    assert first.receive_count == 1
    assert first.actionable is None  # not reviewed yet


def test_resolved_delivery_resolves_the_same_instances(client, alertmanager):
    post(client, alertmanager.url, raw("alertmanager-firing.json"))

    response = post(client, alertmanager.url, raw("alertmanager-resolved.json"))

    assert response.status_code == 200
    assert response.json() == {
        "received": 2,
        "created": 0,
        "updated": 2,
        "resolved": 2,
        "ignored": 0,
        "duplicate_delivery": False,
    }
    assert Alert.objects.count() == 2
    resolved_at = datetime(2026, 3, 8, 10, 21, tzinfo=UTC)
    for alert in Alert.objects.all():
        assert alert.status == Alert.Status.RESOLVED
        assert alert.resolved_at == resolved_at
        assert alert.ends_at == resolved_at
        assert alert.receive_count == 2


def test_a_repeated_delivery_never_duplicates(client, alertmanager):
    post(client, alertmanager.url, raw("alertmanager-firing.json"))
    post(client, alertmanager.url, raw("alertmanager-resolved.json"))

    response = post(client, alertmanager.url, raw("alertmanager-resolved.json"))

    assert response.status_code == 200
    assert response.json()["created"] == 0
    assert response.json()["resolved"] == 0  # already resolved: nothing newly resolved
    assert Alert.objects.count() == 2
    assert sorted(Alert.objects.values_list("receive_count", flat=True)) == [3, 3]
    assert set(Alert.objects.values_list("resolved_at", flat=True)) == {
        datetime(2026, 3, 8, 10, 21, tzinfo=UTC)
    }


def test_redelivered_firing_updates_labels_and_receipt(client, alertmanager):
    post(client, alertmanager.url, raw("alertmanager-firing.json"))
    before = Alert.objects.get(fingerprint="a1b2c3d4e5f60718")
    again = payload("alertmanager-firing.json")
    again["alerts"][0]["labels"]["severity"] = "warning"

    post(client, alertmanager.url, again)

    after = Alert.objects.get(fingerprint="a1b2c3d4e5f60718")
    assert after.pk == before.pk
    assert after.receive_count == 2
    assert after.last_received_at >= before.last_received_at
    assert after.labels["severity"] == "warning"
    assert after.urgency == Alert.Urgency.TODAY
    assert Alert.objects.count() == 2


def test_a_late_firing_retry_does_not_reopen_a_resolved_instance(client, alertmanager):
    post(client, alertmanager.url, raw("alertmanager-firing.json"))
    post(client, alertmanager.url, raw("alertmanager-resolved.json"))

    post(client, alertmanager.url, raw("alertmanager-firing.json"))

    assert set(Alert.objects.values_list("status", flat=True)) == {"resolved"}


def test_a_new_start_time_is_a_new_instance(client, alertmanager):
    post(client, alertmanager.url, raw("alertmanager-firing.json"))
    refire = payload("alertmanager-firing.json")
    refire["alerts"] = refire["alerts"][:1]
    refire["alerts"][0]["startsAt"] = "2026-03-08T11:30:00Z"

    post(client, alertmanager.url, refire)

    assert Alert.objects.filter(fingerprint="a1b2c3d4e5f60718").count() == 2


def test_bearer_token_on_the_kind_url_is_accepted(client, alertmanager):
    response = post(
        client,
        "/hooks/alertmanager/",
        raw("alertmanager-firing.json"),
        Authorization=f"Bearer {alertmanager.token}",
    )

    assert response.status_code == 200
    assert Alert.objects.count() == 2


def test_unknown_token_in_the_url_is_404_and_writes_nothing(client, alertmanager):
    response = post(client, "/hooks/alertmanager/not-the-token/", raw("alertmanager-firing.json"))

    assert response.status_code == 404
    assert Alert.objects.count() == 0


def test_missing_bearer_is_401(client, alertmanager):
    response = post(client, "/hooks/alertmanager/", raw("alertmanager-firing.json"))

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert Alert.objects.count() == 0


def test_wrong_bearer_is_401(client, alertmanager):
    response = post(
        client,
        "/hooks/alertmanager/",
        raw("alertmanager-firing.json"),
        Authorization="Bearer guessed",
    )

    assert response.status_code == 401
    assert Alert.objects.count() == 0


def test_token_of_another_kind_is_refused(client, admin_user):
    generic = integration_create(user=admin_user, kind="generic", name="Cron jobs")

    response = post(
        client, f"/hooks/alertmanager/{generic.token}/", raw("alertmanager-firing.json")
    )

    assert response.status_code == 404
    assert Alert.objects.count() == 0


def test_disabled_integration_is_refused(client, alertmanager):
    alertmanager.integration.enabled = False
    alertmanager.integration.save()

    response = post(client, alertmanager.url, raw("alertmanager-firing.json"))

    assert response.status_code == 404
    assert Alert.objects.count() == 0


def test_malformed_json_is_400_with_a_message(client, alertmanager):
    response = post(client, alertmanager.url, b'{"version": "4", "alerts": [')

    assert response.status_code == 400
    assert "not valid JSON" in response.json()["detail"]
    assert Alert.objects.count() == 0


def test_missing_alerts_list_is_400_naming_the_field(client, alertmanager):
    response = post(client, alertmanager.url, {"version": "4", "status": "firing"})

    assert response.status_code == 400
    assert response.json()["errors"] == {"alerts": ["This field is required (a list of alerts)."]}
    assert Alert.objects.count() == 0


def test_unsupported_version_is_400(client, alertmanager):
    old = payload("alertmanager-firing.json") | {"version": "3"}

    response = post(client, alertmanager.url, old)

    assert response.status_code == 400
    assert "version" in response.json()["errors"]


def test_one_invalid_alert_rejects_the_whole_delivery(client, alertmanager):
    delivery = payload("alertmanager-firing.json")
    third = copy.deepcopy(delivery["alerts"][0]) | {
        "fingerprint": "ffff000011112222",
        "startsAt": "yesterday",
    }
    delivery["alerts"].insert(1, third)

    response = post(client, alertmanager.url, delivery)

    assert response.status_code == 400
    body = response.json()
    assert "none of its 3 alerts were recorded" in body["detail"]
    assert "alerts[1].startsAt" in body["detail"]
    assert list(body["errors"]) == ["alerts[1].startsAt"]
    assert Alert.objects.count() == 0


def test_an_invalid_redelivery_leaves_recorded_alerts_untouched(client, alertmanager):
    post(client, alertmanager.url, raw("alertmanager-firing.json"))
    broken = payload("alertmanager-resolved.json")
    broken["alerts"][1]["status"] = "gone"

    response = post(client, alertmanager.url, broken)

    assert response.status_code == 400
    assert response.json()["errors"]["alerts[1].status"] == [
        "Expected firing or resolved, got 'gone'."
    ]
    assert set(Alert.objects.values_list("status", "receive_count")) == {("firing", 1)}


def test_start_time_without_time_zone_is_400(client, alertmanager):
    delivery = payload("alertmanager-firing.json")
    delivery["alerts"][0]["startsAt"] = "2026-03-08T09:58:00"

    response = post(client, alertmanager.url, delivery)

    assert response.status_code == 400
    assert "no time zone" in response.json()["detail"]


def test_oversized_body_is_413_and_writes_nothing(client, alertmanager, settings):
    settings.FIREBREAK_WEBHOOK_MAX_BYTES = 2048
    delivery = payload("alertmanager-firing.json")
    delivery["alerts"][0]["annotations"]["description"] = "x" * 4096

    response = post(client, alertmanager.url, delivery)

    assert response.status_code == 413
    assert Alert.objects.count() == 0


def test_get_is_not_allowed(client, alertmanager):
    assert client.get(alertmanager.url).status_code == 405


def test_refusals_are_logged_without_the_secret_url(client, alertmanager, caplog):
    with caplog.at_level("INFO"):
        post(client, alertmanager.url, b"{not json")
        client.get(alertmanager.url)

    assert "answered 400" in caplog.text and "answered 405" in caplog.text
    assert alertmanager.token not in caplog.text


def test_higher_layers_hear_of_new_alerts_after_commit(
    client, alertmanager, django_capture_on_commit_callbacks
):
    heard = []

    def listener(sender, created_ids, resolved_ids, **kwargs):
        heard.append((sorted(created_ids), resolved_ids))

    def broken_listener(sender, **kwargs):
        raise RuntimeError("paging is down")

    alerts_received.connect(listener)
    alerts_received.connect(broken_listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = post(client, alertmanager.url, raw("alertmanager-firing.json"))
    finally:
        alerts_received.disconnect(listener)
        alerts_received.disconnect(broken_listener)

    assert response.status_code == 200  # a failing listener never fails the delivery
    assert heard == [(sorted(Alert.objects.values_list("pk", flat=True)), [])]


def test_a_late_resolve_of_an_older_firing_resolves_that_firing_and_leaves_the_newer_one_firing(
    client, alertmanager
):
    """Alertmanager retries a resolved notification for an instance that has since fired again:
    the retry lands on the older instance (counted as one more receipt), never on a new row."""
    first = payload("alertmanager-firing.json")
    first["alerts"] = first["alerts"][:1]
    post(client, alertmanager.url, first)
    refire = copy.deepcopy(first)
    refire["alerts"][0]["startsAt"] = "2026-03-08T11:30:00Z"
    post(client, alertmanager.url, refire)
    late_resolve = copy.deepcopy(first)
    late_resolve["status"] = late_resolve["alerts"][0]["status"] = "resolved"
    late_resolve["alerts"][0]["endsAt"] = "2026-03-08T10:20:00Z"

    response = post(client, alertmanager.url, late_resolve)

    assert response.json()["created"] == 0 and response.json()["resolved"] == 1
    older, newer = Alert.objects.filter(fingerprint="a1b2c3d4e5f60718").order_by("fired_at")
    assert (older.status, older.receive_count, older.superseded) == ("resolved", 2, True)
    assert older.resolved_at == datetime(2026, 3, 8, 10, 20, tzinfo=UTC)
    assert (newer.status, newer.receive_count, newer.superseded) == ("firing", 1, False)


def test_higher_layers_hear_which_new_alerts_need_someone_now(
    client, alertmanager, django_capture_on_commit_callbacks
):
    """Paging starts only for new alerts that are critical, firing and unacknowledged; ingest
    names them, so a delivery of warnings costs paging no query."""
    delivery = payload("alertmanager-firing.json")
    critical, warning = delivery["alerts"]
    warning["labels"]["severity"] = "warning"
    resolved_on_arrival = copy.deepcopy(critical)
    resolved_on_arrival.update(
        status="resolved",
        fingerprint="77aa77aa77aa77aa",
        endsAt="2026-03-08T10:05:00Z",
    )
    delivery["alerts"].append(resolved_on_arrival)
    heard = []

    def listener(sender, created_critical_ids, **kwargs):
        heard.append(list(created_critical_ids))

    alerts_received.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            post(client, alertmanager.url, delivery)
    finally:
        alerts_received.disconnect(listener)

    assert heard == [[Alert.objects.get(fingerprint=critical["fingerprint"]).pk]]
