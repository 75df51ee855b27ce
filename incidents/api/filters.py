"""Query filters of the incident list. Invalid values are a 400 (django-filter validates a form)."""

from __future__ import annotations

from django_filters import rest_framework as filters

from incidents.models import ACTIVE_STATUSES, Incident, Kind, Severity, Status


class IncidentFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Status.choices)
    severity = filters.ChoiceFilter(choices=Severity.choices)
    kind = filters.ChoiceFilter(choices=Kind.choices)
    service = filters.CharFilter(
        field_name="services__slug",
        max_length=64,
        distinct=True,
        help_text="Only incidents on the service with this slug.",
    )
    active = filters.BooleanFilter(
        method="filter_active",
        help_text="true: investigating, identified or monitoring; false: resolved or closed.",
    )

    class Meta:
        model = Incident
        fields = ["status", "severity", "kind", "service", "active"]

    def filter_active(self, queryset, name, value):
        if value is True:
            return queryset.filter(status__in=ACTIVE_STATUSES)
        if value is False:
            return queryset.exclude(status__in=ACTIVE_STATUSES)
        return queryset
