"""PagerDuty V3 webhooks (incident events), for teams that page through PagerDuty.

Each delivery is ``{"event": {"id", "event_type", "resource_type", "occurred_at", "data": {...}}}``.
Incident events become one alert instance per PagerDuty incident: the fingerprint is the incident
id and ``fired_at`` its ``created_at``. ``incident.resolved`` (or ``data.status == "resolved"``)
resolves it at ``occurred_at``; ``incident.acknowledged`` records the acknowledgement time (the
acknowledger is a PagerDuty user, so ``acknowledged_by`` stays empty). Other resources and
``pagey.ping`` are accepted and ignored. Redeliveries are dropped by ``X-Webhook-Id``.
"""

from __future__ import annotations

from oncall.alerts.common import (
    MAX_FINGERPRINT_CHARS,
    MAX_NAME_CHARS,
    ParsedDelivery,
    Problems,
    build_alert,
    optional_string,
    parse_timestamp,
    require_object,
)
from oncall.alerts.urgency import urgency_from_labels

RESOLVED_EVENT = "incident.resolved"
ACKNOWLEDGED_EVENT = "incident.acknowledged"


def parse(payload: object) -> ParsedDelivery:
    problems = Problems()
    body = require_object(payload, problems)
    problems.raise_if_any()
    assert body is not None
    event = require_object(body.get("event"), problems, "event")
    problems.raise_if_any()
    assert event is not None
    if event.get("resource_type") != "incident":
        return ParsedDelivery(alerts=[], ignored=1)

    event_type = optional_string(event.get("event_type"), problems, "event.event_type")
    occurred_at = parse_timestamp(
        event.get("occurred_at"), problems, "event.occurred_at", required=True
    )
    data = require_object(event.get("data"), problems, "event.data") or {}
    incident_id = optional_string(
        data.get("id"), problems, "event.data.id", max_chars=MAX_FINGERPRINT_CHARS
    )
    if not incident_id and "event.data.id" not in problems.errors:
        problems.add("event.data.id", "This field is required (the PagerDuty incident id).")
    title = optional_string(data.get("title"), problems, "event.data.title")
    service = data.get("service") if isinstance(data.get("service"), dict) else {}
    priority = data.get("priority") if isinstance(data.get("priority"), dict) else {}
    labels = {
        key: str(value)
        for key, value in (
            ("pagerduty_service", service.get("summary")),
            ("urgency", data.get("urgency")),
            ("priority", priority.get("summary")),
        )
        if value
    }
    resolved = event_type == RESOLVED_EVENT or data.get("status") == "resolved"
    acknowledged = event_type == ACKNOWLEDGED_EVENT or data.get("status") == "acknowledged"
    alert = build_alert(
        problems=problems,
        path="event.data",
        fingerprint=incident_id,
        fired_at=parse_timestamp(
            data.get("created_at"), problems, "event.data.created_at", required=True
        ),
        ends_at=occurred_at if resolved else None,
        ends_at_field="occurred_at",
        status="resolved" if resolved else "firing",
        name=(title or "PagerDuty incident")[:MAX_NAME_CHARS],
        labels=labels,
        annotations={},
        summary=title,
        generator_url=optional_string(data.get("html_url"), problems, "event.data.html_url"),
        urgency=urgency_from_labels(labels),
        acknowledged_at=occurred_at if acknowledged else None,
        details={
            key: value
            for key, value in (
                ("event_type", event_type),
                ("incident_number", data.get("number")),
                ("incident_key", data.get("incident_key")),
            )
            if value
        },
    )
    problems.raise_if_any(alert_count=1)
    return ParsedDelivery(alerts=[alert] if alert else [])
