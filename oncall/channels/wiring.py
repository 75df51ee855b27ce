"""Registers the channel transports in the notify registry; called from OncallConfig.ready."""

from __future__ import annotations


def connect() -> None:
    from oncall.channels.ntfy.transport import NtfyTransport
    from oncall.channels.teams.transport import TeamsTransport
    from oncall.channels.twilio.transport import TwilioSmsTransport, TwilioVoiceTransport
    from oncall.channels.webhook.transport import WebhookTransport
    from oncall.people import notify

    for transport in (
        TwilioSmsTransport(),
        TwilioVoiceTransport(),
        WebhookTransport("sms_webhook", "SMS"),
        WebhookTransport("phone_webhook", "PHONE"),
        NtfyTransport(),
        TeamsTransport(),
    ):
        notify.register(transport)
