"""Prometheus Alertmanager webhook payloads (version 4).

https://prometheus.io/docs/alerting/latest/configuration/#webhook_config — one delivery is one
notification for one alert group: ``groupKey``, ``status`` and a list of ``alerts``, each with
``status``, ``labels``, ``annotations``, ``startsAt``, ``endsAt``, ``generatorURL`` and
``fingerprint``. An instance is identified by ``(fingerprint, startsAt)``.
"""

from __future__ import annotations

from collections.abc import Callable

from oncall.alerts.common import (
    MAX_FINGERPRINT_CHARS,
    ParsedAlert,
    ParsedDelivery,
    Problems,
    build_alert,
    optional_string,
    parse_status,
    parse_timestamp,
    require_object,
    string_map,
)

SUPPORTED_VERSION = "4"

# Given (raw alert, raw delivery), returns sender-specific extras to keep in Alert.details.
DetailsFn = Callable[[dict, dict], dict[str, object]]


def parse(payload: object) -> ParsedDelivery:
    return parse_alertmanager_shape(payload, expected_version=SUPPORTED_VERSION)


def parse_alertmanager_shape(
    payload: object, *, expected_version: str | None, details: DetailsFn | None = None
) -> ParsedDelivery:
    """Parse the Alertmanager webhook shape (Grafana sends the same shape plus extras)."""
    problems = Problems()
    body = require_object(payload, problems)
    problems.raise_if_any()
    assert body is not None

    version = body.get("version")
    if expected_version and version is not None and str(version) != expected_version:
        problems.add(
            "version", f"Unsupported payload version {version!r}; expected {expected_version!r}."
        )
    group_key = optional_string(body.get("groupKey"), problems, "groupKey")
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
        labels = string_map(item.get("labels"), problems, f"{path}.labels")
        annotations = string_map(item.get("annotations"), problems, f"{path}.annotations")
        fingerprint = optional_string(
            item.get("fingerprint"),
            problems,
            f"{path}.fingerprint",
            max_chars=MAX_FINGERPRINT_CHARS,
        )
        if not fingerprint and not labels:
            problems.add(
                path, "An alert needs a fingerprint or labels to be told apart from others."
            )
        alert = build_alert(
            problems=problems,
            path=path,
            fingerprint=fingerprint,
            fired_at=parse_timestamp(
                item.get("startsAt"), problems, f"{path}.startsAt", required=True
            ),
            ends_at=parse_timestamp(item.get("endsAt"), problems, f"{path}.endsAt", required=False),
            status=parse_status(item.get("status"), problems, f"{path}.status"),
            name=labels.get("alertname", ""),
            labels=labels,
            annotations=annotations,
            generator_url=optional_string(
                item.get("generatorURL"), problems, f"{path}.generatorURL"
            ),
            group_key=group_key,
            details=details(item, body) if details else {},
        )
        if alert is not None:
            alerts.append(alert)
    problems.raise_if_any(alert_count=len(raw_alerts))
    return ParsedDelivery(alerts=alerts)
