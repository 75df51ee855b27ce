"""Query filters of the incident list. Invalid values are a 400 (django-filter validates a form)."""

from __future__ import annotations

from django_filters import rest_framework as filters

from incidents.models import ACTIVE_STATUSES, Incident, Kind, Severity, Status, TriggerCategory
from incidents.services.taxonomy import FACTOR_MAX, TAG_MAX, lookup_name


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

    trigger_category = filters.ChoiceFilter(choices=TriggerCategory.choices)
    tag = filters.CharFilter(
        method="filter_tag",
        max_length=TAG_MAX * 2,
        help_text='Only incidents with this tag (normalised: "DNS " finds dns).',
    )
    factor = filters.CharFilter(
        method="filter_factor",
        max_length=FACTOR_MAX * 2,
        help_text="Only incidents with this contributing factor (normalised, like tag).",
    )

    class Meta:
        model = Incident
        fields = ["status", "severity", "kind", "service", "active", "trigger_category"]

    def filter_tag(self, queryset, name, value):
        return queryset.filter(tags__name=lookup_name(value, "tags")).distinct()

    def filter_factor(self, queryset, name, value):
        found = lookup_name(value, "contributing_factors")
        return queryset.filter(contributing_factors__name=found).distinct()

    def filter_active(self, queryset, name, value):
        if value is True:
            return queryset.filter(status__in=ACTIVE_STATUSES)
        if value is False:
            return queryset.exclude(status__in=ACTIVE_STATUSES)
        return queryset
