"""Declaring an incident from alerts, linking alerts later, and alert privacy."""

from __future__ import annotations

from datetime import timedelta

import pytest

from config.errors import ValidationFailed
from incidents import services
from incidents.models import TimelineEvent
from oncall.alerts.selectors import alert_list
from oncall.alerts.services import alert_ingest, integration_create
from oncall.models import Alert
from tests.factories import declare
from tests.oncall.fixtures import payload


@pytest.fixture
def checkout_alerts(responder):
    """The two CheckoutErrorRateHigh instances from the recorded Alertmanager delivery."""
    issued = integration_create(
        user=responder, kind="alertmanager", name="prod", service_slug="checkout"
    )
    alert_ingest(integration=issued.integration, payload=payload("alertmanager-firing.json"))
    return list(Alert.objects.order_by("fired_at", "pk"))


def test_declaring_from_alerts_links_them_and_detection_is_the_earliest_alert(
    responder, checkout_alerts
):
    incident = declare(responder, alert_ids=[a.pk for a in checkout_alerts])

    earliest = min(a.fired_at for a in checkout_alerts)
    assert set(incident.alerts.all()) == set(checkout_alerts)
    assert incident.detected_at == earliest
    assert incident.started_at == earliest
    linked = TimelineEvent.objects.filter(incident=incident, kind="alert_linked")
    assert linked.count() == len(checkout_alerts)
    assert all(
        e.occurred_at == alert.fired_at
        for e, alert in zip(
            linked.order_by("occurred_at"),
            sorted(checkout_alerts, key=lambda a: a.fired_at),
            strict=True,
        )
    )


def test_an_explicit_detected_at_wins_over_the_alerts(responder, checkout_alerts):
    later = max(a.fired_at for a in checkout_alerts) + timedelta(minutes=3)
    incident = declare(responder, alert_ids=[checkout_alerts[0].pk], detected_at=later)
    assert incident.detected_at == later


def test_unknown_alert_ids_are_rejected_and_nothing_is_declared(responder, checkout_alerts):
    from incidents.models import Incident

    with pytest.raises(ValidationFailed, match="Unknown alert"):
        declare(responder, alert_ids=[checkout_alerts[0].pk, 999_999])
    assert Incident.objects.count() == 0


def test_linking_an_earlier_alert_later_moves_detection_and_says_so(responder, checkout_alerts):
    incident = declare(responder)  # detected "now", long after the recorded alerts fired
    services.incident_link_alerts(
        incident=incident, user=responder, alert_ids=[checkout_alerts[0].pk]
    )

    incident.refresh_from_db()
    assert incident.detected_at == checkout_alerts[0].fired_at
    corrections = TimelineEvent.objects.filter(incident=incident, kind="timestamp_corrected")
    assert {e.data["field"] for e in corrections} == {"detected_at", "started_at"}


def test_linking_the_same_alert_twice_writes_one_event(responder, checkout_alerts):
    incident = declare(responder, alert_ids=[checkout_alerts[0].pk])
    services.incident_link_alerts(
        incident=incident, user=responder, alert_ids=[checkout_alerts[0].pk]
    )
    assert TimelineEvent.objects.filter(incident=incident, kind="alert_linked").count() == 1


def test_alerts_of_a_private_incident_are_hidden_from_outsiders(
    responder, outsider, admin_user, checkout_alerts
):
    declare(responder, private=True, alert_ids=[checkout_alerts[0].pk])

    assert checkout_alerts[0] in alert_list(user=responder)
    assert checkout_alerts[0] in alert_list(user=admin_user)
    assert checkout_alerts[0] not in alert_list(user=outsider)
    assert checkout_alerts[1] in alert_list(user=outsider)  # not linked: still visible


def test_an_outsider_cannot_link_an_alert_they_cannot_see(responder, outsider, checkout_alerts):
    declare(responder, private=True, alert_ids=[checkout_alerts[0].pk])
    with pytest.raises(ValidationFailed, match="Unknown alert"):
        declare(outsider, alert_ids=[checkout_alerts[0].pk])
