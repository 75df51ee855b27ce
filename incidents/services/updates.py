"""Stakeholder updates, including the two-message all-clear."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from config.errors import ValidationFailed
from incidents import signals
from incidents.models import Incident, Role, StakeholderUpdate
from incidents.services._common import (
    EventKind,
    active_assignment,
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
from incidents.services.incidents import mitigation_fill
from incidents.services.reminders import cancel_update_reminders, schedule_update_reminder

UPDATE_MAX = 10_000
PUBLIC_TITLE_MAX = 200
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
    public_title: str = "",
) -> StakeholderUpdate:
    """Post a stakeholder update and reschedule the update reminder.

    ``next_update_at`` defaults to now + the incident's interval and must lie in the next 24 h.
    A *resolution* (the first all-clear message) must say whether a root-cause follow-up will
    come; after it no further update is expected, and it records the end of impact if none was
    recorded (METRICS.md v2). A *follow_up* is that root-cause message.

    Only an update that reaches stakeholders — posted by the incident commander or the
    communications lead, or to the external audience — resets the update clock and the reminder
    (METRICS.md v2); anyone else's internal update stays inside the incident.
    The first external update publishes the incident on the status page under ``public_title``
    (default: its title); a later one may change that title.
    """
    validate_choice(kind, Kind.choices, "kind")
    validate_choice(audience, StakeholderUpdate.Audience.choices, "audience")
    body = validate_text(body, "body", required=True, max_length=UPDATE_MAX)
    public_title = validate_text(
        public_title, "public_title", required=False, max_length=PUBLIC_TITLE_MAX
    )
    next_update_at = validate_aware(next_update_at, "next_update_at")
    incident = lock_incident(incident)
    authorize_write(user, incident)
    now = timezone.now()

    if kind == Kind.RESOLUTION:
        if not isinstance(follow_up_expected, bool):
            raise ValidationFailed(
                "An all-clear message must say whether a root-cause message will follow.",
                field_errors={
                    "follow_up_expected": ["Say whether a root-cause message will follow."]
                },
            )
        if next_update_at is not None:
            raise ValidationFailed(
                "An all-clear message ends the updates; leave the next update time empty.",
                field_errors={"next_update_at": ["Leave empty for an all-clear."]},
            )
    elif follow_up_expected is not None and not isinstance(follow_up_expected, bool):
        raise ValidationFailed(
            "Say yes or no to whether a root-cause message will follow.",
            field_errors={"follow_up_expected": ["Yes or no."]},
        )
    if kind == Kind.FOLLOW_UP and not incident.updates.filter(kind=Kind.RESOLUTION).exists():
        raise ValidationFailed(
            "Post the all-clear (resolution) message before the root-cause follow-up."
        )

    reaches = audience == StakeholderUpdate.Audience.EXTERNAL or _is_lead(user, incident)
    if kind == Kind.RESOLUTION:
        mitigation_fill(incident, user, now, "(the all-clear)")
    expects_more = kind == Kind.UPDATE and incident.is_active and reaches
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
        reaches_stakeholders=reaches,
        incident_status=incident.status,
    )
    update_fields = ["updated_at"]
    if audience == StakeholderUpdate.Audience.EXTERNAL and (
        public_title or not incident.public_title
    ):
        incident.public_title = public_title or incident.public_title or incident.title
        update_fields.append("public_title")
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
            "label": f"{audience.capitalize()} {label} by {display_name(user)}"
            + ("" if reaches else " (stays in the incident)"),
            "reaches_stakeholders": reaches,
            "next_update_at": update.next_update_at.isoformat() if update.next_update_at else None,
            "follow_up_expected": update.follow_up_expected,
        },
    )
    if expects_more:
        incident.next_update_due_at = update.next_update_at
        schedule_update_reminder(incident, update.next_update_at)
        update_fields.append("next_update_due_at")
    elif reaches or not incident.is_active:
        incident.next_update_due_at = None
        cancel_update_reminders(incident)
        update_fields.append("next_update_due_at")
    incident.save(update_fields=update_fields)
    send_on_commit(signals.stakeholder_update_posted, incident_id=incident.pk, update_id=update.pk)
    return update


def _is_lead(user, incident: Incident) -> bool:
    """Holds the incident commander or communications lead role now (their updates go out)."""
    for role in (Role.INCIDENT_COMMANDER, Role.COMMUNICATIONS_LEAD):
        assignment = active_assignment(incident, role)
        if assignment is not None and assignment.user_id == user.pk:
            return True
    return False
