"""Chronology (METRICS.md) and timestamp corrections through incident_update / incident_mitigate.

Rules: started ≤ detected ≤ declared, detected ≤ acknowledged, started ≤ mitigated ≤ resolved ≤ closed.
Each rule is checked from both ends (moving the earlier stamp later, or the later stamp earlier),
and equality is allowed.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from config.errors import PermissionDenied, ValidationFailed
from incidents import services
from incidents.models import Incident, TimelineEvent
from tests.factories import declare

DAY = datetime(2024, 5, 1, tzinfo=UTC)


def at(hhmm: str) -> datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return DAY.replace(hour=hour, minute=minute)


# The lifecycle every test starts from.
BASELINE = {
    "started_at": at("11:00"),
    "detected_at": at("11:30"),
    "declared_at": at("12:00"),
    "acknowledged_at": at("12:00"),
    "mitigated_at": at("12:30"),
    "resolved_at": at("13:00"),
    "closed_at": at("13:30"),
}


@pytest.fixture
def closed_incident(responder, time_machine):
    time_machine.move_to(at("12:00"), tick=False)
    incident = declare(responder, started_at=at("11:00"), detected_at=at("11:30"))
    time_machine.move_to(at("12:45"), tick=False)
    services.incident_mitigate(incident=incident, user=responder, at=at("12:30"))
    time_machine.move_to(at("13:00"), tick=False)
    services.incident_change_status(incident=incident, user=responder, status="resolved")
    time_machine.move_to(at("13:30"), tick=False)
    services.incident_change_status(incident=incident, user=responder, status="closed")
    time_machine.move_to(at("14:00"), tick=False)
    incident.refresh_from_db()
    return incident


def stamps(incident: Incident) -> dict[str, datetime | None]:
    incident.refresh_from_db()
    return {field: getattr(incident, field) for field in BASELINE}


def test_the_fixture_lifecycle_has_the_expected_stamps(closed_incident):
    assert stamps(closed_incident) == BASELINE


VIOLATIONS = [
    # (rule, changes, field the error is reported on)
    (
        "started ≤ detected: impact moved after detection",
        {"started_at": at("11:31")},
        "detected_at",
    ),
    (
        "started ≤ detected: detection moved before impact",
        {"detected_at": at("10:59")},
        "detected_at",
    ),
    (
        "detected ≤ declared: detection moved after declaration",
        {"detected_at": at("12:01"), "acknowledged_at": at("12:05")},
        "declared_at",
    ),
    (
        "detected ≤ declared: declaration moved before detection",
        {"declared_at": at("11:29")},
        "declared_at",
    ),
    (
        "detected ≤ acknowledged: acknowledgement moved before detection",
        {"acknowledged_at": at("11:29")},
        "acknowledged_at",
    ),
    (
        "detected ≤ acknowledged: detection moved after acknowledgement",
        {"acknowledged_at": at("11:40"), "detected_at": at("11:45")},
        "acknowledged_at",
    ),
    (
        "started ≤ mitigated: recovery moved before impact",
        {"mitigated_at": at("10:59")},
        "mitigated_at",
    ),
    (
        "started ≤ mitigated: impact moved after recovery",
        {"mitigated_at": at("11:20"), "started_at": at("11:25")},
        "mitigated_at",
    ),
    (
        "mitigated ≤ resolved: resolution moved before recovery",
        {"resolved_at": at("12:29")},
        "resolved_at",
    ),
    (
        "mitigated ≤ resolved: recovery moved after resolution",
        {"mitigated_at": at("13:01")},
        "resolved_at",
    ),
    ("resolved ≤ closed: closing moved before resolution", {"closed_at": at("12:59")}, "closed_at"),
    (
        "resolved ≤ closed: resolution moved after closing",
        {"resolved_at": at("13:31")},
        "closed_at",
    ),
]


@pytest.mark.parametrize(("rule", "changes", "field"), VIOLATIONS, ids=[v[0] for v in VIOLATIONS])
def test_violating_a_rule_is_rejected_naming_the_field_and_nothing_changes(
    closed_incident, responder, rule, changes, field
):
    events_before = TimelineEvent.objects.count()

    with pytest.raises(ValidationFailed) as error:
        services.incident_update(incident=closed_incident, user=responder, changes=changes)

    assert error.value.code == "chronology"
    assert list(error.value.field_errors) == [field]
    assert "cannot be before" in error.value.message
    assert stamps(closed_incident) == BASELINE
    assert TimelineEvent.objects.count() == events_before


EQUALITIES = [
    ("started = detected", {"started_at": at("11:30")}),
    ("detected = declared", {"detected_at": at("12:00")}),
    ("detected = acknowledged", {"acknowledged_at": at("11:30"), "detected_at": at("11:30")}),
    ("started = mitigated", {"mitigated_at": at("11:00")}),
    ("mitigated = resolved", {"mitigated_at": at("13:00")}),
    ("resolved = closed", {"resolved_at": at("13:30")}),
]


@pytest.mark.parametrize(("rule", "changes"), EQUALITIES, ids=[e[0] for e in EQUALITIES])
def test_equal_stamps_are_in_order(closed_incident, responder, rule, changes):
    services.incident_update(incident=closed_incident, user=responder, changes=changes)

    assert stamps(closed_incident) == {**BASELINE, **changes}


def test_message_names_both_stamps_of_the_broken_rule(closed_incident, responder):
    with pytest.raises(ValidationFailed) as error:
        services.incident_update(
            incident=closed_incident, user=responder, changes={"resolved_at": at("12:29")}
        )

    assert "resolved" in error.value.message
    assert "mitigated" in error.value.message


def test_timestamps_in_the_future_are_rejected(closed_incident, responder):
    with pytest.raises(ValidationFailed) as error:
        services.incident_update(
            incident=closed_incident, user=responder, changes={"closed_at": at("16:00")}
        )

    assert list(error.value.field_errors) == ["closed_at"]
    assert "future" in error.value.message
    assert stamps(closed_incident) == BASELINE


def test_mitigation_in_the_future_is_rejected(responder, time_machine):
    time_machine.move_to(at("12:00"), tick=False)
    incident = declare(responder)

    with pytest.raises(ValidationFailed) as error:
        services.incident_mitigate(incident=incident, user=responder, at=at("13:00"))

    assert "mitigated_at" in error.value.field_errors
    incident.refresh_from_db()
    assert incident.mitigated_at is None


def test_mitigation_before_impact_is_rejected(responder, time_machine):
    time_machine.move_to(at("12:00"), tick=False)
    incident = declare(responder, started_at=at("11:00"))

    with pytest.raises(ValidationFailed) as error:
        services.incident_mitigate(incident=incident, user=responder, at=at("10:30"))

    assert "mitigated_at" in error.value.field_errors
    assert not incident.timeline.filter(kind="mitigated").exists()


def test_mitigation_records_when_impact_ended_not_when_it_was_reported(responder, time_machine):
    time_machine.move_to(at("12:00"), tick=False)
    incident = declare(responder, started_at=at("11:00"))
    time_machine.move_to(at("12:40"), tick=False)

    services.incident_mitigate(incident=incident, user=responder, at=at("12:25"))

    incident.refresh_from_db()
    assert incident.mitigated_at == at("12:25")
    event = incident.timeline.get(kind="mitigated")
    assert event.occurred_at == at("12:25")
    assert event.recorded_at == at("12:40")


def test_stamps_cannot_be_removed_where_metrics_need_them(closed_incident, responder):
    with pytest.raises(ValidationFailed) as error:
        services.incident_update(
            incident=closed_incident, user=responder, changes={"started_at": None}
        )

    assert "started_at" in error.value.field_errors


# --- who may correct, and what a correction leaves behind ---------------------------------------


def test_a_responder_who_is_not_the_commander_cannot_correct_timestamps(
    closed_incident, other_responder
):
    with pytest.raises(PermissionDenied):
        services.incident_update(
            incident=closed_incident, user=other_responder, changes={"started_at": at("10:50")}
        )

    assert stamps(closed_incident) == BASELINE


def test_a_responder_who_is_not_the_commander_can_still_edit_details(
    closed_incident, other_responder
):
    services.incident_update(
        incident=closed_incident, user=other_responder, changes={"title": "Renamed"}
    )

    closed_incident.refresh_from_db()
    assert closed_incident.title == "Renamed"


def test_an_admin_can_correct_timestamps(closed_incident, admin_user):
    services.incident_update(
        incident=closed_incident, user=admin_user, changes={"started_at": at("10:50")}
    )

    assert stamps(closed_incident)["started_at"] == at("10:50")


def test_a_new_commander_can_correct_timestamps_and_the_old_one_no_longer_can(
    closed_incident, responder, other_responder
):
    services.role_assign(
        incident=closed_incident,
        user=responder,
        role="incident_commander",
        assignee=other_responder,
    )

    services.incident_update(
        incident=closed_incident, user=other_responder, changes={"started_at": at("10:50")}
    )
    with pytest.raises(PermissionDenied):
        services.incident_update(
            incident=closed_incident, user=responder, changes={"started_at": at("10:40")}
        )
    assert stamps(closed_incident)["started_at"] == at("10:50")


def test_each_corrected_stamp_writes_one_event_with_old_and_new(closed_incident, responder):
    services.incident_update(
        incident=closed_incident,
        user=responder,
        changes={"started_at": at("10:45"), "mitigated_at": at("12:20")},
        reason="Graphs show errors from 10:45.",
    )

    corrections = list(closed_incident.timeline.filter(kind="timestamp_corrected").order_by("id"))
    assert len(corrections) == 2
    by_field = {event.data["field"]: event for event in corrections}
    assert by_field["started_at"].data["old"] == at("11:00").isoformat()
    assert by_field["started_at"].data["new"] == at("10:45").isoformat()
    assert by_field["mitigated_at"].data["old"] == at("12:30").isoformat()
    assert by_field["mitigated_at"].data["new"] == at("12:20").isoformat()
    assert all(event.actor == responder for event in corrections)
    assert "Graphs show errors from 10:45." in by_field["started_at"].body


def test_setting_a_stamp_to_its_current_value_writes_no_event(closed_incident, responder):
    services.incident_update(
        incident=closed_incident, user=responder, changes={"started_at": at("11:00")}
    )

    assert not closed_incident.timeline.filter(kind="timestamp_corrected").exists()


def test_earlier_events_are_untouched_by_a_correction(closed_incident, responder):
    before = list(TimelineEvent.objects.values().order_by("id"))

    services.incident_update(
        incident=closed_incident, user=responder, changes={"detected_at": at("11:20")}
    )

    after = list(TimelineEvent.objects.values().order_by("id"))
    assert after[: len(before)] == before
    assert len(after) == len(before) + 1
