"""The incident page's Slack card: the channel, and Slack API calls that failed for good."""

from __future__ import annotations

from incidents.slack.models import IncidentSlackChannel, SlackApiFailure
from incidents.ui import IncidentPanel, register_incident_panel


def _context(request, incident):
    link = IncidentSlackChannel.objects.filter(incident=incident).first()
    failures = list(SlackApiFailure.objects.filter(incident=incident)[:10])
    if link is None and not failures:
        return None
    return {"slack_channel": link, "slack_failures": failures}


def register() -> None:
    register_incident_panel(
        IncidentPanel(
            key="slack", template="incidents/slack/panel.html", context=_context, order=50
        )
    )
