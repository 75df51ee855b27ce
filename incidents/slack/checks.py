"""System check: the bot needs both its token and its signing secret."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.compatibility)
def check_slack_settings(app_configs, **kwargs):
    token, secret = bool(settings.SLACK_BOT_TOKEN), bool(settings.SLACK_SIGNING_SECRET)
    if token == secret:
        return []
    missing, present = (
        ("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN")
        if token
        else ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    )
    return [
        Warning(
            f"{present} is set but {missing} is not, so the Slack bot stays off.",
            hint=f"Set {missing} too (Slack app settings), or unset {present}. See README, Connecting Slack.",
            id="firebreak.W020",
        )
    ]
