"""REST API viewsets for incidents, their roles, timeline and updates, services and teams.

Thin: validate the input's shape with a serializer, call one service, render an output
serializer. Visibility is applied in ``get_queryset()`` (a private incident is 404 for anyone
who is not a member, on every endpoint); authorization proper stays in the services.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC

from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status as http
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination, LimitOffsetPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from config.api_fields import MAX_ID
from config.errors import NotFound, ValidationFailed
from incidents import services
from incidents.api import serializers as s
from incidents.api.filters import IncidentFilter
from incidents.models import Incident, Service, Team, TimelineEvent
from incidents.selectors import (
    active_roles_prefetch,
    incident_recurrences,
    incident_visible_queryset,
    role_history,
    service_list,
    taxonomy_counts,
    team_list,
    timeline_for,
    updates_for,
)
from oncall.access import can_respond


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """Document the 4xx answers of an operation; they all share one body (ErrorSerializer)."""
    meaning = {
        400: "Invalid input: `detail` says what, `errors` says which field.",
        401: "Not signed in.",
        403: "Not allowed (viewers read but do not write).",
        404: "No such object, or a private incident you are not a member of.",
        409: "Conflicts with the current state: `detail` says how (e.g. the alert is already in "
        "an open incident, named in `incident` and `incident_url`).",
    }
    return {code: OpenApiResponse(s.ErrorSerializer, description=meaning[code]) for code in codes}


READ = errors(401, 403, 404)
WRITE = errors(400, 401, 403, 404)


class RespondersWrite(BasePermission):
    """Viewers may read but never write; say so before looking at their input.

    A method the endpoint does not have at all falls through, so it is a 405 for everyone.
    """

    message = "Only responders can change incidents; your account can only read them."

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS or getattr(view, request.method.lower(), None) is None:
            return True
        return can_respond(request.user)


class ApiPagination(LimitOffsetPagination):
    max_limit = 200


class TimelinePagination(CursorPagination):
    """The timeline in pages, oldest first, with an opaque ``next`` link: stable while events
    are appended (a page never repeats or skips an event), and each page is bounded."""

    ordering = ("occurred_at", "id")
    page_size = 100
    page_size_query_param = "limit"
    max_page_size = 500


class ApiViewSet(GenericViewSet):
    # Token first: a request without valid credentials gets 401 with "WWW-Authenticate: Token".
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated, RespondersWrite]
    parser_classes = [JSONParser]
    pagination_class = ApiPagination

    def validated(self, serializer_class, **context) -> dict:
        """The request body checked by an input serializer (400 with per-field errors)."""
        serializer = serializer_class(
            data=self.request.data, context={"request": self.request, **context}
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


def _as_id(value, not_found: str) -> int:
    """A URL id as an int, or 404 with ``not_found``: ids beyond the database's range cannot exist."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise NotFound(not_found) from None
    if not 1 <= number <= MAX_ID:
        raise NotFound(not_found)
    return number


NO_INCIDENT = "No such incident."
NO_EVENT = "No such event on this incident's timeline."


# Nested endpoints answer with plain lists: no list filters, no pagination.
NESTED = {"filter_backends": [], "pagination_class": None}

INCIDENT_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Incident id."
)
EVENT_ID = OpenApiParameter(
    "event_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Timeline event id."
)


