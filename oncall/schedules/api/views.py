"""REST API for on-call schedules: who is on call, shifts, overrides, swaps and on-call hours.

Thin: shape-check input with a serializer, call one service or selector, render. Everyone signed
in may read schedules; admins manage every schedule and responders the schedules of their teams'
services (``oncall.schedules.permissions``): checked here before the body is read, and again by
the services. Times are ISO 8601 with an offset on input and UTC on output.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status as http
from rest_framework.decorators import action
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from config.errors import NotFound, PermissionDenied, ValidationFailed
from oncall.access import is_admin
from oncall.api_support import as_id, errors
from oncall.schedules.api.serializers import (
    HoursSerializer,
    OnCallSerializer,
    OverrideSerializer,
    OverrideWriteSerializer,
    ScheduleSerializer,
    ScheduleUpdateSerializer,
    ScheduleWriteSerializer,
    ServiceOnCallSerializer,
    ShiftSerializer,
    SwapSerializer,
    SwapWriteSerializer,
)
from oncall.schedules.exports import HOURS_DEFINITION, hours_csv, hours_records
from oncall.schedules.models import Schedule, ScheduleOverride
from oncall.schedules.permissions import may_create, may_manage
from oncall.schedules.rotations import continuous_runs
from oncall.schedules.selectors import oncall_at, oncall_for_service, schedule_list
from oncall.schedules.services import (
    override_cancel,
    override_create,
    schedule_create,
    schedule_update,
    swap_create,
)
from oncall.schedules.shifts import (
    ParticipantInput,
    effective_shifts,
    hours_report,
)

NO_SUCH_SCHEDULE = "No such schedule."
MAX_WINDOW = timedelta(days=366)
TIME_HINT = (
    "Give an ISO 8601 time with its offset, e.g. 2026-03-08T10:00:00Z (in a URL, write + as %2B)."
)


def parse_instant(raw: str | None, name: str) -> datetime:
    """An aware datetime from a query parameter, or ValidationFailed saying how to write it."""
    value = (raw or "").strip()
    parsed = None
    for candidate in (value, _space_as_plus(value)):
        try:
            parsed = parse_datetime(candidate)
        except ValueError:
            parsed = None
        if parsed is not None:
            break
    if parsed is None:
        raise ValidationFailed(
            f"{name}={value!r} is not a time. {TIME_HINT}", field_errors={name: [TIME_HINT]}
        )
    if timezone.is_naive(parsed):
        message = f"{name}={value!r} has no UTC offset, so it is ambiguous. {TIME_HINT}"
        raise ValidationFailed(message, field_errors={name: [TIME_HINT]})
    return parsed


def _space_as_plus(value: str) -> str:
    """``+01:00`` sent unencoded in a query string arrives as `` 01:00``."""
    head, sep, tail = value.rpartition(" ")
    return f"{head}+{tail}" if sep and "T" in head else value


class CSVRenderer(BaseRenderer):
    """``?format=csv``: the view hands over the CSV text; errors stay JSON."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, str):
            return data
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return json.dumps(data)


# --- serializers ----------------------------------------------------------------------------------


AT = OpenApiParameter("at", OpenApiTypes.DATETIME, description="ISO 8601 with offset; default now.")
FROM = OpenApiParameter(
    "from", OpenApiTypes.DATETIME, required=True, description="Window start (inclusive)."
)
TO = OpenApiParameter(
    "to", OpenApiTypes.DATETIME, required=True, description="Window end (exclusive)."
)


def _window(request) -> tuple[datetime, datetime]:
    start = parse_instant(request.query_params.get("from"), "from")
    end = parse_instant(request.query_params.get("to"), "to")
    if end <= start:
        raise ValidationFailed(
            "to must be after from.", field_errors={"to": ["Must be after from."]}
        )
    if end - start > MAX_WINDOW:
        raise ValidationFailed(
            "Ask for at most 366 days at a time.", field_errors={"to": ["Window too long."]}
        )
    return start, end


def _username(user) -> str | None:
    return user.get_username() if user is not None else None


class SchedulePagination(LimitOffsetPagination):
    max_limit = 200


