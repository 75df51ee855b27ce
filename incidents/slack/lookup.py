"""Map Slack ids to Firebreak rows (users by ``slack_user_id``, incidents by channel)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from django.contrib.auth import get_user_model

from config.errors import NotFound, ValidationFailed
from incidents.selectors import incident_visible_queryset
from incidents.slack.models import IncidentSlackChannel

MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


class UnknownSlackUser(ValidationFailed):
    def __init__(self):
        super().__init__(
            "Firebreak does not know your Slack account. Set your Slack member id on your "
            "Firebreak profile (Profile → Slack user id), then try again."
        )


def user_for_slack_id(slack_user_id: str):
    """The active Firebreak account with this Slack id, or None."""
    if not slack_user_id:
        return None
    return get_user_model().objects.filter(slack_user_id=slack_user_id, is_active=True).first()


def require_user(slack_user_id: str):
    user = user_for_slack_id(slack_user_id)
    if user is None:
        raise UnknownSlackUser()
    return user


def incident_for_channel(channel_id: str, *, user=None):
    """The incident whose channel this is (None if none); only if ``user`` may see it."""
    link = IncidentSlackChannel.objects.filter(channel_id=channel_id).first()
    if link is None:
        return None
    if user is None:
        return link.incident
    return incident_visible_queryset(user).filter(pk=link.incident_id).first()


def user_from_mention(text: str):
    """``<@U123|bob>`` (or ``@bob`` / ``bob``, a Firebreak username) → that Firebreak account."""
    text = text.strip()
    match = MENTION.search(text)
    if match:
        user = user_for_slack_id(match.group(1))
        if user is None:
            raise NotFound(
                f"<@{match.group(1)}> has no Firebreak account with that Slack id on their profile."
            )
        return user
    username = text.lstrip("@")
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise NotFound(f"Nobody is called {text!r}. Mention them: @name.")
    return user


def ts_to_datetime(ts: str) -> datetime:
    """A Slack message ``ts`` ("1531420618.000200") is seconds since the epoch."""
    try:
        return datetime.fromtimestamp(float(ts), tz=UTC)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(f"Not a Slack timestamp: {ts!r}.") from exc
