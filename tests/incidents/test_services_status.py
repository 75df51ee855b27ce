"""Status transitions (incident_change_status): investigating → identified → monitoring →
resolved → closed, forward jumps allowed, reopen from resolved/closed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from config.errors import PermissionDenied, ValidationFailed
from incidents import services
from incidents.models import Incident
from tests.factories import declare

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)

# The shortest way to reach each status from a fresh declaration.
PATH_TO = {
    "investigating": [],
    "identified": ["identified"],
    "monitoring": ["monitoring"],
    "resolved": ["resolved"],
    "closed": ["resolved", "closed"],
}

ALLOWED = [
    ("investigating", "identified"),
    ("investigating", "monitoring"),
    ("investigating", "resolved"),
    ("identified", "investigating"),
    ("identified", "monitoring"),
    ("identified", "resolved"),
    ("monitoring", "investigating"),
    ("monitoring", "identified"),
    ("monitoring", "resolved"),
    ("resolved", "closed"),
    ("resolved", "investigating"),  # reopen
    ("closed", "investigating"),  # reopen
]

FORBIDDEN = [
    ("investigating", "closed"),
    ("identified", "closed"),
    ("monitoring", "closed"),
    ("resolved", "identified"),
    ("resolved", "monitoring"),
    ("closed", "resolved"),
    ("closed", "identified"),
    ("closed", "monitoring"),
]


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(T0, tick=False)
    return time_machine


def incident_in(status: str, user) -> Incident:
    incident = declare(user)
    for step in PATH_TO[status]:
        incident = services.incident_change_status(incident=incident, user=user, status=step)
    return incident


@pytest.mark.parametrize(("old", "new"), ALLOWED)
def test_allowed_transition_changes_status_and_writes_one_event(responder, clock, old, new):
    incident = incident_in(old, responder)
    if new == "resolved":  # impact already ended, so resolving changes nothing else
        services.incident_mitigate(incident=incident, user=responder)
    events_before = incident.timeline.count()

    services.incident_change_status(incident=incident, user=responder, status=new)

    incident.refresh_from_db()
    assert incident.status == new
    assert incident.timeline.count() == events_before + 1
    event = incident.timeline.order_by("-id").first()
    assert event.kind == "status_changed"
    assert (event.data["from"], event.data["to"]) == (old, new)
    assert event.actor == responder


@pytest.mark.parametrize(("old", "new"), FORBIDDEN)
def test_forbidden_transition_is_rejected_and_writes_nothing(responder, clock, old, new):
    incident = incident_in(old, responder)
    events_before = incident.timeline.count()

    with pytest.raises(ValidationFailed) as error:
        services.incident_change_status(incident=incident, user=responder, status=new)

    assert "status" in error.value.field_errors
    assert new in error.value.message
    incident.refresh_from_db()
    assert incident.status == old
    assert incident.timeline.count() == events_before


def test_moving_to_the_current_status_is_rejected(responder, clock):
    incident = incident_in("identified", responder)

    with pytest.raises(ValidationFailed, match="already identified"):
        services.incident_change_status(incident=incident, user=responder, status="identified")
    assert incident.timeline.filter(kind="status_changed").count() == 1


def test_unknown_status_is_rejected(responder, clock):
    incident = declare(responder)

    with pytest.raises(ValidationFailed) as error:
        services.incident_change_status(incident=incident, user=responder, status="on_fire")

    assert "status" in error.value.field_errors


def test_resolving_stamps_resolved_at_and_closing_stamps_closed_at(responder, clock):
    incident = declare(responder)
    clock.move_to(T0 + timedelta(minutes=40), tick=False)
    services.incident_change_status(incident=incident, user=responder, status="resolved")
    clock.move_to(T0 + timedelta(days=3), tick=False)
    services.incident_change_status(incident=incident, user=responder, status="closed")

    incident.refresh_from_db()
    assert incident.resolved_at == T0 + timedelta(minutes=40)
    assert incident.closed_at == T0 + timedelta(days=3)


@pytest.mark.parametrize("from_status", ["resolved", "closed"])
def test_reopening_clears_resolved_and_closed(responder, clock, from_status):
    incident = incident_in(from_status, responder)

    services.incident_change_status(incident=incident, user=responder, status="investigating")

    incident.refresh_from_db()
    assert incident.status == "investigating"
    assert incident.resolved_at is None
    assert incident.closed_at is None
    event = incident.timeline.order_by("-id").first()
    assert event.data["reopened"] is True
    assert "reopened" in event.body


def test_reopening_keeps_when_impact_ended(responder, clock):
    incident = declare(responder)
    services.incident_mitigate(incident=incident, user=responder)
    incident = services.incident_change_status(incident=incident, user=responder, status="resolved")

    services.incident_change_status(incident=incident, user=responder, status="investigating")

    incident.refresh_from_db()
    assert incident.mitigated_at == T0


def test_resolved_incident_is_no_longer_active_and_stops_update_reminders(responder, clock):
    incident = declare(responder)

    services.incident_change_status(incident=incident, user=responder, status="resolved")

    incident.refresh_from_db()
    assert not incident.is_active
    assert incident.next_update_due_at is None
    assert not incident.reminders.filter(kind="update_due", status="pending").exists()


def test_note_is_kept_on_the_status_event(responder, clock):
    incident = declare(responder)

    services.incident_change_status(
        incident=incident, user=responder, status="identified", note="Bad config push."
    )

    event = incident.timeline.get(kind="status_changed")
    assert "Bad config push." in event.body


def test_any_responder_may_change_status_but_a_viewer_may_not(
    responder, other_responder, viewer, clock
):
    incident = declare(responder)

    services.incident_change_status(incident=incident, user=other_responder, status="identified")
    with pytest.raises(PermissionDenied):
        services.incident_change_status(incident=incident, user=viewer, status="monitoring")

    incident.refresh_from_db()
    assert incident.status == "identified"


# --- resolving records when impact ended (METRICS.md v2) ------------------------------------------


def test_resolving_an_unmitigated_incident_records_impact_ending_now(responder, clock):
    incident = declare(responder, started_at=T0 - timedelta(minutes=50))
    clock.move_to(T0 + timedelta(minutes=10), tick=False)

    services.incident_change_status(incident=incident, user=responder, status="resolved")

    incident.refresh_from_db()
    assert incident.mitigated_at == incident.resolved_at == T0 + timedelta(minutes=10)
    kinds = list(incident.timeline.order_by("id").values_list("kind", flat=True))
    assert kinds[-2:] == ["mitigated", "status_changed"]


def test_the_resolver_says_when_impact_ended(responder, clock):
    incident = declare(responder, started_at=T0 - timedelta(minutes=50))
    ended = T0 - timedelta(minutes=5)

    services.incident_change_status(
        incident=incident, user=responder, status="resolved", impact_ended_at=ended
    )

    incident.refresh_from_db()
    assert incident.mitigated_at == ended
    assert incident.timeline.get(kind="mitigated").occurred_at == ended


@pytest.mark.parametrize(
    "ended, message",
    [
        (T0 + timedelta(minutes=5), "cannot end in the future"),
        (T0 - timedelta(hours=3), "out of order"),
    ],
)
def test_a_wrong_impact_end_is_refused_and_nothing_changes(responder, clock, ended, message):
    incident = declare(responder, started_at=T0 - timedelta(minutes=50))

    with pytest.raises(ValidationFailed, match=message):
        services.incident_change_status(
            incident=incident, user=responder, status="resolved", impact_ended_at=ended
        )

    incident.refresh_from_db()
    assert (incident.status, incident.mitigated_at) == ("investigating", None)


def test_an_existing_mitigation_time_is_kept_when_resolving(responder, clock):
    incident = declare(responder, started_at=T0 - timedelta(minutes=50))
    services.incident_mitigate(incident=incident, user=responder, at=T0 - timedelta(minutes=20))

    services.incident_change_status(incident=incident, user=responder, status="resolved")

    incident.refresh_from_db()
    assert incident.mitigated_at == T0 - timedelta(minutes=20)
    assert incident.timeline.filter(kind="mitigated").count() == 1
