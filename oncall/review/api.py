"""REST API for the weekly alert review. Thin: shape-check input, call oncall.review, render.

    GET  /api/v1/alert-reviews/?week=2026-W47&service=checkout&team=payments&alerts_limit=100
    GET  /api/v1/alert-reviews/alerts/?week=2026-W47&name=DiskFull&limit=100&offset=0
                                             one group's instances, a page at a time
    POST /api/v1/alert-reviews/decisions/    the five answers for one alert name
    POST /api/v1/alert-reviews/actionable/   mark alerts actionable or not
    POST /api/v1/alert-reviews/recipients/   who else gets the summary
    POST /api/v1/alert-reviews/close/        close and send the summary (idempotent)

The week runs Monday 00:00 to Monday 00:00 in the signed-in person's time zone.
"""

from __future__ import annotations

from urllib.parse import urlencode

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.viewsets import ViewSet

from config.api_fields import (
    MAX_ID,
    StrictBooleanField,
    StrictCharField,
    StrictIntegerField,
    UTCDateTimeField,
)
from config.errors import NotFound
from oncall.api_support import errors
from oncall.review.figures import newest_ids_by_name
from oncall.review.selectors import (
    ANSWER_FIELDS,
    MAX_ALERTS_PER_MARK,
    MAX_RECIPIENTS,
    parse_scope,
    parse_week,
    review_group_instances,
    review_week,
)
from oncall.review.services import (
    alert_mark_actionable,
    alert_review_close,
    alert_review_decide,
    alert_review_set_recipients,
)

# Alert ids listed per group in the week's listing (``alerts_limit``), and per page of one
# group's instances (``limit``): the default and the most (a mark takes at most as many).
ALERTS_LIMIT = 100

FIGURES_DOC = (
    "Figures per METRICS.md (“Alerts and alert fatigue”): paged = critical alerts; alert MTTA = "
    "mean acknowledged_at − fired_at over acknowledged paged alerts (seconds), unacknowledged "
    "pages counted separately with their share; auto-resolved unacknowledged = resolved before "
    "anyone acknowledged; flapping = the same fingerprint firing 3+ times within 24 h; "
    "actionable rate = actionable ÷ reviewed (null when nothing was reviewed), unreviewed "
    "alerts are a count, never guessed."
)


# --- output -------------------------------------------------------------------------------------


class FiguresSerializer(serializers.Serializer):
    instances = serializers.IntegerField()
    paged = serializers.IntegerField(help_text="Critical alerts.")
    paged_acknowledged = serializers.IntegerField()
    paged_unacknowledged = serializers.IntegerField()
    unacknowledged_share = serializers.FloatField(allow_null=True)
    mtta_seconds = serializers.FloatField(allow_null=True, help_text="Alert MTTA in seconds.")
    auto_resolved_unacknowledged = serializers.IntegerField()
    long_subject = serializers.IntegerField(help_text="Alerts breaking the subject rule.")
    no_runbook = serializers.IntegerField()
    actionable = serializers.IntegerField()
    not_actionable = serializers.IntegerField()
    unreviewed = serializers.IntegerField()
    reviewed = serializers.IntegerField()
    actionable_rate = serializers.FloatField(allow_null=True)


class DecisionSerializer(serializers.Serializer):
    alert_name = serializers.CharField()
    responded_appropriately = serializers.CharField()
    right_level = serializers.CharField()
    keep = serializers.CharField()
    change = serializers.CharField()
    wished_alerted_about = serializers.CharField()
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True)
    decided_at = UTCDateTimeField()


class GroupSerializer(serializers.Serializer):
    name = serializers.CharField()
    figures = FiguresSerializer(source="figures.as_dict")
    flapping = serializers.ListField(
        child=serializers.CharField(), help_text="Fingerprints that flapped."
    )
    content_problems = serializers.ListField(child=serializers.CharField())
    alert_ids = serializers.SerializerMethodField(
        help_text="The newest instances' ids, newest first: at most `alerts_limit` of them; "
        "`alerts_url` pages through all."
    )
    alerts_more = serializers.SerializerMethodField(
        help_text="True when the group has more instances than `alert_ids` lists."
    )
    alerts_url = serializers.SerializerMethodField(
        help_text="Every instance of the group in the week and scope, a page at a time."
    )
    decision = DecisionSerializer(allow_null=True)

    def get_alert_ids(self, group) -> list[int]:
        return self.context["alert_ids"].get(group.name, [])

    def get_alerts_more(self, group) -> bool:
        return group.figures.instances > len(self.get_alert_ids(group))

    def get_alerts_url(self, group) -> str:
        week = self.context["week"]
        query = urlencode([("week", week.week), *week.scope.query(), ("name", group.name)])
        return f"{reverse('alert-review-alerts', request=self.context['request'])}?{query}"


class InstanceSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    fired_at = UTCDateTimeField()
    fingerprint = serializers.CharField()
    subject = serializers.CharField()
    urgency = serializers.CharField()
    status = serializers.CharField()
    service = serializers.CharField(source="service_slug")
    acknowledged_at = UTCDateTimeField(allow_null=True)
    resolved_at = UTCDateTimeField(allow_null=True)
    actionable = serializers.BooleanField(allow_null=True, help_text="null: not reviewed yet.")
    flapping = serializers.SerializerMethodField()

    def get_flapping(self, alert) -> bool:
        return alert.fingerprint in self.context["flapping"]


class InstancePageSerializer(serializers.Serializer):
    week = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField(help_text="Instances of the group in the week and scope.")
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = InstanceSerializer(many=True)


class ReviewStateSerializer(serializers.Serializer):
    recipients = serializers.ListField(child=serializers.CharField())
    closed_at = UTCDateTimeField(allow_null=True)
    closed_by = serializers.CharField(source="closed_by.username", allow_null=True)
    summary = serializers.CharField(help_text="The summary sent at closing (empty until then).")


class ReviewWeekSerializer(serializers.Serializer):
    week = serializers.CharField(help_text="ISO week, e.g. 2026-W47.")
    starts_at = UTCDateTimeField(help_text="Monday 00:00 in your time zone.")
    ends_at = UTCDateTimeField(help_text="The next Monday 00:00 in your time zone (excluded).")
    services = serializers.ListField(child=serializers.CharField(), source="scope.service_slugs")
    team = serializers.CharField(source="scope.team")
    closed = serializers.BooleanField(source="is_closed")
    review = ReviewStateSerializer(allow_null=True)
    totals = FiguresSerializer(source="totals.as_dict")
    groups = GroupSerializer(many=True)


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class ClosedSerializer(ReviewStateSerializer):
    notified = serializers.ListField(
        child=serializers.CharField(), help_text="People notified by this call (none on a repeat)."
    )


# --- input --------------------------------------------------------------------------------------


class ScopeInputSerializer(serializers.Serializer):
    week = StrictCharField(
        required=False, allow_blank=True, max_length=10, help_text="YYYY-Www; default last week."
    )
    services = serializers.ListField(
        child=StrictCharField(max_length=100), required=False, max_length=50
    )
    team = StrictCharField(required=False, allow_blank=True, max_length=100)


class DecisionInputSerializer(ScopeInputSerializer):
    alert_name = StrictCharField(max_length=200)
    responded_appropriately = StrictCharField(required=False, allow_blank=True, max_length=5000)
    right_level = StrictCharField(required=False, allow_blank=True, max_length=5000)
    keep = StrictCharField(required=False, allow_blank=True, max_length=5000)
    change = StrictCharField(required=False, allow_blank=True, max_length=5000)
    wished_alerted_about = StrictCharField(required=False, allow_blank=True, max_length=5000)


class RecipientsInputSerializer(ScopeInputSerializer):
    recipients = serializers.ListField(
        child=StrictCharField(max_length=150), max_length=MAX_RECIPIENTS
    )


class ListQuerySerializer(serializers.Serializer):
    alerts_limit = serializers.IntegerField(
        required=False, min_value=0, max_value=MAX_ALERTS_PER_MARK, default=ALERTS_LIMIT
    )


class InstancesQuerySerializer(serializers.Serializer):
    name = StrictCharField(max_length=200)
    limit = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ALERTS_PER_MARK, default=ALERTS_LIMIT
    )
    offset = serializers.IntegerField(required=False, min_value=0, max_value=MAX_ID, default=0)


class ActionableInputSerializer(serializers.Serializer):
    alert_ids = serializers.ListField(
        child=StrictIntegerField(min_value=1, max_value=MAX_ID),
        min_length=1,
        max_length=MAX_ALERTS_PER_MARK,
    )
    actionable = StrictBooleanField()


SCOPE_PARAMETERS = [
    OpenApiParameter(
        "week", OpenApiTypes.STR, description="ISO week YYYY-Www; default the last full week."
    ),
    OpenApiParameter(
        "service", OpenApiTypes.STR, many=True, description="Service slug (repeatable)."
    ),
    OpenApiParameter("team", OpenApiTypes.STR, description="The alerts' team label."),
]


