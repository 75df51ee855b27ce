"""``/incident postmortem`` and ``/incident action <text>``: registered into the Slack bot's router
(``incidents.slack.commands``) from ``PostmortemsConfig.ready``, since incidents may not import us."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from config.errors import ValidationFailed
from incidents.slack.commands import CommandContext, register_subcommand
from postmortems.models import Postmortem
from postmortems.services import action_item_create, postmortem_create


def _link(postmortem: Postmortem) -> str:
    return settings.FIREBREAK_BASE_URL + reverse("postmortems:detail", args=[postmortem.pk])


def postmortem_command(ctx: CommandContext) -> str:
    incident = ctx.require_incident()
    existing = Postmortem.objects.filter(incident=incident).first()
    if existing is not None:
        return f"{incident.reference} already has a postmortem: {_link(existing)}"
    postmortem = postmortem_create(user=ctx.user, incident=incident)
    return f"Postmortem started for {incident.reference}: {_link(postmortem)}"


def action_command(ctx: CommandContext) -> str:
    incident = ctx.require_incident()
    if not ctx.args.strip():
        raise ValidationFailed("Usage: /incident action <text>")
    item = action_item_create(user=ctx.user, incident=incident, title=ctx.args)
    return (
        f"Action item added to {incident.reference}: {item.title} (due {item.due_date:%Y-%m-%d})."
    )


def register() -> None:
    register_subcommand("postmortem", postmortem_command, "postmortem — start the postmortem")
    register_subcommand("action", action_command, "action <text> — add an action item")
