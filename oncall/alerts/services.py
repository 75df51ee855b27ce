"""Every write for alert integrations and alert instances."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, OperationalError, transaction
from django.urls import reverse
from django.utils import timezone

from config.errors import Conflict, PermissionDenied, ValidationFailed
from oncall.access import can_respond
from oncall.alerts import alertmanager, generic, grafana, pagerduty
from oncall.alerts.auth import hash_token, new_token
from oncall.alerts.common import RESOLVED, ParsedAlert, ParsedDelivery
from oncall.alerts.models import Alert, Integration, WebhookDelivery
from oncall.alerts.signals import alert_acknowledged, alerts_received

logger = logging.getLogger(__name__)

PARSERS: dict[str, Callable[[object], ParsedDelivery]] = {
    Integration.Kind.ALERTMANAGER: alertmanager.parse,
    Integration.Kind.GRAFANA: grafana.parse,
    Integration.Kind.GENERIC: generic.parse,
    Integration.Kind.PAGERDUTY: pagerduty.parse,
}
SIGNED_KINDS = (Integration.Kind.GRAFANA, Integration.Kind.PAGERDUTY)
# Two deliveries creating the same instance at once: the loser retries and finds the row.
INGEST_ATTEMPTS = 3

# Fields a redelivery refreshes on an existing instance.
_REFRESHED_FIELDS = [
    "name",
    "urgency",
    "labels",
    "annotations",
    "details",
    "summary",
    "description",
    "runbook_url",
    "generator_url",
    "service_slug",
    "group_key",
    "status",
    "ends_at",
    "resolved_at",
    "acknowledged_at",
    "last_received_at",
    "receive_count",
]


# --- integrations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedToken:
    """An integration with its secret token and URL: only ever returned once."""

    integration: Integration
    token: str

    @property
    def url(self) -> str:
        return integration_url(self.integration, self.token)


def integration_url(integration: Integration, token: str) -> str:
    """The secret URL a sender posts to. Anyone holding it can post alerts."""
    path = reverse("hooks:receive-token", kwargs={"kind": integration.kind, "token": token})
    return f"{settings.FIREBREAK_BASE_URL}{path}"


def integration_create(
    *, user, kind: str, name: str, service_slug: str = "", signing_secret: str = ""
) -> IssuedToken:
    """Create an integration for a monitoring system. Responders and admins only.

    Returns the integration with its token; the token is not stored and cannot be shown again.
    """
    _require_responder(user, "create integrations")
    if kind not in Integration.Kind.values:
        raise ValidationFailed(
            f"Unknown kind {kind!r}; use one of {', '.join(Integration.Kind.values)}.",
            field_errors={"kind": [f"Use one of {', '.join(Integration.Kind.values)}."]},
        )
    integration = Integration(kind=kind, created_by=user)
    _apply_settings(
        integration, name=name, service_slug=service_slug, signing_secret=signing_secret
    )
    token = new_token()
    integration.token_hash = hash_token(token)
    integration.save()
    return IssuedToken(integration=integration, token=token)


def integration_update(
    *,
    user,
    integration: Integration,
    name: str | None = None,
    service_slug: str | None = None,
    enabled: bool | None = None,
    signing_secret: str | None = None,
) -> Integration:
    """Rename, re-target, disable/enable or change the signing secret of an integration."""
    _require_responder(user, "change integrations")
    _apply_settings(
        integration, name=name, service_slug=service_slug, signing_secret=signing_secret
    )
    if enabled is not None:
        integration.enabled = enabled
    integration.save(update_fields=["name", "default_service_slug", "signing_secret", "enabled"])
    return integration


def integration_rotate_token(*, user, integration: Integration) -> IssuedToken:
    """Issue a new token; the old URL stops working at once (for a leaked URL)."""
    _require_responder(user, "rotate integration tokens")
    token = new_token()
    integration.token_hash = hash_token(token)
    integration.save(update_fields=["token_hash"])
    return IssuedToken(integration=integration, token=token)


def _require_responder(user, action: str) -> None:
    if not can_respond(user):
        raise PermissionDenied(f"Only responders and admins can {action}.")


def _apply_settings(
    integration: Integration,
    *,
    name: str | None,
    service_slug: str | None,
    signing_secret: str | None,
) -> None:
    errors: dict[str, list[str]] = {}
    if name is not None:
        name = name.strip()
        if not name:
            errors["name"] = ["Give the integration a name, such as “Production Alertmanager”."]
        elif len(name) > 100:
            errors["name"] = ["At most 100 characters."]
        integration.name = name
    if service_slug is not None:
        service_slug = service_slug.strip()
        try:
            if service_slug:
                validate_slug(service_slug)
            if len(service_slug) > 100:
                raise ValidationError("At most 100 characters.")
        except ValidationError as exc:
            errors["service"] = [f"{service_slug!r} is not a service slug: {exc.messages[0]}"]
        integration.default_service_slug = service_slug
    if signing_secret is not None:
        signing_secret = signing_secret.strip()
        if signing_secret and integration.kind not in SIGNED_KINDS:
            errors["signing_secret"] = [
                "Only Grafana and PagerDuty integrations sign their requests."
            ]
        elif len(signing_secret) > 200:
            errors["signing_secret"] = ["At most 200 characters."]
        integration.signing_secret = signing_secret
    if errors:
        first_field, messages = next(iter(errors.items()))
        raise ValidationFailed(f"{first_field}: {messages[0]}", field_errors=errors)


# --- ingestion ----------------------------------------------------------------------------------


@dataclass
class IngestResult:
    received: int = 0
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    resolved: list[int] = field(default_factory=list)
    # New instances that are critical, firing and unacknowledged: someone is needed now.
    created_critical: list[int] = field(default_factory=list)
    # Existing firing, unacknowledged instances whose urgency this delivery raised to critical.
    became_critical: list[int] = field(default_factory=list)
    ignored: int = 0
    duplicate_delivery: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "received": self.received,
            "created": len(self.created),
            "updated": len(self.updated),
            "resolved": len(self.resolved),
            "ignored": self.ignored,
            "duplicate_delivery": self.duplicate_delivery,
        }


def alert_ingest(
    *,
    integration: Integration,
    payload: object,
    delivery_id: str = "",
    received_at: datetime | None = None,
) -> IngestResult:
    """Record one delivery from an authenticated integration, all of it or nothing.

    Preconditions: the caller has authenticated the request for ``integration`` (token and
    signature). ``payload`` is the decoded JSON body. Raises ValidationFailed (nothing written)
    when any alert in it is invalid.

    Idempotent: an instance ``(integration, fingerprint, fired_at)`` already recorded is updated
    (labels, ``last_received_at``, ``receive_count``), never duplicated; ``status: resolved``
    resolves it at the sender's ``endsAt``. A resolved instance stays resolved (a late, out-of-order
    "firing" retry does not reopen it; a real re-fire has a new start time). With ``delivery_id``
    (PagerDuty's ``X-Webhook-Id``) a repeated delivery is dropped whole.
    """
    delivery = PARSERS[integration.kind](payload)  # no writes before this has succeeded
    received_at = received_at or timezone.now()
    for attempt in range(1, INGEST_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                result = _record_delivery(
                    integration, delivery, delivery_id, received_at, thorough=attempt > 1
                )
            break
        except (IntegrityError, OperationalError) as exc:
            if isinstance(exc, OperationalError) and not _is_deadlock(exc):
                raise
            if attempt == INGEST_ATTEMPTS:
                logger.warning("alert delivery for integration %s kept conflicting", integration.pk)
                raise Conflict(
                    "The same alerts are being recorded by another request; retry."
                ) from None
    if result.created or result.updated:
        transaction.on_commit(lambda: _announce(integration.pk, result))
    return result


def _is_deadlock(exc: OperationalError) -> bool:
    """PostgreSQL chose this transaction as a deadlock's victim (SQLSTATE 40P01): retry it."""
    return getattr(exc.__cause__, "sqlstate", None) == "40P01"


def _announce(integration_id: int, result: IngestResult) -> None:
    """Tell higher layers; a failing receiver is logged, never turned into a failed delivery
    (the sender would retry what is already recorded)."""
    responses = alerts_received.send_robust(
        sender=Alert,
        integration_id=integration_id,
        created_ids=result.created,
        updated_ids=result.updated,
        resolved_ids=result.resolved,
        created_critical_ids=result.created_critical,
        became_critical_ids=result.became_critical,
    )
    for receiver, outcome in responses:
        if isinstance(outcome, Exception):
            logger.error("alerts_received receiver %r failed", receiver, exc_info=outcome)


def _record_delivery(
    integration: Integration,
    delivery: ParsedDelivery,
    delivery_id: str,
    received_at: datetime,
    *,
    thorough: bool = False,
) -> IngestResult:
    if delivery_id:
        if WebhookDelivery.objects.filter(
            integration=integration, delivery_id=delivery_id
        ).exists():
            return IngestResult(duplicate_delivery=True)
        WebhookDelivery.objects.create(
            integration=integration, delivery_id=delivery_id[:200], received_at=received_at
        )
    # A delivery may repeat an instance; the later entry wins, and it counts as one receipt.
    incoming: dict[tuple[str, datetime], ParsedAlert] = {}
    for parsed in delivery.alerts:
        incoming[parsed.key] = parsed
    result = IngestResult(received=len(delivery.alerts), ignored=delivery.ignored)
    if not incoming:
        return result

    recorded = _lock_recorded(integration, list(incoming), thorough=thorough)
    existing = {(row.fingerprint, row.fired_at): row for row in recorded}
    newest_before = [row for row in recorded if not row.superseded]

    to_create: list[Alert] = []
    to_update: list[Alert] = []
    for key, parsed in incoming.items():
        before = existing.get(key)
        if before is None:
            to_create.append(_new_alert(integration, parsed, received_at))
            continue
        alert = _refreshed_alert(before, integration, parsed, received_at)
        to_update.append(alert)
        if alert.status == Alert.Status.RESOLVED and before.status != Alert.Status.RESOLVED:
            result.resolved.append(alert.pk)
        elif before.urgency != Alert.Urgency.CRITICAL and _needs_someone_now(alert):
            result.became_critical.append(alert.pk)

    if to_create:
        # Every delivery inserts (and below, upserts) in one order, the instance key's: two
        # deliveries that share new instances then wait for each other instead of deadlocking.
        to_create.sort(key=lambda a: (a.fingerprint, a.fired_at))
        older_pks = _supersede(newest_before, to_create)
        Alert.objects.bulk_create(to_create)
        if older_pks:
            Alert.objects.filter(pk__in=older_pks).update(superseded=True)
        result.created = [alert.pk for alert in to_create]
        result.resolved += [
            alert.pk for alert in to_create if alert.status == Alert.Status.RESOLVED
        ]
        result.created_critical = [alert.pk for alert in to_create if _needs_someone_now(alert)]
    if to_update:
        to_update.sort(key=lambda a: (a.fingerprint, a.fired_at))
        _write_refreshed(to_update)
        result.updated = [alert.pk for alert in to_update]
    return result


class _Recorded(NamedTuple):
    """What a redelivery needs of a recorded instance: read as plain values, since building
    model instances (and decoding their labels) cost more than the rest of the look-up."""

    pk: int
    fingerprint: str
    fired_at: datetime
    superseded: bool
    status: str
    urgency: str
    group_key: str
    ends_at: datetime | None
    resolved_at: datetime | None
    acknowledged_at: datetime | None
    first_received_at: datetime
    last_received_at: datetime
    receive_count: int


def _lock_recorded(
    integration: Integration, keys: list[tuple[str, datetime]], *, thorough: bool
) -> list[_Recorded]:
    """The recorded instances among ``keys`` and the newest firing of each of their alerts,
    locked (PostgreSQL) so concurrent redeliveries cannot lose a receive_count increment.

    First the newest firings, one per alert through ``alert_newest_firing_idx`` however long
    the alert's history: a redelivery is almost always of the newest firing. Only a key older
    than its alert's newest firing (a late retry) can be a superseded instance, so only those
    are looked up by their exact key, as every key is when ``thorough`` (a retry after a
    collision, which must find what the other delivery wrote whatever it left unsuperseded).
    """
    newest = _read_recorded(
        Alert.objects.filter(
            integration=integration,
            fingerprint__in={fingerprint for fingerprint, _ in keys},
            superseded=False,
        )
    )
    found = {(row.fingerprint, row.fired_at) for row in newest}
    newest_at: dict[str, datetime] = {}
    for row in newest:
        newest_at[row.fingerprint] = max(row.fired_at, newest_at.get(row.fingerprint, row.fired_at))
    older = [
        (fingerprint, fired_at)
        for fingerprint, fired_at in keys
        if (fingerprint, fired_at) not in found
        and (thorough or fired_at < newest_at.get(fingerprint, fired_at))
    ]
    if not older:
        return newest
    wanted = set(older)
    candidates = _read_recorded(
        Alert.objects.filter(
            integration=integration,
            fingerprint__in={fingerprint for fingerprint, _ in older},
            fired_at__in={fired_at for _, fired_at in older},
        )
    )
    return newest + [row for row in candidates if (row.fingerprint, row.fired_at) in wanted]


def _read_recorded(alerts) -> list[_Recorded]:
    """Lock ``alerts`` in primary-key order (every delivery's order) and read them."""
    locked = alerts.select_for_update().order_by("pk").values_list(*_Recorded._fields)
    return [_Recorded(*values) for values in locked]


def _supersede(newest_before: list[_Recorded], to_create: list[Alert]) -> list[int]:
    """Only the newest firing of an alert stays unsuperseded (the inbox lists it). Marks the new
    firings that are not their alert's newest (a late, out-of-order delivery) superseded, and
    returns the ids of the recorded ones a new firing supersedes. ``newest_before``: the
    recorded unsuperseded firings of the delivery's alerts (normally one per alert)."""
    newest: dict[str, datetime] = {}
    for alert in [*newest_before, *to_create]:
        if alert.fingerprint not in newest or alert.fired_at > newest[alert.fingerprint]:
            newest[alert.fingerprint] = alert.fired_at
    for alert in to_create:
        alert.superseded = alert.fired_at < newest[alert.fingerprint]
    return [row.pk for row in newest_before if row.fired_at < newest[row.fingerprint]]


def _needs_someone_now(alert: Alert) -> bool:
    return (
        alert.urgency == Alert.Urgency.CRITICAL
        and alert.status == Alert.Status.FIRING
        and alert.acknowledged_at is None
    )


def _write_refreshed(rows: list[Alert]) -> None:
    """Write refreshed rows in one statement.

    The rows are locked (select_for_update) and their new values computed here, so an upsert on
    the instance key is a batched UPDATE: ``INSERT ... ON CONFLICT (integration, fingerprint,
    fired_at) DO UPDATE``. It is one cheap statement, where ``bulk_update`` builds a CASE
    expression per field and row (about 40x slower for a 100-alert delivery).
    """
    ids = [row.pk for row in rows]
    for row in rows:
        row.pk = None  # found by its instance key; a pk would make the INSERT half collide on it
    try:
        Alert.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["integration", "fingerprint", "fired_at"],
            update_fields=_REFRESHED_FIELDS,
        )
    finally:
        for row, pk in zip(rows, ids, strict=True):
            row.pk = pk


