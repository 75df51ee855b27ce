"""The postmortem review meeting: scheduling (with an iCalendar invite) and its notes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from config.errors import ValidationFailed
from oncall.access import is_admin
from oncall.people.services import notification_send
from postmortems.models import Meeting, Postmortem
from postmortems.services._common import (
    authorize_edit,
    display_name,
    validate_choice,
    validate_text,
)
from postmortems.services.documents import _commander

FORMAL_KEYS = ("timeline_summary", "root_cause", "questions", "action_items")
INFORMAL_KEYS = ("worked", "did_not_work", "start", "stop", "improve")
NOTE_MAX = 20_000


def _validate_start(starts_at: Any) -> datetime:
    if not isinstance(starts_at, datetime) or timezone.is_naive(starts_at):
        raise ValidationFailed(
            "starts_at must be a date and time with its time zone.",
            field_errors={"starts_at": ["Aware date and time."]},
        )
    return starts_at.replace(second=0, microsecond=0)  # calendars schedule to the minute


def _validate_duration(minutes: Any) -> int:
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 15 <= minutes <= 480:
        raise ValidationFailed(
            "duration_minutes: from 15 to 480.", field_errors={"duration_minutes": ["15–480."]}
        )
    return minutes


def _validate_attendees(postmortem: Postmortem, attendees) -> list:
    people = list({u.pk: u for u in (attendees or []) if u is not None}.values())
    incident = postmortem.incident
    for person in people:
        if not person.is_active:
            raise ValidationFailed(
                f"{display_name(person)} is deactivated.",
                field_errors={"attendees": ["Deactivated."]},
            )
        if (
            incident.private
            and not is_admin(person)
            and not incident.members.filter(pk=person.pk).exists()
        ):
            raise ValidationFailed(
                f"{display_name(person)} is not a member of this private incident.",
                field_errors={"attendees": ["Not a member."]},
            )
    return people


def _invite(meeting: Meeting, user, *, verb: str) -> None:
    recipients = {u.pk: u for u in meeting.attendees.all()}
    if meeting.facilitator_id:
        recipients.setdefault(meeting.facilitator_id, meeting.facilitator)
    for person in recipients.values():
        if person.pk == getattr(user, "pk", None):
            continue
        when = meeting.starts_at.astimezone(person.tzinfo).strftime("%Y-%m-%d %H:%M %Z")
        notification_send(
            recipient=person,
            subject=f"Postmortem review {verb}: {meeting.postmortem.incident.reference} at {when}",
            body=f'{display_name(user)} {verb} the review of "{meeting.postmortem.title}". '
            f"Calendar invite: {settings.FIREBREAK_BASE_URL}/postmortems/{meeting.postmortem_id}/meetings/{meeting.pk}/invite.ics",
            url=f"/postmortems/{meeting.postmortem_id}/meetings/{meeting.pk}/",
            key=f"meeting:{meeting.pk}:{meeting.sequence}:{person.pk}:{verb}",
            urgency="low",
        )


@transaction.atomic
def meeting_schedule(
    *,
    user,
    postmortem: Postmortem,
    starts_at: Any,
    duration_minutes: Any = 60,
    location: Any = "",
    attendees=None,
    format: Any = Meeting.Format.FORMAL,
) -> Meeting:
    """Schedule the review meeting. The facilitator is the incident commander (else the owner)."""
    authorize_edit(user, postmortem.incident)
    starts_at = _validate_start(starts_at)
    if starts_at < timezone.now() - timedelta(days=1):
        raise ValidationFailed(
            "The meeting cannot be scheduled in the past.",
            field_errors={"starts_at": ["In the past."]},
        )
    meeting = Meeting.objects.create(
        postmortem=postmortem,
        starts_at=starts_at,
        duration_minutes=_validate_duration(duration_minutes),
        location=validate_text(location, "location", max_length=300),
        facilitator=_commander(postmortem.incident) or postmortem.owner or user,
        format=validate_choice(format, Meeting.Format.choices, "format"),
        created_by=user,
    )
    meeting.attendees.set(_validate_attendees(postmortem, attendees))
    _invite(meeting, user, verb="scheduled")
    return meeting


@transaction.atomic
def meeting_update(*, user, meeting: Meeting, changes: dict[str, Any]) -> Meeting:
    """Reschedule or change attendees; the invite's SEQUENCE goes up so calendars update it."""
    unknown = set(changes) - {
        "starts_at",
        "duration_minutes",
        "location",
        "attendees",
        "format",
        "cancelled",
    }
    if unknown:
        raise ValidationFailed(f"These fields cannot be changed: {', '.join(sorted(unknown))}.")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    authorize_edit(user, meeting.postmortem.incident)
    if "starts_at" in changes:
        meeting.starts_at = _validate_start(changes["starts_at"])
    if "duration_minutes" in changes:
        meeting.duration_minutes = _validate_duration(changes["duration_minutes"])
    if "location" in changes:
        meeting.location = validate_text(changes["location"], "location", max_length=300)
    if "format" in changes:
        meeting.format = validate_choice(changes["format"], Meeting.Format.choices, "format")
    if "cancelled" in changes:
        if not isinstance(changes["cancelled"], bool):
            raise ValidationFailed(
                "cancelled must be true or false.", field_errors={"cancelled": ["true or false"]}
            )
        meeting.cancelled = changes["cancelled"]
    meeting.sequence += 1
    meeting.save()
    if "attendees" in changes:
        meeting.attendees.set(_validate_attendees(meeting.postmortem, changes["attendees"]))
    _invite(meeting, user, verb="cancelled" if meeting.cancelled else "updated")
    return meeting


