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
from oncall.channels.teams.cards import card_message
from oncall.people.notify import PermanentDeliveryError


def adaptive_card(notification) -> dict:
    """A page: Acknowledge (the signed link) and Open (the alert); anything else: Open."""
    facts = page_facts(notification)
    links: list[tuple[str, str]] = []
    if facts is not None:
        alert_path = reverse("oncall:alert-detail", kwargs={"alert_id": facts.page.alert_id})
        links = [("Acknowledge", facts.ack_url), ("Open", absolute(alert_path))]
    elif notification.url:
        links = [("Open", absolute(notification.url))]
    return card_message(
        title=notification.subject,
        text=notification.body,
        facts=[("Reference", facts.reference)] if facts is not None else [],
        links=links,
        attention=notification.urgency == "high",
    )


class TeamsTransport(ChannelTransport):
    name = "teams"

    def is_configured(self) -> bool:
        return settings.FIREBREAK_TEAMS_ENABLED

    def send(self, notification) -> None:
        method = self.contact(notification.recipient)
        if method is None:
            raise PermanentDeliveryError("No Teams workflow URL.")
        provider_call("Teams", "POST", method.address, json=adaptive_card(notification))
