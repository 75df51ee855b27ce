"""The responders' channel of an incident: create it, invite people, keep the header current.

Called from Celery tasks (``incidents.slack.tasks``) after the domain signals; never in a request.
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from incidents.models import Incident, StakeholderUpdate, TimelineEvent
from incidents.selectors import active_role_assignments
from incidents.slack import blocks
from incidents.slack.client import SlackError, slack_call
from incidents.slack.models import IncidentSlackChannel
from incidents.stakeholder_messages import slack_time, stakeholder_text

logger = logging.getLogger(__name__)
EventKind = TimelineEvent.EventKind

NAME_MAX = 80
NAME_ATTEMPTS = 10


def channel_name(incident: Incident, attempt: int = 0) -> str:
    """``inc-<number>-<slug>``: lowercase a-z 0-9 - _, at most 80 characters. Attempt n > 0
    gets ``-<n+1>`` appended (after ``name_taken``), the slug shortened to keep the limit."""
    prefix = f"inc-{incident.number}"
    suffix = f"-{attempt + 1}" if attempt else ""
    slug = re.sub(r"[^a-z0-9_-]+", "-", slugify(incident.title).lower()).strip("-_")
    room = NAME_MAX - len(prefix) - len(suffix) - 1
    slug = slug[: max(room, 0)].rstrip("-_")
    return f"{prefix}-{slug}{suffix}" if slug else f"{prefix}{suffix}"


def _slack_ids(users) -> list[str]:
    return sorted({u.slack_user_id for u in users if getattr(u, "slack_user_id", "")})


def channel_setup(incident: Incident) -> IncidentSlackChannel | None:
    """Create the incident's channel (once), invite the role holders, pin a header, bookmark the
    web page, and announce the declaration in the stakeholders channel (public incidents)."""
    link = IncidentSlackChannel.objects.filter(incident=incident).first()
    if link is None:
        link = _channel_create(incident)
    if not link.header_ts:  # a retried task resumes where the last attempt stopped
        _channel_furnish(incident, link)
    return link


def _channel_create(incident: Incident) -> IncidentSlackChannel:
    channel = None
    for attempt in range(NAME_ATTEMPTS):
        name = channel_name(incident, attempt)
        try:
            answer = slack_call(
                "conversations.create", incident=incident, name=name, is_private=incident.private
            )
        except SlackError as exc:
            if exc.error == "name_taken":
                continue
            raise
        channel = answer["channel"]
        break
    if channel is None:
        raise SlackError("conversations.create", "name_taken")
    try:
        with transaction.atomic():
            link = IncidentSlackChannel.objects.create(
                incident=incident, channel_id=channel["id"], name=channel.get("name", name)
            )
    except IntegrityError:  # a concurrent setup won; keep its channel
        return IncidentSlackChannel.objects.get(incident=incident)
    return link


def _channel_furnish(incident: Incident, link: IncidentSlackChannel) -> None:
    people = [a.user for a in active_role_assignments(incident).select_related("user")]
    invite(incident, link, people)
    posted = slack_call(
        "chat.postMessage",
        incident=incident,
        channel=link.channel_id,
        text=blocks.header_text(incident),
        blocks=blocks.header_blocks(incident),
    )
    link.header_ts = posted["ts"]
    link.save(update_fields=["header_ts"])
    slack_call("pins.add", incident=incident, channel=link.channel_id, timestamp=link.header_ts)
    slack_call(
        "bookmarks.add",
        incident=incident,
        channel_id=link.channel_id,
        title=f"{incident.reference} in Firebreak",
        type="link",
        link=blocks.incident_url(incident),
    )
    if settings.SLACK_STAKEHOLDER_CHANNEL and not incident.private:
        slack_call(
            "chat.postMessage",
            incident=incident,
            channel=settings.SLACK_STAKEHOLDER_CHANNEL,
            text=(
                f":rotating_light: {incident.reference} declared ({incident.severity}): "
                f"{incident.title}. Responders: <#{link.channel_id}>. {blocks.incident_url(incident)}"
            ),
        )
    return link


def invite(incident: Incident, link: IncidentSlackChannel, users) -> None:
    ids = _slack_ids(users)
    if not ids:
        return
    try:
        slack_call(
            "conversations.invite", incident=incident, channel=link.channel_id, users=",".join(ids)
        )
    except SlackError as exc:
        # Permanent refusals are recorded by the client; either way the channel goes on without
        # them (people can still join by hand).
        logger.info("Inviting %s to %s: %s", ids, link.channel_id, exc.error)


def header_refresh(incident: Incident) -> None:
    link = IncidentSlackChannel.objects.filter(incident=incident).first()
    if link is None or not link.header_ts:
        return
    slack_call(
        "chat.update",
        incident=incident,
        channel=link.channel_id,
        ts=link.header_ts,
        text=blocks.header_text(incident),
        blocks=blocks.header_blocks(incident),
    )


def update_announce(update: StakeholderUpdate) -> None:
    """Post an update in the incident channel; in the stakeholders channel too when it reaches
    stakeholders (by the incident commander or communications lead, or external) and the
    incident is not private. Both say when the next update comes, in each reader's time zone."""
    incident = update.incident
    title = blocks.UPDATE_TITLES[update.kind].lower()
    text = (
        f"*{incident.reference} {title}* ({update.get_audience_display()}):\n"
        + stakeholder_text(update, slack_time)
    )
    if not update.reaches_stakeholders:
        text += "\n_(Posted here only: updates reach stakeholders from the incident commander or communications lead, or when sent to customers.)_"
    link = IncidentSlackChannel.objects.filter(incident=incident).first()
    if link is not None:
        slack_call("chat.postMessage", incident=incident, channel=link.channel_id, text=text)
        if update.kind == StakeholderUpdate.UpdateKind.RESOLUTION and update.follow_up_expected:
            prompt = "Step 2 of 2: when the root cause is known, post the follow-up."
            slack_call(
                "chat.postMessage",
                incident=incident,
                channel=link.channel_id,
                text=prompt,
                blocks=blocks.button_blocks(
                    prompt,
                    [(blocks.ACTION_FOLLOW_UP, "Post root-cause follow-up", str(incident.pk))],
                ),
            )
    if settings.SLACK_STAKEHOLDER_CHANNEL and not incident.private and update.reaches_stakeholders:
        slack_call(
            "chat.postMessage",
            incident=incident,
            channel=settings.SLACK_STAKEHOLDER_CHANNEL,
            text=text + f"\n{blocks.incident_url(incident)}",
        )


