"""What the postmortem API's viewsets share: error responses for the schema, permissions,
pagination, the base viewset and parameter parsing."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
)
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.viewsets import GenericViewSet

from config.api_fields import MAX_ID
from config.errors import NotFound, ValidationFailed
from oncall.access import can_respond
from oncall.people.selectors import user_by_username
from postmortems.exports import FORMATS


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
