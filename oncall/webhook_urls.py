"""Alert webhook routes, mounted at /hooks/ (see oncall.alerts.webhooks)."""

from django.urls import path

from oncall.alerts import webhooks

app_name = "hooks"

urlpatterns = [
    path("<slug:kind>/", webhooks.receive, name="receive"),
    path("<slug:kind>/<str:token>/", webhooks.receive, name="receive-token"),
]