@extend_schema_view(
    list=extend_schema(
        summary="List on-call schedules",
        parameters=[
            OpenApiParameter(
                "service", OpenApiTypes.STR, description="Only this service's schedules."
            )
        ],
        responses={200: ScheduleSerializer(many=True), **errors(401, not_found=NO_SUCH_SCHEDULE)},
    ),
    retrieve=extend_schema(
        summary="One schedule",
        responses={200: ScheduleSerializer, **errors(401, 404, not_found=NO_SUCH_SCHEDULE)},
    ),
    create=extend_schema(
        summary="Create a schedule (admins; responders for their teams' services)",
        request=ScheduleWriteSerializer,
        responses={201: ScheduleSerializer, **errors(400, 401, 403, not_found=NO_SUCH_SCHEDULE)},
    ),
    update=extend_schema(
        summary="Change a schedule's rotation from now or a later time (its managers)",
        description="Adds a version of the rotation from `effective_from` (default now); shifts "
        "already worked never change. Rejected when an override or swap would make one person "
        "primary and secondary at once.",
        request=ScheduleUpdateSerializer,
        responses={
            200: ScheduleSerializer,
            **errors(400, 401, 403, 404, not_found=NO_SUCH_SCHEDULE),
        },
    ),
)
class ScheduleViewSet(GenericViewSet):
    """On-call schedules: a rotation with a primary and a secondary layer."""

    serializer_class = ScheduleSerializer
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    pagination_class = SchedulePagination
    filter_backends: list = []
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return schedule_list(service_slug=self.request.query_params.get("service") or None)

    def get_object(self) -> Schedule:
        schedule = Schedule.objects.filter(
            pk=as_id(self.kwargs["pk"], not_found=NO_SUCH_SCHEDULE)
        ).first()
        if schedule is None:
            raise NotFound("No such schedule.")
        return schedule

    def get_managed_object(self) -> Schedule:
        """The schedule, if this person manages it (403 before any input is read)."""
        schedule = self.get_object()
        if not may_manage(self.request.user, schedule):
            raise PermissionDenied(
                "Only admins and responders of the team that owns this schedule's service can "
                "change it."
            )
        return schedule

    def _input(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data, context={"request": self.request})
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _output(self, schedule, status=http.HTTP_200_OK) -> Response:
        return Response(
            ScheduleSerializer(schedule, context={"request": self.request}).data, status=status
        )

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(
            ScheduleSerializer(page, many=True, context={"request": request}).data
        )

    def retrieve(self, request, pk=None):
        return self._output(self.get_object())

    @staticmethod
    def _definition(data: dict) -> dict:
        participants = [
            ParticipantInput(p["username"], new=p["new"], site=p["site"])
            for p in data["participants"]
        ]
        return {
            "name": data["name"],
            "timezone_name": data["timezone"],
            "rotation": data["rotation"],
            "handoff_time": data["handoff_time"],
            "start_date": data["start_date"],
            "participants": participants,
            "shift_hours": data["shift_hours"],
            "service_slug": data["service_slug"],
            "description": data["description"],
        }

    def create(self, request):
        if not may_create(request.user):
            raise PermissionDenied(
                "Only admins, and responders for the services their teams own, create schedules."
            )
        data = self._input(ScheduleWriteSerializer)
        schedule = schedule_create(user=request.user, slug=data["slug"], **self._definition(data))
        return self._output(schedule, http.HTTP_201_CREATED)

    def update(self, request, pk=None):
        schedule = self.get_managed_object()
        data = self._input(ScheduleUpdateSerializer)
        schedule = schedule_update(
            user=request.user,
            schedule=schedule,
            effective_from=data["effective_from"],
            **self._definition(data),
        )
        return self._output(schedule)

    @extend_schema(
        summary="Who is on call at a moment",
        parameters=[AT],
        responses={200: OnCallSerializer, **errors(400, 401, 404, not_found=NO_SUCH_SCHEDULE)},
    )
    @action(detail=True, methods=["get"])
    def oncall(self, request, pk=None):
        schedule = self.get_object()
        raw = request.query_params.get("at")
        at = timezone.now() if raw is None else parse_instant(raw, "at")
        now = oncall_at(schedule=schedule, at=at)
        return Response(
            OnCallSerializer(
                {"at": at, "primary": _username(now.primary), "secondary": _username(now.secondary)}
            ).data
        )

    @extend_schema(
        summary="Who is on call for a service, per schedule",
        parameters=[OpenApiParameter("service", OpenApiTypes.STR, required=True), AT],
        responses={
            200: ServiceOnCallSerializer(many=True),
            **errors(400, 401, not_found=NO_SUCH_SCHEDULE),
        },
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="oncall",
        url_name="oncall-by-service",
        pagination_class=None,
    )
    def oncall_by_service(self, request):
        service = (request.query_params.get("service") or "").strip()
        if not service:
            raise ValidationFailed(
                "Name the service: ?service=<slug>.", field_errors={"service": ["Required."]}
            )
        raw = request.query_params.get("at")
        at = timezone.now() if raw is None else parse_instant(raw, "at")
        rows = [
            {
                "schedule": schedule.slug,
                "schedule_id": schedule.pk,
                "at": at,
                "primary": _username(now.primary),
                "secondary": _username(now.secondary),
            }
            for schedule, now in oncall_for_service(service_slug=service, at=at)
        ]
        return Response(ServiceOnCallSerializer(rows, many=True).data)

    @extend_schema(
        summary="Shifts in a window (overrides and swaps applied)",
        parameters=[FROM, TO],
        responses={
            200: ShiftSerializer(many=True),
            **errors(400, 401, 404, not_found=NO_SUCH_SCHEDULE),
        },
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def shifts(self, request, pk=None):
        schedule = self.get_object()
        start, end = _window(request)
        runs = continuous_runs(effective_shifts(schedule, start, end))
        data = [
            {
                "layer": r.layer,
                "username": r.person.get_username(),
                "start": r.start,
                "end": r.end,
                "source": r.source,
            }
            for r in runs
        ]
        return Response(ShiftSerializer(data, many=True).data)

    @extend_schema(
        summary="Override: someone covers a layer for a while (the schedule's managers)",
        request=OverrideWriteSerializer,
        responses={
            201: OverrideSerializer,
            **errors(400, 401, 403, 404, not_found=NO_SUCH_SCHEDULE),
        },
    )
    @action(detail=True, methods=["post"])
    def overrides(self, request, pk=None):
        schedule = self.get_managed_object()
        data = self._input(OverrideWriteSerializer)
        override = override_create(
            user=request.user,
            schedule=schedule,
            layer=data["layer"],
            covering_user=data["username"],
            start=data["start"],
            end=data["end"],
            reason=data["reason"],
        )
        return Response(OverrideSerializer(override).data, status=http.HTTP_201_CREATED)

    @extend_schema(
        summary="Cancel an override (kept in the history)",
        request=None,
        responses={
            200: OverrideSerializer,
            **errors(400, 401, 403, 404, not_found=NO_SUCH_SCHEDULE),
        },
    )
    @action(
        detail=True, methods=["post"], url_path=r"overrides/(?P<override_id>[0-9]{1,18})/cancel"
    )
    def override_cancel(self, request, pk=None, override_id=None):
        schedule = self.get_managed_object()
        override = ScheduleOverride.objects.filter(schedule=schedule, pk=int(override_id)).first()
        if override is None:
            raise NotFound("No such override on this schedule.")
        override = override_cancel(user=request.user, override=override)
        return Response(OverrideSerializer(override).data)

    @extend_schema(
        summary="Swap: two people exchange two shifts of one layer (the schedule's managers)",
        request=SwapWriteSerializer,
        responses={201: SwapSerializer, **errors(400, 401, 403, 404, not_found=NO_SUCH_SCHEDULE)},
    )
    @action(detail=True, methods=["post"])
    def swaps(self, request, pk=None):
        schedule = self.get_managed_object()
        data = self._input(SwapWriteSerializer)
        swap = swap_create(
            user=request.user,
            schedule=schedule,
            layer=data["layer"],
            first_user=data["first_username"],
            first_start=data["first_start"],
            first_end=data["first_end"],
            second_user=data["second_username"],
            second_start=data["second_start"],
            second_end=data["second_end"],
            reason=data["reason"],
        )
        return Response(SwapSerializer(swap).data, status=http.HTTP_201_CREATED)

    @extend_schema(
        summary="On-call hours per person, in METRICS.md buckets",
        description=HOURS_DEFINITION + " Admins see everyone; others see their own rows. "
        "`?format=csv` gives the compensation CSV.",
        parameters=[
            FROM,
            TO,
            OpenApiParameter("schedule", OpenApiTypes.INT, description="Only this schedule."),
        ],
        responses={
            200: HoursSerializer(many=True),
            **errors(400, 401, 404, not_found=NO_SUCH_SCHEDULE),
        },
    )
    @action(
        detail=False,
        methods=["get"],
        pagination_class=None,
        renderer_classes=[JSONRenderer, CSVRenderer],
    )
    def hours(self, request):
        start, end = _window(request)
        schedules = None
        if request.query_params.get("schedule"):
            schedule = Schedule.objects.filter(
                pk=as_id(request.query_params["schedule"], not_found=NO_SUCH_SCHEDULE)
            ).first()
            if schedule is None:
                raise NotFound("No such schedule.")
            schedules = [schedule]
        person = None if is_admin(request.user) else request.user
        rows = hours_report(start=start, end=end, schedules=schedules, person=person)
        if request.accepted_renderer.format == "csv":
            response = Response(hours_csv(rows))
            response["Content-Disposition"] = (
                f'attachment; filename="oncall-hours-{start:%Y%m%d}-{end:%Y%m%d}.csv"'
            )
            return response
        return Response(HoursSerializer(hours_records(rows), many=True).data)