def _clean_note(value: Any, field: str) -> str:
    return validate_text(value, field, max_length=NOTE_MAX, strip=False)


@transaction.atomic
def meeting_save_notes(*, user, meeting: Meeting, notes: Any) -> Meeting:
    """Save the meeting's notes: the formal agenda's four parts, or one informal round per attendee.

    Notes are merged into what is saved, so two people taking notes on different parts do not
    overwrite each other.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    authorize_edit(user, meeting.postmortem.incident)
    if not isinstance(notes, dict):
        raise ValidationFailed("notes must be an object.", field_errors={"notes": ["An object."]})
    merged = dict(meeting.notes)
    if meeting.format == Meeting.Format.FORMAL:
        for key, value in notes.items():
            if key not in FORMAL_KEYS:
                raise ValidationFailed(
                    f"The formal agenda has {', '.join(FORMAL_KEYS)}; not {key!r}.",
                    field_errors={"notes": [f"Unknown part {key!r}."]},
                )
            merged[key] = _clean_note(value, f"notes.{key}")
    else:
        people = {u.username: u for u in meeting.attendees.all()}
        if meeting.facilitator is not None:
            people.setdefault(meeting.facilitator.username, meeting.facilitator)
        for username, round_notes in notes.items():
            if username not in people:
                raise ValidationFailed(
                    f"{username!r} is not an attendee of this meeting.",
                    field_errors={"notes": [f"{username!r} is not an attendee."]},
                )
            if not isinstance(round_notes, dict) or set(round_notes) - set(INFORMAL_KEYS):
                raise ValidationFailed(
                    f"Each attendee's notes have {', '.join(INFORMAL_KEYS)}.",
                    field_errors={"notes": ["Unknown part."]},
                )
            current = dict(merged.get(username, {}))
            for key, value in round_notes.items():
                current[key] = _clean_note(value, f"notes.{username}.{key}")
            merged[username] = current
    meeting.notes = merged
    meeting.save(update_fields=["notes", "updated_at"])
    return meeting


def meeting_ics(meeting: Meeting) -> bytes:
    """The invite as an iCalendar file (METHOD:REQUEST, or CANCEL once cancelled)."""
    from icalendar import Calendar, Event, vCalAddress, vText

    postmortem = meeting.postmortem
    calendar = Calendar()
    calendar.add("prodid", "-//Firebreak//Postmortem review//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if meeting.cancelled else "REQUEST")
    event = Event()
    event.add("uid", f"{meeting.uid}@firebreak")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.starts_at + timedelta(minutes=meeting.duration_minutes))
    event.add("summary", f"Postmortem review: {postmortem.title}")
    url = f"{settings.FIREBREAK_BASE_URL}/postmortems/{postmortem.pk}/"
    agenda = (
        "Agenda: timeline summary; root cause; questions; action items."
        if meeting.format == Meeting.Format.FORMAL
        else "Round: what worked, what didn't, start, stop, improve."
    )
    event.add("description", f"{agenda}\nRead the postmortem first: {url}")
    event.add("url", url)
    if meeting.location:
        event.add("location", meeting.location)
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    if meeting.facilitator is not None:
        organizer = vCalAddress(
            f"mailto:{meeting.facilitator.email or meeting.facilitator.username + '@invalid'}"
        )
        organizer.params["cn"] = vText(display_name(meeting.facilitator))
        organizer.params["role"] = vText("CHAIR")
        event.add("organizer", organizer, encode=0)
    for person in meeting.attendees.all():
        if not person.email:
            continue
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params["cn"] = vText(display_name(person))
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["rsvp"] = vText("TRUE")
        event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()
