"""The normalised alert every parser produces, and the checks the parsers share.

Parsers never write. They turn one delivery into a list of ``ParsedAlert`` or raise
``ValidationFailed`` naming every field that is wrong, so a delivery is recorded whole or not at all.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.utils.text import slugify

from config.errors import ValidationFailed
from oncall.alerts.urgency import urgency_from_labels

FIRING = "firing"
RESOLVED = "resolved"
STATUSES = (FIRING, RESOLVED)

MAX_FINGERPRINT_CHARS = 255
MAX_NAME_CHARS = 200
MAX_REPORTED_PROBLEMS = 20
UNNAMED_ALERT = "Unnamed alert"


@dataclass(slots=True)
class ParsedAlert:
    fingerprint: str
    fired_at: datetime
    status: str
    name: str
    labels: dict[str, str]
    annotations: dict[str, str] = field(default_factory=dict)
    details: dict[str, object] = field(default_factory=dict)
    summary: str = ""
    description: str = ""
    runbook_url: str = ""
    generator_url: str = ""
    service_slug: str = ""
    urgency: str = ""
    group_key: str = ""
    ends_at: datetime | None = None
    # Only senders that track acknowledgement themselves (PagerDuty) fill this.
    acknowledged_at: datetime | None = None

    @property
    def key(self) -> tuple[str, datetime]:
        return (self.fingerprint, self.fired_at)


@dataclass(slots=True)
class ParsedDelivery:
    alerts: list[ParsedAlert]
    # Events the sender may legitimately send that carry no alert (PagerDuty pings, notes).
    ignored: int = 0


class Problems:
    """Collects what is wrong with a delivery, then raises one ValidationFailed for all of it."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self, *, alert_count: int | None = None) -> None:
        if not self.errors:
            return
        shown = list(self.errors.items())[:MAX_REPORTED_PROBLEMS]
        first_path, first_messages = shown[0]
        more = len(self.errors) - 1
        detail = f"{first_path}: {first_messages[0]}"
        if more:
            detail += f" (and {more} more problem{'s' if more > 1 else ''})"
        scope = f"none of its {alert_count} alerts were" if alert_count else "nothing was"
        raise ValidationFailed(
            f"The delivery was rejected and {scope} recorded. {detail}",
            field_errors={path: messages for path, messages in shown},
        )


def require_object(payload: object, problems: Problems, path: str = "body") -> dict | None:
    if not isinstance(payload, dict):
        problems.add(path, f"Expected a JSON object, got {_json_type(payload)}.")
        return None
    return payload


def string_map(value: object, problems: Problems, path: str) -> dict[str, str]:
    """A labels/annotations object: string keys, scalar values (kept as strings)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.add(path, f"Expected an object of strings, got {_json_type(value)}.")
        return {}
    result: dict[str, str] = {}
    for key, item in value.items():
        if isinstance(item, str):
            result[key] = item
        elif isinstance(item, bool):
            result[key] = "true" if item else "false"
        elif isinstance(item, int | float):
            result[key] = str(item)
        else:
            problems.add(f"{path}.{key}", f"Expected a string, got {_json_type(item)}.")
    return result


def optional_string(
    value: object, problems: Problems, path: str, *, max_chars: int | None = None
) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.add(path, f"Expected a string, got {_json_type(value)}.")
        return ""
    if max_chars is not None and len(value) > max_chars:
        problems.add(path, f"Too long: {len(value)} characters, at most {max_chars}.")
        return ""
    return value


def parse_status(value: object, problems: Problems, path: str) -> str:
    if value is None:
        problems.add(path, "This field is required (firing or resolved).")
        return FIRING
    if value not in STATUSES:
        problems.add(path, f"Expected firing or resolved, got {value!r}.")
        return FIRING
    return str(value)


def parse_timestamp(
    value: object, problems: Problems, path: str, *, required: bool
) -> datetime | None:
    """An RFC 3339 timestamp with a time zone, as UTC.

    Alertmanager's zero time (``0001-01-01T00:00:00Z``) means "not set" and yields None.
    Precision beyond microseconds (Alertmanager sends nanoseconds) is truncated, consistently.
    """
    if value is None or value == "":
        if required:
            problems.add(path, "This field is required (an RFC 3339 timestamp).")
        return None
    if not isinstance(value, str):
        problems.add(path, f"Expected an RFC 3339 timestamp string, got {_json_type(value)}.")
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        problems.add(path, f"{value!r} is not an RFC 3339 timestamp such as 2026-03-08T09:58:00Z.")
        return None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        problems.add(path, f"{value!r} has no time zone; add Z or an offset such as +00:00.")
        return None
    if parsed.year <= 1:
        if required:
            problems.add(path, "The zero time is not a valid start time.")
        return None
    return parsed.astimezone(UTC)


def derive_fingerprint(labels: dict[str, str]) -> str:
    """A stable fingerprint from the sorted label set (for senders that send none)."""
    canonical = json.dumps(labels, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def service_slug_from_labels(labels: dict[str, str]) -> str:
    """The ``service`` label as a slug; empty when absent (the integration's default applies)."""
    return slugify(labels.get("service", ""))[:100]


def build_alert(
    *,
    problems: Problems,
    path: str,
    fingerprint: str,
    fired_at: datetime | None,
    ends_at: datetime | None,
    status: str,
    name: str,
    labels: dict[str, str],
    annotations: dict[str, str],
    ends_at_field: str = "endsAt",
    **extra,
) -> ParsedAlert | None:
    """Cross-field checks and defaults shared by every parser. None when the alert is invalid."""
    if fired_at is not None and ends_at is not None and status == RESOLVED and ends_at < fired_at:
        problems.add(f"{path}.{ends_at_field}", "A resolved alert cannot end before it started.")
    if fired_at is None or problems:
        return None  # the whole delivery is rejected; parsing goes on only to report every problem
    name = (name or labels.get("alertname") or UNNAMED_ALERT)[:MAX_NAME_CHARS]
    extra.setdefault("summary", annotations.get("summary", ""))
    extra.setdefault("description", annotations.get("description", ""))
    extra.setdefault("runbook_url", annotations.get("runbook_url", ""))
    extra.setdefault("service_slug", service_slug_from_labels(labels))
    extra.setdefault("urgency", urgency_from_labels(labels))
    return ParsedAlert(
        fingerprint=fingerprint or derive_fingerprint(labels),
        fired_at=fired_at,
        ends_at=ends_at,
        status=status,
        name=name,
        labels=labels,
        annotations=annotations,
        **extra,
    )


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
