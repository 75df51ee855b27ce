"""Celery tasks of the Slack bot: take ids or the verified payload, call one function.

Transient Slack failures (unreachable, rate-limited after the client's own retries) are retried
a few times with backoff; permanent ones are recorded by the client and not retried.
"""

from __future__ import annotations

import functools
import logging

from celery import shared_task

from config.errors import ApplicationError
from incidents import services
from incidents.models import Incident, StakeholderUpdate
from incidents.slack import channels, events
from incidents.slack.client import SlackError, SlackTransientError, slack_call
from incidents.slack.commands import CommandContext, get_subcommand, help_text
from incidents.slack.deliveries import once_per_delivery
from incidents.slack.lookup import incident_for_channel, user_for_slack_id

logger = logging.getLogger(__name__)

_RETRY = {
    "autoretry_for": (SlackTransientError,),
    "retry_backoff": 5,
    "retry_kwargs": {"max_retries": 5},
    "time_limit": 90,
    "soft_time_limit": 80,
}


def _slack_errors_logged(function):
    """A Slack refusal is final for this task: permanent ones are already recorded by the
    client; others (``already_pinned``...) are only logged. Transient errors still retry."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except SlackError as exc:
            logger.warning("%s stopped: %s", function.__name__, exc)
            return None

    return wrapper


def ephemeral(channel_id: str, slack_user_id: str, text: str) -> None:
    try:
        slack_call("chat.postEphemeral", channel=channel_id, user=slack_user_id, text=text)
    except SlackError as exc:
        logger.warning("Could not answer %s in %s: %s", slack_user_id, channel_id, exc.error)


def run_command(payload: dict) -> str | None:
    """Run one ``/incident`` sub-command for the payload's user; returns the reply shown."""
    name = payload["name"]
    command = get_subcommand(name)
    if command is None:
        return help_text(name)
    user = user_for_slack_id(payload["user_id"])
    if user is None:
        from incidents.slack.lookup import UnknownSlackUser

        return UnknownSlackUser().message
    ctx = CommandContext(
        user=user,
        incident=incident_for_channel(payload["channel_id"], user=user),
        args=payload.get("args", ""),
        channel_id=payload["channel_id"],
        slack_user_id=payload["user_id"],
        trigger_id=payload.get("trigger_id", ""),
    )
    try:
        return command.handler(ctx)
    except ApplicationError as exc:
        return exc.message


@shared_task(**_RETRY)
@_slack_errors_logged
@once_per_delivery
def slack_command_run(payload: dict) -> None:
    reply = run_command(payload)
    if reply:
        ephemeral(payload["channel_id"], payload["user_id"], reply)


@shared_task(**_RETRY)
@_slack_errors_logged
@once_per_delivery
def slack_event_handle(event: dict) -> None:
    try:
        events.event_handle(event)
    except ApplicationError as exc:  # e.g. a viewer pinned a message: nothing to write
        logger.info("Slack event %s not captured: %s", event.get("type"), exc.message)


@shared_task(**_RETRY)
@_slack_errors_logged
def slack_channel_setup(incident_id: int) -> None:
    incident = Incident.objects.filter(pk=incident_id).first()
    if incident is not None:
        channels.channel_setup(incident)


@shared_task(**_RETRY)
@_slack_errors_logged
def slack_header_refresh(incident_id: int) -> None:
    incident = Incident.objects.filter(pk=incident_id).first()
    if incident is not None:
        channels.header_refresh(incident)


@shared_task(**_RETRY)
@_slack_errors_logged
def slack_role_invite(incident_id: int, user_id: int) -> None:
    from incidents.slack.models import IncidentSlackChannel

    link = (
        IncidentSlackChannel.objects.filter(incident_id=incident_id)
        .select_related("incident")
        .first()
    )
    user = user_for_model_pk(user_id)
    if link is not None and user is not None:
        channels.invite(link.incident, link, [user])


@shared_task(**_RETRY)
@_slack_errors_logged
@once_per_delivery
def slack_event_announce(event_id: int) -> None:
    """Say a state change (hand-off, mitigation, severity, status) in the incident channel."""
    from incidents.models import TimelineEvent

    event = TimelineEvent.objects.filter(pk=event_id).select_related("incident").first()
    if event is not None:
        channels.event_announce(event)


@shared_task(**_RETRY)
@_slack_errors_logged
def slack_update_announce(update_id: int) -> None:
    update = StakeholderUpdate.objects.filter(pk=update_id).select_related("incident").first()
    if update is not None:
        channels.update_announce(update)


@shared_task(**_RETRY)
@_slack_errors_logged
@once_per_delivery
def slack_reminders_snooze(incident_id: int, slack_user_id: str, channel_id: str) -> None:
    user = user_for_slack_id(slack_user_id)
    incident = Incident.objects.filter(pk=incident_id).first()
    if user is None or incident is None:
        return
    try:
        services.reminders_snooze(incident=incident, user=user, minutes=10)
        reply = f"Update reminders for {incident.reference} snoozed for 10 minutes."
    except ApplicationError as exc:
        reply = exc.message
    if channel_id:
        ephemeral(channel_id, slack_user_id, reply)


def user_for_model_pk(user_id: int):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk=user_id).first()


@shared_task(**_RETRY)
@_slack_errors_logged
def slack_reminder_post(reminder_id: int) -> None:
    from incidents.models import Reminder

    reminder = Reminder.objects.filter(pk=reminder_id).select_related("incident").first()
    if reminder is not None:
        channels.reminder_post(reminder)


@shared_task(**_RETRY)
@_slack_errors_logged
@once_per_delivery
def slack_comms_offer(
    action_id: str, incident_id: int, deputy_id: int, slack_user_id: str, channel_id: str
) -> None:
    from incidents.slack import offers

    user = user_for_slack_id(slack_user_id)
    incident = Incident.objects.filter(pk=incident_id).first()
    if user is None or incident is None:
        return
    try:
        if action_id == offers.ACTION_OFFER:
            offers.offer_made(incident=incident, user=user)
            reply = "Offer sent to the incident commander."
        else:
            offers.offer_accepted(incident=incident, user=user, deputy_id=deputy_id)
            reply = "Communications handed to the deputy."
    except ApplicationError as exc:
        reply = exc.message
    if channel_id:
        ephemeral(channel_id, slack_user_id, reply)


@shared_task(**_RETRY)
@_slack_errors_logged
def slack_all_clear_prompt(incident_id: int) -> None:
    incident = Incident.objects.filter(pk=incident_id).first()
    if incident is not None:
        channels.all_clear_prompt(incident)
