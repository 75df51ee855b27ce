"""All REST API routes under /api/v1/. Each app registers its viewsets here."""

from rest_framework.routers import DefaultRouter

from incidents.api.views import IncidentViewSet, ServiceViewSet, TeamViewSet
from oncall.alerts.api.views import AlertViewSet, IntegrationViewSet
from oncall.escalation.api import EscalationPolicyViewSet
from oncall.review.api import AlertReviewViewSet
from oncall.schedules.api.views import ScheduleViewSet
from postmortems.api.views import ActionItemViewSet, PostmortemTemplateViewSet, PostmortemViewSet
from postmortems.reports.api import ReportViewSet
from postmortems.search.api import SearchViewSet

router = DefaultRouter()
router.register("postmortems", PostmortemViewSet, basename="postmortem")
router.register("postmortem-templates", PostmortemTemplateViewSet, basename="postmortem-template")
router.register("action-items", ActionItemViewSet, basename="action-item")
router.register("alerts", AlertViewSet, basename="alert")
router.register("integrations", IntegrationViewSet, basename="integration")
router.register("alert-reviews", AlertReviewViewSet, basename="alert-review")
router.register("schedules", ScheduleViewSet, basename="schedule")
router.register("escalation-policies", EscalationPolicyViewSet, basename="escalation-policy")
router.register("incidents", IncidentViewSet, basename="incident")
router.register("services", ServiceViewSet, basename="service")
router.register("teams", TeamViewSet, basename="team")
router.register("search", SearchViewSet, basename="search")
router.register("reports", ReportViewSet, basename="report")

urlpatterns = router.urls
