"""Declaring an incident from alerts, linking alerts later, and alert privacy."""

from __future__ import annotations

from datetime import timedelta

import pytest

from config.errors import Conflict, ValidationFailed
from incidents import services
from incidents.models import Incident, TimelineEvent
from oncall.alerts.selectors import alert_list
from oncall.alerts.services import alert_acknowledge, alert_ingest, integration_create
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
        incident=incident, user=responder, alert_ids=[checkout_alerts[0].pk], move_start=True
    )

    incident.refresh_from_db()
    assert incident.detected_at == checkout_alerts[0].fired_at
    corrections = TimelineEvent.objects.filter(incident=incident, kind="timestamp_corrected")
    assert {e.data["field"] for e in corrections} == {"detected_at", "started_at"}


def test_an_alert_from_long_before_the_recorded_start_is_linked_only_once_confirmed(
    responder, checkout_alerts
):
    """A mistyped alert id must not move an incident's start (and its time to recover) back by
    months: an alert that fired more than an hour before the recorded start of impact asks
    first, and nothing is linked until it is confirmed."""
    incident = declare(responder)  # impact began "now", months after the recorded alerts
    started = incident.started_at

    with pytest.raises(ValidationFailed) as refused:
        services.incident_link_alerts(
            incident=incident, user=responder, alert_ids=[checkout_alerts[0].pk]
        )

    assert refused.value.field_errors["move_start"]
    assert "before this incident's impact began" in refused.value.message
    incident.refresh_from_db()
    assert incident.started_at == started and not incident.alerts.exists()
    assert not incident.timeline.filter(kind="alert_linked").exists()


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


# --- METRICS.md v2: an earlier page acknowledgement is the incident's acknowledgement ------------


def test_a_page_acknowledged_before_the_declaration_is_when_the_incident_was_acknowledged(
    responder, other_responder, checkout_alerts, time_machine
):
    first = min(checkout_alerts, key=lambda a: a.fired_at)
    acked_at = first.fired_at + timedelta(minutes=3)
    time_machine.move_to(acked_at, tick=False)
    alert_acknowledge(alert=first, user=other_responder)
    time_machine.move_to(acked_at + timedelta(minutes=12), tick=False)

    incident = declare(responder, alert_ids=[first.pk])

    assert incident.acknowledged_at == acked_at
    event = TimelineEvent.objects.get(incident=incident, kind="alert_acknowledged")
    assert event.occurred_at == acked_at
    assert event.body == f"Omar acknowledged the page for alert {first.name}."


def test_linking_an_alert_acknowledged_earlier_moves_the_acknowledgement(
    responder, other_responder, checkout_alerts, time_machine
):
    first = min(checkout_alerts, key=lambda a: a.fired_at)
    acked_at = first.fired_at + timedelta(minutes=3)
    time_machine.move_to(acked_at, tick=False)
    alert_acknowledge(alert=first, user=other_responder)
    time_machine.move_to(acked_at + timedelta(minutes=30), tick=False)
    incident = declare(responder)

    services.incident_link_alerts(incident=incident, user=responder, alert_ids=[first.pk])

    incident.refresh_from_db()
    assert incident.acknowledged_at == acked_at
    assert incident.timeline.filter(kind="alert_acknowledged").count() == 1


# --- one open incident per alert ----------------------------------------------------------------


def test_declaring_again_from_an_alert_of_an_open_incident_offers_that_incident(
    responder, other_responder, checkout_alerts
):
    alert = checkout_alerts[0]
    first = declare(responder, alert_ids=[alert.pk])
    before = Incident.objects.count()

    with pytest.raises(Conflict) as refused:
        declare(responder, alert_ids=[alert.pk])

    assert first.reference in refused.value.message
    assert refused.value.as_dict()["incident_url"] == f"/incidents/{first.number}/"
    assert Incident.objects.count() == before


def test_an_alert_of_a_resolved_incident_can_start_a_new_one(responder, checkout_alerts):
    alert = checkout_alerts[0]
    first = declare(responder, alert_ids=[alert.pk])
    services.incident_change_status(incident=first, user=responder, status="resolved")

    second = declare(responder, alert_ids=[alert.pk])

    assert second.number == first.number + 1


def test_an_outsider_is_not_told_which_private_incident_holds_the_alert(
    responder, outsider, checkout_alerts
):
    alert = checkout_alerts[0]
    secret = declare(responder, private=True, title="Credential leak", alert_ids=[alert.pk])

    with pytest.raises(ValidationFailed) as refused:
        declare(outsider, alert_ids=[alert.pk])

    assert secret.reference not in refused.value.message
    assert Incident.objects.count() == 1
