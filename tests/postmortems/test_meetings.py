"""The review meeting: scheduled with an .ics invite, run with an agenda, notes kept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from config.errors import ValidationFailed
from oncall.models import Notification
from postmortems import services

URL = "/api/v1/postmortems/"


@pytest.fixture
def meeting(postmortem, responder, other_responder):
    return services.meeting_schedule(
        user=responder,
        postmortem=postmortem,
        starts_at=timezone.now() + timedelta(days=2),
        location="Room 4 / https://meet.example/abc",
        attendees=[other_responder],
    )


def test_facilitator_is_the_ic_and_attendees_are_invited(meeting, responder, other_responder):
    assert meeting.facilitator == responder
    assert Notification.objects.filter(
        recipient=other_responder, subject__startswith="Postmortem review scheduled"
    ).exists()


def test_ics_invite(meeting, other_responder):
    calendar = Calendar.from_ical(services.meeting_ics(meeting))
    assert str(calendar["method"]) == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert str(event["uid"]) == f"{meeting.uid}@firebreak"
    assert event.decoded("dtstart") == meeting.starts_at
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=60)
    assert "INC-1" in str(event["summary"])
    assert "timeline summary; root cause; questions; action items" in str(event["description"])
    attendees = event.get("attendee")
    attendees = attendees if isinstance(attendees, list) else [attendees]
    assert [str(a) for a in attendees] == [f"mailto:{other_responder.email}"]


def test_rescheduling_bumps_the_sequence_and_cancelling_says_so(meeting, responder):
    moved = services.meeting_update(
        user=responder,
        meeting=meeting,
        changes={"starts_at": meeting.starts_at + timedelta(hours=1)},
    )
    assert moved.sequence == 1
    cancelled = services.meeting_update(user=responder, meeting=moved, changes={"cancelled": True})
    calendar = Calendar.from_ical(services.meeting_ics(cancelled))
    assert str(calendar["method"]) == "CANCEL"
    assert int(calendar.walk("VEVENT")[0]["sequence"]) == 2


def test_formal_notes_are_merged_and_validated(meeting, responder, other_responder):
    services.meeting_save_notes(
        user=responder, meeting=meeting, notes={"root_cause": "Route config not validated"}
    )
    services.meeting_save_notes(
        user=other_responder, meeting=meeting, notes={"questions": "Why no canary?"}
    )
    meeting.refresh_from_db()
    assert meeting.notes == {
        "root_cause": "Route config not validated",
        "questions": "Why no canary?",
    }
    with pytest.raises(ValidationFailed, match="formal agenda"):
        services.meeting_save_notes(user=responder, meeting=meeting, notes={"gossip": "x"})


def test_informal_round_has_notes_per_attendee(postmortem, responder, other_responder):
    meeting = services.meeting_schedule(
        user=responder,
        postmortem=postmortem,
        starts_at=timezone.now() + timedelta(days=1),
        attendees=[other_responder],
        format="informal",
    )
    services.meeting_save_notes(
        user=responder,
        meeting=meeting,
        notes={"omar": {"worked": "Fast rollback", "improve": "Canaries"}},
    )
    services.meeting_save_notes(
        user=responder, meeting=meeting, notes={"rita": {"stop": "Friday deploys"}}
    )
    meeting.refresh_from_db()
    assert meeting.notes == {
        "omar": {"worked": "Fast rollback", "improve": "Canaries"},
        "rita": {"stop": "Friday deploys"},
    }
    with pytest.raises(ValidationFailed, match="not an attendee"):
        services.meeting_save_notes(
            user=responder, meeting=meeting, notes={"mallory": {"worked": "x"}}
        )


def test_meeting_api_schedule_notes_and_ics(api, responder, other_responder, postmortem):
    client = api.as_user(responder)
    start = (timezone.now() + timedelta(days=3)).replace(microsecond=0).isoformat()
    created = client.post(
        f"{URL}{postmortem.pk}/meetings/",
        {"starts_at": start, "attendees": ["omar"]},
        format="json",
    )
    assert created.status_code == 201, created.content
    meeting_id = created.json()["id"]
    notes = client.post(
        f"{URL}{postmortem.pk}/meetings/{meeting_id}/notes/",
        {"notes": {"action_items": "3 agreed"}},
        format="json",
    )
    assert notes.json()["notes"] == {"action_items": "3 agreed"}
    ics = client.get(created.json()["ics_url"])
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in ics.content
    naive = client.post(
        f"{URL}{postmortem.pk}/meetings/", {"starts_at": "2030-01-01T10:00:00"}, format="json"
    )
    assert naive.status_code == 400
