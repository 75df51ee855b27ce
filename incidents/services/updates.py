"""Stakeholder updates, including the two-message all-clear."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from config.errors import ValidationFailed
from incidents import signals
from incidents.models import Incident, StakeholderUpdate
from incidents.services._common import (
    EventKind,
    authorize_write,
    display_name,
    lock_incident,
    record_event,
    send_on_commit,
    update_interval,
    validate_aware,
    validate_choice,
    validate_text,
)
from incidents.services.reminders import cancel_update_reminders, schedule_update_reminder

UPDATE_MAX = 10_000
Kind = StakeholderUpdate.UpdateKind
MAX_NEXT_UPDATE = timedelta(hours=24)


@transaction.atomic
def status_update_post(
    *,
    incident: Incident,
    user,
    body: str,
    audience: str = StakeholderUpdate.Audience.INTERNAL,
    next_update_at: datetime | None = None,
    kind: str = Kind.UPDATE,
    follow_up_expected: bool | None = None,
) -> StakeholderUpdate:
    """Post a stakeholder update and reschedule the update reminder.

    ``next_update_at`` defaults to now + the incident's interval and must lie in the next 24 h.
    A *resolution* (the first all-clear message) must say whether a root-cause follow-up will
    come; after it no further update is expected. A *follow_up* is that root-cause message.
    """
    validate_choice(kind, Kind.choices, "kind")
    validate_choice(audience, StakeholderUpdate.Audience.choices, "audience")
    body = validate_text(body, "body", required=True, max_length=UPDATE_MAX)
    next_update_at = validate_aware(next_update_at, "next_update_at")
    incident = lock_incident(incident)
    authorize_write(user, incident)
    now = timezone.now()

    if kind == Kind.RESOLUTION:
        if not isinstance(follow_up_expected, bool):
            raise ValidationFailed(
                "An all-clear message must say whether a root-cause follow-up will come (follow_up_expected).",
                field_errors={"follow_up_expected": ["Say yes or no."]},
            )
        if next_update_at is not None:
            raise ValidationFailed(
                "An all-clear message ends the updates; leave next_update_at empty."
            )
    elif follow_up_expected is not None and not isinstance(follow_up_expected, bool):
        raise ValidationFailed("follow_up_expected must be true or false.")
    if kind == Kind.FOLLOW_UP and not incident.updates.filter(kind=Kind.RESOLUTION).exists():
        raise ValidationFailed(
            "Post the all-clear (resolution) message before the root-cause follow-up."
        )

    expects_more = kind == Kind.UPDATE and incident.is_active
    if next_update_at is not None:
        if next_update_at <= now:
            raise ValidationFailed(
                "The next update must be in the future.",
                field_errors={"next_update_at": ["In the past."]},
            )
        if next_update_at > now + MAX_NEXT_UPDATE:
            raise ValidationFailed(
                "Promise the next update within 24 hours.",
                field_errors={"next_update_at": ["More than 24 h away."]},
            )
    elif expects_more:
        next_update_at = now + update_interval(incident)

    update = StakeholderUpdate.objects.create(
        incident=incident,
        kind=kind,
        audience=audience,
        body=body,
        posted_at=now,
        posted_by=user,
        next_update_at=next_update_at if expects_more else None,
        follow_up_expected=follow_up_expected if kind == Kind.RESOLUTION else None,
    )
    label = {
        Kind.UPDATE: "update",
        Kind.RESOLUTION: "all-clear",
        Kind.FOLLOW_UP: "root-cause follow-up",
    }[kind]
    record_event(
        incident,
        EventKind.STAKEHOLDER_UPDATE,
        actor=user,
        occurred_at=now,
        body=body,
        data={
            "update_id": update.pk,
            "kind": kind,
            "audience": audience,
            "label": f"{audience.capitalize()} {label} by {display_name(user)}",
            "next_update_at": update.next_update_at.isoformat() if update.next_update_at else None,
            "follow_up_expected": update.follow_up_expected,
        },
    )
    if expects_more:
        incident.next_update_due_at = update.next_update_at
        schedule_update_reminder(incident, update.next_update_at)
    else:
        incident.next_update_due_at = None
        cancel_update_reminders(incident)
    incident.save(update_fields=["next_update_due_at", "updated_at"])
    send_on_commit(signals.stakeholder_update_posted, incident_id=incident.pk, update_id=update.pk)
    return update
