"""Reads for alerts and integrations.

Higher layers may narrow which alerts a person sees (alerts linked to a private incident are
visible only to its members and admins; DESIGN.md) by registering a filter here, since the oncall
layer cannot import them: ``register_alert_visibility_filter(fn)`` where ``fn(user, queryset)``
returns the narrowed queryset. Likewise the weekly review (a higher package) says which alerts'
actionable answers can no longer change: ``register_answer_locks(fn)`` where ``fn(alerts)``
returns ``{alert id: why}``; the inbox shows the why instead of the answer buttons.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, Max, QuerySet

from oncall.access import can_respond
from oncall.alerts.models import Alert, Integration, inbox_rank, newer_firings

AlertVisibilityFilter = Callable[[object, QuerySet[Alert]], QuerySet[Alert]]
_visibility_filters: list[AlertVisibilityFilter] = []


def register_alert_visibility_filter(fn: AlertVisibilityFilter) -> AlertVisibilityFilter:
    if fn not in _visibility_filters:
        _visibility_filters.append(fn)
    return fn


AnswerLocks = Callable[[list[Alert]], dict[int, str]]
_answer_locks: list[AnswerLocks] = []


def register_answer_locks(fn: AnswerLocks) -> AnswerLocks:
    if fn not in _answer_locks:
        _answer_locks.append(fn)
    return fn


def answer_locks(alerts: list[Alert]) -> dict[int, str]:
    """Why each of ``alerts`` whose actionable answer can no longer change keeps it."""
    locked: dict[int, str] = {}
    for source in _answer_locks:
        for alert_id, why in source(alerts).items():
            locked.setdefault(alert_id, why)
    return locked


def alert_list(
    *,
    user,
    status: str | None = None,
    urgency: str | None = None,
    service_slug: str | None = None,
    name_contains: str | None = None,
) -> QuerySet[Alert]:
    """Alerts this person may see, newest first. Anonymous and inactive people see none.

    The optional filters narrow the list (the web page's filters); None means "any".
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return Alert.objects.none()
    queryset = Alert.objects.select_related("integration", "acknowledged_by")
    for narrow in _visibility_filters:
        queryset = narrow(user, queryset)
    if status:
        queryset = queryset.filter(status=status)
    if urgency:
        queryset = queryset.filter(urgency=urgency)
    if service_slug:
        queryset = queryset.filter(service_slug=service_slug)
    if name_contains:
        queryset = queryset.filter(name__icontains=name_contains)
    return queryset


def alert_inbox(*, user, alerts: QuerySet[Alert] | None = None, **filters) -> QuerySet[Alert]:
    """The alerts inbox: one row per alert (its newest instance), what needs someone first.

    An alert is an ``(integration, fingerprint)`` key; each time it fires again (flapping, a
    nightly job failing nightly) is a new instance. The row is the newest instance this person
    may see, and ``alerts`` (default: ``alert_list(user=user, **filters)``) narrows which rows
    are listed, so a filter on status or urgency is about the alert's current state.

    Order (``inbox_rank``): firing unacknowledged critical, today, eventually; acknowledged and
    still firing; resolved; newest first within each. Rows carry ``inbox_rank``. The partial
    index ``alert_inbox_idx`` serves it: a page reads its rows from the index and checks each for
    a newer instance on the key's unique index, whatever the history's length. A key whose newest
    instance is hidden from this person (a private incident's) is not listed.
    """
    if alerts is None:
        alerts = alert_list(user=user, **filters)
    return (
        alerts.filter(superseded=False)
        .filter(~Exists(newer_firings()))
        .annotate(inbox_rank=inbox_rank())
        .order_by("inbox_rank", "-fired_at", "-id")
    )


def alert_instances(*, user, integration_id: int, fingerprint: str, **filters) -> QuerySet[Alert]:
    """Every instance (firing) of one alert key this person may see, newest first."""
    return alert_list(user=user, **filters).filter(
        integration_id=integration_id, fingerprint=fingerprint
    )


@dataclass(frozen=True)
class Repeats:
    """How often one alert key fired (instances this person may see) and when it was last
    received (a redelivery counts as seen)."""

    instances: int
    last_seen_at: datetime


def alert_repeats(*, user, alerts: Iterable[Alert]) -> dict[tuple[int, str], Repeats]:
    """Repeats per ``(integration_id, fingerprint)`` of the given rows, in one query."""
    keys = {(alert.integration_id, alert.fingerprint) for alert in alerts}
    if not keys:
        return {}
    rows = (
        alert_list(user=user)
        .filter(
            integration_id__in={key[0] for key in keys},
            fingerprint__in={key[1] for key in keys},
        )
        .order_by()
        .values("integration_id", "fingerprint")
        .annotate(instances=Count("id"), last_seen_at=Max("last_received_at"))
    )
    return {
        (row["integration_id"], row["fingerprint"]): Repeats(
            instances=row["instances"], last_seen_at=row["last_seen_at"]
        )
        for row in rows
        if (row["integration_id"], row["fingerprint"]) in keys
    }


def alert_get(*, user, alert_id: int) -> Alert | None:
    return alert_list(user=user).filter(pk=alert_id).first()


def integration_list(*, user) -> QuerySet[Integration]:
    """Integrations are configuration: responders and admins see them, viewers do not."""
    if not can_respond(user):
        return Integration.objects.none()
    return Integration.objects.select_related("created_by")
