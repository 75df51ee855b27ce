"""Report parameters from a query string: period, team, service, severity (shared by API and web)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

from django.utils import timezone
from rest_framework import serializers

from incidents.models import Service, Severity, Team
from postmortems.reports.metrics import Period, Scope

DEFAULT_DAYS = 30
MAX_PERIOD = timedelta(days=3 * 366)


class ReportDateTimeField(serializers.Field):
    """A date (``2026-07-01``, midnight UTC) or an ISO datetime with offset (``...T10:00:00Z``)."""

    default_error_messages = {
        "invalid": "Give a date (YYYY-MM-DD) or an ISO 8601 datetime, e.g. 2026-07-01T00:00:00Z.",
        "naive": "Give the datetime's offset, e.g. 2026-07-01T00:00:00Z.",
    }

    def to_internal_value(self, data):
        text = str(data).strip()
        try:
            if len(text) == 10:
                return datetime.combine(datetime.fromisoformat(text).date(), time(), tzinfo=UTC)
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            self.fail("invalid")
        if timezone.is_naive(value):
            self.fail("naive")
        return value.astimezone(UTC)

    def to_representation(self, value):
        return value.isoformat()


class ReportParamsSerializer(serializers.Serializer):
    """``from`` / ``to`` (half-open period; default the last 30 days), ``team`` and ``service``
    slugs, ``severity``."""

    to = ReportDateTimeField(required=False)
    team = serializers.SlugField(required=False)
    service = serializers.SlugField(required=False)
    severity = serializers.ChoiceField(choices=Severity.choices, required=False)

    def get_fields(self):
        fields = super().get_fields()
        # "from" is a Python keyword, so it cannot be a class attribute.
        fields["from"] = ReportDateTimeField(required=False)
        return fields

    def validate_team(self, slug):
        team = Team.objects.filter(slug=slug).first()
        if team is None:
            raise serializers.ValidationError(f"No team with the slug {slug!r}.")
        return team

    def validate_service(self, slug):
        service = Service.objects.select_related("team").filter(slug=slug).first()
        if service is None:
            raise serializers.ValidationError(f"No service with the slug {slug!r}.")
        return service

    def validate(self, attrs):
        end = attrs.get("to") or timezone.now()
        start = attrs.get("from") or end - timedelta(days=DEFAULT_DAYS)
        if start >= end:
            raise serializers.ValidationError(
                {"to": "The end of the period must be after its start."}
            )
        if end - start > MAX_PERIOD:
            raise serializers.ValidationError({"from": "A report covers at most three years."})
        team, service = attrs.get("team"), attrs.get("service")
        if team is not None and service is not None and service.team_id != team.pk:
            raise serializers.ValidationError(
                {
                    "service": f"The service {service.slug!r} does not belong to the team {team.slug!r}."
                }
            )
        attrs["period"] = Period(start, end)
        attrs["scope"] = Scope(team=team, service=service, severity=attrs.get("severity") or None)
        return attrs


QUARTER_PATTERN = re.compile(r"^(\d{4})Q([1-4])$")


def quarter_period(text: str) -> Period:
    """``2026Q3`` → ``[2026-07-01, 2026-10-01)`` UTC; ``ValueError`` with a sentence when bad."""
    match = QUARTER_PATTERN.match(str(text).strip().upper())
    if not match or not 1970 <= int(match.group(1)) <= 9998:
        raise ValueError("Give the quarter as YYYYQn, e.g. 2026Q3.")
    year, quarter = int(match.group(1)), int(match.group(2))
    start = datetime(year, 3 * quarter - 2, 1, tzinfo=UTC)
    end = datetime(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1, tzinfo=UTC)
    return Period(start, end)


def previous_quarter(quarter: str) -> str:
    """``2026Q1`` → ``2025Q4`` (``quarter`` already valid)."""
    year, number = int(quarter[:4]), int(quarter[-1])
    return f"{year - 1}Q4" if number == 1 else f"{year}Q{number - 1}"


def quarter_of(moment: datetime) -> str:
    return f"{moment.year}Q{(moment.month - 1) // 3 + 1}"


def parse_report_params(query) -> tuple[Period, Scope]:
    """Period and scope from a query dict; raises DRF ``ValidationError`` (a 400) when bad."""
    serializer = ReportParamsSerializer(data={k: v for k, v in query.items() if v != ""})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data["period"], serializer.validated_data["scope"]
