"""The shipped manifest points Slack at the endpoints and events the bot actually handles."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.urls import reverse

import incidents.slack

MANIFEST = Path(incidents.slack.__file__).parent / "slack-manifest.yml"


def test_the_manifest_names_every_url_event_and_the_command():
    manifest = yaml.safe_load(MANIFEST.read_text())
    settings = manifest["settings"]

    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == "/incident"
    assert command["url"].endswith(reverse("slack:commands"))
    assert settings["event_subscriptions"]["request_url"].endswith(reverse("slack:events"))
    assert settings["interactivity"]["request_url"].endswith(reverse("slack:interactivity"))
    assert {"pin_added", "reaction_added", "message.channels", "message.groups"} <= set(
        settings["event_subscriptions"]["bot_events"]
    )
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "pins:write", "bookmarks:write", "groups:write"} <= scopes