def _new_alert(integration: Integration, parsed: ParsedAlert, received_at: datetime) -> Alert:
    resolved = parsed.status == RESOLVED
    return Alert(
        integration=integration,
        fingerprint=parsed.fingerprint,
        fired_at=parsed.fired_at,
        name=parsed.name,
        status=parsed.status,
        urgency=parsed.urgency,
        labels=parsed.labels,
        annotations=parsed.annotations,
        details=parsed.details,
        summary=parsed.summary,
        description=parsed.description,
        runbook_url=parsed.runbook_url,
        generator_url=parsed.generator_url,
        service_slug=parsed.service_slug or integration.default_service_slug,
        group_key=parsed.group_key,
        ends_at=parsed.ends_at,
        resolved_at=(parsed.ends_at or received_at) if resolved else None,
        acknowledged_at=parsed.acknowledged_at,
        first_received_at=received_at,
        last_received_at=received_at,
        receive_count=1,
    )


def _refreshed_alert(
    before: _Recorded, integration: Integration, parsed: ParsedAlert, received_at: datetime
) -> Alert:
    """The recorded instance ``before`` as this redelivery leaves it: the sender's latest
    labels and texts, one more receipt, and a resolution that is final (see alert_ingest)."""
    alert = _new_alert(integration, parsed, received_at)
    alert.pk = before.pk
    alert.superseded = before.superseded
    alert.group_key = parsed.group_key or before.group_key
    alert.first_received_at = before.first_received_at
    alert.last_received_at = max(before.last_received_at, received_at)
    alert.receive_count = before.receive_count + 1
    alert.acknowledged_at = before.acknowledged_at or parsed.acknowledged_at
    if before.status == Alert.Status.RESOLVED:
        alert.status = before.status
        alert.ends_at = before.ends_at
        alert.resolved_at = before.resolved_at
    return alert