@extend_schema_view(
    list=extend_schema(
        summary="List incidents you can see",
        responses={200: s.IncidentSerializer(many=True), **errors(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary="One incident",
        parameters=[INCIDENT_ID],
        responses={200: s.IncidentSerializer, **READ},
    ),
)
class IncidentViewSet(ApiViewSet):
    """Incidents (public ones, plus private ones you are a member of)."""

    serializer_class = s.IncidentSerializer
    filterset_class = IncidentFilter
    # Anything that is not an id is a JSON 404 from get_object(), not Django's HTML page.
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return (
            incident_visible_queryset(self.request.user)
            .prefetch_related("services", "tags", "contributing_factors", active_roles_prefetch())
            .order_by("-declared_at", "-number")
        )

    def get_object(self) -> Incident:
        incident = self.get_queryset().filter(pk=_as_id(self.kwargs["pk"], NO_INCIDENT)).first()
        if incident is None:
            raise NotFound(NO_INCIDENT)
        return incident

    def output(self, incident: Incident, status: int = http.HTTP_200_OK) -> Response:
        """Render the incident as it is after a write (re-read with its roles and services).

        Read unscoped: the writer may just have made it private without being a member.
        """
        fresh = Incident.objects.prefetch_related(
            "services", "tags", "contributing_factors", active_roles_prefetch()
        ).get(pk=incident.pk)
        return Response(s.IncidentSerializer(fresh).data, status=status)

    def list(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(s.IncidentSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(s.IncidentSerializer(self.get_object()).data)

    @extend_schema(
        summary="Declare an incident (you become its incident commander)",
        request=s.IncidentCreateSerializer,
        description=(
            "Declaring from an alert that an open incident already holds is a 409 naming that "
            "incident (`incident`, `incident_url`): join it instead."
        ),
        responses={201: s.IncidentSerializer, **errors(400, 401, 403, 409)},
    )
    def create(self, request):
        data = dict(self.validated(s.IncidentCreateSerializer))
        if "alerts" in data:
            data["alert_ids"] = data.pop("alerts")
        incident = services.incident_declare(user=request.user, **data)
        return self.output(incident, http.HTTP_201_CREATED)

    @extend_schema(
        parameters=[INCIDENT_ID],
        summary="Change details or correct timestamps",
        description=(
            "Timestamps are the incident commander's (or an admin's) to correct; chronology "
            "(METRICS.md) is enforced and a violation is a 400 naming the fields."
        ),
        request=s.IncidentUpdateSerializer,
        responses={200: s.IncidentSerializer, **WRITE},
    )
    def partial_update(self, request, pk=None):
        incident = self.get_object()
        changes = dict(self.validated(s.IncidentUpdateSerializer))
        reason = changes.pop("reason", "")
        incident = services.incident_update(
            incident=incident, user=request.user, changes=changes, reason=reason
        )
        return self.output(incident)

    @extend_schema(
        parameters=[INCIDENT_ID],
        summary="Change status",
        description=(
            "Resolving an incident that is not yet marked mitigated records when impact ended: "
            "`impact_ended_at`, default now (METRICS.md v2)."
        ),
        request=s.StatusChangeSerializer,
        responses={200: s.IncidentSerializer, **WRITE},
    )
    @action(detail=True, methods=["post"], **NESTED)
    def status(self, request, pk=None):
        incident = self.get_object()
        data = self.validated(s.StatusChangeSerializer)
        incident = services.incident_change_status(incident=incident, user=request.user, **data)
        return self.output(incident)

    @extend_schema(
        parameters=[INCIDENT_ID],
        summary="Record that impact ended",
        request=s.MitigateSerializer,
        responses={200: s.IncidentSerializer, **WRITE},
    )
    @action(detail=True, methods=["post"], **NESTED)
    def mitigate(self, request, pk=None):
        incident = self.get_object()
        data = self.validated(s.MitigateSerializer)
        incident = services.incident_mitigate(
            incident=incident, user=request.user, at=data.get("at"), note=data.get("note", "")
        )
        return self.output(incident)

    @extend_schema(
        parameters=[INCIDENT_ID],
        methods=["GET"],
        summary="Role history (every assignment, active and ended)",
        responses={200: s.RoleAssignmentSerializer(many=True), **READ},
    )
    @extend_schema(
        parameters=[INCIDENT_ID],
        methods=["POST"],
        summary="Assign a role (a held single-holder role is handed off)",
        request=s.RoleAssignSerializer,
        responses={201: s.RoleAssignmentSerializer, **WRITE},
    )
    @action(detail=True, methods=["get", "post"], **NESTED)
    def roles(self, request, pk=None):
        incident = self.get_object()
        if request.method == "GET":
            return Response(s.RoleAssignmentSerializer(role_history(incident), many=True).data)
        data = self.validated(s.RoleAssignSerializer)
        assignment = services.role_assign(
            incident=incident, user=request.user, role=data["role"], assignee=data["user"]
        )
        assignment = role_history(incident).get(pk=assignment.pk)
        return Response(s.RoleAssignmentSerializer(assignment).data, status=http.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        operation_id="v1_incidents_timeline_list",
        summary="The timeline, oldest first, in pages (follow `next`)",
        description=(
            "Cursor-paginated: `results` holds up to `limit` events (default 100, at most 500) "
            "and `next` the link to the following page (null on the last). The whole timeline "
            "in one file: `timeline/export/` (CSV)."
        ),
        parameters=[
            INCIDENT_ID,
            OpenApiParameter(
                "cursor", OpenApiTypes.STR, OpenApiParameter.QUERY, description="From `next`."
            ),
            OpenApiParameter(
                "limit",
                OpenApiTypes.INT,
                OpenApiParameter.QUERY,
                description="Events per page (default 100, at most 500).",
            ),
            OpenApiParameter(
                "since_id",
                OpenApiTypes.INT,
                OpenApiParameter.QUERY,
                description="Only events with a larger id (for polling).",
            ),
        ],
        responses={200: s.TimelinePageSerializer, **errors(400, 401, 403, 404)},
    )
    @extend_schema(
        parameters=[INCIDENT_ID],
        methods=["POST"],
        summary="Add a note (the timeline is append-only; corrections are new notes)",
        request=s.TimelineNoteSerializer,
        responses={201: s.TimelineEventSerializer, **WRITE},
    )
    @action(detail=True, methods=["get", "post"], **NESTED)
    def timeline(self, request, pk=None):
        incident = self.get_object()
        if request.method == "GET":
            since_id = request.query_params.get("since_id")
            if since_id is not None:
                try:
                    since_id = int(since_id)
                except ValueError:
                    raise ValidationFailed(
                        "since_id must be a whole number.",
                        field_errors={"since_id": ["Not a number."]},
                    ) from None
                since_id = min(max(since_id, 0), MAX_ID)
            events = timeline_for(incident, since_id=since_id)
            paginator = TimelinePagination()
            page = paginator.paginate_queryset(events, request, view=self)
            return paginator.get_paginated_response(s.TimelineEventSerializer(page, many=True).data)
        data = dict(self.validated(s.TimelineNoteSerializer, incident=incident))
        data.pop("kind")
        event = services.timeline_note_add(incident=incident, user=request.user, **data)
        return Response(self._event_data(incident, event.pk), status=http.HTTP_201_CREATED)

    @extend_schema(
        summary="Earlier incidents this one repeats (newest first)",
        description=(
            "Incidents within FIREBREAK_RECURRENCE_DAYS before this one that share a service and "
            "the trigger category, or an alert fingerprint. Only incidents you may see."
        ),
        parameters=[INCIDENT_ID],
        responses={200: s.RecurrenceSerializer(many=True), **READ},
    )
    @action(detail=True, methods=["get"], **NESTED)
    def recurrences(self, request, pk=None):
        incident = self.get_object()
        found = incident_recurrences(incident, user=request.user)
        return Response(s.RecurrenceSerializer(found, many=True).data)

    @extend_schema(
        summary="How many incidents carry each trigger category, tag and contributing factor",
        description=(
            "Counts incidents of kind `incident` you may see: a private incident counts only "
            "for its members and admins. Filter the list by a row's value with "
            "`?trigger_category=`, `?tag=` or `?factor=`."
        ),
        responses={200: s.TaxonomyCountsSerializer, **errors(401, 403)},
    )
    @action(detail=False, methods=["get"], **NESTED)
    def taxonomy(self, request):
        return Response(s.TaxonomyCountsSerializer(taxonomy_counts(user=request.user)).data)

    @extend_schema(
        summary="The whole timeline as CSV (an export: every event, oldest first)",
        parameters=[INCIDENT_ID],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV, UTF-8."),
            **READ,
        },
    )
    # Named so that it sorts before ``timeline_event``: DRF routes actions in name order, and
    # ``timeline/<event_id>/`` would otherwise take ``timeline/export/``.
    @action(detail=True, methods=["get"], **NESTED, url_path="timeline/export")
    def timeline_csv(self, request, pk=None):
        incident = self.get_object()
        events = timeline_for(incident).iterator(chunk_size=2000)
        response = StreamingHttpResponse(_timeline_csv_rows(events), content_type="text/csv")
        response["Content-Disposition"] = (
            f'attachment; filename="{incident.reference.lower()}-timeline.csv"'
        )
        return response

    def _event(self, incident: Incident, event_id) -> TimelineEvent:
        event = timeline_for(incident).filter(pk=_as_id(event_id, NO_EVENT)).first()
        if event is None:
            raise NotFound(NO_EVENT)
        return event

    def _event_data(self, incident: Incident, event_id: int) -> dict:
        return s.TimelineEventSerializer(self._event(incident, event_id)).data

    @extend_schema(
        summary="One timeline event (read-only: the timeline is append-only)",
        parameters=[INCIDENT_ID, EVENT_ID],
        responses={200: s.TimelineEventSerializer, **READ},
    )
    @action(detail=True, methods=["get"], **NESTED, url_path=r"timeline/(?P<event_id>[^/]+)")
    def timeline_event(self, request, pk=None, event_id=None):
        return Response(self._event_data(self.get_object(), event_id))

    @extend_schema(
        summary="Mark or unmark an event as a highlight (it seeds the postmortem timeline)",
        parameters=[INCIDENT_ID, EVENT_ID],
        request=s.HighlightSerializer,
        responses={200: s.TimelineEventSerializer, **WRITE},
    )
    @action(
        detail=True, methods=["post"], **NESTED, url_path=r"timeline/(?P<event_id>[^/]+)/highlight"
    )
    def highlight(self, request, pk=None, event_id=None):
        incident = self.get_object()
        event = self._event(incident, event_id)
        data = self.validated(s.HighlightSerializer)
        services.timeline_event_highlight(
            incident=incident, user=request.user, event=event, highlighted=data["highlighted"]
        )
        return Response(self._event_data(incident, event.pk))

    @extend_schema(
        parameters=[INCIDENT_ID],
        methods=["GET"],
        summary="Stakeholder updates, newest first",
        responses={200: s.StakeholderUpdateSerializer(many=True), **READ},
    )
    @extend_schema(
        parameters=[INCIDENT_ID],
        methods=["POST"],
        summary="Post a stakeholder update (reschedules the update reminder)",
        request=s.StatusUpdateCreateSerializer,
        responses={201: s.StakeholderUpdateSerializer, **WRITE},
    )
    @action(detail=True, methods=["get", "post"], **NESTED)
    def updates(self, request, pk=None):
        incident = self.get_object()
        if request.method == "GET":
            return Response(s.StakeholderUpdateSerializer(updates_for(incident), many=True).data)
        data = self.validated(s.StatusUpdateCreateSerializer)
        update = services.status_update_post(incident=incident, user=request.user, **data)
        return Response(s.StakeholderUpdateSerializer(update).data, status=http.HTTP_201_CREATED)

    @extend_schema(
        parameters=[INCIDENT_ID],
        summary="Snooze update reminders for some minutes",
        request=s.SnoozeSerializer,
        responses={200: s.IncidentSerializer, **WRITE},
    )
    @action(detail=True, methods=["post"], **NESTED)
    def snooze(self, request, pk=None):
        incident = self.get_object()
        data = self.validated(s.SnoozeSerializer)
        incident = services.reminders_snooze(
            incident=incident, user=request.user, minutes=data["minutes"]
        )
        return self.output(incident)


def _lookup_by_slug_or_id(queryset, value: str, what: str):
    """Find a row by slug, else by numeric id; a value that cannot match is a 404, not a 500."""
    if "\x00" in value or len(value) > 64:
        raise NotFound(f"No such {what}.")
    found = queryset.filter(slug=value).first()
    if found is None and value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_ID:
        found = queryset.filter(pk=int(value)).first()
    if found is None:
        raise NotFound(f"No such {what}.")
    return found


SERVICE_KEY = OpenApiParameter(
    "slug",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The service's slug (or numeric id).",
)
TEAM_KEY = OpenApiParameter(
    "slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="The team's slug (or numeric id)."
)


class ManageCatalogue(RespondersWrite):
    message = "Only responders and admins can manage teams and services."


@extend_schema_view(
    list=extend_schema(
        summary="List services", responses={200: s.ServiceSerializer(many=True), **errors(401, 403)}
    ),
    retrieve=extend_schema(
        summary="One service",
        parameters=[SERVICE_KEY],
        responses={200: s.ServiceSerializer, **READ},
    ),
)
class ServiceViewSet(ApiViewSet):
    """Services: the things that break."""

    serializer_class = s.ServiceSerializer
    permission_classes = [IsAuthenticated, ManageCatalogue]
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return service_list()

    def get_object(self) -> Service:
        return _lookup_by_slug_or_id(self.get_queryset(), self.kwargs["slug"], "service")

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.ServiceSerializer(page, many=True).data)

    def retrieve(self, request, slug=None):
        return Response(s.ServiceSerializer(self.get_object()).data)

    @extend_schema(
        summary="Create a service",
        request=s.ServiceCreateSerializer,
        responses={201: s.ServiceSerializer, **errors(400, 401, 403)},
    )
    def create(self, request):
        service = services.service_create(
            user=request.user, **self.validated(s.ServiceCreateSerializer)
        )
        return Response(
            s.ServiceSerializer(self.get_queryset().get(pk=service.pk)).data,
            status=http.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Change a service (its slug is permanent)",
        parameters=[SERVICE_KEY],
        request=s.ServiceUpdateSerializer,
        responses={200: s.ServiceSerializer, **WRITE},
    )
    def partial_update(self, request, slug=None):
        service = self.get_object()
        data = self.validated(s.ServiceUpdateSerializer)
        service = services.service_update(user=request.user, service=service, **data)
        return Response(s.ServiceSerializer(self.get_queryset().get(pk=service.pk)).data)


@extend_schema_view(
    list=extend_schema(
        summary="List teams", responses={200: s.TeamSerializer(many=True), **errors(401, 403)}
    ),
    retrieve=extend_schema(
        summary="One team", parameters=[TEAM_KEY], responses={200: s.TeamSerializer, **READ}
    ),
)
class TeamViewSet(ApiViewSet):
    """Teams own services."""

    serializer_class = s.TeamSerializer
    permission_classes = [IsAuthenticated, ManageCatalogue]
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return team_list().prefetch_related(
            Prefetch("services", queryset=Service.objects.order_by("name"))
        )

    def get_object(self) -> Team:
        return _lookup_by_slug_or_id(self.get_queryset(), self.kwargs["slug"], "team")

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.TeamSerializer(page, many=True).data)

    def retrieve(self, request, slug=None):
        return Response(s.TeamSerializer(self.get_object()).data)

    @extend_schema(
        summary="Create a team",
        request=s.TeamCreateSerializer,
        responses={201: s.TeamSerializer, **errors(400, 401, 403)},
    )
    def create(self, request):
        data = self.validated(s.TeamCreateSerializer)
        team = services.team_create(
            user=request.user, slug=data["slug"], name=data["name"], members=data.get("members", [])
        )
        return Response(
            s.TeamSerializer(self.get_queryset().get(pk=team.pk)).data, status=http.HTTP_201_CREATED
        )


TIMELINE_CSV_COLUMNS = [
    "id",
    "occurred_at",
    "recorded_at",
    "kind",
    "actor",
    "highlighted",
    "corrects",
    "body",
]


def _csv_text(value: str) -> str:
    """Text a spreadsheet shows as text: a leading = + - @ would run as a formula."""
    return "'" + value if value and value[0] in "=+-@\t\r" else value


def _timeline_csv_rows(events):
    """CSV lines, streamed: the header, then one row per event (UTC times, ISO 8601)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(TIMELINE_CSV_COLUMNS)
    yield flush()
    for event in events:
        writer.writerow(
            [
                event.pk,
                event.occurred_at.astimezone(UTC).isoformat(),
                event.recorded_at.astimezone(UTC).isoformat(),
                event.kind,
                event.actor.username if event.actor else "",
                "yes" if event.highlighted else "no",
                event.corrects_id or "",
                _csv_text(event.body),
            ]
        )
        yield flush()
