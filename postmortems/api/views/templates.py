"""``/api/v1/postmortem-templates/``: the templates a postmortem starts from (admins write)."""

from __future__ import annotations

from drf_spectacular.utils import (
    extend_schema,
    extend_schema_view,
)
from rest_framework import status as http
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response

from incidents.selectors import incident_get
from oncall.access import is_admin
from postmortems import selectors, services
from postmortems.api import serializers as s
from postmortems.api.views.base import (
    READ,
    WRITE,
    ApiViewSet,
)
from postmortems.rendering import render_template_preview


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
