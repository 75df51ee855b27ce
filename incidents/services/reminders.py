"""Reminders as data (DESIGN.md): one row per due reminder, claimed by a conditional update.

Life of a row: pending → claimed (by the sweep, conditional UPDATE) → sent / skipped, or
cancelled when it is no longer wanted (an update arrived, the incident was mitigated).
A claimed row whose worker died is taken back after FIREBREAK_REMINDER_CLAIM_LEASE_SECONDS.
Firing happens in one transaction that re-checks the row's status under a lock, so a second
beat, a redelivered task or a reclaimed row can never send a reminder twice.

Update reminders form a chain: each one sent schedules the next one interval after its own due
time, so an incident without updates gets exactly one reminder per missed interval. When
reminders could not be sent for longer than an interval (workers or beat were down), the late one
covers every interval that passed meanwhile and the chain resumes at the next due time in the
future: three hours of outage give one reminder saying so, not six at once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from config.errors import ValidationFailed
from incidents import signals
from incidents.models import Incident, Reminder, Role, RoleAssignment, Status
from incidents.services._common import (
    EventKind,
    active_assignment,
    authorize_write,
    display_name,
    lock_incident,
    record_event,
    send_on_commit,
    update_interval,
)
from oncall.claims import claim_due_rows
from oncall.people.services import notification_send

logger = logging.getLogger(__name__)

Kind = Reminder.ReminderKind
State = Reminder.ReminderStatus


def schedule_reminder(incident: Incident, kind: str, due_at: datetime) -> Reminder:
    """Create (or revive) the reminder of this kind due at this time. Idempotent on the unique key."""
    try:
        with transaction.atomic():
            return Reminder.objects.create(incident=incident, kind=kind, due_at=due_at)
    except IntegrityError:
        existing = Reminder.objects.get(incident=incident, kind=kind, due_at=due_at)
        if existing.status == State.CANCELLED:
            existing.status = State.PENDING
            existing.save(update_fields=["status"])
        return existing


def cancel_update_reminders(incident: Incident) -> int:
    return Reminder.objects.filter(
        incident=incident, kind=Kind.UPDATE_DUE, status=State.PENDING
    ).update(status=State.CANCELLED, outcome="Superseded")


def schedule_update_reminder(incident: Incident, due_at: datetime) -> Reminder | None:
    """The one pending update reminder of an active incident is due at ``due_at``."""
    Reminder.objects.filter(incident=incident, kind=Kind.UPDATE_DUE, status=State.PENDING).exclude(
        due_at=due_at
    ).update(status=State.CANCELLED, outcome="Superseded")
    if not incident.is_active:
        return None
    return schedule_reminder(incident, Kind.UPDATE_DUE, due_at)


def reminders_claim_due(*, now: datetime | None = None, limit: int = 200) -> list[int]:
    """Claim due reminders (and take back stale claims). Returns the ids this caller now owns.

    Safe to run concurrently (several beats or workers): each row is won by one caller only.
    The caller must hand every returned id to ``reminder_fire``; ids it drops are taken back
    after FIREBREAK_REMINDER_CLAIM_LEASE_SECONDS (``oncall.claims``).
    """
    lease = timedelta(seconds=settings.FIREBREAK_REMINDER_CLAIM_LEASE_SECONDS)
    return claim_due_rows(Reminder, now=now or timezone.now(), lease=lease, limit=limit)


@transaction.atomic
def reminder_fire(*, reminder_id: int) -> Reminder | None:
    """Send one claimed reminder, or mark it skipped if it is no longer needed.

    Idempotent: a row that is not (or no longer) claimed is left alone, so a replayed or
    redelivered task, or a second claimant after a lease expired, changes nothing.
    """
    reminder = Reminder.objects.select_for_update().filter(pk=reminder_id).first()
    if reminder is None or reminder.status != State.CLAIMED:
        return reminder
    incident = lock_incident(reminder.incident)
    if reminder.kind == Kind.UPDATE_DUE:
        _fire_update_due(reminder, incident)
    elif reminder.kind == Kind.ASK_FOR_HELP:
        _fire_ask_for_help(reminder, incident)
    else:  # pragma: no cover - guarded by choices
        _finish(reminder, State.SKIPPED, f"Unknown kind {reminder.kind}")
    return reminder


def _finish(reminder: Reminder, status: str, outcome: str) -> None:
    reminder.status = status
    reminder.outcome = outcome[:300]
    if status == State.SENT:
        reminder.sent_at = timezone.now()
    reminder.save(update_fields=["status", "outcome", "sent_at"])


def intervals_covered(due_at: datetime, now: datetime, interval: timedelta) -> int:
    """How many due times of the chain starting at ``due_at`` have passed by ``now`` (at least 1)."""
    if now <= due_at:
        return 1
    return 1 + (now - due_at) // interval


def _fire_update_due(reminder: Reminder, incident: Incident) -> None:
    if not incident.is_active:
        _finish(reminder, State.SKIPPED, "Incident no longer active")
        return
    if incident.next_update_due_at is None or incident.next_update_due_at > reminder.due_at:
        _finish(reminder, State.SKIPPED, "An update was posted in time")
        return
    now = timezone.now()
    interval = update_interval(incident)
    # Normally 1; more when reminders were held up longer than an interval (see module docstring).
    covered = intervals_covered(reminder.due_at, now, interval)
    comms = active_assignment(incident, Role.COMMUNICATIONS_LEAD)
    ic = active_assignment(incident, Role.INCIDENT_COMMANDER)
    recipient_assignment = comms or ic
    recipient = recipient_assignment.user if recipient_assignment else None
    overdue_minutes = int((now - incident.next_update_due_at).total_seconds() // 60)
    role_label = "communications lead" if comms else "incident commander"
    due_local = timezone.localtime(
        incident.next_update_due_at, recipient.tzinfo if recipient else None
    )
    subject = f"{incident.reference}: a stakeholder update is due"
    body = (
        f'No stakeholder update has been posted on {incident.reference} "{incident.title}" since it '
        f"was due at {due_local:%Y-%m-%d %H:%M %Z} ({overdue_minutes} min ago). Post what we know, "
        "what we are doing, and when the next update comes."
    )
    if recipient is not None:
        notification_send(
            recipient=recipient,
            subject=subject,
            body=body,
            url=f"/incidents/{incident.number}/",
            key=f"reminder:{reminder.pk}",
        )
        event_body = (
            f"Reminder: a stakeholder update is due "
            f"(sent to {display_name(recipient)}, {role_label})."
        )
    else:
        event_body = (
            "Reminder: a stakeholder update is due, but there is no incident commander "
            "or communications lead to send it to."
        )
    if covered > 1:
        event_body += (
            f" Reminders were held up; this one stands for {covered} missed intervals "
            f"(the update is {overdue_minutes} min overdue)."
        )
    record_event(
        incident,
        EventKind.REMINDER_SENT,
        body=event_body,
        data={
            "reminder_id": reminder.pk,
            "kind": reminder.kind,
            "recipient": recipient.get_username() if recipient else None,
            "intervals_covered": covered,
        },
        source_key=f"reminder:{reminder.pk}",
    )
    outcome = f"Sent to {recipient.get_username() if recipient else 'nobody'}"
    if covered > 1:
        outcome += f"; covers {covered} intervals"
    _finish(reminder, State.SENT, outcome)
    # The next reminder is due one interval after the last due time that has passed.
    schedule_reminder(incident, Kind.UPDATE_DUE, reminder.due_at + covered * interval)
    send_on_commit(
        signals.reminder_sent,
        incident_id=incident.pk,
        reminder_id=reminder.pk,
        kind=reminder.kind,
        recipient_id=recipient.pk if recipient else None,
    )


def _fire_ask_for_help(reminder: Reminder, incident: Incident) -> None:
    if incident.status != Status.INVESTIGATING or not incident.is_active:
        _finish(reminder, State.SKIPPED, "No longer investigating")
        return
    ic = active_assignment(incident, Role.INCIDENT_COMMANDER)
    if ic is None:
        _finish(reminder, State.SKIPPED, "No incident commander")
        return
    others = (
        RoleAssignment.objects.filter(incident=incident, ended_at__isnull=True)
        .exclude(user=ic.user)
        .exists()
    )
    if others:
        _finish(reminder, State.SKIPPED, "The incident commander is not alone")
        return
    # Normally the configured delay; longer when the reminder was held up (workers were down).
    minutes = max(
        settings.FIREBREAK_ASK_FOR_HELP_MINUTES,
        int((timezone.now() - incident.declared_at).total_seconds() // 60),
    )
    notification_send(
        recipient=ic.user,
        subject=f"{incident.reference}: still investigating alone — ask for help?",
        body=(
            f"You have been investigating {incident.reference} alone for {minutes} minutes. "
            "Consider paging the secondary on-call or handing roles to colleagues: "
            "a second pair of hands is cheaper than a longer outage."
        ),
        url=f"/incidents/{incident.number}/",
        key=f"reminder:{reminder.pk}",
    )
    record_event(
        incident,
        EventKind.HELP_SUGGESTED,
        body=f"{display_name(ic.user)} has been investigating alone for {minutes} minutes; suggested paging the secondary.",
        data={
            "reminder_id": reminder.pk,
            "kind": reminder.kind,
            "recipient": ic.user.get_username(),
        },
        source_key=f"reminder:{reminder.pk}",
    )
    _finish(reminder, State.SENT, f"Sent to {ic.user.get_username()}")
    send_on_commit(
        signals.reminder_sent,
        incident_id=incident.pk,
        reminder_id=reminder.pk,
        kind=reminder.kind,
        recipient_id=ic.user.pk,
    )


@transaction.atomic
def reminders_snooze(*, incident: Incident, user, minutes: int) -> Incident:
    """Push the next update reminder ``minutes`` from now (1–240)."""
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 240:
        raise ValidationFailed(
            "Snooze for 1 to 240 minutes.", field_errors={"minutes": ["From 1 to 240."]}
        )
    incident = lock_incident(incident)
    authorize_write(user, incident)
    if not incident.is_active:
        raise ValidationFailed(
            f"{incident.reference} is no longer active, so no update reminders are due."
        )
    due = timezone.now() + timedelta(minutes=minutes)
    incident.next_update_due_at = due
    incident.save(update_fields=["next_update_due_at", "updated_at"])
    schedule_update_reminder(incident, due)
    record_event(
        incident,
        EventKind.REMINDERS_SNOOZED,
        actor=user,
        body=f"{display_name(user)} snoozed update reminders for {minutes} minutes.",
        data={"minutes": minutes, "next_update_due_at": due.isoformat()},
    )
    return incident
