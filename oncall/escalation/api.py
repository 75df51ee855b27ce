"""REST API for escalation policies: list, create, retrieve, update, steps nested.

Everyone signed in reads policies (other teams need to know who gets paged); the services let
only responders and admins write. A step names its schedule by slug and people by username.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework import status as http
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from config.api_fields import (
    SlugReferenceField,
    StrictCharField,
    StrictChoiceField,
    StrictIntegerField,
    UsernameField,
    UTCDateTimeField,
)
from config.errors import NotFound, PermissionDenied
from oncall.access import can_respond
from oncall.api_support import as_id, errors
from oncall.escalation.models import EscalationPolicy, EscalationStep
from oncall.escalation.selectors import escalation_policy_list
from oncall.escalation.services import (
    MAX_DELAY_MINUTES,
    MAX_REPEATS,
    MAX_STEP_PEOPLE,
    MAX_STEPS,
    StepInput,
    escalation_policy_create,
    escalation_policy_update,
)
from oncall.schedules.models import Schedule

Target = EscalationStep.Target


class StepSerializer(serializers.Serializer):
    target = StrictChoiceField(
        choices=Target.choices,
        help_text="schedule_primary / schedule_secondary (give `schedule`), user (give "
        "`username`) or users (give `usernames`, e.g. a team's members).",
    )
    delay_minutes = StrictIntegerField(
        min_value=0,
        max_value=MAX_DELAY_MINUTES,
        default=0,
        help_text="Minutes after the previous step (the first step: after the alert arrived).",
    )
    schedule = SlugReferenceField(
        queryset=Schedule.objects.all(),
        label="schedule",
        max_length=100,
        required=False,
        allow_null=True,
        default=None,
    )
    username = UsernameField(active_only=True, required=False, allow_null=True, default=None)
    usernames = serializers.ListField(
        child=StrictCharField(max_length=150),
        required=False,
        default=list,
        max_length=MAX_STEP_PEOPLE,
    )

    def to_representation(self, step: EscalationStep):
        return {
            "target": step.target,
            "delay_minutes": step.delay_minutes,
            "schedule": step.schedule.slug if step.schedule else None,
            "username": step.user.get_username() if step.user else None,
            "usernames": list(step.usernames),
        }


class PolicySerializer(serializers.ModelSerializer):
    steps = StepSerializer(many=True, read_only=True)
    created_by = serializers.CharField(source="created_by.username", allow_null=True, default=None)
    created_at = UTCDateTimeField()
    updated_at = UTCDateTimeField()

    class Meta:
        model = EscalationPolicy
        fields = [
            "id",
            "name",
            "slug",
            "description",
            "service_slug",
            "repeats",
            "repeat_after_minutes",
            "steps",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PolicyWriteSerializer(serializers.Serializer):
    name = StrictCharField(max_length=100)
    slug = serializers.SlugField(max_length=100)
    description = StrictCharField(required=False, allow_blank=True, default="", max_length=5000)
    service_slug = serializers.SlugField(
        required=False,
        allow_blank=True,
        default="",
        max_length=100,
        help_text="Critical alerts for this service page through the policy.",
    )
    repeats = StrictIntegerField(
        min_value=0, max_value=MAX_REPEATS, default=0, help_text="Extra runs while unacknowledged."
    )
    repeat_after_minutes = StrictIntegerField(min_value=1, max_value=MAX_DELAY_MINUTES, default=15)
    steps = StepSerializer(many=True, max_length=MAX_STEPS, min_length=1)


def _step_inputs(steps: list[dict]) -> list[StepInput]:
    return [
        StepInput(
            target=step["target"],
            delay_minutes=step["delay_minutes"],
            schedule=step["schedule"],
            user=step["username"],
            usernames=tuple(step["usernames"]),
        )
        for step in steps
    ]


@extend_schema_view(
    list=extend_schema(
        summary="List escalation policies",
        responses={200: PolicySerializer(many=True), **errors(401)},
    ),
    retrieve=extend_schema(
        summary="One escalation policy", responses={200: PolicySerializer, **errors(401, 404)}
    ),
    create=extend_schema(
        summary="Create an escalation policy (responders, admins)",
        description="With fewer than three people who could be paged (the rotation members of its "
        "schedules and the people its steps name), everyone on call is paged at the first step.",
        request=PolicyWriteSerializer,
        responses={201: PolicySerializer, **errors(400, 401, 403)},
    ),
    update=extend_schema(
        summary="Replace an escalation policy and its steps (responders, admins)",
        request=PolicyWriteSerializer,
        responses={200: PolicySerializer, **errors(400, 401, 403, 404)},
    ),
)
class EscalationPolicyViewSet(GenericViewSet):
    """Who is paged, in which order, when a critical alert is not acknowledged."""

    serializer_class = PolicySerializer
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    pagination_class = LimitOffsetPagination
    filter_backends: list = []
    queryset = EscalationPolicy.objects.none()

    def get_queryset(self):
        return escalation_policy_list()

    def get_object(self) -> EscalationPolicy:
        policy = self.get_queryset().filter(pk=as_id(self.kwargs["pk"])).first()
        if policy is None:
            raise NotFound("No such escalation policy.")
        return policy

    def _input(self) -> dict:
        if not can_respond(self.request.user):  # before parsing: viewers learn nothing more
            raise PermissionDenied("Only responders and admins can change escalation policies.")
        serializer = PolicyWriteSerializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["steps"] = _step_inputs(data["steps"])
        return data

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(PolicySerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(PolicySerializer(self.get_object()).data)

    def create(self, request):
        policy = escalation_policy_create(user=request.user, **self._input())
        return Response(PolicySerializer(policy).data, status=http.HTTP_201_CREATED)

    def update(self, request, pk=None):
        policy = self.get_object()
        policy = escalation_policy_update(user=request.user, policy=policy, **self._input())
        return Response(PolicySerializer(policy).data)
