"""Alert webhook routes, mounted at /hooks/ (see oncall.alerts.webhooks)."""

from django.urls import include, path

from oncall.alerts import webhooks

app_name = "hooks"

urlpatterns = [
    # Paging channels' callbacks (Twilio, ntfy actions); before the alert routes they would match.
    path("channels/", include("oncall.channels.hook_urls")),
    path("<slug:kind>/", webhooks.receive, name="receive"),
    path("<slug:kind>/<str:token>/", webhooks.receive, name="receive-token"),
]
