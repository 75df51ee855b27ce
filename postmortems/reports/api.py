"""REST API for reports: ``GET /api/v1/reports/summary/`` (METRICS.md v2 figures as JSON) and
``GET /api/v1/reports/quarterly/`` (the manager pack as pdf, xlsx, csv zip or json)."""

from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.viewsets import ViewSet

from config.api_fields import ErrorSerializer
from incidents.models import Severity
from postmortems.reports import pack as packs
from postmortems.reports import selectors
from postmortems.reports import services as report_services
from postmortems.reports.models import ReportPackJob
from postmortems.reports.params import ReportParamsSerializer, parse_report_params, quarter_period

PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.STR, description="Start (inclusive): date or datetime."),
    OpenApiParameter("to", OpenApiTypes.STR, description="End (exclusive): date or datetime."),
    OpenApiParameter("team", OpenApiTypes.STR, description="Team slug."),
    OpenApiParameter("service", OpenApiTypes.STR, description="Service slug."),
    OpenApiParameter("severity", OpenApiTypes.STR, enum=list(Severity.values)),
]


class QuarterlyParamsSerializer(serializers.Serializer):
    quarter = serializers.CharField()
    format = serializers.ChoiceField(choices=list(packs.FORMATS), default="json")

    def validate_quarter(self, value):
        try:
            quarter_period(value)
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from None
        return value.strip().upper()


class ReportViewSet(ViewSet):
    """Read-only reports; every signed-in person may read them (private incidents count in the
    figures, but only members see their numbers listed)."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]

    def perform_content_negotiation(self, request, force=False):
        # "format" chooses the pack's file type here, not DRF's renderer: always answer in
        # JSON unless the view returns a file.
        return (JSONRenderer(), JSONRenderer.media_type)

    @extend_schema(
        summary="Summary of the METRICS.md figures for a period and scope",
        parameters=PARAMETERS,
        responses={
            200: OpenApiTypes.OBJECT,
            400: OpenApiResponse(ErrorSerializer, description="Invalid parameters."),
            401: OpenApiResponse(ErrorSerializer, description="Not signed in."),
        },
    )
    @action(detail=False, methods=["get"])
    def summary(self, request):
        period, scope = parse_report_params(request.query_params)
        return Response(selectors.report_summary(request.user, period, scope))

    @extend_schema(
        summary="The quarterly manager pack as a file, made in the background",
        description=(
            "Starts making the pack (or finds it being made) and answers 202 with its progress; "
            "ask again (Retry-After) until the file comes with 200. The same parameters always "
            "refer to the same job; a file is reused for 15 minutes."
        ),
        parameters=[
            OpenApiParameter("quarter", OpenApiTypes.STR, required=True, description="e.g. 2026Q3"),
            OpenApiParameter("format", OpenApiTypes.STR, enum=list(packs.FORMATS)),
            *PARAMETERS[2:],
        ],
        responses={
            (200, "application/json"): OpenApiTypes.OBJECT,
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, packs.FORMATS["xlsx"][0]): OpenApiTypes.BINARY,
            (200, "application/zip"): OpenApiTypes.BINARY,
            202: OpenApiResponse(OpenApiTypes.OBJECT, description="Being made: progress."),
            400: OpenApiResponse(ErrorSerializer, description="Invalid parameters."),
            401: OpenApiResponse(ErrorSerializer, description="Not signed in."),
        },
    )
    @action(detail=False, methods=["get"])
    def quarterly(self, request):
        query = {k: v for k, v in request.query_params.items() if v != ""}
        wanted = QuarterlyParamsSerializer(data=query)
        wanted.is_valid(raise_exception=True)
        scope_params = ReportParamsSerializer(
            data={k: query[k] for k in ("team", "service", "severity") if k in query}
        )
        scope_params.is_valid(raise_exception=True)
        fmt = wanted.validated_data["format"]
        job = report_services.report_pack_request(
            user=request.user,
            quarter=wanted.validated_data["quarter"],
            fmt=fmt,
            scope=scope_params.validated_data["scope"],
        )
        if job.status != ReportPackJob.Status.READY:
            # Made in the background: poll this same address until the file comes.
            response = Response(pack_job_status(job), status=202)
            response["Retry-After"] = "2"
            return response
        return FileResponse(
            open(job.path, "rb"),  # noqa: SIM115 (FileResponse closes it)
            as_attachment=fmt != "json",
            filename=job.file_name,
            content_type=packs.FORMATS[fmt][0],
        )


def pack_job_status(job: ReportPackJob) -> dict:
    return {
        "status": job.status,
        "progress": {"done": job.steps_done, "total": job.steps_total, "percent": job.percent,
                     "step": job.step},
        "quarter": job.quarter,
        "format": job.format,
        "error": "The pack could not be made; ask again in a minute." if job.error else "",
    }  # fmt: skip
