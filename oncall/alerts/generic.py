"""The generic JSON format, for senders without a dedicated integration (scripts, cron jobs).

    POST /hooks/generic/<token>/
    {
      "group_key": "optional, groups alerts that belong together",
      "alerts": [
        {
          "name": "CheckoutErrorRateHigh",          required, the alert rule's name
          "status": "firing",                       required, "firing" or "resolved"
          "starts_at": "2026-03-08T09:58:00Z",      required, RFC 3339 with a time zone
          "ends_at": "2026-03-08T10:21:00Z",        optional; when it resolved
          "fingerprint": "checkout-5xx",            optional, see below
          "labels": {"service": "checkout", "severity": "critical"},
          "annotations": {"any": "string"},
          "summary": "Roll back checkout: 5xx above 5%",
          "description": "...",
          "runbook_url": "https://...",
          "generator_url": "https://...",
          "service": "checkout",                    optional, else the "service" label
          "urgency": "critical"                     optional, else from labels (oncall.alerts.urgency)
        }
      ]
    }

One alert instance is ``(fingerprint, starts_at)``. Without a fingerprint it is derived from the
sorted labels plus the name (as ``alertname``), so the same labels always give the same one.
Sending the same instance again updates it; ``"status": "resolved"`` resolves it.
"""

from __future__ import annotations

from django.utils.text import slugify

from oncall.alerts.common import (
    MAX_FINGERPRINT_CHARS,
    MAX_NAME_CHARS,
    ParsedAlert,
    ParsedDelivery,
    Problems,
    build_alert,
    derive_fingerprint,
    optional_string,
    parse_status,
    parse_timestamp,
    require_object,
    string_map,
)
from oncall.alerts.urgency import URGENCY_BY_VALUE


def parse(payload: object) -> ParsedDelivery:
    problems = Problems()
    body = require_object(payload, problems)
    problems.raise_if_any()
    assert body is not None
    group_key = optional_string(body.get("group_key"), problems, "group_key")
    raw_alerts = body.get("alerts")
    if raw_alerts is None:
        problems.add("alerts", "This field is required (a list of alerts).")
    elif not isinstance(raw_alerts, list):
        problems.add("alerts", "Expected a list of alerts.")
    problems.raise_if_any()
    assert isinstance(raw_alerts, list)

    alerts: list[ParsedAlert] = []
    for index, raw in enumerate(raw_alerts):
        path = f"alerts[{index}]"
        item = require_object(raw, problems, path)
        if item is None:
            continue
        name = optional_string(item.get("name"), problems, f"{path}.name", max_chars=MAX_NAME_CHARS)
        if not name.strip() and f"{path}.name" not in problems.errors:
            problems.add(f"{path}.name", "This field is required (the alert's name).")
        labels = string_map(item.get("labels"), problems, f"{path}.labels")
        annotations = string_map(item.get("annotations"), problems, f"{path}.annotations")
        fingerprint = optional_string(
            item.get("fingerprint"),
            problems,
            f"{path}.fingerprint",
            max_chars=MAX_FINGERPRINT_CHARS,
        ) or derive_fingerprint({"alertname": name, **labels})
        extra: dict[str, object] = {}
        for source, target in (
            ("summary", "summary"),
            ("description", "description"),
            ("runbook_url", "runbook_url"),
            ("generator_url", "generator_url"),
        ):
            value = optional_string(item.get(source), problems, f"{path}.{source}")
            if value or target == "generator_url":
                extra[target] = value
        service = optional_string(item.get("service"), problems, f"{path}.service")
        if service:
            extra["service_slug"] = slugify(service)[:100]
        urgency = optional_string(item.get("urgency"), problems, f"{path}.urgency")
        if urgency:
            mapped = URGENCY_BY_VALUE.get(urgency.strip().lower())
            if mapped is None:
                problems.add(
                    f"{path}.urgency",
                    f"Unknown urgency {urgency!r}; use critical, today or eventually.",
                )
            else:
                extra["urgency"] = mapped
        alert = build_alert(
            problems=problems,
            path=path,
            fingerprint=fingerprint,
            fired_at=parse_timestamp(
                item.get("starts_at"), problems, f"{path}.starts_at", required=True
            ),
            ends_at=parse_timestamp(
                item.get("ends_at"), problems, f"{path}.ends_at", required=False
            ),
            status=parse_status(item.get("status"), problems, f"{path}.status"),
            name=name.strip(),
            labels=labels,
            annotations=annotations,
            group_key=group_key,
            ends_at_field="ends_at",
            **extra,
        )
        if alert is not None:
            alerts.append(alert)
    problems.raise_if_any(alert_count=len(raw_alerts))
    return ParsedDelivery(alerts=alerts)
