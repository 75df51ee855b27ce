"""Routes providers call (mounted under /hooks/channels/ in oncall.webhook_urls)."""

from django.urls import path

from oncall.channels import hooks
from oncall.channels.twilio import webhooks as twilio

urlpatterns = [
    path("ack/<int:alert_id>/<str:token>/", hooks.ack_action, name="channels-ack"),
    # Set as the Twilio number's "A message comes in" webhook (README "Paging channels").
    path("twilio/sms/", twilio.sms_reply, name="twilio-sms"),
    path("twilio/gather/<int:delivery_id>/<str:token>/", twilio.call_gather, name="twilio-gather"),
    path(
        "twilio/status/<int:delivery_id>/<str:token>/",
        twilio.status_callback,
        name="twilio-status",
    ),
]
