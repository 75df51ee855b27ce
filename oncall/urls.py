"""Web routes of the oncall app: one ``urls`` module per capability, all in the ``oncall`` namespace."""

from django.urls import include, path

app_name = "oncall"

urlpatterns = [
    path("", include("oncall.people.urls")),
    path("", include("oncall.channels.urls")),
    path("", include("oncall.schedules.urls")),
    # The review's pages live under alerts/review/; listed first so they read before alerts/<id>/.
    path("", include("oncall.review.urls")),
    path("", include("oncall.alerts.urls")),
    path("", include("oncall.escalation.urls")),
]
