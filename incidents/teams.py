"""Stakeholder updates to a Microsoft Teams channel through a Workflows webhook (issue 20).

With ``FIREBREAK_TEAMS_STAKEHOLDER_WEBHOOK_URL`` set, every update by the incident commander or
communications lead of an incident that is not private is posted there as an Adaptive Card with an "Open incident" button — the Teams
counterpart of SLACK_STAKEHOLDER_CHANNEL. Connected from ``IncidentsConfig.ready``.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.urls import reverse

from incidents import signals
from incidents.models import Role, StakeholderUpdate
from incidents.selectors import active_role_assignments
from oncall.channels.http import provider_call
from oncall.channels.teams.cards import card_message
from oncall.people.notify import TransientDeliveryError


def update_card(update: StakeholderUpdate) -> dict:
    incident = update.incident
    facts = [("Severity", incident.severity), ("Status", incident.get_status_display())]
    if update.next_update_at:
        facts.append(("Next update", f"{update.next_update_at:%Y-%m-%d %H:%M} UTC"))
    url = settings.FIREBREAK_BASE_URL + reverse("incidents:detail", args=[incident.number])
    return card_message(
        title=f"{incident.reference} {update.get_kind_display().lower()}: {incident.title}",
        text=update.body,
        facts=facts,
        links=[("Open incident", url)],
        attention=incident.is_active,
    )


# Retried with back-off while Teams is down or slow; a refused post (4xx) is given up at once.
@shared_task(
    name="incidents.teams_update_announce",
    autoretry_for=(TransientDeliveryError,),
    retry_backoff=5,
    retry_kwargs={"max_retries": 5},
    time_limit=60,
    soft_time_limit=50,
)
def teams_update_announce(update_id: int) -> None:
    update = StakeholderUpdate.objects.filter(pk=update_id).select_related("incident").first()
    if update is None or not settings.FIREBREAK_TEAMS_STAKEHOLDER_WEBHOOK_URL:
        return
    provider_call(
        "Teams",
        "POST",
        settings.FIREBREAK_TEAMS_STAKEHOLDER_WEBHOOK_URL,
        json=update_card(update),
    )


def _on_update_posted(sender, incident_id, update_id, **kwargs) -> None:
    if not settings.FIREBREAK_TEAMS_STAKEHOLDER_WEBHOOK_URL:
        return
    update = StakeholderUpdate.objects.filter(pk=update_id).select_related("incident").first()
    if update is None or update.incident.private or not update.reaches_stakeholders:
        return
    # The same rule as the Slack stakeholder channel: the commander's or comms lead's updates.
    leads = active_role_assignments(update.incident).filter(
        role__in=[Role.INCIDENT_COMMANDER, Role.COMMUNICATIONS_LEAD]
    )
    if leads.filter(user_id=update.posted_by_id).exists():
        teams_update_announce.delay(update_id)


def connect() -> None:
    signals.stakeholder_update_posted.connect(
        _on_update_posted, dispatch_uid="incidents.teams.update_posted"
    )
