"""The ``teams`` transport: an Adaptive Card to the person's Teams workflow webhook URL.

Office 365 connectors are retired; a Workflows webhook takes ``{"type": "message",
"attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "content": card}]}``
and answers 202. Pages get "Acknowledge" and "Open" buttons (``Action.OpenUrl``, the page's
signed acknowledge link, which asks for a confirming click); incident updates and reminders get
"Open".
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from oncall.channels.common import ChannelTransport, absolute, page_facts
from oncall.channels.http import provider_call
from oncall.people.notify import PermanentDeliveryError

CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"


def adaptive_card(notification) -> dict:
    facts = page_facts(notification)
    body: list[dict] = [
        {
            "type": "TextBlock",
            "text": notification.subject,
            "weight": "bolder",
            "size": "medium",
            "wrap": True,
            "style": "heading",
            "color": "attention" if notification.urgency == "high" else "default",
        }
    ]
    if notification.body:
        body.append({"type": "TextBlock", "text": notification.body[:2000], "wrap": True})
    actions: list[dict] = []
    if facts is not None:
        body.append(
            {"type": "FactSet", "facts": [{"title": "Reference", "value": facts.reference}]}
        )
        actions.append({"type": "Action.OpenUrl", "title": "Acknowledge", "url": facts.ack_url})
    if notification.url and facts is None:
        actions.append(
            {"type": "Action.OpenUrl", "title": "Open", "url": absolute(notification.url)}
        )
    elif facts is not None:
        path = reverse("oncall:alert-detail", kwargs={"alert_id": facts.page.alert_id})
        alert_url = absolute(path)
        actions.append({"type": "Action.OpenUrl", "title": "Open", "url": alert_url})
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": {
                    "$schema": CARD_SCHEMA,
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "fallbackText": notification.subject,
                    "body": body,
                    "actions": actions,
                },
            }
        ],
    }


class TeamsTransport(ChannelTransport):
    name = "teams"

    def is_configured(self) -> bool:
        return settings.FIREBREAK_TEAMS_ENABLED

    def send(self, notification) -> None:
        method = self.contact(notification.recipient)
        if method is None:
            raise PermanentDeliveryError("No Teams workflow URL.")
        provider_call("Teams", "POST", method.address, json=adaptive_card(notification))
