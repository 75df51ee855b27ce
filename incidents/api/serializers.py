"""Serializers of the incidents API: strict input serializers, separate output serializers.

Input serializers only check shape and types and resolve references (usernames, slugs, event
ids); every rule of the domain (chronology, transitions, who may do what) stays in the services.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.core.validators import validate_slug
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.api_fields import (
    MAX_ID,
    AwareDateTimeField,
    ErrorSerializer,
    SlugReferenceField,
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictIntegerField,
    TimeZoneField,
    UsernameField,
    UTCDateTimeField,
)
from incidents.models import (
    Incident,
    Kind,
    Role,
    RoleAssignment,
    Service,
    Severity,
    StakeholderUpdate,
    Status,
    Team,
    TimelineEvent,
    TriggerCategory,
)
from incidents.selectors import effective_roles
from incidents.services import update_interval_minutes
from incidents.services.incidents import TEXT_MAX, TITLE_MAX
from incidents.services.taxonomy import FACTOR_MAX, TAG_MAX, TAXONOMY_MAX_ITEMS
from incidents.services.timeline import NOTE_MAX
from incidents.services.updates import UPDATE_MAX

SLUG_MAX = 64
REASON_MAX = 500
DESCRIPTION_MAX = 10_000
# Far more services than any incident touches; bounds the work one request can ask for.
SERVICES_MAX = 100
MEMBERS_MAX = 500

__all__ = ["ErrorSerializer"]  # re-exported for the views' schema annotations


# --- input ----------------------------------------------------------------------------------------


class InputSerializer(serializers.Serializer):
    """Unknown keys are refused (400), so a misspelt field is never silently ignored."""

    def to_internal_value(self, data):
        errors: dict = {}
        value = None
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if not isinstance(exc.detail, Mapping):
                raise
            errors.update(exc.detail)
        if isinstance(data, Mapping):
            for key in sorted(set(data) - set(self.fields)):
                errors[key] = ["Unknown field."]
        if errors:
            raise serializers.ValidationError(errors)
        return value


class IncidentCreateSerializer(InputSerializer):
    title = StrictCharField(max_length=TITLE_MAX)
    severity = StrictChoiceField(choices=Severity.choices)
    summary = StrictCharField(required=False, allow_blank=True, max_length=TEXT_MAX)
    impact = StrictCharField(required=False, allow_blank=True, max_length=TEXT_MAX)
    kind = StrictChoiceField(choices=Kind.choices, required=False)
    trigger_category = StrictChoiceField(choices=TriggerCategory.choices, required=False)
    services = serializers.ListField(
        child=StrictCharField(max_length=SLUG_MAX),
        required=False,
        max_length=SERVICES_MAX,
        help_text="Slugs of the affected services.",
    )
    private = StrictBooleanField(required=False)
    started_at = AwareDateTimeField(required=False, help_text="Impact began. Default: detected_at.")
    detected_at = AwareDateTimeField(
        required=False, help_text="First alert or first person noticed. Default: now."
    )
    declared_at = AwareDateTimeField(
        required=False,
        help_text="Only for history recorded after the fact (an import): when the incident was "
        "declared. Such an incident has no update cadence and no reminders. Default: now.",
    )
    alerts = serializers.ListField(
        child=StrictIntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=200,
        help_text="Ids of alerts to declare from (linked; the earliest sets detected_at). An alert "
        "already in an open incident is a 409 naming it.",
    )
    acknowledged_at = AwareDateTimeField(
        required=False,
        help_text="Only for history recorded after the fact: when the first responder took it. "
        "Default: declared_at, or an earlier page acknowledgement of a linked alert.",
    )
    update_interval_minutes = StrictIntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=1440,
        help_text="Minutes between stakeholder updates. Default: per severity, else 30.",
    )


class IncidentUpdateSerializer(InputSerializer):
    """PATCH: details and the seven METRICS.md timestamps (the latter are the IC's to correct)."""

    title = StrictCharField(required=False, max_length=TITLE_MAX)
    summary = StrictCharField(required=False, allow_blank=True, max_length=TEXT_MAX)
    impact = StrictCharField(required=False, allow_blank=True, max_length=TEXT_MAX)
    severity = StrictChoiceField(choices=Severity.choices, required=False)
    kind = StrictChoiceField(choices=Kind.choices, required=False)
    trigger_category = StrictChoiceField(choices=TriggerCategory.choices, required=False)
    private = StrictBooleanField(required=False)
    services = serializers.ListField(
        child=StrictCharField(max_length=SLUG_MAX), required=False, max_length=SERVICES_MAX
    )
    update_interval_minutes = StrictIntegerField(
        required=False, allow_null=True, min_value=1, max_value=1440
    )
    tags = serializers.ListField(
        child=StrictCharField(max_length=TAG_MAX, allow_blank=True),
        required=False,
        max_length=TAXONOMY_MAX_ITEMS,
        help_text='Replaces the tags: lower case, spaces become hyphens ("TLS certs" → tls-certs).',
    )
    contributing_factors = serializers.ListField(
        child=StrictCharField(max_length=FACTOR_MAX, allow_blank=True),
        required=False,
        max_length=TAXONOMY_MAX_ITEMS,
        help_text="Replaces the contributing factors (lower-cased; no commas).",
    )
    timezone = TimeZoneField(required=False)
    started_at = AwareDateTimeField(required=False)
    detected_at = AwareDateTimeField(required=False)
    declared_at = AwareDateTimeField(required=False)
    acknowledged_at = AwareDateTimeField(required=False, allow_null=True)
    mitigated_at = AwareDateTimeField(required=False, allow_null=True)
    resolved_at = AwareDateTimeField(required=False, allow_null=True)
    closed_at = AwareDateTimeField(required=False, allow_null=True)
    reason = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=REASON_MAX,
        help_text="Why, recorded on the timeline with the change.",
    )


