"""The ``push`` transport: publish to the person's ntfy topic (JSON publishing, ntfy's docs
"Publish as JSON"). Priority follows urgency (a page is 5, "max": it overrides Do Not Disturb
on Android where the person allowed it). A page carries an "Acknowledge" action that POSTs to
the page's signed acknowledge link, and an "Open" action with the same link in the browser."""

from __future__ import annotations

from django.conf import settings

from oncall.channels.common import ChannelTransport, absolute, page_facts
from oncall.channels.http import provider_call
from oncall.people.notify import PermanentDeliveryError

PRIORITY = {"high": 5, "low": 3}


def ntfy_message(notification, topic: str) -> dict:
    facts = page_facts(notification)
    message = {
        "topic": topic,
        "title": notification.subject[:200],
        "message": (notification.body or notification.subject)[:3000],
        "priority": PRIORITY.get(notification.urgency, 3),
        "tags": ["rotating_light"] if notification.urgency == "high" else [],
    }
    if notification.url:
        message["click"] = absolute(notification.url)
    if facts is not None:
        message["message"] = f"{message['message']}\n{facts.reference}"
        message["actions"] = [
            {
                "action": "http",
                "label": "Acknowledge",
                "url": facts.ack_post_url,
                "method": "POST",
                "clear": True,
            },
            {"action": "view", "label": "Open", "url": facts.ack_url},
        ]
    return message


class NtfyTransport(ChannelTransport):
    name = "push"

    def is_configured(self) -> bool:
        return bool(settings.NTFY_URL)

    def send(self, notification) -> None:
        method = self.contact(notification.recipient)
        if method is None:
            raise PermanentDeliveryError("No ntfy topic.")
        headers = {}
        if settings.NTFY_TOKEN:
            headers["Authorization"] = f"Bearer {settings.NTFY_TOKEN}"
        provider_call(
            "ntfy",
            "POST",
            settings.NTFY_URL + "/",
            json=ntfy_message(notification, method.address),
            headers=headers,
        )
