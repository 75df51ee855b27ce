"""Helpers shared by the incident services: authorization, policy and timeline writing."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from config.errors import PermissionDenied, ValidationFailed
from incidents import signals
from incidents.models import Incident, Role, RoleAssignment, Severity, TimelineEvent
from oncall.access import can_respond, is_admin

EventKind = TimelineEvent.EventKind
logger = logging.getLogger(__name__)


def update_interval_minutes(incident: Incident) -> int:
    """Per incident, else per severity (FIREBREAK_UPDATE_INTERVAL_BY_SEVERITY), else the default (30)."""
    if incident.update_interval_minutes:
        return incident.update_interval_minutes
    by_severity = settings.FIREBREAK_UPDATE_INTERVAL_BY_SEVERITY
    return by_severity.get(incident.severity, settings.FIREBREAK_UPDATE_INTERVAL_MINUTES)


def update_interval(incident: Incident) -> timedelta:
    return timedelta(minutes=update_interval_minutes(incident))


def active_assignment(incident: Incident, role: str) -> RoleAssignment | None:
    return (
        RoleAssignment.objects.filter(incident=incident, role=role, ended_at__isnull=True)
        .select_related("user")
        .first()
    )


def current_commander(incident: Incident):
    assignment = active_assignment(incident, Role.INCIDENT_COMMANDER)
    return assignment.user if assignment else None


def is_commander(user, incident: Incident) -> bool:
    commander = current_commander(incident)
    return commander is not None and commander.pk == user.pk


def authorize_write(user, incident: Incident | None = None) -> None:
    """Responders and admins write; viewers only read. Visibility is checked by the caller's lookup."""
    if not can_respond(user):
        raise PermissionDenied(
            "Only responders can change incidents; your account can only read them."
        )
    if (
        incident is not None
        and incident.private
        and not is_admin(user)
        and not incident.members.filter(pk=user.pk).exists()
    ):
        raise PermissionDenied("This private incident is visible to its members only.")


def authorize_commander(user, incident: Incident, what: str) -> None:
    authorize_write(user, incident)
    if not (is_admin(user) or is_commander(user, incident)):
        raise PermissionDenied(f"Only the incident commander (or an admin) can {what}.")


def validate_choice(value: Any, choices, field: str) -> str:
    valid = [c for c, _ in choices]
    if value not in valid:
        raise ValidationFailed(
            f"{field} must be one of {', '.join(valid)}; got {value!r}.",
            field_errors={field: [f"Not one of {valid}."]},
        )
    return value


def validate_text(value: Any, field: str, *, required: bool, max_length: int) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationFailed(f"{field} must be text.", field_errors={field: ["Must be text."]})
    value = value.strip()
    if "\x00" in value:
        raise ValidationFailed(
            f"{field} contains a NUL character.",
            field_errors={field: ["Contains a NUL character."]},
        )
    if required and not value:
        raise ValidationFailed(
            f"{field} is required.", field_errors={field: ["This field is required."]}
        )
    if len(value) > max_length:
        raise ValidationFailed(
            f"{field} is {len(value)} characters long; the limit is {max_length}.",
            field_errors={field: [f"At most {max_length} characters."]},
        )
    return value


def validate_aware(value: datetime | None, field: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise ValidationFailed(
            f"{field} must be a date and time.", field_errors={field: ["Not a date and time."]}
        )
    if timezone.is_naive(value):
        raise ValidationFailed(
            f"{field} needs a time zone (e.g. 2026-03-08T10:00:00Z).",
            field_errors={field: ["Time zone missing."]},
        )
    return value


def record_event(
    incident: Incident,
    kind: str,
    *,
    actor=None,
    body: str = "",
    occurred_at: datetime | None = None,
    data: dict | None = None,
    highlighted: bool = False,
    corrects: TimelineEvent | None = None,
    source_key: str = "",
) -> TimelineEvent:
    now = timezone.now()
    event = TimelineEvent.objects.create(
        incident=incident,
        kind=kind,
        body=body,
        occurred_at=occurred_at or now,
        recorded_at=now,
        actor=actor,
        data=data or {},
        highlighted=highlighted,
        corrects=corrects,
        source_key=source_key,
    )
    _send_after_commit(
        signals.timeline_event_added,
        TimelineEvent,
        incident_id=incident.pk,
        event_id=event.pk,
        kind=kind,
    )
    return event


def send_on_commit(signal, **kwargs) -> None:
    """Send a domain signal once the write has committed.

    A receiver that fails (the search indexer, a broker that is down) is logged and the others
    still run: the write is committed, so the request that made it must not answer 500 (a client
    would retry into a duplicate). Periodic sweeps repair what a failed receiver missed.
    """
    _send_after_commit(signal, Incident, **kwargs)


def _send_after_commit(signal, sender, **kwargs) -> None:
    def send() -> None:
        for receiver, result in signal.send_robust(sender=sender, **kwargs):
            if isinstance(result, Exception):
                logger.error(
                    "After-commit receiver %s failed for %s",
                    getattr(receiver, "__qualname__", receiver),
                    kwargs,
                    exc_info=(type(result), result, result.__traceback__),
                )

    transaction.on_commit(send, robust=True)


def lock_incident(incident: Incident) -> Incident:
    """Re-read the incident row under a lock (PostgreSQL) so concurrent writes serialize."""
    return Incident.objects.select_for_update().get(pk=incident.pk)


def severity_label(value: str) -> str:
    return Severity(value).label if value in Severity.values else value


def display_name(user) -> str:
    if user is None:
        return "Firebreak"
    return getattr(user, "display_name", None) or user.get_username()
