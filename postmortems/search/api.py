"""``GET /api/v1/search/?q=`` → ``[{type, id, title, snippet, score, url}]``, best first.

The total number of matches the caller may see is in the ``X-Total-Count`` header.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from incidents.models import Severity, TriggerCategory
from postmortems.search.models import SearchDocument
from postmortems.search.selectors import MAX_LIMIT, search, search_filters_from


class SearchParamsSerializer(serializers.Serializer):
    q = serializers.CharField(max_length=500, allow_blank=True, trim_whitespace=True)
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=20)
    offset = serializers.IntegerField(min_value=0, max_value=10_000, default=0)


class SearchHitSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="postmortem, incident, timeline_note or action_item.")
    id = serializers.IntegerField()
    title = serializers.CharField()
    snippet = serializers.CharField(help_text="HTML: escaped text with <mark> around matches.")
    score = serializers.FloatField(help_text="Higher is a better match.")
    url = serializers.CharField()


def _choice_param(name: str, choices, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.STR, enum=list(choices), description=description)


@extend_schema(tags=["search"])
class SearchViewSet(viewsets.ViewSet):
    """Full-text search over postmortems, incidents, timeline notes and action items."""

    @extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, required=True, description="Words to find."),
            _choice_param("type", SearchDocument.DocKind.values, "Only this kind of object."),
            OpenApiParameter("service", OpenApiTypes.STR, description="Service slug."),
            OpenApiParameter("team", OpenApiTypes.STR, description="Team slug."),
            _choice_param("severity", Severity.values, "Only this severity."),
            _choice_param("trigger_category", TriggerCategory.values, "Only this trigger."),
            OpenApiParameter(
                "tag", OpenApiTypes.STR, description="A tag of the incident (unknown: no hits)."
            ),
            OpenApiParameter(
                "factor",
                OpenApiTypes.STR,
                description="A contributing factor of the incident (unknown: no hits).",
            ),
            OpenApiParameter("from", OpenApiTypes.DATE, description="On or after this date."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="On or before this date."),
            OpenApiParameter("limit", OpenApiTypes.INT, description=f"1–{MAX_LIMIT}, default 20."),
            OpenApiParameter("offset", OpenApiTypes.INT, description="Skip this many hits."),
        ],
        responses={200: SearchHitSerializer(many=True)},
    )
    def list(self, request):
        params = SearchParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        results = search(
            user=request.user,
            text=params.validated_data["q"],
            filters=search_filters_from(request.query_params),
            limit=params.validated_data["limit"],
            offset=params.validated_data["offset"],
        )
        data = SearchHitSerializer(results.hits, many=True).data
        return Response(data, headers={"X-Total-Count": str(results.total)})