# State changes everyone in the incident channel should see as they happen (besides the header,
# the timeline and the direct messages): the timeline event's own sentence is the message.
ANNOUNCED_EVENT_KINDS = frozenset(
    {
        EventKind.ROLE_ASSIGNED,
        EventKind.ROLE_HANDED_OFF,
        EventKind.MITIGATED,
        EventKind.SEVERITY_CHANGED,
        EventKind.STATUS_CHANGED,
    }
)


def event_announce(event: TimelineEvent) -> None:
    """Say a state change in the incident channel, in the timeline's words."""
    if event.kind not in ANNOUNCED_EVENT_KINDS:
        return
    link = IncidentSlackChannel.objects.filter(incident_id=event.incident_id).first()
    if link is None:
        return
    incident = event.incident
    icon = {
        EventKind.MITIGATED: ":large_green_circle:",
        EventKind.SEVERITY_CHANGED: ":rotating_light:",
        EventKind.STATUS_CHANGED: ":arrows_counterclockwise:",
    }.get(event.kind, ":busts_in_silhouette:")
    slack_call(
        "chat.postMessage",
        incident=incident,
        channel=link.channel_id,
        text=f"{icon} *{incident.reference}* {event.body}",
    )


def reminder_post(reminder) -> None:
    """Repeat a fired reminder in the incident channel, with Post update / Snooze buttons."""
    incident = reminder.incident
    link = IncidentSlackChannel.objects.filter(incident=incident).first()
    if link is None:
        return
    if reminder.kind == reminder.ReminderKind.UPDATE_DUE:
        text = f":alarm_clock: A stakeholder update on {incident.reference} is due."
    else:
        text = (
            f":raising_hand: {incident.reference} has been investigated by one person for a while. "
            "Page someone: `/incident page <schedule>`."
        )
    slack_call(
        "chat.postMessage",
        incident=incident,
        channel=link.channel_id,
        text=text,
        blocks=blocks.reminder_blocks(text, incident),
    )
    if reminder.kind == reminder.ReminderKind.UPDATE_DUE:
        from incidents.slack.offers import offer_to_deputy

        offer_to_deputy(incident, link)


def all_clear_prompt(incident: Incident) -> None:
    """After resolving: walk the two-message all-clear, and point at the postmortem."""
    link = IncidentSlackChannel.objects.filter(incident=incident).first()
    if (
        link is None
        or incident.updates.filter(kind=StakeholderUpdate.UpdateKind.RESOLUTION).exists()
    ):
        return
    from incidents.slack.commands import get_subcommand

    text = (
        f":white_check_mark: {incident.reference} is resolved. Step 1 of 2: tell stakeholders it is "
        "over, and whether a root-cause message will follow."
    )
    if get_subcommand("postmortem") is not None:
        text += " Then start the postmortem: `/incident postmortem`."
    slack_call(
        "chat.postMessage",
        incident=incident,
        channel=link.channel_id,
        text=text,
        blocks=blocks.button_blocks(
            text, [(blocks.ACTION_ALL_CLEAR, "Post the all-clear", str(incident.pk))]
        ),
    )
