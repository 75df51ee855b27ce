"""REST API for postmortems, templates and action items.

Thin: an input serializer checks the shape, one service does the work, an output serializer
renders the result. Visibility is applied in ``get_queryset()`` (a private incident's postmortem
is 404 for anyone who is not a member); authorization proper stays in the services.
"""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status as http
from rest_framework.decorators import action
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from config.api_fields import MAX_ID
from config.errors import NotFound, ValidationFailed
from incidents.selectors import incident_get
from incidents.services.taxonomy import clean_taxonomy
from oncall.access import can_respond, is_admin
from oncall.people.selectors import user_by_username
from postmortems import selectors, services
from postmortems.api import serializers as s
from postmortems.exports import FORMATS, export_postmortem
from postmortems.lint import lint_postmortem
from postmortems.models import Postmortem, PostmortemStatus
from postmortems.rendering import render_document, render_template_preview


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    meaning = {
        400: "Invalid input: `detail` says what, `errors` says which field.",
        401: "Not signed in.",
        403: "Not allowed.",
        404: "No such object, or one of a private incident you are not a member of.",
        409: "Conflict: see `detail`.",
    }
    return {code: OpenApiResponse(description=meaning[code]) for code in codes}


READ = _errors(401, 404)
INCIDENT_TAXONOMY = ("incident__tags", "incident__contributing_factors")
WRITE = _errors(400, 401, 403, 404)


