"""Declaring incidents and changing their details, status and timestamps."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from config.errors import Conflict, ValidationFailed
from incidents import signals
from incidents.chronology import LABELS, chronology_errors
from incidents.models import (
    ACTIVE_STATUSES,
    TIMESTAMP_FIELDS,
    Incident,
    IncidentCounter,
    Kind,
    Reminder,
    Role,
    RoleAssignment,
    Service,
    Severity,
    Status,
    TriggerCategory,
)
from incidents.services._common import (
    EventKind,
    authorize_commander,
    authorize_write,
    display_name,
    lock_incident,
    record_event,
    send_on_commit,
    severity_label,
    update_interval,
    validate_aware,
    validate_choice,
    validate_text,
)
from incidents.services.alerts import earliest_acknowledgement, link_alerts, resolve_alerts
from incidents.services.reminders import (
    cancel_update_reminders,
    schedule_reminder,
    schedule_update_reminder,
)
from incidents.services.taxonomy import TAXONOMY_FIELDS, apply_taxonomy
from oncall.models import validate_timezone

TITLE_MAX = 200
TEXT_MAX = 20_000

# Status moves a responder may make. Forward jumps are fine (a quick fix may skip "identified");
# "reopen" is resolved/closed → investigating.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    Status.INVESTIGATING: {Status.IDENTIFIED, Status.MONITORING, Status.RESOLVED},
    Status.IDENTIFIED: {Status.INVESTIGATING, Status.MONITORING, Status.RESOLVED},
    Status.MONITORING: {Status.INVESTIGATING, Status.IDENTIFIED, Status.RESOLVED},
    Status.RESOLVED: {Status.CLOSED, Status.INVESTIGATING},
    Status.CLOSED: {Status.INVESTIGATING},
}


def _resolve_services(slugs) -> list[Service]:
    if slugs is None:
        return []
    if isinstance(slugs, str) or not all(isinstance(s, str) for s in slugs):
        raise ValidationFailed(
            "services must be a list of service slugs.",
            field_errors={"services": ["A list of slugs."]},
        )
    wanted = list(dict.fromkeys(slugs))
    found = {s.slug: s for s in Service.objects.filter(slug__in=wanted)}
    missing = [s for s in wanted if s not in found]
    if missing:
        raise ValidationFailed(
            f"Unknown service(s): {', '.join(missing)}.",
            field_errors={"services": [f"Unknown: {', '.join(missing)}"]},
        )
    return [found[s] for s in wanted]


def _validate_interval(value) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1440:
        raise ValidationFailed(
            "update_interval_minutes must be a whole number of minutes from 1 to 1440.",
            field_errors={"update_interval_minutes": ["From 1 to 1440."]},
        )
    return value


def _raise_chronology(errors: dict[str, list[str]]) -> None:
    if errors:
        summary = " ".join(msg for msgs in errors.values() for msg in msgs)
        raise ValidationFailed(
            f"These timestamps are out of order: {summary}", field_errors=errors, code="chronology"
        )


def _next_incident_number() -> int:
    """Hand out the next INC-<n>. Call inside the declaring transaction.

    The counter row is incremented in place, so its row lock queues concurrent declarations until
    the first commits: no two get the same number and none needs a retry. ``Greatest`` keeps the
    counter ahead of numbers written without it (an archive import).
    """
    highest = Coalesce(
        Subquery(Incident.objects.order_by("-number").values("number")[:1]), Value(0)
    )
    bump = {"last_number": Greatest(F("last_number") + 1, highest + 1)}
    if not IncidentCounter.objects.filter(pk=1).update(**bump):
        # A database whose counter row is gone (tests flush tables): recreate it, then bump.
        with transaction.atomic():
            IncidentCounter.objects.get_or_create(pk=1)
        IncidentCounter.objects.filter(pk=1).update(**bump)
    return IncidentCounter.objects.values_list("last_number", flat=True).get(pk=1)


class AlertAlreadyInIncident(Conflict):
    """Declaring from an alert that an open incident already holds: offer that incident."""

    code = "alert_in_open_incident"

    def __init__(self, incident: Incident):
        super().__init__(
            f"This alert is already part of {incident.reference} ({incident.title}), which is "
            f"still open: join it instead of declaring a second incident."
        )
        self.incident = incident

    def as_dict(self) -> dict[str, object]:
        from django.urls import reverse

        return super().as_dict() | {
            "incident": self.incident.reference,
            "incident_number": self.incident.number,
            "incident_url": reverse("incidents:detail", kwargs={"number": self.incident.number}),
        }


def _refuse_alerts_in_open_incidents(user, alerts) -> None:
    """One open incident per alert: declaring again from it offers the existing incident.

    Call after the counter lock is taken, so concurrent declarations from one alert queue behind
    the first and see its link once it has committed.
    """
    if not alerts:
        return
    existing = (
        Incident.objects.filter(alerts__in=alerts, status__in=ACTIVE_STATUSES)
        .order_by("number")
        .first()
    )
    if existing is None:
        return
    from incidents.selectors import incident_visible_queryset

    if incident_visible_queryset(user).filter(pk=existing.pk).exists():
        raise AlertAlreadyInIncident(existing)
    raise Conflict(
        "This alert is already part of an open private incident; ask its incident commander "
        "to add you.",
        code="alert_in_open_incident",
    )


def incident_declare(
    *,
    user,
    title: str,
    severity: str,
    summary: str = "",
    impact: str = "",
    kind: str = Kind.INCIDENT,
    trigger_category: str = TriggerCategory.UNKNOWN,
    services: list[str] | None = None,
    private: bool = False,
    started_at: datetime | None = None,
    detected_at: datetime | None = None,
    declared_at: datetime | None = None,
    acknowledged_at: datetime | None = None,
    update_interval_minutes: int | None = None,
    alert_ids: list[int] | None = None,
) -> Incident:
    """Declare an incident. Whoever declares is its incident commander ("first on the scene is in charge").

    Defaults (METRICS.md v2): declared_at = now; detected_at = the earliest linked alert's
    fired_at, else declared_at; started_at = the earliest stamp known (detected_at, else
    declared_at); acknowledged_at = declared_at, moved earlier when a linked alert's page was
    acknowledged before (with a *page acknowledged* event on the timeline).
    Giving ``declared_at`` (or ``acknowledged_at``) records history after the fact: no update
    cadence, no reminders (the incident was never active in the tool).
    ``alert_ids`` links those alerts (one ``alert_linked`` event each); unknown ids, or alerts the
    person may not see, raise ValidationFailed; an alert already in an open incident raises
    Conflict naming it (when the person may see it). Chronology violations raise ValidationFailed.
    """
    authorize_write(user)
    title = validate_text(title, "title", required=True, max_length=TITLE_MAX)
    summary = validate_text(summary, "summary", required=False, max_length=TEXT_MAX)
    impact = validate_text(impact, "impact", required=False, max_length=TEXT_MAX)
    validate_choice(severity, Severity.choices, "severity")
    validate_choice(kind, Kind.choices, "kind")
    validate_choice(trigger_category, TriggerCategory.choices, "trigger_category")
    if not isinstance(private, bool):
        raise ValidationFailed(
            "private must be true or false.", field_errors={"private": ["true or false"]}
        )
    interval = _validate_interval(update_interval_minutes)
    started_at = validate_aware(started_at, "started_at")
    detected_at = validate_aware(detected_at, "detected_at")
    declared_at = validate_aware(declared_at, "declared_at")
    acknowledged_at = validate_aware(acknowledged_at, "acknowledged_at")
    service_rows = _resolve_services(services)
    alerts = resolve_alerts(user=user, alert_ids=alert_ids)

    now = timezone.now()
    after_the_fact = declared_at is not None or acknowledged_at is not None
    declared = declared_at or now
    earliest_alert = min((a.fired_at for a in alerts), default=None)
    detected = detected_at or (min(earliest_alert, declared) if earliest_alert else declared)
    started = started_at or min(detected, declared)
    acknowledged = acknowledged_at or declared  # the declarer is the first IC
    _raise_chronology(
        chronology_errors(
            {
                "started_at": started,
                "detected_at": detected,
                "declared_at": declared,
                "acknowledged_at": acknowledged,
            },
            now=now,
        )
    )

    with transaction.atomic():
        number = _next_incident_number()
        _refuse_alerts_in_open_incidents(user, alerts)
        incident = Incident.objects.create(
            number=number,
            title=title,
            summary=summary,
            impact=impact,
            severity=severity,
            kind=kind,
            trigger_category=trigger_category,
            private=private,
            timezone=getattr(user, "timezone", None) or settings.FIREBREAK_DEFAULT_USER_TIMEZONE,
            started_at=started,
            detected_at=detected,
            declared_at=declared,
            acknowledged_at=acknowledged,
            update_interval_minutes=interval,
            declared_by=user,
            recorded_after_the_fact=after_the_fact,
        )
        incident.services.set(service_rows)
        incident.members.add(user)
        RoleAssignment.objects.create(
            incident=incident,
            role=Role.INCIDENT_COMMANDER,
            user=user,
            assigned_at=declared,
            assigned_by=user,
        )
        record_event(
            incident,
            EventKind.DECLARED,
            actor=user,
            occurred_at=declared,
            body=f"{display_name(user)} declared {incident.reference} ({severity_label(severity)}) and is incident commander."
            + (" (Recorded after the fact.)" if after_the_fact else ""),
            data={
                "severity": severity,
                "commander": user.get_username(),
                "services": [s.slug for s in service_rows],
                "recorded_after_the_fact": after_the_fact,
            },
        )
        link_alerts(incident, user, alerts)
        fields = []
        earlier_ack = None if acknowledged_at else earliest_acknowledgement(incident, alerts)
        if earlier_ack is not None:
            incident.acknowledged_at = earlier_ack
            fields.append("acknowledged_at")
        if not after_the_fact:
            incident.next_update_due_at = now + update_interval(incident)
            fields.append("next_update_due_at")
            schedule_update_reminder(incident, incident.next_update_due_at)
            schedule_reminder(
                incident, Reminder.ReminderKind.ASK_FOR_HELP, now + _ask_for_help_delay()
            )
        if fields:
            incident.save(update_fields=fields)
        send_on_commit(signals.incident_declared, incident_id=incident.pk)
    return incident


def _ask_for_help_delay():
    from datetime import timedelta

    return timedelta(minutes=settings.FIREBREAK_ASK_FOR_HELP_MINUTES)


EDITABLE_FIELDS = {
    "title",
    "summary",
    "impact",
    "severity",
    "kind",
    "trigger_category",
    "private",
    "services",
    "update_interval_minutes",
    "timezone",
}


@transaction.atomic
def incident_update(
    *, incident: Incident, user, changes: dict[str, Any], reason: str = ""
) -> Incident:
    """Change details and/or timestamps. Timestamps are the IC's (or an admin's) to correct.

    Writes one timeline event per change: severity_changed, timestamp_corrected (one per stamp),
    field_changed for tags and for contributing factors (one each), or field_changed for the
    other details. Unknown keys raise ValidationFailed. Making the
    incident private adds the editor to its members, so they keep seeing it.
    """
    unknown = set(changes) - EDITABLE_FIELDS - set(TIMESTAMP_FIELDS) - set(TAXONOMY_FIELDS)
    if unknown:
        raise ValidationFailed(f"These fields cannot be changed: {', '.join(sorted(unknown))}.")
    incident = lock_incident(incident)
    stamp_changes = {f: changes[f] for f in TIMESTAMP_FIELDS if f in changes}
    if stamp_changes:
        authorize_commander(user, incident, "correct the incident's timestamps")
    else:
        authorize_write(user, incident)

    detail_events: list[str] = []
    old_severity = incident.severity
    if "title" in changes:
        incident.title = validate_text(
            changes["title"], "title", required=True, max_length=TITLE_MAX
        )
    for field in ("summary", "impact"):
        if field in changes:
            setattr(
                incident,
                field,
                validate_text(changes[field], field, required=False, max_length=TEXT_MAX),
            )
    if "severity" in changes:
        incident.severity = validate_choice(changes["severity"], Severity.choices, "severity")
    if "kind" in changes:
        incident.kind = validate_choice(changes["kind"], Kind.choices, "kind")
    if "trigger_category" in changes:
        incident.trigger_category = validate_choice(
            changes["trigger_category"], TriggerCategory.choices, "trigger_category"
        )
    if "private" in changes:
        if not isinstance(changes["private"], bool):
            raise ValidationFailed(
                "private must be true or false.", field_errors={"private": ["true or false"]}
            )
        incident.private = changes["private"]
    if "update_interval_minutes" in changes:
        incident.update_interval_minutes = _validate_interval(changes["update_interval_minutes"])
    if "timezone" in changes:
        from django.core.exceptions import ValidationError

        try:
            validate_timezone(changes["timezone"])
        except (ValidationError, TypeError):
            raise ValidationFailed(
                f"{changes['timezone']!r} is not a time zone.",
                field_errors={"timezone": ["Not a time zone."]},
            ) from None
        incident.timezone = changes["timezone"]

    original = Incident.objects.get(pk=incident.pk)
    for field in (
        "title",
        "summary",
        "impact",
        "kind",
        "trigger_category",
        "private",
        "update_interval_minutes",
        "timezone",
    ):
        if field in changes and getattr(original, field) != getattr(incident, field):
            detail_events.append(field)

    new_services = None
    if "services" in changes:
        new_services = _resolve_services(changes["services"])
        if {s.pk for s in new_services} != set(incident.services.values_list("pk", flat=True)):
            detail_events.append("services")
        else:
            new_services = None

    stamps = {f: getattr(incident, f) for f in TIMESTAMP_FIELDS}
    for field, value in stamp_changes.items():
        if value is None and field in ("started_at", "detected_at", "declared_at"):
            raise ValidationFailed(
                f"{LABELS[field]} cannot be removed.", field_errors={field: ["Required."]}
            )
        stamps[field] = validate_aware(value, field)
    _raise_chronology(chronology_errors(stamps))
    corrected = [f for f, v in stamp_changes.items() if getattr(original, f) != v]
    for field in corrected:
        setattr(incident, field, stamps[field])

    incident.save()
    if new_services is not None:
        incident.services.set(new_services)
    if incident.private and "private" in detail_events:
        # Whoever makes an incident private must still be able to see (and finish) their edit.
        incident.members.add(user)

    if incident.severity != old_severity:
        record_event(
            incident,
            EventKind.SEVERITY_CHANGED,
            actor=user,
            body=f"Severity changed from {old_severity} to {incident.severity}."
            + (f" {reason}" if reason else ""),
            data={"from": old_severity, "to": incident.severity},
        )
    if detail_events:
        record_event(
            incident,
            EventKind.FIELD_CHANGED,
            actor=user,
            body=f"{display_name(user)} changed {', '.join(detail_events)}."
            + (f" {reason}" if reason else ""),
            data={
                "fields": detail_events,
                "old": {
                    f: _jsonable(getattr(original, f)) for f in detail_events if f != "services"
                },
                "new": {
                    f: _jsonable(getattr(incident, f)) for f in detail_events if f != "services"
                },
            },
        )
    taxonomy_changed = apply_taxonomy(
        incident, user, {f: changes[f] for f in TAXONOMY_FIELDS if f in changes}, reason=reason
    )
    _record_timestamp_corrections(incident, user, original, corrected, reason)
    if "mitigated_at" in corrected or "update_interval_minutes" in detail_events:
        _resync_update_reminder(incident)
    if incident.severity != old_severity or detail_events or corrected or taxonomy_changed:
        fields = (
            ([("severity")] if incident.severity != old_severity else [])
            + detail_events
            + corrected
            + taxonomy_changed
        )
        send_on_commit(signals.incident_changed, incident_id=incident.pk, fields=fields)
    return incident


def _record_timestamp_corrections(
    incident, user, original, corrected: list[str], reason: str
) -> None:
    """One ``timestamp_corrected`` event per stamp that changed, with the old and new values."""
    for field in corrected:
        old, new = getattr(original, field), getattr(incident, field)
        record_event(
            incident,
            EventKind.TIMESTAMP_CORRECTED,
            actor=user,
            body=f"{LABELS[field].capitalize()} corrected from {_fmt(old)} to {_fmt(new)}."
            + (f" {reason}" if reason else ""),
            data={"field": field, "old": _jsonable(old), "new": _jsonable(new)},
        )


def apply_timestamp_corrections(
    *, incident: Incident, user, changes: dict[str, datetime], reason: str
) -> list[str]:
    """Correct stamps that follow from facts rather than the IC's judgement (e.g. an earlier alert).

    Precondition: the caller holds the incident lock and has authorized ``user`` to write.
    Chronology is still enforced. Returns the fields that changed.
    """
    original = Incident.objects.get(pk=incident.pk)
    stamps = {f: getattr(incident, f) for f in TIMESTAMP_FIELDS}
    stamps.update(changes)
    _raise_chronology(chronology_errors(stamps))
    corrected = [f for f, v in changes.items() if getattr(original, f) != v]
    if not corrected:
        return []
    for field in corrected:
        setattr(incident, field, stamps[field])
    incident.save(update_fields=[*corrected, "updated_at"])
    _record_timestamp_corrections(incident, user, original, corrected, reason)
    if "mitigated_at" in corrected:
        _resync_update_reminder(incident)
    send_on_commit(signals.incident_changed, incident_id=incident.pk, fields=corrected)
    return corrected


def _resync_update_reminder(incident: Incident) -> None:
    """After mitigation or an interval change, make the pending reminder match the new truth."""
    if not incident.is_active:
        cancel_update_reminders(incident)
        if incident.next_update_due_at is not None:
            incident.next_update_due_at = None
            incident.save(update_fields=["next_update_due_at"])
        return
    last = incident.updates.order_by("-posted_at").first()
    base = last.posted_at if last else incident.declared_at
    due = (last.next_update_at if last and last.next_update_at else None) or base + update_interval(
        incident
    )
    incident.next_update_due_at = due
    incident.save(update_fields=["next_update_due_at"])
    schedule_update_reminder(incident, due)


def _fmt(value) -> str:
    return value.isoformat() if value else "(none)"


def _jsonable(value):
    if isinstance(value, datetime):
        return value.isoformat()
    return value


@transaction.atomic
def incident_change_status(
    *,
    incident: Incident,
    user,
    status: str,
    note: str = "",
    impact_ended_at: datetime | None = None,
) -> Incident:
    """Move the incident through investigating → identified → monitoring → resolved → closed (or reopen).

    Resolving an incident whose impact has no end yet records it (METRICS.md v2): ``mitigated_at``
    becomes ``impact_ended_at`` (default now) with its own *mitigated* event, so MTTR and the
    "longer than 30 minutes" postmortem rule see every resolved incident. ``impact_ended_at`` is
    refused when the incident already has a mitigation time or the move is not to *resolved*.
    """
    validate_choice(status, Status.choices, "status")
    note = validate_text(note, "note", required=False, max_length=TEXT_MAX)
    impact_ended_at = validate_aware(impact_ended_at, "impact_ended_at")
    incident = lock_incident(incident)
    authorize_write(user, incident)
    old = incident.status
    if status == old:
        raise ValidationFailed(
            f"{incident.reference} is already {incident.get_status_display().lower()}."
        )
    if status not in ALLOWED_TRANSITIONS[old]:
        allowed = ", ".join(sorted(ALLOWED_TRANSITIONS[old]))
        raise ValidationFailed(
            f"An incident that is {old} cannot move to {status}; it can move to: {allowed}.",
            field_errors={"status": [f"From {old}: {allowed}."]},
        )
    if impact_ended_at is not None and (status != Status.RESOLVED or incident.mitigated_at):
        raise ValidationFailed(
            "When impact ended is asked only when resolving an incident that has no mitigation "
            "time yet; the incident commander corrects an existing one.",
            field_errors={"impact_ended_at": ["Not expected here."]},
        )
    now = timezone.now()
    reopened = old in (Status.RESOLVED, Status.CLOSED) and status in ACTIVE_STATUSES
    mitigated_now = status == Status.RESOLVED and incident.mitigated_at is None
    if mitigated_now:
        ended = impact_ended_at or now
        if ended > now:
            raise ValidationFailed(
                "Impact cannot end in the future.",
                field_errors={"impact_ended_at": ["In the future."]},
            )
        stamps = {f: getattr(incident, f) for f in TIMESTAMP_FIELDS}
        stamps["mitigated_at"] = ended
        _raise_chronology(chronology_errors(stamps))
        incident.mitigated_at = ended
    incident.status = status
    if status == Status.RESOLVED:
        incident.resolved_at = now
        if incident.mitigated_at and incident.mitigated_at > now:
            incident.mitigated_at = now
    elif status == Status.CLOSED:
        incident.closed_at = now
    if reopened:
        incident.resolved_at = None
        incident.closed_at = None
    incident.save()
    if mitigated_now:
        _record_mitigation(incident, user, incident.mitigated_at, "(recorded when resolving)")
    verb = "reopened" if reopened else f"changed status from {old} to {status}"
    record_event(
        incident,
        EventKind.STATUS_CHANGED,
        actor=user,
        body=f"{display_name(user)} {verb}." + (f" {note}" if note else ""),
        data={"from": old, "to": status, "note": note, "reopened": reopened},
    )
    _resync_update_reminder(incident)
    send_on_commit(
        signals.incident_status_changed, incident_id=incident.pk, old_status=old, new_status=status
    )
    if mitigated_now:
        send_on_commit(signals.incident_mitigated, incident_id=incident.pk)
    if status == Status.RESOLVED:
        send_on_commit(signals.incident_resolved, incident_id=incident.pk)
    return incident


def _record_mitigation(incident: Incident, user, at: datetime, note: str = "") -> None:
    record_event(
        incident,
        EventKind.MITIGATED,
        actor=user,
        occurred_at=at,
        body="Impact ended (mitigated)." + (f" {note}" if note else ""),
        data={"mitigated_at": at.isoformat()},
    )


def mitigation_fill(incident: Incident, user, at: datetime, note: str) -> bool:
    """Record ``at`` as the end of impact if none is recorded yet (the first all-clear does).
    Caller holds the incident lock; returns whether it did. Sends incident_mitigated on commit."""
    if incident.mitigated_at is not None:
        return False
    incident.mitigated_at = at
    incident.save(update_fields=["mitigated_at", "updated_at"])
    _record_mitigation(incident, user, at, note)
    send_on_commit(signals.incident_mitigated, incident_id=incident.pk)
    return True


@transaction.atomic
def incident_mitigate(
    *, incident: Incident, user, at: datetime | None = None, note: str = ""
) -> Incident:
    """Record that impact ended ([Outage Ends]). Stops update reminders."""
    incident = lock_incident(incident)
    authorize_write(user, incident)
    if incident.mitigated_at is not None:
        raise ValidationFailed(
            f"{incident.reference} was already marked mitigated at {incident.mitigated_at.isoformat()}; "
            "the incident commander can correct the time."
        )
    note = validate_text(note, "note", required=False, max_length=TEXT_MAX)
    at = validate_aware(at, "mitigated_at") or timezone.now()
    stamps = {f: getattr(incident, f) for f in TIMESTAMP_FIELDS}
    stamps["mitigated_at"] = at
    _raise_chronology(chronology_errors(stamps))
    incident.mitigated_at = at
    incident.save(update_fields=["mitigated_at", "updated_at"])
    _record_mitigation(incident, user, at, note)
    _resync_update_reminder(incident)
    send_on_commit(signals.incident_mitigated, incident_id=incident.pk)
    return incident
