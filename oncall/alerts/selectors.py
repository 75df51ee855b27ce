"""Reads for alerts and integrations.

Higher layers may narrow which alerts a person sees (alerts linked to a private incident are
visible only to its members and admins; DESIGN.md) by registering a filter here, since the oncall
layer cannot import them: ``register_alert_visibility_filter(fn)`` where ``fn(user, queryset)``
returns the narrowed queryset.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet

from oncall.access import can_respond
from oncall.alerts.models import Alert, Integration

AlertVisibilityFilter = Callable[[object, QuerySet[Alert]], QuerySet[Alert]]
_visibility_filters: list[AlertVisibilityFilter] = []


def register_alert_visibility_filter(fn: AlertVisibilityFilter) -> AlertVisibilityFilter:
    if fn not in _visibility_filters:
        _visibility_filters.append(fn)
    return fn


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


def alert_get(*, user, alert_id: int) -> Alert | None:
    return alert_list(user=user).filter(pk=alert_id).first()


def integration_list(*, user) -> QuerySet[Integration]:
    """Integrations are configuration: responders and admins see them, viewers do not."""
    if not can_respond(user):
        return Integration.objects.none()
    return Integration.objects.select_related("created_by")
