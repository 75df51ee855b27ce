"""Serializers for alerts and alert integrations (input and output separate where they differ)."""

from __future__ import annotations

from rest_framework import serializers

from config.api_fields import (  # noqa: F401  (ErrorSerializer is used by the views)
    ErrorSerializer,
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    UTCDateTimeField,
)
from oncall.alerts.models import Alert, Integration

# --- alerts ---------------------------------------------------------------------------------------


class AlertSerializer(serializers.ModelSerializer):
    source = serializers.CharField(
        source="integration.kind", read_only=True, help_text="Integration kind."
    )
    integration_name = serializers.CharField(source="integration.name", read_only=True)
    service = serializers.CharField(source="service_slug", read_only=True)
    acknowledged_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    subject = serializers.CharField(
        read_only=True, help_text="The summary annotation, else the alert name."
    )
    subject_is_short = serializers.BooleanField(
        read_only=True, help_text="Alert subject rule (METRICS.md): under 50 characters."
    )
    has_runbook = serializers.BooleanField(read_only=True)
    content_problems = serializers.ListField(child=serializers.CharField(), read_only=True)
    fired_at = UTCDateTimeField(help_text="When the alert started firing (startsAt).")
    ends_at = UTCDateTimeField(allow_null=True)
    resolved_at = UTCDateTimeField(allow_null=True)
    acknowledged_at = UTCDateTimeField(allow_null=True)
    first_received_at = UTCDateTimeField()
    last_received_at = UTCDateTimeField()

    class Meta:
        model = Alert
        fields = [
            "id",
            "integration",
            "integration_name",
            "source",
            "fingerprint",
            "name",
            "status",
            "urgency",
            "service",
            "subject",
            "summary",
            "description",
            "runbook_url",
            "generator_url",
            "labels",
            "annotations",
            "details",
            "group_key",
            "fired_at",
            "ends_at",
            "resolved_at",
            "acknowledged_at",
            "acknowledged_by",
            "first_received_at",
            "last_received_at",
            "receive_count",
            "actionable",
            "subject_is_short",
            "has_runbook",
            "content_problems",
        ]
        read_only_fields = fields


class AlertInboxSerializer(AlertSerializer):
    """One inbox row: an alert's newest instance, with how often the alert fired."""

    inbox_rank = serializers.IntegerField(
        read_only=True,
        help_text="0 firing critical, 1 firing today, 2 firing eventually (all unacknowledged), "
        "3 acknowledged and firing, 4 resolved. The inbox sorts by this, then newest first.",
    )
    instances = serializers.IntegerField(
        source="repeats.instances",
        read_only=True,
        help_text="How many times this alert (integration, fingerprint) fired.",
    )
    last_seen_at = UTCDateTimeField(
        source="repeats.last_seen_at", help_text="Last delivery of any of its instances."
    )

    class Meta(AlertSerializer.Meta):
        fields = [*AlertSerializer.Meta.fields, "inbox_rank", "instances", "last_seen_at"]
        read_only_fields = fields


# --- integrations ---------------------------------------------------------------------------------


class IntegrationSerializer(serializers.ModelSerializer):
    service = serializers.CharField(source="default_service_slug", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    signing_secret_configured = serializers.SerializerMethodField()
    created_at = UTCDateTimeField()

    class Meta:
        model = Integration
        fields = [
            "id",
            "kind",
            "name",
            "service",
            "enabled",
            "signing_secret_configured",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields

    def get_signing_secret_configured(self, integration: Integration) -> bool:
        return bool(integration.signing_secret)


class IntegrationWithSecretSerializer(IntegrationSerializer):
    """Returned once, on creation or token rotation: the secret URL and token are not stored."""

    url = serializers.CharField(read_only=True, help_text="Post alerts here. Keep it secret.")
    token = serializers.CharField(
        read_only=True, help_text="Or send it as 'Authorization: Bearer <token>' to /hooks/<kind>/."
    )

    class Meta(IntegrationSerializer.Meta):
        fields = [*IntegrationSerializer.Meta.fields, "url", "token"]
        read_only_fields = fields


class IntegrationCreateSerializer(serializers.Serializer):
    kind = StrictChoiceField(choices=Integration.Kind.choices)
    name = StrictCharField(max_length=100)
    service = StrictCharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text="Service slug for alerts without a 'service' label.",
    )
    signing_secret = StrictCharField(
        max_length=200,
        required=False,
        allow_blank=True,
        write_only=True,
        help_text="Grafana HMAC secret or PagerDuty signing secret (optional).",
    )


class IntegrationUpdateSerializer(serializers.Serializer):
    name = StrictCharField(max_length=100, required=False)
    service = StrictCharField(max_length=100, required=False, allow_blank=True)
    enabled = StrictBooleanField(required=False)
    signing_secret = StrictCharField(
        max_length=200, required=False, allow_blank=True, write_only=True
    )