def _as_id(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise NotFound("Not found.") from None
    if not 1 <= number <= MAX_ID:
        raise NotFound("Not found.")
    return number


class RespondersWrite(BasePermission):
    """Viewers read; writing needs a responder. Requesting a postmortem is open to everyone."""

    message = "Only responders can change postmortems; your account can only read them."

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS or getattr(view, "action", None) in getattr(
            view, "open_actions", ()
        ):
            return True
        return can_respond(request.user)


class ApiPagination(LimitOffsetPagination):
    max_limit = 200


class ApiViewSet(GenericViewSet):
    permission_classes = [IsAuthenticated, RespondersWrite]
    parser_classes = [JSONParser]
    pagination_class = ApiPagination
    filter_backends: list = []
    lookup_value_regex = "[^/]+"
    open_actions: tuple[str, ...] = ()

    def validated(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data, context={"request": self.request})
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def paginated(self, queryset, serializer_class):
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(serializer_class(page, many=True).data)


def _user(username: str):
    user = user_by_username(username) if isinstance(username, str) else None
    if user is None:
        raise ValidationFailed(
            f"No active user {username!r}.", field_errors={"owner": ["Unknown user."]}
        )
    return user


FORMAT_PARAM = OpenApiParameter(
    "format", OpenApiTypes.STR, enum=list(FORMATS), description="md, html or pdf."
)


@extend_schema_view(
    list=extend_schema(
        summary="Postmortems you can see",
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=list(PostmortemStatus.values)),
            OpenApiParameter("owner", OpenApiTypes.STR, description="Owner's username."),
            OpenApiParameter("required", OpenApiTypes.BOOL),
            OpenApiParameter("q", OpenApiTypes.STR, description="Search titles and text."),
        ],
        responses={200: s.PostmortemListSerializer(many=True), **READ},
    ),
    retrieve=extend_schema(
        summary="One postmortem with its sections", responses={200: s.PostmortemSerializer, **READ}
    ),
)
class PostmortemViewSet(ApiViewSet):
    serializer_class = s.PostmortemSerializer
    open_actions = ("request_postmortem",)

    def get_queryset(self):
        return (
            selectors.postmortem_visible_queryset(self.request.user)
            .select_related("incident", "owner", "template")
            .prefetch_related(*INCIDENT_TAXONOMY)
        )

    def get_object(self) -> Postmortem:
        found = self.get_queryset().filter(pk=_as_id(self.kwargs["pk"])).first()
        if found is None:
            raise NotFound("No such postmortem.")
        return found

    def perform_content_negotiation(self, request, force=False):
        # ?format=md|html|pdf names the export, not a DRF renderer.
        return super().perform_content_negotiation(request, force=force or self.action == "export")

    def output(self, postmortem: Postmortem, status: int = http.HTTP_200_OK) -> Response:
        fresh = (
            Postmortem.objects.select_related("incident", "owner", "template")
            .prefetch_related(*INCIDENT_TAXONOMY)
            .get(pk=postmortem.pk)
        )
        return Response(s.PostmortemSerializer(fresh).data, status=status)

    def list(self, request):
        params = request.query_params
        required = {"true": True, "false": False}.get(params.get("required", "").lower())
        owner = user_by_username(params["owner"]) if params.get("owner") else None
        if params.get("owner") and owner is None:
            raise ValidationFailed(
                f"No active user {params['owner']!r}.", field_errors={"owner": ["Unknown user."]}
            )
        status = params.get("status") or None
        if status and status not in PostmortemStatus.values:
            raise ValidationFailed(
                "status must be draft, in_review or published.",
                field_errors={"status": ["Unknown."]},
            )
        queryset = selectors.postmortem_list(
            user=request.user,
            status=status,
            owner=owner,
            required=required,
            query=params.get("q") or None,
        )
        return self.paginated(queryset, s.PostmortemListSerializer)

    def retrieve(self, request, pk=None):
        return Response(s.PostmortemSerializer(self.get_object()).data)

    @extend_schema(
        summary="Write the postmortem of an incident (a draft filled in from the incident)",
        request=s.PostmortemCreateSerializer,
        responses={201: s.PostmortemSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    def create(self, request):
        data = self.validated(s.PostmortemCreateSerializer)
        incident = incident_get(user=request.user, pk=data["incident"])
        postmortem = services.postmortem_create(
            user=request.user, incident=incident, template=data.get("template")
        )
        return self.output(postmortem, http.HTTP_201_CREATED)

    @extend_schema(
        summary="Save an edit (optimistic locking); set the incident's tags and factors",
        description="Send the `version` you started from. If someone saved since, the answer is 409 with "
        "both texts (`current` and `yours`); your edit is kept as a conflict revision. "
        "`incident_tags` and `contributing_factors` replace the incident's lists (one timeline "
        "event per changed list) and need no `version`; with a document edit they are saved "
        "after it, and not at all if it is refused.",
        request=s.PostmortemUpdateSerializer,
        responses={
            200: s.PostmortemSerializer,
            409: OpenApiResponse(s.ConflictSerializer),
            **WRITE,
        },
    )
    def partial_update(self, request, pk=None):
        postmortem = self.get_object()
        data = self.validated(s.PostmortemUpdateSerializer)
        taxonomy = {
            "tags": data.get("incident_tags"),
            "contributing_factors": data.get("contributing_factors"),
        }
        wants_taxonomy = any(v is not None for v in taxonomy.values())
        if wants_taxonomy:
            # A bad name refuses the whole request before the document is saved.
            clean_taxonomy(**taxonomy)
        if "version" in data:
            postmortem = services.postmortem_save(
                user=request.user,
                postmortem=postmortem,
                version=data["version"],
                sections=[dict(x) for x in data["sections"]] if "sections" in data else None,
                title=data.get("title"),
                tags=data.get("tags"),
                visibility=data.get("visibility"),
                note=data.get("note", ""),
            ).postmortem
        if wants_taxonomy:
            services.postmortem_taxonomy_update(
                user=request.user, postmortem=postmortem, **taxonomy
            )
        return self.output(postmortem)

    @extend_schema(summary="Blameless-writing warnings", responses={200: s.LintSerializer, **READ})
    @action(detail=True, methods=["get"])
    def lint(self, request, pk=None):
        warnings = lint_postmortem(self.get_object())
        return Response({"warnings": [w.as_dict() for w in warnings]})

    @extend_schema(
        summary="Render unsaved text (live preview) with its warnings",
        request=s.PreviewInputSerializer,
        responses={200: s.PreviewSerializer, **WRITE},
    )
    @action(detail=True, methods=["post"])
    def preview(self, request, pk=None):
        postmortem = self.get_object()
        data = self.validated(s.PreviewInputSerializer)
        overlay = {x["key"]: x["body"] for x in data["sections"]}
        sections = [
            {
                "key": x.key,
                "title": x.title,
                "purpose": x.purpose,
                "body": overlay.get(x.key, x.body),
            }
            for x in postmortem.sections.all()
        ]
        doc = render_document(postmortem, sections=sections)
        warnings = lint_postmortem(postmortem, sections=sections)
        return Response(
            {
                "sections": [
                    {"key": x.key, "title": x.title, "html": str(x.html)} for x in doc.sections
                ],
                "warnings": [w.as_dict() for w in warnings],
            }
        )

    @extend_schema(
        summary="Export as Markdown (YAML front matter), standalone HTML or PDF",
        parameters=[FORMAT_PARAM],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **READ},
    )
    @action(detail=True, methods=["get"])
    def export(self, request, pk=None):
        postmortem = self.get_object()
        export = export_postmortem(postmortem, request.query_params.get("format", "md"))
        response = HttpResponse(export.content, content_type=export.content_type)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response

    @extend_schema(
        summary="Send a draft for review",
        request=s.SubmitSerializer,
        responses={200: s.PostmortemSerializer, **WRITE},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        postmortem = self.get_object()
        data = self.validated(s.SubmitSerializer)
        postmortem = services.postmortem_submit(
            user=request.user, postmortem=postmortem, reviewers=data["reviewers"]
        )
        return self.output(postmortem)

    @extend_schema(
        summary="Approve or request changes (reviewers only)",
        description="Approving requires `acknowledge_warnings: true` while there are writing warnings.",
        request=s.ReviewInputSerializer,
        responses={200: s.PostmortemSerializer, **WRITE},
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        postmortem = self.get_object()
        data = self.validated(s.ReviewInputSerializer)
        services.postmortem_review(user=request.user, postmortem=postmortem, **data)
        return self.output(postmortem)

    @extend_schema(
        summary="Publish an approved postmortem",
        request=s.PublishSerializer,
        responses={200: s.PostmortemSerializer, **WRITE},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        postmortem = self.get_object()
        data = self.validated(s.PublishSerializer)
        postmortem = services.postmortem_publish(
            user=request.user, postmortem=postmortem, visibility=data.get("visibility")
        )
        return self.output(postmortem)

    @extend_schema(
        summary="Hand over ownership / move the due date",
        request=s.OwnerSerializer,
        responses={200: s.PostmortemSerializer, **WRITE},
    )
    @action(detail=True, methods=["post"])
    def owner(self, request, pk=None):
        postmortem = self.get_object()
        data = self.validated(s.OwnerSerializer)
        services.postmortem_set_owner(
            user=request.user,
            postmortem=postmortem,
            owner=data["owner"],
            due_date=data.get("due_date"),
        )
        return self.output(postmortem)

    @extend_schema(
        summary="Ask for a postmortem on an incident (anyone who can see it)",
        request=s.PostmortemRequestSerializer,
        responses={200: s.PostmortemSerializer, **_errors(400, 401, 404)},
    )
    @action(detail=False, methods=["post"], url_path="request", url_name="request")
    def request_postmortem(self, request):
        data = self.validated(s.PostmortemRequestSerializer)
        incident = incident_get(user=request.user, pk=data["incident"])
        postmortem = services.postmortem_request(
            user=request.user, incident=incident, reason=data.get("reason", "")
        )
        return self.output(postmortem)

    @extend_schema(
        summary="Revision history (newest first), including refused edits",
        responses={200: s.RevisionSerializer(many=True), **READ},
    )
    @action(detail=True, methods=["get"])
    def revisions(self, request, pk=None):
        postmortem = self.get_object()
        return self.paginated(selectors.revision_list(postmortem), s.RevisionSerializer)

    @extend_schema(
        summary="One revision with its full text",
        parameters=[OpenApiParameter("revision_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={200: s.RevisionDetailSerializer, **READ},
    )
    @action(detail=True, methods=["get"], url_path=r"revisions/(?P<revision_id>[^/]+)")
    def revision(self, request, pk=None, revision_id=None):
        postmortem = self.get_object()
        return Response(
            s.RevisionDetailSerializer(selectors.revision_get(postmortem, _as_id(revision_id))).data
        )

    @extend_schema(
        summary="Differences between two versions, per section",
        parameters=[
            OpenApiParameter("from", OpenApiTypes.INT, required=True),
            OpenApiParameter("to", OpenApiTypes.INT, description="Default: the current version."),
        ],
        responses={200: s.SectionDiffSerializer(many=True), **READ},
    )
    @action(detail=True, methods=["get"])
    def diff(self, request, pk=None):
        postmortem = self.get_object()
        diffs = selectors.version_diff(
            postmortem,
            old_version=request.query_params.get("from"),
            new_version=request.query_params.get("to", postmortem.version),
        )
        return Response([vars(d) for d in diffs])

    @extend_schema(
        methods=["GET"],
        summary="Review meetings",
        responses={200: s.MeetingSerializer(many=True), **READ},
    )
    @extend_schema(
        methods=["POST"],
        summary="Schedule the review meeting",
        request=s.MeetingInputSerializer,
        responses={201: s.MeetingSerializer, **WRITE},
    )
    @action(detail=True, methods=["get", "post"])
    def meetings(self, request, pk=None):
        postmortem = self.get_object()
        if request.method == "GET":
            return Response(s.MeetingSerializer(selectors.meeting_list(postmortem), many=True).data)
        data = self.validated(s.MeetingInputSerializer)
        meeting = services.meeting_schedule(user=request.user, postmortem=postmortem, **data)
        return Response(s.MeetingSerializer(meeting).data, status=http.HTTP_201_CREATED)

    @extend_schema(
        summary="Save meeting notes (merged into what is saved)",
        parameters=[OpenApiParameter("meeting_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        request=s.MeetingNotesSerializer,
        responses={200: s.MeetingSerializer, **WRITE},
    )
    @action(detail=True, methods=["post"], url_path=r"meetings/(?P<meeting_id>[^/]+)/notes")
    def meeting_notes(self, request, pk=None, meeting_id=None):
        postmortem = self.get_object()
        meeting = selectors.meeting_get(postmortem, _as_id(meeting_id))
        data = self.validated(s.MeetingNotesSerializer)
        meeting = services.meeting_save_notes(
            user=request.user, meeting=meeting, notes=data["notes"]
        )
        return Response(s.MeetingSerializer(meeting).data)

    @extend_schema(
        summary="The meeting invite (.ics)",
        parameters=[OpenApiParameter("meeting_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={(200, "text/calendar"): OpenApiTypes.BINARY, **READ},
    )
    @action(detail=True, methods=["get"], url_path=r"meetings/(?P<meeting_id>[^/]+)/ics")
    def meeting_ics(self, request, pk=None, meeting_id=None):
        postmortem = self.get_object()
        meeting = selectors.meeting_get(postmortem, _as_id(meeting_id))
        response = HttpResponse(
            services.meeting_ics(meeting), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="postmortem-review-{meeting.pk}.ics"'
        )
        return response


class AdminsWrite(BasePermission):
    message = "Only admins can change postmortem templates."

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or view.action == "preview" or is_admin(request.user)


@extend_schema_view(
    list=extend_schema(
        summary="Postmortem templates", responses={200: s.TemplateSerializer(many=True), **READ}
    ),
    retrieve=extend_schema(summary="One template", responses={200: s.TemplateSerializer, **READ}),
)
class PostmortemTemplateViewSet(ApiViewSet):
    serializer_class = s.TemplateSerializer
    permission_classes = [IsAuthenticated, AdminsWrite]
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.template_list()

    def get_object(self):
        return selectors.template_get(slug=self.kwargs["slug"])

    def list(self, request):
        return self.paginated(self.get_queryset(), s.TemplateSerializer)

    def retrieve(self, request, slug=None):
        return Response(s.TemplateSerializer(self.get_object()).data)

    @extend_schema(
        summary="Create a template (admins)",
        request=s.TemplateCreateSerializer,
        responses={201: s.TemplateSerializer, **WRITE},
    )
    def create(self, request):
        data = self.validated(s.TemplateCreateSerializer)
        template = services.postmortem_template_create(
            user=request.user,
            slug=data["slug"],
            name=data["name"],
            description=data.get("description", ""),
            sections=[dict(x) for x in data["sections"]],
        )
        return Response(
            s.TemplateSerializer(selectors.template_get(pk=template.pk)).data,
            status=http.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Edit a template (admins; not built-ins)",
        request=s.TemplateUpdateSerializer,
        responses={200: s.TemplateSerializer, **WRITE},
    )
    def partial_update(self, request, slug=None):
        template = self.get_object()
        data = self.validated(s.TemplateUpdateSerializer)
        services.postmortem_template_update(
            user=request.user,
            template=template,
            name=data.get("name"),
            description=data.get("description"),
            sections=[dict(x) for x in data["sections"]] if "sections" in data else None,
        )
        return Response(s.TemplateSerializer(selectors.template_get(pk=template.pk)).data)

    @extend_schema(
        summary="Delete a template (admins; not built-ins)", responses={204: None, **WRITE}
    )
    def destroy(self, request, slug=None):
        services.postmortem_template_delete(user=request.user, template=self.get_object())
        return Response(status=http.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Preview the template against a real incident",
        request=s.TemplatePreviewSerializer,
        responses={200: s.PreviewSectionSerializer(many=True), **WRITE},
    )
    @action(detail=True, methods=["post"])
    def preview(self, request, slug=None):
        template = self.get_object()
        data = self.validated(s.TemplatePreviewSerializer)
        incident = incident_get(user=request.user, pk=data["incident"])
        sections = [
            {"key": x.key, "title": x.title, "purpose": x.purpose, "body": x.body}
            for x in template.sections.all()
        ]
        rendered = render_template_preview(sections, incident)
        return Response([{"key": x.key, "title": x.title, "html": str(x.html)} for x in rendered])


@extend_schema_view(
    list=extend_schema(
        summary="Action items you can see",
        parameters=[
            OpenApiParameter("view", OpenApiTypes.STR, enum=list(selectors.ACTION_ITEM_VIEWS)),
            OpenApiParameter("postmortem", OpenApiTypes.INT),
            OpenApiParameter("incident", OpenApiTypes.INT),
            OpenApiParameter("status", OpenApiTypes.STR),
            OpenApiParameter("owner", OpenApiTypes.STR, description="Owner's username."),
        ],
        responses={200: s.ActionItemSerializer(many=True), **READ},
    ),
    retrieve=extend_schema(
        summary="One action item", responses={200: s.ActionItemSerializer, **READ}
    ),
)
class ActionItemViewSet(ApiViewSet):
    serializer_class = s.ActionItemSerializer

    def get_queryset(self):
        return selectors.action_item_visible_queryset(self.request.user).select_related(
            "incident", "owner"
        )

    def get_object(self):
        return selectors.action_item_get(user=self.request.user, pk=_as_id(self.kwargs["pk"]))

    def output(self, item, status=http.HTTP_200_OK) -> Response:
        data = dict(
            s.ActionItemSerializer(
                selectors.action_item_get(user=self.request.user, pk=item.pk)
            ).data
        )
        warning = selectors.owner_overload_warning(item.owner)
        data["warnings"] = [warning] if warning else []
        return Response(data, status=status)

    def list(self, request):
        params = request.query_params
        postmortem = (
            selectors.postmortem_get(user=request.user, pk=params["postmortem"])
            if params.get("postmortem")
            else None
        )
        incident = (
            incident_get(user=request.user, pk=params["incident"])
            if params.get("incident")
            else None
        )
        owner = _user(params["owner"]) if params.get("owner") else None
        queryset = selectors.action_item_list(
            user=request.user,
            view=params.get("view", "all"),
            postmortem=postmortem,
            incident=incident,
            status=params.get("status") or None,
            owner=owner,
        )
        return self.paginated(queryset, s.ActionItemSerializer)

    def retrieve(self, request, pk=None):
        return self.output(self.get_object())

    @extend_schema(
        summary="Create an action item on an incident or postmortem",
        description="Give `postmortem` or `incident`. `due_date` defaults from the priority (METRICS.md: 28/56/90 days).",
        request=s.ActionItemCreateSerializer,
        responses={201: s.ActionItemSerializer, **WRITE},
    )
    def create(self, request):
        data = dict(self.validated(s.ActionItemCreateSerializer))
        postmortem = (
            selectors.postmortem_get(user=request.user, pk=data.pop("postmortem"))
            if "postmortem" in data
            else None
        )
        incident = (
            incident_get(user=request.user, pk=data.pop("incident")) if "incident" in data else None
        )
        if "type" in data:
            data["item_type"] = data.pop("type")
        item = services.action_item_create(
            user=request.user, incident=incident, postmortem=postmortem, **data
        )
        return self.output(item, http.HTTP_201_CREATED)

    @extend_schema(
        summary="Change an action item",
        request=s.ActionItemUpdateSerializer,
        responses={200: s.ActionItemSerializer, **WRITE},
    )
    def partial_update(self, request, pk=None):
        item = self.get_object()
        changes = dict(self.validated(s.ActionItemUpdateSerializer))
        if "type" in changes:
            changes["item_type"] = changes.pop("type")
        item = services.action_item_update(user=request.user, item=item, changes=changes)
        return self.output(item)

    @extend_schema(
        summary="Mark done", request=None, responses={200: s.ActionItemSerializer, **WRITE}
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        item = services.action_item_complete(user=request.user, item=self.get_object())
        return self.output(item)
