"""Notes on the append-only timeline, corrections and highlights."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from config.errors import ValidationFailed
from incidents.chronology import FUTURE_TOLERANCE
from incidents.models import Incident, TimelineEvent
from incidents.services._common import (
    EventKind,
    authorize_write,
    record_event,
    validate_aware,
    validate_text,
)

NOTE_MAX = 10_000


@transaction.atomic
def timeline_note_add(
    *,
    incident: Incident,
    user,
    body: str,
    occurred_at: datetime | None = None,
    highlighted: bool = False,
    corrects: TimelineEvent | None = None,
    source_key: str = "",
) -> TimelineEvent:
    """Add a note. ``occurred_at`` back-dates it (``recorded_at`` stays now).

    With ``corrects`` the note is a correction of an earlier event of the same incident; the
    original is kept untouched. A note with a ``source_key`` already used is returned as is.
    """
    authorize_write(user, incident)
    body = validate_text(body, "body", required=True, max_length=NOTE_MAX)
    occurred_at = validate_aware(occurred_at, "occurred_at")
    if occurred_at is not None and occurred_at > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationFailed(
            "A note cannot happen in the future.", field_errors={"occurred_at": ["In the future."]}
        )
    if not isinstance(highlighted, bool):
        raise ValidationFailed(
            "highlighted must be true or false.", field_errors={"highlighted": ["true or false"]}
        )
    if corrects is not None and corrects.incident_id != incident.pk:
        raise ValidationFailed(
            "A correction must refer to an event of the same incident.",
            field_errors={"corrects": ["Other incident."]},
        )
    if source_key:
        existing = TimelineEvent.objects.filter(incident=incident, source_key=source_key).first()
        if existing is not None:
            return existing
    return record_event(
        incident,
        EventKind.CORRECTION if corrects else EventKind.NOTE,
        actor=user,
        body=body,
        occurred_at=occurred_at,
        highlighted=highlighted,
        corrects=corrects,
        source_key=source_key,
        data={"corrects": corrects.pk} if corrects else {},
    )


def timeline_event_highlight(
    *, incident: Incident, user, event: TimelineEvent, highlighted: bool
) -> TimelineEvent:
    """Mark an event as a highlight (it seeds the postmortem timeline). The only mutable flag."""
    authorize_write(user, incident)
    if event.incident_id != incident.pk:
        raise ValidationFailed("That event belongs to another incident.")
    if not isinstance(highlighted, bool):
        raise ValidationFailed(
            "highlighted must be true or false.", field_errors={"highlighted": ["true or false"]}
        )
    if event.highlighted != highlighted:
        event.highlighted = highlighted
        event.save(update_fields=["highlighted"])
    return event