class StatusChangeSerializer(InputSerializer):
    status = StrictChoiceField(choices=Status.choices)
    note = StrictCharField(required=False, allow_blank=True, max_length=TEXT_MAX)
    impact_ended_at = AwareDateTimeField(
        required=False,
        allow_null=True,
        help_text="When resolving an incident not yet marked mitigated: when impact ended "
        "(METRICS.md mitigated_at). Default: now.",
    )


class MitigateSerializer(InputSerializer):
    at = AwareDateTimeField(
        required=False, allow_null=True, help_text="When impact ended. Default: now."
    )
    note = StrictCharField(required=False, allow_blank=True, max_length=TEXT_MAX)


class RoleAssignSerializer(InputSerializer):
    role = StrictChoiceField(choices=Role.choices)
    user = UsernameField(help_text="Username of the person who takes the role.")


class TimelineNoteSerializer(InputSerializer):
    """Only notes are written through the API; every other event is written by a service."""

    kind = StrictChoiceField(
        choices=[(TimelineEvent.EventKind.NOTE.value, "Note")],
        required=False,
        default=TimelineEvent.EventKind.NOTE.value,
    )
    body = StrictCharField(max_length=NOTE_MAX)
    occurred_at = AwareDateTimeField(
        required=False, allow_null=True, help_text="Back-dates the note. Default: now."
    )
    highlighted = StrictBooleanField(required=False)
    corrects = StrictIntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text="Id of an event of this incident that this note corrects.",
    )

    def validate_corrects(self, value):
        if value is None:
            return None
        event = TimelineEvent.objects.filter(incident=self.context["incident"], pk=value).first()
        if event is None:
            raise serializers.ValidationError("No such event on this incident's timeline.")
        return event


class HighlightSerializer(InputSerializer):
    highlighted = StrictBooleanField()


class StatusUpdateCreateSerializer(InputSerializer):
    body = StrictCharField(max_length=UPDATE_MAX)
    audience = StrictChoiceField(choices=StakeholderUpdate.Audience.choices)
    kind = StrictChoiceField(choices=StakeholderUpdate.UpdateKind.choices, required=False)
    next_update_at = AwareDateTimeField(
        required=False, allow_null=True, help_text="Promised next update (within 24 h)."
    )
    follow_up_expected = StrictBooleanField(
        required=False,
        allow_null=True,
        help_text="Required for a resolution (all-clear): will a root-cause follow-up come?",
    )
    public_title = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="The title the public status page shows (external updates). Default: the "
        "incident's title when first published; afterwards the title already published.",
    )


class SnoozeSerializer(InputSerializer):
    minutes = StrictIntegerField(min_value=1, max_value=240)


