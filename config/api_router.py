"""All REST API routes under /api/v1/. Each app registers its viewsets here."""

from rest_framework.routers import DefaultRouter

from incidents.api.views import IncidentViewSet, ServiceViewSet, TeamViewSet
from oncall.api.schedules import ScheduleViewSet
from oncall.api.views import AlertViewSet, IntegrationViewSet
from postmortems.api.views import ActionItemViewSet, PostmortemTemplateViewSet, PostmortemViewSet

router = DefaultRouter()
router.register("postmortems", PostmortemViewSet, basename="postmortem")
router.register("postmortem-templates", PostmortemTemplateViewSet, basename="postmortem-template")
router.register("action-items", ActionItemViewSet, basename="action-item")
router.register("alerts", AlertViewSet, basename="alert")
router.register("integrations", IntegrationViewSet, basename="integration")
router.register("schedules", ScheduleViewSet, basename="schedule")
router.register("incidents", IncidentViewSet, basename="incident")
router.register("services", ServiceViewSet, basename="service")
router.register("teams", TeamViewSet, basename="team")

urlpatterns = router.urls
