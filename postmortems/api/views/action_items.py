"""``/api/v1/action-items/``: action items across postmortems."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status as http
from rest_framework.decorators import action
from rest_framework.response import Response

from incidents.selectors import incident_get
from postmortems import selectors, services
from postmortems.api import serializers as s
from postmortems.api.views.base import (
    READ,
    WRITE,
    ApiViewSet,
    _as_id,
    _user,
)


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