class AlertReviewViewSet(ViewSet):
    """The weekly alert review. Everyone signed in reads it; responders and admins write."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    def _validated(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _week_and_scope(self, data: dict):
        week_start = parse_week(data.get("week", ""), tzinfo=self.request.user.tzinfo)
        scope = parse_scope(service_slugs=data.get("services", []), team=data.get("team", ""))
        return week_start, scope

    @extend_schema(
        summary="Last week's alerts grouped by alert name, with the review's decisions",
        description=FIGURES_DOC,
        parameters=[
            *SCOPE_PARAMETERS,
            OpenApiParameter(
                "alerts_limit",
                OpenApiTypes.INT,
                description=f"Alert ids listed per group, newest first (default {ALERTS_LIMIT}, "
                f"at most {MAX_ALERTS_PER_MARK}); each group's `alerts_url` pages through all.",
            ),
        ],
        responses={200: ReviewWeekSerializer, **errors(400, 401)},
    )
    def list(self, request):
        limit = self._query(ListQuerySerializer)["alerts_limit"]
        week = review_week(user=request.user, **self._query_week_and_scope(), instances=1)
        alert_ids = newest_ids_by_name(
            week.alerts(), names=[g.name for g in week.groups], per_name=limit
        )
        context = {"request": request, "alert_ids": alert_ids, "week": week}
        return Response(ReviewWeekSerializer(week, context=context).data)

    @extend_schema(
        summary="One alert group's instances in the week, newest first, a page at a time",
        parameters=[
            *SCOPE_PARAMETERS,
            OpenApiParameter("name", OpenApiTypes.STR, required=True, description="Alert name."),
            OpenApiParameter("limit", OpenApiTypes.INT, description="Per page, at most 1000."),
            OpenApiParameter("offset", OpenApiTypes.INT),
        ],
        responses={200: InstancePageSerializer, **errors(400, 401, 404)},
    )
    @action(detail=False, methods=["get"])
    def alerts(self, request):
        query = self._query(InstancesQuerySerializer)
        week = review_week(
            user=request.user,
            **self._query_week_and_scope(),
            instances=0,
            only_name=query["name"],
        )
        group = week.group(query["name"])
        if group is None:
            raise NotFound(f"No alert named {query['name']!r} fired in {week.week}.")
        offset, limit = query["offset"], query["limit"]
        instances = review_group_instances(week, group.name)[offset : offset + limit]
        url = request.build_absolute_uri()
        count = group.figures.instances
        body = {
            "week": week.week,
            "name": group.name,
            "count": count,
            "next": replace_query_param(url, "offset", offset + limit)
            if offset + limit < count
            else None,
            "previous": None
            if offset == 0
            else (
                replace_query_param(url, "offset", max(offset - limit, 0))
                if offset > limit
                else remove_query_param(url, "offset")
            ),
            "results": InstanceSerializer(
                instances, many=True, context={"flapping": group.flapping_set}
            ).data,
        }
        return Response(body)

    def _query(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.query_params)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _query_week_and_scope(self) -> dict:
        query = self.request.query_params
        week_start, scope = self._week_and_scope(
            {
                "week": query.get("week", ""),
                "services": query.getlist("service"),
                "team": query.get("team", ""),
            }
        )
        return {"week_start": week_start, "scope": scope}

    @extend_schema(
        summary="Record or edit the five answers for one alert name",
        description="Answers left out keep their previous value. 409 once the review is closed.",
        request=DecisionInputSerializer,
        responses={200: DecisionSerializer, **errors(400, 401, 403, 409)},
    )
    @action(detail=False, methods=["post"])
    def decisions(self, request):
        data = self._validated(DecisionInputSerializer)
        week_start, scope = self._week_and_scope(data)
        answers = {name: data[name] for name in ANSWER_FIELDS if name in data}
        decision = alert_review_decide(
            user=request.user,
            week_start=week_start,
            scope=scope,
            alert_name=data["alert_name"],
            answers=answers,
        )
        return Response(DecisionSerializer(decision).data)

    @extend_schema(
        summary="Mark alerts actionable or not actionable",
        description="All or nothing: an unknown (or invisible) alert id is a 400, and an alert "
        "a closed review counted (its week in the closer's time zone, its scope) is a 409; "
        "either way nothing is marked.",
        request=ActionableInputSerializer,
        responses={200: MarkedSerializer, **errors(400, 401, 403, 409)},
    )
    @action(detail=False, methods=["post"])
    def actionable(self, request):
        data = self._validated(ActionableInputSerializer)
        marked = alert_mark_actionable(
            user=request.user, alert_ids=data["alert_ids"], actionable=data["actionable"]
        )
        return Response({"marked": marked})

    @extend_schema(
        summary="Choose who else gets the summary when the review closes",
        request=RecipientsInputSerializer,
        responses={200: ReviewStateSerializer, **errors(400, 401, 403, 409)},
    )
    @action(detail=False, methods=["post"])
    def recipients(self, request):
        data = self._validated(RecipientsInputSerializer)
        week_start, scope = self._week_and_scope(data)
        review = alert_review_set_recipients(
            user=request.user, week_start=week_start, scope=scope, usernames=data["recipients"]
        )
        return Response(ReviewStateSerializer(review).data)

    @extend_schema(
        summary="Close the review and send its summary",
        description="Sends the summary to everyone who recorded a decision and to the "
        "recipients. Idempotent: closing again sends nothing twice.",
        request=ScopeInputSerializer,
        responses={200: ClosedSerializer, **errors(400, 401, 403)},
    )
    @action(detail=False, methods=["post"])
    def close(self, request):
        data = self._validated(ScopeInputSerializer)
        week_start, scope = self._week_and_scope(data)
        result = alert_review_close(user=request.user, week_start=week_start, scope=scope)
        body = ReviewStateSerializer(result.review).data | {"notified": result.notified}
        return Response(body)
