"""The ``slack`` notification transport (``oncall.people.notify`` registry): a DM from the bot.

Reminders (keys ``reminder:<id>``) carry the "Post update" and "Snooze 10 min" buttons.
"""

from __future__ import annotations

from django.conf import settings

from incidents.slack import blocks
from incidents.slack.client import SlackError, SlackTransientError, is_configured, slack_call
from oncall.people.notify import PermanentDeliveryError, TransientDeliveryError


class SlackDmTransport:
    name = "slack"
    label = "Slack DM"

    def applies_to(self, user, urgency: str) -> bool:
        return is_configured() and bool(getattr(user, "slack_user_id", ""))

    def send(self, notification) -> None:
        link = (
            f"{settings.FIREBREAK_BASE_URL}{notification.url}"
            if notification.url.startswith("/")
            else notification.url
        )
        text = f"*{notification.subject}*\n{notification.body}" + (
            f"\n<{link}|Open>" if link else ""
        )
        arguments = {"channel": notification.recipient.slack_user_id, "text": text}
        reminder = _reminder_of(notification.key)
        if reminder is not None:
            arguments["blocks"] = blocks.reminder_blocks(text, reminder.incident)
        try:
            slack_call("chat.postMessage", **arguments)
        except SlackTransientError as exc:
            raise TransientDeliveryError(str(exc)) from exc
        except SlackError as exc:
            raise PermanentDeliveryError(f"Slack refused the message: {exc.error}") from exc


def _reminder_of(key: str):
    """The reminder behind a ``reminder:<id>`` notification key (incidents.services.reminders)."""
    from incidents.models import Reminder

    prefix, _, rest = key.partition(":")
    reminder_id = rest.split(":")[0]
    if prefix != "reminder" or not reminder_id.isdigit():
        return None
    return Reminder.objects.filter(pk=int(reminder_id)).select_related("incident").first()