class ServiceCreateSerializer(InputSerializer):
    slug = StrictCharField(max_length=SLUG_MAX, validators=[validate_slug])
    name = StrictCharField(max_length=120)
    description = StrictCharField(required=False, allow_blank=True, max_length=DESCRIPTION_MAX)
    tier = StrictChoiceField(choices=Service.Tier.choices, required=False)
    team = SlugReferenceField(
        queryset=Team.objects.all(), label="team", required=False, allow_null=True
    )
    slo_target = serializers.DecimalField(
        max_digits=6,
        decimal_places=5,
        min_value=0,
        max_value=1,
        required=False,
        help_text="e.g. 0.999 for three nines.",
    )


class ServiceUpdateSerializer(InputSerializer):
    name = StrictCharField(required=False, max_length=120)
    description = StrictCharField(required=False, allow_blank=True, max_length=DESCRIPTION_MAX)
    tier = StrictChoiceField(choices=Service.Tier.choices, required=False)
    team = SlugReferenceField(
        queryset=Team.objects.all(), label="team", required=False, allow_null=True
    )
    slo_target = serializers.DecimalField(
        max_digits=6, decimal_places=5, min_value=0, max_value=1, required=False
    )


class TeamCreateSerializer(InputSerializer):
    slug = StrictCharField(max_length=SLUG_MAX, validators=[validate_slug])
    name = StrictCharField(max_length=120)
    members = serializers.ListField(
        child=UsernameField(), required=False, max_length=MEMBERS_MAX, help_text="Usernames."
    )


# --- output ---------------------------------------------------------------------------------------


class ActiveRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices, read_only=True)
    user = serializers.CharField(source="user.username", read_only=True)
    assigned_at = UTCDateTimeField()


class EffectiveRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices, read_only=True)
    label = serializers.CharField(read_only=True)
    holders = serializers.ListField(child=serializers.CharField(), read_only=True)
    delegated = serializers.BooleanField(
        read_only=True, help_text="False: nobody holds it, so the incident commander does."
    )


class IncidentSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True, help_text='e.g. "INC-7".')
    url = serializers.SerializerMethodField(help_text="The incident's page in the web app.")
    services = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    contributing_factors = serializers.SlugRelatedField(
        slug_field="name", many=True, read_only=True
    )
    started_at = UTCDateTimeField()
    detected_at = UTCDateTimeField()
    declared_at = UTCDateTimeField()
    acknowledged_at = UTCDateTimeField(allow_null=True)
    mitigated_at = UTCDateTimeField(allow_null=True)
    resolved_at = UTCDateTimeField(allow_null=True)
    closed_at = UTCDateTimeField(allow_null=True)
    next_update_due_at = UTCDateTimeField(allow_null=True)
    update_interval_minutes = serializers.SerializerMethodField(
        help_text="The effective interval: the incident's own, else its severity's, else the default."
    )
    roles = serializers.SerializerMethodField(help_text="Active role assignments.")
    effective_roles = serializers.SerializerMethodField(
        help_text="Every ICS role and who effectively holds it (the IC holds undelegated roles)."
    )

    class Meta:
        model = Incident
        fields = [
            "id",
            "number",
            "reference",
            "url",
            "title",
            "summary",
            "impact",
            "severity",
            "status",
            "kind",
            "trigger_category",
            "private",
            "timezone",
            "services",
            "tags",
            "contributing_factors",
            "started_at",
            "detected_at",
            "declared_at",
            "acknowledged_at",
            "mitigated_at",
            "resolved_at",
            "closed_at",
            "update_interval_minutes",
            "next_update_due_at",
            "recorded_after_the_fact",
            "public_title",
            "roles",
            "effective_roles",
        ]
        read_only_fields = fields

    def _active_assignments(self, incident: Incident) -> list[RoleAssignment]:
        prefetched = getattr(incident, "active_assignments", None)
        if prefetched is None:
            prefetched = list(
                RoleAssignment.objects.filter(incident=incident, ended_at__isnull=True)
                .select_related("user")
                .order_by("assigned_at", "id")
            )
            incident.active_assignments = prefetched
        return prefetched

    def get_url(self, incident: Incident) -> str:
        return settings.FIREBREAK_BASE_URL + reverse("incidents:detail", args=[incident.number])

    def get_update_interval_minutes(self, incident: Incident) -> int:
        return update_interval_minutes(incident)

    @extend_schema_field(ActiveRoleSerializer(many=True))
    def get_roles(self, incident: Incident):
        return ActiveRoleSerializer(self._active_assignments(incident), many=True).data

    @extend_schema_field(EffectiveRoleSerializer(many=True))
    def get_effective_roles(self, incident: Incident):
        roles = effective_roles(incident, active_assignments=self._active_assignments(incident))
        return [
            {
                "role": r.role,
                "label": r.label,
                "holders": [u.get_username() for u in r.holders],
                "delegated": r.delegated,
            }
            for r in roles
        ]


