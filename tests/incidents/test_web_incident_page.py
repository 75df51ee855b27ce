"""The incident page: roles, updates, status, timestamps, notes and the live timeline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from incidents import services
from incidents.models import Role, StakeholderUpdate, Status, TimelineEvent
from tests.factories import declare

pytestmark = pytest.mark.django_db


def url(incident, suffix: str = "") -> str:
    return f"/incidents/{incident.number}/{suffix}"


def local_input(value: datetime, tz: str = "UTC") -> str:
    """How a datetime-local input shows ``value`` to someone in ``tz``."""
    return timezone.localtime(value, timezone=ZoneInfo(tz)).strftime("%Y-%m-%dT%H:%M")


def commander_of(incident):
    return incident.role_assignments.get(role=Role.INCIDENT_COMMANDER, ended_at__isnull=True).user


# --- header and roles -----------------------------------------------------------------------


def test_page_shows_reference_title_severity_status_and_services(client, responder):
    from tests.factories import ServiceFactory

    ServiceFactory(slug="payments", name="Payments")
    incident = declare(
        responder, title="Payments API timeouts", severity="SEV1", services=["payments"]
    )
    client.force_login(responder)
    page = client.get(url(incident)).content.decode()
    assert "INC-1" in page
    assert "Payments API timeouts" in page
    assert 'class="badge sev sev-sev1"' in page
    assert "Investigating" in page
    assert "Payments" in page
    assert "Critical: a core service is down" in page


def test_roles_panel_shows_the_commander_holding_every_undelegated_role(
    client, incident, responder
):
    client.force_login(responder)
    page = client.get(url(incident)).content.decode()
    assert "Rita — IC (not delegated)" in page


def test_the_commander_hands_off_command_through_the_form(
    client, incident, responder, other_responder
):
    client.force_login(responder)
    response = client.post(
        url(incident, "roles/"), {"role": "incident_commander", "user": other_responder.pk}
    )
    assert response.status_code == 302
    assert commander_of(incident) == other_responder

    page = client.get(response["Location"]).content.decode()
    assert "Omar is now incident commander." in page  # the success message
    assert "Incident commander handed off from Rita to Omar." in page  # the timeline
    assert "Omar — IC (not delegated)" in page  # the roles panel


def test_someone_who_is_not_commander_cannot_take_command(client, incident, other_responder):
    client.force_login(other_responder)
    response = client.post(
        url(incident, "roles/"), {"role": "incident_commander", "user": other_responder.pk}
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "Only the current incident commander (or an admin) can hand off command." in page
    assert commander_of(incident).username == "rita"


def test_delegated_roles_show_their_holder_and_can_be_released(
    client, incident, responder, other_responder
):
    services.role_assign(
        incident=incident, user=responder, role=Role.SCRIBE, assignee=other_responder
    )
    client.force_login(responder)
    page = client.get(url(incident)).content.decode()
    assert '<span class="holder">Omar</span>' in page

    response = client.post(
        url(incident, "roles/release/"), {"role": "scribe", "user": other_responder.pk}
    )
    assert response.status_code == 302
    assert not incident.role_assignments.filter(role="scribe", ended_at__isnull=True).exists()


def test_a_viewer_cannot_be_given_a_role(client, incident, responder, viewer):
    client.force_login(responder)
    response = client.post(url(incident, "roles/"), {"role": "scribe", "user": viewer.pk})
    # Viewers are not offered in the select at all.
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


# --- stakeholder updates ----------------------------------------------------------------------


def test_the_composer_is_prefilled_with_the_update_template(client, incident, responder):
    client.force_login(responder)
    page = client.get(url(incident)).content.decode()
    assert "What we know:\n\nWhat we are doing:\n\nNext update at:</textarea>" in page


def test_posting_an_update_lists_it_and_moves_the_next_update_due(client, incident, responder):
    client.force_login(responder)
    before = incident.next_update_due_at
    response = client.post(
        url(incident, "updates/"),
        {
            "kind": "update",
            "audience": "external",
            "body": "What we know: card payments fail.\nWhat we are doing: rolling back.",
        },
    )
    assert response.status_code == 302
    update = StakeholderUpdate.objects.get(incident=incident)
    assert update.audience == "external"
    incident.refresh_from_db()
    assert incident.next_update_due_at > before

    page = client.get(response["Location"]).content.decode()
    assert "Posted the external (customers) update." in page
    assert "What we know: card payments fail.<br>What we are doing: rolling back." in page
    assert "External update by Rita" in page  # the timeline entry


def test_next_update_time_is_read_in_the_posters_time_zone(client, incident, responder):
    responder.timezone = "Asia/Tokyo"
    responder.save()
    client.force_login(responder)
    promised = (timezone.now() + timedelta(hours=2)).replace(second=0, microsecond=0)
    client.post(
        url(incident, "updates/"),
        {
            "kind": "update",
            "audience": "internal",
            "body": "Still on it.",
            "next_update_at": local_input(promised, "Asia/Tokyo"),
        },
    )
    incident.refresh_from_db()
    assert incident.next_update_due_at == promised


def test_an_all_clear_must_say_whether_a_follow_up_comes(client, incident, responder):
    client.force_login(responder)
    response = client.post(
        url(incident, "updates/"),
        {"kind": "resolution", "audience": "internal", "body": "All clear."},
    )
    assert response.status_code == 400
    assert "must say whether a root-cause message will follow" in response.content.decode()
    assert not StakeholderUpdate.objects.exists()

    response = client.post(
        url(incident, "updates/"),
        {
            "kind": "resolution",
            "audience": "internal",
            "body": "All clear.",
            "follow_up_expected": "yes",
        },
    )
    assert response.status_code == 302
    assert StakeholderUpdate.objects.get().follow_up_expected is True


def test_an_empty_update_is_refused_on_the_form(client, incident, responder):
    client.force_login(responder)
    response = client.post(
        url(incident, "updates/"), {"kind": "update", "audience": "internal", "body": ""}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not StakeholderUpdate.objects.exists()


# --- status, mitigation, reminders -----------------------------------------------------------


def test_only_allowed_status_moves_are_offered(client, incident, responder):
    client.force_login(responder)
    page = client.get(url(incident)).content.decode()
    for allowed in ("identified", "monitoring"):
        assert f'name="status" value="{allowed}"' in page
    assert 'name="status" value="closed"' not in page
    # Resolving has its own form: it asks when impact ended.
    assert 'action="/incidents/1/resolve/"' in page
    assert "When did impact end?" in page


def test_a_status_move_that_is_not_allowed_is_an_error_message(client, incident, responder):
    client.force_login(responder)
    response = client.post(url(incident, "status/"), {"status": "closed"})
    assert response.status_code == 400
    assert "An incident that is investigating cannot move to closed" in response.content.decode()
    incident.refresh_from_db()
    assert incident.status == Status.INVESTIGATING


def test_an_allowed_status_move_is_announced(client, incident, responder):
    client.force_login(responder)
    response = client.post(
        url(incident, "status/"), {"status": "identified", "note": "Bad deploy."}
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == Status.IDENTIFIED
    page = client.get(response["Location"]).content.decode()
    assert "INC-1 is now identified." in page
    assert "Rita changed status from investigating to identified. Bad deploy." in page


def test_mark_mitigated_stops_the_update_countdown(client, incident, responder):
    client.force_login(responder)
    response = client.post(url(incident, "mitigate/"), {"note": "Rolled back."})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.mitigated_at is not None
    page = client.get(url(incident)).content.decode()
    assert "data-countdown-seconds" not in page
    assert "No stakeholder update is expected: the incident is no longer active." in page
    assert 'action="/incidents/1/mitigate/"' not in page


def test_the_countdown_to_the_next_update_is_on_the_page(client, incident, responder):
    client.force_login(responder)
    page = client.get(url(incident)).content.decode()
    assert "Next stakeholder update due" in page
    assert 'data-countdown-seconds="' in page


def test_snoozing_reminders_pushes_the_next_update(client, incident, responder):
    client.force_login(responder)
    response = client.post(url(incident, "reminders/snooze/"), {"minutes": "60"})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.next_update_due_at > timezone.now() + timedelta(minutes=59)
    assert incident.timeline.filter(kind=TimelineEvent.EventKind.REMINDERS_SNOOZED).exists()


def test_snoozing_for_an_odd_duration_is_refused(client, incident, responder):
    client.force_login(responder)
    response = client.post(url(incident, "reminders/snooze/"), {"minutes": "100000"})
    assert response.status_code == 400
    assert not incident.timeline.filter(kind=TimelineEvent.EventKind.REMINDERS_SNOOZED).exists()


# --- timestamps -------------------------------------------------------------------------------


def stamps_form(incident, tz: str = "UTC", **overrides) -> dict:
    data = {}
    for field in (
        "started_at",
        "detected_at",
        "declared_at",
        "acknowledged_at",
        "mitigated_at",
        "resolved_at",
        "closed_at",
    ):
        value = getattr(incident, field)
        data[field] = local_input(value, tz) if value else ""
    data.update(overrides)
    return data


def test_the_commander_corrects_the_impact_start(client, incident, responder):
    responder.timezone = "America/New_York"
    responder.save()
    client.force_login(responder)
    earlier = (incident.started_at - timedelta(minutes=25)).replace(second=0, microsecond=0)
    response = client.post(
        url(incident, "timestamps/"),
        stamps_form(
            incident,
            "America/New_York",
            started_at=local_input(earlier, "America/New_York"),
            reason="Graphs show errors from 10:33.",
        ),
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.started_at == earlier
    corrections = incident.timeline.filter(kind=TimelineEvent.EventKind.TIMESTAMP_CORRECTED)
    # Untouched stamps are not "corrected" to the minute.
    assert [e.data["field"] for e in corrections] == ["started_at"]


def test_a_chronology_error_is_shown_on_the_timestamps_form(client, incident, responder):
    client.force_login(responder)
    before_start = incident.started_at - timedelta(hours=1)
    response = client.post(
        url(incident, "timestamps/"), stamps_form(incident, mitigated_at=local_input(before_start))
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "These timestamps are out of order" in page
    assert "mitigated (impact ended)" in page and "cannot be before started (impact began)" in page
    assert "<details open>" in page  # the form is open so the error is seen
    incident.refresh_from_db()
    assert incident.mitigated_at is None


def test_someone_who_is_not_commander_cannot_edit_timestamps(client, incident, other_responder):
    client.force_login(other_responder)
    page = client.get(url(incident)).content.decode()
    assert 'action="/incidents/1/timestamps/"' not in page  # no form offered

    original = incident.started_at
    response = client.post(
        url(incident, "timestamps/"),
        stamps_form(incident, started_at=local_input(original - timedelta(minutes=30))),
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert (
        "Only the incident commander (or an admin) can correct the incident&#x27;s timestamps."
        in page
    )
    incident.refresh_from_db()
    assert incident.started_at == original


# --- notes and the timeline ------------------------------------------------------------------


def test_a_back_dated_note_shows_when_it_happened_and_when_it_was_written(
    client, incident, responder
):
    client.force_login(responder)
    happened = (timezone.now() - timedelta(minutes=40)).replace(second=0, microsecond=0)
    response = client.post(
        url(incident, "notes/"),
        {
            "body": "Deploy 4711 went out.",
            "occurred_at": local_input(happened),
            "highlighted": "on",
        },
    )
    assert response.status_code == 302
    note = incident.timeline.get(kind=TimelineEvent.EventKind.NOTE)
    assert note.occurred_at == happened and note.highlighted

    fragment = client.get(url(incident, "timeline/")).content.decode()
    assert "Deploy 4711 went out." in fragment
    assert "recorded <time" in fragment
    assert "★ Highlighted" in fragment


def test_a_correction_references_the_event_it_corrects(client, incident, responder):
    client.force_login(responder)
    wrong = services.timeline_note_add(
        incident=incident, user=responder, body="DB primary failed over."
    )
    client.post(
        url(incident, "notes/"),
        {"body": "It was the replica, not the primary.", "corrects": wrong.pk},
    )

    correction = incident.timeline.get(kind=TimelineEvent.EventKind.CORRECTION)
    assert correction.corrects == wrong
    fragment = client.get(url(incident, "timeline/")).content.decode()
    assert f'Corrects <a href="#event-{wrong.pk}">#{wrong.pk} (note at' in fragment
    assert f'Corrected by <a href="#event-{correction.pk}">' in fragment
    assert "DB primary failed over." in fragment  # the original stays


def test_the_timeline_is_polled_from_the_newest_event_shown(client, incident, responder):
    client.force_login(responder)
    page = client.get(url(incident)).content.decode()
    newest = incident.timeline.order_by("-id").first().pk
    assert f'hx-get="/incidents/1/timeline/?after={newest}" hx-trigger="every 5s"' in page


def test_the_timeline_fragment_renders_new_events_and_the_countdown(client, incident, responder):
    client.force_login(responder)
    services.timeline_note_add(incident=incident, user=responder, body="Rolled back to v41.")
    response = client.get(url(incident, "timeline/"), headers={"HX-Request": "true"})
    fragment = response.content.decode()
    assert response.status_code == 200
    assert "Rolled back to v41." in fragment
    assert "<html" not in fragment
    assert 'id="next-update" class="countdown" hx-swap-oob="true"' in fragment


def test_an_htmx_poll_after_logout_sends_the_page_to_login(client, incident):
    response = client.get(
        url(incident, "timeline/"),
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/incidents/1/"},
    )
    assert response.status_code == 401
    assert response["HX-Redirect"] == "/login/?next=%2Fincidents%2F1%2F"


def test_highlighting_over_htmx_returns_the_refreshed_timeline(client, incident, responder):
    client.force_login(responder)
    event = incident.timeline.get()
    response = client.post(
        url(incident, f"events/{event.pk}/highlight/"),
        {"highlighted": "on"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "★ Highlighted" in response.content.decode()
    event.refresh_from_db()
    assert event.highlighted

    client.post(url(incident, f"events/{event.pk}/highlight/"), {})
    event.refresh_from_db()
    assert not event.highlighted


def test_a_viewer_reads_but_gets_no_write_forms_and_cannot_post(client, incident, viewer):
    client.force_login(viewer)
    page = client.get(url(incident)).content.decode()
    assert "You have read-only access to this incident." in page
    assert 'action="/incidents/1/updates/"' not in page
    response = client.post(
        url(incident, "updates/"), {"kind": "update", "audience": "internal", "body": "hi"}
    )
    assert response.status_code == 403
    assert "Only responders can change incidents" in response.content.decode()
    assert not StakeholderUpdate.objects.exists()


# --- time zones --------------------------------------------------------------------------------


def test_times_are_shown_in_the_viewers_zone_with_the_date(client, responder, other_responder):
    with time_machine.travel(datetime(2026, 3, 8, 23, 30, tzinfo=UTC), tick=False):
        incident = declare(responder, title="Late-night outage")
    other_responder.timezone = "Europe/Berlin"
    other_responder.save()

    client.force_login(other_responder)
    page = client.get(url(incident)).content.decode()
    # Past midnight in Berlin: the date changes too.
    assert "2026-03-09 00:30 CET" in page
    assert "2026-03-08 23:30" not in page

    client.force_login(responder)  # UTC
    assert "2026-03-08 23:30 UTC" in client.get(url(incident)).content.decode()
    assert "2026-03-08 23:30 UTC" in client.get("/incidents/").content.decode()
