"""Declaring an incident (incident_declare): defaults, numbering, authority, nothing half-written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from config.errors import PermissionDenied, ValidationFailed
from incidents.models import (
    Incident,
    Reminder,
    Role,
    RoleAssignment,
    StakeholderUpdate,
    TimelineEvent,
    TriggerCategory,
)
from incidents.selectors import timeline_for
from tests.factories import ServiceFactory, UserFactory, declare

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def at_noon(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


def nothing_written() -> bool:
    return not (
        Incident.objects.exists()
        or TimelineEvent.objects.exists()
        or RoleAssignment.objects.exists()
        or Reminder.objects.exists()
        or StakeholderUpdate.objects.exists()
    )


def test_without_timestamps_impact_detection_and_declaration_are_all_now(responder, at_noon):
    incident = declare(responder)

    assert incident.declared_at == NOW
    assert incident.detected_at == NOW
    assert incident.started_at == NOW
    assert incident.acknowledged_at == NOW  # the declarer took it: first IC
    assert incident.mitigated_at is None
    assert incident.resolved_at is None
    assert incident.closed_at is None


def test_impact_defaults_to_the_detection_time_when_only_that_is_given(responder, at_noon):
    detected = NOW - timedelta(minutes=20)

    incident = declare(responder, detected_at=detected)

    assert incident.detected_at == detected
    assert incident.started_at == detected
    assert incident.declared_at == NOW


def test_given_start_and_detection_are_kept(responder, at_noon):
    incident = declare(
        responder, started_at=NOW - timedelta(hours=2), detected_at=NOW - timedelta(minutes=30)
    )

    assert incident.started_at == NOW - timedelta(hours=2)
    assert incident.detected_at == NOW - timedelta(minutes=30)
    assert incident.declared_at == NOW


def test_other_defaults_kind_incident_active_public_unknown_trigger(responder, at_noon):
    incident = declare(responder)

    assert incident.kind == "incident"
    assert incident.status == "investigating"
    assert incident.private is False
    assert incident.trigger_category == TriggerCategory.UNKNOWN
    assert incident.is_active


def test_incident_is_narrated_in_the_declarers_time_zone(db, at_noon):
    tokyo = UserFactory(username="kenji", timezone="Asia/Tokyo")

    assert declare(tokyo).timezone == "Asia/Tokyo"


def test_first_stakeholder_update_is_due_one_interval_after_declaration(responder, at_noon):
    incident = declare(responder)

    assert incident.next_update_due_at == NOW + timedelta(minutes=30)
    reminder = Reminder.objects.get(incident=incident, kind="update_due")
    assert reminder.due_at == NOW + timedelta(minutes=30)
    assert reminder.status == "pending"


def test_numbers_increment_from_inc_1(responder, at_noon):
    first = declare(responder, title="First")
    second = declare(responder, title="Second")
    third = declare(responder, title="Third")

    assert [first.reference, second.reference, third.reference] == ["INC-1", "INC-2", "INC-3"]


def test_declarer_is_the_active_incident_commander_and_a_member(responder, at_noon):
    incident = declare(responder)

    commander = RoleAssignment.objects.get(incident=incident, ended_at__isnull=True)
    assert commander.role == Role.INCIDENT_COMMANDER
    assert commander.user == responder
    assert commander.assigned_at == NOW
    assert list(incident.members.all()) == [responder]
    assert incident.declared_by == responder


def test_declaration_writes_exactly_one_declared_event(responder, at_noon):
    incident = declare(responder, severity="SEV1")

    events = list(timeline_for(incident))
    assert [e.kind for e in events] == ["declared"]
    assert events[0].occurred_at == NOW
    assert events[0].actor == responder
    assert "INC-1" in events[0].body


def test_services_are_attached_by_slug(responder, at_noon):
    ServiceFactory(slug="checkout")
    ServiceFactory(slug="payments-api")

    incident = declare(responder, services=["checkout", "payments-api"])

    assert sorted(incident.services.values_list("slug", flat=True)) == ["checkout", "payments-api"]


def test_viewer_may_not_declare_and_nothing_is_written(viewer, at_noon):
    with pytest.raises(PermissionDenied):
        declare(viewer)

    assert nothing_written()


def test_unknown_service_slug_is_named_and_nothing_is_written(responder, at_noon):
    ServiceFactory(slug="checkout")

    with pytest.raises(ValidationFailed) as error:
        declare(responder, services=["checkout", "no-such-service"])

    assert "no-such-service" in error.value.message
    assert "no-such-service" in " ".join(error.value.field_errors["services"])
    assert "checkout" not in error.value.message
    assert nothing_written()


def test_impact_after_detection_is_rejected_and_nothing_is_written(responder, at_noon):
    with pytest.raises(ValidationFailed) as error:
        declare(
            responder,
            started_at=NOW - timedelta(minutes=5),
            detected_at=NOW - timedelta(minutes=30),
        )

    assert "detected_at" in error.value.field_errors
    assert nothing_written()


def test_detection_in_the_future_is_rejected(responder, at_noon):
    with pytest.raises(ValidationFailed) as error:
        declare(responder, detected_at=NOW + timedelta(hours=1))

    assert "detected_at" in error.value.field_errors
    assert nothing_written()


def test_naive_timestamp_is_rejected_naming_the_field(responder, at_noon):
    with pytest.raises(ValidationFailed) as error:
        declare(responder, started_at=datetime(2024, 5, 1, 11, 0))

    assert "started_at" in error.value.field_errors
    assert nothing_written()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("severity", "SEV9"),
        ("kind", "party"),
        ("trigger_category", "cosmic_rays"),
        ("title", "   "),
        ("update_interval_minutes", 0),
        ("private", "yes"),
    ],
)
def test_invalid_details_are_rejected_naming_the_field(responder, at_noon, field, value):
    with pytest.raises(ValidationFailed) as error:
        declare(responder, **{field: value})

    assert field in error.value.message or field in error.value.field_errors
    assert nothing_written()


def test_a_failed_declaration_does_not_use_up_a_number(responder, at_noon):
    declare(responder, title="First")
    with pytest.raises(ValidationFailed):
        declare(responder, title="Broken", services=["missing"])

    assert declare(responder, title="Second").reference == "INC-2"