class TaxonomyCountSerializer(serializers.Serializer):
    value = serializers.CharField(
        help_text="What to filter by: ?trigger_category=, ?tag= or ?factor=."
    )
    label = serializers.CharField()
    count = serializers.IntegerField(help_text="Incidents (kind incident) you may see.")


class TaxonomyCountsSerializer(serializers.Serializer):
    trigger_categories = TaxonomyCountSerializer(many=True, help_text="Every category, even at 0.")
    tags = TaxonomyCountSerializer(many=True, help_text="Most used first.")
    contributing_factors = TaxonomyCountSerializer(many=True, help_text="Most used first.")


class RecurrenceSerializer(serializers.Serializer):
    reference = serializers.CharField(source="incident.reference", help_text='e.g. "INC-3".')
    id = serializers.IntegerField(source="incident.id")
    title = serializers.CharField(source="incident.title")
    started_at = UTCDateTimeField(source="incident.started_at")
    trigger_category = serializers.CharField(source="incident.trigger_category")
    url = serializers.SerializerMethodField()
    services = serializers.ListField(
        child=serializers.CharField(),
        help_text="Services shared with this incident (with the same trigger category).",
    )
    fingerprints = serializers.ListField(
        child=serializers.CharField(), help_text="Alert fingerprints shared with this incident."
    )

    def get_url(self, recurrence) -> str:
        return settings.FIREBREAK_BASE_URL + reverse(
            "incidents:detail", args=[recurrence.incident.number]
        )


class RoleAssignmentSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", read_only=True)
    assigned_at = UTCDateTimeField()
    assigned_by = serializers.CharField(
        source="assigned_by.username", read_only=True, allow_null=True
    )
    ended_at = UTCDateTimeField(allow_null=True)
    ended_by = serializers.CharField(source="ended_by.username", read_only=True, allow_null=True)
    active = serializers.BooleanField(source="is_active", read_only=True)

    class Meta:
        model = RoleAssignment
        fields = [
            "id",
            "role",
            "user",
            "assigned_at",
            "assigned_by",
            "ended_at",
            "ended_by",
            "active",
        ]
        read_only_fields = fields


class TimelineEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True, allow_null=True)
    occurred_at = UTCDateTimeField()
    recorded_at = UTCDateTimeField()
    data = serializers.SerializerMethodField()
    corrected_by = serializers.SerializerMethodField(
        help_text="Ids of later events that correct this one."
    )

    class Meta:
        model = TimelineEvent
        fields = [
            "id",
            "kind",
            "body",
            "occurred_at",
            "recorded_at",
            "actor",
            "highlighted",
            "corrects",
            "corrected_by",
            "data",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_data(self, event: TimelineEvent) -> dict:
        return event.data

    def get_corrected_by(self, event: TimelineEvent) -> list[int]:
        return [c.pk for c in event.corrections.all()]


class TimelinePageSerializer(serializers.Serializer):
    """One page of the timeline (documentation only: the view builds it)."""

    next = serializers.URLField(allow_null=True, help_text="The next page; null on the last.")
    previous = serializers.URLField(allow_null=True)
    results = TimelineEventSerializer(many=True)


class StakeholderUpdateSerializer(serializers.ModelSerializer):
    posted_at = UTCDateTimeField()
    posted_by = serializers.CharField(source="posted_by.username", read_only=True, allow_null=True)
    next_update_at = UTCDateTimeField(allow_null=True)

    class Meta:
        model = StakeholderUpdate
        fields = [
            "id",
            "kind",
            "audience",
            "body",
            "posted_at",
            "posted_by",
            "next_update_at",
            "follow_up_expected",
            "reaches_stakeholders",
        ]
        read_only_fields = fields


class ServiceSerializer(serializers.ModelSerializer):
    team = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    slo_target = serializers.DecimalField(
        max_digits=6, decimal_places=5, coerce_to_string=False, read_only=True
    )

    class Meta:
        model = Service
        fields = ["id", "slug", "name", "description", "tier", "team", "slo_target"]
        read_only_fields = fields


class TeamSerializer(serializers.ModelSerializer):
    members = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)
    services = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Team
        fields = ["id", "slug", "name", "members", "services"]
        read_only_fields = fields
