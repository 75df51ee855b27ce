"""Linking alerts (oncall layer) to incidents, and declaring an incident from alerts."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from config.durations import human
from config.errors import ValidationFailed
from incidents.models import Incident
from incidents.services._common import (
    EventKind,
    authorize_write,
    display_name,
    lock_incident,
    record_event,
)
from oncall.alerts.selectors import alert_list
from oncall.models import Alert

MAX_ALERTS_PER_CALL = 200
# Linking an alert that fired this much before the recorded start of impact asks first.
CONFIRM_EARLIER_START = timedelta(hours=1)


def resolve_alerts(*, user, alert_ids) -> list[Alert]:
    """The alerts with these ids that this person may see; any unknown id is an error naming it."""
    if alert_ids is None:
        return []
    if isinstance(alert_ids, (str, bytes)) or not all(
        isinstance(a, int) and not isinstance(a, bool) for a in alert_ids
    ):
        raise ValidationFailed(
            "alerts must be a list of alert ids.", field_errors={"alerts": ["A list of ids."]}
        )
    wanted = list(dict.fromkeys(alert_ids))
    if len(wanted) > MAX_ALERTS_PER_CALL:
        raise ValidationFailed(f"Link at most {MAX_ALERTS_PER_CALL} alerts at a time.")
    found = {a.pk: a for a in alert_list(user=user).filter(pk__in=wanted)}
    missing = [str(a) for a in wanted if a not in found]
    if missing:
        raise ValidationFailed(
            f"Unknown alert(s): {', '.join(missing)}.",
            field_errors={"alerts": [f"Unknown: {', '.join(missing)}"]},
        )
    return [found[a] for a in wanted]


def link_alerts(incident: Incident, user, alerts: list[Alert]) -> list[Alert]:
    """Link alerts not yet linked; one ``alert_linked`` event each. Caller holds the incident lock."""
    already = set(incident.alerts.values_list("pk", flat=True))
    new = [a for a in alerts if a.pk not in already]
    if not new:
        return []
    incident.alerts.add(*new)
    for alert in sorted(new, key=lambda a: a.fired_at):
        record_event(
            incident,
            EventKind.ALERT_LINKED,
            actor=user,
            occurred_at=alert.fired_at,
            body=f"Alert {alert.name} fired"
            + (f": {alert.summary}" if alert.summary else "")
            + ".",
            data={
                "alert_id": alert.pk,
                "name": alert.name,
                "fingerprint": alert.fingerprint,
                "service": alert.service_slug,
                "fired_at": alert.fired_at.isoformat(),
            },
            source_key=f"alert:{alert.pk}",
        )
    for alert in sorted(
        (a for a in new if a.acknowledged_at is not None), key=lambda a: a.acknowledged_at
    ):
        who = display_name(alert.acknowledged_by) if alert.acknowledged_by else "Someone"
        record_event(
            incident,
            EventKind.ALERT_ACKNOWLEDGED,
            actor=alert.acknowledged_by,
            occurred_at=alert.acknowledged_at,
            body=f"{who} acknowledged the page for alert {alert.name}.",
            data={"alert_id": alert.pk, "acknowledged_at": alert.acknowledged_at.isoformat()},
            source_key=f"alert-ack:{alert.pk}",
        )
    return new


def earliest_acknowledgement(incident: Incident, alerts: list[Alert]):
    """When the first responder took it, counting these alerts' page acknowledgements
    (METRICS.md v2): the earlier of ``acknowledged_at`` and the first acknowledgement, never
    before detection. None when the alerts change nothing."""
    acks = [a.acknowledged_at for a in alerts if a.acknowledged_at is not None]
    if not acks:
        return None
    earliest = max(min(acks), incident.detected_at)
    if incident.acknowledged_at is not None and earliest >= incident.acknowledged_at:
        return None
    return earliest


def _confirm_earlier_start(incident: Incident, user, earliest: Alert) -> None:
    """Refuse (the caller's transaction rolls back) an alert from long before the start."""
    gap = incident.started_at - earliest.fired_at
    if gap <= CONFIRM_EARLIER_START:
        return
    fired = timezone.localtime(earliest.fired_at, user.tzinfo)
    started = timezone.localtime(incident.started_at, user.tzinfo)
    started_text = (
        f"{started:%H:%M %Z}" if started.date() == fired.date() else f"{started:%Y-%m-%d %H:%M %Z}"
    )
    raise ValidationFailed(
        f"{earliest.name} fired at {fired:%Y-%m-%d %H:%M %Z}, {human(gap)} before this "
        f"incident's impact began ({started_text}). Linking it moves the start of impact, and "
        "so the time to recover, back by that much. Confirm that impact began then, or link a "
        "later alert.",
        field_errors={"move_start": ["Confirm that impact began when this alert fired."]},
    )


@transaction.atomic
def incident_link_alerts(
    *, incident: Incident, user, alert_ids: list[int], move_start: bool = False
) -> list[Alert]:
    """Link alerts to an incident. If one fired before ``detected_at``, detection moves to it
    (METRICS.md: detected_at is the earliest linked alert), and so does ``started_at`` if impact
    was recorded as starting even later; each move is a timestamp correction on the timeline.

    An alert that fired more than ``CONFIRM_EARLIER_START`` before the recorded start moves it
    only with ``move_start``; otherwise ValidationFailed (field ``move_start``) and nothing is
    linked: a mistyped id must not stretch the incident's time to recover by months.
    """
    from incidents.services.incidents import apply_timestamp_corrections

    incident = lock_incident(incident)
    authorize_write(user, incident)
    alerts = resolve_alerts(user=user, alert_ids=alert_ids)
    if not alerts:
        raise ValidationFailed(
            "Choose at least one alert to link.", field_errors={"alerts": ["Empty."]}
        )
    new = link_alerts(incident, user, alerts)
    earliest = min((a.fired_at for a in new), default=None)
    if earliest is not None and not move_start:
        _confirm_earlier_start(incident, user, min(new, key=lambda a: a.fired_at))
    changes = {}
    if earliest is not None and earliest < incident.detected_at:
        changes["detected_at"] = earliest
        if earliest < incident.started_at:
            changes["started_at"] = earliest
        incident.detected_at = earliest  # so the acknowledgement is compared with it
    acknowledged = earliest_acknowledgement(incident, new)
    if acknowledged is not None:
        changes["acknowledged_at"] = acknowledged
    if changes:
        # Implied by the alert, not the IC's judgement: any member linking it may move the stamp.
        apply_timestamp_corrections(
            incident=incident, user=user, changes=changes, reason="(earliest linked alert)"
        )
    return new
