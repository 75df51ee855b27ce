"""``/api/v1/postmortems/``: postmortems, their sections, review and publishing, exports."""

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
from rest_framework.response import Response

from config.errors import NotFound, ValidationFailed
from incidents.selectors import incident_get
from incidents.services.taxonomy import clean_taxonomy
from oncall.people.selectors import user_by_username
from postmortems import selectors, services
from postmortems.api import serializers as s
from postmortems.api.views.base import (
    FORMAT_PARAM,
    INCIDENT_TAXONOMY,
    READ,
    WRITE,
    ApiViewSet,
    _as_id,
    _errors,
)
from postmortems.exports import export_postmortem
from postmortems.lint import lint_postmortem
from postmortems.models import Postmortem, PostmortemStatus
from postmortems.rendering import render_document


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
