"""Serializers for the on-call schedules API (input and output separate where they differ)."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from config.api_fields import (
    AwareDateTimeField,
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    UsernameField,
    UTCDateTimeField,
)
from oncall.schedules.models import Schedule, ScheduleOverride, ScheduleSwap, ShiftLayer
from oncall.schedules.permissions import manageable_service_slugs, manages
from oncall.schedules.shifts import (
    ParticipantInput,
    current_participants,
)


class ParticipantSerializer(serializers.Serializer):
    username = UsernameField(active_only=True)
    new = StrictBooleanField(default=False, help_text="New on the rotation: secondary only.")
    site = serializers.ChoiceField(choices=[0, 1], default=0, help_text="Follow-the-sun site.")

    def to_representation(self, instance: ParticipantInput):
        return {
            "username": instance.user.get_username(),
            "new": instance.new,
            "site": instance.site,
        }


class ScheduleSerializer(serializers.ModelSerializer):
    participants = serializers.SerializerMethodField()
    calendar_url = serializers.SerializerMethodField(help_text="Secret iCal feed address.")
    can_manage = serializers.SerializerMethodField(
        help_text="Whether the client may change this schedule: edit it, add overrides and "
        "swaps (admins, and responders of the team that owns its service)."
    )
    created_at = UTCDateTimeField()
    updated_at = UTCDateTimeField()

    class Meta:
        model = Schedule
        fields = [
            "id",
            "name",
            "slug",
            "description",
            "service_slug",
            "timezone",
            "rotation",
            "handoff_time",
            "start_date",
            "shift_hours",
            "participants",
            "calendar_url",
            "can_manage",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_participants(self, schedule) -> list[dict]:
        return ParticipantSerializer(current_participants(schedule), many=True).data

    def get_can_manage(self, schedule) -> bool:
        # Read once per response, not once per schedule of a list (the context is shared).
        if "manageable_service_slugs" not in self.context:
            self.context["manageable_service_slugs"] = manageable_service_slugs(
                self.context["request"].user
            )
        return manages(self.context["manageable_service_slugs"], schedule.service_slug)

    def get_calendar_url(self, schedule) -> str:
        path = reverse("oncall:schedule-feed", args=[schedule.feed_token])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ScheduleWriteSerializer(serializers.Serializer):
    name = StrictCharField(max_length=100)
    slug = serializers.SlugField(max_length=100)
    description = StrictCharField(required=False, allow_blank=True, default="")
    service_slug = serializers.SlugField(
        required=False, allow_blank=True, default="", max_length=100
    )
    timezone = StrictCharField(
        max_length=64, help_text="IANA name; hand-offs follow its wall clock."
    )
    rotation = StrictChoiceField(choices=Schedule.Rotation.choices)
    handoff_time = serializers.TimeField(help_text="Local time of day, HH:MM.")
    start_date = serializers.DateField(
        help_text="Day of the first hand-off (a Monday for three_four)."
    )
    shift_hours = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1
    )
    participants = ParticipantSerializer(many=True, help_text="In rotation order.")


class ScheduleUpdateSerializer(ScheduleWriteSerializer):
    slug = None
    effective_from = AwareDateTimeField(required=False, allow_null=True, default=None)


class OnCallSerializer(serializers.Serializer):
    at = UTCDateTimeField()
    primary = serializers.CharField(allow_null=True, help_text="Username, or null when nobody.")
    secondary = serializers.CharField(allow_null=True, help_text="Username, or null when nobody.")


class ServiceOnCallSerializer(OnCallSerializer):
    schedule = serializers.CharField(help_text="Schedule slug.")
    schedule_id = serializers.IntegerField()


class ShiftSerializer(serializers.Serializer):
    layer = serializers.CharField()
    username = serializers.CharField()
    start = UTCDateTimeField()
    end = UTCDateTimeField()
    source = serializers.CharField(help_text="rotation, override or swap.")


class OverrideWriteSerializer(serializers.Serializer):
    layer = StrictChoiceField(choices=ShiftLayer.choices)
    username = UsernameField(help_text="Who covers.")
    start = AwareDateTimeField()
    end = AwareDateTimeField()
    reason = StrictCharField(required=False, allow_blank=True, default="", max_length=300)


class OverrideSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    start = UTCDateTimeField(source="start_at")
    end = UTCDateTimeField(source="end_at")
    created_by = serializers.CharField(source="created_by.username", allow_null=True, default=None)
    created_at = UTCDateTimeField()
    cancelled_at = UTCDateTimeField()
    cancelled_by = serializers.CharField(
        source="cancelled_by.username", allow_null=True, default=None
    )

    class Meta:
        model = ScheduleOverride
        fields = [
            "id",
            "layer",
            "username",
            "start",
            "end",
            "reason",
            "created_by",
            "created_at",
            "cancelled_at",
            "cancelled_by",
        ]
        read_only_fields = fields


class SwapWriteSerializer(serializers.Serializer):
    layer = StrictChoiceField(choices=ShiftLayer.choices)
    first_username = UsernameField()
    first_start = AwareDateTimeField()
    first_end = AwareDateTimeField()
    second_username = UsernameField()
    second_start = AwareDateTimeField()
    second_end = AwareDateTimeField()
    reason = StrictCharField(required=False, allow_blank=True, default="", max_length=300)


class SwapSerializer(serializers.ModelSerializer):
    first_username = serializers.CharField(source="first_user.username")
    second_username = serializers.CharField(source="second_user.username")
    first_start = UTCDateTimeField()
    first_end = UTCDateTimeField()
    second_start = UTCDateTimeField()
    second_end = UTCDateTimeField()
    created_by = serializers.CharField(source="created_by.username", allow_null=True, default=None)
    created_at = UTCDateTimeField()
    cancelled_at = UTCDateTimeField()

    class Meta:
        model = ScheduleSwap
        fields = [
            "id",
            "layer",
            "first_username",
            "first_start",
            "first_end",
            "second_username",
            "second_start",
            "second_end",
            "reason",
            "created_by",
            "created_at",
            "cancelled_at",
        ]
        read_only_fields = fields


class HoursSerializer(serializers.Serializer):
    schedule = serializers.CharField()
    username = serializers.CharField()
    name = serializers.CharField()
    time_zone = serializers.CharField()
    layer = serializers.CharField()
    shifts = serializers.IntegerField()
    business_hours = serializers.CharField(help_text="Hours, two decimals.")
    off_hours_hours = serializers.CharField()
    sleep_hours = serializers.CharField()
    total_hours = serializers.CharField()


# --- views ----------------------------------------------------------------------------------------
