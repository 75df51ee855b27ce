from __future__ import annotations

from datetime import UTC

import django_filters

from oncall.alerts.models import Alert


class UTCIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    """Compares in UTC: ISO 8601 allows offsets (e.g. +16:00) that PostgreSQL refuses."""

    def filter(self, qs, value):
        if value is not None:
            value = value.astimezone(UTC)
        return super().filter(qs, value)


class AlertFilter(django_filters.FilterSet):
    fingerprint = django_filters.CharFilter(field_name="fingerprint")
    status = django_filters.ChoiceFilter(choices=Alert.Status.choices)
    urgency = django_filters.ChoiceFilter(choices=Alert.Urgency.choices)
    service = django_filters.CharFilter(field_name="service_slug", help_text="Service slug.")
    name = django_filters.CharFilter(field_name="name", help_text="Alert name (alertname).")
    integration = django_filters.NumberFilter(
        field_name="integration_id", min_value=1, max_value=2**63 - 1
    )
    since = UTCIsoDateTimeFilter(
        field_name="fired_at", lookup_expr="gte", help_text="Fired at or after (ISO 8601)."
    )
    until = UTCIsoDateTimeFilter(
        field_name="fired_at", lookup_expr="lt", help_text="Fired before (ISO 8601)."
    )
    acknowledged = django_filters.BooleanFilter(
        field_name="acknowledged_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Alert
        fields: list[str] = []
