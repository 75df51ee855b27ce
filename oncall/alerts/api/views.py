"""REST API for alerts and alert integrations. Thin: shape-check input, call one service, render."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status as http
from rest_framework.decorators import action
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from config.errors import NotFound
from oncall.access import can_respond
from oncall.alerts import selectors, services
from oncall.alerts.api import serializers as s
from oncall.alerts.api.filters import AlertFilter
from oncall.alerts.models import Alert, Integration
from oncall.alerts.urgency import __doc__ as URGENCY_DOC
from oncall.api_support import as_id, errors
from oncall.pagination import CappedLimitOffsetPagination


class IntegrationPagination(LimitOffsetPagination):
    max_limit = 200


class RespondersOnly(BasePermission):
    message = "Only responders and admins can see and manage alert integrations."

    def has_permission(self, request, view) -> bool:
        return can_respond(request.user)


@extend_schema_view(
    list=extend_schema(
        summary="List alerts",
        description="Alert instances, newest first. An instance is (integration, fingerprint, "
        "fired_at); redeliveries update it (receive_count). Urgency mapping:\n\n"
        + (URGENCY_DOC or ""),
        responses={200: s.AlertSerializer(many=True), **errors(400, 401)},
    ),
    retrieve=extend_schema(
        summary="One alert", responses={200: s.AlertSerializer, **errors(401, 404)}
    ),
)
class AlertViewSet(GenericViewSet):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    pagination_class = CappedLimitOffsetPagination
    serializer_class = s.AlertSerializer
    filterset_class = AlertFilter
    queryset = Alert.objects.none()  # for schema generation; get_queryset scopes per person

    def get_queryset(self):
        return selectors.alert_list(user=self.request.user)

    def get_object(self) -> Alert:
        alert = self.get_queryset().filter(pk=as_id(self.kwargs["pk"])).first()
        if alert is None:
            raise NotFound("No such alert.")
        return alert

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.AlertSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(s.AlertSerializer(self.get_object()).data)

    @extend_schema(
        summary="The alerts inbox: one row per alert, firing critical first",
        description="One row per alert (integration, fingerprint): its newest instance, with "
        "`instances` (how often it fired) and `last_seen_at`. Sorted by `inbox_rank` (firing "
        "critical, today, eventually, then acknowledged, then resolved), newest first within "
        "each. The filters narrow the rows (the alert's newest instance); every instance of one "
        "alert is `GET /alerts/?fingerprint=...&integration=...`. The count stops at 10,000 past "
        "the offset (`count_is_capped`).",
        responses={200: s.AlertInboxSerializer(many=True), **errors(400, 401)},
    )
    @action(detail=False, methods=["get"])
    def inbox(self, request):
        rows = selectors.alert_inbox(
            user=request.user, alerts=self.filter_queryset(self.get_queryset())
        )
        page = list(self.paginate_queryset(rows))
        repeats = selectors.alert_repeats(user=request.user, alerts=page)
        for alert in page:
            alert.repeats = repeats.get((alert.integration_id, alert.fingerprint))
        return self.get_paginated_response(s.AlertInboxSerializer(page, many=True).data)

    @extend_schema(
        summary="Acknowledge an alert (you are handling it)",
        description="Idempotent: the first acknowledgement stands. 409 when the alert resolved "
        "before anyone acknowledged it.",
        request=None,
        responses={200: s.AlertSerializer, **errors(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def acknowledge(self, request, pk=None):
        alert = services.alert_acknowledge(user=request.user, alert=self.get_object())
        return Response(s.AlertSerializer(alert).data)


@extend_schema_view(
    list=extend_schema(
        summary="List alert integrations",
        responses={200: s.IntegrationSerializer(many=True), **errors(401, 403)},
    ),
    retrieve=extend_schema(
        summary="One alert integration",
        responses={200: s.IntegrationSerializer, **errors(401, 403, 404)},
    ),
)
class IntegrationViewSet(GenericViewSet):
    """Monitoring systems allowed to post alerts. Responders and admins only."""

    permission_classes = [IsAuthenticated, RespondersOnly]
    parser_classes = [JSONParser]
    pagination_class = IntegrationPagination
    serializer_class = s.IntegrationSerializer
    filter_backends: list = []
    queryset = Integration.objects.none()

    def get_queryset(self):
        return selectors.integration_list(user=self.request.user)

    def get_object(self) -> Integration:
        integration = self.get_queryset().filter(pk=as_id(self.kwargs["pk"])).first()
        if integration is None:
            raise NotFound("No such integration.")
        return integration

    def _validated(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _with_secret(self, issued: services.IssuedToken, status: int) -> Response:
        data = s.IntegrationSerializer(issued.integration).data | {
            "url": issued.url,
            "token": issued.token,
        }
        return Response(data, status=status)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.IntegrationSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(s.IntegrationSerializer(self.get_object()).data)

    @extend_schema(
        summary="Create an alert integration",
        description="Answers with the integration's secret `url` (and `token`), shown only now. "
        "Point the sender at the URL, or post to /hooks/<kind>/ with 'Authorization: Bearer <token>'.",
        request=s.IntegrationCreateSerializer,
        responses={201: s.IntegrationWithSecretSerializer, **errors(400, 401, 403)},
    )
    def create(self, request):
        data = self._validated(s.IntegrationCreateSerializer)
        issued = services.integration_create(
            user=request.user,
            kind=data["kind"],
            name=data["name"],
            service_slug=data.get("service", ""),
            signing_secret=data.get("signing_secret", ""),
        )
        return self._with_secret(issued, http.HTTP_201_CREATED)

    @extend_schema(
        summary="Rename, re-target, disable or enable an integration",
        request=s.IntegrationUpdateSerializer,
        responses={200: s.IntegrationSerializer, **errors(400, 401, 403, 404)},
    )
    def partial_update(self, request, pk=None):
        integration = self.get_object()
        data = self._validated(s.IntegrationUpdateSerializer)
        integration = services.integration_update(
            user=request.user,
            integration=integration,
            name=data.get("name"),
            service_slug=data.get("service"),
            enabled=data.get("enabled"),
            signing_secret=data.get("signing_secret"),
        )
        return Response(s.IntegrationSerializer(integration).data)

    @extend_schema(
        summary="Issue a new secret token (the old URL stops working at once)",
        request=None,
        responses={200: s.IntegrationWithSecretSerializer, **errors(401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="rotate-token")
    def rotate_token(self, request, pk=None):
        issued = services.integration_rotate_token(user=request.user, integration=self.get_object())
        return self._with_secret(issued, http.HTTP_200_OK)
