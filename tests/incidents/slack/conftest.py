"""Fixtures for the Slack bot: a running fake Slack, bot settings, signed requests, eager Celery."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from urllib.parse import urlencode

import pytest

from config.celery import app as celery_app
from tests.incidents.slack.fake_slack import FakeSlack

SECRET = "test-signing-secret"
STAKEHOLDERS = "C0STAKEHOLD"


@pytest.fixture
def fake_slack():
    fake = FakeSlack().start()
    yield fake
    fake.stop()


@pytest.fixture
def slack(settings, fake_slack):
    """The bot switched on against the fake Slack; returns the fake to inspect its calls."""
    settings.SLACK_BOT_TOKEN = "xoxb-test"
    settings.SLACK_SIGNING_SECRET = SECRET
    settings.SLACK_API_URL = fake_slack.url
    settings.SLACK_STAKEHOLDER_CHANNEL = STAKEHOLDERS
    settings.SLACK_TIMELINE_EMOJI = "pushpin"
    settings.FIREBREAK_BASE_URL = "https://firebreak.example"
    return fake_slack


@pytest.fixture
def eager_celery():
    """Run tasks in-process, as soon as they are sent (restored afterwards)."""
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


def signed_headers(body: bytes, *, secret: str = SECRET, timestamp: int | None = None) -> dict:
    timestamp = int(time.time()) if timestamp is None else timestamp
    base = f"v0:{timestamp}:".encode() + body
    signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"HTTP_X_SLACK_REQUEST_TIMESTAMP": str(timestamp), "HTTP_X_SLACK_SIGNATURE": signature}


class SlackSender:
    """Posts signed requests to the bot's endpoints, as Slack does."""

    def __init__(self, client):
        self.client = client
        self._trigger = 0

    def _post(self, path: str, body: bytes, content_type: str, **headers):
        return self.client.post(
            path, data=body, content_type=content_type, **signed_headers(body), **headers
        )

    def command(self, text: str, *, user: str, channel: str = "C0GENERAL"):
        self._trigger += 1
        body = urlencode(
            {
                "command": "/incident",
                "text": text,
                "user_id": user,
                "channel_id": channel,
                "trigger_id": f"trigger-{self._trigger}-{time.time_ns()}",
                "response_url": "https://hooks.slack.invalid/commands/1",
            }
        ).encode()
        return self._post("/slack/commands", body, "application/x-www-form-urlencoded")

    def event(self, event: dict, *, event_id: str, **headers):
        body = json.dumps(
            {"type": "event_callback", "event_id": event_id, "team_id": "T1", "event": event}
        ).encode()
        return self._post("/slack/events", body, "application/json", **headers)

    def interaction(self, payload: dict):
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self._post("/slack/interactivity", body, "application/x-www-form-urlencoded")


@pytest.fixture
def sender(client):
    return SlackSender(client)


def submission(
    callback_id: str, values: dict, *, user: str, metadata: dict | None = None, view_id: str = "V1"
) -> dict:
    """A view_submission payload; ``values`` maps block ids to Block Kit action states."""
    return {
        "type": "view_submission",
        "user": {"id": user},
        "view": {
            "id": view_id,
            "callback_id": callback_id,
            "private_metadata": json.dumps(metadata or {}),
            "blocks": [{"block_id": block_id} for block_id in values],
            "state": {"values": {b: {b: state} for b, state in values.items()}},
        },
    }
