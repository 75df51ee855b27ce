"""The command router is a registry: postmortems adds its commands without incidents importing it."""

from __future__ import annotations

import pytest

from incidents.slack import commands
from incidents.slack.models import IncidentSlackChannel
from postmortems.models import ActionItem, Postmortem

pytestmark = pytest.mark.django_db


@pytest.fixture
def rita(responder):
    responder.slack_user_id = "U0RITA"
    responder.save()
    return responder


@pytest.fixture
def channel(incident):
    return IncidentSlackChannel.objects.create(incident=incident, channel_id="C0INC", name="inc")


def _replies(slack) -> list[str]:
    return [c["text"] for c in slack.calls_to("chat.postEphemeral")]


def test_a_registered_subcommand_is_listed_in_help_and_routed(slack, sender, eager_celery, rita):
    seen = []

    def echo(ctx):
        seen.append((ctx.user, ctx.args))
        return f"echo {ctx.args}"

    commands.register_subcommand("echo", echo, "echo <text> — say it back")
    try:
        help_body = sender.command("help", user="U0RITA").json()["text"]
        sender.command("echo  hello there", user="U0RITA")
    finally:
        commands._registry.pop("echo")

    assert "echo <text> — say it back" in help_body
    assert seen == [(rita, "hello there")]
    assert _replies(slack) == ["echo hello there"]


def test_bad_subcommand_names_are_refused():
    with pytest.raises(ValueError):
        commands.register_subcommand("Has Space", lambda ctx: None, "x")


def test_postmortems_registers_postmortem_and_action():
    names = {c.name for c in commands.registered_subcommands()}
    assert {"postmortem", "action", "page", "oncall", "declare", "update"} <= names


def test_postmortem_and_action_from_the_incident_channel(
    slack, sender, eager_celery, rita, channel, incident
):
    sender.command("postmortem", user="U0RITA", channel="C0INC")
    sender.command("postmortem", user="U0RITA", channel="C0INC")
    sender.command(
        "action Add a circuit breaker to the payments client", user="U0RITA", channel="C0INC"
    )
    sender.command("action", user="U0RITA", channel="C0INC")

    postmortem = Postmortem.objects.get(incident=incident)
    item = ActionItem.objects.get(incident=incident)
    assert item.title == "Add a circuit breaker to the payments client"
    replies = _replies(slack)
    assert replies[0].startswith(f"Postmortem started for {incident.reference}: ")
    assert replies[0].endswith(f"/postmortems/{postmortem.pk}/")
    assert replies[1].startswith(f"{incident.reference} already has a postmortem")
    assert replies[2].startswith(f"Action item added to {incident.reference}")
    assert replies[3] == "Usage: /incident action <text>"