def webhook_deliveries_prune(*, now: datetime | None = None) -> int:
    """Forget delivery ids older than FIREBREAK_WEBHOOK_DELIVERY_RETENTION_DAYS; returns how many.

    A sender retries a delivery for minutes to hours, never for days, so an older id can no longer
    be redelivered and only makes the table grow with every webhook ever received.
    """
    retention = timedelta(days=settings.FIREBREAK_WEBHOOK_DELIVERY_RETENTION_DAYS)
    cutoff = (now or timezone.now()) - retention
    deleted, _ = WebhookDelivery.objects.filter(received_at__lt=cutoff).delete()
    return deleted


# --- acknowledgement ----------------------------------------------------------------------------


def alert_acknowledge(*, user, alert: Alert) -> Alert:
    """A responder takes the alert. Idempotent: the first acknowledgement stands.

    Raises PermissionDenied for viewers, Conflict for an alert that resolved before anyone
    acknowledged it (it counts as auto-resolved unacknowledged; METRICS.md).
    """
    if not can_respond(user):
        raise PermissionDenied("Only responders and admins can acknowledge alerts.")
    now = timezone.now()
    Alert.objects.filter(
        pk=alert.pk, acknowledged_at__isnull=True, status=Alert.Status.FIRING
    ).update(acknowledged_at=now, acknowledged_by=user)
    alert.refresh_from_db()
    if alert.acknowledged_at is None:
        when = timezone.localtime(alert.resolved_at, user.tzinfo) if alert.resolved_at else None
        raise Conflict(
            "This alert resolved"
            + (f" at {when:%Y-%m-%d %H:%M %Z}" if when else "")
            + " before anyone acknowledged it; there is nothing to acknowledge."
        )
    alert_acknowledged.send(sender=Alert, alert=alert)
    return alert
