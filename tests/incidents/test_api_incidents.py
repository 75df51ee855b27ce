"""REST API: declaring, listing, reading and changing incidents (/api/v1/incidents/)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from incidents.models import Incident, Reminder, Status, TimelineEvent
from tests.factories import ServiceFactory, declare

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
INCIDENT_KEYS = {
    "id",
    "number",
    "reference",
    "url",
    "title",
    "summary",
    "impact",
    "severity",
    "status",
    "kind",
    "trigger_category",
    "private",
    "timezone",
    "services",
    "tags",
    "contributing_factors",
    "started_at",
    "detected_at",
    "declared_at",
    "acknowledged_at",
    "mitigated_at",
    "resolved_at",
    "closed_at",
    "update_interval_minutes",
    "next_update_due_at",
    "recorded_after_the_fact",
    "public_title",
    "roles",
    "effective_roles",
}


@pytest.fixture
def at_noon(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


def url(incident=None, suffix: str = "") -> str:
    return "/api/v1/incidents/" + (f"{incident.pk}/" if incident is not None else "") + suffix


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


# --- declaring -----------------------------------------------------------------------------------


def test_declaring_returns_the_incident_with_exactly_the_documented_keys(api, responder, at_noon):
    ServiceFactory(slug="checkout")

    response = api.as_user(responder).post(
        url(),
        {"title": "Checkout returns 500s", "severity": "SEV2", "services": ["checkout"]},
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == INCIDENT_KEYS
    incident = Incident.objects.get()
    assert body["id"] == incident.pk
    assert body["number"] == incident.number
    assert body["reference"] == f"INC-{incident.number}"
    assert body["url"].endswith(f"/incidents/{incident.number}/")
    assert body["status"] == "investigating"
    assert body["kind"] == "incident"
    assert body["private"] is False
    assert body["services"] == ["checkout"]
    # METRICS.md defaults: declared now, detected = started = declared; the declarer is IC.
    assert (
        body["declared_at"] == body["detected_at"] == body["started_at"] == "2024-05-01T12:00:00Z"
    )
    assert body["acknowledged_at"] == "2024-05-01T12:00:00Z"
    assert body["mitigated_at"] is body["resolved_at"] is body["closed_at"] is None
    assert body["update_interval_minutes"] == 30
    assert body["next_update_due_at"] == "2024-05-01T12:30:00Z"
    assert body["roles"] == [
        {"role": "incident_commander", "user": "rita", "assigned_at": "2024-05-01T12:00:00Z"}
    ]
    scribe = next(r for r in body["effective_roles"] if r["role"] == "scribe")
    assert scribe == {"role": "scribe", "label": "Scribe", "holders": ["rita"], "delegated": False}


def test_declaring_accepts_every_optional_field(api, responder, at_noon):
    response = api.as_user(responder).post(
        url(),
        {
            "title": "Search is slow",
            "severity": "SEV3",
            "summary": "p99 at 4 s",
            "impact": "Some searches time out",
            "kind": "drill",
            "trigger_category": "config_change",
            "private": True,
            "started_at": "2024-05-01T11:00:00+02:00",
            "detected_at": "2024-05-01T11:30:00Z",
            "update_interval_minutes": 15,
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["summary"], body["impact"], body["kind"]) == (
        "p99 at 4 s",
        "Some searches time out",
        "drill",
    )
    assert body["trigger_category"] == "config_change"
    assert body["private"] is True
    assert body["started_at"] == "2024-05-01T09:00:00Z"  # converted to UTC
    assert body["detected_at"] == "2024-05-01T11:30:00Z"
    assert body["update_interval_minutes"] == 15
    assert body["next_update_due_at"] == "2024-05-01T12:15:00Z"


def test_the_interval_shown_is_the_effective_one_for_the_severity(api, responder, settings):
    settings.FIREBREAK_UPDATE_INTERVAL_BY_SEVERITY = {"SEV1": 10}

    response = api.as_user(responder).post(
        url(), {"title": "Down", "severity": "SEV1"}, format="json"
    )

    assert response.json()["update_interval_minutes"] == 10


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"severity": "SEV2"}, "title"),
        ({"title": "x"}, "severity"),
        ({"title": "x", "severity": "SEV9"}, "severity"),
        ({"title": "x", "severity": "SEV2", "colour": "red"}, "colour"),
        ({"title": "x", "severity": "SEV2", "kind": "exercise"}, "kind"),
        ({"title": 42, "severity": "SEV2"}, "title"),
        ({"title": ["x"], "severity": "SEV2"}, "title"),
        ({"title": "x" * 201, "severity": "SEV2"}, "title"),
        ({"title": "x", "severity": "SEV2", "summary": "x" * 20_001}, "summary"),
        ({"title": "nul\x00byte", "severity": "SEV2"}, "title"),
        ({"title": "x", "severity": "SEV2", "private": "yes"}, "private"),
        ({"title": "x", "severity": "SEV2", "services": "checkout"}, "services"),
        ({"title": "x", "severity": "SEV2", "services": ["no-such-service"]}, "services"),
        ({"title": "x", "severity": "SEV2", "started_at": "yesterday"}, "started_at"),
        ({"title": "x", "severity": "SEV2", "started_at": "2024-04-31T10:00:00Z"}, "started_at"),
        ({"title": "x", "severity": "SEV2", "started_at": "2024-05-01T10:00:00"}, "started_at"),
        ({"title": "x", "severity": "SEV2", "detected_at": 1714557600}, "detected_at"),
        (
            {"title": "x", "severity": "SEV2", "update_interval_minutes": 0},
            "update_interval_minutes",
        ),
        (
            {"title": "x", "severity": "SEV2", "update_interval_minutes": "15"},
            "update_interval_minutes",
        ),
        (
            {"title": "x", "severity": "SEV2", "update_interval_minutes": 10**30},
            "update_interval_minutes",
        ),
    ],
    ids=lambda value: None if isinstance(value, dict) else value,
)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(api, responder, payload, field):
    response = api.as_user(responder).post(url(), payload, format="json")

    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"], body
    assert body["detail"]
    assert not Incident.objects.exists()


def test_an_error_body_has_a_readable_detail_a_code_and_errors_per_field(api, responder):
    response = api.as_user(responder).post(url(), {"severity": "SEV9"}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "detail": 'title: This field is required. severity: "SEV9" is not a valid choice.',
        "code": "required",
        "errors": {
            "title": ["This field is required."],
            "severity": ['"SEV9" is not a valid choice.'],
        },
    }


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b"[1, 2]", b"null", b'"a string"', b'{"title": "\\ud800", "severity": "SEV2"}'],
    ids=["malformed", "list", "null", "string", "lone-surrogate"],
)
def test_a_body_that_is_not_a_json_object_is_a_400_with_a_message(api, responder, raw):
    response = api.as_user(responder).generic("POST", url(), raw, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"]
    assert not Incident.objects.exists()


def test_form_bodies_are_refused_with_415(api, responder):
    response = api.as_user(responder).post(url(), {"title": "x", "severity": "SEV2"})

    assert response.status_code == 415
    assert "multipart/form-data" in response.json()["detail"]
    assert not Incident.objects.exists()


def test_a_start_after_detection_is_a_400_naming_both_stamps(api, responder, at_noon):
    response = api.as_user(responder).post(
        url(),
        {
            "title": "x",
            "severity": "SEV2",
            "started_at": "2024-05-01T11:00:00Z",
            "detected_at": "2024-05-01T10:00:00Z",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "chronology"
    assert "detected_at" in response.json()["errors"]


def test_viewers_cannot_declare(api, viewer):
    response = api.as_user(viewer).post(url(), {"title": "x", "severity": "SEV2"}, format="json")

    assert response.status_code == 403
    assert "responders" in response.json()["detail"]
    assert not Incident.objects.exists()


def test_viewers_are_refused_before_their_input_is_looked_at(api, viewer):
    response = api.as_user(viewer).post(url(), {"nonsense": True}, format="json")

    assert response.status_code == 403


def test_anonymous_requests_are_refused(client, incident):
    response = client.get(url(incident))

    assert response.status_code == 401
    assert response.json()["detail"]


# --- listing and reading ---------------------------------------------------------------------------


def test_the_list_filters_by_status_severity_kind_service_and_activity(api, responder):
    ServiceFactory(slug="search")
    sev1 = declare(responder, title="Down", severity="SEV1", services=["search"])
    sev3 = declare(responder, title="Slow", severity="SEV3")
    drill = declare(responder, title="Game day", severity="SEV3", kind="drill")
    from incidents.services import incident_change_status

    incident_change_status(incident=sev3, user=responder, status=Status.RESOLVED)
    client = api.as_user(responder)

    def ids(query: str) -> set[int]:
        response = client.get(url() + query)
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert ids("") == {sev1.pk, sev3.pk, drill.pk}
    assert ids("?severity=SEV1") == {sev1.pk}
    assert ids("?status=resolved") == {sev3.pk}
    assert ids("?kind=drill") == {drill.pk}
    assert ids("?service=search") == {sev1.pk}
    assert ids("?active=true") == {sev1.pk, drill.pk}
    assert ids("?active=false") == {sev3.pk}
    assert ids("?severity=SEV3&active=true") == {drill.pk}


@pytest.mark.parametrize(
    "query", ["?severity=SEV9", "?status=open", "?kind=party", "?service=a%00b"]
)
def test_an_invalid_list_filter_is_a_400(api, responder, query):
    response = api.as_user(responder).get(url() + query)

    assert response.status_code == 400
    assert response.json()["detail"]


def test_a_huge_page_size_is_capped_not_a_server_error(api, responder, incident):
    response = api.as_user(responder).get(url() + "?limit=100000000000000000000&offset=0")

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [incident.pk]


def test_the_list_shows_private_incidents_only_to_members(
    api, responder, outsider, incident, private_incident
):
    def ids(user) -> set[int]:
        return {row["id"] for row in api.as_user(user).get(url()).json()["results"]}

    assert ids(responder) == {incident.pk, private_incident.pk}
    assert ids(outsider) == {incident.pk}


def test_reading_one_incident(api, viewer, incident):
    response = api.as_user(viewer).get(url(incident))

    assert response.status_code == 200
    assert response.json()["title"] == "Checkout returns 500s"
    assert set(response.json()) == INCIDENT_KEYS


@pytest.mark.parametrize("bad_id", ["999999", "abc", "1.5", "99999999999999999999999999"])
def test_an_unknown_id_is_a_json_404(api, responder, incident, bad_id):
    response = api.as_user(responder).get(f"/api/v1/incidents/{bad_id}/")

    assert response.status_code == 404
    assert response.json()["detail"]


@pytest.mark.parametrize("method", ["put", "delete"])
def test_incidents_cannot_be_replaced_or_deleted(api, responder, incident, method):
    response = getattr(api.as_user(responder), method)(url(incident), {"title": "x"}, format="json")

    assert response.status_code == 405
    assert Incident.objects.filter(pk=incident.pk).exists()


def test_a_viewer_gets_405_not_403_for_a_method_that_does_not_exist(api, viewer, incident):
    response = api.as_user(viewer).delete(url(incident))

    assert response.status_code == 405


# --- changing details and timestamps ------------------------------------------------------------------


def test_patch_changes_details_and_records_them_on_the_timeline(api, responder, incident):
    ServiceFactory(slug="payments")

    response = api.as_user(responder).patch(
        url(incident),
        {
            "title": "Payments fail",
            "severity": "SEV1",
            "services": ["payments"],
            "reason": "Wider than thought",
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["title"], body["severity"], body["services"]) == (
        "Payments fail",
        "SEV1",
        ["payments"],
    )
    kinds = set(incident.timeline.values_list("kind", flat=True))
    assert {"severity_changed", "field_changed"} <= kinds


def test_the_commander_corrects_timestamps_and_each_correction_is_on_the_timeline(
    api, responder, time_machine
):
    time_machine.move_to(NOW, tick=False)
    incident = declare(responder)
    time_machine.move_to(NOW + timedelta(hours=2), tick=False)

    response = api.as_user(responder).patch(
        url(incident),
        {
            "started_at": "2024-05-01T11:00:00Z",
            "detected_at": "2024-05-01T11:30:00Z",
            "mitigated_at": "2024-05-01T12:40:00Z",
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["started_at"] == "2024-05-01T11:00:00Z"
    assert body["detected_at"] == "2024-05-01T11:30:00Z"
    assert body["mitigated_at"] == "2024-05-01T12:40:00Z"
    corrected = incident.timeline.filter(kind=TimelineEvent.EventKind.TIMESTAMP_CORRECTED)
    assert sorted(e.data["field"] for e in corrected) == [
        "detected_at",
        "mitigated_at",
        "started_at",
    ]


def test_chronology_violations_are_a_400_naming_the_fields_and_change_nothing(
    api, responder, incident
):
    before = Incident.objects.get(pk=incident.pk)

    response = api.as_user(responder).patch(
        url(incident),
        {"title": "Renamed", "mitigated_at": iso(incident.started_at - timedelta(hours=1))},
        format="json",
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "chronology"
    assert "mitigated_at" in body["errors"]
    assert "mitigated" in body["detail"]
    after = Incident.objects.get(pk=incident.pk)
    assert (after.title, after.mitigated_at) == (before.title, None)


def test_detected_before_started_names_detected_at(api, responder, incident):
    response = api.as_user(responder).patch(
        url(incident),
        {"detected_at": iso(incident.started_at - timedelta(minutes=5))},
        format="json",
    )

    assert response.status_code == 400
    assert "detected_at" in response.json()["errors"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"started_at": None}, "started_at"),
        ({"mitigated_at": "2024-05-01 10:00"}, "mitigated_at"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"number": 7}, "number"),
        ({"status": "resolved"}, "status"),
        ({"private": 1}, "private"),
    ],
)
def test_bad_changes_are_a_400_naming_the_field(api, responder, incident, payload, field):
    response = api.as_user(responder).patch(url(incident), payload, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_only_the_commander_corrects_timestamps(api, other_responder, incident):
    response = api.as_user(other_responder).patch(
        url(incident),
        {"started_at": iso(incident.started_at - timedelta(minutes=5))},
        format="json",
    )

    assert response.status_code == 403
    assert "commander" in response.json()["detail"]


def test_viewers_cannot_change_incidents(api, viewer, incident):
    response = api.as_user(viewer).patch(url(incident), {"title": "Mine now"}, format="json")

    assert response.status_code == 403
    assert response.json()["detail"]
    assert Incident.objects.get(pk=incident.pk).title == "Checkout returns 500s"


def test_a_responder_who_makes_an_incident_private_still_gets_the_result(
    api, other_responder, incident
):
    response = api.as_user(other_responder).patch(url(incident), {"private": True}, format="json")

    assert response.status_code == 200
    assert response.json()["private"] is True


# --- status, mitigation, reminders -----------------------------------------------------------------


def test_changing_status_through_the_api(api, responder, incident):
    response = api.as_user(responder).post(
        url(incident, "status/"), {"status": "resolved", "note": "Rolled back"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "resolved"
    assert response.json()["resolved_at"] is not None
    event = incident.timeline.get(kind=TimelineEvent.EventKind.STATUS_CHANGED)
    assert "Rolled back" in event.body


def test_a_forbidden_transition_is_a_400_saying_where_it_can_go(api, responder, incident):
    response = api.as_user(responder).post(
        url(incident, "status/"), {"status": "closed"}, format="json"
    )

    assert response.status_code == 400
    assert "status" in response.json()["errors"]
    assert "resolved" in response.json()["detail"]


def test_mitigating_stops_update_reminders(api, responder, incident):
    moment = incident.declared_at + timedelta(seconds=1)

    response = api.as_user(responder).post(
        url(incident, "mitigate/"), {"at": iso(moment), "note": "Failover done"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["mitigated_at"] == iso(moment)
    assert response.json()["next_update_due_at"] is None
    assert not Reminder.objects.filter(
        incident=incident,
        kind=Reminder.ReminderKind.UPDATE_DUE,
        status=Reminder.ReminderStatus.PENDING,
    ).exists()


def test_mitigating_before_the_start_is_a_400_naming_mitigated_at(api, responder, incident):
    response = api.as_user(responder).post(
        url(incident, "mitigate/"),
        {"at": iso(incident.started_at - timedelta(hours=1))},
        format="json",
    )

    assert response.status_code == 400
    assert "mitigated_at" in response.json()["errors"]


def test_snoozing_moves_the_next_update_due(api, responder, incident, at_noon):
    response = api.as_user(responder).post(url(incident, "snooze/"), {"minutes": 45}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["next_update_due_at"] == "2024-05-01T12:45:00Z"


@pytest.mark.parametrize("minutes", [0, 241, "10", 10.5, None, True])
def test_snoozing_for_a_bad_duration_is_a_400(api, responder, incident, minutes):
    response = api.as_user(responder).post(
        url(incident, "snooze/"), {"minutes": minutes}, format="json"
    )

    assert response.status_code == 400
    assert "minutes" in response.json()["errors"]


def test_a_far_out_time_zone_offset_is_stored_in_utc(api, responder, time_machine):
    """PostgreSQL refuses offsets beyond ±15:59, which Python accepts: we convert to UTC first."""
    time_machine.move_to(NOW, tick=False)

    response = api.as_user(responder).post(
        url(),
        {"title": "x", "severity": "SEV2", "started_at": "2024-05-02T03:00:00+16:00"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["started_at"] == "2024-05-01T11:00:00Z"
