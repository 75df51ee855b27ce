"""Timeline capture from Slack events (pins, the timeline emoji, edits, deletions)."""

from __future__ import annotations

import logging

from django.conf import settings

from incidents import services
from incidents.models import TimelineEvent
from incidents.slack.client import slack_call
from incidents.slack.lookup import incident_for_channel, ts_to_datetime, user_for_slack_id

logger = logging.getLogger(__name__)


def source_key(channel: str, ts: str) -> str:
    return f"slack:{channel}:{ts}"


def _message_text(message: dict) -> str:
    text = message.get("text") or ""
    links = [
        f.get("permalink") or f.get("url_private") or f.get("name", "")
        for f in message.get("files") or []
    ]
    links = [link for link in links if link]
    if links:
        text = (text + "\n" if text else "") + "\n".join(f"File: {link}" for link in links)
    return text or "(a message without text)"


def event_handle(event: dict) -> TimelineEvent | None:
    """Act on one Slack event (already verified and deduplicated). Returns the event written."""
    kind = event.get("type")
    if kind == "pin_added":
        item = event.get("item") or {}
        return _capture(
            event.get("user", ""),
            event.get("channel_id") or item.get("channel", ""),
            item.get("message") or {},
        )
    if kind == "reaction_added" and event.get("reaction") == settings.SLACK_TIMELINE_EMOJI:
        item = event.get("item") or {}
        if item.get("type") != "message":
            return None
        channel, ts = item.get("channel", ""), item.get("ts", "")
        if incident_for_channel(channel) is None:
            return None
        answer = slack_call(
            "conversations.history", channel=channel, latest=ts, inclusive=True, limit=1
        )
        messages = [m for m in answer.get("messages", []) if m.get("ts") == ts]
        return _capture(event.get("user", ""), channel, messages[0] if messages else {"ts": ts})
    if kind == "message" and event.get("subtype") == "message_changed":
        message = event.get("message") or {}
        return _correct(
            event.get("channel", ""),
            message.get("ts", ""),
            message.get("user", ""),
            f"Edited in Slack: {_message_text(message)}",
            suffix=f"edit:{(message.get('edited') or {}).get('ts', event.get('ts', ''))}",
        )
    if kind == "message" and event.get("subtype") == "message_deleted":
        previous = event.get("previous_message") or {}
        return _correct(
            event.get("channel", ""),
            event.get("deleted_ts") or previous.get("ts", ""),
            previous.get("user", ""),
            "Retracted: the message was deleted in Slack.",
            suffix="deleted",
        )
    return None


def _capture(slack_user: str, channel: str, message: dict) -> TimelineEvent | None:
    ts = message.get("ts", "")
    user = user_for_slack_id(slack_user)
    if not ts or user is None:
        logger.info("Slack capture ignored: unknown user %s or no message ts", slack_user)
        return None
    incident = incident_for_channel(channel, user=user)
    if incident is None:
        return None
    return services.timeline_note_add(
        incident=incident,
        user=user,
        body=_message_text(message),
        occurred_at=ts_to_datetime(ts),
        source_key=source_key(channel, ts),
    )


def _correct(channel: str, ts: str, slack_user: str, body: str, *, suffix: str):
    incident = incident_for_channel(channel)
    if incident is None or not ts:
        return None
    original = TimelineEvent.objects.filter(
        incident=incident, source_key=source_key(channel, ts)
    ).first()
    if original is None:  # the message was never put on the timeline
        return None
    user = user_for_slack_id(slack_user) or original.actor
    return services.timeline_note_add(
        incident=incident,
        user=user,
        body=body,
        occurred_at=original.occurred_at,
        corrects=original,
        source_key=f"{source_key(channel, ts)}:{suffix}",
    )
